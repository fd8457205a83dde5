// The exact reference renderer against independent facts: closed forms evaluated here (in long
// double where digits matter), brute-force integrals, and identities between scenes.
#include "reference/reference_renderer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <csignal>
#include <cstring>
#include <functional>
#include <numbers>
#include <vector>

#include "core/interrupt.h"
#include "core/renderer.h"
#include "gaussmap/errors.h"
#include "gaussmap/scene.h"
#include "random_scenes.h"
#include "reference/reference_backend.h"
#include "test_kernels.h"

namespace gaussmap {
namespace {

constexpr double kPi = std::numbers::pi;

using test::kernelAt;

Scene makeScene(int width, int height, std::optional<Extent> extent, std::vector<Kernel> kernels,
                Combine combine = Combine::Sum, Normalize normalize = Normalize::Pdf) {
  Scene s;
  s.width = width;
  s.height = height;
  s.extent = extent;
  s.kernels = std::move(kernels);
  s.combine = combine;
  s.normalize = normalize;
  return s;
}

// The sample position (i, j) from the documented linspace rule, computed here, not by SampleGrid.
double sampleX(const Scene& s, int i) {
  const Extent e = s.extent.value_or(Extent{0, double(s.width - 1), 0, double(s.height - 1)});
  return s.width == 1 ? e.x0 : e.x0 + i * (e.x1 - e.x0) / (s.width - 1);
}
double sampleY(const Scene& s, int j) {
  const Extent e = s.extent.value_or(Extent{0, double(s.width - 1), 0, double(s.height - 1)});
  return s.height == 1 ? e.y0 : e.y0 + j * (e.y1 - e.y0) / (s.height - 1);
}

// A 2x2 matrix [[a, b], [c, d]] with the products the tests need, written out in full so that the
// covariance used here does not come from Kernel::covariance().
struct Mat2 {
  long double a, b, c, d;
  Mat2 operator*(const Mat2& o) const {
    return {a * o.a + b * o.c, a * o.b + b * o.d, c * o.a + d * o.c, c * o.b + d * o.d};
  }
  Mat2 transposed() const { return {a, c, b, d}; }
  long double det() const { return a * d - b * c; }
  Mat2 inverse() const {
    const long double k = 1 / det();
    return {d * k, -b * k, -c * k, a * k};
  }
};

// Sigma = R diag(sx^2, sy^2) R^T with R the counterclockwise rotation by angle_deg.
Mat2 covarianceOf(long double sx, long double sy, long double angle_deg) {
  const long double a = angle_deg * std::numbers::pi_v<long double> / 180;
  const Mat2 r{std::cos(a), -std::sin(a), std::sin(a), std::cos(a)};
  return r * Mat2{sx * sx, 0, 0, sy * sy} * r.transposed();
}

// The bivariate normal density (weight 1) of covariance `cov` centred at (cx, cy).
long double densityAt(const Mat2& cov, long double cx, long double cy, long double px,
                      long double py) {
  const Mat2 inv = cov.inverse();
  const long double dx = px - cx, dy = py - cy;
  const long double m2 = dx * (inv.a * dx + inv.b * dy) + dy * (inv.c * dx + inv.d * dy);
  return std::exp(-m2 / 2) / (2 * std::numbers::pi_v<long double> * std::sqrt(cov.det()));
}

long double peakAt(const Mat2& cov, long double cx, long double cy, long double px,
                   long double py) {
  const Mat2 inv = cov.inverse();
  const long double dx = px - cx, dy = py - cy;
  return std::exp(-(dx * (inv.a * dx + inv.b * dy) + dy * (inv.c * dx + inv.d * dy)) / 2);
}

// |got - want| <= rel * |want| at every sample.
void expectImageNear(const DoubleImage& got, const std::function<long double(int, int)>& want,
                     double rel, double abs = 0) {
  for (int j = 0; j < got.height; ++j)
    for (int i = 0; i < got.width; ++i) {
      const long double w = want(i, j);
      ASSERT_NEAR(got.at(i, j), double(w), std::max(rel * double(std::fabs(w)), abs))
          << "at sample (" << i << ", " << j << ")";
    }
}

void expectImagesNear(const DoubleImage& a, const DoubleImage& b, double rel) {
  ASSERT_EQ(a.width, b.width);
  ASSERT_EQ(a.height, b.height);
  expectImageNear(
      a, [&](int i, int j) { return b.at(i, j); }, rel);
}

// --- Closed-form values at chosen points ---

TEST(ReferencePdf, AxisAlignedValuesMatchTheBivariateNormalDensity) {
  const Scene s = makeScene(9, 7, Extent{-1, 7, -5, 1}, {kernelAt(3, -2, 2, 0.5, 0, 1.5)});
  const DoubleImage img = reference::render(s);
  expectImageNear(
      img,
      [&](int i, int j) {
        const double dx = sampleX(s, i) - 3, dy = sampleY(s, j) + 2;
        return 1.5 * std::exp(-0.5 * (dx * dx / 4 + dy * dy / 0.25)) / (2 * kPi * 2 * 0.5);
      },
      1e-12);
}

TEST(ReferencePdf, CentreValueIsWeightOverTwoPiSigmaXSigmaY) {
  const Scene s = makeScene(3, 3, Extent{9, 11, 19, 21}, {kernelAt(10, 20, 3, 0.25, 0, 2)});
  EXPECT_NEAR(reference::render(s).at(1, 1), 2 / (2 * kPi * 3 * 0.25), 1e-15);
}

TEST(ReferencePeak, ValueIsWeightAtTheCentreAndExpMinusHalfOneSigmaAway) {
  const Scene s = makeScene(3, 3, Extent{4, 8, 1, 3}, {kernelAt(6, 2, 2, 1, 0, 0.8)}, Combine::Sum,
                            Normalize::Peak);
  const DoubleImage img = reference::render(s);
  EXPECT_DOUBLE_EQ(img.at(1, 1), 0.8);
  EXPECT_NEAR(img.at(2, 1), 0.8 * std::exp(-0.5), 1e-15);  // (8, 2): one sigma_x away
  EXPECT_NEAR(img.at(1, 2), 0.8 * std::exp(-0.5), 1e-15);  // (6, 3): one sigma_y away
  EXPECT_NEAR(img.at(2, 2), 0.8 * std::exp(-1.0), 1e-15);
}

TEST(ReferenceRotation, AngleNinetyEqualsSwappedSigmas) {
  const Extent e{-10, 10, -12, 12};
  const Scene rotated = makeScene(21, 25, e, {kernelAt(0.5, -1, 4, 1, 90)});
  const Scene swapped = makeScene(21, 25, e, {kernelAt(0.5, -1, 1, 4, 0)});
  expectImagesNear(reference::render(rotated), reference::render(swapped), 1e-12);
  // The long axis (sigma 4) now runs along y: one sigma up the y axis gives exp(-1/2) of the top.
  const Scene peak = makeScene(1, 2, Extent{0, 0, 0, 4}, {kernelAt(0, 0, 4, 1, 90)}, Combine::Sum,
                               Normalize::Peak);
  EXPECT_NEAR(reference::render(peak).at(0, 1), std::exp(-0.5), 1e-12);
}

TEST(ReferenceRotation, AngleThirtyMatchesExplicitRotatedCovariance) {
  const Scene s = makeScene(17, 15, Extent{-6, 10, -5, 9}, {kernelAt(2, 1.5, 4, 1, 30, 1.25)});
  const Mat2 cov = covarianceOf(4, 1, 30);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) { return 1.25L * densityAt(cov, 2, 1.5, sampleX(s, i), sampleY(s, j)); },
      1e-12);
}

