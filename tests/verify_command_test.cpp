// gaussmap verify end to end: cpu and both GL paths against the reference, at a time, and its
// wording. Labelled gl: it makes OpenGL contexts (Mesa's llvmpipe here).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "binary_test.h"

namespace gaussmap {
namespace {

using ::testing::HasSubstr;

const std::string kSource = GAUSSMAP_SOURCE_DIR;
const std::string kSeed = kSource + "/scenes/seed.json";

using gaussmap::testing::RunResult;
using VerifyCommandTest = gaussmap::testing::BinaryTest;

TEST_F(VerifyCommandTest, MessagesCountOneKernelInTheSingular) {
  const RunResult r = run({"verify", kSource + "/tests/data/small.json", "--size", "20x15"});
  EXPECT_THAT(r.out, HasSubstr("(20x15, 1 kernel, "));
  const RunResult two = run({"verify", kSeed, "--size", "20x20"});
  EXPECT_THAT(two.out, HasSubstr("(20x20, 2 kernels, "));
}

TEST_F(VerifyCommandTest, VerifyChecksCpuAndBothGlPathsAtATime) {
  const RunResult r =
      run({"verify", kSource + "/scenes/sweep.json", "--time", "1.5", "--size", "100x100"});
  EXPECT_THAT(r.out, HasSubstr(" at t=1.5 s"));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\ncpu +max abs error [0-9.e+-]+  relative "
                                              "[0-9.e+-]+  ok "));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\ngl loop +max abs error .* ok "));
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\ngl footprint +max abs error .* ok "));
  EXPECT_THAT(r.out, HasSubstr("PASS: every backend within 1e-05"));
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

TEST_F(VerifyCommandTest, WithoutOpenGlVerifyChecksCpuAndSaysWhatItCouldNot) {
  // glvnd finds no EGL vendor: no context can be made.
  const RunResult r =
      run({"verify", kSeed, "--size", "40x40"}, "__EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent.json");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\ncpu +max abs error .* ok "));
  EXPECT_THAT(r.out, HasSubstr("\ngl loop       not checked: cannot create an OpenGL context"));
  EXPECT_THAT(r.out, HasSubstr("\ngl footprint  not checked: "));
  EXPECT_THAT(r.out, HasSubstr("FAIL: 2 backends not checked; the others are within 1e-05 of the "
                               "reference (--backend cpu renders here)"));
}

TEST_F(VerifyCommandTest, VerifyFailsABackendBeyondTheTolerance) {
  // 1e-12 is far below float32's rounding: every fast backend must fail it.
  const RunResult r = run({"verify", kSeed, "--size", "40x40", "--tol", "1e-12"});
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.out, ::testing::ContainsRegex("\ncpu +max abs error .*FAIL"));
  EXPECT_THAT(r.out, HasSubstr("FAIL: 3 backends beyond 1e-12"));
}

}  // namespace
}  // namespace gaussmap
