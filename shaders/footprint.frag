#version 330 core
#include "gaussian.glsl"

flat in vec4 v0;
flat in vec4 v1;
flat in vec4 v2;
flat in vec4 v3;

out float accumulator;

void main() {
  Kernel k;
  k.centre_fraction = v0.xy;
  k.amplitude = v0.z;
  k.m2_limit = v0.w;
  k.centre_floor = ivec2(v1.xy);
  k.axis_aligned = int(v1.z);
  k.pieces = int(v1.w);
  k.whitening = v2;
  k.cell = v3;
  float value;
  if (!kernelValue(k, ivec2(gl_FragCoord.xy), value)) discard;
#if defined(COMBINE_MAX)
  accumulator = value;
#else
  accumulator = accumulated(value);
#endif
}