TEST(ReferenceRotation, PositiveAngleTurnsTheLongAxisFromXTowardsY) {
  // With angle 30 the kernel's own x axis points along (cos 30, sin 30): one sigma_x along it is
  // Mahalanobis distance 1, while the mirrored direction (cos 30, -sin 30) is much further.
  const double a = 30 * kPi / 180;
  const Scene s =
      makeScene(1, 2, Extent{4 * std::cos(a), 4 * std::cos(a), 4 * std::sin(a), -4 * std::sin(a)},
                {kernelAt(0, 0, 4, 1, 30)}, Combine::Sum, Normalize::Peak);
  const DoubleImage img = reference::render(s);
  EXPECT_NEAR(img.at(0, 0), std::exp(-0.5), 1e-12);
  const long double mirrored =
      peakAt(covarianceOf(4, 1, 30), 0, 0, 4 * std::cos(a), -4 * std::sin(a));
  EXPECT_NEAR(img.at(0, 1), double(mirrored), 1e-12);
  EXPECT_LT(img.at(0, 1), 0.05);
}

TEST(ReferenceRotation, PeakNormalizedRotatedKernelMatchesClosedForm) {
  const Scene s = makeScene(13, 11, Extent{-3, 9, -4, 6}, {kernelAt(3, 1, 2.5, 0.75, -55, 0.7)},
                            Combine::Sum, Normalize::Peak);
  const Mat2 cov = covarianceOf(2.5, 0.75, -55);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) { return 0.7L * peakAt(cov, 3, 1, sampleX(s, i), sampleY(s, j)); }, 1e-12);
}

TEST(ReferenceCov, CovKernelEqualsTheEquivalentSigmaAngleKernel) {
  const Mat2 c = covarianceOf(3, 1.2, 40);
  Kernel from_cov = kernelAt(1, -2, 1, 1, 0, 0.9);
  from_cov.setCovariance(Covariance{double(c.a), double(c.b), double(c.d)});
  const Extent e{-9, 11, -12, 8};
  for (Normalize n : {Normalize::Pdf, Normalize::Peak, Normalize::Cell}) {
    SCOPED_TRACE(std::string(toString(n)));
    const Scene with_cov = makeScene(21, 21, e, {from_cov}, Combine::Sum, n);
    const Scene with_sigmas =
        makeScene(21, 21, e, {kernelAt(1, -2, 3, 1.2, 40, 0.9)}, Combine::Sum, n);
    expectImagesNear(reference::render(with_cov), reference::render(with_sigmas), 1e-9);
  }
}

TEST(ReferenceCov, SetCovarianceRecoversSigmasAndAngle) {
  const Mat2 c = covarianceOf(3, 1.2, 40);
  Kernel k;
  k.setCovariance(Covariance{double(c.a), double(c.b), double(c.d)});
  EXPECT_NEAR(k.sigma_x, 3, 1e-12);
  EXPECT_NEAR(k.sigma_y, 1.2, 1e-12);
  EXPECT_NEAR(k.angle_deg, 40, 1e-10);
}

