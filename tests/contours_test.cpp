#include "gaussmap/contours.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <nlohmann/json.hpp>
#include <numbers>

#include "gaussmap/contours_geojson.h"
#include "gaussmap/errors.h"
#include "test_kernels.h"

namespace gaussmap {
namespace {

using ::testing::HasSubstr;
using Point = std::array<double, 2>;

FloatImage imageOf(int width, int height, const std::function<double(int, int)>& f) {
  FloatImage image(width, height);
  for (int j = 0; j < height; ++j)
    for (int i = 0; i < width; ++i) image.at(i, j) = float(f(i, j));
  return image;
}

void expectPoint(const Point& got, double i, double j) {
  EXPECT_NEAR(got[0], i, 1e-12);
  EXPECT_NEAR(got[1], j, 1e-12);
}

// --- Marching squares ---

TEST(TraceContours, ARampGivesOneOpenLineAtTheInterpolatedColumn) {
  const FloatImage ramp = imageOf(5, 4, [](int i, int) { return i; });
  const auto lines = traceContours(ramp, 1.25);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].closed);
  ASSERT_EQ(lines[0].points.size(), 4u);  // one crossing per row, border to border
  std::vector<double> rows;
  for (const Point& p : lines[0].points) {
    EXPECT_NEAR(p[0], 1.25, 1e-12);
    rows.push_back(p[1]);
  }
  std::sort(rows.begin(), rows.end());
  EXPECT_EQ(rows, (std::vector<double>{0, 1, 2, 3}));
}

TEST(TraceContours, ASinglePeakGivesAClosedDiamondWhoseLastPointIsItsFirst) {
  const FloatImage peak = imageOf(3, 3, [](int i, int j) { return i == 1 && j == 1 ? 1.0 : 0.0; });
  const auto lines = traceContours(peak, 0.25);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_TRUE(lines[0].closed);
  ASSERT_EQ(lines[0].points.size(), 5u);
  EXPECT_EQ(lines[0].points.front(), lines[0].points.back());
  // The four crossings lie 0.75 of the way from the peak's neighbours towards it.
  std::vector<Point> distinct(lines[0].points.begin(), lines[0].points.end() - 1);
  std::sort(distinct.begin(), distinct.end());
  expectPoint(distinct[0], 0.25, 1);
  expectPoint(distinct[1], 1, 0.25);
  expectPoint(distinct[2], 1, 1.75);
  expectPoint(distinct[3], 1.75, 1);
}

TEST(TraceContours, LevelsOutsideTheValuesGiveNoLines) {
  const FloatImage peak = imageOf(4, 4, [](int i, int j) { return i + j; });
  EXPECT_TRUE(traceContours(peak, 6.5).empty());                    // above the largest value
  EXPECT_TRUE(traceContours(peak, 0.0).empty());                    // every sample is inside
  EXPECT_TRUE(traceContours(peak, -1.0).empty());                   // every sample is inside
  EXPECT_TRUE(traceContours(FloatImage(1, 5, 1.0f), 0.5).empty());  // no cells at all
}

TEST(TraceContours, SaddlesFollowTheMeanOfTheCorners) {
  // Corners a (0,0) = 1, c (1,1) = 1 inside; b, d outside. Mean 0.55 >= 0.5: a and c join,
  // so the lines cut off b and d: (0.5, 0)-(1, 0.5) and (0, 0.5)-(0.5, 1).
  FloatImage saddle(2, 2);
  saddle.at(0, 0) = 1.0f;
  saddle.at(1, 1) = 1.0f;
  saddle.at(1, 0) = 0.1f;
  saddle.at(0, 1) = 0.1f;
  auto lines = traceContours(saddle, 0.5);
  ASSERT_EQ(lines.size(), 2u);
  const auto touches = [&](const ContourLine& line, double i, double j) {
    for (const Point& p : line.points)
      if (std::abs(p[0] - i) < 1e-6 && std::abs(p[1] - j) < 1e-6) return true;
    return false;
  };
  const double t = (0.5 - 1.0) / (0.1 - 1.0);  // from an inside corner towards an outside one
  for (const auto& line : lines) {
    EXPECT_FALSE(line.closed);
    ASSERT_EQ(line.points.size(), 2u);
  }
  const bool b_cut = (touches(lines[0], t, 0) && touches(lines[0], 1, 1 - t)) ||
                     (touches(lines[1], t, 0) && touches(lines[1], 1, 1 - t));
  EXPECT_TRUE(b_cut);
  // Mean below the level (0.3): b and d stay apart, a and c are cut off instead.
  saddle.at(1, 0) = saddle.at(0, 1) = 0.0f;
  saddle.at(0, 0) = saddle.at(1, 1) = 0.6f;
  lines = traceContours(saddle, 0.5);
  ASSERT_EQ(lines.size(), 2u);
  const double u = (0.5 - 0.6) / (0.0 - 0.6);
  const bool a_cut = (touches(lines[0], 0, u) && touches(lines[0], u, 0)) ||
                     (touches(lines[1], 0, u) && touches(lines[1], u, 0));
  EXPECT_TRUE(a_cut);
}

