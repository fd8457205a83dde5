#pragma once
// Random scenes for comparing a renderer with the exact reference: random grids (flipped axes,
// non-pixel units, random spacing), kernels partly or wholly off the image, sub-sample to wide
// sigmas, anisotropic up to a ratio of 20, rotated or given as `cov`, signed weights (union:
// peaks in [0, 1]), and a random cutoff half the time. Shared by the GL and CPU renderer tests,
// so both are held to the same scene sets.
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "gaussmap/scene.h"

namespace gaussmap::test {

class SceneDice {
 public:
  explicit SceneDice(std::uint32_t seed) : rng_(seed) {}
  double uniform(double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng_);
  }
  double logUniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }
  int integer(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

 private:
  std::mt19937 rng_;
};

inline Extent randomExtent(SceneDice& dice, int width, int height) {
  const double w1 = width - 1, h1 = height - 1;
  switch (dice.integer(0, 4)) {
    case 0:
      return Extent{0, w1, 0, h1};  // the default
    case 1:
      return Extent{w1, 0, h1, 0};  // both axes flipped, pixel units
    case 2:
      return Extent{-3, 3, -3 * h1 / w1, 3 * h1 / w1};  // non-pixel units
    case 3:
      return Extent{3, -3, -3 * h1 / w1, 3 * h1 / w1};  // x flipped, non-pixel units
    default: {
      // Random origin, sample spacing 0.05..3 (not the same on both axes), random directions.
      const double spacing = dice.logUniform(0.05, 3.0);
      const double sx = spacing * dice.uniform(0.7, 1.4) * (dice.chance(0.5) ? -1 : 1);
      const double sy = spacing * dice.uniform(0.7, 1.4) * (dice.chance(0.5) ? -1 : 1);
      const double x0 = dice.uniform(-500, 500), y0 = dice.uniform(-500, 500);
      return Extent{x0, x0 + sx * w1, y0, y0 + sy * h1};
    }
  }
}

// One kernel for a scene whose grid is known. `inside` puts the centre on the image, so that
// the image's max |value| is of the order of a kernel's peak.
inline Kernel randomKernel(SceneDice& dice, const Scene& scene, const SampleGrid& grid,
                           bool inside) {
  const Extent& e = grid.extent();
  const double span_x = grid.width() > 1 ? e.x1 - e.x0 : 1.0;
  const double span_y = grid.height() > 1 ? e.y1 - e.y0 : 1.0;
  const double pixel = std::sqrt(grid.cellWidth() * grid.cellHeight());

  Kernel k;
  // Centres over the image widened by 30% on each side (partly off-image kernels), and now
  // and then far off it (wholly off-image: culled, or only a negligible tail reaches).
  double fx = inside ? dice.uniform(0.05, 0.95) : dice.uniform(-0.3, 1.3);
  double fy = inside ? dice.uniform(0.05, 0.95) : dice.uniform(-0.3, 1.3);
  if (!inside && dice.chance(0.05))
    fx = dice.chance(0.5) ? dice.uniform(-4, -1.5) : dice.uniform(2.5, 5);
  k.x = e.x0 + fx * span_x;
  k.y = e.y0 + fy * span_y;

  // Sigmas in samples: sub-sample ones (what `cell` is for) up to wide ones; anisotropic up to a
  // ratio of 20. `cell` stays a little narrower: its reference integrates numerically.
  const double widest = scene.normalize == Normalize::Cell ? 5.0 : 12.0;
  const double s = dice.logUniform(0.25, widest) * pixel;
  const double ratio = dice.chance(0.3) ? 1.0 : dice.chance(0.3) ? 20.0 : dice.logUniform(1, 20);
  k.sigma_x = s;
  k.sigma_y = s * ratio;
  if (dice.chance(0.5)) std::swap(k.sigma_x, k.sigma_y);
  const int angle_kind = dice.integer(0, 9);
  k.angle_deg = angle_kind < 3 ? 0.0 : angle_kind == 3 ? 90.0 : dice.uniform(-180, 360);
  if (dice.chance(0.1)) {
    // A `cov` kernel with a random correlation.
    const double a = dice.logUniform(0.3, widest) * pixel, b = dice.logUniform(0.3, widest) * pixel;
    const double rho = dice.uniform(-0.95, 0.95);
    k.setCovariance(Covariance{a * a, rho * a * b, b * b});
  }

  if (scene.combine == Combine::Union) {
    // Union needs every kernel's largest value in [0, 1].
    k.weight = 1.0;
    k.weight = dice.uniform(0.02, 0.999) / k.peakValue(scene.normalize);
  } else {
    k.weight = dice.uniform(0.2, 2.0) * (dice.chance(0.4) ? -1.0 : 1.0);
  }
  return k;
}

