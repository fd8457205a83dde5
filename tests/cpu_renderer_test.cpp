// The fast CPU renderer against the exact double-precision reference: the randomised scene sets
// the GL path is held to, every combine x normalize; the row recurrence on long rows and very
// thin rotated kernels; edge-case grids; thread-count independence (bit-exact); memory.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "core/interrupt.h"
#include "core/renderer.h"
#include "cpu/cpu_renderer.h"
#include "cpu/render_plan.h"
#include "cpu/tile_renderer.h"
#include "gaussmap/errors.h"
#include "gaussmap/scene.h"
#include "gaussmap/scene_json.h"
#include "random_scenes.h"
#include "reference/reference_renderer.h"
#include "reference_comparison.h"

namespace gaussmap::cpu {
namespace {

constexpr double kTolerance = 1e-5;  // max |cpu - reference| / max |reference|
const std::string kSource = GAUSSMAP_SOURCE_DIR;

using test::Comparison;
using test::kCombines;
using test::kNormalizes;
using test::modeName;

CpuRenderer& sharedRenderer() {
  static CpuRenderer renderer;  // every hardware thread
  return renderer;
}

Comparison expectMatchesReference(const Scene& scene, double tolerance = kTolerance) {
  SCOPED_TRACE("scene: " + test::sceneForTrace(scene));
  const FloatImage values = sharedRenderer().render(scene);
  EXPECT_EQ(values.width, scene.width);
  EXPECT_EQ(values.height, scene.height);
  const Comparison c = test::compare(values, reference::render(scene));
  EXPECT_LE(c.relative, tolerance) << test::describe(c, "cpu");
  return c;
}

// --- 1. The GL path's randomised scene sets, every combine x normalize ---

struct Mode {
  Combine combine;
  Normalize normalize;
};

void PrintTo(const Mode& mode, std::ostream* out) {
  *out << modeName(mode.combine, mode.normalize);
}

std::vector<Mode> allModes() {
  std::vector<Mode> modes;
  for (Combine c : kCombines)
    for (Normalize n : kNormalizes) modes.push_back({c, n});
  return modes;
}

class CpuRendererRandomScenes : public ::testing::TestWithParam<Mode> {};

TEST_P(CpuRendererRandomScenes, WithinOneInAHundredThousandOfTheImageMax) {
  const Mode mode = GetParam();
  Comparison worst;
  std::uint32_t worst_seed = 0;
  for (const test::SeededCount& s : test::kSeededSceneSets) {
    const int count = mode.normalize == Normalize::Cell ? s.cell_kernels : s.kernels;
    // The GL tests' seeds plus one: the same sets, and as many again.
    for (std::uint32_t variant : {0u, 1u}) {
      const std::uint32_t seed = s.seed * 1000 + std::uint32_t(mode.combine) * 100 +
                                 std::uint32_t(mode.normalize) * 10 + variant;
      const Scene scene = test::randomScene(seed, mode.combine, mode.normalize, count);
      SCOPED_TRACE("seed " + std::to_string(seed) + ", " + std::to_string(count) + " kernels, " +
                   std::to_string(scene.width) + "x" + std::to_string(scene.height));
      ASSERT_NO_THROW(validateScene(scene));
      const Comparison c = expectMatchesReference(scene);
      if (c.relative >= worst.relative) {
        worst = c;
        worst_seed = seed;
      }
    }
  }
  std::printf("max relative error %-12s %.3e (seed %u)\n",
              modeName(mode.combine, mode.normalize).c_str(), worst.relative, worst_seed);
}

INSTANTIATE_TEST_SUITE_P(EveryMode, CpuRendererRandomScenes, ::testing::ValuesIn(allModes()),
                         [](const ::testing::TestParamInfo<Mode>& info) {
                           return std::string(toString(info.param.combine)) + "_" +
                                  std::string(toString(info.param.normalize));
                         });

// --- 2. The row recurrence: long rows, thin rotated kernels ---

// Rotated kernels whose rows are thousands of samples long (sigma along the row up to 900
// samples), and thin ones at a sigma ratio of 100: the recurrence runs hundreds of steps per
// row. Its error bound (about 2k units of 1.1e-16 after k steps) leaves the float result's own
// rounding as the only visible error, so this holds it to 1e-6, ten times tighter than the rest.
TEST(CpuRendererRecurrence, LongRowsAndThinRotatedKernelsStayWithinOneInAMillion) {
  for (Combine combine : {Combine::Sum, Combine::Max}) {
    for (bool cutoff : {false, true}) {
      Scene scene;
      scene.width = 4000;
      scene.height = 48;
      scene.combine = combine;
      scene.normalize = Normalize::Peak;
      if (cutoff) scene.cutoff = 4.0;
      const double long_sigmas[] = {900, 400, 150, 60, 25};
      for (int n = 0; n < 5; ++n) {
        Kernel k;
        k.x = 600.0 + 700.0 * n + 0.37;
        k.y = 23.6;
        k.sigma_x = long_sigmas[n];
        k.sigma_y = 1.5 + 0.5 * n;
        k.angle_deg = 0.05 + 0.02 * n;  // nearly along the rows: a slow shear
        k.weight = n % 2 ? 0.7 : 1.0;
        scene.kernels.push_back(k);
      }
      for (int n = 0; n < 4; ++n) {  // a sigma ratio of 100 at steeper angles
        Kernel k;
        k.x = 300.0 + 1000.0 * n;
        k.y = 20.2;
        k.sigma_x = 200.0;
        k.sigma_y = 2.0;
        k.angle_deg = 1.0 + 3.0 * n;
        scene.kernels.push_back(k);
      }
      ASSERT_NO_THROW(validateScene(scene));
      SCOPED_TRACE(std::string(toString(combine)) + (cutoff ? ", cutoff 4" : ", no cutoff"));
      const Comparison c = expectMatchesReference(scene, 1e-6);
      std::printf("rows of up to 4000 samples, %-4s %-9s relative error %.3e\n",
                  std::string(toString(combine)).c_str(), cutoff ? "cutoff" : "untrunc.",
                  c.relative);
    }
  }
}

TEST(CpuRendererRecurrence, VeryAnisotropicKernelsAtEveryAngle) {
  for (double ratio : {20.0, 30.0, 100.0}) {
    for (Normalize normalize : kNormalizes) {
      Scene scene;
      scene.width = 160;
      scene.height = 160;
      scene.normalize = normalize;
      scene.combine = Combine::Max;
      for (int n = 0; n < 36; ++n) {
        Kernel k;
        k.x = 6.37 + 4.1 * n;
        k.y = 79.61 + 9.3 * std::sin(n);
        k.sigma_x = normalize == Normalize::Cell ? 0.4 : 1.1;
        k.sigma_y = (normalize == Normalize::Cell ? std::min(ratio, 30.0) : ratio) * k.sigma_x;
        k.angle_deg = 2.5 + 5.0 * n;
        scene.kernels.push_back(k);
      }
      SCOPED_TRACE(std::string(toString(normalize)) + ", ratio " + std::to_string(ratio));
      const Comparison c = expectMatchesReference(scene);
      std::printf("sigma ratio %3.0f at 36 angles, max/%-5s relative error %.3e\n", ratio,
                  std::string(toString(normalize)).c_str(), c.relative);
    }
  }
}

// --- 3. Edge cases ---

TEST(CpuRendererEdgeCases, SingleColumnSingleRowAndSingleSampleGrids) {
  for (Combine combine : kCombines) {
    for (Normalize normalize : kNormalizes) {
      for (int g = 0; g < test::kDegenerateGridCount; ++g) {
        std::uint32_t seed = 0;
        const Scene scene = test::degenerateGridScene(combine, normalize, g, &seed);
        ASSERT_NO_THROW(validateScene(scene));
        SCOPED_TRACE("seed " + std::to_string(seed) + ", " + modeName(combine, normalize));
        expectMatchesReference(scene);
      }
    }
  }
}

TEST(CpuRendererEdgeCases, ASampleExactlyAtTheCutoffContributes) {
  // sigma 3, cutoff 1: the samples 3 steps from the centre lie exactly on the cutoff, where the
  // contract says the kernel contributes; float's rounding of 1/9 once dropped them.
  Scene scene = parseScene(R"({"width": 21, "height": 3, "extent": [-10, 10, -1, 1],
      "cutoff": 1, "normalize": "peak",
      "kernels": [{"x": 0, "y": 0, "sigma": 3}, {"x": 0, "y": 0, "sigma": 7, "weight": 0.5},
                  {"x": 0, "y": 0, "sigma_x": 5, "sigma_y": 1, "angle_deg": 90}]})",
                           "cutoff.json");
  for (Combine combine : kCombines) {
    scene.combine = combine;
    if (combine == Combine::Union) scene.kernels[0].weight = 0.9;
    SCOPED_TRACE(std::string(toString(combine)));
    const DoubleImage exact = reference::render(scene);
    const FloatImage values = sharedRenderer().render(scene);
    for (int j = 0; j < 3; ++j)
      for (int i = 0; i < 21; ++i)
        EXPECT_NEAR(values.at(i, j), exact.at(i, j), 1e-6 * std::abs(exact.at(i, j)) + 1e-12)
            << "sample (" << i << ", " << j << ")";
    if (combine == Combine::Sum) {  // x = -3 has the sigma-3 kernel's exp(-1/2), x = -4 not
      EXPECT_GT(values.at(7, 1) - values.at(6, 1), 0.5f) << "x = -3 lost the sigma-3 kernel";
    }
  }
}

