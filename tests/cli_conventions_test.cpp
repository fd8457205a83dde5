// End-to-end tests of issue 14's conventions: colormaps (diverging, reversed, a symmetric range),
// pipes, the scene schema, points CSV by column name, 16-bit values PNGs and verify. Runs the
// built binary with --backend reference or cpu (no OpenGL needed).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "binary_test.h"
#include "gaussmap/colormap.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kSource = GAUSSMAP_SOURCE_DIR;
const std::string kSeed = kSource + "/scenes/seed.json";
const std::string kSigned = kSource + "/scenes/signed_sum.json";

using gaussmap::testing::readText;
using gaussmap::testing::RunResult;
using CliConventionsTest = gaussmap::testing::BinaryTest;

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// --- Colormaps ---

TEST_F(CliConventionsTest, SymmetricRangeCentresADivergingMapOnZero) {
  const RunResult r = run({"render", kSigned, "--colormap", "RdBu", "--range", "symmetric", "-o",
                           "s.png", "-o", "s.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const PngFile png = readPng(outPath("s.png"));
  const FloatImage values = readNpy(outPath("s.npy"));
  float m = 0;
  for (float v : values.pixels) m = std::max(m, std::abs(v));
  ASSERT_GT(m, 0.5f);
  const Colormap& rdbu = *findColormap("RdBu");
  for (std::size_t k = 0; k < values.pixels.size(); ++k)
    ASSERT_EQ(png.image.pixels[k], colorAt(rdbu, (values.pixels[k] + m) / (2.0 * m))) << k;
  // The recorded scene keeps "symmetric", so a re-render spans the same way.
  const Scene recorded = parseScene(png.text.at(kPngSceneKey), "chunk");
  EXPECT_FALSE(recorded.display.range.has_value());
  EXPECT_EQ(recorded.display.auto_range, AutoRange::Symmetric);
  EXPECT_THAT(png.text.at(kPngSceneKey), HasSubstr("\"range\": \"symmetric\""));
  // Far from both kernels the value is about 0: RdBu's white middle.
  EXPECT_EQ(png.image.at(0, 0), colorAt(rdbu, 0.5));
}

TEST_F(CliConventionsTest, AReversedMapIsItsBaseUpsideDown) {
  ASSERT_EQ(
      run({"render", kSeed, "--colormap", "coolwarm", "-o", "a.png", "--backend", "cpu"}).exit_code,
      0);
  ASSERT_EQ(run({"render", kSeed, "--colormap", "coolwarm_r", "-o", "b.png", "--backend", "cpu",
                 "-o", "b.npy"})
                .exit_code,
            0);
  const FloatImage values = readNpy(outPath("b.npy"));
  const RgbImage a = readPng(outPath("a.png")).image, b = readPng(outPath("b.png")).image;
  ASSERT_EQ(a.pixels.size(), b.pixels.size());
  const float lo = *std::min_element(values.pixels.begin(), values.pixels.end());
  const float hi = *std::max_element(values.pixels.begin(), values.pixels.end());
  const Colormap& coolwarm = *findColormap("coolwarm");
  for (std::size_t k = 0; k < values.pixels.size(); ++k) {
    const double t = (double{values.pixels[k]} - lo) / (double{hi} - lo);
    ASSERT_EQ(a.pixels[k], colorAt(coolwarm, t)) << k;
    ASSERT_EQ(b.pixels[k], colorAt(coolwarm, 1.0 - t)) << k;
  }
}

TEST_F(CliConventionsTest, UnknownColormapOrSymmetricLogExitTwoListingTheChoices) {
  RunResult r = run({"render", kSeed, "--colormap", "RdBu_r_r", "-o", "x.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("unknown colormap 'RdBu_r_r'"));
  EXPECT_THAT(r.err, HasSubstr("YlOrRd (NAME_r reverses any of them)"));
  r = run({"render", kSeed, "--range", "symmetric", "--scale", "log", "-o", "x.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("range: \"symmetric\""));
  r = run({"render", kSeed, "--range", "middle", "-o", "x.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--range: expected auto, symmetric or LO:HI, got 'middle'"));
  EXPECT_TRUE(fs::is_empty(out()));
}

}  // namespace
}  // namespace gaussmap

namespace gaussmap {
namespace {

// --- Pipes ---

TEST_F(CliConventionsTest, ASceneFromStandardInputRendersAsTheFileDoes) {
  ASSERT_EQ(run({"render", kSeed, "-o", "file.npy", "--backend", "cpu"}).exit_code, 0);
  const RunResult r = run({"render", "-", "-o", "pipe.npy", "--backend", "cpu"}, {}, kSeed);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(readText(out() / "pipe.npy"), readText(out() / "file.npy"));
}

TEST_F(CliConventionsTest, ABadSceneOnStandardInputIsNamedStdin) {
  writeText(root_ / "bad.json", "{\n  \"width\": 10,\n  \"height\": 10,\n  \"kernels\": [}\n");
  const RunResult r = run({"render", "-", "-o", "x.png"}, {}, (root_ / "bad.json").string());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("gaussmap: error: <stdin>:4:"));
  EXPECT_TRUE(fs::is_empty(out()));
}

TEST_F(CliConventionsTest, PointsFromStandardInput) {
  writeText(root_ / "p.csv", "x,y\n10,5\n");
  const RunResult r =
      run({"render", "--points", "-", "--sigma", "2", "--size", "21x11", "--normalize", "peak",
           "-o", "p.npy", "-o", "p.png", "--backend", "reference"},
          {}, (root_ / "p.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FloatImage values = readNpy(outPath("p.npy"));
  EXPECT_EQ(values.at(10, 5), 1.0f);
  EXPECT_NEAR(values.at(12, 5), std::exp(-0.5), 1e-6);
  const Scene recorded = parseScene(readPng(outPath("p.png")).text.at(kPngSceneKey), "chunk");
  EXPECT_EQ(recorded.name, "<stdin>");
}

TEST_F(CliConventionsTest, StandardOutputTakesEachFormat) {
  const std::string scene = kSource + "/tests/data/small.json";
  ASSERT_EQ(
      run({"render", scene, "-o", "f.png", "-o", "f.npy", "--backend", "reference"}).exit_code, 0);
  RunResult r = run({"render", scene, "-o", "-", "--format", "npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, readText(out() / "f.npy"));
  r = run({"render", scene, "-o", "-", "--format", "png", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, readText(out() / "f.png"));
  r = run({"render", scene, "-o", "-", "--format", "json", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto json = nlohmann::json::parse(r.out);
  const FloatImage values = readNpy(outPath("f.npy"));
  ASSERT_EQ(json["width"], values.width);
  ASSERT_EQ(json["height"], values.height);
  ASSERT_EQ(json["values"].size(), std::size_t(values.height));
  for (int j = 0; j < values.height; ++j) {
    ASSERT_EQ(json["values"][j].size(), std::size_t(values.width));
    for (int i = 0; i < values.width; ++i)  // shortest round-trip text: the same float back
      ASSERT_EQ(json["values"][j][i].get<float>(), values.at(i, j)) << i << ", " << j;
  }
  EXPECT_EQ(json["extent"], nlohmann::json::parse("[0, 39, 0, 29]"));
  EXPECT_EQ(parseScene(json["scene"].dump(), "json").width, 40);
}

TEST_F(CliConventionsTest, AJsonFileHoldsTheValuesToo) {
  const std::string scene = kSource + "/tests/data/small.json";
  const RunResult r = run({"render", scene, "-o", "v.json", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(nlohmann::json::parse(readText(out() / "v.json"))["values"].size(), 30u);
}

TEST_F(CliConventionsTest, StandardOutputMisuseExitsTwo) {
  struct Case {
    std::vector<std::string> args;
    std::string mention;
  };
  const std::vector<Case> cases{
      {{"-o", "-"}, "-o -: give --format png, npy or json"},
      {{"-o", "-", "--format", "tiff"}, "--format: unknown format 'tiff'"},
      {{"-o", "x.png", "--format", "png"}, "it names the format of -o -"},
      {{"-o", "-", "-o", "-", "--format", "npy"}, "standard output can take one output, not 2"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"render", kSeed};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << c.mention;
    EXPECT_THAT(r.err, HasSubstr(c.mention));
    EXPECT_TRUE(r.out.empty());
  }
  EXPECT_TRUE(fs::is_empty(out()));
}

TEST_F(CliConventionsTest, BinaryOutputToATerminalIsRefused) {
  // `script` gives the binary a pseudo-terminal for stdout.
  const std::string command =
      "cd " + testing::shellQuote(out().string()) + " && timeout 60 script -qec " +
      testing::shellQuote(std::string(GAUSSMAP_BINARY) + " render " + kSeed +
                          " -o - --format png --backend reference; echo exit=$?") +
      " /dev/null > " + testing::shellQuote((root_ / "tty").string()) + " 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  const std::string tty = readText(root_ / "tty");
  EXPECT_THAT(tty, HasSubstr("-o -: standard output is a terminal; png is binary"));
  EXPECT_THAT(tty, HasSubstr("exit=2"));
}

// --- The rough edges (verify: verify_command_test) ---

TEST_F(CliConventionsTest, BareRenderSaysNoScene) {
  const RunResult r = run({"render"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("gaussmap: error: no scene: give a scene file"));
}

TEST_F(CliConventionsTest, AnAngleKeySuggestsAngleDeg) {
  writeText(
      out() / "a.json",
      R"({"width": 10, "height": 10, "kernels": [{"x": 1, "y": 1, "sigma": 1, "angle": 30}]})");
  const RunResult r = run({"render", "a.json", "-o", "a.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("kernels[0].angle: unknown key (did you mean 'angle_deg'?)"));
}

TEST_F(CliConventionsTest, EachHelpListsOnlyOptionsThatActThere) {
  const RunResult verify = run({"verify", "--help"});
  EXPECT_EQ(verify.exit_code, 0);
  for (const char* absent : {"--colormap", "--range", "--scale", "--origin", "--backend"})
    EXPECT_THAT(verify.out, ::testing::Not(HasSubstr(absent))) << absent;
  for (const char* present : {"--time", "--tol", "--size", "--cutoff", "--points"})
    EXPECT_THAT(verify.out, HasSubstr(present)) << present;
  const RunResult render = run({"render", "--help"});
  for (const char* present : {"--colormap", "--range", "--format", "--backend", "--window"})
    EXPECT_THAT(render.out, HasSubstr(present)) << present;
}

TEST_F(CliConventionsTest, RecordProgressCountsEachPassInFrames) {
  const RunResult r = run({"record", kSource + "/scenes/sweep.json", "--size", "32x32", "--frames",
                           "3", "--backend", "cpu", "-o", "f_%02d.png"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("range pass 3/3"));
  EXPECT_THAT(r.err, HasSubstr("frames 3/3"));
  EXPECT_THAT(r.err, ::testing::Not(HasSubstr("/6")));
  EXPECT_THAT(r.err, HasSubstr("recorded 3 frames"));
}

}  // namespace
}  // namespace gaussmap

namespace gaussmap {
namespace {

// --- Points CSV by column name, and --extent ---

double peakAt(double x, double y, double cx, double cy, double sx, double sy) {
  const double u = (x - cx) / sx, v = (y - cy) / sy;
  return std::exp(-0.5 * (u * u + v * v));
}

TEST_F(CliConventionsTest, PointsInDataCoordinatesWithRenamedColumnsAndPerPointSigmas) {
  // lon/lat points with their own sigmas on a 1-degree grid over [10, 20] x [40, 50].
  writeText(out() / "pts.csv", "name,lat,lon,sigma_x,sigma_y\nA,44,12,1,2\nB,47,18,1.5,1.5\n");
  const RunResult r = run({"render", "--points", "pts.csv", "--x-column", "lon", "--y-column",
                           "lat", "--extent", "10,20,40,50", "--size", "11x11", "--normalize",
                           "peak", "-o", "p.npy", "-o", "p.png", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("not read: the column 'name'"));
  const FloatImage values = readNpy(outPath("p.npy"));
  for (int j = 0; j < 11; ++j)
    for (int i = 0; i < 11; ++i) {
      const double x = 10 + i, y = 40 + j;
      const double want = peakAt(x, y, 12, 44, 1, 2) + peakAt(x, y, 18, 47, 1.5, 1.5);
      ASSERT_NEAR(values.at(i, j), want, 1e-6 * want + 1e-16) << i << ", " << j;
    }
  const Scene recorded = parseScene(readPng(outPath("p.png")).text.at(kPngSceneKey), "chunk");
  ASSERT_TRUE(recorded.extent.has_value());
  EXPECT_EQ(recorded.extent->x0, 10);
  EXPECT_EQ(recorded.extent->y1, 50);
}

TEST_F(CliConventionsTest, ExtentOverridesASceneFilesExtent) {
  const RunResult r = run({"render", kSource + "/tests/data/small.json", "--extent=-20,19,0,29",
                           "-o", "e.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // small.json's kernel sits at x = 12, now sample i = 32.
  const FloatImage values = readNpy(outPath("e.npy"));
  const auto top = std::max_element(values.pixels.begin(), values.pixels.end());
  EXPECT_EQ(std::size_t(top - values.pixels.begin()), 8u * 40 + 32);
  for (const std::string bad : {"1,2,3", "1,2,3,x", "0,0,0,10"}) {
    const RunResult e = run({"render", kSeed, "--extent", bad, "-o", "x.npy"});
    EXPECT_EQ(e.exit_code, 2) << bad;
    EXPECT_THAT(e.err, HasSubstr("extent")) << bad;
  }
}

TEST_F(CliConventionsTest, PointsColumnOptionsNameMissingColumns) {
  writeText(out() / "pts.csv", "east,north\n1,2\n");
  RunResult r =
      run({"render", "--points", "pts.csv", "--sigma", "1", "--size", "4x4", "-o", "p.npy"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("pts.csv:1: no column named 'x' in the header"));
  EXPECT_THAT(r.err, HasSubstr("--x-column NAME"));
  r = run({"render", "--points", "pts.csv", "--x-column", "east", "--y-column", "north",
           "--weight-column", "mass", "--sigma", "1", "--size", "4x4", "-o", "p.npy"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("no column named 'mass' in the header (--weight-column)"));
  EXPECT_FALSE(fs::exists(out() / "p.npy"));
}

}  // namespace
}  // namespace gaussmap

namespace gaussmap {
namespace {

// --- 16-bit values PNG ---

TEST_F(CliConventionsTest, SixteenBitPngHoldsTheValuesMappedByTheRange) {
  const std::string scene = kSource + "/tests/data/small.json";
  const RunResult r = run(
      {"render", scene, "--bits", "16", "-o", "v.png", "-o", "v.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Png16File png = readGrayPng16(outPath("v.png"));
  const FloatImage values = readNpy(outPath("v.npy"));
  ASSERT_EQ(png.image.width, values.width);
  ASSERT_EQ(png.image.height, values.height);
  const auto range = nlohmann::json::parse(png.text.at(kPngRangeKey));
  const double lo = *std::min_element(values.pixels.begin(), values.pixels.end());
  const double hi = *std::max_element(values.pixels.begin(), values.pixels.end());
  EXPECT_EQ(range["lo"].get<double>(), lo);
  EXPECT_EQ(range["hi"].get<double>(), hi);
  EXPECT_EQ(range["scale"], "linear");
  for (std::size_t k = 0; k < values.pixels.size(); ++k)
    ASSERT_EQ(png.image.pixels[k], std::lround((values.pixels[k] - lo) / (hi - lo) * 65535)) << k;
  EXPECT_EQ(parseScene(png.text.at(kPngSceneKey), "chunk").width, 40);
}

TEST_F(CliConventionsTest, SixteenBitPngFollowsScaleRangeAndOrigin) {
  const std::string scene = kSource + "/tests/data/small.json";
  const RunResult r =
      run({"render", scene, "--bits", "16", "--range", "0:0.5", "--scale", "sqrt", "--origin",
           "lower", "-o", "v.png", "-o", "v.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Png16File png = readGrayPng16(outPath("v.png"));
  const FloatImage values = readNpy(outPath("v.npy"));
  EXPECT_EQ(nlohmann::json::parse(png.text.at(kPngRangeKey)),
            nlohmann::json::parse(R"({"lo": 0, "hi": 0.5, "scale": "sqrt"})"));
  for (int j = 0; j < values.height; ++j)
    for (int i = 0; i < values.width; ++i) {
      const double t = std::sqrt(std::min(1.0, values.at(i, j) / 0.5));
      ASSERT_EQ(png.image.at(i, values.height - 1 - j), std::lround(t * 65535)) << i << ", " << j;
    }
}

TEST_F(CliConventionsTest, BitsOtherThanEightOrSixteenOrWithoutAPngExitTwo) {
  RunResult r = run({"render", kSeed, "--bits", "12", "-o", "x.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--bits 12: expected 8 (colours) or 16"));
  r = run({"render", kSeed, "--bits", "16", "-o", "x.npy"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("--bits 16: it applies to PNG outputs"));
  EXPECT_TRUE(fs::is_empty(out()));
}

}  // namespace
}  // namespace gaussmap