TEST(TraceContours, TwoPeaksGiveTwoRingsAndAPeakOnTheBorderAnOpenLine) {
  const FloatImage two = imageOf(12, 7, [](int i, int j) {
    return std::exp(-((i - 3) * (i - 3) + (j - 3) * (j - 3)) / 2.0) +
           std::exp(-((i - 8) * (i - 8) + (j - 3) * (j - 3)) / 2.0);
  });
  auto lines = traceContours(two, 0.5);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_TRUE(lines[0].closed);
  EXPECT_TRUE(lines[1].closed);
  const FloatImage edge = imageOf(8, 8, [](int i, int j) {
    return std::exp(-(i * i + (j - 4) * (j - 4)) / 8.0);  // centred on column 0
  });
  lines = traceContours(edge, 0.5);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_FALSE(lines[0].closed);
  EXPECT_NEAR(lines[0].points.front()[0], 0, 1e-12);  // both ends on the left border
  EXPECT_NEAR(lines[0].points.back()[0], 0, 1e-12);
  // Every point is at the level on the linear interpolation of its edge: here about radius
  // sqrt(8 ln 2) = 2.355 from (0, 4).
  for (const Point& p : lines[0].points)
    EXPECT_NEAR(std::hypot(p[0], p[1] - 4), std::sqrt(8 * std::log(2.0)), 0.1);
}

// --- A single Gaussian: its mass:p contour is the ellipse of Mahalanobis radius
// sqrt(-2 ln(1 - p)) (README "Contours"). ---

struct GaussianCase {
  Kernel kernel = test::kernelAt(80, 70, 12, 7, 30);
  Scene scene;
  FloatImage values;
  GaussianCase() {
    scene.width = 161;
    scene.height = 141;
    scene.kernels = {kernel};
    const SampleGrid grid = scene.grid();
    values = imageOf(scene.width, scene.height, [&](int i, int j) {
      const double m2 = test::sceneM2(kernel, grid, i, j);
      return std::exp(-m2 / 2) / (2 * std::numbers::pi * kernel.sigma_x * kernel.sigma_y);
    });
  }
  // How far (in samples, along the ray from the centre) a point is from the ellipse of
  // Mahalanobis radius r (scene units are samples here).
  double samplesOff(const Point& p, double r) const {
    const double m = std::sqrt(mahalanobis2(p[0], p[1]));
    return std::hypot(p[0] - kernel.x, p[1] - kernel.y) * std::abs(m - r) / m;
  }
  double mahalanobis2(double x, double y) const {
    const double a = kernel.angle_deg * std::numbers::pi / 180.0;
    const double dx = x - kernel.x, dy = y - kernel.y;
    const double along = std::cos(a) * dx + std::sin(a) * dy;
    const double across = -std::sin(a) * dx + std::cos(a) * dy;
    return along * along / (kernel.sigma_x * kernel.sigma_x) +
           across * across / (kernel.sigma_y * kernel.sigma_y);
  }
};

TEST(MassContours, OfASingleGaussianAreItsEllipsesWithinAFractionOfASample) {
  const GaussianCase g;
  const auto contours =
      computeContours(g.values, parseContourLevels("mass:0.5,0.9", "test"), g.scene.grid());
  ASSERT_EQ(contours.size(), 2u);
  for (const Contour& contour : contours) {
    ASSERT_TRUE(contour.mass);
    const double r = std::sqrt(-2 * std::log(1 - *contour.mass));
    ASSERT_EQ(contour.lines.size(), 1u) << *contour.mass;
    const ContourLine& ring = contour.lines[0];
    EXPECT_TRUE(ring.closed);
    EXPECT_GT(ring.points.size(), 40u);
    double worst = 0;
    for (const Point& p : ring.points) worst = std::max(worst, g.samplesOff(p, r));
    EXPECT_LT(worst, 0.15) << "mass " << *contour.mass << ": radius " << r;
  }
}

