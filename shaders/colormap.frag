#version 330 core
// Values to colours, the same mapping as core/colormap.cpp (ValueMapping::position, colorAt).
uniform sampler2D value_texture;
uniform sampler2D colormap_table;  // 256 x 1, RGB in [0, 1]
uniform float range_lo;
uniform float range_hi;
uniform int scale;        // 0 linear, 1 sqrt, 2 log
uniform int flip_rows;    // origin lower: output row j shows value row height-1-j
uniform int image_height;
uniform ivec2 pixel_offset;  // the output's first pixel in the framebuffer (0, 0 for a target)

out vec4 colour;

float position(float v) {
  if (isnan(v) || !(range_hi > range_lo)) return 0.0;
  float t;
  if (scale == 2) {
    if (!(v > 0.0) || !(range_lo > 0.0)) return 0.0;
    t = (log(v) - log(range_lo)) / (log(range_hi) - log(range_lo));
  } else {
    t = (v - range_lo) / (range_hi - range_lo);
    if (scale == 1) t = sqrt(clamp(t, 0.0, 1.0));
  }
  return clamp(t, 0.0, 1.0);
}

void main() {
  ivec2 out_pixel = ivec2(gl_FragCoord.xy) - pixel_offset;
  int row = flip_rows == 1 ? image_height - 1 - out_pixel.y : out_pixel.y;
  float v = texelFetch(value_texture, ivec2(out_pixel.x, row), 0).r;
  float pos = position(v) * 255.0;
  int k = min(int(floor(pos)), 254);
  float f = pos - float(k);
  vec3 a = texelFetch(colormap_table, ivec2(k, 0), 0).rgb;
  vec3 b = texelFetch(colormap_table, ivec2(k + 1, 0), 0).rgb;
  colour = vec4(mix(a, b, f), 1.0);
}
