// End-to-end: `gaussmap render` with --contours, --show-kernels and figures, through the built
// binary (--backend reference, so no GL is needed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <vector>

#include "binary_test.h"
#include "gaussmap/image_io.h"
#include "gaussmap/render_outputs.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using gaussmap::testing::readText;
using ::testing::HasSubstr;

const std::string kSource = GAUSSMAP_SOURCE_DIR;

using FigureCliTest = gaussmap::testing::BinaryTest;

// One rotated Gaussian on a grid whose extent is not the sample indices: 201 x 161 samples over
// [-10, 10] x [-8, 8], 0.1 units a step.
constexpr double kCx = 0.5, kCy = -0.7, kSx = 2.0, kSy = 1.2, kAngle = 25;
const char* kGaussianScene = R"({
  "width": 201, "height": 161, "extent": [-10, 10, -8, 8],
  "kernels": [ { "x": 0.5, "y": -0.7, "sigma_x": 2.0, "sigma_y": 1.2, "angle_deg": 25 } ]
})";

double mahalanobis(double x, double y) {
  const double a = kAngle * std::numbers::pi / 180;
  const double dx = x - kCx, dy = y - kCy;
  const double u = (std::cos(a) * dx + std::sin(a) * dy) / kSx;
  const double v = (-std::sin(a) * dx + std::cos(a) * dy) / kSy;
  return std::hypot(u, v);
}

