#version 330 core
// The per-pixel path: every kernel of one chunk evaluated for this pixel. Chunks are blended into
// the accumulator (add for sum and union, GL_MAX for max); resolve.frag finishes the value.
#include "gaussian.glsl"

// MAX_KERNELS is defined by the renderer from GL_MAX_UNIFORM_BLOCK_SIZE (4 vec4 per kernel).
layout(std140) uniform KernelBlock {
  vec4 kernel_data[4 * MAX_KERNELS];
};
uniform int kernel_count;

out float accumulator;

Kernel fetchKernel(int index) {
  vec4 v0 = kernel_data[4 * index], v1 = kernel_data[4 * index + 1];
  Kernel k;
  k.centre_fraction = v0.xy;
  k.amplitude = v0.z;
  k.m2_limit = v0.w;
  k.centre_floor = ivec2(v1.xy);
  k.axis_aligned = int(v1.z);
  k.pieces = int(v1.w);
  k.whitening = kernel_data[4 * index + 2];
  k.cell = kernel_data[4 * index + 3];
  return k;
}

void main() {
  ivec2 sample_index = ivec2(gl_FragCoord.xy);
  float acc = kAccumulatorIdentity;
  for (int n = 0; n < kernel_count; ++n) {
    float value;
    if (kernelValue(fetchKernel(n), sample_index, value)) acc = combineInto(acc, value);
  }
  accumulator = acc;
}
