// End-to-end: runs the built `gaussmap` binary and checks exit codes, stderr, and the files it
// writes (or, for bad input, that it writes none). Values are checked against the math computed
// here. Always with --backend reference (the exact renderer).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdlib.h>
#include <sys/wait.h>
#include "binary_test.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <nlohmann/json.hpp>
#include <numbers>
#include <string>
#include <vector>

#include "gaussmap/colormap.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::StartsWith;

constexpr double kPi = std::numbers::pi;

const std::string kSource = GAUSSMAP_SOURCE_DIR;
const std::string kSeed = kSource + "/scenes/seed.json";
const std::string kData = kSource + "/tests/data";

using gaussmap::testing::readText;
using gaussmap::testing::RunResult;

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Each test gets a folder: out/ is the working directory and holds what the binary writes;
// the captured stdout and stderr live beside it, so out/ shows only the binary's own files.
using CliTest = gaussmap::testing::BinaryTest;

// The question's formula: bivariate normal density with independent axes.
double pdf(double x, double y, double mx, double my, double sx, double sy) {
  const double u = (x - mx) / sx, v = (y - my) / sy;
  return std::exp(-0.5 * (u * u + v * v)) / (2 * kPi * sx * sy);
}

// The seed scene's two kernels at (x, y).
double seedP1(double x, double y) {
  return pdf(x, y, 200, 200, 20, 20);
}
double seedP2(double x, double y) {
  return pdf(x, y, 190, 210, 40, 80);
}

std::string at(int i, int j) {
  return "at (" + std::to_string(i) + ", " + std::to_string(j) + ")";
}

// Every sample within `rel` of want(i, j), or within `negligible` where a renderer may drop a
// kernel's far tail; reports the first mismatch and how many there are.
void expectValues(const FloatImage& got, const std::function<double(int, int)>& want, double rel,
                  double negligible = 0) {
  int mismatches = 0;
  for (int j = 0; j < got.height; ++j)
    for (int i = 0; i < got.width; ++i) {
      const double w = want(i, j);
      if (std::abs(got.at(i, j) - w) <= rel * std::abs(w) + negligible) continue;
      if (mismatches++ == 0)
        ADD_FAILURE() << "value " << got.at(i, j) << " " << at(i, j) << ", expected " << w;
    }
  EXPECT_EQ(mismatches, 0);
}

// 1 - (1 - a)(1 - b), rearranged so that small values keep their digits.
double unionOf(double a, double b) {
  return a + b - a * b;
}

// --- The main job ---

