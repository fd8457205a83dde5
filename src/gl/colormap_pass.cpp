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
  glUniform1i(colormap.uniform("flip_rows"), origin == Origin::Lower ? 1 : 0);
  glUniform1i(colormap.uniform("image_height"), h);
  drawFullscreenTriangle(empty_vao);
  glActiveTexture(GL_TEXTURE1);
  glBindTexture(GL_TEXTURE_2D, 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, 0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  checkGl(context_, "the colormap pass");
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
