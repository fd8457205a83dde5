#include "cpu/cpu_renderer.h"

#include <chrono>

#include "cpu/render_plan.h"
#include "cpu/thread_pool.h"
#include "cpu/tile_renderer.h"

namespace gaussmap::cpu {
namespace {

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Below this many (kernel, tile) pairs and samples one thread finishes before a second one
// would have woken up (about 20 us on the development machine), so the work stays on the caller.
constexpr std::size_t kSmallKernelTiles = 8;
constexpr std::int64_t kSmallSamples = 65536;

}  // namespace

CpuRenderer::CpuRenderer(int threads) : pool_(std::make_unique<ThreadPool>(threads)) {
  scratch_.resize(std::size_t(pool_->size()));
}

CpuRenderer::~CpuRenderer() = default;

int CpuRenderer::threads() const {
  return pool_->size();
}

FloatImage CpuRenderer::render(const Scene& scene) {
  stats_ = CpuRenderStats{};
  auto start = std::chrono::steady_clock::now();
  const RenderPlan plan = buildPlan(scene, *pool_);
  stats_.plan_ms = millisecondsSince(start);

  start = std::chrono::steady_clock::now();
  FloatImage out(scene.width, scene.height);
  const bool small = plan.kernelTilePairs() <= kSmallKernelTiles &&
                     std::int64_t(scene.width) * scene.height <= kSmallSamples;
  stats_.threads = small ? 1 : std::min(pool_->size(), plan.tileCount());
  pool_->run(
      plan.tileCount(),
      [&](int tile, int thread) {
        renderTile(plan, tile, scratch_[std::size_t(thread)], out.pixels.data());
      },
      stats_.threads);
  stats_.tiles_ms = millisecondsSince(start);
  stats_.tiles = plan.tileCount();
  stats_.kernel_tiles = plan.kernelTilePairs();
  stats_.working_bytes = plan.bytes() + scratch_.size() * TileScratch::bytes();
  return out;
}

nlohmann::ordered_json CpuRenderer::lastStats() const {
  nlohmann::ordered_json out;
  out["cpu_simd"] = simdTargetName();
  out["cpu_threads"] = stats_.threads;
  out["cpu_tiles"] = stats_.tiles;
  out["cpu_kernel_tiles"] = stats_.kernel_tiles;
  out["cpu_working_bytes"] = stats_.working_bytes;
  out["cpu_plan_ms"] = stats_.plan_ms;
  out["cpu_tiles_ms"] = stats_.tiles_ms;
  return out;
}

}  // namespace gaussmap::cpu
