#include "gl/heatmap_renderer.h"

#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <sstream>

#include "core/errors.h"
#include "gl/gl.h"
#include "gl/gl_objects.h"
#include "gl/kernel_packing.h"
#include "gl/program.h"

namespace gaussmap::gl {

std::string_view toString(GlPath path) {
  switch (path) {
    case GlPath::Auto:
      return "auto";
    case GlPath::Loop:
      return "loop";
    case GlPath::Footprint:
      return "footprint";
  }
  return "?";
}

std::optional<GlPath> glPathFromString(std::string_view name) {
  for (GlPath p : {GlPath::Auto, GlPath::Loop, GlPath::Footprint})
    if (toString(p) == name) return p;
  return std::nullopt;
}

PathEstimate estimatePaths(double samples, double kernels, double footprint_area) {
  PathEstimate e;
  // A quad costs about as much set-up as a few dozen samples; a full-screen pass a few samples
  // each. The per-pixel loop is the default unless the footprints are clearly cheaper.
  e.loop_work = samples * std::max(kernels, 1.0) + samples;
  e.footprint_work = footprint_area + 32.0 * kernels + samples;
  e.choice = e.footprint_work < 0.5 * e.loop_work ? GlPath::Footprint : GlPath::Loop;
  std::ostringstream s;
  s.precision(3);
  s << "estimated work: loop " << e.loop_work << ", footprint " << e.footprint_work
    << " kernel-sample evaluations";
  e.reason = s.str();
  return e;
}

namespace {

constexpr int kVec4PerKernel = 4;
constexpr int kMaxKernelsPerChunk = 1024;  // keeps the loop shader's block and unrolling sane
constexpr GLuint kKernelBlockBinding = 0;

const char* combineDefine(Combine c) {
  switch (c) {
    case Combine::Sum:
      return "#define COMBINE_SUM 1\n";
    case Combine::Max:
      return "#define COMBINE_MAX 1\n";
    case Combine::Union:
      return "#define COMBINE_UNION 1\n";
  }
  return "";
}

// The combine mode; for `max` without a cutoff also that a kernel beyond its negligible radius
// still takes part with the value 0 rather than not at all: the untruncated kernel is there
// everywhere, so a negative kernel must not win where a positive one's tail was dropped.
std::string combineDefines(const Scene& scene) {
  std::string defines = combineDefine(scene.combine);
  if (scene.combine == Combine::Max && !scene.cutoff) defines += "#define TAILS_COUNT_AS_ZERO 1\n";
  return defines;
}

// The samples [i0, i1) x [j0, j1) inside every kernel's footprint (empty when one was culled):
// outside it some kernel's dropped tail counts as 0 (see TAILS_COUNT_AS_ZERO in resolve.frag).
std::array<float, 4> reachedByAll(const Scene& scene, const PackedScene& packed) {
  if (packed.kernels.size() < scene.kernels.size()) return {0, 0, 0, 0};
  std::array<float, 4> box = {0, 0, float(scene.width), float(scene.height)};
  for (const Footprint& f : packed.footprints)
    box = {std::max(box[0], f.i0), std::max(box[1], f.j0), std::min(box[2], f.i1),
           std::min(box[3], f.j1)};
  return box;
}

float accumulatorIdentity(Combine c) {
  return c == Combine::Max ? -3.0e38f : 0.0f;
}

// GPU time of one stage, read after the work is done.
class StageTimer {
 public:
  explicit StageTimer(bool enabled) : enabled_(enabled) {}
  void begin() {
    if (enabled_) glBeginQuery(GL_TIME_ELAPSED, query_.id());
  }
  void end() {
    if (enabled_) glEndQuery(GL_TIME_ELAPSED);
    used_ = enabled_;
  }
  double milliseconds() {
    if (!used_) return -1;
    GLuint64 ns = 0;
    glGetQueryObjectui64v(query_.id(), GL_QUERY_RESULT, &ns);
    used_ = false;
    return double(ns) * 1e-6;
  }

