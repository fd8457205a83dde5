#pragma once
// Kernels as the shaders read them (shaders/gaussian.glsl): four vec4 per kernel, in sample-index
// space, from core's IndexKernel in double and rounded to float once. No OpenGL here, so it is
// testable.
#include <array>
#include <cstdint>
#include <vector>

#include "core/renderer.h"
#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap::gl {

// One kernel: v0 = (centre fraction x, y, amplitude, m2 limit), v1 = (centre floor x, y,
// axis-aligned flag, pieces), v2 = (whitening rows: m2 = dot(v2.xy, d)^2 + dot(v2.zw, d)^2),
// v3 = (cell sigma_x, sigma_y, conditional slope, conditional sigma).
struct PackedKernel {
  std::array<float, 16> v;
};
static_assert(sizeof(PackedKernel) == 64);

// The samples a kernel can reach: columns [i0, i1) and rows [j0, j1) of the rendered window
// (counted from its first column and row), clipped to it.
struct Footprint {
  float i0, j0, i1, j1;
  double area() const { return double(i1 - i0) * double(j1 - j0); }
};

struct PackedScene {
  std::vector<PackedKernel> kernels;  // only the kernels whose footprint touches the window
  std::vector<Footprint> footprints;  // one per packed kernel
  double footprint_area = 0;          // sum of the footprints' areas, in samples
};

// The kernels for rendering `window` of the scene's grid (a window.width x window.height target
// whose sample (0, 0) is the grid's (i0, j0)): centres relative to the window, from the whole
// grid's index space, so a window's samples are the whole render's.
PackedScene packScene(const Scene& scene, const SampleWindow& window);
// The whole grid.
inline PackedScene packScene(const Scene& scene) {
  return packScene(scene, wholeGrid(scene));
}

// The footprint path accumulates blocks of 2 x 2 samples, one RGBA texel each: block (bi, bj)
// holds sample (2 bi + (q & 1), 2 bj + (q >> 1)) in component q. Unpacks `blocks` (rows of
// `block_width` texels) into `out` (width and height already set) and resolves each accumulator
// (resolveAccumulator, as resolve.frag does), with a dropped tail counting as 0 where
// `tails_count_as_zero` outside the samples [x0, x1) x [y0, y1) every kernel reaches.
void unpackAndResolve(const std::vector<float>& blocks, int block_width, Combine combine,
                      bool tails_count_as_zero, const std::array<float, 4>& reached_by_all,
                      FloatImage& out);

}  // namespace gaussmap::gl
