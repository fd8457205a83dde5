#include "cpu/render_plan.h"

#include <array>
#include <stdexcept>

#include "core/huge_pages.h"
#include "cpu/thread_pool.h"

namespace gaussmap::cpu {
namespace {

// Kernels per task when packing and binning: large enough that handing out tasks costs nothing,
// small enough that two threads share a million kernels evenly.
constexpr int kKernelsPerChunk = 16384;
constexpr int kSortChunk = 4 * kKernelsPerChunk;
// The cells kernels are sorted by within a tile: 4 x 4 per tile.
constexpr int kCellsAcross = 4, kCellsPerTile = kCellsAcross * kCellsAcross;
constexpr int kCellWidth = kTileWidth / kCellsAcross, kCellHeight = kTileHeight / kCellsAcross;

PackedKernel packKernel(const Kernel& k, const IndexSpace& space, const RenderPlan& plan) {
  const IndexKernel ik = space.kernel(k);
  PackedKernel p;
  p.ci = ik.ci;
  p.cj = ik.cj;
  p.p = float(ik.p);
  p.shear = ik.shear;
  p.inv_var_j = float(ik.inv_var_j);
  p.amplitude = float(ik.amplitude);
  // A hair wider than the region, so that float rounding never cuts a sample off the box that
  // the exact span (computed in double) still reaches. Box regions (cell without cutoff) hold the
  // cells within the negligible radius measured from the cell's near edge: half a sample more.
  constexpr double kWiden = 1.0 + 1e-6;
  const double near_edge = plan.box_regions ? 0.5 : 0.0;
  p.reach_i = float(ik.reach_i * kWiden + near_edge);
  p.reach_j = float(ik.reach_j * kWiden + near_edge);
  const bool cell = plan.normalize == Normalize::Cell;
  p.shape = cell ? (ik.axis_aligned ? Shape::CellSeparable : Shape::CellSheared)
                 : (ik.axis_aligned ? Shape::Separable : Shape::Sheared);
  return p;
}

// Packs kernels one after the other, reusing the last one's shape when the next has the same
// sigmas, angle and weight (points from a CSV all do): a million kernels then cost a million
// subtractions instead of a million rounds of divisions and square roots.
class Packer {
 public:
  Packer(const IndexSpace& space, const RenderPlan& plan) : space_(space), plan_(plan) {}

  PackedKernel pack(const Kernel& k) {
    const std::array<double, 4> shape = {k.sigma_x, k.sigma_y, k.angle_deg, k.weight};
    if (k.cov || !have_last_ || shape != last_) {
      packed_ = packKernel(k, space_, plan_);
      last_ = shape;
      have_last_ = !k.cov;
      return packed_;
    }
    PackedKernel p = packed_;
    p.ci = space_.grid().toIndexX(k.x);
    p.cj = space_.grid().toIndexY(k.y);
    return p;
  }