TEST_F(CliTest, RenderSeedWritesPngAndNpyMatchingTheQuestionsFormula) {
  const RunResult r =
      run({"render", kSeed, "-o", "a.png", "-o", "a.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(outEntries(), (std::vector<std::string>{"a.npy", "a.png"}));

  const FloatImage values = readNpy(outPath("a.npy"));
  ASSERT_EQ(values.width, 400);
  ASSERT_EQ(values.height, 400);
  // I(i, j) = 1 - (1 - P1)(1 - P2), row j = y_j = j, column i = x_i = i.
  expectValues(
      values, [](int i, int j) { return unionOf(seedP1(i, j), seedP2(i, j)); }, 1e-6);

  const PngFile png = readPng(outPath("a.png"));
  EXPECT_EQ(png.image.width, 400);
  EXPECT_EQ(png.image.height, 400);
  ASSERT_EQ(png.text.count("gaussmap:scene"), 1u);
  const Scene recorded = parseScene(png.text.at("gaussmap:scene"), "chunk");
  EXPECT_EQ(recorded.width, 400);
  EXPECT_EQ(recorded.combine, Combine::Union);
  EXPECT_EQ(recorded.normalize, Normalize::Pdf);
  ASSERT_EQ(recorded.kernels.size(), 2u);
  EXPECT_EQ(recorded.kernels[1].sigma_y, 80);
  EXPECT_EQ(recorded.name, "seed");
}

// Checked before any window opens, so no display is needed.
TEST_F(CliTest, ViewRefusesACanvasBackendItCannotUseNamingIt) {
  RunResult r = run({"view", kSeed, "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--backend: reference is too slow"), std::string::npos) << r.err;
  r = run({"view", kSeed, "--backend", "vulkan"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--backend: unknown backend 'vulkan' (expected auto|gl|cpu)"),
            std::string::npos)
      << r.err;
}

TEST_F(CliTest, PngColoursFollowTheValuesThroughTheColormap) {
  ASSERT_EQ(
      run({"render", kSeed, "-o", "a.png", "-o", "a.npy", "--backend", "reference"}).exit_code, 0);
  const FloatImage values = readNpy(outPath("a.npy"));
  const RgbImage image = readPng(outPath("a.png")).image;
  // Auto range: the smallest value is viridis' first colour (#440154), the largest its last
  // (#fde725), as matplotlib's viridis.
  const auto [lo, hi] = std::minmax_element(values.pixels.begin(), values.pixels.end());
  const std::size_t lo_k = std::size_t(lo - values.pixels.begin());
  const std::size_t hi_k = std::size_t(hi - values.pixels.begin());
  EXPECT_EQ(image.pixels[lo_k], (Rgb8{0x44, 0x01, 0x54}));
  EXPECT_EQ(image.pixels[hi_k], (Rgb8{0xfd, 0xe7, 0x25}));
}

TEST_F(CliTest, EmptyKernelListRendersZeros) {
  const RunResult r = run({"render", kData + "/empty_kernels.json", "-o", "z.npy", "-o", "z.png",
                           "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FloatImage values = readNpy(outPath("z.npy"));
  EXPECT_EQ(values.width, 16);
  EXPECT_EQ(values.height, 8);
  for (float v : values.pixels) EXPECT_EQ(v, 0.0f);
  EXPECT_TRUE(fs::exists(outPath("z.png")));
}

TEST_F(CliTest, KernelFarOffTheGridRendersZeros) {
  const RunResult r =
      run({"render", kData + "/far_kernel.json", "-o", "f.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FloatImage values = readNpy(outPath("f.npy"));
  EXPECT_EQ(values.width, 10);
  for (float v : values.pixels) EXPECT_EQ(v, 0.0f);
}

TEST_F(CliTest, ExistingOutputIsReplacedOnSuccess) {
  writeText(outPath("a.npy"), "old");
  ASSERT_EQ(
      run({"render", kData + "/small.json", "-o", "a.npy", "--backend", "reference"}).exit_code, 0);
  EXPECT_EQ(readNpy(outPath("a.npy")).width, 40);
  EXPECT_EQ(outEntries(), std::vector<std::string>{"a.npy"});
}

TEST_F(CliTest, StatsPrintsOneJsonObjectOnStderr) {
  const RunResult r = run({"render", kSeed, "-o", "a.npy", "--backend", "reference", "--stats"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto stats = nlohmann::json::parse(r.err);
  EXPECT_EQ(stats.at("kernels"), 2);
  EXPECT_EQ(stats.at("pixels"), 160000);
  EXPECT_EQ(stats.at("backend"), "reference");
  for (const char* key : {"parse_ms", "render_ms", "colormap_ms", "write_ms"})
    EXPECT_TRUE(stats.at(key).is_number()) << key;
}

// --- Bad input: exit code 2, a message naming problem and place, no output ---

struct BadScene {
  std::string file;                   // under tests/data/bad/
  std::vector<std::string> mentions;  // each must appear in the error line
};

void PrintTo(const BadScene& b, std::ostream* os) {
  *os << b.file;
}

class CliBadSceneTest : public CliTest, public ::testing::WithParamInterface<BadScene> {};

TEST_P(CliBadSceneTest, ExitsTwoNamingTheProblemAndWritesNothing) {
  const BadScene& bad = GetParam();
  const std::string scene = kData + "/bad/" + bad.file;
  ASSERT_TRUE(fs::exists(scene)) << scene;
  writeText(outPath("kept.npy"), "old content");
  const RunResult r = run(
      {"render", scene, "-o", "a.png", "-o", "a.npy", "-o", "kept.npy", "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: "));
  const std::string line = r.err.substr(0, r.err.find('\n'));
  EXPECT_THAT(line, HasSubstr(bad.file));
  for (const std::string& m : bad.mentions) EXPECT_THAT(line, HasSubstr(m));
  EXPECT_EQ(outEntries(), std::vector<std::string>{"kept.npy"});
  EXPECT_EQ(readText(outPath("kept.npy")), "old content");
}

INSTANTIATE_TEST_SUITE_P(
    EveryBadInputClass, CliBadSceneTest,
    ::testing::Values(
        BadScene{"syntax_missing_comma.json", {":3:", "syntax error"}},
        BadScene{"syntax_nan.json", {":5:", "syntax error"}},
        BadScene{"syntax_truncated.json", {":5:", "syntax error"}},
        BadScene{"empty_file.json", {"syntax error"}},
        BadScene{"overflow_infinity.json", {"1e999"}},
        BadScene{"wrong_type_width.json", {"width: must be a number", "got a string"}},
        BadScene{"wrong_type_kernel_x.json", {"kernels[1].x: must be a number", "an array"}},
        BadScene{"not_an_object.json", {"top level", "must be an object"}},
        BadScene{"missing_kernels.json", {"missing required field 'kernels'"}},
        BadScene{"missing_sigma.json", {"kernels[0]: missing required field"}},
        BadScene{"unknown_key.json", {"kernels[3].sigmax", "unknown key", "'sigma_x'"}},
        BadScene{"unknown_top_level_key.json", {"colourmap", "unknown key", "'colormap'"}},
        BadScene{"sigma_zero.json", {"kernels[0].sigma_x", "> 0"}},
        BadScene{"sigma_negative_shorthand.json", {"kernels[1].sigma", "> 0"}},
        BadScene{"sigma_and_sigma_x.json", {"kernels[0]", "'sigma'", "'sigma_x'"}},
        BadScene{"cov_not_positive_definite.json", {"kernels[0].cov", "positive definite"}},
        BadScene{"cov_not_symmetric.json", {"kernels[0].cov", "symmetric"}},
        BadScene{"union_value_above_one.json", {"kernels[1]", "union"}},
        BadScene{"union_negative_weight.json", {"kernels[0]", "union"}},
        BadScene{"width_too_large.json", {"width", "32768", "40000"}},
        BadScene{"too_many_pixels.json", {"2^28"}},
        BadScene{"range_lo_not_below_hi.json", {"range", "lo must be below hi"}},
        BadScene{"unknown_colormap.json", {"colormap", "'jet'", "viridis"}},
        BadScene{"unknown_combine.json", {"combine", "'average'", "'sum', 'max', 'union'"}},
        BadScene{"unknown_normalize.json", {"normalize", "'area'", "'pdf', 'peak', 'cell'"}},
        BadScene{"unknown_scale.json", {"scale", "'log10'", "'linear', 'sqrt', 'log'"}},
        BadScene{"unknown_origin.json", {"origin", "'center'", "'upper', 'lower'"}},
        BadScene{"cutoff_not_positive.json", {"cutoff", "> 0"}},
        BadScene{"extent_span_overflows.json", {"extent", "finite"}},
        BadScene{"key_sigma_and_sigma_x.json", {"kernels[0].keys[1]", "'sigma'", "'sigma_x'"}},
        BadScene{"cov_and_angle.json", {"kernels[0]", "'cov'", "'angle_deg'"}},
        BadScene{"range_unknown_word.json", {"range", "\"symmetric\"", "middle"}},
        BadScene{"fps_zero.json", {"fps", "[0.001, 1000]"}},
        BadScene{"schema_not_a_string.json", {"$schema", "must be a string"}},
        BadScene{"width_not_an_integer.json", {"width", "integer", "10.5"}}),
    [](const ::testing::TestParamInfo<BadScene>& info) {
      std::string name = info.param.file.substr(0, info.param.file.find('.'));
      std::replace(name.begin(), name.end(), '_', 'X');  // gtest names: alphanumerics only
      return name;
    });

TEST_F(CliTest, EveryBadSceneFileIsCovered) {
  // A new file under tests/data/bad/ must be added to the list above.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(kData + "/bad"))
    files += e.path().extension() == ".json";
  EXPECT_EQ(files, 35u);
}

TEST_F(CliTest, MissingSceneFileExitsTwoNamingIt) {
  const RunResult r =
      run({"render", "no_such_scene.json", "-o", "a.npy", "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: no_such_scene.json"));
  EXPECT_TRUE(outEntries().empty());
}

TEST_F(CliTest, UnknownOutputExtensionExitsTwoAndWritesNothing) {
  const RunResult r =
      run({"render", kSeed, "-o", "a.npy", "-o", "a.txt", "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: "));
  EXPECT_THAT(r.err, HasSubstr("'.txt'"));
  EXPECT_TRUE(outEntries().empty());
}

TEST_F(CliTest, NoOutputExitsTwo) {
  const RunResult r = run({"render", kSeed, "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: "));
}

TEST_F(CliTest, AMissingOutputFolderIsCreatedAndNamedOnce) {
  const RunResult r =
      run({"render", kSeed, "-o", "a.npy", "-o", "missing/deeper/a.png", "--backend", "cpu"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("created the folder 'missing/deeper'"));
  EXPECT_TRUE(fs::is_regular_file(outPath("missing/deeper/a.png")));
  EXPECT_TRUE(fs::is_regular_file(outPath("a.npy")));
}

TEST_F(CliTest, AFileWhereAnOutputFolderShouldBeExitsTwoAndWritesNothing) {
  writeText(outPath("afile"), "not a folder");
  const RunResult r =
      run({"render", kSeed, "-o", "a.npy", "-o", "afile/x.png", "--backend", "cpu"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: "));
  EXPECT_THAT(r.err, HasSubstr("afile"));
  EXPECT_EQ(outEntries(), std::vector<std::string>{"afile"});
}

TEST_F(CliTest, AWindowIsTheCropOfTheWholeRenderBitForBit) {
  // The seed (union, cutoff), rotated cells, a signed sum and a cutoff sweep; windows inside,
  // at the edges and corners, and one sample.
  for (const std::string name : {"seed", "rotated_cells", "signed_sum", "sensor_sweep_cutoff"}) {
    const std::string scene = kSource + "/scenes/" + name + ".json";
    for (const std::string backend : {"cpu", "reference"}) {
      SCOPED_TRACE(name + " on " + backend);
      ASSERT_EQ(run({"render", scene, "-o", "full.npy", "--backend", backend}).exit_code, 0);
      const FloatImage full = readNpy(outPath("full.npy"));
      const int w = full.width, h = full.height;
      const std::vector<std::array<int, 4>> windows{
          {w / 4, h / 5, w / 2, h / 3}, {0, 0, 17, h}, {w - 33, h - 9, 33, 9}, {w - 1, 0, 1, 1}};
      for (const auto& [i0, j0, ww, wh] : windows) {
        const std::string spec = std::to_string(i0) + "," + std::to_string(j0) + "," +
                                 std::to_string(ww) + "x" + std::to_string(wh);
        SCOPED_TRACE("--window " + spec);
        const RunResult r =
            run({"render", scene, "-o", "w.npy", "--backend", backend, "--window", spec});
        ASSERT_EQ(r.exit_code, 0) << r.err;
        const FloatImage got = readNpy(outPath("w.npy"));
        ASSERT_EQ(got.width, ww);
        ASSERT_EQ(got.height, wh);
        int differing = 0;
        for (int j = 0; j < wh; ++j)
          for (int i = 0; i < ww; ++i)
            differing += std::memcmp(&got.at(i, j), &full.at(i0 + i, j0 + j), sizeof(float)) != 0;
        EXPECT_EQ(differing, 0);
      }
    }
  }
}

TEST_F(CliTest, AWindowsPngNamesTheWindowBesideTheWholeScene) {
  const RunResult r =
      run({"render", kSeed, "-o", "w.png", "--backend", "cpu", "--window", "100,50,64x32"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const PngFile png = readPng(outPath("w.png"));
  EXPECT_EQ(png.image.width, 64);
  EXPECT_EQ(png.image.height, 32);
  EXPECT_EQ(png.text.at(kPngWindowKey), "100,50,64x32");
  EXPECT_EQ(parseScene(png.text.at(kPngSceneKey), "chunk").width, 400);
}

TEST_F(CliTest, AWindowOutsideTheGridOrMalformedExitsTwoAndWritesNothing) {
  for (const auto& [spec, message] : std::vector<std::pair<std::string, std::string>>{
           {"390,50,64x32", "reaches column 453 of a 400-sample-wide grid"},
           {"0,399,1x2", "reaches row 400"},
           {"-1,0,4x4", "starts at column -1"},
           {"1,2", "expected I0,J0,WxH"},
           {"a,2,3x4", "expected I0,J0,WxH"},
           {"1,2,0x4", "--window"}}) {
    SCOPED_TRACE(spec);
    const RunResult r = run({"render", kSeed, "-o", "w.npy", "--backend", "cpu", "--window", spec});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr(message));
    EXPECT_TRUE(outEntries().empty());
  }
}

// Out of memory is exit 1 with a message, never an abort (nlohmann's bad_alloc once ended the
// process with 134) nor a silent empty render (an unchecked stream once gave 0 kernels). A
// 150 MB address-space limit (`ulimit -v`; the binary itself needs under 60 MB) cannot hold a
// million kernels. Left out of the sanitizer pass: AddressSanitizer reserves terabytes of
// address space up front.
TEST_F(CliTest, RunningOutOfMemoryOnABigInputIsExitOneNamingTheFile) {
  {
    std::ofstream scene(outPath("big.json"));
    scene << R"({"width": 64, "height": 64, "kernels": [)";
    for (int k = 0; k < 1000000; ++k)
      scene << (k ? "," : "") << R"({"x": )" << k % 64 << R"(, "y": 3.5, "sigma": 2})";
    scene << "]}";
    std::ofstream points(outPath("big.csv"));
    for (int k = 0; k < 1000000; ++k) points << k % 64 << ",3.5\n";
  }
  const std::string limit = "ulimit -v 150000 &&";
  const RunResult scene = run({"render", "big.json", "-o", "a.npy", "--backend", "cpu"}, limit);
  EXPECT_EQ(scene.exit_code, 1) << scene.err;
  EXPECT_THAT(scene.err, HasSubstr("big.json: out of memory"));
  const RunResult points = run({"render", "--points", "big.csv", "--sigma", "2", "--size", "64x64",
                                "-o", "a.npy", "--backend", "cpu"},
                               limit);
  EXPECT_EQ(points.exit_code, 1) << points.err;
  EXPECT_THAT(points.err, HasSubstr("big.csv: out of memory"));
  EXPECT_EQ(outEntries(), (std::vector<std::string>{"big.csv", "big.json"}));
}

TEST_F(CliTest, SceneFileAndPointsTogetherExitTwo) {
  writeText(outPath("p.csv"), "1,2\n");
  const RunResult r = run({"render", kSeed, "--points", "p.csv", "--sigma", "1", "--size", "4x4",
                           "-o", "a.npy", "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(outEntries(), std::vector<std::string>{"p.csv"});
}

// --- Points ---

TEST_F(CliTest, PointsCsvRendersOneKernelPerRow) {
  writeText(outPath("pts.csv"), "x,y,weight\n5,4,1\n12.5,6,0.5\n");
  const RunResult r = run({"render", "--points", "pts.csv", "--sigma", "2", "--sigma-y", "1.5",
                           "--size", "20x10", "-o", "p.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FloatImage values = readNpy(outPath("p.npy"));
  ASSERT_EQ(values.width, 20);
  ASSERT_EQ(values.height, 10);
  expectValues(
      values,
      [](int i, int j) { return pdf(i, j, 5, 4, 2, 1.5) + 0.5 * pdf(i, j, 12.5, 6, 2, 1.5); },
      1e-6);
}

TEST_F(CliTest, PointsWeightColumnAndAngleAreApplied) {
  writeText(outPath("pts.csv"), "# tracker output\nid,x,y,score\n1,5,4,0.25\n");
  // A weight column picked by name, and angle 90: sigma 3 now runs along y.
  const RunResult r = run({"render", "--points", "pts.csv", "--sigma", "3", "--sigma-y", "1",
                           "--angle", "90", "--weight-column", "score", "--size", "12x10",
                           "--normalize", "peak", "-o", "p.npy", "--backend", "reference"});
  // Columns go by their header names: the row is the kernel at (5, 4) with weight 0.25, and the
  // column "id", which names no field, is said to be left out.
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("gaussmap: pts.csv: not read: the column 'id'"));
  // The reference drops a kernel's contributions below 1e-16 of its peak (10 sigma away here).
  expectValues(
      readNpy(outPath("p.npy")),
      [](int i, int j) {
        const double u = (i - 5) / 1.0, v = (j - 4) / 3.0;
        return 0.25 * std::exp(-0.5 * (u * u + v * v));
      },
      1e-6, 0.25e-16);
}

TEST_F(CliTest, MalformedPointsRowExitsTwoNamingTheLine) {
  writeText(outPath("pts.csv"), "x,y\n1,2\n3,four\n");
  const RunResult r = run({"render", "--points", "pts.csv", "--sigma", "2", "--size", "20x10", "-o",
                           "p.npy", "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: pts.csv:3:"));
  EXPECT_THAT(r.err, HasSubstr("'four'"));
  EXPECT_EQ(outEntries(), std::vector<std::string>{"pts.csv"});
}

TEST_F(CliTest, PointsNeedSizeAndAPositiveSigma) {
  writeText(outPath("pts.csv"), "1,2\n");
  EXPECT_EQ(run({"render", "--points", "pts.csv", "--sigma", "2", "-o", "p.npy", "--backend",
                 "reference"})
                .exit_code,
            2);
  // Without --sigma, every row must give its own.
  const RunResult no_sigma = run(
      {"render", "--points", "pts.csv", "--size", "4x4", "-o", "p.npy", "--backend", "reference"});
  EXPECT_EQ(no_sigma.exit_code, 2);
  EXPECT_THAT(no_sigma.err, HasSubstr("pts.csv:1: no sigma for this point"));
  EXPECT_EQ(run({"render", "--points", "pts.csv", "--sigma", "-1", "--size", "4x4", "-o", "p.npy",
                 "--backend", "reference"})
                .exit_code,
            2);
  EXPECT_EQ(outEntries(), std::vector<std::string>{"pts.csv"});
}

// --- Command-line overrides ---

TEST_F(CliTest, CombineOverrideTakesTheMaximum) {
  const RunResult r =
      run({"render", kSeed, "--combine", "max", "-o", "m.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expectValues(
      readNpy(outPath("m.npy")), [](int i, int j) { return std::max(seedP1(i, j), seedP2(i, j)); },
      1e-6);
}

TEST_F(CliTest, SizeOverrideKeepsTheExtent) {
  const RunResult r = run({"render", kSeed, "--size", "200x100", "-o", "s.npy", "-o", "s.png",
                           "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FloatImage values = readNpy(outPath("s.npy"));
  ASSERT_EQ(values.width, 200);
  ASSERT_EQ(values.height, 100);
  // The region stays [0, 399] x [0, 399]: x_i = 399 i / 199, y_j = 399 j / 99.
  expectValues(
      values,
      [](int i, int j) {
        const double x = 399.0 * i / 199, y = 399.0 * j / 99;
        return unionOf(seedP1(x, y), seedP2(x, y));
      },
      1e-6);
  const Scene recorded = parseScene(readPng(outPath("s.png")).text.at(kPngSceneKey), "chunk");
  EXPECT_EQ(recorded.width, 200);
  EXPECT_EQ(recorded.height, 100);
  EXPECT_EQ(recorded.effectiveExtent(), (Extent{0, 399, 0, 399}));
}

TEST_F(CliTest, RangeOverrideWithNegativeLowerBound) {
  const RunResult r = run(
      {"render", kSeed, "--range=-1:1", "-o", "r.png", "-o", "r.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const PngFile png = readPng(outPath("r.png"));
  const Scene recorded = parseScene(png.text.at(kPngSceneKey), "chunk");
  ASSERT_TRUE(recorded.display.range.has_value());
  EXPECT_EQ((*recorded.display.range)[0], -1);
  EXPECT_EQ((*recorded.display.range)[1], 1);
  // All values are within [0, 1e-4], so every pixel is viridis' middle (#21918c) to a level.
  for (const Rgb8& c : png.image.pixels) {
    ASSERT_NEAR(c.r, 0x21, 1);
    ASSERT_NEAR(c.g, 0x91, 1);
    ASSERT_NEAR(c.b, 0x8c, 1);
  }
  const FloatImage values = readNpy(outPath("r.npy"));
  const Colormap& viridis = *findColormap("viridis");
  for (std::size_t k = 0; k < values.pixels.size(); ++k)
    ASSERT_EQ(png.image.pixels[k], colorAt(viridis, (values.pixels[k] + 1.0) / 2));
}

TEST_F(CliTest, OriginLowerFlipsThePngRowsButNotTheNpy) {
  const std::string scene = kData + "/small.json";
  ASSERT_EQ(
      run({"render", scene, "-o", "up.png", "-o", "up.npy", "--backend", "reference"}).exit_code,
      0);
  ASSERT_EQ(run({"render", scene, "--origin", "lower", "-o", "low.png", "-o", "low.npy",
                 "--backend", "reference"})
                .exit_code,
            0);
  const RgbImage up = readPng(outPath("up.png")).image, low = readPng(outPath("low.png")).image;
  ASSERT_EQ(up.height, 30);
  ASSERT_EQ(low.height, 30);
  for (int j = 0; j < 30; ++j)
    for (int i = 0; i < 40; ++i) ASSERT_EQ(low.at(i, j), up.at(i, 29 - j)) << at(i, j);
  EXPECT_EQ(readText(out() / "up.npy"), readText(out() / "low.npy"));
  // Upper: PNG row 0 is y0, so the brightest pixel is the kernel centre's row y = 8.
  const FloatImage values = readNpy(outPath("up.npy"));
  const auto top = std::max_element(values.pixels.begin(), values.pixels.end());
  const std::size_t k = std::size_t(top - values.pixels.begin());
  EXPECT_EQ(k, 8u * 40 + 12);
  EXPECT_EQ(up.at(12, 8), (Rgb8{0xfd, 0xe7, 0x25}));
  EXPECT_EQ(low.at(12, 21), (Rgb8{0xfd, 0xe7, 0x25}));
}

TEST_F(CliTest, NormalizeAndCutoffOverrides) {
  // Union of peaks with cutoff 3: at kernel 1's centre the value is 1; 61 px right of it
  // (3.05 sigma) only kernel 2 contributes.
  const RunResult r = run({"render", kSeed, "--normalize", "peak", "--cutoff", "3", "-o", "c.npy",
                           "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FloatImage values = readNpy(outPath("c.npy"));
  auto peak2 = [](double x, double y) {
    const double u = (x - 190) / 40, v = (y - 210) / 80;
    return u * u + v * v > 9 ? 0.0 : std::exp(-0.5 * (u * u + v * v));
  };
  EXPECT_EQ(values.at(200, 200), 1.0f);
  EXPECT_NEAR(values.at(261, 200), peak2(261, 200), 1e-6 * peak2(261, 200));
  const double u1 = 59.0 / 20, p1 = std::exp(-0.5 * u1 * u1), p2 = peak2(259, 200);
  EXPECT_NEAR(values.at(259, 200), unionOf(p1, p2), 1e-6 * unionOf(p1, p2));
  EXPECT_EQ(values.at(0, 0), 0.0f);  // beyond both cutoffs
}

TEST_F(CliTest, ColormapAndScaleOverridesAreRecorded) {
  const RunResult r = run({"render", kData + "/small.json", "--colormap", "gray", "--scale", "sqrt",
                           "-o", "g.png", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const PngFile png = readPng(outPath("g.png"));
  for (const Rgb8& c : png.image.pixels) {
    ASSERT_EQ(c.r, c.g);
    ASSERT_EQ(c.g, c.b);
  }
  const Scene recorded = parseScene(png.text.at(kPngSceneKey), "chunk");
  EXPECT_EQ(recorded.display.colormap, "gray");
  EXPECT_EQ(recorded.display.scale, Scale::Sqrt);
}

TEST_F(CliTest, InvalidOverridesExitTwoAndWriteNothing) {
  struct Case {
    std::vector<std::string> args;
    std::string mention;
  };
  const std::vector<Case> cases{
      {{"--combine", "average"}, "sum|max|union"},
      {{"--normalize", "area"}, "pdf|peak|cell"},
      {{"--scale", "log10"}, "linear|sqrt|log"},
      {{"--origin", "middle"}, "upper|lower"},
      {{"--colormap", "jet"}, "'jet'"},
      {{"--size", "10y10"}, "--size"},
      {{"--size", "40000x10"}, "32768"},
      {{"--size", "20000x20000"}, "2^28"},
      {{"--range=1:1"}, "range"},
      {{"--range", "low:high"}, "--range"},
      {{"--cutoff", "-1"}, "cutoff"},
      {{"--cutoff", "nan"}, "cutoff"},
      {{"--backend", "vulkan"}, "vulkan"},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args{"render", kData + "/small.json", "-o", "a.png", "-o", "a.npy"};
    if (c.args.front() != "--backend") args.insert(args.end(), {"--backend", "reference"});
    args.insert(args.end(), c.args.begin(), c.args.end());
    const RunResult r = run(args);
    SCOPED_TRACE(c.args.front() + (c.args.size() > 1 ? " " + c.args[1] : ""));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, StartsWith("gaussmap: error: "));
    EXPECT_THAT(r.err, HasSubstr(c.mention));
    EXPECT_TRUE(outEntries().empty());
  }
}

TEST_F(CliTest, OverrideThatBreaksTheUnionRangeExitsTwoNamingTheKernel) {
  const std::string scene = kData + "/union_peak_narrow.json";
  ASSERT_EQ(run({"render", scene, "-o", "ok.npy", "--backend", "reference"}).exit_code, 0);
  const RunResult r =
      run({"render", scene, "--normalize", "pdf", "-o", "a.npy", "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("kernels[0]"));
  EXPECT_THAT(r.err, HasSubstr("union"));
  EXPECT_EQ(outEntries(), std::vector<std::string>{"ok.npy"});
}

// --- Usage ---

TEST_F(CliTest, HelpExitsZeroAndListsTheRenderCommand) {
  const RunResult r = run({"--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("render"));
}

TEST_F(CliTest, RenderHelpDocumentsEveryOption) {
  const RunResult r = run({"render", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  for (const char* option : {"--output", "--backend", "--size", "--combine", "--normalize",
                             "--cutoff", "--colormap", "--range", "--scale", "--origin", "--stats",
                             "--points", "--sigma", "--sigma-y", "--angle", "--weight-column"})
    EXPECT_THAT(r.out, HasSubstr(option));
}

TEST_F(CliTest, VersionExitsZeroAndPrintsTheVersion) {
  const RunResult r = run({"--version"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, ::testing::ContainsRegex("^gaussmap [0-9]+\\.[0-9]+\\.[0-9]+"));
}

TEST_F(CliTest, UnknownOptionExitsTwo) {
  const RunResult r = run({"render", kSeed, "--colour", "gray", "-o", "a.png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: "));
  EXPECT_THAT(r.err, HasSubstr("--colour"));
  EXPECT_TRUE(outEntries().empty());
}

TEST_F(CliTest, UnknownSubcommandOrNoneExitsTwo) {
  EXPECT_EQ(run({}).exit_code, 2);
  const RunResult r = run({"paint", kSeed});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: "));
}

// --- Inputs at the limits of what every backend computes ---

// Scenes at the edges the validation accepts (sigmas of 1e-3 sample steps, rotated ones of 0.05,
// sigma ratios of 1e4, values of 1e36 and 1e-30, extents of 1e-19 and 1e30) and, for each, a
// backend list: each backend's image must be finite and within 1e-5 of the reference's max.
struct EdgeScene {
  std::string name, json;
};

std::vector<EdgeScene> edgeScenes() {
  const auto scene = [](const std::string& normalize, const std::string& kernels,
                        const std::string& extra = "") {
    return R"({"width": 24, "height": 20, "normalize": ")" + normalize + "\", " + extra +
           R"("kernels": [)" + kernels + "]}";
  };
  std::vector<EdgeScene> out;
  for (const std::string n : {"pdf", "peak", "cell"}) {
    out.push_back({"narrow_" + n, scene(n, R"({"x": 5.9993, "y": 6.99991, "sigma": 1e-3},
                                              {"x": 12, "y": 10, "sigma": 1e-3})")});
    out.push_back(
        {"thin_rotated_" + n, scene(n, R"({"x": 10.3, "y": 9.7, "sigma_x": 500, "sigma_y": 0.05,
                                "angle_deg": 30})")});
    out.push_back(
        {"ratio_cov_" + n,
         scene(n, R"({"x": 10.3, "y": 9.7, "cov": [[5e5, 4.9999e5], [4.9999e5, 5e5]]})")});
    out.push_back(
        {"huge_weights_" + n, scene(n, R"({"x": 10.3, "y": 9.7, "sigma": 3, "weight": 1e36},
                               {"x": 3, "y": 3, "sigma": 2, "weight": -1e36})",
                                    "")});
    // pdf's values scale with 1 / sigma^2: weights that keep them near 1.
    const bool pdf = n == "pdf";
    out.push_back(
        {"tiny_extent_" + n, scene(n,
                                   R"({"x": 1e-20, "y": 1e-20, "sigma": 1e-20, "weight": )" +
                                       std::string(pdf ? "1e-40" : "1") + "}",
                                   R"("extent": [0, 2.3e-19, 0, 1.9e-19], )")});
    out.push_back({"huge_extent_" + n, scene(n,
                                             R"({"x": 1e29, "y": 1e29, "sigma": 3e29, "weight": )" +
                                                 std::string(pdf ? "1e58" : "1") + "}",
                                             R"("extent": [0, 1e30, 0, 1e30], )")});
  }
  // peak: values of 1e-30 (pdf and cell of these sigmas would be below the limit).
  out.push_back({"tiny_weight_peak", scene("peak", R"({"x": 10.3, "y": 9.7, "sigma": 3,
                                                       "weight": 2e-30})")});
  return out;
}

class CliEdgeTest : public CliTest {
 protected:
  // Renders every edge scene with `backend` and compares with the reference.
  void expectAgreement(const std::vector<std::string>& backend) {
    for (const EdgeScene& e : edgeScenes()) {
      SCOPED_TRACE(e.name + "\n" + e.json);
      const std::string scene = outPath(e.name + ".json");
      writeText(scene, e.json);
      const RunResult ref =
          run({"render", scene, "-o", e.name + "_ref.npy", "--backend", "reference"});
      ASSERT_EQ(ref.exit_code, 0) << ref.err;
      std::vector<std::string> args{"render", scene, "-o", e.name + "_got.npy"};
      args.insert(args.end(), backend.begin(), backend.end());
      const RunResult got = run(args);
      ASSERT_EQ(got.exit_code, 0) << got.err;
      const FloatImage want = readNpy(outPath(e.name + "_ref.npy"));
      const FloatImage have = readNpy(outPath(e.name + "_got.npy"));
      double largest = 0;
      for (float v : want.pixels) largest = std::max(largest, std::abs(double(v)));
      ASSERT_GT(largest, 0.0) << "an edge scene must have something to compare";
      double worst = 0;
      for (std::size_t k = 0; k < have.pixels.size(); ++k) {
        ASSERT_TRUE(std::isfinite(have.pixels[k])) << "sample " << k << " is " << have.pixels[k];
        worst = std::max(worst, std::abs(double(have.pixels[k]) - want.pixels[k]));
      }
      EXPECT_LE(worst, 1e-5 * largest) << "max error " << worst / largest << " of the max";
    }
  }
};

TEST_F(CliEdgeTest, ScenesAtTheLimitsAgreeOnTheCpuBackend) {
  expectAgreement({"--backend", "cpu"});
}

// The GL paths need an OpenGL context (EGL on llvmpipe here); the sanitizer pass has none and
// says so as a skip, with the reason.
TEST_F(CliEdgeTest, ScenesAtTheLimitsAgreeOnBothGlPaths) {
  writeText(outPath("probe.json"), R"({"width": 2, "height": 2, "kernels": []})");
  const RunResult probe = run({"render", "probe.json", "-o", "probe.npy", "--backend", "gl"});
  if (probe.exit_code == 1 && probe.err.find("OpenGL") != std::string::npos)
    GTEST_SKIP() << "no OpenGL context: " << probe.err;
  ASSERT_EQ(probe.exit_code, 0) << probe.err;
  expectAgreement({"--backend", "gl", "--gl-path", "loop"});
  expectAgreement({"--backend", "gl", "--gl-path", "footprint"});
}

TEST_F(CliTest, ScenesBeyondWhatBackendsComputeExitTwoNamingTheField) {
  // Each of these rendered inf, NaN or disagreeing images with exit 0 before.
  const std::vector<std::pair<std::string, std::string>> cases{
      {R"({"width": 8, "height": 8, "kernels": [{"x": 1, "y": 1,
          "cov": [[1e150, 1e-10], [1e-10, 1e-150]]}]})",
       "kernels[0].cov: its sigmas"},
      {R"({"width": 8, "height": 8, "kernels": [{"x": 1, "y": 1, "sigma": 1e-30}]})",
       "kernels[0].sigma_x, sigma_y: the kernel is"},
      {R"({"width": 8, "height": 8, "normalize": "peak", "kernels": [
          {"x": 1, "y": 1, "sigma": 1, "weight": 1e300}, {"x": 2, "y": 1, "sigma": 1,
          "weight": 1e300}]})",
       "kernels[0]: its largest value is 1.0000000000000001e+300"},
      {R"({"width": 8, "height": 8, "extent": [-1e-300, 1e-300, -1e-300, 1e-300],
          "kernels": [{"x": 0, "y": 0, "sigma": 1e-70}]})",
       "kernels[0].sigma_x: must be within [1e-30, 1e+30]"},
      {R"({"width": 8, "height": 8, "kernels": [{"x": 1, "y": 1, "sigma_x": 1e-320,
          "sigma_y": 1e-320}]})",
       "kernels[0].sigma_x: must be within"},
  };
  for (const auto& [json, field] : cases) {
    SCOPED_TRACE(json);
    writeText(outPath("s.json"), json);
    const RunResult r = run({"render", "s.json", "-o", "a.npy", "--backend", "reference"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, HasSubstr(field));
    EXPECT_EQ(outEntries(), std::vector<std::string>{"s.json"});
  }
}

TEST_F(CliTest, DirectoryAsSceneOrPointsExitsTwoNamingIt) {
  fs::create_directory(outPath("dir"));
  const RunResult scene = run({"render", "dir", "-o", "a.npy", "--backend", "reference"});
  EXPECT_EQ(scene.exit_code, 2);
  EXPECT_THAT(scene.err, StartsWith("gaussmap: error: dir: is a directory, not a scene file"));
  // Rendered an empty image with exit 0 before.
  const RunResult points = run({"render", "--points", "dir", "--sigma", "1", "--size", "4x4", "-o",
                                "a.npy", "--backend", "reference"});
  EXPECT_EQ(points.exit_code, 2);
  EXPECT_THAT(points.err, StartsWith("gaussmap: error: dir: is a directory, not a points file"));
  EXPECT_EQ(outEntries(), std::vector<std::string>{"dir"});
}

TEST_F(CliTest, SceneThatCannotBeReadExitsOne) {
  // Opens, but reading fails with EIO: an I/O failure (exit 1), not bad input (2).
  const RunResult r = run({"render", "/proc/self/mem", "-o", "a.npy", "--backend", "reference"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("/proc/self/mem: cannot read the scene file (Input/output error)"));
  EXPECT_TRUE(outEntries().empty());
}

TEST_F(CliTest, PointsWithCarriageReturnLinesAndABomRender) {
  // A CR-only file gave 0 kernels, and a BOM made the first data row a "header".
  writeText(outPath("pts.csv"),
            "\xEF\xBB\xBF"
            "5,4,1\r12.5,6,0.5\r");
  const RunResult r = run({"render", "--points", "pts.csv", "--sigma", "2", "--size", "20x10", "-o",
                           "p.npy", "--backend", "reference"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  expectValues(
      readNpy(outPath("p.npy")),
      [](int i, int j) { return pdf(i, j, 5, 4, 2, 2) + 0.5 * pdf(i, j, 12.5, 6, 2, 2); }, 1e-6);
}

}  // namespace
}  // namespace gaussmap