TEST(MassContours, SigmaLevelsAreTheEllipsesOfThatRadius) {
  const GaussianCase g;
  const auto contours =
      computeContours(g.values, parseContourLevels("sigma:1,2", "test"), g.scene.grid());
  ASSERT_EQ(contours.size(), 2u);
  for (const Contour& contour : contours) {
    ASSERT_TRUE(contour.sigma);
    EXPECT_DOUBLE_EQ(*contour.mass, 1 - std::exp(-*contour.sigma * *contour.sigma / 2));
    ASSERT_EQ(contour.lines.size(), 1u);
    for (const Point& p : contour.lines[0].points) EXPECT_LT(g.samplesOff(p, *contour.sigma), 0.15);
  }
}

TEST(ValueContours, OfASingleGaussianFollowTheEllipseOfThatValue) {
  const GaussianCase g;
  // The value at Mahalanobis radius 1.5.
  const double level = std::exp(-1.5 * 1.5 / 2) / (2 * std::numbers::pi * 12 * 7);
  ContourLevels levels;
  levels.numbers = {level};
  const auto contours = computeContours(g.values, levels, g.scene.grid());
  ASSERT_EQ(contours.size(), 1u);
  EXPECT_FALSE(contours[0].mass);
  EXPECT_DOUBLE_EQ(contours[0].level, level);
  ASSERT_EQ(contours[0].lines.size(), 1u);
  // Linear interpolation of a smooth function: far closer than a sample.
  for (const Point& p : contours[0].lines[0].points) EXPECT_LT(g.samplesOff(p, 1.5), 0.05);
}

TEST(ComputeContours, PlacesPointsInSceneCoordinatesOfTheWindow) {
  Scene scene;
  scene.width = 11;
  scene.height = 5;
  scene.extent = Extent{100, 0, -1, 1};  // x runs backwards, 10 units a step; y 0.5 a step
  // A 3x3 window starting at column 4, row 1, peaked at its centre (column 5, row 2).
  const FloatImage window =
      imageOf(3, 3, [](int i, int j) { return i == 1 && j == 1 ? 1.0 : 0.0; });
  ContourLevels levels;
  levels.numbers = {0.5};
  const auto contours = computeContours(window, levels, scene.grid(), 4, 1);
  ASSERT_EQ(contours.size(), 1u);
  ASSERT_EQ(contours[0].lines.size(), 1u);
  std::vector<Point> points = contours[0].lines[0].points;
  points.pop_back();
  std::sort(points.begin(), points.end());
  // Column 5 is x = 50, row 2 is y = 0; half a step either way.
  expectPoint(points[0], 45, 0);
  expectPoint(points[1], 50, -0.25);
  expectPoint(points[2], 50, 0.25);
  expectPoint(points[3], 55, 0);
}

// --- Mass levels ---

TEST(MassLevels, AreTheSmallestValueOfTheHighestSamplesHoldingTheFraction) {
  const FloatImage v = imageOf(2, 2, [](int i, int j) { return 4 - (2 * j + i); });  // 4 3 2 1
  const std::vector<double> fractions{0.4, 0.5, 0.7, 0.75, 0.95};
  EXPECT_EQ(massLevels(v, fractions), (std::vector<double>{4, 3, 3, 2, 1}));
}

TEST(MassLevels, EqualTheLevelsOfAFullSortOnRandomValues) {
  // Many ties, zeros and a wide range: the binned search must agree with sorting everything.
  FloatImage v(173, 91);
  unsigned state = 12345;
  for (float& x : v.pixels) {
    state = state * 1664525u + 1013904223u;
    const unsigned r = state >> 8;
    x = r % 7 == 0 ? 0.0f : r % 5 == 0 ? 0.25f : float(std::ldexp(double(r % 1000), -int(r % 20)));
  }
  std::vector<float> sorted(v.pixels);
  std::sort(sorted.begin(), sorted.end(), std::greater<float>());
  double total = 0;
  for (float x : sorted) total += x;
  const std::vector<double> fractions{0.01, 0.1, 0.5, 0.9, 0.999};
  const std::vector<double> got = massLevels(v, fractions);
  for (std::size_t k = 0; k < fractions.size(); ++k) {
    double sum = 0, want = 0;
    for (float x : sorted)
      if ((sum += x) >= fractions[k] * total) {
        want = x;
        break;
      }
    EXPECT_EQ(got[k], want) << fractions[k];
  }
}

