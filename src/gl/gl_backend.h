#pragma once
// The OpenGL renderer behind the Renderer interface, on its own headless (EGL) context.
#include <functional>
#include <memory>
#include <string>

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
  // A window renders into a target of the window's size (the context's limits apply to that),
  // with the whole grid's sample positions: the whole render's crop within the GL tolerance.
  FloatImage renderWindow(const Scene& scene, const SampleWindow& window) override;
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
// The same on a headless context already made (by createHeadlessContext).
std::unique_ptr<Renderer> createHeadlessGlRenderer(std::unique_ptr<Context> context, GlPath path);

// `gl` while the render target (the scene, or the window asked for) fits its context's limits
// (GL_MAX_TEXTURE_SIZE, GL_MAX_VIEWPORT_DIMS), else the renderer `make_fallback` makes (once, on
// first need), after calling `notice` with why: a 32768x1 scene is valid, and some contexts stop
// at 16384.
std::unique_ptr<Renderer> withFallbackBeyondLimits(
    std::unique_ptr<Renderer> gl, std::function<std::unique_ptr<Renderer>()> make_fallback,
    std::function<void(const std::string&)> notice);

// `--backend auto`'s rule. On a software rasterizer (llvmpipe: Mesa's OpenGL on the CPU) the cpu
// backend is 7 to 30 times faster than GL (docs/performance.md), so GL is taken only on a
// hardware GPU. Decided from the EGL devices, before paying for a context; where they cannot be
// enumerated, from the GL_RENDERER of a context made to find out (`gl_renderer`).
struct AutoBackendChoice {
  enum Kind { Gl, Cpu, AskContext } kind = AskContext;
  std::string reason;  // one clause, for the stderr notice and --stats
};
AutoBackendChoice chooseAutoBackend(const EglDeviceSurvey& survey,
                                    const std::string* gl_renderer = nullptr);

}  // namespace gaussmap::gl