// --- Mass ---

TEST(ReferencePdf, FineGridSumTimesCellAreaIsTheWeight) {
  // 601 x 601 samples, step 0.05 over [-15, 15]^2: the rotated kernel lies well inside.
  const Scene s =
      makeScene(601, 601, Extent{-15, 15, -15, 15}, {kernelAt(0.3, -0.2, 1.5, 0.7, 25, 2.5)});
  const DoubleImage img = reference::render(s);
  long double total = 0;
  for (double v : img.pixels) total += v;
  EXPECT_NEAR(double(total * 0.05L * 0.05L), 2.5, 2.5e-9);
}

TEST(ReferenceCell, AxisAlignedMassesOverACoveringGridSumToTheWeight) {
  // Cells of 0.5 tile [-10.25, 10.25]^2; the kernel has < 1e-14 of its mass outside.
  const Scene s =
      makeScene(41, 41, Extent{-10, 10, -10, 10}, {kernelAt(0.4, -0.3, 1.3, 0.8, 0, 1.75)},
                Combine::Sum, Normalize::Cell);
  long double total = 0;
  for (double v : reference::render(s).pixels) total += v;
  EXPECT_NEAR(double(total), 1.75, 1e-12);
}

TEST(ReferenceCell, RotatedMassesOverACoveringGridSumToTheWeight) {
  const Scene s =
      makeScene(41, 41, Extent{-10, 10, -10, 10}, {kernelAt(0.4, -0.3, 1.3, 0.8, 35, 1.75)},
                Combine::Sum, Normalize::Cell);
  long double total = 0;
  for (double v : reference::render(s).pixels) total += v;
  EXPECT_NEAR(double(total), 1.75, 1e-9);
}

TEST(ReferenceCell, AxisAlignedCellIsTheProductOfErfDifferences) {
  const Scene s = makeScene(7, 5, Extent{-3, 3, -1, 1}, {kernelAt(0.2, 0.1, 1.1, 0.6, 0, 0.5)},
                            Combine::Sum, Normalize::Cell);
  const long double r2 = std::sqrt(2.0L);
  auto mass = [&](long double lo, long double hi, long double mu, long double sd) {
    return (std::erf((hi - mu) / (sd * r2)) - std::erf((lo - mu) / (sd * r2))) / 2;
  };
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const long double x = sampleX(s, i), y = sampleY(s, j);  // cells 1 x 0.5
        return 0.5L * mass(x - 0.5L, x + 0.5L, 0.2L, 1.1L) * mass(y - 0.25L, y + 0.25L, 0.1L, 0.6L);
      },
      1e-12);
}

// The integral of the density over [x0, x1] x [y0, y1] by the midpoint rule on n x n points.
long double midpointIntegral(const Mat2& cov, long double cx, long double cy, long double x0,
                             long double x1, long double y0, long double y1, int n) {
  const Mat2 inv = cov.inverse();
  const long double norm = 1 / (2 * std::numbers::pi_v<long double> * std::sqrt(cov.det()));
  const long double hx = (x1 - x0) / n, hy = (y1 - y0) / n;
  long double total = 0;
  for (int q = 0; q < n; ++q) {
    const long double dy = y0 + (q + 0.5L) * hy - cy;
    for (int p = 0; p < n; ++p) {
      const long double dx = x0 + (p + 0.5L) * hx - cx;
      total += std::exp(-(dx * (inv.a * dx + inv.b * dy) + dy * (inv.c * dx + inv.d * dy)) / 2);
    }
  }
  return total * norm * hx * hy;
}

TEST(ReferenceCell, RotatedCellMatchesABruteForceMidpointIntegral) {
  // Samples 1 apart in x and 0.5 in y: cells [x -/+ 0.5] x [y -/+ 0.25].
  const Scene s = makeScene(9, 9, Extent{-4, 4, -2, 2}, {kernelAt(0.3, 0.1, 1.5, 0.6, 30, 1.2)},
                            Combine::Sum, Normalize::Cell);
  const DoubleImage img = reference::render(s);
  const Mat2 cov = covarianceOf(1.5, 0.6, 30);
  // The centre cell, a shoulder cell along the long axis, and one out in the tail.
  for (auto [i, j] : {std::pair{4, 4}, std::pair{6, 6}, std::pair{1, 6}, std::pair{7, 1}}) {
    const long double x = sampleX(s, i), y = sampleY(s, j);
    // Richardson on the midpoint rule (error ~ h^2) removes the leading error term.
    auto midpoint = [&](int n) {
      return midpointIntegral(cov, 0.3L, 0.1L, x - 0.5L, x + 0.5L, y - 0.25L, y + 0.25L, n);
    };
    const long double want = 1.2L * (4 * midpoint(1200) - midpoint(600)) / 3;
    EXPECT_NEAR(img.at(i, j), double(want), 1e-6 * double(want))
        << "cell (" << i << ", " << j << ")";
  }
}

