#version 330 core
// The footprint path: one instanced quad per kernel, covering only the samples it can reach.
// The quad is drawn in blocks of 2 x 2 samples (footprint.frag evaluates all four of a block in
// one fragment): llvmpipe spends most of a fragment's time in its pipeline, not in the shader.
layout(location = 0) in vec4 kernel_v0;  // centre fraction, amplitude, m2 limit
layout(location = 1) in vec4 kernel_v1;  // centre floor, axis-aligned flag, pieces
layout(location = 2) in vec4 kernel_v2;  // whitening rows
layout(location = 3) in vec4 kernel_v3;  // cell parameters
layout(location = 4) in vec4 footprint;  // first column, first row, end column, end row

uniform vec2 block_grid_size;  // blocks across and down: ceil(width / 2), ceil(height / 2)

flat out vec4 v0;
flat out vec4 v1;
flat out vec4 v2;
flat out vec4 v3;

void main() {
  // Corners of a triangle strip: (0,0) (1,0) (0,1) (1,1); the blocks holding the footprint's
  // first and last samples.
  vec2 corner = vec2(float(gl_VertexID & 1), float((gl_VertexID >> 1) & 1));
  vec2 block = mix(floor(footprint.xy * 0.5), ceil(footprint.zw * 0.5), corner);
  gl_Position = vec4(block / block_grid_size * 2.0 - 1.0, 0.0, 1.0);
  v0 = kernel_v0;
  v1 = kernel_v1;
  v2 = kernel_v2;
  v3 = kernel_v3;
}
