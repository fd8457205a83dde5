// The public render API's calls into caller memory: RenderSession::renderInto (Python's out=, a
// memory-mapped file) and renderKernelMaps (Python's render_batch), against the whole-image render
// and the exact reference.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <span>
#include <vector>

#include "gaussmap/errors.h"
#include "gaussmap/render.h"
#include "random_scenes.h"
#include "reference/reference_renderer.h"
#include "reference_comparison.h"
#include "test_kernels.h"

namespace gaussmap {
namespace {

constexpr float kUnwritten = std::numeric_limits<float>::quiet_NaN();

Scene twoKernels() {
  Scene scene;
  scene.width = 90;
  scene.height = 70;
  scene.combine = Combine::Union;
  scene.kernels = {test::kernelAt(40, 30, 9, 5, 30, 0.8), test::kernelAt(50, 45, 12, 7)};
  return scene;
}

TEST(RenderInto, CpuWritesEverySampleAsRenderDoes) {
  const Scene scene = twoKernels();
  RenderSession session(Backend::Cpu);
  const FloatImage expected = session.render(scene);
  std::vector<float> out(expected.pixels.size(), kUnwritten);
  session.renderInto(scene, out);
  EXPECT_EQ(out, expected.pixels);  // bit for bit; a sample left NaN would differ
  EXPECT_EQ(session.lastReport().backend, Backend::Cpu);
}

TEST(RenderInto, WindowAndTimeOnEveryCpuBackend) {
  Scene scene = twoKernels();
  KernelKey start, end;
  start.t = 0;
  start[AnimatedField::X] = 20;
  end.t = 1;
  end[AnimatedField::X] = 70;
  scene.kernels[1].keys = {start, end};
  const SampleWindow window{10, 20, 33, 17};
  for (Backend backend : {Backend::Cpu, Backend::Reference}) {
    RenderSession session(backend);
    const FloatImage expected = session.render(scene, window, 0.5);
    std::vector<float> out(std::size_t(window.width * window.height), kUnwritten);
    session.renderInto(scene, out, window, 0.5);
    EXPECT_EQ(out, expected.pixels) << toString(backend);
  }
}

TEST(RenderInto, RefusesAnOutputOfTheWrongSize) {
  const Scene scene = twoKernels();
  RenderSession session(Backend::Cpu);
  std::vector<float> out(std::size_t(scene.width * scene.height) - 1, 7.0f);
  try {
    session.renderInto(scene, out);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "out: holds 6299 samples where the grid has 90x70 = 6300");
  }
  EXPECT_EQ(out.front(), 7.0f);  // nothing written
}

// The batch's scene: one kernel, moved to each centre.
Scene keypointScene(Normalize normalize, std::optional<double> cutoff = std::nullopt) {
  Scene scene;
  scene.width = 64;
  scene.height = 48;
  scene.normalize = normalize;
  scene.cutoff = cutoff;
  scene.kernels = {test::kernelAt(0, 0, 2.5, 2.5, 0, 0.9)};
  return scene;
}

const std::vector<double> kCentres = {10, 12, 31.5, 20.25, NAN, 3, -4, 47, 63, 0, 200, 10};

TEST(KernelMaps, SeparableCpuMatchesTheReferenceMapByMap) {
  for (Normalize normalize : {Normalize::Peak, Normalize::Pdf}) {
    for (std::optional<double> cutoff : {std::optional<double>{}, std::optional<double>{2.0}}) {
      Scene scene = keypointScene(normalize, cutoff);
      scene.extent = Extent{-1, 2, 0, 1.5};  // non-square steps: the index maths must follow
      std::vector<double> centres = {0.2, 0.7, 1.5, 1.0, -0.9, 0.1};
      scene.kernels[0].sigma_x = 0.1;
      scene.kernels[0].sigma_y = 0.05;
      const std::size_t size = std::size_t(scene.width * scene.height);
      std::vector<float> out(3 * size, kUnwritten);
      RenderReport report;
      renderKernelMaps(scene, centres, out, {}, &report);
      EXPECT_EQ(report.backend, Backend::Cpu);
      EXPECT_EQ(std::get<std::string>(report.figures[1].second), "separable");
      for (std::size_t m = 0; m < 3; ++m) {
        Scene moved = scene;
        moved.kernels[0].x = centres[2 * m];
        moved.kernels[0].y = centres[2 * m + 1];
        FloatImage map(scene.width, scene.height);
        std::copy_n(out.begin() + std::ptrdiff_t(m * size), size, map.pixels.begin());
        const test::Comparison c = test::compare(map, reference::render(moved));
        EXPECT_LT(c.relative, 1e-6) << test::describe(c, "separable") << " map " << m;
        EXPECT_GT(c.scale, 0.0);
      }
    }
  }
}

TEST(KernelMaps, PeakIsTheWeightAtACentreOnASampleAndNanIsAZeroMap) {
  const Scene scene = keypointScene(Normalize::Peak);
  const std::size_t size = std::size_t(scene.width * scene.height);
  std::vector<float> out(kCentres.size() / 2 * size, kUnwritten);
  renderKernelMaps(scene, kCentres, out);
  EXPECT_EQ(out[12 * 64 + 10], 0.9f);   // map 0: centre (10, 12)
  EXPECT_EQ(out[size * 4 + 63], 0.9f);  // map 4: centre (63, 0), a corner
  for (std::size_t k = 0; k < size; ++k) {
    ASSERT_EQ(out[2 * size + k], 0.0f) << "NaN centre, sample " << k;
    ASSERT_EQ(out[5 * size + k], 0.0f) << "centre far outside, sample " << k;
  }
}

TEST(KernelMaps, RotatedAndCellKernelsRenderMapByMapLikeTheSession) {
  for (Normalize normalize : {Normalize::Peak, Normalize::Cell}) {
    Scene scene = keypointScene(normalize);
    if (normalize == Normalize::Peak) scene.kernels[0] = test::kernelAt(0, 0, 4, 2, 35, 0.7);
    const std::size_t size = std::size_t(scene.width * scene.height);
    std::vector<float> out(kCentres.size() / 2 * size, kUnwritten);
    RenderOptions options;
    options.backend = Backend::Cpu;
    options.threads = 2;
    RenderReport report;
    renderKernelMaps(scene, kCentres, out, options, &report);
    EXPECT_EQ(std::get<std::string>(report.figures[1].second), "per-map");
    RenderSession session(Backend::Cpu, GlPath::Auto, 1);
    for (std::size_t m = 0; m < kCentres.size() / 2; ++m) {
      if (std::isnan(kCentres[2 * m])) continue;
      Scene moved = scene;
      moved.kernels[0].x = kCentres[2 * m];
      moved.kernels[0].y = kCentres[2 * m + 1];
      const FloatImage expected = session.render(moved);
      EXPECT_TRUE(std::equal(expected.pixels.begin(), expected.pixels.end(),
                             out.begin() + std::ptrdiff_t(m * size)))
          << toString(normalize) << " map " << m;
    }
  }
}

TEST(KernelMaps, RefusesBadInputNamingIt) {
  const Scene scene = keypointScene(Normalize::Peak);
  std::vector<float> out(2 * std::size_t(scene.width * scene.height));
  const std::vector<double> with_inf = {1, 2, 3, INFINITY};
  EXPECT_THROW(
      {
        try {
          renderKernelMaps(scene, with_inf, out);
        } catch (const InputError& e) {
          EXPECT_STREQ(
              e.what(),
              "centres[1]: y must be finite, or NaN for a missing keypoint (got infinity)");
          throw;
        }
      },
      InputError);
  const std::vector<double> one = {1, 2};
  EXPECT_THROW(renderKernelMaps(scene, one, out), InputError);  // out holds two maps
  Scene two = scene;
  two.kernels.push_back(two.kernels[0]);
  const std::vector<double> pair = {1, 2, 3, 4};
  EXPECT_THROW(renderKernelMaps(two, pair, out), InputError);
}

}  // namespace
}  // namespace gaussmap

