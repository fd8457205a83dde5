#include "gl/heatmap_renderer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <sstream>

#include "core/huge_pages.h"
#include "gaussmap/errors.h"
#include "gl/colormap_pass.h"
#include "gl/footprint_path.h"
#include "gl/gl.h"
#include "gl/kernel_packing.h"
#include "gl/loop_path.h"
#include "gl/render_pass.h"

namespace gaussmap::gl {

PathEstimate estimatePaths(double samples, double kernels, double footprint_area,
                           double loop_passes) {
  // Milliseconds, fitted (least squares on relative error) to llvmpipe's timings; see the header.
  constexpr double kLoopPerPass = 2.1e-3, kLoopPerSample = 9.4e-6, kLoopPerEvaluation = 3.3e-6;
  constexpr double kFootprintFixed = 0.072, kFootprintPerSample = 2.0e-6,
                   kFootprintPerCovered = 1.4e-6, kFootprintPerKernel = 7.6e-4;
  PathEstimate e;
  e.loop_ms = kLoopPerPass * std::max(loop_passes, 1.0) + kLoopPerSample * samples +
              kLoopPerEvaluation * samples * kernels;
  e.footprint_ms = kFootprintFixed + kFootprintPerSample * samples +
                   kFootprintPerCovered * footprint_area + kFootprintPerKernel * kernels;
  e.choice = e.loop_ms < e.footprint_ms ? GlPath::Loop : GlPath::Footprint;
  std::ostringstream s;
  s.precision(3);
  s << "the path predicted faster: loop " << e.loop_ms << " ms, footprint " << e.footprint_ms
    << " ms (a cost model fitted to llvmpipe)";
  e.reason = s.str();
  return e;
}

namespace {

// The window's samples [i0, i1) x [j0, j1) inside every kernel's footprint (empty when one was
// culled: it reaches none of them): outside it some kernel's dropped tail counts as 0 (see
// TAILS_COUNT_AS_ZERO in resolve.frag).
std::array<float, 4> reachedByAll(const Scene& scene, const PackedScene& packed,
                                  const SampleWindow& window) {
  if (packed.kernels.size() < scene.kernels.size()) return {0, 0, 0, 0};
  std::array<float, 4> box = {0, 0, float(window.width), float(window.height)};
  for (const Footprint& f : packed.footprints)
    box = {std::max(box[0], f.i0), std::max(box[1], f.j0), std::min(box[2], f.i1),
           std::min(box[3], f.j1)};
  return box;
}

}  // namespace

// Renders into an R32F accumulator (the loop path directly, the footprint path through its
// blocks), resolves it into values as the combine mode asks, and colours them on request.
struct HeatmapRenderer::Impl {
  explicit Impl(Context& c)
      : context(c),
        loop(c),
        footprint(c),
        colormap(c),
        upload_timer(c.caps().timer_query),
        render_timer(c.caps().timer_query),
        readback_timer(c.caps().timer_query) {
    checkGl(context, "creating the heat-map renderer");
  }

  // What the last render left, and what resolving it needs.
  struct LastRender {
    bool rendered = false;
    bool in_blocks = false;  // the footprint path's blocks, not yet unpacked into `accumulator`
    Combine combine = Combine::Sum;
    std::string defines;                    // resolve.frag's
    std::array<float, 4> reached_by_all{};  // see reachedByAll
    bool tails_count_as_zero = false;
  };

  // The accumulator always; the resolved values only for max and union (sum's accumulator is
  // its values).
  void ensureTargets(int width, int height, bool resolved) {
    if (!accumulator || accumulator->width != width || accumulator->height != height) {
      accumulator.reset();
      values.reset();
      accumulator.emplace(createFloatTarget(context, width, height));
    }
    if (resolved && !values) values.emplace(createFloatTarget(context, width, height));
  }

  // The target holding the last render's values (after unpacking and resolving it).
  const RenderTarget& valueTarget() {
    if (!last.rendered) throw RuntimeError("the values are asked for before any render");
    if (last.in_blocks) {
      last.in_blocks = false;
      footprint.unpackInto(*accumulator, programs, empty_vao);
      resolve();
    }
    return last.combine == Combine::Sum ? *accumulator : *values;
  }