// P(a <= Z <= b) by composite Simpson on the density in long double: an independent integral.
long double simpsonNormalMass(long double a, long double b, int intervals) {
  auto phi = [](long double z) {
    return std::exp(-z * z / 2) / std::sqrt(2 * std::numbers::pi_v<long double>);
  };
  const long double h = (b - a) / intervals;
  long double total = phi(a) + phi(b);
  for (int k = 1; k < intervals; ++k) total += (k % 2 ? 4 : 2) * phi(a + k * h);
  return total * h / 3;
}

TEST(StandardNormalMass, FarTailsKeepFullRelativePrecision) {
  for (auto [a, b] : {std::pair{8.0, 9.0}, std::pair{-9.0, -8.0}, std::pair{12.0, 12.5},
                      std::pair{-30.0, -25.0}}) {
    const long double want = simpsonNormalMass(a, b, 200000);
    const long double closed = std::erfc(std::fabs(a < 0 ? b : a) / std::sqrt(2.0L)) / 2 -
                               std::erfc(std::fabs(a < 0 ? a : b) / std::sqrt(2.0L)) / 2;
    ASSERT_NEAR(double(closed), double(want), 1e-13 * double(want));  // the two facts agree
    EXPECT_NEAR(reference::standardNormalMass(a, b), double(want), 1e-12 * double(want))
        << "[" << a << ", " << b << "]";
  }
}

TEST(StandardNormalMass, CentralIntervalsMatchErf) {
  for (auto [a, b] :
       {std::pair{-1.0, 2.0}, std::pair{-0.5, 0.5}, std::pair{0.0, 1.0}, std::pair{-3.0, -1.0}}) {
    const long double want = (std::erf(b / std::sqrt(2.0L)) - std::erf(a / std::sqrt(2.0L))) / 2;
    EXPECT_NEAR(reference::standardNormalMass(a, b), double(want), 1e-14);
  }
}

TEST(StandardNormalMass, EmptyOrReversedIntervalHasNoMass) {
  EXPECT_EQ(reference::standardNormalMass(1.0, 1.0), 0.0);
  EXPECT_EQ(reference::standardNormalMass(2.0, 1.0), 0.0);
}

// --- Combining ---

TEST(ReferenceCombine, UnionIsOneMinusProductOfComplements) {
  const Kernel a = kernelAt(2, 3, 2, 1.5, 20, 0.6), b = kernelAt(5, 2, 1, 3, -35, 0.3);
  const Scene s = makeScene(11, 9, Extent{-1, 9, -2, 6}, {a, b}, Combine::Union, Normalize::Peak);
  const Mat2 ca = covarianceOf(2, 1.5, 20), cb = covarianceOf(1, 3, -35);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const long double x = sampleX(s, i), y = sampleY(s, j);
        const long double pa = 0.6L * peakAt(ca, 2, 3, x, y), pb = 0.3L * peakAt(cb, 5, 2, x, y);
        return 1 - (1 - pa) * (1 - pb);
      },
      1e-12);
}

TEST(ReferenceCombine, UnionKeepsDigitsForSmallValues) {
  // Values near 1e-4: the literal 1 - (1-a)(1-b) in double keeps only ~12 digits here.
  const double wa = 1.3e-4, wb = 0.7e-4;
  const Scene s = makeScene(5, 4, Extent{-2, 2, -1, 2},
                            {kernelAt(0, 0, 1.5, 1, 0, wa), kernelAt(0.5, 1, 1, 2, 60, wb)},
                            Combine::Union, Normalize::Peak);
  const Mat2 ca = covarianceOf(1.5, 1, 0), cb = covarianceOf(1, 2, 60);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const long double x = sampleX(s, i), y = sampleY(s, j);
        const long double pa = wa * peakAt(ca, 0, 0, x, y), pb = wb * peakAt(cb, 0.5L, 1, x, y);
        return pa + pb - pa * pb;  // exact rearrangement, no cancellation
      },
      1e-13);
}

TEST(ReferenceCombine, UnionOfManyTinyValuesKeepsDigits) {
  // 50 kernels of 1e-9 at one point: 1 - (1 - 1e-9)^50, where the literal product has no
  // correct digit beyond the seventh.
  std::vector<Kernel> kernels(50, kernelAt(0, 0, 1, 1, 0, 1e-9));
  const Scene s = makeScene(1, 1, Extent{0, 0, 0, 0}, kernels, Combine::Union, Normalize::Peak);
  const long double v = 1e-9;
  // 1 - (1-v)^50 = 50v - C(50,2)v^2 + C(50,3)v^3 - ...
  const long double want = 50 * v - 1225 * v * v + 19600 * v * v * v;
  EXPECT_NEAR(reference::render(s).at(0, 0), double(want), 1e-13 * double(want));
}

TEST(ReferenceCombine, MaxIsTheLargestKernelValue) {
  const Scene s = makeScene(11, 9, Extent{-1, 9, -2, 6},
                            {kernelAt(2, 3, 2, 1.5, 20, 0.6), kernelAt(5, 2, 1, 3, -35, 0.9)},
                            Combine::Max, Normalize::Peak);
  const Mat2 ca = covarianceOf(2, 1.5, 20), cb = covarianceOf(1, 3, -35);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const long double x = sampleX(s, i), y = sampleY(s, j);
        return std::max(0.6L * peakAt(ca, 2, 3, x, y), 0.9L * peakAt(cb, 5, 2, x, y));
      },
      1e-12);
}

