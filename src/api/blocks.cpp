// kernelsByBlock (include/gaussmap/render.h): which kernels each block of a cut grid needs, so
// that tiles and Dask blocks render only those.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "api/reach.h"
#include "core/index_kernel.h"
#include "gaussmap/errors.h"
#include "gaussmap/render.h"

namespace gaussmap {
namespace {

void checkEdges(std::span<const int> edges, int size, const char* what) {
  if (edges.size() < 2 || edges.front() != 0 || edges.back() != size)
    throw InputError(std::string(what) + ": must run from 0 to " + std::to_string(size) +
                     " (the grid's size) with at least two edges");
  for (std::size_t k = 1; k < edges.size(); ++k)
    if (edges[k] <= edges[k - 1])
      throw InputError(std::string(what) + "[" + std::to_string(k) + "]: must be greater than " +
                       std::to_string(edges[k - 1]) + " (got " + std::to_string(edges[k]) + ")");
}

// The blocks [first, last] whose samples [edge_b, edge_{b+1}) meet [lo, hi].
std::pair<int, int> blocksMeeting(std::span<const int> edges, double lo, double hi) {
  const int blocks = int(edges.size()) - 1;
  const auto after = [&](double v) {  // index of the block holding sample position v, clamped
    if (!(v >= 0)) return 0;
    if (v >= double(edges.back())) return blocks - 1;
    return int(std::upper_bound(edges.begin(), edges.end(), int(std::floor(v))) - edges.begin()) -
           1;
  };
  if (hi < 0 || lo > double(edges.back() - 1)) return {1, 0};  // misses the grid
  return {after(lo), after(hi)};
}

}  // namespace

std::vector<std::vector<std::uint32_t>> kernelsByBlock(const Scene& scene,
                                                       std::span<const int> column_edges,
                                                       std::span<const int> row_edges) {
  validateScene(scene, GridLimit::Windows);
  checkEdges(column_edges, scene.width, "column_edges");
  checkEdges(row_edges, scene.height, "row_edges");
  if (scene.kernels.size() > 0xffffffffu)
    throw InputError("kernels: at most 2^32 - 1 kernels can be cut into blocks");
  const int across = int(column_edges.size()) - 1, down = int(row_edges.size()) - 1;
  std::vector<std::vector<std::uint32_t>> blocks(std::size_t(across) * std::size_t(down));
  const bool everywhere = scene.combine == Combine::Max && !scene.cutoff &&
                          std::any_of(scene.kernels.begin(), scene.kernels.end(),
                                      [](const Kernel& k) { return k.weight < 0; });
  const IndexSpace space(scene);
  for (std::size_t index = 0; index < scene.kernels.size(); ++index) {
    std::pair<int, int> cols{0, across - 1}, rows{0, down - 1};
    if (!everywhere) {
      const IndexKernel k = space.kernel(scene.kernels[index]);
      const api::SampleReach reach =
          api::sampleReach(std::sqrt(k.cxx), std::sqrt(k.cyy), scene.cutoff);
      cols = blocksMeeting(column_edges, k.ci - reach.half_i, k.ci + reach.half_i);
      rows = blocksMeeting(row_edges, k.cj - reach.half_j, k.cj + reach.half_j);
    }
    for (int bj = rows.first; bj <= rows.second; ++bj)
      for (int bi = cols.first; bi <= cols.second; ++bi)
        blocks[std::size_t(bj) * std::size_t(across) + std::size_t(bi)].push_back(
            std::uint32_t(index));
  }
  return blocks;
}

}  // namespace gaussmap
