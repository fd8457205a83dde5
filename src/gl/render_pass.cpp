#include "gl/render_pass.h"

#include "core/index_kernel.h"

namespace gaussmap::gl {

Program& ProgramCache::get(const std::string& vertex, const std::string& fragment,
                           const std::string& defines) {
  const std::string key = vertex + "|" + fragment + "|" + defines;
  auto it = programs_.find(key);
  if (it == programs_.end()) it = programs_.emplace(key, Program(vertex, fragment, defines)).first;
  return it->second;
}

void StageTimer::begin() {
  if (!enabled_) return;
  // A render that stopped midway (an interrupt, an error) left its query running.
  if (active_) glEndQuery(GL_TIME_ELAPSED);
  glBeginQuery(GL_TIME_ELAPSED, query_.id());
  active_ = true;
}

void StageTimer::end() {
  if (enabled_ && active_) glEndQuery(GL_TIME_ELAPSED);
  used_ = enabled_ && active_;
  active_ = false;
}

double StageTimer::milliseconds() {
  if (!used_) return -1;
  GLuint64 ns = 0;
  glGetQueryObjectui64v(query_.id(), GL_QUERY_RESULT, &ns);
  used_ = false;
  return double(ns) * 1e-6;
}

std::string combineDefines(const Scene& scene) {
  std::string defines;
  switch (scene.combine) {
    case Combine::Sum:
      defines = "#define COMBINE_SUM 1\n";
      break;
    case Combine::Max:
      defines = "#define COMBINE_MAX 1\n";
      break;
    case Combine::Union:
      defines = "#define COMBINE_UNION 1\n";
      break;
  }
  if (scene.combine == Combine::Max && !scene.cutoff) defines += "#define TAILS_COUNT_AS_ZERO 1\n";
  return defines;
}

std::string kernelDefines(const Scene& scene) {
  return combineDefines(scene) +
         (scene.normalize == Normalize::Cell ? "#define NORMALIZE_CELL 1\n" : "");
}

float accumulatorIdentity(Combine combine) {
  return combine == Combine::Max ? kNoKernel : 0.0f;
}

void resetSharedState() {
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  glDisable(GL_STENCIL_TEST);
  glColorMask(GL_TRUE, GL_TRUE, GL_TRUE, GL_TRUE);
}

void drawFullscreenTriangle(const VertexArray& empty_vao) {
  glBindVertexArray(empty_vao.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
}

}  // namespace gaussmap::gl
