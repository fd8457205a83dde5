#include "cpu/cpu_renderer.h"

#include <chrono>
#include <string>

#include "core/huge_pages.h"
#include "core/interrupt.h"
#include "cpu/render_plan.h"
#include "cpu/thread_pool.h"
#include "cpu/tile_renderer.h"
#include "gaussmap/errors.h"

namespace gaussmap::cpu {
namespace {

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// Work below which one thread finishes before a second one would have woken up and paid for
// itself (about 50 us on the development machine), in samples written plus samples evaluated;
// union and cell cost about 4 times as much per evaluation (a log, erfc differences).
constexpr double kWorthASecondThread = 600000;

double estimatedWork(const RenderPlan& plan) {
  const double per_evaluation =
      plan.combine == Combine::Union || plan.normalize == Normalize::Cell ? 4.0 : 1.0;
  return double(plan.window.width) * plan.window.height + per_evaluation * plan.box_samples;
}

}  // namespace

CpuRenderer::CpuRenderer(int threads) : pool_(std::make_unique<ThreadPool>(threads)) {
  scratch_.resize(std::size_t(pool_->size()));
}

CpuRenderer::~CpuRenderer() = default;

int CpuRenderer::threads() const {
  return pool_->size();
}

FloatImage CpuRenderer::render(const Scene& scene) {
  return renderWindow(scene, wholeGrid(scene));
}

FloatImage CpuRenderer::renderWindow(const Scene& scene, const SampleWindow& window) {
  validateWindow(scene, window);
  FloatImage out;
  out.width = window.width;
  out.height = window.height;
  reserveOnHugePages(out.pixels, std::size_t(window.width) * std::size_t(window.height));
  out.pixels.resize(std::size_t(window.width) * std::size_t(window.height));
  renderWindowInto(scene, window, out.pixels);
  return out;
}

void CpuRenderer::renderWindowInto(const Scene& scene, const SampleWindow& window,
                                   std::span<float> out) {
  validateWindow(scene, window);
  if (out.size() != std::size_t(window.width) * std::size_t(window.height))
    throw RuntimeError("cpu: the output holds " + std::to_string(out.size()) +
                       " samples where the window has " +
                       std::to_string(std::size_t(window.width) * std::size_t(window.height)));
  stats_ = CpuRenderStats{};
  auto start = std::chrono::steady_clock::now();
  buildPlan(scene, window, *pool_, plan_);
  const RenderPlan& plan = plan_;
  stats_.plan_ms = millisecondsSince(start);

  start = std::chrono::steady_clock::now();
  const bool small = estimatedWork(plan) < kWorthASecondThread;
  stats_.threads = small ? 1 : std::min(pool_->size(), plan.tileCount());
  pool_->run(
      plan.tileCount(),
      [&](int tile, int thread) {
        // Tiles are the checkpoints: a stop request ends the render within one tile.
        reportProgress("cpu render", tile, plan.tileCount());
        renderTile(plan, tile, scratch_[std::size_t(thread)], out.data());
      },
      stats_.threads);
  stats_.tiles_ms = millisecondsSince(start);
  stats_.tiles = plan.tileCount();
  stats_.kernel_tiles = plan.kernelTilePairs();
  stats_.working_bytes = plan.bytes() + scratch_.size() * TileScratch::bytes();
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
