#pragma once
// The OpenGL renderer behind the Renderer interface, on its own headless (EGL) context.
#include <memory>

#include "core/renderer.h"
#include "gl/heatmap_renderer.h"

namespace gaussmap::gl {

// A HeatmapRenderer (on a context someone else owns, e.g. the viewer's window) behind the
// Renderer interface, so recordings and exports go through the same code as the CLI.
class GlRendererAdapter : public Renderer {
 public:
  GlRendererAdapter(Context& context, HeatmapRenderer& renderer, GlPath path);
  std::string name() const override { return "gl"; }
  FloatImage render(const Scene& scene) override;
  RgbImage colorize(const FloatImage& values, const ValueMapping& mapping, const Colormap& map,
                    Origin origin) override;
  nlohmann::ordered_json lastStats() const override;
  // The context's render-target limits (GL_MAX_TEXTURE_SIZE, GL_MAX_VIEWPORT_DIMS).
  std::string cannotRender(const Scene& scene) const override;

 private:
  Context& context_;
  HeatmapRenderer& renderer_;
  GlPath path_;
  std::pair<int, int> last_size_{0, 0};
};

// Throws RuntimeError when no OpenGL context can be created (the message names every attempt).
std::unique_ptr<Renderer> createHeadlessGlRenderer(GlPath path);

}  // namespace gaussmap::gl
