#include "gl/gl_backend.h"

#include <utility>

#include "gaussmap/errors.h"

namespace gaussmap::gl {

GlRendererAdapter::GlRendererAdapter(Context& context, HeatmapRenderer& renderer, GlPath path)
    : context_(context), renderer_(renderer), path_(path) {}

std::string GlRendererAdapter::cannotRender(const Scene& scene) const {
  return targetSizeProblem(context_.caps(), scene.width, scene.height);
}

FloatImage GlRendererAdapter::render(const Scene& scene) {
  return renderWindow(scene, wholeGrid(scene));
}

FloatImage GlRendererAdapter::renderWindow(const Scene& scene, const SampleWindow& window) {
  validateWindow(scene, window);
  const std::string problem = targetSizeProblem(context_.caps(), window.width, window.height);
  if (!problem.empty()) throw RuntimeError(problem + "; --backend cpu renders it");
  context_.makeCurrent();
  renderer_.render(scene, path_, window);
  last_size_ = {window.width, window.height};
  return renderer_.readValues();
}

// Colours the texture of the last render, which is what `values` was read from.
RgbImage GlRendererAdapter::colorize(const FloatImage& values, const ValueMapping& mapping,
                                     const Colormap& map, Origin origin) {
  if (std::pair{values.width, values.height} != last_size_)
    return Renderer::colorize(values, mapping, map, origin);
  context_.makeCurrent();
  return renderer_.colorize(mapping, map, origin);
}

nlohmann::ordered_json GlRendererAdapter::lastStats() const {
  const GlRenderStats& s = renderer_.stats();
  nlohmann::ordered_json out;
  out["gl_path"] = toString(s.path);
  out["gl_path_reason"] = s.reason;
  out["gl_passes"] = s.passes;
  out["gl_kernels_drawn"] = s.kernels_drawn;
  out["gl_context"] = context_.description();
  // GL_TIME_ELAPSED figures; absent where the context has no timer queries.
  if (s.gpu_upload_ms >= 0) out["gpu_upload_ms"] = s.gpu_upload_ms;
  if (s.gpu_render_ms >= 0) out["gpu_render_ms"] = s.gpu_render_ms;
  if (s.gpu_readback_ms >= 0) out["gpu_readback_ms"] = s.gpu_readback_ms;
  return out;
}

namespace {

// A headless context and a renderer of its own, behind the adapter.
class HeadlessGlRenderer : public Renderer {
 public:
  HeadlessGlRenderer(std::unique_ptr<Context> context, GlPath path)
      : context_(std::move(context)), renderer_(*context_), adapter_(*context_, renderer_, path) {}
  std::string name() const override { return adapter_.name(); }
  FloatImage render(const Scene& scene) override { return adapter_.render(scene); }
  FloatImage renderWindow(const Scene& scene, const SampleWindow& window) override {
    return adapter_.renderWindow(scene, window);
  }
  RgbImage colorize(const FloatImage& values, const ValueMapping& mapping, const Colormap& map,
                    Origin origin) override {
    return adapter_.colorize(values, mapping, map, origin);
  }
  nlohmann::ordered_json lastStats() const override { return adapter_.lastStats(); }
  std::string cannotRender(const Scene& scene) const override {
    return adapter_.cannotRender(scene);
  }

 private:
  std::unique_ptr<Context> context_;
  HeatmapRenderer renderer_;
  GlRendererAdapter adapter_;
};

class FallbackRenderer : public Renderer {
 public:
  FallbackRenderer(std::unique_ptr<Renderer> gl,
                   std::function<std::unique_ptr<Renderer>()> make_fallback,
                   std::function<void(const std::string&)> notice)
      : gl_(std::move(gl)), make_fallback_(std::move(make_fallback)), notice_(std::move(notice)) {}
  std::string name() const override { return current().name(); }
  FloatImage render(const Scene& scene) override { return renderWindow(scene, wholeGrid(scene)); }
  FloatImage renderWindow(const Scene& scene, const SampleWindow& window) override {
    validateWindow(scene, window);
    // GL's limits are those of its render target, which is the window: a scene of its size
    // (no kernels) asks about just that.
    Scene target;
    target.width = window.width;
    target.height = window.height;
    const std::string problem = gl_->cannotRender(target);
    use_fallback_ = !problem.empty();
    if (use_fallback_ && !fallback_) {
      if (notice_) notice_(problem);
      fallback_ = make_fallback_();
    }
    return current().renderWindow(scene, window);
  }
  RgbImage colorize(const FloatImage& values, const ValueMapping& mapping, const Colormap& map,
                    Origin origin) override {
    return current().colorize(values, mapping, map, origin);
  }
  nlohmann::ordered_json lastStats() const override { return current().lastStats(); }

 private:
  Renderer& current() const { return use_fallback_ ? *fallback_ : *gl_; }

  std::unique_ptr<Renderer> gl_;
  std::function<std::unique_ptr<Renderer>()> make_fallback_;
  std::function<void(const std::string&)> notice_;
  std::unique_ptr<Renderer> fallback_;
  bool use_fallback_ = false;
};

}  // namespace

std::unique_ptr<Renderer> withFallbackBeyondLimits(
    std::unique_ptr<Renderer> gl, std::function<std::unique_ptr<Renderer>()> make_fallback,
    std::function<void(const std::string&)> notice) {
  return std::make_unique<FallbackRenderer>(std::move(gl), std::move(make_fallback),
                                            std::move(notice));
}

AutoBackendChoice chooseAutoBackend(const EglDeviceSurvey& survey, const std::string* gl_renderer) {
  AutoBackendChoice choice;
  if (gl_renderer) {
    const bool software = isSoftwareRenderer(*gl_renderer);
    choice.kind = software ? AutoBackendChoice::Cpu : AutoBackendChoice::Gl;
    choice.reason = software ? "OpenGL is a software rasterizer here (" + *gl_renderer +
                                   "), where the cpu backend is faster"
                             : "OpenGL runs on a GPU here (" + *gl_renderer + ")";
    return choice;
  }
  if (!survey.enumerated) {
    choice.kind = AutoBackendChoice::AskContext;
    choice.reason = "the EGL devices cannot be listed; a context's GL_RENDERER decides";
  } else if (survey.hardware > 0) {
    choice.kind = AutoBackendChoice::Gl;
    choice.reason = "a hardware GPU is available (" + survey.summary + ")";
  } else {
    choice.kind = AutoBackendChoice::Cpu;
    choice.reason =
        "OpenGL here could only be a software rasterizer, where the cpu backend is "
        "faster (" +
        survey.summary + ")";
  }
  return choice;
}

std::unique_ptr<Renderer> createHeadlessGlRenderer(GlPath path) {
  return createHeadlessGlRenderer(createHeadlessContext(), path);
}

std::unique_ptr<Renderer> createHeadlessGlRenderer(std::unique_ptr<Context> context, GlPath path) {
  return std::make_unique<HeadlessGlRenderer>(std::move(context), path);
}

}  // namespace gaussmap::gl
