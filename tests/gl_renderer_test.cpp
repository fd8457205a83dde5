// The OpenGL heat-map renderer on a headless EGL context (llvmpipe in CI), checked against the
// exact double-precision reference: randomised scenes for every combine x normalize x path, the
// loop path's chunking, `union` near 1e-4, edge-case grids, path selection, the GPU colormap
// pass, the shipped scenes, and the `gaussmap` binary end to end.
// Without a context these tests fail with EGL's explanation; they never skip.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/wait.h>
#include "binary_test.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <numbers>
#include <optional>
#include <ostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/interrupt.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene.h"
#include "gaussmap/scene_json.h"
#include "gl/context.h"
#include "gl/gl_backend.h"
#include "gl/heatmap_renderer.h"
#include "gl/kernel_packing.h"
#include "random_scenes.h"
#include "reference/reference_backend.h"
#include "reference/reference_renderer.h"
#include "reference_comparison.h"
#include "test_kernels.h"

namespace gaussmap::gl {
namespace {

namespace fs = std::filesystem;

constexpr double kTolerance = 1e-5;  // max |gl - reference| / max |reference|
constexpr double kPi = std::numbers::pi;
const std::string kSource = GAUSSMAP_SOURCE_DIR;

using test::Comparison;
using test::kCombines;
using test::kNormalizes;
constexpr GlPath kPaths[] = {GlPath::Loop, GlPath::Footprint};

std::string str(std::string_view v) {
  return std::string(v);
}

std::string modeName(Combine c, Normalize n, GlPath p) {
  return str(toString(c)) + "/" + str(toString(n)) + "/" + str(toString(p));
}

// --- Comparing against the reference ---

// The exact image (for `max` without a cutoff, the reference counts a kernel skipped beyond its
// reach as 0, as the untruncated math does).
DoubleImage exactImage(const Scene& scene) {
  return reference::render(scene);
}

// --- Random scenes: tests/random_scenes.h (shared with the CPU renderer's tests) ---

using test::randomKernel;
using test::randomScene;
using test::SceneDice;

// --- The shared context ---

// One headless context and renderer per test suite. A suite that cannot get a context fails
// every test with EGL's explanation.
class GlRendererTest : public ::testing::Test {
 public:
  static void SetUpTestSuite() {
    context_error_.clear();
    try {
      context_ = createHeadlessContext();
      renderer_ = std::make_unique<HeatmapRenderer>(*context_);
    } catch (const std::exception& error) {
      context_error_ = error.what();
      renderer_.reset();
      context_.reset();
    }
  }
  static void TearDownTestSuite() {
    if (context_) context_->makeCurrent();
    renderer_.reset();  // its GL objects go while the context is alive
    context_.reset();
  }

 protected:
  void SetUp() override {
    ASSERT_TRUE(renderer_) << "no headless OpenGL context, so the GL renderer cannot be tested: "
                           << context_error_;
    context_->makeCurrent();
  }

  static HeatmapRenderer& renderer() { return *renderer_; }

  static FloatImage renderGl(const Scene& scene, GlPath path) {
    renderer_->render(scene, path);
    return renderer_->readValues();
  }

  // Renders through `path` and compares with the reference; records a failure above kTolerance.
  static Comparison expectMatchesReference(const Scene& scene, GlPath path) {
    SCOPED_TRACE("scene: " + test::sceneForTrace(scene));
    const FloatImage gl = renderGl(scene, path);
    const GlRenderStats& stats = renderer_->stats();
    if (path != GlPath::Auto) {
      EXPECT_EQ(stats.path, path);
    }
    EXPECT_EQ(gl.width, scene.width);
    EXPECT_EQ(gl.height, scene.height);
    const Comparison c = test::compare(gl, exactImage(scene));
    EXPECT_LE(c.relative, kTolerance)
        << "through the " << toString(stats.path) << " path: " << test::describe(c, "gl");
    return c;
  }

  // Kernels per loop-path pass: min(GL_MAX_UNIFORM_BLOCK_SIZE / 64, 1024).
  static int kernelsPerChunk() {
    return std::clamp(context_->caps().max_uniform_block_size / 64, 1, 1024);
  }