 private:
  const IndexSpace& space_;
  const RenderPlan& plan_;
  bool have_last_ = false;
  std::array<double, 4> last_{};  // sigma_x, sigma_y, angle_deg, weight of packed_
  PackedKernel packed_;
};

// The whole grid's cell (4 x 4 per tile) holding a centre, clamped to the grid's tiles: the key
// kernels are sorted by, for a window as for the whole grid, so that both list a tile's kernels
// in the same order. Always inlined, as tilesOf and boxSamples: called per kernel from two
// places, GCC stopped inlining them, which cost a million kernels' plan about 10%.
[[gnu::always_inline]] inline std::uint32_t homeCell(double ci, double cj, const RenderPlan& plan) {
  const int tx = clampToInt(std::floor(ci / kTileWidth), 0, plan.tiles_x - 1);
  const int ty = clampToInt(std::floor(cj / kTileHeight), 0, plan.tiles_y - 1);
  const int cx = clampToInt(std::floor(ci / kCellWidth) - tx * kCellsAcross, 0, kCellsAcross - 1);
  const int cy = clampToInt(std::floor(cj / kCellHeight) - ty * kCellsAcross, 0, kCellsAcross - 1);
  // Unsigned: a grid of kMaxGridSide a side has 2^32 cells.
  return (std::uint32_t(ty) * std::uint32_t(plan.tiles_x) + std::uint32_t(tx)) * kCellsPerTile +
         std::uint32_t(cy * kCellsAcross + cx);
}

// The window's tiles [tx0, tx1] x [ty0, ty1] (numbered from the window's first tile) that a
// kernel's bounding box touches; tx0 > tx1 or ty0 > ty1 when none.
struct TileRange {
  int tx0, tx1, ty0, ty1;
  bool empty() const { return tx0 > tx1 || ty0 > ty1; }
};

// The plan's figures tilesOf needs, copied before a loop over a million kernels: read through
// the plan, every store into the bins' uint32 counts (which may alias ints) would reload them.
struct TileWindow {
  int width, height;   // the whole grid
  int x0, x1, y0, y1;  // the window's tiles, in the whole grid's tile numbers
  explicit TileWindow(const RenderPlan& plan)
      : width(plan.width),
        height(plan.height),
        x0(plan.window_tile_x0),
        x1(plan.window_tile_x0 + plan.window_tiles_x - 1),
        y0(plan.window_tile_y0),
        y1(plan.window_tile_y0 + plan.window_tiles_y - 1) {}
};

// kWindow false: the window is the whole grid, whose tiles need no clipping (the whole render's
// binning stays as it was before windows, clamps cost it a few percent).
template <bool kWindow>
[[gnu::always_inline]] inline TileRange tilesOf(const PackedKernel& k, const TileWindow& w) {
  const Span rows = regionRows(k, w.height), cols = regionColumnsBox(k, w.width);
  const int j0 = std::max(rows.lo, 0), j1 = std::min(rows.hi, w.height - 1);
  const int i0 = std::max(cols.lo, 0), i1 = std::min(cols.hi, w.width - 1);
  if (j0 > j1 || i0 > i1) return {0, -1, 0, -1};
  if constexpr (!kWindow)
    return {i0 / kTileWidth, i1 / kTileWidth, j0 / kTileHeight, j1 / kTileHeight};
  return {std::max(i0 / kTileWidth, w.x0) - w.x0, std::min(i1 / kTileWidth, w.x1) - w.x0,
          std::max(j0 / kTileHeight, w.y0) - w.y0, std::min(j1 / kTileHeight, w.y1) - w.y0};
}

// Turns counts per (chunk, tile) into where each chunk's entries for each tile begin, in the
// order tile by tile, chunk by chunk; `tile_start` (tiles + 1 entries) gets each tile's start.
std::uint64_t startSlots(std::vector<std::uint32_t>& slots, int chunks, int tiles,
                         std::uint32_t* tile_start = nullptr) {
  std::uint64_t total = 0;
  for (int t = 0; t < tiles; ++t) {
    if (tile_start) tile_start[t] = std::uint32_t(total);
    for (int chunk = 0; chunk < chunks; ++chunk) {
      std::uint32_t& slot = slots[std::size_t(chunk) * tiles + t];
      const std::uint32_t count = slot;
      slot = std::uint32_t(total);
      total += count;
    }
  }
  if (tile_start) tile_start[tiles] = std::uint32_t(std::min<std::uint64_t>(total, 0xffffffffu));
  return total;
}

// Samples inside the bounding boxes of kernels [first, end), clipped to the window.
[[gnu::always_inline]] inline double boxSamples(const RenderPlan& plan, std::size_t first,
                                                std::size_t end) {
  const SampleWindow win = plan.window;
  double total = 0;
  for (std::size_t p = first; p < end; ++p) {
    const Span rows = regionRows(plan.kernels[p], plan.height);
    const Span cols = regionColumnsBox(plan.kernels[p], plan.width);
    const int h = std::min(rows.hi, win.j0 + win.height - 1) - std::max(rows.lo, win.j0) + 1;
    const int w = std::min(cols.hi, win.i0 + win.width - 1) - std::max(cols.lo, win.i0) + 1;
    if (h > 0 && w > 0) total += double(h) * w;
  }
  return total;
}

static_assert(kMaxSide / kTileWidth <= 256 && kMaxSide / kTileHeight <= 256,
              "tile ranges are kept in a byte per coordinate");

int chunkCount(std::size_t n) {
  return int((n + kKernelsPerChunk - 1) / kKernelsPerChunk);
}

// Max without cutoff: per row of [row0, row1], the columns inside the region of every one of
// `kernels` (which must be all of the scene's), at index j - row0.
std::vector<Span> coveredByAll(const std::vector<PackedKernel>& kernels, const RenderPlan& plan,
                               int row0, int row1) {
  std::vector<Span> covered(std::size_t(row1 - row0 + 1));
  if (kernels.empty()) return covered;
  Span rows{row0, row1};
  for (const PackedKernel& k : kernels) {
    const Span r = regionRows(k, plan.height);
    rows = {std::max(rows.lo, r.lo), std::min(rows.hi, r.hi)};
    if (rows.empty()) return covered;
  }
  for (int j = rows.lo; j <= rows.hi; ++j) {
    Span all{0, plan.width - 1};
    for (const PackedKernel& k : kernels) {
      const Span s = regionSpan(k, plan, j);
      all = {std::max(all.lo, s.lo), std::min(all.hi, s.hi)};
      if (all.empty()) break;
    }
    covered[std::size_t(j - row0)] = all;
  }
  return covered;
}

// The whole grid: every kernel, sorted by a stable counting sort over the grid's cells (see
// buildPlan), packed straight into plan.kernels.
void sortAllKernels(const Scene& scene, const IndexSpace& space, ThreadPool& pool,
                    RenderPlan& plan) {
  // Sort by the tile holding the centre, and within it by a 32 x 32 cell: the kernels a tile
  // reads lie together in memory, so a million of them stream through the cache, and
  // consecutive kernels overlap, so their rows of the accumulator are still in L1. The scene is
  // read in order and each chunk writes one slot per cell, so both sides stream too. Chunks are
  // 4 times larger here: there are 16 cells per tile.
  const std::size_t n = scene.kernels.size();
  const int cells = plan.tiles_x * plan.tiles_y * kCellsPerTile;
  const int sort_chunks = int((n + kSortChunk - 1) / kSortChunk);
  std::vector<std::uint32_t>& slots = plan.slots;
  slots.assign(std::size_t(std::max(sort_chunks * cells, chunkCount(n) * plan.tileCount())), 0);
  std::vector<std::uint32_t>& home = plan.home_tiles;
  reserveOnHugePages(home, n);
  home.resize(n);
  pool.run(sort_chunks, [&](int chunk, int) {
    std::uint32_t* count = slots.data() + std::size_t(chunk) * cells;
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kSortChunk);
    for (std::size_t k = std::size_t(chunk) * kSortChunk; k < end; ++k) {
      const Kernel& kernel = scene.kernels[k];
      home[k] = homeCell(space.grid().toIndexX(kernel.x), space.grid().toIndexY(kernel.y), plan);
      ++count[home[k]];
    }
  });
  startSlots(slots, sort_chunks, cells);
  reserveOnHugePages(plan.kernels, n);
  plan.kernels.resize(n);
  pool.run(sort_chunks, [&](int chunk, int) {
    std::uint32_t* slot = slots.data() + std::size_t(chunk) * cells;
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kSortChunk);
    Packer packer(space, plan);
    for (std::size_t k = std::size_t(chunk) * kSortChunk; k < end; ++k)
      plan.kernels[slot[home[k]]++] = packer.pack(scene.kernels[k]);
  });
}

