#include "cpu/render_plan.h"

#include <numbers>
#include <stdexcept>

#include "cpu/thread_pool.h"

namespace gaussmap::cpu {
namespace {

// Kernels per task when packing and binning: large enough that handing out tasks costs nothing,
// small enough that two threads share a million kernels evenly.
constexpr int kKernelsPerChunk = 16384;

struct GridMap {
  double x0, y0;  // scene coordinates of sample (0, 0)
  double sx, sy;  // scene units per sample step (1 for a single column or row)
};

PackedKernel packKernel(const Kernel& k, const GridMap& g, const RenderPlan& plan) {
  // The common unrotated case skips covariance()'s cos and sin (it returns exactly this).
  const bool plain = !k.cov && k.angle_deg == 0.0;
  const Covariance c =
      plain ? Covariance{k.sigma_x * k.sigma_x, 0.0, k.sigma_y * k.sigma_y} : k.covariance();
  // det(Sigma) from the sigmas where given: the product keeps every digit for thin kernels.
  const double det = k.cov ? c.det() : (k.sigma_x * k.sigma_x) * (k.sigma_y * k.sigma_y);
  // Covariance in index units: S^-1 Sigma S^-1 with S = diag(sx, sy).
  const double cxx = c.xx / (g.sx * g.sx), cyy = c.yy / (g.sy * g.sy);
  const double cxy = c.xy / (g.sx * g.sy);
  const double det_index = det / ((g.sx * g.sx) * (g.sy * g.sy));
  const bool axis_aligned = c.xy == 0.0;

  PackedKernel p;
  p.ci = (k.x - g.x0) / g.sx;
  p.cj = (k.y - g.y0) / g.sy;
  p.p = float(axis_aligned ? 1.0 / cxx : cyy / det_index);
  p.shear = axis_aligned ? 0.0 : cxy / cyy;
  p.inv_var_j = float(1.0 / cyy);
  p.amplitude =
      float(plan.normalize == Normalize::Pdf ? k.weight / (2.0 * std::numbers::pi * std::sqrt(det))
                                             : k.weight);
  // A hair wider than the region, so that float rounding never cuts a sample off the box that
  // the exact span (computed in double) still reaches.
  constexpr double kWiden = 1.0 + 1e-6;
  if (plan.box_regions) {
    // Cells within the negligible radius of the centre, measured from the cell's near edge.
    p.reach_i = float(std::sqrt(kNegligibleM2 * cxx) * kWiden + 0.5);
    p.reach_j = float(std::sqrt(kNegligibleM2 * cyy) * kWiden + 0.5);
  } else {
    p.reach_i = float(std::sqrt(plan.m2_limit * cxx) * kWiden);
    p.reach_j = float(std::sqrt(plan.m2_limit * cyy) * kWiden);
  }
  const bool cell = plan.normalize == Normalize::Cell;
  p.shape = cell ? (axis_aligned ? Shape::CellSeparable : Shape::CellSheared)
                 : (axis_aligned ? Shape::Separable : Shape::Sheared);
  return p;
}

// Tiles [tx0, tx1] x [ty0, ty1] that a kernel's bounding box touches; tx0 > tx1 when none.
struct TileRange {
  int tx0, tx1, ty0, ty1;
  bool empty() const { return tx0 > tx1 || ty0 > ty1; }
};

TileRange tilesOf(const PackedKernel& k, const RenderPlan& plan) {
  const Span rows = regionRows(k, plan.height), cols = regionColumnsBox(k, plan.width);
  const int j0 = std::max(rows.lo, 0), j1 = std::min(rows.hi, plan.height - 1);
  const int i0 = std::max(cols.lo, 0), i1 = std::min(cols.hi, plan.width - 1);
  if (j0 > j1 || i0 > i1) return {0, -1, 0, -1};
  return {i0 / kTileWidth, i1 / kTileWidth, j0 / kTileHeight, j1 / kTileHeight};
}

int chunkCount(std::size_t n) {
  return int((n + kKernelsPerChunk - 1) / kKernelsPerChunk);
}

// Max without cutoff: per row, the columns inside every kernel's region.
std::vector<Span> coveredByAll(const RenderPlan& plan) {
  std::vector<Span> covered(std::size_t(plan.height));
  if (plan.kernels.empty()) return covered;
  Span rows{0, plan.height - 1};
  for (const PackedKernel& k : plan.kernels) {
    const Span r = regionRows(k, plan.height);
    rows = {std::max(rows.lo, r.lo), std::min(rows.hi, r.hi)};
    if (rows.empty()) return covered;
  }
  for (int j = rows.lo; j <= rows.hi; ++j) {
    Span all{0, plan.width - 1};
    for (const PackedKernel& k : plan.kernels) {
      const Span s = regionSpan(k, plan, j);
      all = {std::max(all.lo, s.lo), std::min(all.hi, s.hi)};
      if (all.empty()) break;
    }
    covered[std::size_t(j)] = all;
  }
  return covered;
}

}  // namespace

std::size_t RenderPlan::bytes() const {
  return kernels.capacity() * sizeof(PackedKernel) +
         (bin_start.capacity() + bin_entries.capacity()) * sizeof(std::uint32_t) +
         covered_by_all.capacity() * sizeof(Span);
}

RenderPlan buildPlan(const Scene& scene, ThreadPool& pool) {
  const SampleGrid grid = scene.grid();
  RenderPlan plan;
  plan.width = grid.width();
  plan.height = grid.height();
  plan.tiles_x = (plan.width + kTileWidth - 1) / kTileWidth;
  plan.tiles_y = (plan.height + kTileHeight - 1) / kTileHeight;
  plan.combine = scene.combine;
  plan.normalize = scene.normalize;
  plan.m2_limit = scene.cutoff ? *scene.cutoff * *scene.cutoff : kNegligibleM2;
  plan.box_regions = scene.normalize == Normalize::Cell && !scene.cutoff;
  plan.exact_spans = scene.cutoff.has_value() || scene.combine == Combine::Max;
  plan.tails_count_as_zero = scene.combine == Combine::Max && !scene.cutoff;
  const GridMap map{grid.extent().x0, grid.extent().y0, grid.dx() != 0.0 ? grid.dx() : 1.0,
                    grid.dy() != 0.0 ? grid.dy() : 1.0};
  const int tiles = plan.tileCount();
  const std::size_t n = scene.kernels.size();
  const int chunks = chunkCount(n);

  // 1. Sort by the tile holding the centre (a stable counting sort), so that the kernels a tile
  //    reads lie together in memory: a million of them then stream through the cache.
  std::vector<std::uint32_t> order(n);
  {
    std::vector<std::uint32_t> home(n);
    pool.run(chunks, [&](int chunk, int) {
      const std::size_t end = std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk);
      for (std::size_t k = std::size_t(chunk) * kKernelsPerChunk; k < end; ++k) {
        const Kernel& kernel = scene.kernels[k];
        const int tx =
            clampToInt(std::floor((kernel.x - map.x0) / map.sx / kTileWidth), 0, plan.tiles_x - 1);
        const int ty =
            clampToInt(std::floor((kernel.y - map.y0) / map.sy / kTileHeight), 0, plan.tiles_y - 1);
        home[k] = std::uint32_t(ty * plan.tiles_x + tx);
      }
    });
    std::vector<std::uint32_t> start(std::size_t(tiles) + 1, 0);
    for (std::uint32_t t : home) ++start[t + 1];
    for (int t = 0; t < tiles; ++t) start[t + 1] += start[t];
    for (std::size_t k = 0; k < n; ++k) order[start[home[k]]++] = std::uint32_t(k);
  }

