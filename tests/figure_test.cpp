// The figure room: ticks, layout (true aspect, ticks in scene coordinates, origin, colorbar on
// the colour scale), PNG and SVG renderings, overlays.
#include "figure/figure.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "figure/ticks.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"

namespace gaussmap::figure {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> labelsOf(const TickSet& set) {
  std::vector<std::string> out;
  for (const Tick& t : set.ticks) out.push_back(t.label);
  return out;
}

// --- Ticks ---

TEST(LinearTicks, TakeNiceStepsWithinTheRange) {
  EXPECT_THAT(labelsOf(linearTicks(-0.5, 399.5, 6)), ElementsAre("0", "100", "200", "300"));
  EXPECT_THAT(labelsOf(linearTicks(399.5, -0.5, 6)), ElementsAre("0", "100", "200", "300"));
  EXPECT_THAT(labelsOf(linearTicks(-1, 1, 4)), ElementsAre("−1.0", "−0.5", "0.0", "0.5", "1.0"));
  EXPECT_THAT(labelsOf(linearTicks(0, 1, 4)), ElementsAre("0.00", "0.25", "0.50", "0.75", "1.00"));
  EXPECT_EQ(linearTicks(0, 1, 4).multiplier, "");
}

TEST(LinearTicks, PullOutAPowerOfTenForTinyOrHugeNumbers) {
  const TickSet tiny = linearTicks(0, 2.6e-4, 6);
  EXPECT_EQ(tiny.multiplier, "×10⁻⁴");
  EXPECT_THAT(labelsOf(tiny), ElementsAre("0.0", "0.5", "1.0", "1.5", "2.0", "2.5"));
  EXPECT_DOUBLE_EQ(tiny.ticks[1].value, 0.5e-4);
  const TickSet huge = linearTicks(0, 3e6, 3);
  EXPECT_EQ(huge.multiplier, "×10⁶");
  EXPECT_THAT(labelsOf(huge), ElementsAre("0", "1", "2", "3"));
}

TEST(LogTicks, LabelDecadesWithMinorTicksBetween) {
  const TickSet set = logTicks(2e-5, 3e-2);
  std::vector<std::string> majors;
  int minors = 0;
  for (const Tick& t : set.ticks) t.label.empty() ? ++minors : (majors.push_back(t.label), 0);
  EXPECT_THAT(majors, ElementsAre("10⁻⁴", "10⁻³", "10⁻²"));
  EXPECT_EQ(minors, 8 + 8 + 8 + 2);  // 2..9e-5, e-4, e-3 and 2, 3e-2
  // Within one decade: 1, 2 and 5 times powers of ten.
  EXPECT_THAT(labelsOf(logTicks(1.5e-3, 9e-3)), ElementsAre("2×10⁻³", "5×10⁻³"));
}

TEST(ColorbarTicks, FollowTheScale) {
  ValueMapping m;
  m.lo = 0;
  m.hi = 1;
  m.scale = Scale::Sqrt;
  EXPECT_EQ(colorbarTicks(m).ticks.size(), 6u);  // 0, 0.2, ... 1: values, placed at sqrt
  m.scale = Scale::Log;
  m.lo = 1e-5;
  EXPECT_EQ(colorbarTicks(m).ticks.front().label, "10⁻⁵");
}

TEST(FormatNumber, UsesATrueMinusAndNoNegativeZero) {
  EXPECT_EQ(formatNumber(-2.5, 1), "−2.5");
  EXPECT_EQ(formatNumber(-0.0001, 2), "0.00");
  EXPECT_EQ(superscript(-12), "⁻¹²");
}

// --- Layout ---

struct Case {
  Scene scene;
  FloatImage values;
  Overlays overlays;
  FigureOptions options;
  explicit Case(int w, int h, Origin origin = Origin::Upper) {
    scene.width = w;
    scene.height = h;
    scene.display.origin = origin;
    Kernel k;
    k.x = w / 4.0;
    k.y = h / 4.0;
    k.sigma_x = k.sigma_y = std::min(w, h) / 10.0;
    scene.kernels = {k};
    values = FloatImage(w, h);
    for (int j = 0; j < h; ++j)
      for (int i = 0; i < w; ++i)
        values.at(i, j) = float(std::exp(-((i - k.x) * (i - k.x) + (j - k.y) * (j - k.y)) /
                                         (2 * k.sigma_x * k.sigma_x)));
  }
  FigureInput input() const { return {values, scene, wholeGrid(scene), overlays, options}; }
};

TEST(FigureGeometry, KeepsTheTrueAspectOfTheExtent) {
  Font font;
  Case wide(400, 100);
  FigureGeometry g = figureGeometry(wide.input(), font);
  EXPECT_NEAR(g.plot_width / g.plot_height, 4.0, 0.01);
  // Non-square samples: 200 x 100 samples over a 10 x 10 square (cells 10/199 by 10/99 wide).
  Case square(200, 100);
  square.scene.extent = Extent{0, 10, 0, 10};
  g = figureGeometry(square.input(), font);
  EXPECT_NEAR(g.plot_width / g.plot_height, (10 + 10.0 / 199) / (10 + 10.0 / 99), 0.005);
  EXPECT_LE(g.plot_x0 + g.plot_width, g.bar_x0);
  EXPECT_LE(g.bar_x0 + 30, double(g.width));
}

TEST(FigureGeometry, PlacesTicksInSceneCoordinatesRespectingOrigin) {
  Font font;
  for (Origin origin : {Origin::Upper, Origin::Lower}) {
    Case c(200, 100, origin);
    c.scene.extent = Extent{-1, 1, 10, 20};  // x: -1..1, y: 10..20 (cells 2/199 and 10/99 wide)
    const FigureGeometry g = figureGeometry(c.input(), font);
    ASSERT_FALSE(g.y_ticks.empty());
    for (const PlacedTick& t : g.y_ticks) {
      const double y = std::stod(t.label);
      // The cell edges: 10 - 0.0505 and 20 + 0.0505; upper puts y = 10 at the top.
      const double from_top = (y - (10 - 10.0 / 99 / 2)) / (10 + 10.0 / 99) * g.plot_height;
      const double want =
          origin == Origin::Upper ? g.plot_y0 + from_top : g.plot_y0 + g.plot_height - from_top;
      EXPECT_NEAR(t.pixel, want, 1e-6) << t.label;
    }
    ASSERT_FALSE(g.x_ticks.empty());
    EXPECT_EQ(g.x_ticks.front().label.substr(0, 4), "−1");  // −1 or −1.0 by the step
    EXPECT_NEAR(g.x_ticks.front().pixel, g.plot_x0 + (1.0 / 199) / (2 + 2.0 / 199) * g.plot_width,
                1e-6);
  }
}

TEST(FigureGeometry, PutsColorbarTicksOnTheColourScale) {
  Font font;
  Case c(100, 100);
  c.scene.display.scale = Scale::Log;
  c.scene.display.range = std::array<double, 2>{1e-3, 1};
  const FigureGeometry g = figureGeometry(c.input(), font);
  std::vector<std::string> labels;
  for (const PlacedTick& t : g.bar_ticks) {
    labels.push_back(t.label);
    const double decades = t.label == "10⁻³"   ? 0
                           : t.label == "10⁻²" ? 1
                           : t.label == "10⁻¹" ? 2
                                               : 3;
    EXPECT_NEAR(t.pixel, g.bar_y0 + g.bar_height * (1 - decades / 3), 1e-6) << t.label;
  }
  EXPECT_THAT(labels, ElementsAre("10⁻³", "10⁻²", "10⁻¹", "10⁰"));
}

// --- PNG ---

TEST(FigurePng, ShowsTheHeatMapWhereItsSamplesAre) {
  Font font;
  for (Origin origin : {Origin::Upper, Origin::Lower}) {
    Case c(200, 100, origin);
    const FigureGeometry g = figureGeometry(c.input(), font);
    const RgbImage image = figurePng(c.input(), font);
    ASSERT_EQ(image.width, g.width);
    ASSERT_EQ(image.height, g.height);
    // The kernel sits at sample (50, 25): a quarter across, a quarter down (upper) or up (lower).
    const double fx = (50 + 0.5) / 200, fy = (25 + 0.5) / 100;
    const int px = int(g.plot_x0 + fx * g.plot_width);
    const int py = int(origin == Origin::Upper ? g.plot_y0 + fy * g.plot_height
                                               : g.plot_y0 + (1 - fy) * g.plot_height);
    const Rgb8 top = colorAt(*findColormap("viridis"), 1.0);
    const Rgb8 got = image.at(px, py);
    EXPECT_NEAR(got.r, top.r, 8);
    EXPECT_NEAR(got.g, top.g, 8);
    EXPECT_NEAR(got.b, top.b, 8);
    // Outside the plot and the colorbar, the figure is white except for ink (text, ticks).
    EXPECT_EQ(image.at(2, 2), (Rgb8{255, 255, 255}));
  }
}

int inkPixels(const RgbImage& image, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) n += image.at(x, y).r < 128;
  return n;
}

