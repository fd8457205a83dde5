// The index-space kernel math every fast backend packs from (core/index_kernel.h), checked
// against values worked out by hand from README "The math": centres, covariances on non-square
// and flipped grids, amplitudes, the contract radius, reaches, and the accumulator resolve.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <optional>

#include "core/index_kernel.h"
#include "gaussmap/scene.h"
#include "test_kernels.h"

namespace gaussmap {
namespace {

using test::kernelAt;

// m2 from the index kernel's sum-of-squares form at sample (i, j).
double indexM2(const IndexKernel& k, double i, double j) {
  const double di = i - k.ci, dj = j - k.cj;
  return k.inv_var_j * dj * dj + k.p * (di - k.shear * dj) * (di - k.shear * dj);
}

TEST(IndexKernel, AKernelAtAKnownScenePositionHasItsSampleIndexAsCentre) {
  // Columns at 10, 11, ..., 20; rows at 5, 3, 1, ..., -5 (a flipped, two-unit step).
  const SampleGrid grid(11, 6, Extent{10, 20, 5, -5});
  const IndexSpace space(grid, Normalize::Peak, std::nullopt);
  const IndexKernel k = space.kernel(kernelAt(13.25, 0, 1, 1));
  EXPECT_DOUBLE_EQ(k.ci, 3.25);
  EXPECT_DOUBLE_EQ(k.cj, 2.5);
  // Sigma 1 is one column and half a row.
  EXPECT_DOUBLE_EQ(k.cxx, 1.0);
  EXPECT_DOUBLE_EQ(k.cyy, 0.25);
  EXPECT_TRUE(k.axis_aligned);
}

TEST(IndexKernel, ToIndexInvertsTheSamplePositions) {
  const SampleGrid grids[] = {SampleGrid(64, 48, Extent{0, 63, 0, 47}),
                              SampleGrid(64, 48, Extent{63, 0, 47, 0}),
                              SampleGrid(7, 5, Extent{-3, 3.5, 2, -2.25}),
                              SampleGrid(100, 3, Extent{100000, 100127, -250000, -250095})};
  for (const SampleGrid& g : grids) {
    for (int i = 0; i < g.width(); ++i) EXPECT_NEAR(g.toIndexX(g.x(i)), i, 1e-9 * (1 + i)) << i;
    for (int j = 0; j < g.height(); ++j) EXPECT_NEAR(g.toIndexY(g.y(j)), j, 1e-9 * (1 + j)) << j;
    EXPECT_EQ(g.toIndexX(g.x(0)), 0.0);
    EXPECT_EQ(g.toIndexY(g.y(0)), 0.0);
  }
}

TEST(IndexKernel, ASingleColumnOrRowScalesByOneUnit) {
  const SampleGrid grid(1, 1, Extent{4, 4, -2, -2});
  EXPECT_EQ(grid.indexStepX(), 1.0);
  EXPECT_EQ(grid.indexStepY(), 1.0);
  EXPECT_DOUBLE_EQ(grid.toIndexX(7.5), 3.5);
  EXPECT_DOUBLE_EQ(grid.toIndexY(-3), -1.0);
  const IndexKernel k =
      IndexSpace(grid, Normalize::Pdf, std::nullopt).kernel(kernelAt(4, -2, 2, 3));
  EXPECT_DOUBLE_EQ(k.cxx, 4.0);
  EXPECT_DOUBLE_EQ(k.cyy, 9.0);
}

TEST(IndexKernel, RotatedCovarianceInIndexUnitsOnANonSquareGrid) {
  // Steps of 2 across and 0.5 down. sigma 3 x 1 turned 30 degrees:
  // Sigma = [[9 cos^2 + sin^2, 8 cos sin], [., 9 sin^2 + cos^2]] = [[7, 2 sqrt 3], [2 sqrt 3, 3]],
  // in index units S^-1 Sigma S^-1 = [[7/4, 2 sqrt 3], [2 sqrt 3, 12]], det 9 / (4 * 0.25) = 9.
  const SampleGrid grid(5, 9, Extent{0, 8, 0, 4});
  const Kernel kernel = kernelAt(4, 2, 3, 1, 30);
  const IndexKernel k = IndexSpace(grid, Normalize::Peak, 3.0).kernel(kernel);
  const double root3 = std::sqrt(3.0);
  EXPECT_DOUBLE_EQ(k.ci, 2.0);
  EXPECT_DOUBLE_EQ(k.cj, 4.0);
  EXPECT_NEAR(k.cxx, 1.75, 1e-14);
  EXPECT_NEAR(k.cyy, 12.0, 1e-13);
  EXPECT_NEAR(k.cxy, 2 * root3, 1e-14);
  EXPECT_DOUBLE_EQ(k.det, 9.0);
  EXPECT_FALSE(k.axis_aligned);
  // The conditional form: i given j has variance det / cyy = 3/4, mean ci + (cxy / cyy) dj.
  EXPECT_NEAR(k.p, 4.0 / 3.0, 1e-14);
  EXPECT_NEAR(k.shear, root3 / 6, 1e-15);
  EXPECT_NEAR(k.inv_var_j, 1.0 / 12, 1e-16);
  // d = (1, 2): Sigma^-1 = [[12, -2 sqrt 3], [-2 sqrt 3, 7/4]] / 9, so m2 = (19 - 8 sqrt 3) / 9.
  EXPECT_NEAR(indexM2(k, 3, 6), (19 - 8 * root3) / 9, 1e-14);
  // The whitening rows give the same m2, and both agree with scene units everywhere.
  const auto w = k.whitening();
  for (int j = 0; j < grid.height(); ++j) {
    for (int i = 0; i < grid.width(); ++i) {
      const double di = i - k.ci, dj = j - k.cj;
      const double a = w[0] * di + w[1] * dj, b = w[2] * di + w[3] * dj;
      const double exact = test::sceneM2(kernel, grid, i, j);
      EXPECT_NEAR(a * a + b * b, exact, 1e-12 * (1 + exact)) << i << ", " << j;
      EXPECT_NEAR(indexM2(k, i, j), exact, 1e-12 * (1 + exact)) << i << ", " << j;
    }
  }
  // Cutoff 3: the region m2 <= 9 reaches sqrt(9 cxx) columns and sqrt(9 cyy) rows.
  EXPECT_DOUBLE_EQ(k.m2_limit, 9.0);
  EXPECT_NEAR(k.reach_i, std::sqrt(9 * 1.75), 1e-14);
  EXPECT_NEAR(k.reach_j, std::sqrt(108.0), 1e-13);
}

TEST(IndexKernel, TurnsByMultiplesOf90DegreesAreAxisAligned) {
  const SampleGrid grid(10, 10, Extent{0, 9, 0, 9});
  const IndexSpace space(grid, Normalize::Peak, std::nullopt);
  const IndexKernel k = space.kernel(kernelAt(5, 5, 3, 1, 90));
  EXPECT_TRUE(k.axis_aligned);
  EXPECT_EQ(k.cxx, 1.0);
  EXPECT_EQ(k.cyy, 9.0);
  EXPECT_EQ(k.shear, 0.0);
  EXPECT_EQ(k.p, 1.0);
}

TEST(IndexKernel, AmplitudeFollowsTheNormalisationInSceneUnits) {
  // On a grid of half-unit steps: the pdf's determinant is the scene's, not the index one.
  const SampleGrid grid(21, 21, Extent{0, 10, 0, 10});
  const Kernel k = kernelAt(5, 5, 2, 3, 40, 0.7);
  EXPECT_NEAR(IndexSpace(grid, Normalize::Pdf, std::nullopt).kernel(k).amplitude,
              0.7 / (2 * std::numbers::pi * 6), 1e-17);
  EXPECT_EQ(IndexSpace(grid, Normalize::Peak, std::nullopt).kernel(k).amplitude, 0.7);
  EXPECT_EQ(IndexSpace(grid, Normalize::Cell, std::nullopt).kernel(k).amplitude, 0.7);
  Kernel from_cov = k;
  from_cov.cov = Covariance{4, 1, 9};
  EXPECT_NEAR(IndexSpace(grid, Normalize::Pdf, std::nullopt).kernel(from_cov).amplitude,
              0.7 / (2 * std::numbers::pi * std::sqrt(35.0)), 1e-17);
  EXPECT_EQ(kernelAmplitude(2.5, 4.0, Normalize::Pdf), 2.5 / (4 * std::numbers::pi));
  EXPECT_EQ(kernelAmplitude(2.5, 4.0, Normalize::Peak), 2.5);
}

TEST(IndexKernel, TheContractRadiusIsTheCutoffOrTwoLn1e7) {
  EXPECT_NEAR(kNegligibleM2, 2 * std::log(1e7), 1e-14);
  // exp(-m2/2) there is 1e-7 of the peak.
  EXPECT_NEAR(std::exp(-0.5 * kNegligibleM2), 1e-7, 1e-20);
  EXPECT_EQ(contractM2(std::nullopt), kNegligibleM2);
  EXPECT_EQ(contractM2(3.0), 9.0);
  // Sigma 2 on half-unit steps is 4 samples: the negligible radius reaches 4 * 5.67769 samples.
  const SampleGrid grid(21, 41, Extent{0, 10, 0, 20});
  const IndexKernel k = IndexSpace(grid, Normalize::Pdf, std::nullopt).kernel(kernelAt(5, 5, 2, 1));
  EXPECT_NEAR(k.reach_i, 4 * std::sqrt(kNegligibleM2), 1e-12);
  EXPECT_NEAR(k.reach_i, 22.71077, 1e-5);
  EXPECT_NEAR(k.reach_j, 2 * std::sqrt(kNegligibleM2), 1e-12);
}

TEST(IndexKernel, RowExtentIsTheRegionsColumnsOnThatRow) {
  // sigma 2 x 1 (index units), cutoff 2: the ellipse (di/2)^2 + dj^2 <= 4.
  const SampleGrid grid(20, 20, Extent{0, 19, 0, 19});
  const IndexKernel k = IndexSpace(grid, Normalize::Peak, 2.0).kernel(kernelAt(10, 10, 2, 1));
  EXPECT_DOUBLE_EQ(k.rowExtent(10).centre, 10.0);
  EXPECT_DOUBLE_EQ(k.rowExtent(10).half, 4.0);
  EXPECT_DOUBLE_EQ(k.rowExtent(11).half, 2 * std::sqrt(3.0));
  EXPECT_DOUBLE_EQ(k.rowExtent(12).half, 0.0);
  EXPECT_LT(k.rowExtent(13).half, 0.0);
  // Rotated: row j's centre moves by shear per row.
  const IndexKernel r = IndexSpace(grid, Normalize::Peak, 2.0).kernel(kernelAt(10, 10, 3, 1, 45));
  EXPECT_NEAR(r.rowExtent(12).centre, 10 + 2 * r.shear, 1e-12);
  EXPECT_NEAR(r.shear, 1.0 - 2.0 / 10, 1e-14);  // cxy / cyy = 4 / 5
}

TEST(ResolveAccumulator, EachCombineModeTurnsItsAccumulatorIntoTheValue) {
  EXPECT_EQ(resolveAccumulator(Combine::Sum, -2.5f, false), -2.5f);
  // max: "no kernel" (the sentinel, or -inf) is 0; a negative maximum stays, except where a
  // dropped tail takes part as 0.
  EXPECT_EQ(resolveAccumulator(Combine::Max, kNoKernel, false), 0.0f);
  EXPECT_EQ(resolveAccumulator(Combine::Max, -std::numeric_limits<float>::infinity(), false), 0.0f);
  EXPECT_EQ(resolveAccumulator(Combine::Max, -2.0f, false), -2.0f);
  EXPECT_EQ(resolveAccumulator(Combine::Max, -2.0f, true), 0.0f);
  EXPECT_EQ(resolveAccumulator(Combine::Max, 0.25f, true), 0.25f);
  // union: 1 - (1 - 0.25)(1 - 0.5) = 0.625 from the sum of ln(1 - v).
  const float logs = float(std::log1p(-0.25) + std::log1p(-0.5));
  EXPECT_NEAR(resolveAccumulator(Combine::Union, logs, false), 0.625f, 1e-7);
  // Values near 1e-4 keep their digits (the product form would lose three).
  EXPECT_FLOAT_EQ(resolveAccumulator(Combine::Union, float(std::log1p(-1.234567e-4)), false),
                  1.234567e-4f);
  const float none = resolveAccumulator(Combine::Union, 0.0f, false);
  EXPECT_EQ(none, 0.0f);
  EXPECT_FALSE(std::signbit(none));
}

}  // namespace
}  // namespace gaussmap
