#pragma once
// Kernels as the shaders read them (shaders/gaussian.glsl): four vec4 per kernel, in sample-index
// space, computed here in double and rounded to float once. No OpenGL here, so it is testable.
#include <array>
#include <cstdint>
#include <vector>

#include "core/scene.h"

namespace gaussmap::gl {

// One kernel: v0 = (centre fraction x, y, amplitude, m2 limit), v1 = (centre floor x, y,
// axis-aligned flag, pieces), v2 = (whitening rows: m2 = dot(v2.xy, d)^2 + dot(v2.zw, d)^2),
// v3 = (cell sigma_x, sigma_y, conditional slope, conditional sigma).
struct PackedKernel {
  std::array<float, 16> v;
};
static_assert(sizeof(PackedKernel) == 64);

// The samples a kernel can reach: columns [i0, i1) and rows [j0, j1), clipped to the image.
struct Footprint {
  float i0, j0, i1, j1;
  double area() const { return double(i1 - i0) * double(j1 - j0); }
};

struct PackedScene {
  std::vector<PackedKernel> kernels;  // only the kernels whose footprint touches the image
  std::vector<Footprint> footprints;  // one per packed kernel
  double footprint_area = 0;          // sum of the footprints' areas, in samples
};

// Squared Mahalanobis distance below which an untruncated kernel is evaluated: beyond it the
// value is under 1e-7 of the kernel's own peak (2 ln 1e7), which the contract allows dropping.
inline constexpr double kNegligibleM2 = 32.236191301916641;

PackedScene packScene(const Scene& scene);

}  // namespace gaussmap::gl
