#include "gl/loop_path.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "core/interrupt.h"

namespace gaussmap::gl {
namespace {

constexpr int kMaxKernelsPerPass = 1024;  // keeps the loop shader's block and unrolling sane
constexpr GLuint kKernelBlockBinding = 0;

}  // namespace

LoopPath::LoopPath(Context& context) {
  GLint alignment = 256;
  glGetIntegerv(GL_UNIFORM_BUFFER_OFFSET_ALIGNMENT, &alignment);
  ubo_alignment_ = std::max(alignment, 16);
  const int by_block = context.caps().max_uniform_block_size / int(sizeof(PackedKernel));
  kernels_per_pass_ = std::clamp(by_block, 1, kMaxKernelsPerPass);
}

int LoopPath::draw(const Scene& scene, const PackedScene& packed, ProgramCache& programs,
                   const VertexArray& empty_vao, StageTimer& upload_timer,
                   StageTimer& render_timer) {
  const std::string defines =
      kernelDefines(scene) + "#define MAX_KERNELS " + std::to_string(kernels_per_pass_) + "\n";
  Program& loop = programs.get("fullscreen.vert", "loop.frag", defines);
  loop.bindUniformBlock("KernelBlock", kKernelBlockBinding);
  const std::size_t n = packed.kernels.size();
  const std::size_t per_pass = std::size_t(kernels_per_pass_);
  const std::size_t passes = std::max<std::size_t>(1, (n + per_pass - 1) / per_pass);
  // Every pass gets a whole block's worth of bytes (zero-padded), aligned for binding.
  const std::size_t block_bytes = per_pass * sizeof(PackedKernel);
  const std::size_t stride =
      (block_bytes + ubo_alignment_ - 1) / ubo_alignment_ * std::size_t(ubo_alignment_);
  std::vector<unsigned char> bytes(stride * passes, 0);
  for (std::size_t k = 0; k < n; ++k)
    std::memcpy(bytes.data() + (k / per_pass) * stride + (k % per_pass) * sizeof(PackedKernel),
                &packed.kernels[k], sizeof(PackedKernel));
  upload_timer.begin();
  glBindBuffer(GL_UNIFORM_BUFFER, kernel_ubo_.id());
  glBufferData(GL_UNIFORM_BUFFER, GLsizeiptr(bytes.size()), bytes.data(), GL_STREAM_DRAW);
  upload_timer.end();

  render_timer.begin();
  loop.use();
  for (std::size_t c = 0; c < passes; ++c) {
    const int count = int(std::min(per_pass, n - std::min(n, c * per_pass)));
    glBindBufferRange(GL_UNIFORM_BUFFER, kKernelBlockBinding, kernel_ubo_.id(),
                      GLintptr(c * stride), GLsizeiptr(block_bytes));
    glUniform1i(loop.uniform("kernel_count"), count);
    drawFullscreenTriangle(empty_vao);
    if (passes > 1) {
      // Each pass over every sample is long: finish it, so that a stop request is answered
      // between passes rather than after all of them (the queue runs at the readback).
      glFinish();
      reportProgress("gl render", std::int64_t(c + 1), std::int64_t(passes));
    }
  }
  return int(passes);
}

}  // namespace gaussmap::gl
