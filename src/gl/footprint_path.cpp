#include "gl/footprint_path.h"

#include <cstdint>

namespace gaussmap::gl {

FootprintPath::FootprintPath(Context& context) : context_(context) {
  // Per instance: the packed kernel's four vec4, then its footprint.
  glBindVertexArray(vao_.id());
  glBindBuffer(GL_ARRAY_BUFFER, instance_buffer_.id());
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

void FootprintPath::draw(const Scene& scene, const PackedScene& packed, int width, int height,
                         ProgramCache& programs, StageTimer& upload_timer,
                         StageTimer& render_timer) {
  Program& footprint = programs.get("footprint.vert", "footprint.frag", kernelDefines(scene));
  const std::size_t n = packed.kernels.size();
  std::vector<float> instances;
  instances.reserve(n * 20);
  for (std::size_t k = 0; k < n; ++k) {
    instances.insert(instances.end(), packed.kernels[k].v.begin(), packed.kernels[k].v.end());
    const Footprint& f = packed.footprints[k];
    instances.insert(instances.end(), {f.i0, f.j0, f.i1, f.j1});
  }
  upload_timer.begin();
  glBindBuffer(GL_ARRAY_BUFFER, instance_buffer_.id());
  glBufferData(GL_ARRAY_BUFFER, GLsizeiptr(instances.size() * sizeof(float)), instances.data(),
               GL_STREAM_DRAW);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  upload_timer.end();

  const int blocks_x = (width + 1) / 2, blocks_y = (height + 1) / 2;
  if (!blocks_ || blocks_->width != blocks_x || blocks_->height != blocks_y) {
    blocks_.reset();
    blocks_.emplace(createRenderTarget(context_, TargetFormat::RGBA32F, blocks_x, blocks_y));
  }
  glBindFramebuffer(GL_FRAMEBUFFER, blocks_->framebuffer.id());
  glViewport(0, 0, blocks_x, blocks_y);
  const float identity = accumulatorIdentity(scene.combine);
  const float identities[4] = {identity, identity, identity, identity};
  glClearBufferfv(GL_COLOR, 0, identities);
  // After the clear: llvmpipe starts a GL_TIME_ELAPSED query only in a scene that has work,
  // and a query begun before the clear measured from the machine's start (its uptime).
  render_timer.begin();
  footprint.use();
  glUniform2f(footprint.uniform("block_grid_size"), float(blocks_x), float(blocks_y));
  glBindVertexArray(vao_.id());
  if (n > 0) glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, GLsizei(n));
  glBindVertexArray(0);
}

void FootprintPath::unpackInto(const RenderTarget& accumulator, ProgramCache& programs,
                               const VertexArray& empty_vao) {
  resetSharedState();
  glDisable(GL_BLEND);
  glBindFramebuffer(GL_FRAMEBUFFER, accumulator.framebuffer.id());
  glViewport(0, 0, accumulator.width, accumulator.height);
  Program& unpack = programs.get("fullscreen.vert", "footprint_unpack.frag", "");
  unpack.use();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, blocks_->texture.id());
  glUniform1i(unpack.uniform("block_accumulator"), 0);
  drawFullscreenTriangle(empty_vao);
  glBindTexture(GL_TEXTURE_2D, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  checkGl(context_, "unpacking the footprint path's blocks");
}

const std::vector<float>& FootprintPath::readBlocks() {
  block_values_.resize(std::size_t(blocks_->width) * std::size_t(blocks_->height) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 4);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, blocks_->framebuffer.id());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  glReadPixels(0, 0, blocks_->width, blocks_->height, GL_RGBA, GL_FLOAT, block_values_.data());
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  return block_values_;
}

}  // namespace gaussmap::gl
