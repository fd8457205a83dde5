#pragma once
// The fast CPU renderer (`--backend cpu`): float32, SIMD through Highway with run-time dispatch,
// multithreaded over image tiles. Every sample's sum is taken in a fixed order (the tile's bin
// order), so the result is bit-for-bit the same with 1 thread or with all of them.
#include <memory>
#include <vector>

#include "core/renderer.h"
#include "cpu/render_plan.h"

namespace gaussmap::cpu {

class ThreadPool;
class TileScratch;

struct CpuRenderStats {
  int threads = 0;                // threads that rendered tiles
  int tiles = 0;                  // tiles rendered (those the window touches)
  std::size_t kernel_tiles = 0;   // (kernel, tile) pairs evaluated
  std::size_t working_bytes = 0;  // memory held besides the image: the plan and scratch tiles
  double plan_ms = 0;             // packing and binning the kernels
  double tiles_ms = 0;            // evaluating the tiles into the image
};

class CpuRenderer : public Renderer {
 public:
  // `threads`: 0 = one per hardware thread.
  explicit CpuRenderer(int threads = 0);
  ~CpuRenderer() override;

  std::string name() const override { return "cpu"; }
  FloatImage render(const Scene& scene) override;  // the window that is the whole grid
  // Bit for bit the crop of render(scene), with any thread count (see RenderPlan).
  FloatImage renderWindow(const Scene& scene, const SampleWindow& window) override;
  // Writes the tiles straight into `out` (no image allocated).
  void renderWindowInto(const Scene& scene, const SampleWindow& window,
                        std::span<float> out) override;
  nlohmann::ordered_json lastStats() const override;

  int threads() const;
  const CpuRenderStats& stats() const { return stats_; }

 private:
  std::unique_ptr<ThreadPool> pool_;
  std::vector<TileScratch> scratch_;  // one per thread
  RenderPlan plan_;                   // kept between renders, so its memory is reused
  CpuRenderStats stats_;
};

}  // namespace gaussmap::cpu