TEST(CpuRendererEdgeCases, AStopRequestEndsTheRenderAndTheRendererStaysUsable) {
  Scene scene = parseScene(R"({"width": 1000, "height": 700,
      "kernels": [{"x": 500, "y": 300, "sigma": 200}]})",
                           "stop.json");
  requestInterrupt(SIGINT);
  try {
    sharedRenderer().render(scene);
    ADD_FAILURE() << "the render ignored the stop request";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.exitCode(), 130);
  }
  clearInterrupt();
  const FloatImage values = sharedRenderer().render(scene);
  EXPECT_NEAR(values.at(500, 300), 1.0 / (2 * 3.14159265358979 * 200 * 200), 1e-9);
}

TEST(CpuRendererEdgeCases, EmptyKernelListGivesExactZerosInEveryMode) {
  for (Combine combine : kCombines) {
    for (Normalize normalize : kNormalizes) {
      Scene scene;
      scene.width = 300;  // more than one tile, a partial last one
      scene.height = 130;
      scene.combine = combine;
      scene.normalize = normalize;
      const FloatImage values = sharedRenderer().render(scene);
      // +0 exactly (-0 == 0, so the sign bit is checked too: union once wrote -expm1(0)).
      EXPECT_EQ(std::count_if(values.pixels.begin(), values.pixels.end(),
                              [](float v) { return v == 0.0f && !std::signbit(v); }),
                std::ptrdiff_t(values.pixels.size()))
          << modeName(combine, normalize);
    }
  }
}