TEST(FigurePng, DrawsTheTitleAboveThePlot) {
  Font font;
  Case c(100, 100);
  FigureGeometry g = figureGeometry(c.input(), font);
  RgbImage image = figurePng(c.input(), font);
  // Above the middle half of the plot (tick labels stick out at its corners).
  const auto above = [&] {
    return inkPixels(image, int(g.plot_x0 + g.plot_width / 4), 0,
                     int(g.plot_x0 + 3 * g.plot_width / 4), int(g.plot_y0) - 2);
  };
  EXPECT_EQ(above(), 0);
  c.options.title = "Two sensors";
  g = figureGeometry(c.input(), font);
  image = figurePng(c.input(), font);
  EXPECT_GT(above(), 150);
}

// --- SVG ---

TEST(FigureSvg, EmbedsTheHeatMapAsAPngAndDrawsTextAndLinesAsVectors) {
  Font font;
  Case c(120, 80);
  c.options.title = "A < B & C";
  Contour contour;
  contour.level = 0.5;
  contour.mass = 0.5;
  contour.lines = traceContours(c.values, 0.5);
  ASSERT_EQ(contour.lines.size(), 1u);
  c.overlays.contours = {contour};
  const std::string svg = figureSvg(c.input(), font);
  EXPECT_THAT(svg, HasSubstr("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_THAT(svg, HasSubstr("href=\"data:image/png;base64,iVBORw0KGgo"));  // a PNG signature
  EXPECT_THAT(svg, HasSubstr(">A &lt; B &amp; C</text>"));
  EXPECT_THAT(svg, HasSubstr(">50%</text>"));
  EXPECT_THAT(svg, HasSubstr("clip-path=\"url(#plot)\""));
  EXPECT_EQ(svg.find(">probability (union)</text>"), std::string::npos);
  EXPECT_THAT(svg, HasSubstr(">density</text>"));
  EXPECT_NE(svg.find("<polygon fill=\"none\" stroke=\"#ffffff\""), std::string::npos);
}

TEST(Font, AMissingFileIsARuntimeErrorNamingIt) {
  try {
    Font font("/nonexistent/font.ttf");
    FAIL() << "no error";
  } catch (const RuntimeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/nonexistent/font.ttf is missing"));
  }
}

}  // namespace
}  // namespace gaussmap::figure
