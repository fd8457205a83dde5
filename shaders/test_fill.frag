#version 330 core
// For gl_context_test: writes u_value * FILL_SCALE plus the pixel's (x, y) weighted by
// u_pixel_weights, so tests can check exact values and the readback's row order.
#ifndef FILL_SCALE
#define FILL_SCALE 1.0
#endif

uniform float u_value;
uniform vec2 u_pixel_weights;

layout(location = 0) out float value;

void main() {
  value = u_value * FILL_SCALE + dot(floor(gl_FragCoord.xy), u_pixel_weights);
}