TEST(CpuRendererEdgeCases, KernelsFarFromTheOriginKeepTheirDigits) {
  for (Combine combine : kCombines) {
    for (Normalize normalize : kNormalizes) {
      std::uint32_t seed = 0;
      // 300 wide: more than one tile and a partial last one.
      const Scene scene = test::farFromOriginScene(combine, normalize, 300, 140, &seed);
      SCOPED_TRACE("seed " + std::to_string(seed) + ", " + modeName(combine, normalize));
      expectMatchesReference(scene);
    }
  }
}

TEST(CpuRendererEdgeCases, UnionKeepsDigitsForPdfValuesNear1em4) {
  const Scene scene = test::unionNear1em4Scene();
  const Comparison c = expectMatchesReference(scene, 1e-6);
  EXPECT_LT(c.scale, 3e-4);
}

TEST(CpuRendererEdgeCases, MaxCountsANegligibleTailAsZeroNotAsAbsent) {
  Scene scene;
  scene.width = 61;
  scene.height = 21;
  scene.combine = Combine::Max;
  scene.normalize = Normalize::Peak;
  Kernel negative, positive;
  negative.x = 10;
  negative.y = 10;
  negative.sigma_x = negative.sigma_y = 2;
  negative.weight = -1;
  positive.x = 50;
  positive.y = 10;
  scene.kernels = {negative, positive};
  FloatImage values = sharedRenderer().render(scene);
  EXPECT_EQ(values.at(10, 10), 0.0f);  // max(-1, exp(-800))
  EXPECT_NEAR(values.at(51, 10), std::exp(-0.5), 1e-6);
  scene.cutoff = 3.0;  // beyond its cutoff a kernel is absent: the negative one wins
  values = sharedRenderer().render(scene);
  EXPECT_NEAR(values.at(10, 10), -1.0, 1e-6);
  EXPECT_EQ(values.at(30, 10), 0.0f);
}