TEST(ReferenceCombine, SumIsTheSumOfKernelValues) {
  const Scene s = makeScene(11, 9, Extent{-1, 9, -2, 6},
                            {kernelAt(2, 3, 2, 1.5, 20, 0.6), kernelAt(5, 2, 1, 3, -35, 4),
                             kernelAt(4, 4, 0.5, 0.5, 0, 1)},
                            Combine::Sum, Normalize::Pdf);
  const Mat2 ca = covarianceOf(2, 1.5, 20), cb = covarianceOf(1, 3, -35),
             cc = covarianceOf(0.5, 0.5, 0);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const long double x = sampleX(s, i), y = sampleY(s, j);
        return 0.6L * densityAt(ca, 2, 3, x, y) + 4 * densityAt(cb, 5, 2, x, y) +
               densityAt(cc, 4, 4, x, y);
      },
      1e-12, 1e-300);
}

TEST(ReferenceCombine, SumAcceptsNegativeWeights) {
  const Scene s = makeScene(9, 9, Extent{-4, 4, -4, 4},
                            {kernelAt(-1, 0, 1.5, 1.5, 0, 2), kernelAt(1, 0.5, 1, 2, 15, -1.5)},
                            Combine::Sum, Normalize::Peak);
  const Mat2 ca = covarianceOf(1.5, 1.5, 0), cb = covarianceOf(1, 2, 15);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const long double x = sampleX(s, i), y = sampleY(s, j);
        return 2 * peakAt(ca, -1, 0, x, y) - 1.5L * peakAt(cb, 1, 0.5L, x, y);
      },
      1e-12, 1e-15);
  // At the negative kernel's centre: -1.5 plus the positive kernel's tail, 2 exp(-(2^2+0.5^2)/4.5).
  const Scene at_centre =
      makeScene(1, 1, Extent{1, 1, 0.5, 0.5}, s.kernels, Combine::Sum, Normalize::Peak);
  EXPECT_NEAR(reference::render(at_centre).at(0, 0), -1.5 + 2 * std::exp(-4.25 / 4.5), 1e-15);
}

TEST(ReferenceCombine, MaxWithNegativeWeightsTakesTheLargestEvenWhenAllAreNegative) {
  const std::vector<Kernel> kernels{kernelAt(-1, 0, 1.5, 1.5, 0, -0.5),
                                    kernelAt(1, 0.5, 1, 2, 15, -1.5)};
  const Scene s = makeScene(9, 9, Extent{-4, 4, -4, 4}, kernels, Combine::Max, Normalize::Peak);
  const Mat2 ca = covarianceOf(1.5, 1.5, 0), cb = covarianceOf(1, 2, 15);
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const long double x = sampleX(s, i), y = sampleY(s, j);
        return std::max(-0.5L * peakAt(ca, -1, 0, x, y), -1.5L * peakAt(cb, 1, 0.5L, x, y));
      },
      1e-12, 1e-15);
}

// --- Cutoff ---

TEST(ReferenceCutoff, ZeroesSamplesBeyondTheMahalanobisDistanceAndKeepsThoseWithin) {
  // sigma_x 2, sigma_y 1, cutoff 2: along x the edge is at distance 4, along y at 1*2 = 2.
  const Kernel k = kernelAt(0, 0, 2, 1, 0, 1);
  Scene s = makeScene(2, 1, Extent{3.9, 4.1, 0, 0}, {k}, Combine::Sum, Normalize::Peak);
  s.cutoff = 2;
  DoubleImage img = reference::render(s);
  EXPECT_NEAR(img.at(0, 0), std::exp(-0.5 * (3.9 / 2) * (3.9 / 2)), 1e-15);
  EXPECT_EQ(img.at(1, 0), 0.0);

  s.width = 1;
  s.height = 2;
  s.extent = Extent{0, 0, -1.9, -2.1};
  img = reference::render(s);
  EXPECT_NEAR(img.at(0, 0), std::exp(-0.5 * 1.9 * 1.9), 1e-15);
  EXPECT_EQ(img.at(0, 1), 0.0);
}

TEST(ReferenceCutoff, FollowsTheRotatedEllipseInEveryCombineMode) {
  // angle 30: the points at Mahalanobis distance 2.95 and 3.05 along the kernel's own axes.
  const double a = 30 * kPi / 180, ux = std::cos(a), uy = std::sin(a);
  const Kernel k = kernelAt(1, 1, 3, 0.5, 30, 0.25);
  struct Probe {
    double x, y;
    bool inside;
    double m;
  };
  const std::vector<Probe> probes{{1 + 2.95 * 3 * ux, 1 + 2.95 * 3 * uy, true, 2.95},
                                  {1 + 3.05 * 3 * ux, 1 + 3.05 * 3 * uy, false, 3.05},
                                  {1 - 2.95 * 0.5 * uy, 1 + 2.95 * 0.5 * ux, true, 2.95},
                                  {1 + 3.05 * 0.5 * uy, 1 - 3.05 * 0.5 * ux, false, 3.05}};
  for (Combine combine : {Combine::Sum, Combine::Max, Combine::Union}) {
    for (const Probe& p : probes) {
      Scene s = makeScene(1, 1, Extent{p.x, p.x, p.y, p.y}, {k}, combine, Normalize::Peak);
      s.cutoff = 3;
      const double want = p.inside ? 0.25 * std::exp(-0.5 * p.m * p.m) : 0.0;
      EXPECT_NEAR(reference::render(s).at(0, 0), want, 1e-14)
          << toString(combine) << " at distance " << p.m;
    }
  }
}

