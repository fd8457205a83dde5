#version 330 core
// Turns the blended accumulator into the value: sum as is; max with "no kernel" as 0;
// union as 1 - exp(sum of ln(1 - v)), through expm1 so that small results keep their digits.
// The GLSL twin of resolveAccumulator in src/core/index_kernel.cpp: change both together.
#include "gaussian.glsl"

uniform sampler2D accumulator_texture;
// Max without cutoff: the samples [x0, x1) x [y0, y1) inside every kernel's footprint. Outside,
// some kernel's dropped tail takes part as 0, so the value is at least 0.
uniform vec4 reached_by_all;
out float value;

// -expm1(s) for s <= 0.
float oneMinusExp(float s) {
  if (s == 0.0) return 0.0;  // no kernel reached: +0 (-s * t would give -0)
  if (s > -0.1) {
    // -(s + s^2/2! + ... + s^8/8!): the truncation error is below 1e-10 relative.
    float t = 1.0 / 40320.0;
    t = 1.0 / 5040.0 + s * t;
    t = 1.0 / 720.0 + s * t;
    t = 1.0 / 120.0 + s * t;
    t = 1.0 / 24.0 + s * t;
    t = 1.0 / 6.0 + s * t;
    t = 1.0 / 2.0 + s * t;
    t = 1.0 + s * t;
    return -s * t;
  }
  return 1.0 - exp(s);
}

void main() {
  float acc = texelFetch(accumulator_texture, ivec2(gl_FragCoord.xy), 0).r;
#if defined(COMBINE_UNION)
  value = oneMinusExp(acc);
#elif defined(COMBINE_MAX)
  value = acc <= -1.0e38 ? 0.0 : acc;
#if defined(TAILS_COUNT_AS_ZERO)
  vec2 sample_index = floor(gl_FragCoord.xy);
  if (any(lessThan(sample_index, reached_by_all.xy)) ||
      any(greaterThanEqual(sample_index, reached_by_all.zw)))
    value = max(value, 0.0);
#endif
#else
  value = acc;
#endif
}