TEST(CpuRendererEdgeCases, ShippedScenesAndBenchmarkWorkloads) {
  for (const char* path :
       {"scenes/seed.json", "scenes/keypoints.json", "scenes/rotated_cells.json",
        "scenes/sensor_sweep_cutoff.json", "scenes/signed_sum.json", "bench/W1_seed_union.json",
        "bench/W2_solution2.json", "bench/W3_solution1.json", "bench/W4_many.json"}) {
    SCOPED_TRACE(path);
    const Scene scene = loadScene(kSource + "/" + path);
    const Comparison c = expectMatchesReference(scene);
    std::printf("%-32s relative error %.3e\n", path, c.relative);
  }
}

// --- 4. Threads and memory ---

TEST(CpuRendererThreads, OneThreadAndManyThreadsAgreeToTheLastBit) {
  CpuRenderer one(1), many(5);  // more threads than cores still splits the tiles differently
  EXPECT_EQ(one.threads(), 1);
  std::vector<Scene> scenes = {loadScene(kSource + "/bench/W4_many.json")};
  for (Combine combine : kCombines)
    for (Normalize normalize : {Normalize::Pdf, Normalize::Peak}) {
      Scene s = test::randomScene(31 + std::uint32_t(combine) * 3 + std::uint32_t(normalize),
                                  combine, normalize, 300);
      s.width = 700;  // several tiles
      s.height = 300;
      scenes.push_back(s);
    }
  for (const Scene& scene : scenes) {
    const FloatImage a = one.render(scene), b = many.render(scene);
    ASSERT_EQ(a.pixels.size(), b.pixels.size());
    EXPECT_GT(many.stats().threads, 1);
    EXPECT_EQ(std::memcmp(a.pixels.data(), b.pixels.data(), a.pixels.size() * sizeof(float)), 0)
        << modeName(scene.combine, scene.normalize);
  }
}

TEST(CpuRendererMemory, AMillionPointsAt4096SquaredNeedLessThanTheImageAgain) {
  // W5: 1,000,000 points, sigma 3, peak, sum, 4096 x 4096.
  Scene scene;
  scene.width = scene.height = 4096;
  scene.normalize = Normalize::Peak;
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> coordinate(0.0, 4095.0);
  scene.kernels.resize(1000000);
  for (Kernel& k : scene.kernels) {
    k.x = coordinate(rng);
    k.y = coordinate(rng);
    k.sigma_x = k.sigma_y = 3.0;
  }
  CpuRenderer renderer;
  const FloatImage values = renderer.render(scene);
  const std::size_t image_bytes = values.pixels.size() * sizeof(float);
  EXPECT_LT(renderer.stats().working_bytes, image_bytes);
  // Spot checks against the reference's value of the kernels near a few samples.
  for (auto [i, j] : {std::pair{17, 2000}, {2048, 2048}, {4095, 4095}, {1000, 3}}) {
    double exact = 0;
    for (const Kernel& k : scene.kernels) {
      const double dx = i - k.x, dy = j - k.y;
      if (dx * dx + dy * dy < 400) exact += std::exp(-(dx * dx + dy * dy) / 18.0);
    }
    EXPECT_NEAR(values.at(i, j), exact, 1e-5 * std::max(exact, 1.0)) << i << ", " << j;
  }
  std::printf("W5: working memory %.1f MiB besides the %.1f MiB image, %s\n",
              renderer.stats().working_bytes / 1048576.0, image_bytes / 1048576.0,
              renderer.lastStats().dump().c_str());
}

