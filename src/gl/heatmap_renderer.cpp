#include "gl/heatmap_renderer.h"

#include <array>
#include <cmath>
#include <cstring>
#include <map>
#include <sstream>

#include "gaussmap/errors.h"
#include "core/huge_pages.h"
#include "core/index_kernel.h"
#include "core/interrupt.h"
#include "gl/gl.h"
#include "gl/gl_objects.h"
#include "gl/kernel_packing.h"
#include "gl/program.h"

namespace gaussmap::gl {

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

float accumulatorIdentity(Combine c) {
  return c == Combine::Max ? kNoKernel : 0.0f;
}

// GPU time of one stage, read after the work is done.
class StageTimer {
 public:
  explicit StageTimer(bool enabled) : enabled_(enabled) {}
  void begin() {
    if (!enabled_) return;
    // A render that stopped midway (an interrupt, an error) left its query running.
    if (active_) glEndQuery(GL_TIME_ELAPSED);
    glBeginQuery(GL_TIME_ELAPSED, query_.id());
    active_ = true;
  }
  void end() {
    if (enabled_ && active_) glEndQuery(GL_TIME_ELAPSED);
    used_ = enabled_ && active_;
    active_ = false;
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
  bool active_ = false;
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
      if (chunks > 1) {
        // Each pass over every sample is long: finish it, so that a stop request is answered
        // between passes rather than after all of them (the queue runs at the readback).
        glFinish();
        reportProgress("gl render", std::int64_t(c + 1), std::int64_t(chunks));
      }
    }
    stats.passes = int(chunks);
  }