TEST(ReferenceCutoff, AppliesToCellAndPdfAtTheSampleItself) {
  Scene s = makeScene(1, 2, Extent{0, 0, 2.9, 3.1}, {kernelAt(0, 0, 1, 1, 0, 1)}, Combine::Sum,
                      Normalize::Pdf);
  s.cutoff = 3;
  DoubleImage img = reference::render(s);
  EXPECT_NEAR(img.at(0, 0), std::exp(-0.5 * 2.9 * 2.9) / (2 * kPi), 1e-15);
  EXPECT_EQ(img.at(0, 1), 0.0);
  s.normalize = Normalize::Cell;
  img = reference::render(s);
  EXPECT_GT(img.at(0, 0), 0.0);
  EXPECT_EQ(img.at(0, 1), 0.0);
}

// --- Extents and grids ---

TEST(ReferenceExtent, FlippedXGivesTheMirroredImage) {
  const std::vector<Kernel> kernels{kernelAt(3, 2, 2, 1, 25, 1), kernelAt(7, 5, 1, 1.5, 0, 2)};
  const DoubleImage forward = reference::render(makeScene(11, 8, Extent{0, 10, 0, 7}, kernels));
  const DoubleImage flipped = reference::render(makeScene(11, 8, Extent{10, 0, 0, 7}, kernels));
  for (int j = 0; j < 8; ++j)
    for (int i = 0; i < 11; ++i)
      ASSERT_NEAR(flipped.at(i, j), forward.at(10 - i, j), 1e-15) << i << ", " << j;
}

TEST(ReferenceExtent, FlippedYGivesTheMirroredImage) {
  const std::vector<Kernel> kernels{kernelAt(3, 2, 2, 1, 25, 1), kernelAt(7, 5, 1, 1.5, 0, 2)};
  for (Normalize n : {Normalize::Pdf, Normalize::Cell}) {
    const DoubleImage forward =
        reference::render(makeScene(11, 8, Extent{0, 10, 0, 7}, kernels, Combine::Sum, n));
    const DoubleImage flipped =
        reference::render(makeScene(11, 8, Extent{0, 10, 7, 0}, kernels, Combine::Sum, n));
    for (int j = 0; j < 8; ++j)
      for (int i = 0; i < 11; ++i)
        ASSERT_NEAR(flipped.at(i, j), forward.at(i, 7 - j), 1e-13) << i << ", " << j;
  }
}

TEST(ReferenceExtent, WidthOneSamplesOnlyX0) {
  const Kernel k = kernelAt(2, 1, 1.5, 1, 0, 1);
  const Scene s = makeScene(1, 5, Extent{2.5, 7, 0, 4}, {k}, Combine::Sum, Normalize::Peak);
  const DoubleImage img = reference::render(s);
  ASSERT_EQ(img.width, 1);
  for (int j = 0; j < 5; ++j) {
    const double dx = 0.5, dy = j - 1.0;  // x = x0 = 2.5, y_j = j
    EXPECT_NEAR(img.at(0, j), std::exp(-0.5 * (dx * dx / 2.25 + dy * dy)), 1e-15) << j;
  }
}

TEST(ReferenceExtent, HeightOneSamplesOnlyY0) {
  const Kernel k = kernelAt(2, 1, 1.5, 1, 0, 1);
  const Scene s = makeScene(5, 1, Extent{0, 4, -0.5, 9}, {k}, Combine::Sum, Normalize::Peak);
  const DoubleImage img = reference::render(s);
  ASSERT_EQ(img.height, 1);
  for (int i = 0; i < 5; ++i) {
    const double dx = i - 2.0, dy = -1.5;
    EXPECT_NEAR(img.at(i, 0), std::exp(-0.5 * (dx * dx / 2.25 + dy * dy)), 1e-15) << i;
  }
}

TEST(ReferenceExtent, DefaultExtentPutsSampleIJAtPixelIJ) {
  const Scene s = makeScene(7, 5, std::nullopt, {kernelAt(2, 3, 1.5, 0.75, 0, 1)}, Combine::Sum,
                            Normalize::Peak);
  const DoubleImage img = reference::render(s);
  for (int j = 0; j < 5; ++j)
    for (int i = 0; i < 7; ++i) {
      const double dx = i - 2.0, dy = j - 3.0;
      EXPECT_NEAR(img.at(i, j), std::exp(-0.5 * (dx * dx / 2.25 + dy * dy / 0.5625)), 1e-15);
    }
  EXPECT_DOUBLE_EQ(img.at(2, 3), 1.0);
}

TEST(SampleGrid, IsLinspaceOverTheExtent) {
  const SampleGrid g(5, 3, Extent{1, -1, 10, 20});
  EXPECT_DOUBLE_EQ(g.x(0), 1);
  EXPECT_DOUBLE_EQ(g.x(2), 0);
  EXPECT_DOUBLE_EQ(g.x(4), -1);
  EXPECT_DOUBLE_EQ(g.dx(), -0.5);
  EXPECT_DOUBLE_EQ(g.y(1), 15);
  EXPECT_DOUBLE_EQ(g.y(2), 20);
  EXPECT_DOUBLE_EQ(g.cellWidth(), 0.5);
  EXPECT_DOUBLE_EQ(g.cellHeight(), 5);
}

