#include "gl/gl_backend.h"

#include "core/errors.h"

namespace gaussmap::gl {

GlRendererAdapter::GlRendererAdapter(Context& context, HeatmapRenderer& renderer, GlPath path)
    : context_(context), renderer_(renderer), path_(path) {}

std::string GlRendererAdapter::cannotRender(const Scene& scene) const {
  return targetSizeProblem(context_.caps(), scene.width, scene.height);
}

FloatImage GlRendererAdapter::render(const Scene& scene) {
  if (const std::string problem = cannotRender(scene); !problem.empty())
    throw RuntimeError(problem + "; --backend cpu renders it");
  context_.makeCurrent();
  renderer_.render(scene, path_);
  last_size_ = {scene.width, scene.height};
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

}  // namespace

std::unique_ptr<Renderer> createHeadlessGlRenderer(GlPath path) {
  std::unique_ptr<Context> context = createHeadlessContext();
  return std::make_unique<HeadlessGlRenderer>(std::move(context), path);
}

}  // namespace gaussmap::gl