TEST(CpuRendererSimd, ReportsItsTargetAndCompiledTargets) {
  const std::string target = simdTargetName();
  EXPECT_FALSE(target.empty());
  bool found = false;
  for (const SimdTarget& t : compiledSimdTargets())
    found = found || (t.name == target && t.supported);
  EXPECT_TRUE(found) << target;
}

// --- 5. Windows: the crop of the whole render, bit for bit ---

FloatImage crop(const FloatImage& whole, const SampleWindow& w) {
  FloatImage out(w.width, w.height);
  for (int j = 0; j < w.height; ++j)
    for (int i = 0; i < w.width; ++i) out.at(i, j) = whole.at(w.i0 + i, w.j0 + j);
  return out;
}

std::string windowName(const SampleWindow& w) {
  return std::to_string(w.i0) + "," + std::to_string(w.j0) + "," + std::to_string(w.width) + "x" +
         std::to_string(w.height);
}

// Windows of a width x height grid: the whole grid, 1x1 at the four corners, the last column and
// row, the first tile exactly, windows across tile borders and starting inside a vector, and a
// few random ones.
std::vector<SampleWindow> windowsOf(int width, int height, std::uint32_t seed) {
  std::vector<SampleWindow> windows = {
      {0, 0, width, height},
      {0, 0, 1, 1},
      {width - 1, height - 1, 1, 1},
      {width - 1, 0, 1, 1},
      {0, height - 1, 1, 1},
      {width - 1, 0, 1, height},
      {0, height - 1, width, 1},
      {0, 0, std::min(width, kTileWidth), std::min(height, kTileHeight)}};
  auto add = [&](int i0, int j0, int w, int h) {
    i0 = std::clamp(i0, 0, width - 1);
    j0 = std::clamp(j0, 0, height - 1);
    windows.push_back({i0, j0, std::clamp(w, 1, width - i0), std::clamp(h, 1, height - j0)});
  };
  add(kTileWidth - 5, kTileHeight - 3, 11, 7);  // the corner of four tiles
  add(3, 5, width - 10, height - 7);            // starts inside a vector, ends inside a tile
  add(kTileWidth, kTileHeight, width, height);  // from a tile's first sample to the grid's end
  add(kTileWidth + 17, 1, 1, height);           // one column inside the second tile column
  std::mt19937 rng(seed);
  for (int n = 0; n < 4; ++n) {
    const int i0 = std::uniform_int_distribution<int>(0, width - 1)(rng);
    const int j0 = std::uniform_int_distribution<int>(0, height - 1)(rng);
    add(i0, j0, std::uniform_int_distribution<int>(1, width)(rng),
        std::uniform_int_distribution<int>(1, height)(rng));
  }
  return windows;
}

// renderWindow equals the crop of render for every window, on 1 thread and on 2 (whose whole
// renders agree: OneThreadAndManyThreadsAgreeToTheLastBit).
void expectWindowsAreCrops(const Scene& scene, std::uint32_t seed) {
  static CpuRenderer one(1), two(2);
  SCOPED_TRACE(modeName(scene.combine, scene.normalize) + ", " + std::to_string(scene.width) + "x" +
               std::to_string(scene.height) + ", " + std::to_string(scene.kernels.size()) +
               " kernels, seed " + std::to_string(seed) +
               (scene.cutoff ? ", cutoff " + std::to_string(*scene.cutoff) : ", no cutoff"));
  const FloatImage whole = one.render(scene);
  for (const SampleWindow& w : windowsOf(scene.width, scene.height, seed)) {
    const FloatImage expected = crop(whole, w);
    for (CpuRenderer* renderer : {&one, &two}) {
      const FloatImage got = renderer->renderWindow(scene, w);
      ASSERT_EQ(got.width, w.width);
      ASSERT_EQ(got.height, w.height);
      // EXPECT_EQ on the bits' vectors: -0 against +0 and NaNs would count as differences too.
      std::vector<std::uint32_t> got_bits(got.pixels.size()), want_bits(got.pixels.size());
      std::memcpy(got_bits.data(), got.pixels.data(), got.pixels.size() * sizeof(float));
      std::memcpy(want_bits.data(), expected.pixels.data(), got.pixels.size() * sizeof(float));
      std::size_t first = 0;
      while (first < got_bits.size() && got_bits[first] == want_bits[first]) ++first;
      ASSERT_EQ(first, got_bits.size())
          << "window " << windowName(w) << ", " << renderer->threads() << " thread(s): sample ("
          << w.i0 + int(first) % w.width << ", " << w.j0 + int(first) / w.width << ") is "
          << got.pixels[first] << ", the whole render's " << expected.pixels[first];
    }
  }
}