TEST(ReferenceRender, EmptyKernelListGivesZerosInEveryMode) {
  for (Combine c : {Combine::Sum, Combine::Max, Combine::Union})
    for (Normalize n : {Normalize::Pdf, Normalize::Peak, Normalize::Cell}) {
      const DoubleImage img = reference::render(makeScene(6, 4, std::nullopt, {}, c, n));
      ASSERT_EQ(img.pixels.size(), 24u);
      // +0 (-0 == 0, so the sign bit is checked too: union once wrote -expm1(0) = -0).
      for (double v : img.pixels)
        EXPECT_TRUE(v == 0.0 && !std::signbit(v))
            << v << ", " << toString(c) << ", " << toString(n);
    }
}

TEST(ReferenceRender, AStopRequestEndsTheRenderWithinARow) {
  // A render that takes minutes unstopped (a 2000x2000 kernel of the slow rotated-cell
  // integral): a request already made stops it at the first row.
  const Scene s = makeScene(2000, 2000, std::nullopt, {kernelAt(1000, 1000, 400, 300, 30)},
                            Combine::Sum, Normalize::Cell);
  requestInterrupt(SIGINT);
  EXPECT_THROW(reference::render(s), Interrupted);
  clearInterrupt();
  const Scene small = makeScene(5, 5, std::nullopt, {kernelAt(2, 2, 1, 1, 0)});
  EXPECT_NO_THROW(reference::render(small));
}

TEST(ReferenceRender, KernelFarOffTheGridContributesNothing) {
  // Far beyond int's range in sample indices, on either side and on a flipped grid.
  for (double far : {1e12, -1e12, 1e300, -1e300}) {
    for (Extent e : {Extent{0, 9, 0, 7}, Extent{9, 0, 7, 0}}) {
      for (Normalize n : {Normalize::Pdf, Normalize::Cell}) {
        const std::vector<Kernel> kernels{kernelAt(far, 3, 2, 1, 0), kernelAt(3, far, 2, 1, 20),
                                          kernelAt(far, far, 2, 1, 0)};
        const DoubleImage img = reference::render(makeScene(10, 8, e, kernels, Combine::Sum, n));
        for (double v : img.pixels) ASSERT_EQ(v, 0.0) << far;
      }
    }
  }
}

TEST(ReferenceRender, KernelFarOffTheGridLeavesTheOthersExact) {
  const Scene s = makeScene(9, 7, Extent{-1, 7, -5, 1},
                            {kernelAt(3, -2, 2, 0.5, 0, 1.5), kernelAt(4e11, -2, 1, 1, 0, 9)});
  expectImageNear(
      reference::render(s),
      [&](int i, int j) {
        const double dx = sampleX(s, i) - 3, dy = sampleY(s, j) + 2;
        return 1.5 * std::exp(-0.5 * (dx * dx / 4 + dy * dy / 0.25)) / (2 * kPi * 2 * 0.5);
      },
      1e-12);
}

TEST(ReferenceRender, BackendRoundsTheExactValuesToFloat) {
  const Scene s = makeScene(9, 7, Extent{-1, 7, -5, 1}, {kernelAt(3, -2, 2, 0.5, 10, 1.5)});
  const DoubleImage exact = reference::render(s);
  reference::ReferenceRenderer renderer;
  EXPECT_EQ(renderer.name(), "reference");
  const FloatImage values = renderer.render(s);
  ASSERT_EQ(values.width, 9);
  ASSERT_EQ(values.height, 7);
  for (std::size_t k = 0; k < values.pixels.size(); ++k)
    EXPECT_EQ(values.pixels[k], float(exact.pixels[k]));
}

// --- Windows ---

// Windows of a width x height grid: the whole grid, the four 1x1 corners, the last column and
// row, and random ones.
std::vector<SampleWindow> windowsOf(int width, int height, std::uint32_t seed) {
  std::vector<SampleWindow> windows = {{0, 0, width, height},         {0, 0, 1, 1},
                                       {width - 1, height - 1, 1, 1}, {width - 1, 0, 1, 1},
                                       {0, height - 1, 1, 1},         {width - 1, 0, 1, height},
                                       {0, height - 1, width, 1}};
  test::SceneDice dice(seed);
  for (int n = 0; n < 4; ++n) {
    const int i0 = dice.integer(0, width - 1), j0 = dice.integer(0, height - 1);
    windows.push_back({i0, j0, dice.integer(1, width - i0), dice.integer(1, height - j0)});
  }
  return windows;
}

template <class T>
Image<T> crop(const Image<T>& whole, const SampleWindow& w) {
  Image<T> out(w.width, w.height);
  for (int j = 0; j < w.height; ++j)
    for (int i = 0; i < w.width; ++i) out.at(i, j) = whole.at(w.i0 + i, w.j0 + j);
  return out;
}

// Bit for bit: memcmp, so that -0 against +0 counts as a difference.
template <class T>
bool sameBits(const Image<T>& a, const Image<T>& b) {
  return a.width == b.width && a.height == b.height &&
         std::memcmp(a.pixels.data(), b.pixels.data(), a.pixels.size() * sizeof(T)) == 0;
}