 private:
  static inline std::unique_ptr<Context> context_;
  static inline std::unique_ptr<HeatmapRenderer> renderer_;
  static inline std::string context_error_;
};

// --- 1. Randomised comparisons, every combine x normalize x path ---

struct Mode {
  Combine combine;
  Normalize normalize;
  GlPath path;
};

// Names the mode in failure messages and in CTest's test list.
void PrintTo(const Mode& mode, std::ostream* out) {
  *out << modeName(mode.combine, mode.normalize, mode.path);
}

std::vector<Mode> allModes() {
  std::vector<Mode> modes;
  for (Combine c : kCombines)
    for (Normalize n : kNormalizes)
      for (GlPath p : kPaths) modes.push_back({c, n, p});
  return modes;
}

std::string modeTestName(const ::testing::TestParamInfo<Mode>& info) {
  std::string name = modeName(info.param.combine, info.param.normalize, info.param.path);
  std::replace(name.begin(), name.end(), '/', '_');
  return name;
}

class GlRendererRandomScenes : public GlRendererTest, public ::testing::WithParamInterface<Mode> {};

// The seeded scene sets (1 to 2,000 kernels): test::kSeededSceneSets.

TEST_P(GlRendererRandomScenes, WithinOneInAHundredThousandOfTheImageMax) {
  const Mode mode = GetParam();
  Comparison worst;
  std::uint32_t worst_seed = 0;
  for (const test::SeededCount& s : test::kSeededSceneSets) {
    const int count = mode.normalize == Normalize::Cell ? s.cell_kernels : s.kernels;
    const std::uint32_t seed =
        s.seed * 1000 + std::uint32_t(mode.combine) * 100 + std::uint32_t(mode.normalize) * 10;
    const Scene scene = randomScene(seed, mode.combine, mode.normalize, count);
    SCOPED_TRACE("seed " + std::to_string(seed) + ", " + std::to_string(count) + " kernels, " +
                 std::to_string(scene.width) + "x" + std::to_string(scene.height) + ", " +
                 modeName(mode.combine, mode.normalize, mode.path));
    ASSERT_NO_THROW(validateScene(scene));
    const Comparison c = expectMatchesReference(scene, mode.path);
    if (c.relative >= worst.relative) {
      worst = c;
      worst_seed = seed;
    }
  }
  std::printf("max relative error %-22s %.3e (seed %u)\n",
              modeName(mode.combine, mode.normalize, mode.path).c_str(), worst.relative,
              worst_seed);
  RecordProperty("max_relative_error", std::to_string(worst.relative));
}

INSTANTIATE_TEST_SUITE_P(EveryMode, GlRendererRandomScenes, ::testing::ValuesIn(allModes()),
                         modeTestName);

// --- 1b. Chunks, precision and edge cases ---

class GlRendererVersusReference : public GlRendererTest {};

TEST_F(GlRendererVersusReference, LoopPathChunksMoreKernelsThanOneUniformBlockHolds) {
  const int per_chunk = kernelsPerChunk();
  ASSERT_LT(per_chunk, 2000) << "2,000 kernels fit one block here; the test would prove nothing";
  for (Combine combine : kCombines) {
    for (Normalize normalize : {Normalize::Pdf, Normalize::Cell}) {
      const std::uint32_t seed = 5000 + std::uint32_t(combine) * 10 + std::uint32_t(normalize);
      // Every kernel on the image, none culled: exactly ceil(2000 / per_chunk) passes.
      SceneDice dice(seed);
      Scene scene = randomScene(seed, combine, normalize, 0);
      scene.cutoff.reset();
      const SampleGrid grid = scene.grid();
      for (int n = 0; n < 2000; ++n) {
        Kernel k = randomKernel(dice, scene, grid, true);
        if (normalize == Normalize::Cell) {  // narrow, so the reference stays quick
          k.sigma_x = std::min(k.sigma_x, 2 * grid.cellWidth());
          k.sigma_y = std::min(k.sigma_y, 2 * grid.cellHeight());
          k.cov.reset();
          if (combine == Combine::Union) k.weight = dice.uniform(0.02, 0.999);
        }
        scene.kernels.push_back(k);
      }
      SCOPED_TRACE("seed " + std::to_string(seed) + ", 2000 kernels, " +
                   modeName(combine, normalize, GlPath::Loop));
      ASSERT_NO_THROW(validateScene(scene));
      const Comparison c = expectMatchesReference(scene, GlPath::Loop);
      EXPECT_EQ(renderer().stats().kernels_drawn, 2000);
      EXPECT_EQ(renderer().stats().passes, (2000 + per_chunk - 1) / per_chunk);
      EXPECT_GT(renderer().stats().passes, 1);
      std::printf("2000 kernels in %d loop passes of %d, %-16s relative error %.3e\n",
                  renderer().stats().passes, per_chunk,
                  (str(toString(combine)) + "/" + str(toString(normalize))).c_str(), c.relative);
    }
  }
}

TEST_F(GlRendererVersusReference, AStopRequestEndsALongLoopRenderBetweenPasses) {
  // More kernels than one uniform block holds: several full passes, with checkpoints between.
  Scene scene = randomScene(77, Combine::Sum, Normalize::Pdf, 0);
  SceneDice dice(77);
  const SampleGrid grid = scene.grid();
  for (int n = 0; n < 3 * kernelsPerChunk(); ++n)
    scene.kernels.push_back(randomKernel(dice, scene, grid, true));
  requestInterrupt(SIGTERM);
  try {
    renderGl(scene, GlPath::Loop);
    ADD_FAILURE() << "the render ignored the stop request";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.exitCode(), 143);
  }
  clearInterrupt();
  // The renderer is still usable afterwards.
  expectMatchesReference(test::unionNear1em4Scene(), GlPath::Loop);
}

TEST_F(GlRendererVersusReference, UnionKeepsDigitsForPdfValuesNear1em4) {
  const Scene scene = test::unionNear1em4Scene();
  for (const Kernel& k : scene.kernels) ASSERT_NEAR(k.peakValue(Normalize::Pdf), 1e-4, 1e-5);

  const DoubleImage ref = reference::render(scene);
  // The literal product in float, 1 - (1 - v1)(1 - v2), loses about three digits here: this is
  // what the test must be able to catch.
  FloatImage naive(scene.width, scene.height);
  const SampleGrid grid = scene.grid();
  for (int j = 0; j < scene.height; ++j) {
    for (int i = 0; i < scene.width; ++i) {
      float product = 1.0f;
      for (const Kernel& k : scene.kernels)
        product *= 1.0f - float(*reference::kernelValue(k, scene, grid, i, j));
      naive.at(i, j) = 1.0f - product;
    }
  }
  const Comparison naive_error = test::compare(naive, ref);
  EXPECT_GT(naive_error.relative, 10 * kTolerance) << test::describe(naive_error, "naive float");

  for (GlPath path : kPaths) {
    SCOPED_TRACE(str(toString(path)));
    const Comparison c = expectMatchesReference(scene, path);
    EXPECT_LT(c.scale, 3e-4);
    std::printf("union of pdfs near 1e-4, %-9s relative error %.3e (naive float product %.3e)\n",
                str(toString(path)).c_str(), c.relative, naive_error.relative);
  }
}

TEST_F(GlRendererVersusReference, SingleColumnSingleRowAndSingleSampleGrids) {
  for (Combine combine : kCombines) {
    for (Normalize normalize : kNormalizes) {
      for (int g = 0; g < test::kDegenerateGridCount; ++g) {
        std::uint32_t seed = 0;
        const Scene scene = test::degenerateGridScene(combine, normalize, g, &seed);
        ASSERT_NO_THROW(validateScene(scene));
        for (GlPath path : kPaths) {
          SCOPED_TRACE("seed " + std::to_string(seed) + ", " + std::to_string(scene.width) + "x" +
                       std::to_string(scene.height) + ", " + modeName(combine, normalize, path));
          expectMatchesReference(scene, path);
        }
      }
    }
  }
}

TEST_F(GlRendererVersusReference, EmptyKernelListGivesExactZerosInEveryMode) {
  for (Combine combine : kCombines) {
    for (Normalize normalize : kNormalizes) {
      for (GlPath path : kPaths) {
        SCOPED_TRACE(modeName(combine, normalize, path));
        // Something else first, at the same size, so that stale contents would show.
        Scene busy = randomScene(9000, combine, normalize, 5);
        busy.width = 37;
        busy.height = 29;
        renderGl(busy, path);
        Scene empty = busy;
        empty.kernels.clear();
        ASSERT_NO_THROW(validateScene(empty));
        const FloatImage values = renderGl(empty, path);
        ASSERT_EQ(values.pixels.size(), std::size_t(37 * 29));
        // +0 exactly: -0 == 0, so the sign bit is checked too (union once wrote -expm1(0)).
        const auto nonzero = std::count_if(values.pixels.begin(), values.pixels.end(),
                                           [](float v) { return v != 0.0f || std::signbit(v); });
        EXPECT_EQ(nonzero, 0) << "first value " << values.pixels[0];
        EXPECT_EQ(renderer().stats().kernels_drawn, 0);
      }
    }
  }
}

TEST_F(GlRendererVersusReference, KernelsFarFromTheOriginKeepTheirDigits) {
  for (Combine combine : kCombines) {
    for (Normalize normalize : kNormalizes) {
      std::uint32_t seed = 0;
      const Scene scene = test::farFromOriginScene(combine, normalize, 128, 96, &seed);
      ASSERT_NO_THROW(validateScene(scene));
      for (GlPath path : kPaths) {
        SCOPED_TRACE("seed " + std::to_string(seed) + ", " + modeName(combine, normalize, path));
        const Comparison c = expectMatchesReference(scene, path);
        std::printf("extent [100000, 100127] x [-250000, -250095], %-22s relative error %.3e\n",
                    modeName(combine, normalize, path).c_str(), c.relative);
      }
    }
  }
}

// Kernels with a sigma ratio of `ratio` at 36 angles, centred between samples, 96x96 samples.
Scene anisotropicScene(Normalize normalize, double ratio) {
  Scene scene;
  scene.width = 96;
  scene.height = 96;
  scene.normalize = normalize;
  scene.combine = Combine::Max;
  for (int n = 0; n < 36; ++n) {
    Kernel k;
    k.x = 6.37 + 2.45 * n;
    k.y = 47.61 + 9.3 * std::sin(n);
    k.sigma_x = normalize == Normalize::Cell ? 0.4 : 1.1;
    k.sigma_y = ratio * k.sigma_x;
    k.angle_deg = 2.5 + 5.0 * n;
    scene.kernels.push_back(k);
  }
  return scene;
}

// What the expanded quadratic form a di^2 + 2 b di dj + c dj^2 gives in float (peak kernels on
// the default extent): along a rotated kernel's long axis its terms cancel.
FloatImage expandedQuadraticFormInFloat(const Scene& scene) {
  FloatImage out(scene.width, scene.height, -INFINITY);
  for (const Kernel& k : scene.kernels) {
    const Covariance c = k.covariance();
    const float a = float(c.yy / c.det()), b = float(-c.xy / c.det()), d = float(c.xx / c.det());
    for (int j = 0; j < scene.height; ++j) {
      for (int i = 0; i < scene.width; ++i) {
        const float di = float(i - k.x), dj = float(j - k.y);
        const float m2 = a * di * di + 2.0f * b * di * dj + d * dj * dj;
        out.at(i, j) = std::max(out.at(i, j), float(k.weight) * std::exp(-0.5f * m2));
      }
    }
  }
  return out;
}

TEST_F(GlRendererVersusReference, VeryAnisotropicRotatedKernelsKeepTheirDigits) {
  for (double ratio : {20.0, 30.0}) {
    // The expanded form in float is what this test must be able to catch.
    const Scene peak = anisotropicScene(Normalize::Peak, ratio);
    const Comparison expanded =
        test::compare(expandedQuadraticFormInFloat(peak), reference::render(peak));
    EXPECT_GT(expanded.relative, ratio > 25 ? 2 * kTolerance : kTolerance)
        << test::describe(expanded, "expanded float");
    for (Normalize normalize : kNormalizes) {
      const Scene scene = anisotropicScene(normalize, ratio);
      for (GlPath path : kPaths) {
        SCOPED_TRACE(modeName(scene.combine, normalize, path) + ", ratio " + std::to_string(ratio));
        const Comparison c = expectMatchesReference(scene, path);
        EXPECT_LT(c.relative, 0.1 * kTolerance);
        std::printf(
            "sigma ratio %.0f at 36 angles, %-20s relative error %.3e (expanded form in "
            "float: %.3e)\n",
            ratio, modeName(scene.combine, normalize, path).c_str(), c.relative, expanded.relative);
      }
    }
  }
}

// A max of peaks on a 61 x 21 grid, no cutoff, and its kernels on row 10: a negative one at
// column 10 (sigma 2), a positive one at 50 (sigma 1) and a weaker negative one at 16.
struct MaxTailScene {
  Scene scene;
  Kernel negative, positive, weaker;
};

MaxTailScene maxTailScene() {
  MaxTailScene m;
  m.scene.width = 61;
  m.scene.height = 21;
  m.scene.combine = Combine::Max;
  m.scene.normalize = Normalize::Peak;
  m.negative.x = 10;
  m.negative.y = 10;
  m.negative.sigma_x = m.negative.sigma_y = 2;
  m.negative.weight = -1;
  m.positive.x = 50;
  m.positive.y = 10;
  m.weaker = m.negative;
  m.weaker.x = 16;
  m.weaker.weight = -0.5;
  return m;
}

TEST_F(GlRendererVersusReference, MaxCountsANegligibleTailAsZeroNotAsAbsent) {
  // Without a cutoff every kernel is nonzero everywhere, so beside a negative kernel and far
  // from a positive one the maximum is the positive kernel's tiny tail (about 0), not -1.
  auto [scene, negative, positive, weaker] = maxTailScene();
  const auto at = [](const FloatImage& image, int i) { return double(image.at(i, 10)); };
  for (GlPath path : kPaths) {
    SCOPED_TRACE(str(toString(path)));
    scene.kernels = {negative, positive};
    scene.cutoff.reset();
    FloatImage values = renderGl(scene, path);
    EXPECT_EQ(at(values, 10), 0.0);  // max(-1, exp(-800))
    EXPECT_EQ(at(values, 30), 0.0);
    EXPECT_NEAR(at(values, 50), 1.0, 1e-6);
    EXPECT_NEAR(at(values, 51), std::exp(-0.5), 1e-6);

    // All negative: about 0 wherever one of them is negligible; the larger (less negative)
    // value where both are not.
    scene.kernels = {negative, weaker};
    values = renderGl(scene, path);
    EXPECT_NEAR(at(values, 13), -0.5 * std::exp(-9.0 / 8.0), 1e-6);
    EXPECT_NEAR(at(values, 10), -0.5 * std::exp(-36.0 / 8.0), 1e-6);
    EXPECT_EQ(at(values, 40), 0.0);  // both negligible
    EXPECT_EQ(at(values, 0), 0.0);   // `weaker` at 8 sigma: negligible
    EXPECT_EQ(values.at(10, 0), 0.0f);

    // With a cutoff a kernel beyond it is absent: beside the negative kernel the value is -1.
    scene.kernels = {negative, positive};
    scene.cutoff = 3.0;
    values = renderGl(scene, path);
    EXPECT_NEAR(at(values, 10), -1.0, 1e-6);
    EXPECT_EQ(at(values, 30), 0.0);  // nothing within its cutoff
    EXPECT_NEAR(at(values, 50), 1.0, 1e-6);
  }
  // The reference follows the same math.
  scene.kernels = {negative, positive};
  scene.cutoff.reset();
  const DoubleImage exact = reference::render(scene);
  EXPECT_EQ(exact.at(10, 10), 0.0);
  EXPECT_NEAR(exact.at(51, 10), std::exp(-0.5), 1e-15);
  scene.cutoff = 3.0;
  EXPECT_DOUBLE_EQ(reference::render(scene).at(10, 10), -1.0);
}

// --- 1c. Windows: the crop of the whole grid's render ---

class GlRendererWindows : public GlRendererTest {
 protected:
  // Renders `window` through `path` and holds it to the reference's crop by the whole render's
  // measure (error over the whole image's max |value|: a window of tails would otherwise compare
  // the contract's dropped tails with themselves), and to GL's own whole render there (a window
  // off by a sample misses by about a value, not 1e-5 of the largest).
  static void expectWindowIsTheCrop(const Scene& scene, const SampleWindow& window, GlPath path,
                                    const DoubleImage& whole_exact, const FloatImage& whole_gl) {
    SCOPED_TRACE("window " + std::to_string(window.i0) + "," + std::to_string(window.j0) + "," +
                 std::to_string(window.width) + "x" + std::to_string(window.height) + " of " +
                 std::to_string(scene.width) + "x" + std::to_string(scene.height) + " through " +
                 str(toString(path)));
    renderer().render(scene, path, window);
    const FloatImage gl = renderer().readValues();
    ASSERT_EQ(gl.width, window.width);
    ASSERT_EQ(gl.height, window.height);
    EXPECT_EQ(renderer().stats().path, path);
    DoubleImage exact(window.width, window.height);
    FloatImage own(window.width, window.height);
    for (int j = 0; j < window.height; ++j) {
      for (int i = 0; i < window.width; ++i) {
        exact.at(i, j) = whole_exact.at(window.i0 + i, window.j0 + j);
        own.at(i, j) = whole_gl.at(window.i0 + i, window.j0 + j);
      }
    }
    double scale = 0;
    for (double v : whole_exact.pixels) scale = std::max(scale, std::abs(v));
    const Comparison c = test::compare(gl, exact);
    const double relative = scale > 0 ? c.max_abs / scale : c.max_abs;
    EXPECT_LE(relative, kTolerance)
        << test::describe(c, "gl") << " (whole image max " << scale << ")";
    DoubleImage own_exact(window.width, window.height);
    std::copy(own.pixels.begin(), own.pixels.end(), own_exact.pixels.begin());
    const Comparison self = test::compare(gl, own_exact);
    EXPECT_LE(scale > 0 ? self.max_abs / scale : self.max_abs, kTolerance)
        << "against GL's whole render: " << test::describe(self, "gl window");
  }