TEST(CpuRendererWindows, EveryWindowIsTheCropOfTheWholeRenderToTheLastBit) {
  for (const Mode& mode : allModes()) {
    for (std::uint32_t variant = 0; variant < 4; ++variant) {
      const std::uint32_t seed =
          900 + 30 * std::uint32_t(mode.combine) + 10 * std::uint32_t(mode.normalize) + variant;
      // Many overlapping kernels (sum order matters to the last bit) or a few; cell's rotated
      // kernels are integrated per sample, so fewer of them.
      const int count = (variant % 2 ? 300 : 12) / (mode.normalize == Normalize::Cell ? 6 : 1);
      Scene scene = test::randomScene(seed, mode.combine, mode.normalize, count);
      scene.resize(300, 270);  // the same region over 3 x 3 tiles, the last ones partial
      scene.cutoff = variant / 2 ? std::optional<double>(2.5) : std::nullopt;
      ASSERT_NO_THROW(validateScene(scene));
      expectWindowsAreCrops(scene, seed);
    }
  }
}

TEST(CpuRendererWindows, DegenerateGridsAndShippedScenes) {
  for (Combine combine : kCombines)
    for (Normalize normalize : kNormalizes)
      for (int g = 0; g < test::kDegenerateGridCount; ++g) {
        std::uint32_t seed = 0;
        expectWindowsAreCrops(test::degenerateGridScene(combine, normalize, g, &seed), seed);
      }
  for (const char* path : {"scenes/seed.json", "scenes/rotated_cells.json", "bench/W4_many.json"})
    expectWindowsAreCrops(loadScene(kSource + "/" + path), 5);
}

// Max without cutoff starts a sample at -inf only where every kernel of the scene reaches: a
// window's plan, which leaves out kernels far from it, must still count them.
TEST(CpuRendererWindows, MaxWithoutCutoffCountsKernelsTheWindowLeavesOut) {
  Scene scene;
  scene.width = 400;
  scene.height = 300;
  scene.combine = Combine::Max;
  scene.normalize = Normalize::Peak;
  Kernel wide;  // negative everywhere it reaches: the max is negative where all kernels reach
  wide.x = 200.5;
  wide.y = 150.25;
  wide.sigma_x = 90;
  wide.sigma_y = 70;
  wide.angle_deg = 20;
  wide.weight = -0.5;
  scene.kernels = {wide, wide};
  scene.kernels[1].x = 180;
  scene.kernels[1].weight = -0.25;
  const SampleWindow window{100, 100, 100, 100};  // across 2 x 2 tiles
  CpuRenderer renderer(2);
  FloatImage values = renderer.renderWindow(scene, window);
  EXPECT_EQ(values.pixels, crop(renderer.render(scene), window).pixels);
  // Every kernel reaches the window's centre: the larger of two negative values.
  const double exact = reference::render(scene, window).at(50, 50);
  EXPECT_LT(exact, -0.2);
  EXPECT_NEAR(values.at(50, 50), exact, 1e-6);
  // A narrow kernel in the far corner, in no tile of the window: now no sample of the window is
  // reached by every kernel, so the dropped tail counts as 0 there.
  Kernel narrow;
  narrow.x = 390;
  narrow.y = 10;
  scene.kernels.push_back(narrow);
  values = renderer.renderWindow(scene, window);
  EXPECT_EQ(renderer.stats().tiles, 4);
  EXPECT_EQ(renderer.stats().kernel_tiles, 2u * 4u);  // the narrow one in none of the 4 tiles
  EXPECT_EQ(values.pixels, crop(renderer.render(scene), window).pixels);
  EXPECT_EQ(values.at(50, 50), 0.0f);
}