TEST(MassLevels, RefuseNegativeValuesAndAnAllZeroImage) {
  FloatImage v(3, 2, 1.0f);
  v.at(2, 1) = -0.5f;
  const std::vector<double> half{0.5};
  try {
    massLevels(v, half);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("(2, 1) is negative"));
  }
  EXPECT_THROW(massLevels(FloatImage(3, 2, 0.0f), half), InputError);
}

// --- Parsing levels ---

TEST(ParseContourLevels, ReadsValuesMassAndSigmaLists) {
  ContourLevels l = parseContourLevels("0.001, 0.002,3e-4", "--contours");
  EXPECT_EQ(l.kind, ContourLevelKind::Value);
  EXPECT_EQ(l.numbers, (std::vector<double>{0.001, 0.002, 3e-4}));
  l = parseContourLevels("mass:0.5,0.9", "--contours");
  EXPECT_EQ(l.kind, ContourLevelKind::Mass);
  EXPECT_EQ(l.numbers, (std::vector<double>{0.5, 0.9}));
  l = parseContourLevels("sigma:1,2,3", "--contours");
  EXPECT_EQ(l.kind, ContourLevelKind::Sigma);
  EXPECT_EQ(l.numbers.size(), 3u);
  EXPECT_NEAR(sigmaMassFraction(1), 0.3934693, 1e-7);
  EXPECT_NEAR(sigmaMassFraction(2), 0.8646647, 1e-7);
}

TEST(ParseContourLevels, RefusesBadListsNamingThePart) {
  const auto message = [](const std::string& text) {
    try {
      parseContourLevels(text, "--contours");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_THAT(message(""), HasSubstr("'' is not a finite number"));
  EXPECT_THAT(message("0.1,,0.2"), HasSubstr("'' is not a finite number"));
  EXPECT_THAT(message("0.1,abc"), HasSubstr("'abc' is not a finite number"));
  EXPECT_THAT(message("0.1x"), HasSubstr("'0.1x' is not a finite number"));
  EXPECT_THAT(message("inf"), HasSubstr("not a finite number"));
  EXPECT_THAT(message("mass:0.5,1"), HasSubstr("strictly between 0 and 1 (got 1)"));
  EXPECT_THAT(message("mass:0"), HasSubstr("strictly between 0 and 1"));
  EXPECT_THAT(message("sigma:-1"), HasSubstr("must be > 0"));
  EXPECT_THAT(message("percent:50"), HasSubstr("unknown level kind 'percent'"));
  EXPECT_THAT(message("mass:0.5"), HasSubstr("no error"));
  std::string many = "1";
  for (int k = 0; k < 70; ++k) many += ",1";
  EXPECT_THAT(message(many), HasSubstr("more than 64 levels"));
  EXPECT_THAT(message("0.1,abc"), HasSubstr("--contours 0.1,abc"));
}

// --- GeoJSON ---

TEST(ContoursGeoJson, IsAFeatureCollectionOfLineStringsWithTheirLevels) {
  const GaussianCase g;
  const auto contours =
      computeContours(g.values, parseContourLevels("mass:0.5,0.9", "test"), g.scene.grid());
  const nlohmann::json j = nlohmann::json::parse(contoursToGeoJson(contours));
  EXPECT_EQ(j["type"], "FeatureCollection");
  ASSERT_EQ(j["features"].size(), 2u);
  for (std::size_t k = 0; k < 2; ++k) {
    const auto& f = j["features"][k];
    EXPECT_EQ(f["type"], "Feature");
    EXPECT_EQ(f["geometry"]["type"], "LineString");
    EXPECT_EQ(f["properties"]["level"].get<double>(), contours[k].level);
    EXPECT_EQ(f["properties"]["mass"].get<double>(), k == 0 ? 0.5 : 0.9);
    EXPECT_EQ(f["properties"]["closed"], true);
    EXPECT_FALSE(f["properties"].contains("sigma"));
    const auto& coordinates = f["geometry"]["coordinates"];
    ASSERT_EQ(coordinates.size(), contours[k].lines[0].points.size());
    EXPECT_EQ(coordinates.front(), coordinates.back());  // a closed ring, closed
    for (std::size_t p = 0; p < coordinates.size(); ++p) {
      EXPECT_NEAR(coordinates[p][0].get<double>(), contours[k].lines[0].points[p][0], 1e-6);
      EXPECT_NEAR(coordinates[p][1].get<double>(), contours[k].lines[0].points[p][1], 1e-6);
    }
  }
  EXPECT_EQ(nlohmann::json::parse(contoursToGeoJson({}))["features"].size(), 0u);
}

}  // namespace
}  // namespace gaussmap