  // expectWindowIsTheCrop for every window of windowsOf, through both paths.
  static void expectEveryWindowIsTheCrop(const Scene& scene) {
    ASSERT_NO_THROW(validateScene(scene));
    const DoubleImage exact = exactImage(scene);
    for (GlPath path : kPaths) {
      const FloatImage whole = renderGl(scene, path);
      for (const SampleWindow& window : windowsOf(scene.width, scene.height))
        expectWindowIsTheCrop(scene, window, path, exact, whole);
    }
  }

  // The whole grid, 1x1 at two corners, the last column and row, blocks at the far corner and
  // at odd offsets (the footprint path's 2 x 2 blocks start at the window), and the interior.
  static std::vector<SampleWindow> windowsOf(int w, int h) {
    return {{0, 0, w, h},
            {0, 0, 1, 1},
            {w - 1, h - 1, 1, 1},
            {w - 1, 0, 1, h},
            {0, h - 1, w, 1},
            {w - 17, h - 11, 17, 11},
            {3, 5, std::min(17, w - 3), std::min(13, h - 5)},
            {w / 4, h / 5, w / 2, h / 3}};
  }
};

TEST_F(GlRendererWindows, EveryWindowIsTheCropOfTheWholeRenderInEveryModeAndPath) {
  // The random comparisons' scenes of 7 and 25 kernels in every combine x normalize: a cutoff
  // half the time, kernels rotated 7 times in 10, some off the grid, flipped extents.
  for (const test::SeededCount& s : {test::kSeededSceneSets[3], test::kSeededSceneSets[4]}) {
    for (Combine combine : kCombines) {
      for (Normalize normalize : kNormalizes) {
        const std::uint32_t seed =
            s.seed * 1000 + std::uint32_t(combine) * 100 + std::uint32_t(normalize) * 10;
        const Scene scene = randomScene(seed, combine, normalize,
                                        normalize == Normalize::Cell ? s.cell_kernels : s.kernels);
        SCOPED_TRACE("seed " + std::to_string(seed) + ", " + test::modeName(combine, normalize) +
                     (scene.cutoff ? ", cutoff" : ", no cutoff"));
        expectEveryWindowIsTheCrop(scene);
      }
    }
  }
}

TEST_F(GlRendererWindows, ShippedScenesAndAFlippedNonSquareGrid) {
  std::vector<Scene> scenes;
  for (const char* name : {"seed.json", "rotated_cells.json", "sensor_sweep_cutoff.json"})
    scenes.push_back(loadScene(kSource + "/scenes/" + name));
  // Steps of -0.5 across and 2 down: the window's centres come from the whole grid's steps,
  // and `cell` integrates over the whole grid's cells.
  Scene flipped;
  flipped.width = 45;
  flipped.height = 33;
  flipped.extent = Extent{40, 18, -10, 54};
  flipped.normalize = Normalize::Cell;
  flipped.kernels = {test::kernelAt(30, 20, 1.5, 4, 30), test::kernelAt(21, 50, 1, 3),
                     test::kernelAt(39, -8, 2, 2), test::kernelAt(25, 30, 6, 1, -50)};
  scenes.push_back(flipped);
  for (const Scene& scene : scenes) {
    SCOPED_TRACE(scene.name.empty() ? "flipped non-square grid" : scene.name);
    expectEveryWindowIsTheCrop(scene);
  }
}

TEST_F(GlRendererWindows, MaxWithoutCutoffCountsTailsAsZeroRelativeToTheWindow) {
  // MaxCountsANegligibleTailAsZeroNotAsAbsent's scene through a window that starts at (4, 3):
  // the "reached by all kernels" rectangle must be the window's, or the all-negative values
  // would move by four columns.
  auto [scene, negative, positive, weaker] = maxTailScene();
  const SampleWindow window{4, 3, 36, 15};
  const auto at = [&](const FloatImage& image, int i) {
    return double(image.at(i - window.i0, 10 - window.j0));
  };
  for (GlPath path : kPaths) {
    SCOPED_TRACE(str(toString(path)));
    // The positive kernel lies outside the window and is culled; its tail still counts as 0.
    scene.kernels = {negative, positive};
    renderer().render(scene, path, window);
    FloatImage values = renderer().readValues();
    EXPECT_EQ(renderer().stats().kernels_drawn, 1);
    EXPECT_EQ(at(values, 10), 0.0);
    scene.kernels = {negative, weaker};
    renderer().render(scene, path, window);
    values = renderer().readValues();
    EXPECT_NEAR(at(values, 13), -0.5 * std::exp(-9.0 / 8.0), 1e-6);
    EXPECT_NEAR(at(values, 10), -0.5 * std::exp(-36.0 / 8.0), 1e-6);
    EXPECT_EQ(at(values, 38), 0.0);  // both negligible
    EXPECT_EQ(at(values, 4), 0.0);   // `weaker` at 6 sigma: negligible
    const Comparison c = test::compare(values, reference::render(scene, window));
    EXPECT_LE(c.relative, kTolerance) << test::describe(c, "gl");
  }
}

TEST_F(GlRendererWindows, TheTargetIsTheWindowsSizeAndBadWindowsAreRefused) {
  const Scene seed = loadScene(kSource + "/scenes/seed.json");
  renderer().render(seed, GlPath::Loop, SampleWindow{100, 50, 64, 32});
  const FloatImage values = renderer().readValues();
  EXPECT_EQ(values.width, 64);
  EXPECT_EQ(values.height, 32);
  const RgbImage colours = renderer().colorize(resolveValueMapping(seed.display, values.pixels),
                                               *findColormap("viridis"), Origin::Upper);
  EXPECT_EQ(colours.width, 64);
  EXPECT_EQ(colours.height, 32);
  EXPECT_THROW(renderer().render(seed, GlPath::Loop, SampleWindow{390, 0, 11, 4}), InputError);
  EXPECT_THROW(renderer().render(seed, GlPath::Footprint, SampleWindow{0, 0, 0, 4}), InputError);
}

// --- 2. Path selection ---

class GlRendererPathSelection : public GlRendererTest {};

Scene sceneFromFile(const std::string& relative) {
  return loadScene(kSource + "/" + relative);
}

// Measured on llvmpipe (docs/performance.md): the seed's union of two large kernels takes 3.2 ms
// through the footprint path and 8.2 ms through the loop; the estimate must pick the former.
TEST_F(GlRendererPathSelection, EstimatePicksTheFootprintPathForTheSeed) {
  const Scene seed = sceneFromFile("scenes/seed.json");
  ASSERT_EQ(seed.kernels.size(), 2u);
  const PackedScene packed = packScene(seed);
  const PathEstimate e = estimatePaths(400.0 * 400.0, 2, packed.footprint_area, 1);
  EXPECT_EQ(e.choice, GlPath::Footprint) << e.reason;
  EXPECT_LT(e.footprint_ms, e.loop_ms) << e.reason;
  EXPECT_THAT(e.reason, ::testing::HasSubstr("predicted faster"));

  renderer().render(seed, GlPath::Auto);
  EXPECT_EQ(renderer().stats().path, GlPath::Footprint);
  EXPECT_EQ(renderer().stats().reason, e.reason);
}

TEST(GlPathEstimate, PicksThePathWithTheSmallerPrediction) {
  // A 32x32 grid of one small kernel: the loop's one short pass beats the footprint's fixed cost.
  const PathEstimate tiny = estimatePaths(32.0 * 32.0, 1, 100, 1);
  EXPECT_LT(tiny.loop_ms, tiny.footprint_ms);
  EXPECT_EQ(tiny.choice, GlPath::Loop) << tiny.reason;
  // Each prediction grows with what its path pays for.
  EXPECT_GT(estimatePaths(1e6, 10, 1e5, 1).loop_ms, estimatePaths(1e6, 5, 1e5, 1).loop_ms);
  EXPECT_GT(estimatePaths(1e6, 10, 1e5, 2).loop_ms, estimatePaths(1e6, 10, 1e5, 1).loop_ms);
  EXPECT_GT(estimatePaths(1e6, 10, 2e5, 1).footprint_ms,
            estimatePaths(1e6, 10, 1e5, 1).footprint_ms);
  EXPECT_DOUBLE_EQ(estimatePaths(1e6, 10, 2e5, 1).loop_ms, estimatePaths(1e6, 10, 1e5, 1).loop_ms);
  // One kernel covering a 1280x720 grid: measured 17 ms loop, 5.4 ms footprint.
  EXPECT_EQ(estimatePaths(1280.0 * 720, 1, 1280.0 * 720, 1).choice, GlPath::Footprint);
}

TEST_F(GlRendererPathSelection, EstimatePicksFootprintForAThousandSmallKernelsOn1920x1080) {
  const Scene many = sceneFromFile("bench/W4_many.json");
  ASSERT_EQ(many.kernels.size(), 1000u);
  ASSERT_EQ(many.width, 1920);
  ASSERT_EQ(many.height, 1080);
  const PackedScene packed = packScene(many);
  EXPECT_LT(packed.footprint_area, 0.05 * 1920.0 * 1080.0 * 1000.0);
  const PathEstimate e = estimatePaths(1920.0 * 1080.0, 1000, packed.footprint_area, 4);
  EXPECT_EQ(e.choice, GlPath::Footprint) << e.reason;

  renderer().render(many, GlPath::Auto);
  EXPECT_EQ(renderer().stats().path, GlPath::Footprint) << renderer().stats().reason;
  EXPECT_EQ(renderer().stats().passes, 1);
}

TEST_F(GlRendererPathSelection, ForcedPathIsUsedAndReported) {
  const Scene seed = sceneFromFile("scenes/seed.json");
  renderer().render(seed, GlPath::Footprint);
  EXPECT_EQ(renderer().stats().path, GlPath::Footprint);
  EXPECT_EQ(renderer().stats().reason, "requested by the caller");
  renderer().render(seed, GlPath::Loop);
  EXPECT_EQ(renderer().stats().path, GlPath::Loop);
  EXPECT_EQ(renderer().stats().passes, 1);
  EXPECT_EQ(renderer().stats().kernels_drawn, 2);
}

TEST(GlRendererPathNames, RoundTripThroughStrings) {
  for (GlPath p : {GlPath::Auto, GlPath::Loop, GlPath::Footprint})
    EXPECT_EQ(fromString<GlPath>(toString(p)), p);
  EXPECT_EQ(toString(GlPath::Footprint), "footprint");
  EXPECT_EQ(fromString<GlPath>("loops"), std::nullopt);
}

// --- 3. The colormap pass ---

class GlRendererColormapPass : public GlRendererTest {};

TEST_F(GlRendererColormapPass, EqualsCpuColormapOfTheReadBackValuesWithinOneLevel) {
  // Two scenes: a signed sum (negative values, which log cannot place) and a union.
  Scene signed_sum = randomScene(4242, Combine::Sum, Normalize::Peak, 30);
  signed_sum.width = 83;
  signed_sum.height = 61;
  Scene union_scene = randomScene(4343, Combine::Union, Normalize::Pdf, 20);
  std::size_t channels = 0, differing = 0;
  int largest = 0;
  for (const Scene* scene : {&signed_sum, &union_scene}) {
    renderer().render(*scene, GlPath::Auto);
    const FloatImage values = renderer().readValues();
    const float lo = *std::min_element(values.pixels.begin(), values.pixels.end());
    const float hi = *std::max_element(values.pixels.begin(), values.pixels.end());
    ASSERT_GT(hi, 0.0f);
    std::vector<std::optional<std::array<double, 2>>> ranges = {
        std::nullopt,                                                       // auto
        std::array<double, 2>{lo + 0.2 * (hi - lo), lo + 0.7 * (hi - lo)},  // values on both sides
        std::array<double, 2>{1e-3 * hi, 0.5 * hi},                         // positive, for log
        std::array<double, 2>{-2.0 * std::abs(hi), 3.0 * std::abs(hi)},     // wider than the data
        std::array<double, 2>{0.5 * hi, 0.5 * hi}};  // empty: everything at t = 0
    for (std::string_view name : colormapNames()) {
      const Colormap& map = *findColormap(name);
      for (Scale scale : {Scale::Linear, Scale::Sqrt, Scale::Log}) {
        for (const auto& range : ranges) {
          for (Origin origin : {Origin::Upper, Origin::Lower}) {
            Display display;
            display.colormap = std::string(name);
            display.range = range;
            display.scale = scale;
            display.origin = origin;
            const ValueMapping mapping = resolveValueMapping(display, values.pixels);
            SCOPED_TRACE(std::string(name) + ", " + str(toString(scale)) + ", range " +
                         std::to_string(mapping.lo) + ".." + std::to_string(mapping.hi) + ", " +
                         str(toString(origin)));
            const RgbImage gpu = renderer().colorize(mapping, map, origin);
            const RgbImage cpu = applyColormap(values, mapping, map, origin);
            ASSERT_EQ(gpu.width, cpu.width);
            ASSERT_EQ(gpu.height, cpu.height);
            int worst = 0;
            for (std::size_t k = 0; k < cpu.pixels.size(); ++k) {
              const Rgb8 a = gpu.pixels[k], b = cpu.pixels[k];
              for (int d : {a.r - b.r, a.g - b.g, a.b - b.b}) {
                ++channels;
                if (d != 0) ++differing;
                worst = std::max(worst, std::abs(d));
              }
            }
            EXPECT_LE(worst, 1);
            largest = std::max(largest, worst);
          }
        }
      }
    }
  }
  std::printf("GPU colormap pass: %zu of %zu channels differ from applyColormap (at most by %d)\n",
              differing, channels, largest);
  EXPECT_LT(double(differing), 0.01 * double(channels));
}

TEST_F(GlRendererColormapPass, LowerOriginPutsY0AtTheBottom) {
  Scene scene;
  scene.width = 5;
  scene.height = 4;
  scene.normalize = Normalize::Peak;
  Kernel k;
  k.x = 2;
  k.y = 0;  // brightest on row y0
  scene.kernels = {k};
  renderer().render(scene, GlPath::Loop);
  const Colormap& gray = *findColormap("gray");
  const ValueMapping mapping{0.0, 1.0, Scale::Linear};
  const RgbImage upper = renderer().colorize(mapping, gray, Origin::Upper);
  const RgbImage lower = renderer().colorize(mapping, gray, Origin::Lower);
  EXPECT_EQ(upper.at(2, 0), (Rgb8{255, 255, 255}));
  EXPECT_EQ(lower.at(2, 3), (Rgb8{255, 255, 255}));
  EXPECT_LT(lower.at(2, 0).r, 10);
}

// --- 4. The shipped scenes ---

class GlRendererShippedScenes : public GlRendererTest {};

std::vector<std::string> shippedScenePaths() {
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(kSource + "/scenes"))
    if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
  for (const char* name : {"W1_seed_union.json", "W2_solution2.json", "W3_solution1.json"})
    paths.push_back(kSource + "/bench/" + name);
  std::sort(paths.begin(), paths.end());
  return paths;
}

