#pragma once
// What the fast CPU renderer works from: every kernel in sample-index space (the math of
// README "The math", rewritten so that rows are cheap), sorted by the tile its centre lies in,
// and binned by the tiles its region touches. Plain data; the SIMD code reads it (tile_renderer).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>
#include <vector>

#include "core/index_kernel.h"
#include "core/renderer.h"
#include "gaussmap/scene.h"

namespace gaussmap::cpu {

class ThreadPool;

// Tiles are the unit of work: one thread owns a tile's samples while it renders them, so the
// summation order at every sample is the bin's order whatever the thread count. 128 columns is a
// multiple of every vector width (at most 16 floats); 128 x 128 floats (64 KiB) stay in L2.
// -DGAUSSMAP_TILE_WIDTH=.. -DGAUSSMAP_TILE_HEIGHT=.. for experiments: 64 x 64 (L1-sized) measured
// slower, 256 x 128 the same (docs/performance.md). The width must be a multiple of 16.
#ifndef GAUSSMAP_TILE_WIDTH
#define GAUSSMAP_TILE_WIDTH 128
#define GAUSSMAP_TILE_HEIGHT 128
#endif
inline constexpr int kTileWidth = GAUSSMAP_TILE_WIDTH;
inline constexpr int kTileHeight = GAUSSMAP_TILE_HEIGHT;
static_assert(kTileWidth % 16 == 0, "rows are whole vectors of up to 16 floats");

// How a kernel's values are produced (see tile_renderer.cpp).
enum class Shape : std::uint8_t {
  Separable,      // axis-aligned pdf/peak: a column factor times a row factor
  Sheared,        // rotated pdf/peak: a row factor times a 1-D Gaussian centred per row
  CellSeparable,  // axis-aligned cell: a column mass times a row mass
  CellSheared,    // rotated cell: integrated per sample
};

// One kernel as the tiles read it: core/index_kernel.h's IndexKernel (m2 = inv_var_j * dj^2 +
// p * (di - shear * dj)^2), its factors rounded to float where the SIMD code wants floats.
struct PackedKernel {
  double ci = 0, cj = 0;  // centre
  // Cxy / Cyy: row j's peak lies at ci + shear * dj. In double: hundreds of rows from the centre
  // of a thin kernel, float's rounding of it would move the peak by a visible fraction of a sigma.
  double shear = 0;
  float p = 1;          // 1 / variance of i given j
  float inv_var_j = 1;  // 1 / Cyy, the marginal variance in j
  float amplitude = 0;  // pdf: weight / (2 pi sqrt(det Sigma)); peak and cell: weight
  float reach_i = 0;    // half-size of the region's bounding box, in samples
  float reach_j = 0;
  Shape shape = Shape::Separable;
};

// The columns [lo, hi] of one row (lo > hi when empty).
struct Span {
  int lo = 0, hi = -1;
  bool empty() const { return lo > hi; }
};

static_assert(sizeof(PackedKernel) == 48, "a million kernels must fit 48 MB");

// A window's render uses the whole grid's tiling: it renders the tiles of the whole grid that
// intersect the window, each with the same kernels in the same order as the whole render (kernels
// sorted by their cell of the whole grid), and keeps the window's part. Every sample therefore
// sums the same values in the same order: the window is the whole render's crop, bit for bit.
struct RenderPlan {
  int width = 0, height = 0;     // the whole grid
  int tiles_x = 0, tiles_y = 0;  // the whole grid's tiles
  SampleWindow window;  // the samples written: the output image is window.width x window.height
  // The whole grid's tiles [window_tile_x0, + window_tiles_x) x [window_tile_y0, + window_tiles_y)
  // intersect the window; bins are numbered row by row over these only.
  int window_tile_x0 = 0, window_tile_y0 = 0;
  int window_tiles_x = 0, window_tiles_y = 0;
  Combine combine = Combine::Sum;
  Normalize normalize = Normalize::Pdf;
  double m2_limit = kNegligibleM2;  // contractM2: cutoff^2, or the negligible radius
  // Regions are boxes (cell without cutoff: a narrow kernel puts mass in cells whose centres
  // lie many sigmas away) or the ellipse m2 <= m2_limit.
  bool box_regions = false;
  // Samples outside a region must get nothing (a cutoff, or max): partial vectors are masked.
  // Otherwise (sum, union without cutoff) extra lanes add the kernel's exact value, harmlessly.
  bool exact_spans = false;
  // max without cutoff: where some kernel's region does not reach, its dropped tail takes part
  // as 0, so the accumulator starts at 0 there and at -inf only where every kernel reaches.
  bool tails_count_as_zero = false;

