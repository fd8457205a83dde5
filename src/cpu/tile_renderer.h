#pragma once
// The SIMD part of the CPU renderer: one tile's samples from its bin of kernels. Compiled once
// per instruction set (Highway's foreach_target) and picked at run time, so one binary uses
// AVX-512, AVX2 or SSE4 as the machine allows.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cpu/render_plan.h"

namespace gaussmap::cpu {

// One thread's working memory: the tile's accumulator and a kernel's factors, 64-byte aligned.
class TileScratch {
 public:
  TileScratch();
  ~TileScratch();
  TileScratch(TileScratch&&) noexcept;
  TileScratch& operator=(TileScratch&&) noexcept;

  float* accumulator() const { return accumulator_; }  // kTileHeight rows of kTileWidth
  float* columns() const { return columns_; }          // kTileWidth + 64 factors
  float* rows() const { return rows_; }                // kTileHeight + 64 factors
  float* spans() const { return spans_; }              // 2 x (kTileHeight + 64) row bounds
  static std::size_t bytes();

 private:
  void* memory_ = nullptr;
  float* accumulator_ = nullptr;
  float* columns_ = nullptr;
  float* rows_ = nullptr;
  float* spans_ = nullptr;
};

// Renders tile `tile` of the plan (numbered row by row over the window's tiles) into `image`
// (plan.window.width x plan.window.height, row-major), writing exactly the samples that tile
// shares with the window.
void renderTile(const RenderPlan& plan, int tile, const TileScratch& scratch, float* image);

// The instruction set that renderTile runs on here (e.g. "AVX3", "AVX2", "SSE4").
std::string simdTargetName();
// Every instruction set compiled into this binary, and whether this machine supports it.
struct SimdTarget {
  std::string name;
  bool supported = false;
};
std::vector<SimdTarget> compiledSimdTargets();

}  // namespace gaussmap::cpu