  void drawFootprints(const Scene& scene, const PackedScene& packed, const SampleWindow& window) {
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

    // Blocks of 2 x 2 samples, one RGBA32F texel each: llvmpipe's cost per fragment is mostly
    // its pipeline (rasterising, blending), so four samples per fragment run about 3.5 times
    // faster on W4 than one (measured). Then one pass unpacks them into the accumulator.
    const int blocks_x = (window.width + 1) / 2, blocks_y = (window.height + 1) / 2;
    ensureBlockTarget(blocks_x, blocks_y);
    glBindFramebuffer(GL_FRAMEBUFFER, block_framebuffer.id());
    glViewport(0, 0, blocks_x, blocks_y);
    const float identity = accumulatorIdentity(scene.combine);
    const float identities[4] = {identity, identity, identity, identity};
    glClearBufferfv(GL_COLOR, 0, identities);
    // After the clear: llvmpipe starts a GL_TIME_ELAPSED query only in a scene that has work,
    // and a query begun before the clear measured from the machine's start (its uptime).
    render_timer.begin();
    footprint.use();
    glUniform2f(footprint.uniform("block_grid_size"), float(blocks_x), float(blocks_y));
    glBindVertexArray(footprint_vao.id());
    if (n > 0) glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(n));
    stats.passes = 1;
  }

  // The footprint path's blocks into the accumulator, one sample per pixel, then resolved: only
  // when a texture of the values is asked for (colours, the viewer). readValues unpacks on the
  // CPU, which costs a third of this pass on llvmpipe.
  void unpackBlocks() {
    if (!blocks_pending) return;
    blocks_pending = false;
    resetState();
    glDisable(GL_BLEND);
    glBindFramebuffer(GL_FRAMEBUFFER, accumulator->framebuffer.id());
    glViewport(0, 0, accumulator->width, accumulator->height);
    Program& unpack = program("fullscreen.vert", "footprint_unpack.frag", "");
    unpack.use();
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, block_texture.id());
    glUniform1i(unpack.uniform("block_accumulator"), 0);
    glBindVertexArray(empty_vao.id());
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindTexture(GL_TEXTURE_2D, 0);
    resolve();
    glBindVertexArray(0);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    checkGl(context, "unpacking the footprint path's blocks");
  }

  // The footprint path's RGBA32F target of 2 x 2-sample blocks.
  void ensureBlockTarget(int width, int height) {
    if (block_width == width && block_height == height) return;
    glBindTexture(GL_TEXTURE_2D, block_texture.id());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA32F, width, height, 0, GL_RGBA, GL_FLOAT, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindTexture(GL_TEXTURE_2D, 0);
    glBindFramebuffer(GL_FRAMEBUFFER, block_framebuffer.id());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, block_texture.id(),
                           0);
    const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    if (status != GL_FRAMEBUFFER_COMPLETE)
      throw RuntimeError("the " + std::to_string(width) + "x" + std::to_string(height) +
                         " RGBA32F block framebuffer is incomplete");
    checkGl(context, "allocating the RGBA32F block target");
    block_width = width;
    block_height = height;
  }

  // The accumulator into values, as the last render's combine mode asks (resolve.frag).
  void resolve() {
    if (last.combine == Combine::Sum) {  // the accumulator holds the sums: no pass needed
      result = &*accumulator;
      return;
    }
    result = &*values;
    glDisable(GL_BLEND);
    glBindFramebuffer(GL_FRAMEBUFFER, values->framebuffer.id());
    Program& resolve = program("fullscreen.vert", "resolve.frag", last.defines);
    resolve.use();
    const std::array<float, 4>& box = last.reached_by_all;
    glUniform4f(resolve.uniform("reached_by_all"), box[0], box[1], box[2], box[3]);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, accumulator->texture.id());
    glUniform1i(resolve.uniform("accumulator_texture"), 0);
    glBindVertexArray(empty_vao.id());
    glDrawArrays(GL_TRIANGLES, 0, 3);
    glBindTexture(GL_TEXTURE_2D, 0);
  }

  void render(const Scene& scene, GlPath requested, const SampleWindow& window) {
    stats = GlRenderStats{};
    validateWindow(scene, window);
    // The target is the window, whatever the whole grid's size.
    const std::string too_big = targetSizeProblem(context.caps(), window.width, window.height);
    if (!too_big.empty()) throw RuntimeError(too_big);
    const PackedScene packed = packScene(scene, window);
    const PathEstimate estimate = estimatePaths(double(window.width) * window.height,
                                                double(packed.kernels.size()),
                                                packed.footprint_area);
    stats.path = requested == GlPath::Auto ? estimate.choice : requested;
    stats.reason = requested == GlPath::Auto ? estimate.reason : "forced by --gl-path";
    stats.kernels_drawn = int(packed.kernels.size());

    resetState();
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

    last = {scene.combine, combineDefines(scene), reachedByAll(scene, packed, window),
            scene.combine == Combine::Max && !scene.cutoff};
    try {
      if (stats.path == GlPath::Loop) {
        drawLoop(scene, packed);
        resolve();
        blocks_pending = false;
      } else {
        drawFootprints(scene, packed, window);
        blocks_pending = true;
        result = &*accumulator;  // once unpacked (see unpackBlocks)
      }
    } catch (...) {
      // Stopped between passes (an interrupt): one GL_TIME_ELAPSED query may be active at a
      // time, so the next render could not start its own.
      render_timer.end();
      result = nullptr;
      glBindVertexArray(0);
      glBindFramebuffer(GL_FRAMEBUFFER, 0);
      throw;
    }
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
    if (!result) throw RuntimeError("colorize called before render");
    unpackBlocks();
    resetState();
    const int w = result->width, h = result->height;
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
    glBindTexture(GL_TEXTURE_2D, result->texture.id());
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
    if (!result) throw RuntimeError("readValues called before render");
    readback_timer.begin();
    // Straight into the image, on huge pages: faulting in 8 MB of fresh 4 KiB pages took 4 of
    // the 10 ms a 1920 x 1080 readback cost on llvmpipe.
    FloatImage out;
    out.width = result->width;
    out.height = result->height;
    const std::size_t n = std::size_t(out.width) * std::size_t(out.height);
    reserveOnHugePages(out.pixels, n);
    out.pixels.resize(n);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    if (blocks_pending) {
      block_values.resize(std::size_t(block_width) * std::size_t(block_height) * 4);
      glBindFramebuffer(GL_READ_FRAMEBUFFER, block_framebuffer.id());
      glReadBuffer(GL_COLOR_ATTACHMENT0);
      glReadPixels(0, 0, block_width, block_height, GL_RGBA, GL_FLOAT, block_values.data());
      unpackAndResolve(block_values, block_width, last.combine, last.tails_count_as_zero,
                       last.reached_by_all, out);
    } else {
      glBindFramebuffer(GL_READ_FRAMEBUFFER, result->framebuffer.id());
      glReadBuffer(GL_COLOR_ATTACHMENT0);
      glReadPixels(0, 0, out.width, out.height, GL_RED, GL_FLOAT, out.pixels.data());
    }
    glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
    checkGl(context, "reading back the values");
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
  const FloatTarget* result = nullptr;  // what the last render left its values in
  Texture block_texture;                // the footprint path's 2 x 2-sample blocks (RGBA32F)
  Framebuffer block_framebuffer;
  int block_width = 0, block_height = 0;
  bool blocks_pending = false;      // the last render's values are still in blocks
  std::vector<float> block_values;  // the blocks read back (kept: 8 MB at 1920 x 1080)
  // What resolving the last render needs.
  struct LastRender {
    Combine combine = Combine::Sum;
    std::string defines;
    std::array<float, 4> reached_by_all{};
    bool tails_count_as_zero = false;
  } last;
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
  return impl_->colorize(mapping, map, origin);
}
void HeatmapRenderer::colorizeToTexture(const ValueMapping& mapping, const Colormap& map,
                                        Origin origin) {
  impl_->colorizeToTexture(mapping, map, origin);
}
std::uint32_t HeatmapRenderer::valueTexture() const {
  if (!impl_->result) return 0;
  impl_->unpackBlocks();
  return impl_->result->texture.id();
}
std::uint32_t HeatmapRenderer::colourTexture() const {
  return impl_->colour_texture.id();
}
const GlRenderStats& HeatmapRenderer::stats() const {
  return impl_->stats;
}

}  // namespace gaussmap::gl