TEST(ReferenceWindow, EveryWindowIsTheCropOfTheWholeRenderToTheLastBit) {
  reference::ReferenceRenderer renderer;
  for (Combine c : {Combine::Sum, Combine::Max, Combine::Union})
    for (Normalize n : {Normalize::Pdf, Normalize::Peak, Normalize::Cell})
      for (std::uint32_t variant = 0; variant < 3; ++variant) {
        const std::uint32_t seed = 500 + 30 * std::uint32_t(c) + 10 * std::uint32_t(n) + variant;
        Scene scene = test::randomScene(seed, c, n, n == Normalize::Cell ? 4 : 12);
        // Without a cutoff, with one, and without again (max then counts dropped tails as 0).
        scene.cutoff = variant == 1 ? std::optional<double>(2.5) : std::nullopt;
        SCOPED_TRACE(std::string(toString(c)) + "/" + std::string(toString(n)) + ", seed " +
                     std::to_string(seed));
        const DoubleImage whole = reference::render(scene);
        const FloatImage whole_float = renderer.render(scene);
        for (const SampleWindow& w : windowsOf(scene.width, scene.height, seed)) {
          const std::string name = std::to_string(w.i0) + "," + std::to_string(w.j0) + "," +
                                   std::to_string(w.width) + "x" + std::to_string(w.height);
          EXPECT_TRUE(sameBits(reference::render(scene, w), crop(whole, w))) << "window " << name;
          EXPECT_TRUE(sameBits(renderer.renderWindow(scene, w), crop(whole_float, w)))
              << "window " << name;
        }
      }
}

TEST(ReferenceWindow, SamplesComeFromTheWholeGridOnAFlippedExtent) {
  // Column i of the window is x_(i0 + i) of the whole grid: here x = 10 - 0.5 (i0 + i).
  const Scene s = makeScene(21, 11, Extent{10, 0, 5, 0}, {kernelAt(3.2, 1.9, 1.5, 0.8, 25)},
                            Combine::Sum, Normalize::Peak);
  const DoubleImage values = reference::render(s, SampleWindow{12, 6, 4, 3});
  ASSERT_EQ(values.width, 4);
  ASSERT_EQ(values.height, 3);
  const Mat2 cov = covarianceOf(1.5, 0.8, 25);
  expectImageNear(
      values,
      [&](int i, int j) { return peakAt(cov, 3.2, 1.9, 10 - 0.5 * (12 + i), 5 - 0.5 * (6 + j)); },
      1e-13);
  EXPECT_GT(values.at(1, 2), 0.4);  // x = 3.5, y = 1: near the centre
}

TEST(ReferenceWindow, BadWindowsAreRefusedNamingTheProblem) {
  const Scene s = makeScene(150, 80, std::nullopt, {kernelAt(3, 3, 1, 1)});
  reference::ReferenceRenderer renderer;
  auto message = [&](const SampleWindow& w) {
    std::string from_function, from_renderer;
    try {
      reference::render(s, w);
    } catch (const InputError& e) {
      from_function = e.what();
    }
    try {
      renderer.renderWindow(s, w);
    } catch (const InputError& e) {
      from_renderer = e.what();
    }
    EXPECT_EQ(from_function, from_renderer);
    return from_function;
  };
  EXPECT_EQ(message({100, 50, 64, 32}),
            "--window 100,50,64x32 reaches column 163 of a 150-sample-wide grid (columns 0..149)");
  EXPECT_EQ(message({149, 79, 1, 2}),
            "--window 149,79,1x2 reaches row 80 of a 80-sample-high grid (rows 0..79)");
  EXPECT_EQ(message({-5, 0, 1, 1}),
            "--window -5,0,1x1 starts at column -5: the grid's columns start at 0");
  EXPECT_EQ(message({0, -1, 1, 1}),
            "--window 0,-1,1x1 starts at row -1: the grid's rows start at 0");
  EXPECT_EQ(message({3, 3, 0, 0}), "--window 3,3,0x0: a window is at least 1x1 samples");
  EXPECT_EQ(message({149, 79, 1, 1}), "");  // the last sample is fine
}

// A backend without windows (the default): the whole grid through render, else RuntimeError.
TEST(ReferenceWindow, ABackendWithoutWindowsRendersOnlyTheWholeGrid) {
  struct WholeOnly : Renderer {
    std::string name() const override { return "whole-only"; }
    FloatImage render(const Scene& scene) override {
      return FloatImage(scene.width, scene.height, 7);
    }
  } backend;
  const Scene s = makeScene(10, 6, std::nullopt, {});
  EXPECT_EQ(backend.renderWindow(s, {0, 0, 10, 6}).pixels, std::vector<float>(60, 7.0f));
  try {
    backend.renderWindow(s, {0, 0, 10, 5});
    ADD_FAILURE() << "no RuntimeError";
  } catch (const RuntimeError& e) {
    EXPECT_EQ(std::string(e.what()),
              "whole-only: this backend cannot render a window (--backend cpu and reference can)");
  }
  EXPECT_THROW(backend.renderWindow(s, {0, 0, 11, 6}), InputError);  // validated first
}

}  // namespace
}  // namespace gaussmap
