#include "gl/colormap_pass.h"

#include <vector>

namespace gaussmap::gl {

void ColormapPass::uploadTable(const Colormap& map) {
  if (loaded_table_ == map.name) return;
  glBindTexture(GL_TEXTURE_2D, table_.id());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGB32F, 256, 1, 0, GL_RGB, GL_FLOAT, map.table->data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glBindTexture(GL_TEXTURE_2D, 0);
  loaded_table_ = map.name;
}

void ColormapPass::run(const RenderTarget& values, const ValueMapping& mapping, const Colormap& map,
                       Origin origin, ProgramCache& programs, const VertexArray& empty_vao) {
  resetSharedState();
  const int w = values.width, h = values.height;
  uploadTable(map);
  if (!colours_ || colours_->width != w || colours_->height != h) {
    colours_.reset();
    colours_.emplace(createRenderTarget(context_, TargetFormat::RGBA8, w, h));
  }
  glBindFramebuffer(GL_FRAMEBUFFER, colours_->framebuffer.id());
  glViewport(0, 0, w, h);
  draw(values, mapping, origin == Origin::Lower, 0, 0, programs, empty_vao);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  checkGl(context_, "the colormap pass");
}

void ColormapPass::drawInto(const RenderTarget& values, const ValueMapping& mapping,
                            const Colormap& map, int left, int bottom, ProgramCache& programs,
                            const VertexArray& empty_vao) {
  resetSharedState();
  uploadTable(map);
  glViewport(left, bottom, values.width, values.height);
  // The framebuffer's rows run upwards: its top row shows the values' row 0.
  draw(values, mapping, true, left, bottom, programs, empty_vao);
  checkGl(context_, "the colormap pass into the window");
}

void ColormapPass::draw(const RenderTarget& values, const ValueMapping& mapping, bool flip_rows,
                        int left, int bottom, ProgramCache& programs,
                        const VertexArray& empty_vao) {
  glDisable(GL_BLEND);
  Program& colormap = programs.get("fullscreen.vert", "colormap.frag", "");
  colormap.use();
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, values.texture.id());
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, table_.id());
  glUniform1i(colormap.uniform("value_texture"), 0);
  glUniform1i(colormap.uniform("colormap_table"), 1);
  glUniform1f(colormap.uniform("range_lo"), float(mapping.lo));
  glUniform1f(colormap.uniform("range_hi"), float(mapping.hi));
  glUniform1i(colormap.uniform("scale"), int(mapping.scale));
  glUniform1i(colormap.uniform("flip_rows"), flip_rows ? 1 : 0);
  glUniform1i(colormap.uniform("image_height"), values.height);
  glUniform2i(colormap.uniform("pixel_offset"), left, bottom);
  drawFullscreenTriangle(empty_vao);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, 0);
}

void ColormapPass::blitTo(int left, int top, int width, int height, int framebuffer_height) {
  if (!colours_) return;
  const bool scaled = width != colours_->width || height != colours_->height;
  glBindFramebuffer(GL_READ_FRAMEBUFFER, colours_->framebuffer.id());
  glReadBuffer(GL_COLOR_ATTACHMENT0);
  // The colours' row 0 is the top row shown: destination rows run downwards from the top edge.
  const int top_edge = framebuffer_height - top;
  glBlitFramebuffer(0, 0, colours_->width, colours_->height, left, top_edge, left + width,
                    top_edge - height, GL_COLOR_BUFFER_BIT, scaled ? GL_LINEAR : GL_NEAREST);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  checkGl(context_, "copying the canvas into the window");
}

RgbImage ColormapPass::read() {
  const int w = colours_->width, h = colours_->height;
  std::vector<unsigned char> rgba(std::size_t(w) * h * 4);
  glBindFramebuffer(GL_FRAMEBUFFER, colours_->framebuffer.id());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, rgba.data());
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  checkGl(context_, "reading the colours back");
  RgbImage out(w, h);
  for (std::size_t k = 0; k < out.pixels.size(); ++k)
    out.pixels[k] = Rgb8{rgba[4 * k], rgba[4 * k + 1], rgba[4 * k + 2]};
  return out;
}

}  // namespace gaussmap::gl
