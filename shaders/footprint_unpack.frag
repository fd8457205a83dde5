#version 330 core
// Blocks of 2 x 2 samples (the footprint path's accumulator) back to one sample per pixel.
uniform sampler2D block_accumulator;
out float accumulator;

void main() {
  ivec2 sample_index = ivec2(gl_FragCoord.xy);
  vec4 block = texelFetch(block_accumulator, sample_index / 2, 0);
  int q = (sample_index.x & 1) + 2 * (sample_index.y & 1);
  accumulator = block[q];
}