inline Scene randomScene(std::uint32_t seed, Combine combine, Normalize normalize,
                         int kernel_count) {
  SceneDice dice(seed);
  Scene scene;
  scene.width = dice.integer(40, 128);
  scene.height = dice.integer(40, 128);
  scene.combine = combine;
  scene.normalize = normalize;
  const Extent extent = randomExtent(dice, scene.width, scene.height);
  if (extent != scene.effectiveExtent()) scene.extent = extent;
  if (dice.chance(0.5)) scene.cutoff = dice.uniform(1.5, 4.5);
  const SampleGrid grid = scene.grid();
  for (int n = 0; n < kernel_count; ++n)
    scene.kernels.push_back(randomKernel(dice, scene, grid, n == 0));
  scene.name = "random seed " + std::to_string(seed);
  return scene;
}

// Fixed seeds, each with its kernel count: 1 to 2,000 kernels. `cell` is numerically integrated
// by the reference (and the loop path integrates every kernel at every sample), so it stops at
// a few hundred; the chunking test below covers it at 2,000.
struct SeededCount {
  std::uint32_t seed;
  int kernels;
  int cell_kernels;
};
inline constexpr SeededCount kSeededSceneSets[] = {{11, 1, 1},     {12, 2, 2},     {13, 3, 3},
                                                   {14, 7, 7},     {15, 25, 25},   {16, 90, 60},
                                                   {17, 400, 150}, {18, 2000, 300}};

// Degenerate grids: a single column, row or sample, and single columns/rows on flipped,
// non-pixel extents.
inline constexpr int kDegenerateGridCount = 5;

// Degenerate grid `g` (0 .. kDegenerateGridCount-1) with 12 random kernels, the first on the
// samples' line so the image is not all tail. `seed` receives the seed used, for the trace.
inline Scene degenerateGridScene(Combine combine, Normalize normalize, int g, std::uint32_t* seed) {
  struct Grid {
    int width, height;
    std::optional<Extent> extent;
  };
  const Grid grids[kDegenerateGridCount] = {{1, 57, std::nullopt},
                                            {61, 1, std::nullopt},
                                            {1, 1, std::nullopt},
                                            {1, 50, Extent{2.5, 2.5, 10, -10}},
                                            {45, 1, Extent{3, -3, -0.25, -0.25}}};
  *seed = 7000 + std::uint32_t(combine) * 100 + std::uint32_t(normalize) * 10 + std::uint32_t(g);
  SceneDice dice(*seed);
  Scene scene;
  scene.width = grids[g].width;
  scene.height = grids[g].height;
  scene.extent = grids[g].extent;
  scene.combine = combine;
  scene.normalize = normalize;
  if (dice.chance(0.5)) scene.cutoff = dice.uniform(1.5, 4.5);
  const SampleGrid grid = scene.grid();
  for (int n = 0; n < 12; ++n) scene.kernels.push_back(randomKernel(dice, scene, grid, n == 0));
  if (scene.width == 1) scene.kernels[0].x = grid.x(0) + 0.1 * grid.cellWidth();
  if (scene.height == 1) scene.kernels[0].y = grid.y(0) - 0.2 * grid.cellHeight();
  return scene;
}

// 40 random kernels on a width x height grid whose extent starts at (100000, -250000), one unit
// per sample (y flipped): float positions there have only a few fractional digits left.
inline Scene farFromOriginScene(Combine combine, Normalize normalize, int width, int height,
                                std::uint32_t* seed) {
  *seed = 8000 + std::uint32_t(combine) * 10 + std::uint32_t(normalize);
  SceneDice dice(*seed);
  Scene scene;
  scene.width = width;
  scene.height = height;
  scene.extent = Extent{100000, 100000.0 + width - 1, -250000, -250000.0 - (height - 1)};
  scene.combine = combine;
  scene.normalize = normalize;
  if (dice.chance(0.5)) scene.cutoff = dice.uniform(2, 4);
  const SampleGrid grid = scene.grid();
  for (int n = 0; n < 40; ++n) scene.kernels.push_back(randomKernel(dice, scene, grid, n < 3));
  return scene;
}

// Two wide kernels whose pdf peaks are about 1e-4, combined by union: the result is about 2e-4
// everywhere, where the literal 1 - (1 - a)(1 - b) in float loses about three digits.
inline Scene unionNear1em4Scene() {
  Scene scene;
  scene.width = 64;
  scene.height = 48;
  scene.combine = Combine::Union;
  scene.normalize = Normalize::Pdf;
  Kernel a, b;
  a.x = 20.3;
  a.y = 25.1;
  a.sigma_x = 38;
  a.sigma_y = 42;
  b.x = 41.7;
  b.y = 20.6;
  b.sigma_x = 45;
  b.sigma_y = 35;
  b.angle_deg = 30;
  scene.kernels = {a, b};
  return scene;
}

}  // namespace gaussmap::test
