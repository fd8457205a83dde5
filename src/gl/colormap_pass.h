#pragma once
// Internal to src/gl (includes the OpenGL loader). Values to colours on the GPU
// (shaders/colormap.frag): the same mapping as core's applyColormap, within one level of 255.
#include <cstdint>
#include <optional>
#include <string_view>

#include "gaussmap/colormap.h"
#include "gaussmap/image.h"
#include "gl/context.h"
#include "gl/render_pass.h"

namespace gaussmap::gl {

class ColormapPass {
 public:
  explicit ColormapPass(Context& context) : context_(context) {}

  // Colours `values` (an R32F target) into this pass's RGBA8 target of the same size.
  void run(const RenderTarget& values, const ValueMapping& mapping, const Colormap& map,
           Origin origin, ProgramCache& programs, const VertexArray& empty_vao);
  // The last run's colours, read back.
  RgbImage read();
  // Colours `values` straight into the bound draw framebuffer, its lower-left corner at pixel
  // (left, bottom), row 0 of the values at the top (see HeatmapRenderer::drawColours).
  void drawInto(const RenderTarget& values, const ValueMapping& mapping, const Colormap& map,
                int left, int bottom, ProgramCache& programs, const VertexArray& empty_vao);
  // The last run's colours into the bound draw framebuffer (see HeatmapRenderer::drawColours).
  void blitTo(int left, int top, int width, int height, int framebuffer_height);

 private:
  void uploadTable(const Colormap& map);
  void draw(const RenderTarget& values, const ValueMapping& mapping, bool flip_rows, int left,
            int bottom, ProgramCache& programs, const VertexArray& empty_vao);

  Context& context_;
  Texture table_;                  // the colormap's 256 RGB entries
  std::string_view loaded_table_;  // the name of the colormap in table_
  std::optional<RenderTarget> colours_;
};

}  // namespace gaussmap::gl
