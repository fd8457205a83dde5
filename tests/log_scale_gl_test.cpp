// --scale log with an automatic range: both GL paths give the reference's PNG within one level
// (log_scale_backends.h). Needs an OpenGL context (headless EGL is enough).
#include "log_scale_backends.h"

namespace gaussmap::testing {
namespace {

class LogScaleGl : public LogScaleBackends {
 protected:
  void SetUp() override {
    LogScaleBackends::SetUp();
    const RunResult probe = run({"render", "weak.json", "--backend", "gl", "-o", "probe.npy"});
    if (probe.exit_code == 1)
      GTEST_SKIP() << "SKIPPED LOUDLY: no OpenGL context can be made here, the GL paths' log "
                      "colours were not checked: "
                   << probe.err;
    ASSERT_EQ(probe.exit_code, 0) << probe.err;
  }
};

TEST_F(LogScaleGl, LoopPathGivesTheReferencesPng) {
  expectLikeTheReference({"--backend", "gl", "--gl-path", "loop"}, "gl_loop");
}

TEST_F(LogScaleGl, FootprintPathGivesTheReferencesPng) {
  expectLikeTheReference({"--backend", "gl", "--gl-path", "footprint"}, "gl_footprint");
}

}  // namespace
}  // namespace gaussmap::testing
