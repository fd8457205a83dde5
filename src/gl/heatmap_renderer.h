#pragma once
// The heat-map renderer on OpenGL: kernels evaluated per pixel (loop path: a uniform buffer and
// one full-screen pass per chunk) or per footprint (one instanced quad per kernel), blended into
// an R32F accumulator and resolved into values; then an optional GPU colormap pass.
// No OpenGL types in this header: the viewer holds one without including the loader.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/renderer.h"
#include "gaussmap/colormap.h"
#include "gaussmap/image.h"
#include "gaussmap/scene.h"
#include "gl/context.h"

namespace gaussmap::gl {

struct GlRenderStats {
  GlPath path = GlPath::Loop;  // the path used (never Auto)
  std::string reason;          // why: requested by the caller, or the work estimate
  int kernels_drawn = 0;       // kernels whose footprint touches the rendered window
  int passes = 0;              // loop path: chunks of the uniform block
  // GPU time from GL_TIME_ELAPSED queries, in ms; negative when not measured.
  double gpu_upload_ms = -1;
  double gpu_render_ms = -1;
  double gpu_readback_ms = -1;
};

// `--gl-path auto`'s rule: the path with the smaller predicted time, from a cost model whose
// coefficients were fitted to timings of both paths (`gaussmap bench --backend gl-loop
// --backend gl-footprint`) over 47 scenes of 1 to 1,000 kernels, sigmas 2 to 150 samples, grids
// of 16x16 to 1280x720, on llvmpipe (docs/performance.md, "Choosing the GL path"): the footprint
// path was the faster in all 47 there. No GPU has been measured yet; refit on one.
struct PathEstimate {
  double loop_ms = 0;       // predicted: per pass, per sample, per kernel and sample
  double footprint_ms = 0;  // predicted: fixed, per sample, per footprint sample, per kernel
  GlPath choice = GlPath::Footprint;
  std::string reason;  // states the rule and both predictions
};
// `footprint_area`: the samples inside the kernels' footprints, summed (PackedScene);
// `loop_passes`: the loop path's passes (kernels / LoopPath::kernelsPerPass, rounded up).
PathEstimate estimatePaths(double samples, double kernels, double footprint_area,
                           double loop_passes);

class HeatmapRenderer {
 public:
  // The context must be current whenever a member is called.
  explicit HeatmapRenderer(Context& context);
  ~HeatmapRenderer();
  HeatmapRenderer(const HeatmapRenderer&) = delete;
  HeatmapRenderer& operator=(const HeatmapRenderer&) = delete;

  // Renders the scene's values into the value texture (scene.width x scene.height).
  void render(const Scene& scene, GlPath path);
  // Renders `window` of the scene's grid (validateWindow) into a window.width x window.height
  // value texture: the whole render's samples there, within the GL paths' tolerance.
  void render(const Scene& scene, GlPath path, const SampleWindow& window);
  // The values of the last render, row j = y_j.
  FloatImage readValues();
  // Colours of the last render through the GPU colormap pass (same mapping as applyColormap).
  RgbImage colorize(const ValueMapping& mapping, const Colormap& map, Origin origin);
  // Makes `values` (rendered elsewhere, e.g. on the cpu backend) the last render's values, as
  // render() would have left them: colorize and colorizeToTexture then colour them on the GPU.
  void uploadValues(const FloatImage& values);
  // Colours the last render's values (as colorizeToTexture, origin upper) into the bound draw
  // framebuffer (the window's) at window pixels [left, left + width) x [top, top + height) of a
  // framebuffer `framebuffer_height` pixels high. At the values' own size this is the colormap
  // pass drawn in place: one pass over the canvas, where colouring into a texture and then
  // copying or drawing that costs two on a software rasterizer (11 ns a pixel each on llvmpipe
  // here). Scaled (a canvas beyond the context's largest target): colours, then a scaled copy.
  void drawColours(const ValueMapping& mapping, const Colormap& map, int left, int top, int width,
                   int height, int framebuffer_height);
  const GlRenderStats& stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace gaussmap::gl
