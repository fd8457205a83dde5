#pragma once
// Internal to src/gl (includes the OpenGL loader). The footprint path: one instanced quad per
// kernel covering only the samples it can reach (shaders/footprint.vert, footprint.frag), drawn
// in blocks of 2 x 2 samples, one RGBA32F texel each: llvmpipe's cost per fragment is mostly its
// pipeline (rasterising, blending), so four samples per fragment run about 3.5 times faster on W4
// than one (measured).
#include <optional>
#include <vector>

#include "gaussmap/scene.h"
#include "gl/context.h"
#include "gl/kernel_packing.h"
#include "gl/render_pass.h"

namespace gaussmap::gl {

class FootprintPath {
 public:
  // The context must be current.
  explicit FootprintPath(Context& context);

  // Draws every kernel into the blocks of a width x height sample target (blending already
  // set), cleared to the combine mode's identity first. Leaves the blocks' framebuffer bound.
  void draw(const Scene& scene, const PackedScene& packed, int width, int height,
            ProgramCache& programs, StageTimer& upload_timer, StageTimer& render_timer);

  // The last draw's blocks into `accumulator` (one sample per texel, blending off): what a
  // texture of the values needs (colours, the viewer).
  void unpackInto(const RenderTarget& accumulator, ProgramCache& programs,
                  const VertexArray& empty_vao);

  // The last draw's blocks read back (rows of blockWidth() RGBA texels; see unpackAndResolve):
  // unpacking on the CPU costs a third of the unpack pass on llvmpipe.
  const std::vector<float>& readBlocks();
  int blockWidth() const { return blocks_ ? blocks_->width : 0; }

 private:
  Context& context_;
  VertexArray vao_;
  Buffer instance_buffer_;
  std::optional<RenderTarget> blocks_;
  std::vector<float> block_values_;  // kept: 8 MB at 1920 x 1080, whose pages cost to fault in
};

}  // namespace gaussmap::gl
