// --scale log with an automatic range: the CPU backends give the reference's PNG within one level
// (log_scale_backends.h; the GL paths are in log_scale_gl_test).
#include "log_scale_backends.h"

namespace gaussmap::testing {
namespace {

TEST_F(LogScaleBackends, CpuGivesTheReferencesPng) {
  expectLikeTheReference({"--backend", "cpu"}, "cpu");
}

// The same rule holds for a single recorded frame: its all-frame range is the same rule's.
TEST_F(LogScaleBackends, RecordedFrameIsTheRenderedPng) {
  const std::string scene = std::string(GAUSSMAP_SOURCE_DIR) + "/scenes/sweep.json";
  const RunResult rec = run({"record", scene, "--frames", "1", "--backend", "reference", "--scale",
                             "log", "--cutoff", "100", "-o", "f_%d.png"});
  ASSERT_EQ(rec.exit_code, 0) << rec.err;
  const RunResult one = run({"render", scene, "--time", "0", "--backend", "reference", "--scale",
                             "log", "--cutoff", "100", "-o", "one.png"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(readPng(outPath("f_0.png")).image.pixels, readPng(outPath("one.png")).image.pixels);
}

}  // namespace
}  // namespace gaussmap::testing