TEST_F(GlRendererShippedScenes, RenderLikeTheReferenceThroughEveryPath) {
  const std::vector<std::string> paths = shippedScenePaths();
  ASSERT_GE(paths.size(), 4u);
  EXPECT_NE(std::find(paths.begin(), paths.end(), kSource + "/scenes/seed.json"), paths.end());
  for (const std::string& path : paths) {
    const Scene scene = loadScene(path);
    const DoubleImage ref = exactImage(scene);
    for (GlPath gl_path : {GlPath::Auto, GlPath::Loop, GlPath::Footprint}) {
      SCOPED_TRACE(path + " through " + str(toString(gl_path)));
      const Comparison c = test::compare(renderGl(scene, gl_path), ref);
      EXPECT_LE(c.relative, kTolerance) << test::describe(c, "gl");
      std::printf("%-40s %-9s (%-9s) relative error %.3e\n", fs::path(path).filename().c_str(),
                  str(toString(gl_path)).c_str(), str(toString(renderer().stats().path)).c_str(),
                  c.relative);
    }
  }
}

// --- 5. The binary, end to end ---

using gaussmap::testing::readText;
using gaussmap::testing::RunResult;
// Runs the built binary in a fresh folder; `environment` is prefixed to the command line.
using GlRendererCli = gaussmap::testing::BinaryTest;