  // Sorted by the whole grid's tile and cell holding the centre (then by scene order); a window's
  // plan holds only the kernels whose bounding box touches the window's tiles.
  std::vector<PackedKernel> kernels;
  std::vector<std::uint32_t> bin_start;    // window tiles + 1 offsets into bin_entries
  std::vector<std::uint32_t> bin_entries;  // per window tile: indices into kernels, ascending
  // tails_count_as_zero: per row of the window's tiles (from row covered_row0), the columns
  // every kernel of the scene (not only the plan's) covers (empty when none).
  std::vector<Span> covered_by_all;
  int covered_row0 = 0;
  std::vector<std::uint32_t> home_tiles;  // scratch while sorting: each kernel's tile
  std::vector<std::uint32_t> slots;       // scratch: per (chunk, tile) counts, then write slots
  std::vector<PackedKernel> all_kernels;  // scratch for a window: every kernel, in scene order
  std::vector<std::uint64_t> sort_keys;   // scratch for a window: (cell << 32) | scene index

  double box_samples = 0;  // samples inside the kernels' bounding boxes, in the window

  int tileCount() const { return window_tiles_x * window_tiles_y; }
  bool wholeGrid() const { return window == SampleWindow{0, 0, width, height}; }
  std::size_t kernelTilePairs() const { return bin_entries.size(); }
  std::size_t bytes() const;  // working memory held by the plan
};

// Packs and bins the scene's kernels (the scene must be valid) into `plan` for the samples of
// `window` (inside the grid: validateWindow), reusing its memory (a million kernels take 60 MB,
// whose page faults would otherwise come back every render). Uses the pool's threads for the
// per-kernel work; the result does not depend on how many. A window's plan holds bins for its
// tiles only, never for the whole grid's.
void buildPlan(const Scene& scene, const SampleWindow& window, ThreadPool& pool, RenderPlan& plan);

// Clamps a double to an int range before converting (kernels far off the grid give huge indices).
inline int clampToInt(double v, int lo, int hi) {
  return int(std::clamp(v, double(lo), double(hi)));
}

// Rows [first, last] of the kernel's region, unclipped beyond [-1, height].
inline Span regionRows(const PackedKernel& k, int height) {
  return {clampToInt(std::ceil(k.cj - k.reach_j), -1, height),
          clampToInt(std::floor(k.cj + k.reach_j), -1, height)};
}

inline Span regionColumnsBox(const PackedKernel& k, int width) {
  return {clampToInt(std::ceil(k.ci - k.reach_i), -1, width),
          clampToInt(std::floor(k.ci + k.reach_i), -1, width)};
}

// m2_limit widened by float's rounding of p and inv_var_j (each within 2^-24 = 6e-8 relative):
// a sample exactly at the cutoff (sqrt(m2) == cutoff) contributes, as the contract says, even
// where the float factors round m2 a hair above cutoff^2 (sigma 3 and cutoff 1 did, 3 samples
// from the centre). Wider would include samples the reference rightly excludes.
inline constexpr double kInclusiveM2 = 1.0 + 2.5e-7;

// The columns of row j inside the kernel's region, clipped to [-1, width]. Computed in double
// from the sum-of-squares form, so that a sample's side of a cutoff is decided as the exact math
// decides it, inclusive up to float rounding (kInclusiveM2).
inline Span regionSpan(const PackedKernel& k, const RenderPlan& plan, int j) {
  const Span rows = regionRows(k, plan.height);
  if (j < rows.lo || j > rows.hi) return {};
  if (plan.box_regions) return regionColumnsBox(k, plan.width);
  const double dj = double(j) - k.cj;
  const double rest = plan.m2_limit * kInclusiveM2 - double(k.inv_var_j) * dj * dj;
  if (rest < 0) return {};
  const double half = std::sqrt(rest / double(k.p));
  const double centre = k.ci + double(k.shear) * dj;
  return {clampToInt(std::ceil(centre - half), -1, plan.width),
          clampToInt(std::floor(centre + half), -1, plan.width)};
}

}  // namespace gaussmap::cpu