  // The accumulator into values, as the last render's combine mode asks (resolve.frag); sum's
  // accumulator holds its values already.
  void resolve() {
    if (last.combine == Combine::Sum) return;
    glDisable(GL_BLEND);
    glBindFramebuffer(GL_FRAMEBUFFER, values->framebuffer.id());
    glViewport(0, 0, values->width, values->height);
    Program& resolve = programs.get("fullscreen.vert", "resolve.frag", last.defines);
    resolve.use();
    const std::array<float, 4>& box = last.reached_by_all;
    glUniform4f(resolve.uniform("reached_by_all"), box[0], box[1], box[2], box[3]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, accumulator->texture.id());
    glUniform1i(resolve.uniform("accumulator_texture"), 0);
    drawFullscreenTriangle(empty_vao);
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }

  void render(const Scene& scene, GlPath requested, const SampleWindow& window) {
    stats = GlRenderStats{};
    last.rendered = false;
    validateWindow(scene, window);
    // The target is the window, whatever the whole grid's size.
    const std::string too_big = targetSizeProblem(context.caps(), window.width, window.height);
    if (!too_big.empty()) throw RuntimeError(too_big);
    const PackedScene packed = packScene(scene, window);
    const double kernels = double(packed.kernels.size());
    const PathEstimate estimate =
        estimatePaths(double(window.width) * window.height, kernels, packed.footprint_area,
                      std::ceil(kernels / loop.kernelsPerPass()));
    stats.path = requested == GlPath::Auto ? estimate.choice : requested;
    stats.reason = requested == GlPath::Auto ? estimate.reason : "requested by the caller";
    stats.kernels_drawn = int(packed.kernels.size());

    resetSharedState();
    ensureTargets(window.width, window.height, scene.combine != Combine::Sum);
    glBindFramebuffer(GL_FRAMEBUFFER, accumulator->framebuffer.id());
    glViewport(0, 0, window.width, window.height);
    if (stats.path == GlPath::Loop) {  // the footprint path fills the accumulator by unpacking
      const float identity[4] = {accumulatorIdentity(scene.combine), 0, 0, 0};
      glClearBufferfv(GL_COLOR, 0, identity);
    }
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE);
    glBlendEquation(scene.combine == Combine::Max ? GL_MAX : GL_FUNC_ADD);

    last.combine = scene.combine;
    last.defines = combineDefines(scene);
    last.reached_by_all = reachedByAll(scene, packed, window);
    last.tails_count_as_zero = scene.combine == Combine::Max && !scene.cutoff;
    try {
      if (stats.path == GlPath::Loop) {
        stats.passes = loop.draw(scene, packed, programs, empty_vao, upload_timer, render_timer);
        resolve();
      } else {
        footprint.draw(scene, packed, window.width, window.height, programs, upload_timer,
                       render_timer);
        stats.passes = 1;
      }
    } catch (...) {
      // Stopped between passes (an interrupt): one GL_TIME_ELAPSED query may be active at a
      // time, so the next render could not start its own.
      render_timer.end();
      glBindVertexArray(0);
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      throw;
    }
    render_timer.end();
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    checkGl(context,
            std::string("rendering through the ") + std::string(toString(stats.path)) + " path");
    last.rendered = true;
    last.in_blocks = stats.path == GlPath::Footprint;
    stats.gpu_upload_ms = upload_timer.milliseconds();
    stats.gpu_render_ms = render_timer.milliseconds();
  }