 private:
  bool enabled_;
  bool used_ = false;
  Query query_;
};

}  // namespace

struct HeatmapRenderer::Impl {
  explicit Impl(Context& c)
      : context(c),
        upload_timer(c.caps().timer_query),
        render_timer(c.caps().timer_query),
        readback_timer(c.caps().timer_query) {
    GLint alignment = 256;
    glGetIntegerv(GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT, &alignment);
    ubo_alignment = std::max(alignment, 16);
    const int by_block = context.caps().max_uniform_block_size / (kVec4PerKernel * 16);
    kernels_per_chunk = std::clamp(by_block, 1, kMaxKernelsPerChunk);
    setUpFootprintAttributes();
    checkGl(context, "creating the heat-map renderer");
  }

  void setUpFootprintAttributes() {
    glBindVertexArray(footprint_vao.id());
    glBindBuffer(GL_ARRAY_BUFFER, instance_buffer.id());
    constexpr GLsizei stride = sizeof(PackedKernel) + sizeof(Footprint);
    for (GLuint a = 0; a < 5; ++a) {
      glEnableVertexAttribArray(a);
      glVertexAttribPointer(a, 4, GL_FLOAT, GL_FALSE, stride,
                            reinterpret_cast<const void*>(std::uintptr_t(a) * 16));
      glVertexAttribDivisor(a, 1);
    }
    glBindVertexArray(0);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
  }

  Program& program(const std::string& vertex, const std::string& fragment,
                   const std::string& defines) {
    const std::string key = vertex + "|" + fragment + "|" + defines;
    auto it = programs.find(key);
    if (it == programs.end()) {
      it = programs.emplace(key, Program(vertex, fragment, defines)).first;
      if (fragment == "loop.frag") it->second.bindUniformBlock("KernelBlock", kKernelBlockBinding);
    }
    return it->second;
  }

  void ensureTargets(int width, int height) {
    if (accumulator && accumulator->width == width && accumulator->height == height) return;
    accumulator.reset();
    values.reset();
    accumulator.emplace(createFloatTarget(context, width, height));
    values.emplace(createFloatTarget(context, width, height));
  }

  void drawLoop(const Scene& scene, const PackedScene& packed) {
    const std::string defines =
        combineDefines(scene) +
        (scene.normalize == Normalize::Cell ? "#define NORMALIZE_CELL 1\n" : "") +
        "#define MAX_KERNELS " + std::to_string(kernels_per_chunk) + "\n";
    Program& loop = program("fullscreen.vert", "loop.frag", defines);
    const std::size_t n = packed.kernels.size();
    const std::size_t chunks =
        std::max<std::size_t>(1, (n + kernels_per_chunk - 1) / kernels_per_chunk);
    // Every chunk gets a whole block's worth of bytes (zero-padded), aligned for binding.
    const std::size_t block_bytes = std::size_t(kernels_per_chunk) * sizeof(PackedKernel);
    const std::size_t stride = (block_bytes + ubo_alignment - 1) / ubo_alignment * ubo_alignment;
    std::vector<unsigned char> bytes(stride * chunks, 0);
    for (std::size_t k = 0; k < n; ++k)
      std::memcpy(bytes.data() + (k / kernels_per_chunk) * stride +
                      (k % kernels_per_chunk) * sizeof(PackedKernel),
                  &packed.kernels[k], sizeof(PackedKernel));
    upload_timer.begin();
    glBindBuffer(GL_UNIFORM_BUFFER, kernel_ubo.id());
    glBufferData(GL_UNIFORM_BUFFER, GLsizeiptr(bytes.size()), bytes.data(), GL_STREAM_DRAW);
    upload_timer.end();

    render_timer.begin();
    loop.use();
    glBindVertexArray(empty_vao.id());
    for (std::size_t c = 0; c < chunks; ++c) {
      const int count = int(std::min<std::size_t>(kernels_per_chunk, n - c * kernels_per_chunk));
      if (n > 0 && count <= 0) break;
      glBindBufferRange(GL_UNIFORM_BUFFER, kKernelBlockBinding, kernel_ubo.id(),
                        GLintptr(c * stride), GLsizeiptr(block_bytes));
      glUniform1i(loop.uniform("kernel_count"), n == 0 ? 0 : count);
      glDrawArrays(GL_TRIANGLES, 0, 3);
    }
    stats.passes = int(chunks);
  }

