#pragma once
// Internal to src/gl (includes the OpenGL loader): what the heat-map renderer's passes share:
// compiled programs, GPU stage timers, the shader #defines of a scene, the GL state they assume
// and the full-screen triangle.
#include <map>
#include <string>

#include "gaussmap/scene.h"
#include "gl/gl.h"
#include "gl/gl_objects.h"
#include "gl/program.h"

namespace gaussmap::gl {

// Programs by (vertex file, fragment file, defines), compiled on first use and kept.
class ProgramCache {
 public:
  Program& get(const std::string& vertex, const std::string& fragment, const std::string& defines);

 private:
  std::map<std::string, Program> programs_;
};

// GPU time of one stage (a GL_TIME_ELAPSED query), read after the work is done.
class StageTimer {
 public:
  explicit StageTimer(bool enabled) : enabled_(enabled) {}
  void begin();
  void end();
  // The last stage's time, once; -1 when none was measured.
  double milliseconds();

 private:
  bool enabled_;
  bool active_ = false;
  bool used_ = false;
  Query query_;
};

// The combine mode's #define; for `max` without a cutoff also TAILS_COUNT_AS_ZERO: a kernel
// beyond its negligible radius still takes part with the value 0 rather than not at all (the
// untruncated kernel is there everywhere, so a negative kernel must not win where a positive
// one's tail was dropped).
std::string combineDefines(const Scene& scene);
// combineDefines, and NORMALIZE_CELL for `cell`: what shaders/gaussian.glsl needs.
std::string kernelDefines(const Scene& scene);

// What an accumulator starts from: core's kNoKernel for max, 0 otherwise (gaussian.glsl's
// kAccumulatorIdentity).
float accumulatorIdentity(Combine combine);

// Turns off the shared state other code (Dear ImGui) may have left on: scissor, depth, culling,
// stencil, a colour mask.
void resetSharedState();

// One triangle over the whole viewport (fullscreen.vert); the core profile draws nothing
// without a bound vertex array, hence `empty_vao`.
void drawFullscreenTriangle(const VertexArray& empty_vao);

}  // namespace gaussmap::gl
