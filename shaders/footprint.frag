#version 330 core
// One block of 2 x 2 samples: (2i, 2j) in x, (2i + 1, 2j) in y, (2i, 2j + 1) in z,
// (2i + 1, 2j + 1) in w. A sample the kernel does not reach gets the accumulator's identity, so
// the block's other samples still blend.
#include "gaussian.glsl"

flat in vec4 v0;
flat in vec4 v1;
flat in vec4 v2;
flat in vec4 v3;

out vec4 accumulator;

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
  ivec2 first = ivec2(gl_FragCoord.xy) * 2;
  vec4 block;
  for (int q = 0; q < 4; ++q) {
    float value;
    float contribution = kAccumulatorIdentity;
    if (kernelValue(k, first + ivec2(q & 1, q >> 1), value)) {
#if defined(COMBINE_MAX)
      contribution = value;
#else
      contribution = accumulated(value);
#endif
    }
    block[q] = contribution;
  }
  accumulator = block;
}