  // 2. Pack in that order.
  plan.kernels.resize(n);
  pool.run(chunks, [&](int chunk, int) {
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk);
    for (std::size_t p = std::size_t(chunk) * kKernelsPerChunk; p < end; ++p)
      plan.kernels[p] = packKernel(scene.kernels[order[p]], map, plan);
  });
  std::vector<std::uint32_t>().swap(order);

  // 3. Bin by the tiles each bounding box touches: count per (chunk, tile), then every chunk
  //    fills its own slots, so each bin lists its kernels in ascending order.
  std::vector<std::uint32_t> counts(std::size_t(chunks) * tiles, 0);
  pool.run(chunks, [&](int chunk, int) {
    std::uint32_t* c = counts.data() + std::size_t(chunk) * tiles;
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk);
    for (std::size_t p = std::size_t(chunk) * kKernelsPerChunk; p < end; ++p) {
      const TileRange r = tilesOf(plan.kernels[p], plan);
      for (int ty = r.ty0; ty <= r.ty1; ++ty)
        for (int tx = r.tx0; tx <= r.tx1; ++tx) ++c[ty * plan.tiles_x + tx];
    }
  });
  plan.bin_start.assign(std::size_t(tiles) + 1, 0);
  std::uint64_t total = 0;
  for (int t = 0; t < tiles; ++t) {
    plan.bin_start[t] = std::uint32_t(total);
    for (int chunk = 0; chunk < chunks; ++chunk) {
      std::uint32_t& c = counts[std::size_t(chunk) * tiles + t];
      const std::uint32_t here = c;
      c = std::uint32_t(total);  // from now on: where this chunk's entries for tile t begin
      total += here;
    }
  }
  if (total > 0xffffffffu) throw std::length_error("too many kernel-tile pairs");
  plan.bin_start[tiles] = std::uint32_t(total);
  plan.bin_entries.resize(total);
  pool.run(chunks, [&](int chunk, int) {
    std::uint32_t* slot = counts.data() + std::size_t(chunk) * tiles;
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk);
    for (std::size_t p = std::size_t(chunk) * kKernelsPerChunk; p < end; ++p) {
      const TileRange r = tilesOf(plan.kernels[p], plan);
      for (int ty = r.ty0; ty <= r.ty1; ++ty)
        for (int tx = r.tx0; tx <= r.tx1; ++tx)
          plan.bin_entries[slot[ty * plan.tiles_x + tx]++] = std::uint32_t(p);
    }
  });

  if (plan.tails_count_as_zero) plan.covered_by_all = coveredByAll(plan);
  return plan;
}

}  // namespace gaussmap::cpu