  void drawFootprints(const Scene& scene, const PackedScene& packed) {
    const std::string defines =
        combineDefines(scene) +
        (scene.normalize == Normalize::Cell ? "#define NORMALIZE_CELL 1\n" : "");
    Program& footprint = program("footprint.vert", "footprint.frag", defines);
    const std::size_t n = packed.kernels.size();
    std::vector<float> instances;
    instances.reserve(n * 20);
    for (std::size_t k = 0; k < n; ++k) {
      instances.insert(instances.end(), packed.kernels[k].v.begin(), packed.kernels[k].v.end());
      const Footprint& f = packed.footprints[k];
      instances.insert(instances.end(), {f.i0, f.j0, f.i1, f.j1});
    }
    upload_timer.begin();
    glBindBuffer(GL_ARRAY_BUFFER, instance_buffer.id());
    glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(instances.size() * sizeof(float)), instances.data(),
                 GL_STREAM_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, 0);
    upload_timer.end();

    render_timer.begin();
    footprint.use();
    glUniform2f(footprint.uniform("image_size"), float(scene.width), float(scene.height));
    glBindVertexArray(footprint_vao.id());
    if (n > 0) glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(n));
    stats.passes = 1;
  }

  void resolve(const Scene& scene, const PackedScene& packed) {
    glDisable(GL_BLEND);
    glBindFramebuffer(GL_FRAMEBUFFER, values->framebuffer.id());
    Program& resolve = program("fullscreen.vert", "resolve.frag", combineDefines(scene));
    resolve.use();
    const std::array<float, 4> box = reachedByAll(scene, packed);
    glUniform4f(resolve.uniform("reached_by_all"), box[0], box[1], box[2], box[3]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, accumulator->texture.id());
    glUniform1i(resolve.uniform("accumulator_texture"), 0);
    glBindVertexArray(empty_vao.id());
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindTexture(GL_TEXTURE_2D, 0);
  }

  void render(const Scene& scene, GlPath requested) {
    stats = GlRenderStats{};
    const PackedScene packed = packScene(scene);
    const PathEstimate estimate = estimatePaths(
        double(scene.width) * scene.height, double(packed.kernels.size()), packed.footprint_area);
    stats.path = requested == GlPath::Auto ? estimate.choice : requested;
    stats.reason = requested == GlPath::Auto ? estimate.reason : "forced by --gl-path";
    stats.kernels_drawn = int(packed.kernels.size());

    resetState();
    ensureTargets(scene.width, scene.height);
    glBindFramebuffer(GL_FRAMEBUFFER, accumulator->framebuffer.id());
    glViewport(0, 0, scene.width, scene.height);
    const float identity[4] = {accumulatorIdentity(scene.combine), 0, 0, 0};
    glClearBufferfv(GL_COLOR, 0, identity);
    glEnable(GL_BLEND);
    glBlendFunc(GL_ONE, GL_ONE);
    glBlendEquation(scene.combine == Combine::Max ? GL_MAX : GL_FUNC_ADD);

    if (stats.path == GlPath::Loop)
      drawLoop(scene, packed);
    else
      drawFootprints(scene, packed);
    resolve(scene, packed);
    render_timer.end();
    glBindVertexArray(0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    checkGl(context,
            std::string("rendering through the ") + std::string(toString(stats.path)) + " path");
    stats.gpu_upload_ms = upload_timer.milliseconds();
    stats.gpu_render_ms = render_timer.milliseconds();
  }

  void uploadColormap(const Colormap& map) {
    if (loaded_colormap == map.name) return;
    glBindTexture(GL_TEXTURE_2D, colormap_table.id());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB32F, 256, 1, 0, GL_RGB, GL_FLOAT, map.table->data());
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
    loaded_colormap = map.name;
  }

  // The shared GL state other code (Dear ImGui) may have left behind.
  static void resetState() {
    glDisable(GL_SCISSOR_TEST);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_STENCIL_TEST);
    glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
  }

  void colorizeToTexture(const ValueMapping& mapping, const Colormap& map, Origin origin) {
    if (!values) throw RuntimeError("colorize called before render");
    resetState();
    const int w = values->width, h = values->height;
    uploadColormap(map);
    if (colour_width != w || colour_height != h) {
      glBindTexture(GL_TEXTURE_2D, colour_texture.id());
      glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
      glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
      glBindFramebuffer(GL_FRAMEBUFFER, colour_framebuffer.id());
      glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D,
                             colour_texture.id(), 0);
      if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
        throw RuntimeError("the RGBA8 colour framebuffer is incomplete");
      colour_width = w;
      colour_height = h;
    }
    glBindFramebuffer(GL_FRAMEBUFFER, colour_framebuffer.id());
    glViewport(0, 0, w, h);
    glDisable(GL_BLEND);
    Program& colormap = program("fullscreen.vert", "colormap.frag", "");
    colormap.use();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, values->texture.id());
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, colormap_table.id());
    glUniform1i(colormap.uniform("value_texture"), 0);
    glUniform1i(colormap.uniform("colormap_table"), 1);
    glUniform1f(colormap.uniform("range_lo"), float(mapping.lo));
    glUniform1f(colormap.uniform("range_hi"), float(mapping.hi));
    glUniform1i(colormap.uniform("scale"), int(mapping.scale));
    glUniform1i(colormap.uniform("flip_rows"), origin == Origin::Lower ? 1 : 0);
    glUniform1i(colormap.uniform("image_height"), h);
    glBindVertexArray(empty_vao.id());
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glActiveTexture(GL_TEXTURE1);
    glBindTexture(GL_TEXTURE_2D, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindVertexArray(0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    checkGl(context, "the colormap pass");
  }

  RgbImage colorize(const ValueMapping& mapping, const Colormap& map, Origin origin) {
    colorizeToTexture(mapping, map, origin);
    const int w = colour_width, h = colour_height;
    std::vector<unsigned char> rgba(std::size_t(w) * h * 4);
    glBindFramebuffer(GL_FRAMEBUFFER, colour_framebuffer.id());
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    checkGl(context, "reading the colours back");
    RgbImage out(w, h);
    for (std::size_t k = 0; k < out.pixels.size(); ++k)
      out.pixels[k] = Rgb8{rgba[4 * k], rgba[4 * k + 1], rgba[4 * k + 2]};
    return out;
  }

  FloatImage readValues() {
    if (!values) throw RuntimeError("readValues called before render");
    readback_timer.begin();
    FloatImage out(values->width, values->height);
    out.pixels = readFloatTarget(context, *values);
    readback_timer.end();
    stats.gpu_readback_ms = readback_timer.milliseconds();
    return out;
  }

  Context& context;
  VertexArray empty_vao;  // the core profile draws nothing without a bound vertex array
  VertexArray footprint_vao;
  Buffer instance_buffer;
  Buffer kernel_ubo;
  std::optional<FloatTarget> accumulator;
  std::optional<FloatTarget> values;
  Texture colormap_table;
  std::string_view loaded_colormap;
  Texture colour_texture;
  Framebuffer colour_framebuffer;
  int colour_width = 0, colour_height = 0;
  std::map<std::string, Program> programs;
  StageTimer upload_timer, render_timer, readback_timer;
  GlRenderStats stats;
  int ubo_alignment = 256;
  int kernels_per_chunk = 256;
};

HeatmapRenderer::HeatmapRenderer(Context& context) : impl_(std::make_unique<Impl>(context)) {}
HeatmapRenderer::~HeatmapRenderer() = default;

void HeatmapRenderer::render(const Scene& scene, GlPath path) {
  impl_->render(scene, path);
}
FloatImage HeatmapRenderer::readValues() {
  return impl_->readValues();
}
RgbImage HeatmapRenderer::colorize(const ValueMapping& mapping, const Colormap& map,
                                   Origin origin) {
  return impl_->colorize(mapping, map, origin);
}
void HeatmapRenderer::colorizeToTexture(const ValueMapping& mapping, const Colormap& map,
                                        Origin origin) {
  impl_->colorizeToTexture(mapping, map, origin);
}
std::uint32_t HeatmapRenderer::valueTexture() const {
  return impl_->values ? impl_->values->texture.id() : 0;
}
std::uint32_t HeatmapRenderer::colourTexture() const {
  return impl_->colour_texture.id();
}
const GlRenderStats& HeatmapRenderer::stats() const {
  return impl_->stats;
}

}  // namespace gaussmap::gl
