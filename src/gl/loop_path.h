#pragma once
// Internal to src/gl (includes the OpenGL loader). The per-pixel path: every kernel evaluated at
// every sample in a fragment shader (shaders/loop.frag), the kernels in a std140 uniform block,
// one full-screen pass per block's worth, blended into the bound accumulator.
#include "gaussmap/scene.h"
#include "gl/context.h"
#include "gl/kernel_packing.h"
#include "gl/render_pass.h"

namespace gaussmap::gl {

class LoopPath {
 public:
  // The context must be current.
  explicit LoopPath(Context& context);

  // Draws every kernel into the bound framebuffer (viewport, clear and blending already set) and
  // returns the passes drawn. Between passes it finishes the work and reports progress, so that
  // a stop request (core/interrupt.h) ends a long render there.
  int draw(const Scene& scene, const PackedScene& packed, ProgramCache& programs,
           const VertexArray& empty_vao, StageTimer& upload_timer, StageTimer& render_timer);

  // Kernels per pass: what GL_MAX_UNIFORM_BLOCK_SIZE holds, at most 1024.
  int kernelsPerPass() const { return kernels_per_pass_; }

 private:
  Buffer kernel_ubo_;
  int ubo_alignment_ = 256;
  int kernels_per_pass_ = 256;
};

}  // namespace gaussmap::gl