// A window: every kernel packed (for covered_by_all, which needs them all), then those whose
// box touches the window's tiles sorted by (cell, scene index), the order the counting sort
// gives, by a comparison sort: a counting sort would need the whole grid's cells.
void sortWindowKernels(const Scene& scene, const IndexSpace& space, ThreadPool& pool,
                       RenderPlan& plan) {
  const std::size_t n = scene.kernels.size();
  if (n > 0xffffffffu) throw std::length_error("too many kernels for a window's sort keys");
  std::vector<PackedKernel>& all = plan.all_kernels;
  reserveOnHugePages(all, n);
  all.resize(n);
  std::vector<std::uint64_t>& keys = plan.sort_keys;
  keys.resize(n);
  constexpr std::uint64_t kCulled = ~std::uint64_t{0};
  pool.run(chunkCount(n), [&](int chunk, int) {
    Packer packer(space, plan);
    const TileWindow window(plan);
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk);
    for (std::size_t k = std::size_t(chunk) * kKernelsPerChunk; k < end; ++k) {
      all[k] = packer.pack(scene.kernels[k]);
      keys[k] = tilesOf<true>(all[k], window).empty()
                    ? kCulled
                    : std::uint64_t(homeCell(all[k].ci, all[k].cj, plan)) << 32 | k;
    }
  });
  keys.erase(std::remove(keys.begin(), keys.end(), kCulled), keys.end());
  std::sort(keys.begin(), keys.end());
  const std::size_t m = keys.size();
  plan.kernels.resize(m);
  pool.run(chunkCount(m), [&](int chunk, int) {
    const std::size_t end = std::min(m, std::size_t(chunk + 1) * kKernelsPerChunk);
    for (std::size_t p = std::size_t(chunk) * kKernelsPerChunk; p < end; ++p)
      plan.kernels[p] = all[keys[p] & 0xffffffffu];
  });
}

}  // namespace