// A small window of the largest grid costs what a render of its size costs: the plan holds its
// tiles only, never the whole grid's 16,384 tiles and 262,144 cells (a megabyte of counts).
TEST(CpuRendererWindows, ASmallWindowOfTheLargestGridNeedsNoMemoryForTheWholeGrid) {
  Scene scene;
  scene.width = kMaxSide;
  scene.height = int(kMaxPixels / kMaxSide);
  scene.extent = Extent{-100, 100, 50, -50};  // flipped y, non-pixel units
  scene.normalize = Normalize::Peak;
  test::SceneDice dice(77);
  const SampleGrid grid = scene.grid();
  for (int n = 0; n < 2000; ++n) {
    Kernel k;
    k.x = dice.uniform(-100, 100);
    k.y = dice.uniform(-50, 50);
    k.sigma_x = dice.logUniform(0.002, 0.5);
    k.sigma_y = dice.logUniform(0.002, 0.5);
    k.angle_deg = dice.uniform(0, 180);
    scene.kernels.push_back(k);
  }
  // A kernel at the window's centre, so that the window is not all tails.
  const SampleWindow window{20000, 4000, 200, 150};
  scene.kernels[0].x = grid.x(window.i0 + 100);
  scene.kernels[0].y = grid.y(window.j0 + 75);
  ASSERT_NO_THROW(validateScene(scene));
  CpuRenderer renderer(2);
  const FloatImage values = renderer.renderWindow(scene, window);
  EXPECT_EQ(renderer.stats().tiles, 2 * 2);  // columns 19968..20223, rows 3968..4223
  // The kernels (2,000 x 48 bytes, twice) and the window's bins; the whole grid's bins and
  // counting-sort cells would be megabytes.
  EXPECT_LT(renderer.stats().working_bytes, 512u << 10) << renderer.lastStats().dump();
  const DoubleImage exact = reference::render(scene, window);
  const Comparison c = test::compare(values, exact);
  EXPECT_GT(c.scale, 0.5);
  EXPECT_LE(c.relative, kTolerance) << test::describe(c, "cpu");
}

TEST(CpuRendererWindows, BadWindowsAreRefusedNamingTheProblem) {
  Scene scene;
  scene.width = 150;
  scene.height = 80;
  auto message = [&](const SampleWindow& w) {
    try {
      sharedRenderer().renderWindow(scene, w);
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no InputError");
  };
  EXPECT_EQ(message({100, 50, 64, 32}),
            "--window 100,50,64x32 reaches column 163 of a 150-sample-wide grid (columns 0..149)");
  EXPECT_EQ(message({0, 50, 150, 31}),
            "--window 0,50,150x31 reaches row 80 of a 80-sample-high grid (rows 0..79)");
  EXPECT_EQ(message({-1, 0, 4, 4}),
            "--window -1,0,4x4 starts at column -1: the grid's columns start at 0");
  EXPECT_EQ(message({0, -3, 4, 4}),
            "--window 0,-3,4x4 starts at row -3: the grid's rows start at 0");
  EXPECT_EQ(message({0, 0, 0, 4}), "--window 0,0,0x4: a window is at least 1x1 samples");
  EXPECT_EQ(message({0, 0, 4, -2}), "--window 0,0,4x-2: a window is at least 1x1 samples");
  // i0 + width beyond int: still "beyond the grid", not an overflow.
  EXPECT_NE(message({2147483000, 0, 2000, 1}).find("reaches column 2147484999 of a 150-"),
            std::string::npos);
}

}  // namespace
}  // namespace gaussmap::cpu