const std::string kSeedScene = kSource + "/scenes/seed.json";
// libglvnd then loads no EGL vendor at all, so every EGL attempt fails.
const std::string kNoEgl = "__EGL_VENDOR_LIBRARY_FILENAMES=/nonexistent.json";

TEST_F(GlRendererCli, RenderSeedThroughGlMatchesTheReferenceBackend) {
  const RunResult gl = run({"render", kSeedScene, "-o", "gl.npy", "--backend", "gl"});
  ASSERT_EQ(gl.exit_code, 0) << gl.err;
  const RunResult ref = run({"render", kSeedScene, "-o", "ref.npy", "--backend", "reference"});
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  const FloatImage a = readNpy(outPath("gl.npy")), b = readNpy(outPath("ref.npy"));
  ASSERT_EQ(a.width, 400);
  ASSERT_EQ(a.height, 400);
  ASSERT_EQ(b.width, 400);
  ASSERT_EQ(b.height, 400);
  DoubleImage exact(b.width, b.height);
  std::copy(b.pixels.begin(), b.pixels.end(), exact.pixels.begin());
  const Comparison c = test::compare(a, exact);
  EXPECT_LE(c.relative, kTolerance) << test::describe(c, "gl");
  EXPECT_GT(c.scale, 1e-4);
  std::printf("gaussmap render seed.json: gl vs --backend reference relative error %.3e\n",
              c.relative);
}