TEST_F(FigureCliTest, GeoJsonMassContoursAreTheGaussiansEllipsesInSceneCoordinates) {
  std::ofstream(outPath("g.json")) << kGaussianScene;
  const auto r = run({"render", "g.json", "--backend", "reference", "--contours", "mass:0.5,0.9",
                      "-o", "c.geojson"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(readText(out() / "c.geojson"));
  ASSERT_EQ(j["features"].size(), 2u);
  for (const auto& feature : j["features"]) {
    const double p = feature["properties"]["mass"];
    const double radius = std::sqrt(-2 * std::log(1 - p));
    const auto& coordinates = feature["geometry"]["coordinates"];
    EXPECT_EQ(coordinates.front(), coordinates.back());
    double worst_samples = 0;
    for (const auto& c : coordinates) {
      const double x = c[0], y = c[1];
      const double m = mahalanobis(x, y);
      // Along the ray from the centre, in samples (0.1 units each).
      worst_samples =
          std::max(worst_samples, std::hypot(x - kCx, y - kCy) * std::abs(m - radius) / m / 0.1);
    }
    EXPECT_LT(worst_samples, 0.2) << "mass " << p;
  }
}

TEST_F(FigureCliTest, AWindowsContoursLieWhereTheWholeRendersDo) {
  std::ofstream(outPath("g.json")) << kGaussianScene;
  // The value at Mahalanobis radius 1 (pdf), traced in a window holding the whole ellipse.
  const double level = std::exp(-0.5) / (2 * std::numbers::pi * kSx * kSy);
  const auto r = run({"render", "g.json", "--backend", "reference", "--window", "60,40,90x80",
                      "--contours", std::to_string(level), "-o", "c.geojson"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(readText(out() / "c.geojson"));
  ASSERT_EQ(j["features"].size(), 1u);
  EXPECT_EQ(j["features"][0]["properties"]["closed"], true);
  for (const auto& c : j["features"][0]["geometry"]["coordinates"])
    EXPECT_NEAR(mahalanobis(c[0], c[1]), 1.0, 0.01);
}

// The number of pixels of exactly this colour.
int countColour(const RgbImage& image, Rgb8 colour) {
  int n = 0;
  for (const Rgb8& p : image.pixels) n += p == colour;
  return n;
}

TEST_F(FigureCliTest, PngContoursAreDrawnOnTheRingAndNowhereElse) {
  std::ofstream(outPath("g.json")) << kGaussianScene;
  ASSERT_EQ(run({"render", "g.json", "--backend", "reference", "-o", "plain.png"}).exit_code, 0);
  for (const std::string origin : {"upper", "lower"}) {
    const auto r = run({"render", "g.json", "--backend", "reference", "--origin", origin,
                        "--contours", "mass:0.5", "--contour-color", "#ff0000", "-o", "c.png"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const RgbImage plain = readPng(outPath("plain.png")).image;
    const RgbImage drawn = readPng(outPath("c.png")).image;
    ASSERT_EQ(drawn.width, 201);
    // The ring (semi-axes 23.5 and 14.1 samples) is about 122 samples long.
    EXPECT_GT(countColour(drawn, {255, 0, 0}), 50) << origin;
    const double radius = std::sqrt(-2 * std::log(0.5));
    for (int py = 0; py < drawn.height; ++py)
      for (int px = 0; px < drawn.width; ++px) {
        const int j = origin == "upper" ? py : drawn.height - 1 - py;
        const double m = mahalanobis(-10 + 0.1 * px, -8 + 0.1 * j);
        const Rgb8 plain_colour = plain.at(px, origin == "upper" ? py : drawn.height - 1 - py);
        // Two samples (0.2 units, at least 0.1 sigma) from the ring, nothing is drawn.
        if (std::abs(m - radius) > 0.2 / kSy && !(drawn.at(px, py) == plain_colour)) {
          ADD_FAILURE() << origin << ": pixel (" << px << ", " << py << ") drawn at radius " << m;
          return;
        }
        // On the ring (within 0.2 samples of it), the line covers the pixel nearly fully.
        if (std::abs(m - radius) < 0.01) {
          EXPECT_GE(drawn.at(px, py).r, 200) << origin << " (" << px << ", " << py << ")";
        }
      }
  }
}

TEST_F(FigureCliTest, ShowKernelsDrawsTheOneSigmaEllipse) {
  std::ofstream(outPath("g.json")) << kGaussianScene;
  const auto r = run({"render", "g.json", "--backend", "reference", "--show-kernels",
                      "--contour-color", "magenta", "-o", "k.png"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const RgbImage drawn = readPng(outPath("k.png")).image;
  int on = 0, off = 0;
  for (int py = 0; py < drawn.height; ++py)
    for (int px = 0; px < drawn.width; ++px)
      // Mostly magenta (220, 0, 220): a colour viridis never takes.
      if (const Rgb8 c = drawn.at(px, py); c.r > 150 && c.g < 80 && c.b > 150) {
        const double m = mahalanobis(-10 + 0.1 * px, -8 + 0.1 * py);
        (std::abs(m - 1) < 0.1 ? on : off)++;
      }
  EXPECT_GT(on, 40);  // dashed: about half of the ellipse's 100 samples
  EXPECT_EQ(off, 0);
}

TEST_F(FigureCliTest, BadContourOptionsAreRefusedBeforeAnyWork) {
  std::ofstream(outPath("g.json")) << kGaussianScene;
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  const std::vector<Case> cases{
      {{"-o", "c.geojson"}, "c.geojson: a .geojson output holds contour lines; give their levels"},
      {{"--contours", "mass:1.5", "-o", "c.png"}, "--contours mass:1.5: a mass fraction must lie"},
      {{"--contours", "0.1,x", "-o", "c.png"}, "'x' is not a finite number"},
      {{"--contours", "0.1", "--contour-color", "mauve", "-o", "c.png"},
       "--contour-color: unknown colour 'mauve'"},
      {{"--contours", "0.1", "-o", "c.npy"}, "--contours: no output shows or holds contours"},
      {{"--show-kernels", "-o", "c.npy", "-o", "c.geojson", "--contours", "0.1"},
       "--show-kernels: no output shows kernels"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"render", "g.json", "--backend", "reference"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_EQ(outEntries(), std::vector<std::string>{"g.json"}) << c.message;
  }
}

TEST_F(FigureCliTest, MassLevelsOfSignedValuesAreRefusedAndNothingIsWritten) {
  const auto r = run({"render", kSource + "/scenes/signed_sum.json", "--backend", "reference",
                      "--contours", "mass:0.5", "-o", "s.png", "-o", "s.geojson"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("mass contour levels need values >= 0"));
  EXPECT_TRUE(outEntries().empty());
  // Value levels of the same scene work, on both signs.
  const auto ok = run({"render", kSource + "/scenes/signed_sum.json", "--backend", "reference",
                       "--contours", "-0.3,0.3", "-o", "s.geojson"});
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const nlohmann::json j = nlohmann::json::parse(readText(out() / "s.geojson"));
  ASSERT_GE(j["features"].size(), 2u);
  EXPECT_EQ(j["features"][0]["properties"]["level"], -0.3);
}

std::string base64Decode(const std::string& text) {
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (char c : text) {
    const std::string table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const auto k = table.find(c);
    if (k == std::string::npos) break;  // '=' padding
    bits = (bits << 6) | unsigned(k);
    if ((count += 6) >= 8) {
      count -= 8;
      out += char((bits >> count) & 0xff);
    }
  }
  return out;
}

TEST_F(FigureCliTest, FiguresAsPngAndSvgShowTheRendersColours) {
  const std::string seed = kSource + "/scenes/seed.json";
  ASSERT_EQ(run({"render", seed, "--backend", "reference", "-o", "plain.png"}).exit_code, 0);
  const auto r =
      run({"render", seed, "--backend", "reference", "--figure", "--contours", "mass:0.5,0.9",
           "--title", "Two sensors", "--show-kernels", "-o", "fig.png", "-o", "fig.svg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The PNG figure: larger than the render (axes, colorbar), the scene in its text chunk.
  const PngFile figure = readPng(outPath("fig.png"));
  EXPECT_GT(figure.image.width, 800);
  EXPECT_GT(figure.image.height, 800);
  EXPECT_THAT(figure.text.at(kPngSceneKey), HasSubstr("\"kernel 2\""));
  // The SVG is well-formed XML (Python's parser says so) ...
  const auto xml = std::system(("/usr/bin/python3 -c 'import sys, xml.etree.ElementTree as E; "
                                "E.parse(sys.argv[1])' " +
                                gaussmap::testing::shellQuote(outPath("fig.svg")))
                                   .c_str());
  EXPECT_EQ(xml, 0);
  // ... whose first image is the render's own colours, one pixel per sample.
  const std::string svg = readText(out() / "fig.svg");
  const std::string marker = "data:image/png;base64,";
  const auto start = svg.find(marker);
  ASSERT_NE(start, std::string::npos);
  const auto end = svg.find('"', start);
  std::ofstream(outPath("embedded.png"), std::ios::binary)
      << base64Decode(svg.substr(start + marker.size(), end - start - marker.size()));
  const RgbImage embedded = readPng(outPath("embedded.png")).image;
  const RgbImage plain = readPng(outPath("plain.png")).image;
  EXPECT_EQ(embedded.width, plain.width);
  EXPECT_EQ(embedded.height, plain.height);
  EXPECT_TRUE(embedded.pixels == plain.pixels);
  EXPECT_THAT(svg, HasSubstr(">Two sensors</text>"));
  EXPECT_THAT(svg, HasSubstr(">90%</text>"));
  EXPECT_THAT(svg, HasSubstr(">×10⁻⁴</text>"));
  // The two kernels' ellipses, dashed.
  std::size_t dashed = 0;
  for (auto at = svg.find("stroke-dasharray"); at != std::string::npos;
       at = svg.find("stroke-dasharray", at + 1))
    ++dashed;
  EXPECT_EQ(dashed, 2u);
}

TEST_F(FigureCliTest, AMissingFontIsARuntimeErrorBeforeAnyWork) {
  const auto r = run({"render", kSource + "/scenes/seed.json", "--backend", "reference", "--figure",
                      "-o", "fig.png"},
                     "GAUSSMAP_FONT=/nonexistent/DejaVuSans.ttf");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr("the figure font /nonexistent/DejaVuSans.ttf is missing"));
  EXPECT_TRUE(outEntries().empty());
}

TEST_F(FigureCliTest, FigureOptionsWithoutAFigureAreRefused) {
  const std::string seed = kSource + "/scenes/seed.json";
  auto r = run({"render", seed, "--backend", "reference", "--title", "T", "-o", "a.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--title applies to figures"));
  r = run({"render", seed, "--backend", "reference", "--figure", "-o", "a.npy"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--figure draws .png outputs as figures, and there is none"));
  EXPECT_TRUE(outEntries().empty());
}

// --alpha on PNG outputs: the colours stay those of the opaque PNG; the opacity is the colour's
// position (ramp) or the value against a threshold; contour lines stay opaque where the heat map
// fades out.
TEST_F(FigureCliTest, AlphaMakesPngColoursFadeByTheirValues) {
  std::ofstream(outPath("g.json")) << kGaussianScene;
  const auto render = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"render", "g.json", "--backend", "reference"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  render({"-o", "v.npy", "-o", "plain.png"});
  render({"--alpha", "ramp", "-o", "ramp.png"});
  render({"--alpha", "threshold:0.01", "-o", "threshold.png"});
  render({"--alpha", "ramp", "--contours", "mass:0.99", "-o", "lines.png"});
  const FloatImage v = readNpy(outPath("v.npy"));
  const PngFile plain = readPng(outPath("plain.png"));
  const PngFile ramp = readPng(outPath("ramp.png"));
  const PngFile threshold = readPng(outPath("threshold.png"));
  const PngFile lines = readPng(outPath("lines.png"));
  EXPECT_TRUE(plain.alpha.empty());
  ASSERT_EQ(ramp.alpha.size(), v.pixels.size());
  ASSERT_EQ(threshold.alpha.size(), v.pixels.size());
  ASSERT_EQ(lines.alpha.size(), v.pixels.size());
  EXPECT_EQ(ramp.image.pixels, plain.image.pixels);
  EXPECT_EQ(ramp.text.at(kPngSceneKey), plain.text.at(kPngSceneKey));
  const auto [lo, hi] = std::minmax_element(v.pixels.begin(), v.pixels.end());
  int line_pixels = 0, faint_line_pixels = 0;
  for (std::size_t k = 0; k < v.pixels.size(); ++k) {
    const double t = (v.pixels[k] - *lo) / (*hi - *lo);  // auto range, linear, origin upper
    EXPECT_NEAR(ramp.alpha[k], 255 * t, 0.51) << k;
    if (std::abs(v.pixels[k] - 0.01) > 1e-6)
      EXPECT_EQ(threshold.alpha[k], v.pixels[k] >= 0.01f ? 255 : 0) << k;
    EXPECT_GE(lines.alpha[k], ramp.alpha[k]) << k;
    if (lines.image.pixels[k] != plain.image.pixels[k]) {
      ++line_pixels;
      if (ramp.alpha[k] < 20 && lines.alpha[k] == 255) ++faint_line_pixels;
    }
  }
  EXPECT_GT(line_pixels, 100);
  EXPECT_GT(faint_line_pixels, 50);  // the 99% ring lies where values are low: drawn opaque
}

TEST_F(FigureCliTest, AlphaWithoutAColourPngIsRefusedAndNothingIsWritten) {
  std::ofstream(outPath("g.json")) << kGaussianScene;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases{
      {{"--alpha", "ramp", "-o", "v.npy"},
       "--alpha: it makes the colours of a .png output "
       "transparent, and there is none"},
      {{"--alpha", "ramp", "--figure", "-o", "f.png"}, "--figure makes every .png a figure"},
      {{"--alpha", "ramp", "--bits", "16", "-o", "p.png"}, "a --bits 16 PNG holds values"},
      {{"--alpha", "threshold:x", "-o", "p.png"},
       "--alpha threshold:x: expected none, ramp or "
       "threshold:T"},
  };
  for (const auto& [extra, message] : cases) {
    std::vector<std::string> args{"render", "g.json", "--backend", "reference"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto r = run(args);
    EXPECT_EQ(r.exit_code, 2) << extra[1];
    EXPECT_THAT(r.err, HasSubstr(message));
  }
  EXPECT_EQ(outEntries(), std::vector<std::string>{"g.json"});
}

}  // namespace
}  // namespace gaussmap
