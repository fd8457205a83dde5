#include "gl/gl_backend.h"

#include "core/errors.h"

namespace gaussmap::gl {
namespace {

class GlRenderer : public Renderer {
 public:
  GlRenderer(std::unique_ptr<Context> context, GlPath path)
      : context_(std::move(context)), renderer_(*context_), path_(path) {}

  std::string name() const override { return "gl"; }

  FloatImage render(const Scene& scene) override {
    context_->makeCurrent();
    renderer_.render(scene, path_);
    last_size_ = {scene.width, scene.height};
    return renderer_.readValues();
  }

  // Colours the texture of the last render, which is what `values` was read from.
  RgbImage colorize(const FloatImage& values, const ValueMapping& mapping, const Colormap& map,
                    Origin origin) override {
    if (std::pair{values.width, values.height} != last_size_)
      return Renderer::colorize(values, mapping, map, origin);
    context_->makeCurrent();
    return renderer_.colorize(mapping, map, origin);
  }

  nlohmann::ordered_json lastStats() const override {
    const GlRenderStats& s = renderer_.stats();
    nlohmann::ordered_json out;
    out["gl_path"] = toString(s.path);
    out["gl_path_reason"] = s.reason;
    out["gl_passes"] = s.passes;
    out["gl_kernels_drawn"] = s.kernels_drawn;
    out["gl_context"] = context_->description();
    // GL_TIME_ELAPSED figures; absent where the context has no timer queries.
    if (s.gpu_upload_ms >= 0) out["gpu_upload_ms"] = s.gpu_upload_ms;
    if (s.gpu_render_ms >= 0) out["gpu_render_ms"] = s.gpu_render_ms;
    if (s.gpu_readback_ms >= 0) out["gpu_readback_ms"] = s.gpu_readback_ms;
    return out;
  }

 private:
  std::unique_ptr<Context> context_;
  HeatmapRenderer renderer_;
  GlPath path_;
  std::pair<int, int> last_size_{0, 0};
};

}  // namespace

std::unique_ptr<Renderer> createHeadlessGlRenderer(GlPath path) {
  std::unique_ptr<Context> context = createHeadlessContext();
  return std::make_unique<GlRenderer>(std::move(context), path);
}

}  // namespace gaussmap::gl