std::size_t RenderPlan::bytes() const {
  return (kernels.capacity() + all_kernels.capacity()) * sizeof(PackedKernel) +
         sort_keys.capacity() * sizeof(std::uint64_t) + covered_by_all.capacity() * sizeof(Span) +
         (bin_start.capacity() + bin_entries.capacity() + home_tiles.capacity() +
          slots.capacity()) *
             sizeof(std::uint32_t);
}

void buildPlan(const Scene& scene, const SampleWindow& window, ThreadPool& pool, RenderPlan& plan) {
  const SampleGrid grid = scene.grid();
  plan.width = grid.width();
  plan.height = grid.height();
  plan.tiles_x = (plan.width + kTileWidth - 1) / kTileWidth;
  plan.tiles_y = (plan.height + kTileHeight - 1) / kTileHeight;
  plan.window = window;
  plan.window_tile_x0 = window.i0 / kTileWidth;
  plan.window_tile_y0 = window.j0 / kTileHeight;
  plan.window_tiles_x = (window.i0 + window.width - 1) / kTileWidth - plan.window_tile_x0 + 1;
  plan.window_tiles_y = (window.j0 + window.height - 1) / kTileHeight - plan.window_tile_y0 + 1;
  plan.combine = scene.combine;
  plan.normalize = scene.normalize;
  plan.m2_limit = contractM2(scene.cutoff);
  plan.box_regions = scene.normalize == Normalize::Cell && !scene.cutoff;
  plan.exact_spans = scene.cutoff.has_value() || scene.combine == Combine::Max;
  plan.tails_count_as_zero = scene.combine == Combine::Max && !scene.cutoff;
  const IndexSpace space(grid, scene.normalize, scene.cutoff);
  // 1. Sort by the whole grid's cells (see sortAllKernels).
  if (plan.wholeGrid())
    sortAllKernels(scene, space, pool, plan);
  else
    sortWindowKernels(scene, space, pool, plan);
  const int tiles = plan.tileCount();
  const std::size_t n = plan.kernels.size();
  const int chunks = chunkCount(n);
  std::vector<std::uint32_t>& slots = plan.slots;
  if (slots.size() < std::size_t(chunks) * tiles) slots.resize(std::size_t(chunks) * tiles);

  // 2. Bin by the tiles each bounding box touches: count per (chunk, tile), then every chunk
  //    fills its own slots, so each bin lists its kernels in ascending order. The first pass
  //    keeps each kernel's tiles, in a byte each (at most 256 tiles a side), where the sort kept
  //    its cells.
  std::fill(slots.begin(), slots.begin() + std::size_t(chunks) * tiles, 0);
  std::vector<std::uint32_t>& ranges = plan.home_tiles;
  ranges.resize(n);
  std::vector<double> box_samples(std::size_t(chunks), 0.0);
  auto countChunk = [&]<bool kWindow>(int chunk) {
    std::uint32_t* count = slots.data() + std::size_t(chunk) * tiles;
    const TileWindow window(plan);
    const int tiles_across = plan.window_tiles_x;
    box_samples[std::size_t(chunk)] =
        boxSamples(plan, std::size_t(chunk) * kKernelsPerChunk,
                   std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk));
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk);
    for (std::size_t p = std::size_t(chunk) * kKernelsPerChunk; p < end; ++p) {
      const TileRange r = tilesOf<kWindow>(plan.kernels[p], window);
      ranges[p] = r.empty() ? 0x000000ffu
                            : std::uint32_t(r.tx0) | std::uint32_t(r.tx1) << 8 |
                                  std::uint32_t(r.ty0) << 16 | std::uint32_t(r.ty1) << 24;
      for (int ty = r.ty0; ty <= r.ty1; ++ty)
        for (int tx = r.tx0; tx <= r.tx1; ++tx) ++count[ty * tiles_across + tx];
    }
  };
  const bool whole = plan.wholeGrid();
  pool.run(chunks, [&](int chunk, int) {
    if (whole)
      countChunk.template operator()<false>(chunk);
    else
      countChunk.template operator()<true>(chunk);
  });
  plan.box_samples = 0;
  for (double b : box_samples) plan.box_samples += b;
  plan.bin_start.assign(std::size_t(tiles) + 1, 0);
  const std::uint64_t total = startSlots(slots, chunks, tiles, plan.bin_start.data());
  if (total > 0xffffffffu) throw std::length_error("too many kernel-tile pairs");
  reserveOnHugePages(plan.bin_entries, total);
  plan.bin_entries.resize(total);
  pool.run(chunks, [&](int chunk, int) {
    std::uint32_t* slot = slots.data() + std::size_t(chunk) * tiles;
    const std::size_t end = std::min(n, std::size_t(chunk + 1) * kKernelsPerChunk);
    for (std::size_t p = std::size_t(chunk) * kKernelsPerChunk; p < end; ++p) {
      const std::uint32_t r = ranges[p];
      for (int ty = int(r >> 16 & 0xff); ty <= int(r >> 24); ++ty)
        for (int tx = int(r & 0xff); tx <= int(r >> 8 & 0xff); ++tx)
          plan.bin_entries[slot[ty * plan.window_tiles_x + tx]++] = std::uint32_t(p);
    }
  });

  // The rows of the window's tiles; from every kernel, also those a window's plan left out.
  plan.covered_row0 = plan.window_tile_y0 * kTileHeight;
  plan.covered_by_all.clear();
  if (plan.tails_count_as_zero)
    plan.covered_by_all = coveredByAll(
        plan.wholeGrid() ? plan.kernels : plan.all_kernels, plan, plan.covered_row0,
        std::min(plan.height, (plan.window_tile_y0 + plan.window_tiles_y) * kTileHeight) - 1);
}

}  // namespace gaussmap::cpu