  FloatImage readValues() {
    if (!last.rendered) throw RuntimeError("readValues called before render");
    readback_timer.begin();
    // Straight into the image, on huge pages: faulting in 8 MB of fresh 4 KiB pages took 4 of
    // the 10 ms a 1920 x 1080 readback cost on llvmpipe.
    FloatImage out;
    out.width = accumulator->width;
    out.height = accumulator->height;
    const std::size_t n = std::size_t(out.width) * std::size_t(out.height);
    reserveOnHugePages(out.pixels, n);
    out.pixels.resize(n);
    if (last.in_blocks) {
      unpackAndResolve(footprint.readBlocks(), footprint.blockWidth(), last.combine,
                       last.tails_count_as_zero, last.reached_by_all, out);
    } else {
      const RenderTarget& target = valueTarget();
      glPixelStorei(GL_PACK_ALIGNMENT, 4);
      glBindFramebuffer(GL_READ_FRAMEBUFFER, target.framebuffer.id());
      glReadBuffer(GL_COLOR_ATTACHMENT0);
      glReadPixels(0, 0, out.width, out.height, GL_RED, GL_FLOAT, out.pixels.data());
      glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    }
    checkGl(context, "reading back the values");
    readback_timer.end();
    stats.gpu_readback_ms = readback_timer.milliseconds();
    return out;
  }

  void uploadValues(const FloatImage& v) {
    stats = GlRenderStats{};
    const std::string too_big = targetSizeProblem(context.caps(), v.width, v.height);
    if (!too_big.empty()) throw RuntimeError(too_big);
    ensureTargets(v.width, v.height, false);
    glBindTexture(GL_TEXTURE_2D, accumulator->texture.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, v.width, v.height, GL_RED, GL_FLOAT, v.pixels.data());
    glBindTexture(GL_TEXTURE_2D, 0);
    checkGl(context, "uploading the values");
    last = LastRender{};
    last.rendered = true;  // as a sum's render leaves them: the accumulator holds the values
  }

  void colorizeToTexture(const ValueMapping& mapping, const Colormap& map, Origin origin) {
    if (!last.rendered) throw RuntimeError("colorize called before render");
    colormap.run(valueTarget(), mapping, map, origin, programs, empty_vao);
  }

  void drawColours(const ValueMapping& mapping, const Colormap& map, int left, int top, int width,
                   int height, int framebuffer_height) {
    if (!last.rendered) throw RuntimeError("drawColours called before render");
    const RenderTarget& target = valueTarget();
    if (width == target.width && height == target.height) {
      colormap.drawInto(target, mapping, map, left, framebuffer_height - top - height, programs,
                        empty_vao);
      return;
    }
    colormap.run(target, mapping, map, Origin::Upper, programs, empty_vao);
    colormap.blitTo(left, top, width, height, framebuffer_height);
  }

  Context& context;
  VertexArray empty_vao;  // the core profile draws nothing without a bound vertex array
  ProgramCache programs;
  LoopPath loop;
  FootprintPath footprint;
  ColormapPass colormap;
  std::optional<RenderTarget> accumulator;  // R32F, the window's size
  std::optional<RenderTarget> values;       // R32F: max and union resolved
  LastRender last;
  StageTimer upload_timer, render_timer, readback_timer;
  GlRenderStats stats;
};

HeatmapRenderer::HeatmapRenderer(Context& context) : impl_(std::make_unique<Impl>(context)) {}
HeatmapRenderer::~HeatmapRenderer() = default;

void HeatmapRenderer::render(const Scene& scene, GlPath path) {
  impl_->render(scene, path, wholeGrid(scene));
}
void HeatmapRenderer::render(const Scene& scene, GlPath path, const SampleWindow& window) {
  impl_->render(scene, path, window);
}
FloatImage HeatmapRenderer::readValues() {
  return impl_->readValues();
}
RgbImage HeatmapRenderer::colorize(const ValueMapping& mapping, const Colormap& map,
                                   Origin origin) {
  impl_->colorizeToTexture(mapping, map, origin);
  return impl_->colormap.read();
}
void HeatmapRenderer::uploadValues(const FloatImage& values) {
  impl_->uploadValues(values);
}
void HeatmapRenderer::drawColours(const ValueMapping& mapping, const Colormap& map, int left,
                                  int top, int width, int height, int framebuffer_height) {
  impl_->drawColours(mapping, map, left, top, width, height, framebuffer_height);
}
const GlRenderStats& HeatmapRenderer::stats() const {
  return impl_->stats;
}

}  // namespace gaussmap::gl