TEST_F(GlRendererCli, VerifySeedPasses) {
  const RunResult r = run({"verify", kSeedScene});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("PASS"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gl loop"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("gl footprint"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("FAIL"), std::string::npos) << r.out;
}

TEST_F(GlRendererCli, VerifyWithAnAbsurdTolerancePrintsFailAndExits1) {
  const RunResult r = run({"verify", kSeedScene, "--tol", "1e-12"});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("FAIL"), std::string::npos) << r.out;
}

TEST_F(GlRendererCli, WithoutAContextGlExits1SuggestingTheCpuBackendAndWritesNothing) {
  const RunResult r =
      run({"render", kSeedScene, "-o", "seed.npy", "-o", "seed.png", "--backend", "gl"}, kNoEgl);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("gaussmap: error: "), std::string::npos) << r.err;
  // The fast CPU backend, not the slow exact one.
  EXPECT_NE(r.err.find("--backend cpu"), std::string::npos) << r.err;
  EXPECT_EQ(outEntries(), std::vector<std::string>{});
}

TEST_F(GlRendererCli, WithoutAContextTheDefaultBackendFallsBackToCpuAndSaysSo) {
  const RunResult r = run({"render", kSeedScene, "-o", "seed.npy"}, kNoEgl);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("backend auto: cpu"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(outEntries(), std::vector<std::string>{"seed.npy"});
}

TEST_F(GlRendererCli, TheDefaultBackendIsTheFastestHereAndSaysWhy) {
  // llvmpipe (CI, this machine): cpu, GL being Mesa's rasterizer on the same CPU; a GPU: gl.
  const gl::AutoBackendChoice expected = chooseAutoBackend(surveyEglDevices());
  const bool software = expected.kind == AutoBackendChoice::Cpu ||
                        (expected.kind == AutoBackendChoice::AskContext &&
                         isSoftwareRenderer(createHeadlessContext()->caps().renderer));
  const RunResult r = run({"render", kSeedScene, "-o", "seed.npy", "--stats"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, ::testing::HasSubstr(software ? "backend auto: cpu (" : "backend auto: gl ("));
  std::printf("this machine: %s\n", r.err.substr(0, r.err.find('\n')).c_str());
}

// The rule itself, with the driver's identity injected.
TEST(AutoBackendRule, GlOnlyOnAHardwareGpu) {
  EglDeviceSurvey software_only{true, 0, 1, "1 EGL device: 0 hardware, 1 software"};
  EXPECT_EQ(chooseAutoBackend(software_only).kind, AutoBackendChoice::Cpu);
  EXPECT_THAT(chooseAutoBackend(software_only).reason, ::testing::HasSubstr("software rasterizer"));
  EglDeviceSurvey no_node{true, 0, 0, "no GPU device node"};
  EXPECT_EQ(chooseAutoBackend(no_node).kind, AutoBackendChoice::Cpu);
  EglDeviceSurvey gpu_and_llvmpipe{true, 1, 1, "2 EGL devices: 1 hardware, 1 software"};
  EXPECT_EQ(chooseAutoBackend(gpu_and_llvmpipe).kind, AutoBackendChoice::Gl);
  EXPECT_THAT(chooseAutoBackend(gpu_and_llvmpipe).reason, ::testing::HasSubstr("hardware GPU"));
  // Devices not listable: a context's GL_RENDERER decides.
  const EglDeviceSurvey unknown;
  EXPECT_EQ(chooseAutoBackend(unknown).kind, AutoBackendChoice::AskContext);
  for (const std::string name : {"llvmpipe (LLVM 15.0.6, 256 bits)", "softpipe",
                                 "Google SwiftShader", "Microsoft Basic Render Driver"}) {
    EXPECT_TRUE(isSoftwareRenderer(name)) << name;
    EXPECT_EQ(chooseAutoBackend(unknown, &name).kind, AutoBackendChoice::Cpu) << name;
  }
  for (const std::string name : {"NVIDIA H200/PCIe/SSE2", "AMD Radeon RX 7900 XTX (radeonsi)",
                                 "Mesa Intel(R) UHD Graphics 630 (CFL GT2)"}) {
    EXPECT_FALSE(isSoftwareRenderer(name)) << name;
    EXPECT_EQ(chooseAutoBackend(unknown, &name).kind, AutoBackendChoice::Gl) << name;
  }
}

TEST_F(GlRendererCli, WithoutAContextTheReferenceBackendStillRenders) {
  const RunResult r =
      run({"render", kSeedScene, "-o", "seed.npy", "--backend", "reference"}, kNoEgl);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(outEntries(), std::vector<std::string>{"seed.npy"});
  EXPECT_EQ(readNpy(outPath("seed.npy")).width, 400);
}

TEST_F(GlRendererCli, StatsAreOneJsonObjectWithTheGlPathAndGpuTime) {
  for (const char* path : {"loop", "footprint"}) {
    SCOPED_TRACE(path);
    const RunResult r = run(
        {"render", kSeedScene, "-o", "seed.npy", "--backend", "gl", "--gl-path", path, "--stats"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    nlohmann::json stats;
    ASSERT_NO_THROW(stats = nlohmann::json::parse(r.err)) << r.err;
    ASSERT_TRUE(stats.is_object()) << r.err;
    EXPECT_EQ(stats.value("gl_path", ""), path);
    EXPECT_EQ(stats.value("backend", ""), "gl");
    ASSERT_TRUE(stats.contains("gpu_render_ms")) << r.err;
    EXPECT_TRUE(stats["gpu_render_ms"].is_number());
    EXPECT_GE(stats["gpu_render_ms"].get<double>(), 0.0);
    // GPU time is part of the render's wall time (the footprint path's query once began before
    // the accumulator's clear, and llvmpipe then reported the machine's uptime).
    for (const char* key : {"gpu_upload_ms", "gpu_render_ms"}) {
      if (stats.contains(key)) {
        EXPECT_LE(stats[key].get<double>(), stats["render_ms"].get<double>()) << key;
      }
    }
  }
}

// GL behind withFallbackBeyondLimits with the reference as the fallback; `notice` gets the why.
std::unique_ptr<Renderer> glFallingBackToReference(std::string& notice) {
  return withFallbackBeyondLimits(
      createHeadlessGlRenderer(GlPath::Auto),
      [] { return std::make_unique<reference::ReferenceRenderer>(); },
      [&notice](const std::string& why) { notice = why; });
}

// A scene valid by the README (32768 samples wide) beyond this context's largest render target.
class GlRendererLimits : public GlRendererCli {
 protected:
  void SetUp() override {
    GlRendererCli::SetUp();
    const std::unique_ptr<Context> context = createHeadlessContext();
    limit_ = context->caps().maxTargetWidth();
    if (limit_ >= kMaxSide)
      GTEST_SKIP() << "SKIPPED LOUDLY: this context renders " << limit_
                   << " samples a side, so no valid scene exceeds its limits (llvmpipe's is 16384)";
    std::ofstream(outPath("wide.json"))
        << R"({"width": 32768, "height": 1, "combine": "max", "normalize": "peak",
               "kernels": [{"x": 20000, "y": 0, "sigma": 30}]})";
  }
  int limit_ = 0;
};

TEST_F(GlRendererLimits, AutoRendersItOnCpuAndSaysWhy) {
  const RunResult a = run({"render", "wide.json", "-o", "auto.npy"});
  ASSERT_EQ(a.exit_code, 0) << a.err;
  // On a GPU with small targets, auto falls back for this scene; on a software rasterizer it
  // takes cpu from the start.
  const bool fell_back = a.err.find("backend auto: cpu for this scene") != std::string::npos;
  if (fell_back) {
    EXPECT_THAT(a.err, ::testing::HasSubstr("GL_MAX_TEXTURE_SIZE"));
  }
  EXPECT_TRUE(fell_back || a.err.find("backend auto: cpu (") != std::string::npos) << a.err;
  const RunResult c = run({"render", "wide.json", "-o", "cpu.npy", "--backend", "cpu"});
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const FloatImage from_auto = readNpy(outPath("auto.npy"));
  EXPECT_EQ(from_auto.width, 32768);
  EXPECT_EQ(from_auto.pixels, readNpy(outPath("cpu.npy")).pixels);
  EXPECT_GT(from_auto.at(20000, 0), 0.99f);
}

TEST_F(GlRendererLimits, BeyondTheLimitsTheFallbackRendersAndTheNoticeSaysWhy) {
  std::string notice;
  const std::unique_ptr<Renderer> renderer = glFallingBackToReference(notice);
  const Scene wide = loadScene(outPath("wide.json"));
  const FloatImage values = renderer->render(wide);
  EXPECT_EQ(renderer->name(), "reference");
  EXPECT_THAT(notice, ::testing::HasSubstr("32768x1 samples exceed"));
  EXPECT_EQ(values.pixels, reference::ReferenceRenderer().render(wide).pixels);
  // A scene within the limits goes back to GL.
  Scene small = wide;
  small.resize(64, 1);
  renderer->render(small);
  EXPECT_EQ(renderer->name(), "gl");
}

TEST(GlFallback, AWindowWithinTheLimitsRendersOnGl) {
  std::string notice;
  const std::unique_ptr<Renderer> renderer = glFallingBackToReference(notice);
  const Scene seed = loadScene(kSource + "/scenes/seed.json");
  const SampleWindow window{100, 50, 64, 32};
  const FloatImage values = renderer->renderWindow(seed, window);
  EXPECT_EQ(renderer->name(), "gl");
  EXPECT_EQ(notice, "");
  ASSERT_EQ(values.width, 64);
  ASSERT_EQ(values.height, 32);
  const Comparison c = test::compare(values, reference::render(seed, window));
  EXPECT_LE(c.relative, kTolerance) << test::describe(c, "gl");
}

TEST_F(GlRendererLimits, AWindowOfAGridBeyondTheLimitsRendersOnGlWhenTheWindowFits) {
  std::string notice;
  const std::unique_ptr<Renderer> renderer = glFallingBackToReference(notice);
  const Scene wide = loadScene(outPath("wide.json"));
  const SampleWindow window{19900, 0, 200, 1};
  const FloatImage values = renderer->renderWindow(wide, window);
  EXPECT_EQ(renderer->name(), "gl");
  EXPECT_EQ(notice, "");
  const Comparison c = test::compare(values, reference::render(wide, window));
  EXPECT_LE(c.relative, kTolerance) << test::describe(c, "gl");
  // A window as wide as the grid does not fit: the fallback renders it, saying why.
  const FloatImage all = renderer->renderWindow(wide, SampleWindow{0, 0, wide.width, 1});
  EXPECT_EQ(renderer->name(), "reference");
  EXPECT_THAT(notice, ::testing::HasSubstr("32768x1 samples exceed"));
  EXPECT_EQ(all.pixels, reference::ReferenceRenderer().render(wide).pixels);
}

TEST_F(GlRendererCli, AWindowThroughGlIsTheReferenceCropWithinTolerance) {
  for (const char* path : {"loop", "footprint"}) {
    SCOPED_TRACE(path);
    const RunResult gl = run({"render", kSeedScene, "--window", "100,50,64x32", "-o", "w.npy",
                              "--backend", "gl", "--gl-path", path});
    ASSERT_EQ(gl.exit_code, 0) << gl.err;
    const FloatImage window = readNpy(outPath("w.npy"));
    ASSERT_EQ(window.width, 64);
    ASSERT_EQ(window.height, 32);
    const Comparison c = test::compare(
        window, reference::render(loadScene(kSeedScene), SampleWindow{100, 50, 64, 32}));
    EXPECT_LE(c.relative, kTolerance) << test::describe(c, "gl");
  }
}

TEST_F(GlRendererLimits, GlBackendRefusesNamingTheLimitAndWritesNothing) {
  const RunResult r = run({"render", "wide.json", "-o", "gl.npy", "--backend", "gl"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, ::testing::HasSubstr("32768x1 samples exceed this OpenGL context's largest "
                                          "render target, " +
                                          std::to_string(limit_)));
  EXPECT_THAT(r.err, ::testing::HasSubstr("--backend cpu"));
  EXPECT_EQ(outEntries(), std::vector<std::string>{"wide.json"});
}

}  // namespace
}  // namespace gaussmap::gl
