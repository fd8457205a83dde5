#version 330 core
// A triangle covering the whole viewport, from gl_VertexID alone (no vertex buffers).
void main() {
  vec2 corner = vec2(float((gl_VertexID & 1) << 2), float((gl_VertexID & 2) << 1));
  gl_Position = vec4(corner - 1.0, 0.0, 1.0);
}