namespace gaussmap {
namespace {

// The scene with only the given kernels, in the given order.
Scene withKernels(const Scene& scene, const std::vector<std::uint32_t>& indices) {
  Scene part = scene;
  part.kernels.clear();
  for (std::uint32_t k : indices) part.kernels.push_back(scene.kernels[k]);
  return part;
}

TEST(KernelsByBlock, BlocksRenderedWithTheirKernelsAreTheWholeRenderBitForBit) {
  int listed = 0, total = 0;
  for (Combine combine : test::kCombines) {
    for (Normalize normalize : test::kNormalizes) {
      for (std::uint32_t seed : {3u, 4u}) {
        Scene scene = test::randomScene(seed, combine, normalize, 120);
        const int w = scene.width, h = scene.height;
        const std::vector<int> columns = {0, w / 7, w / 2, w / 2 + 1, w * 3 / 4, w};
        const std::vector<int> rows = {0, h / 3, h / 3 + 17, h};
        if (normalize == Normalize::Cell) scene.kernels.resize(30);  // the reference integrates
        const auto blocks = kernelsByBlock(scene, columns, rows);
        ASSERT_EQ(blocks.size(), 15u);
        for (Backend backend : {Backend::Cpu, Backend::Reference}) {
          RenderSession session(backend, GlPath::Auto, 1);
          const FloatImage whole = session.render(scene);
          for (std::size_t bj = 0; bj + 1 < rows.size(); ++bj) {
            for (std::size_t bi = 0; bi + 1 < columns.size(); ++bi) {
              const SampleWindow window{columns[bi], rows[bj], columns[bi + 1] - columns[bi],
                                        rows[bj + 1] - rows[bj]};
              const auto& mine = blocks[bj * (columns.size() - 1) + bi];
              if (backend == Backend::Cpu)
                listed += int(mine.size()), total += int(scene.kernels.size());
              const FloatImage part = session.render(withKernels(scene, mine), window);
              for (int j = 0; j < window.height; ++j)
                for (int i = 0; i < window.width; ++i)
                  ASSERT_EQ(part.at(i, j), whole.at(window.i0 + i, window.j0 + j))
                      << test::modeName(combine, normalize) << " seed " << seed << " "
                      << toString(backend) << " block " << bi << "," << bj << " sample " << i << ","
                      << j;
            }
          }
        }
      }
    }
  }
  // Some blocks are spared kernels even here, where wide kernels cover grids of 40-128 samples
  // (LargeGrid below checks blocks far from every kernel get none).
  EXPECT_LT(listed, total * 3 / 4) << listed << " of " << total;
}

TEST(KernelsByBlock, RefusesEdgesThatDoNotCutTheGrid) {
  Scene scene = keypointScene(Normalize::Peak);
  const std::vector<int> rows = {0, 48};
  for (const std::vector<int>& columns :
       {std::vector<int>{0, 64, 64}, std::vector<int>{1, 64}, std::vector<int>{0, 63}}) {
    EXPECT_THROW(kernelsByBlock(scene, columns, rows), InputError);
  }
  try {
    kernelsByBlock(scene, std::vector<int>{0, 30, 20, 64}, rows);
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "column_edges[2]: must be greater than 30 (got 20)");
  }
}

TEST(LargeGrid, AWindowOfAGridBeyondOneRenderMatchesTheReference) {
  // 200,000 samples a side: only windows of it can be rendered.
  Scene scene;
  scene.width = scene.height = 200000;
  scene.extent = Extent{0, 1999.99, 0, 1999.99};  // a step of 0.01
  scene.combine = Combine::Sum;
  scene.kernels = {test::kernelAt(1500.3, 1234.5, 0.2, 0.1, 20),
                   test::kernelAt(1500.5, 1234.7, 0.3, 0.3)};
  RenderSession cpu(Backend::Cpu);
  EXPECT_THROW(cpu.render(scene), InputError);  // the whole grid is more than one render
  const SampleWindow window{150000, 123400, 100, 80};
  const FloatImage values = cpu.render(scene, window);
  const DoubleImage exact = reference::render(scene, window);
  const test::Comparison c = test::compare(values, exact);
  EXPECT_LT(c.relative, 1e-5) << test::describe(c, "cpu");
  EXPECT_GT(c.scale, 1.0);
  const std::vector<int> columns = {0, 100000, 150000, 150100, 200000};
  const std::vector<int> rows = {0, 123400, 123480, 200000};
  const auto blocks = kernelsByBlock(scene, columns, rows);
  EXPECT_EQ(blocks[1 * 4 + 2].size(), 2u);  // the window's block
  for (int bj = 0; bj < 3; ++bj) EXPECT_TRUE(blocks[std::size_t(bj) * 4].empty()) << bj;
  Scene too_big = scene;
  too_big.width = kMaxGridSide + 1;
  EXPECT_THROW(cpu.render(too_big, window), InputError);
  EXPECT_THROW(cpu.render(scene, SampleWindow{0, 0, 40000, 10}), InputError);  // one render's cap
}

}  // namespace
}  // namespace gaussmap
