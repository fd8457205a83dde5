// The scene file: every field read, the defaults, a lossless round trip, and every class of bad
// input refused with a message that names the place.
#include "gaussmap/scene_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>

#include "core/animation.h"
#include "gaussmap/errors.h"
#include "io/input_file.h"

namespace gaussmap {
namespace {

using ::testing::HasSubstr;

// The InputError message of parsing `json`, or a test failure when it parses.
std::string errorOf(const std::string& json) {
  try {
    parseScene(json, "scene.json");
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "parsed without error:\n" << json;
  return "";
}

// A valid scene with one kernel, into which tests splice one changed piece.
std::string sceneWithKernel(const std::string& kernel, const std::string& extra = "") {
  return R"({"width": 8, "height": 6, )" + extra + R"("kernels": [)" + kernel + "]}";
}

std::string sceneWith(const std::string& extra) {
  return sceneWithKernel(R"({"x": 1, "y": 2, "sigma": 1})", extra.empty() ? "" : extra + ", ");
}

// --- Reading ---

TEST(ParseScene, ReadsEveryField) {
  const Scene s = parseScene(R"({
    "name": "two sensors", "description": "a test scene",
    "width": 320, "height": 200, "extent": [-1.5, 2.5, 10, -10],
    "combine": "union", "normalize": "peak", "cutoff": 3,
    "colormap": "magma", "range": [0.25, 0.75], "scale": "sqrt", "origin": "lower",
    "kernels": [
      {"label": "first", "x": 0.5, "y": -2, "sigma_x": 0.3, "sigma_y": 0.2, "angle_deg": 15,
       "weight": 0.5},
      {"x": 1, "y": 2, "sigma": 4}
    ]})",
                             "s.json");
  EXPECT_EQ(s.name, "two sensors");
  EXPECT_EQ(s.description, "a test scene");
  EXPECT_EQ(s.width, 320);
  EXPECT_EQ(s.height, 200);
  ASSERT_TRUE(s.extent.has_value());
  EXPECT_EQ(*s.extent, (Extent{-1.5, 2.5, 10, -10}));
  EXPECT_EQ(s.combine, Combine::Union);
  EXPECT_EQ(s.normalize, Normalize::Peak);
  ASSERT_TRUE(s.cutoff.has_value());
  EXPECT_EQ(*s.cutoff, 3);
  EXPECT_EQ(s.display.colormap, "magma");
  ASSERT_TRUE(s.display.range.has_value());
  EXPECT_EQ((*s.display.range)[0], 0.25);
  EXPECT_EQ((*s.display.range)[1], 0.75);
  EXPECT_EQ(s.display.scale, Scale::Sqrt);
  EXPECT_EQ(s.display.origin, Origin::Lower);
  ASSERT_EQ(s.kernels.size(), 2u);
  const Kernel& k = s.kernels[0];
  EXPECT_EQ(k.label, "first");
  EXPECT_EQ(k.x, 0.5);
  EXPECT_EQ(k.y, -2);
  EXPECT_EQ(k.sigma_x, 0.3);
  EXPECT_EQ(k.sigma_y, 0.2);
  EXPECT_EQ(k.angle_deg, 15);
  EXPECT_EQ(k.weight, 0.5);
  EXPECT_FALSE(k.cov.has_value());
}

TEST(ParseScene, AppliesTheDocumentedDefaults) {
  const Scene s = parseScene(R"({"width": 3, "height": 2,
                                 "kernels": [{"x": 1, "y": 1, "sigma_x": 2, "sigma_y": 3}]})",
                             "s.json");
  EXPECT_FALSE(s.extent.has_value());
  EXPECT_EQ(s.effectiveExtent(), (Extent{0, 2, 0, 1}));
  EXPECT_EQ(s.combine, Combine::Sum);
  EXPECT_EQ(s.normalize, Normalize::Pdf);
  EXPECT_FALSE(s.cutoff.has_value());
  EXPECT_EQ(s.display.colormap, "viridis");
  EXPECT_FALSE(s.display.range.has_value());
  EXPECT_EQ(s.display.scale, Scale::Linear);
  EXPECT_EQ(s.display.origin, Origin::Upper);
  EXPECT_EQ(s.name, "");
  EXPECT_EQ(s.description, "");
  ASSERT_EQ(s.kernels.size(), 1u);
  EXPECT_EQ(s.kernels[0].angle_deg, 0);
  EXPECT_EQ(s.kernels[0].weight, 1);
  EXPECT_EQ(s.kernels[0].label, "");
}

TEST(ParseScene, SigmaShorthandSetsBothSigmas) {
  const Scene s =
      parseScene(sceneWithKernel(R"({"x": 1, "y": 2, "sigma": 2.5, "angle_deg": 7})"), "s.json");
  EXPECT_EQ(s.kernels[0].sigma_x, 2.5);
  EXPECT_EQ(s.kernels[0].sigma_y, 2.5);
  EXPECT_EQ(s.kernels[0].angle_deg, 7);
}

TEST(ParseScene, RangeAutoMeansNoFixedRange) {
  EXPECT_FALSE(parseScene(sceneWith(R"("range": "auto")"), "s.json").display.range.has_value());
}

TEST(ParseScene, CovKeepsTheMatrixAndDerivesSigmasAndAngle) {
  // [[4, 0], [0, 1]] turned by 90 degrees is [[1, 0], [0, 4]]; a 45-degree turn of diag(9, 1)
  // is [[5, 4], [4, 5]].
  const Scene s =
      parseScene(sceneWithKernel(R"({"x": 0, "y": 0, "cov": [[5, 4], [4, 5]]})"), "s.json");
  const Kernel& k = s.kernels[0];
  ASSERT_TRUE(k.cov.has_value());
  EXPECT_EQ(k.cov->xx, 5);
  EXPECT_EQ(k.cov->xy, 4);
  EXPECT_EQ(k.cov->yy, 5);
  EXPECT_NEAR(k.sigma_x, 3, 1e-12);
  EXPECT_NEAR(k.sigma_y, 1, 1e-12);
  EXPECT_NEAR(k.angle_deg, 45, 1e-12);
  const Covariance c = k.covariance();
  EXPECT_EQ(c.xx, 5);
  EXPECT_EQ(c.xy, 4);
  EXPECT_EQ(c.yy, 5);
}

TEST(ParseScene, EmptyKernelListIsValid) {
  const Scene s = parseScene(R"({"width": 4, "height": 4, "kernels": []})", "s.json");
  EXPECT_TRUE(s.kernels.empty());
}

TEST(ParseScene, LimitsThemselvesAreAccepted) {
  EXPECT_NO_THROW(parseScene(R"({"width": 32768, "height": 8192, "kernels": []})", "s.json"));
  EXPECT_NO_THROW(parseScene(R"({"width": 1, "height": 32768, "kernels": []})", "s.json"));
}

TEST(ParseScene, IntegralFloatSizesAreAccepted) {
  const Scene s = parseScene(R"({"width": 4.0, "height": 2e1, "kernels": []})", "s.json");
  EXPECT_EQ(s.width, 4);
  EXPECT_EQ(s.height, 20);
}

TEST(LoadScene, ReadsTheSeedScene) {
  const Scene s = loadScene(GAUSSMAP_SOURCE_DIR "/scenes/seed.json");
  EXPECT_EQ(s.width, 400);
  EXPECT_EQ(s.height, 400);
  EXPECT_EQ(s.combine, Combine::Union);
  EXPECT_EQ(s.normalize, Normalize::Pdf);
  ASSERT_EQ(s.kernels.size(), 2u);
  EXPECT_EQ(s.kernels[0].x, 200);
  EXPECT_EQ(s.kernels[0].y, 200);
  EXPECT_EQ(s.kernels[0].sigma_x, 20);
  EXPECT_EQ(s.kernels[0].sigma_y, 20);
  EXPECT_EQ(s.kernels[1].x, 190);
  EXPECT_EQ(s.kernels[1].y, 210);
  EXPECT_EQ(s.kernels[1].sigma_x, 40);
  EXPECT_EQ(s.kernels[1].sigma_y, 80);
}

TEST(LoadScene, MissingFileIsAnInputErrorNamingThePath) {
  try {
    loadScene("/nonexistent/folder/scene.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("/nonexistent/folder/scene.json"));
  }
}

// --- Writing and reading back ---

void expectSameScene(const Scene& a, const Scene& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  EXPECT_EQ(a.width, b.width);
  EXPECT_EQ(a.height, b.height);
  EXPECT_EQ(a.extent, b.extent);
  EXPECT_EQ(a.combine, b.combine);
  EXPECT_EQ(a.normalize, b.normalize);
  EXPECT_EQ(a.cutoff, b.cutoff);
  EXPECT_EQ(a.display.colormap, b.display.colormap);
  EXPECT_EQ(a.display.range, b.display.range);
  EXPECT_EQ(a.display.scale, b.display.scale);
  EXPECT_EQ(a.display.origin, b.display.origin);
  ASSERT_EQ(a.kernels.size(), b.kernels.size());
  for (std::size_t k = 0; k < a.kernels.size(); ++k) {
    SCOPED_TRACE("kernel " + std::to_string(k));
    const Kernel &p = a.kernels[k], &q = b.kernels[k];
    EXPECT_EQ(p.x, q.x);
    EXPECT_EQ(p.y, q.y);
    EXPECT_EQ(p.sigma_x, q.sigma_x);
    EXPECT_EQ(p.sigma_y, q.sigma_y);
    EXPECT_EQ(p.angle_deg, q.angle_deg);
    EXPECT_EQ(p.weight, q.weight);
    EXPECT_EQ(p.label, q.label);
    ASSERT_EQ(p.cov.has_value(), q.cov.has_value());
    if (p.cov) {
      EXPECT_EQ(p.cov->xx, q.cov->xx);
      EXPECT_EQ(p.cov->xy, q.cov->xy);
      EXPECT_EQ(p.cov->yy, q.cov->yy);
    }
  }
}

TEST(SceneToJson, ReadsBackToTheSameScene) {
  Scene s;
  s.name = "round \"trip\" \u00e9";
  s.description = "line one\nline two";
  s.width = 123;
  s.height = 45;
  s.extent = Extent{0.1, -1.0 / 3, 1e-300, 2.5e2};
  s.combine = Combine::Max;
  s.normalize = Normalize::Cell;
  s.cutoff = 2.0 / 3;
  s.display.colormap = "turbo";
  s.display.range = std::array<double, 2>{-0.1, 1.0 / 7};
  s.display.scale = Scale::Log;
  s.display.range = std::array<double, 2>{1e-9, 1.0 / 7};
  s.display.origin = Origin::Lower;
  Kernel a;
  a.x = 0.1;
  a.y = -2.0 / 3;
  a.sigma_x = 1.0 / 3;
  a.sigma_y = 7.25;
  a.angle_deg = -33.3;
  a.weight = -0.7;
  a.label = "a";
  Kernel b;
  b.x = 5;
  b.y = 6;
  b.setCovariance(Covariance{2.0 / 3, 0.1, 0.5});
  s.kernels = {a, b};
  validateScene(s);
  const std::string json = sceneToJson(s);
  expectSameScene(parseScene(json, "written.json"), s);
  // And once more: writing the read-back scene gives the same text.
  EXPECT_EQ(sceneToJson(parseScene(json, "written.json")), json);
}

TEST(SceneToJson, DefaultsReadBackToTheSameScene) {
  const Scene s = parseScene(R"({"width": 3, "height": 2, "kernels": []})", "s.json");
  expectSameScene(parseScene(sceneToJson(s), "w.json"), s);
}

TEST(SceneToJson, SeedReadsBackToTheSameScene) {
  const Scene s = loadScene(GAUSSMAP_SOURCE_DIR "/scenes/seed.json");
  expectSameScene(parseScene(sceneToJson(s), "w.json"), s);
}

// --- Bad input: JSON syntax ---

TEST(ParseSceneErrors, SyntaxErrorNamesFileLineAndColumn) {
  // A missing comma between two fields on line 3 (column 14 starts the unexpected key).
  const std::string json = "{\n  \"width\": 4,\n  \"height\": 4 \"kernels\": []\n}\n";
  const std::string message = errorOf(json);
  EXPECT_THAT(message, HasSubstr("scene.json:3:"));
  EXPECT_THAT(message, HasSubstr("syntax error"));
  // The column lies within the unexpected token `"kernels"` (columns 15 to 23).
  const auto at = message.find("scene.json:3:") + std::string("scene.json:3:").size();
  const int column = std::stoi(message.substr(at));
  EXPECT_GE(column, 15);
  EXPECT_LE(column, 23);
}

TEST(ParseSceneErrors, SyntaxErrorOnALaterLineCountsLines) {
  const std::string json =
      "{\n  \"width\": 4,\n  \"height\": 4,\n  \"kernels\": [\n    {\"x\": 1,, \"y\": 2}\n  ]\n}";
  EXPECT_THAT(errorOf(json), HasSubstr("scene.json:5:"));
}

TEST(ParseSceneErrors, TruncatedFileIsASyntaxError) {
  const std::string message = errorOf("{\n  \"width\": 4,\n  \"kernels\": [");
  EXPECT_THAT(message, HasSubstr("scene.json:3:"));
  EXPECT_THAT(message, HasSubstr("syntax error"));
}

TEST(ParseSceneErrors, EmptyTextIsASyntaxError) {
  EXPECT_THAT(errorOf(""), HasSubstr("syntax error"));
}

TEST(ParseSceneErrors, NanIsNotJsonSoItIsASyntaxErrorAtItsPlace) {
  const std::string json =
      "{\"width\": 4, \"height\": 4,\n\"kernels\": [{\"x\": NaN, \"y\": 1, "
      "\"sigma\": 1}]}";
  const std::string message = errorOf(json);
  EXPECT_THAT(message, HasSubstr("scene.json:2:"));
  EXPECT_THAT(message, HasSubstr("syntax error"));
}

TEST(ParseSceneErrors, InfinityLiteralIsASyntaxError) {
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": Infinity, "y": 1, "sigma": 1})")),
              HasSubstr("syntax error"));
}

TEST(ParseSceneErrors, OverflowingNumberIsAnInputErrorNamingTheNumber) {
  // Infinity has no JSON spelling; 1e999 is the way it arrives, and nlohmann refuses it.
  for (const std::string& json :
       {sceneWithKernel(R"({"x": 1e999, "y": 1, "sigma": 1})"),
        sceneWithKernel(R"({"x": 1, "y": 1, "sigma": -1e999})"), sceneWith(R"("cutoff": 1e400)"),
        sceneWith(R"("extent": [0, 1e999, 0, 1])"),
        sceneWithKernel(R"({"x": 1, "y": 1, "cov": [[1e999, 0], [0, 1]]})")}) {
    SCOPED_TRACE(json);
    const std::string message = errorOf(json);
    EXPECT_THAT(message, HasSubstr("scene.json: "));
    EXPECT_THAT(message, ::testing::AnyOf(HasSubstr("'1e999'"), HasSubstr("'-1e999'"),
                                          HasSubstr("'1e400'")));
  }
}

TEST(ParseSceneErrors, NonFiniteValuesAreRefusedByValidation) {
  // The values a scene built in code (viewer, CLI options) can carry.
  Scene s = parseScene(sceneWith(""), "s.json");
  s.kernels[0].x = std::numeric_limits<double>::infinity();
  try {
    validateScene(s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("kernels[0].x: must be a finite number"));
  }
  s.kernels[0].x = 1;
  s.kernels[0].sigma_y = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(validateScene(s), InputError);
  s.kernels[0].sigma_y = 1;
  s.cutoff = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THROW(validateScene(s), InputError);
  s.cutoff.reset();
  s.kernels[0].weight = -std::numeric_limits<double>::infinity();
  EXPECT_THROW(validateScene(s), InputError);
}

// --- Bad input: types ---

TEST(ParseSceneErrors, WrongTypesNameTheFieldAndTheTypeGiven) {
  struct Case {
    std::string json, where, got;
  };
  const std::vector<Case> cases{
      {R"({"width": "400", "height": 4, "kernels": []})", "width", "a string"},
      {R"({"width": 4, "height": true, "kernels": []})", "height", "a boolean"},
      {R"({"width": 4, "height": 4, "kernels": {}})", "kernels", "an object"},
      {R"({"width": 4, "height": 4, "kernels": [3]})", "kernels[0]", "a number"},
      {sceneWithKernel(R"({"x": "1", "y": 1, "sigma": 1})"), "kernels[0].x", "a string"},
      {sceneWithKernel(R"({"x": 1, "y": null, "sigma": 1})"), "kernels[0].y", "null"},
      {sceneWithKernel(R"({"x": 1, "y": 1, "sigma": [1]})"), "kernels[0].sigma", "an array"},
      {sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "label": 5})"), "kernels[0].label",
       "a number"},
      {sceneWithKernel(R"({"x": 1, "y": 1, "cov": 4})"), "kernels[0].cov", "a number"},
      {sceneWith(R"("combine": 1)"), "combine", "a number"},
      {sceneWith(R"("colormap": ["viridis"])"), "colormap", "an array"},
      {sceneWith(R"("range": 5)"), "range", "a number"},
      {sceneWith(R"("extent": "all")"), "extent", "a string"},
      {sceneWith(R"("name": {})"), "name", "an object"},
      {"[1, 2]", "(top level)", "an array"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    const std::string message = errorOf(c.json);
    EXPECT_THAT(message, HasSubstr("scene.json: " + c.where + ": must be"));
    EXPECT_THAT(message, HasSubstr("got " + c.got));
  }
}

TEST(ParseSceneErrors, NonIntegralSizeIsRefused) {
  EXPECT_THAT(errorOf(R"({"width": 4.5, "height": 4, "kernels": []})"),
              HasSubstr("width: must be an integer"));
}

TEST(ParseSceneErrors, WrongArrayLengthsAreRefused) {
  EXPECT_THAT(errorOf(sceneWith(R"("extent": [0, 1, 2])")), HasSubstr("extent: must have 4"));
  EXPECT_THAT(errorOf(sceneWith(R"("range": [0, 1, 2])")), HasSubstr("range: must have 2"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "cov": [[1, 0]]})")),
              HasSubstr("kernels[0].cov: must have 2"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "cov": [[1, 0], [0]]})")),
              HasSubstr("kernels[0].cov[1]: must have 2"));
}

// --- Bad input: missing and unknown fields ---

TEST(ParseSceneErrors, MissingFieldsAreNamed) {
  EXPECT_THAT(errorOf(R"({"height": 4, "kernels": []})"), HasSubstr("'width'"));
  EXPECT_THAT(errorOf(R"({"width": 4, "kernels": []})"), HasSubstr("'height'"));
  EXPECT_THAT(errorOf(R"({"width": 4, "height": 4})"), HasSubstr("'kernels'"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"y": 1, "sigma": 1})")),
              HasSubstr("kernels[0]: missing required field 'x'"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "sigma": 1})")),
              HasSubstr("kernels[0]: missing required field 'y'"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 1})")),
              HasSubstr("kernels[0]: missing required field 'sigma_y'"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1})")),
              HasSubstr("kernels[0]: missing required field"));
}

TEST(ParseSceneErrors, UnknownKernelKeyNamesItsPathAndSuggestsTheClosest) {
  const std::string json = R"({"width": 8, "height": 8, "kernels": [
      {"x": 1, "y": 1, "sigma": 1}, {"x": 1, "y": 1, "sigma": 1}, {"x": 1, "y": 1, "sigma": 1},
      {"x": 1, "y": 1, "sigmax": 2, "sigma_y": 1}]})";
  const std::string message = errorOf(json);
  EXPECT_THAT(message, HasSubstr("kernels[3].sigmax"));
  EXPECT_THAT(message, HasSubstr("unknown key"));
  EXPECT_THAT(message, HasSubstr("did you mean 'sigma_x'?"));
}

TEST(ParseSceneErrors, UnknownTopLevelKeySuggestsTheClosest) {
  const std::string message = errorOf(sceneWith(R"("colourmap": "magma")"));
  EXPECT_THAT(message, HasSubstr("scene.json: colourmap: unknown key"));
  EXPECT_THAT(message, HasSubstr("did you mean 'colormap'?"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "wieght": 3})")),
              HasSubstr("kernels[0].wieght: unknown key (did you mean 'weight'?)"));
}

TEST(ParseSceneErrors, UnrelatedUnknownKeyGetsNoSuggestion) {
  const std::string message = errorOf(sceneWith(R"("zzzzzzzzzzzz": 1)"));
  EXPECT_THAT(message, HasSubstr("zzzzzzzzzzzz: unknown key"));
  EXPECT_THAT(message, ::testing::Not(HasSubstr("did you mean")));
}

TEST(ClosestName, SuggestsOnlyPlausibleTypos) {
  const std::vector<std::string_view> keys{"sigma_x", "sigma_y", "sigma", "weight"};
  EXPECT_EQ(closestName("sigmax", keys), "sigma_x");
  EXPECT_EQ(closestName("Weight", keys), "weight");
  EXPECT_EQ(closestName("wieght", keys), "weight");
  EXPECT_EQ(closestName("colormap", keys), "");
}

// --- Bad input: values ---

TEST(ParseSceneErrors, NonPositiveSigmaIsRefusedNamingTheField) {
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 0, "sigma_y": 1})")),
              HasSubstr("kernels[0].sigma_x: must be > 0"));
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 1, "sigma_y": -2})")),
              HasSubstr("kernels[0].sigma_y: must be > 0"));
  // The shorthand names the field the user wrote.
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma": -0.5})")),
              HasSubstr("kernels[0].sigma: must be > 0"));
}

TEST(ParseSceneErrors, SigmaTogetherWithSigmaXIsRefused) {
  const std::string message =
      errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "sigma_x": 2, "sigma_y": 2})"));
  EXPECT_THAT(message, HasSubstr("kernels[0]"));
  EXPECT_THAT(message, HasSubstr("either 'sigma' or 'sigma_x'"));
}

TEST(ParseSceneErrors, CovTogetherWithSigmasIsRefused) {
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "cov": [[1, 0], [0, 1]]})")),
              HasSubstr("either 'cov' or sigmas"));
  EXPECT_THAT(
      errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "angle_deg": 3, "cov": [[1, 0], [0, 1]]})")),
      HasSubstr("kernels[0]"));
}

TEST(ParseSceneErrors, NonPositiveDefiniteCovIsRefused) {
  for (const char* cov :
       {"[[1, 2], [2, 1]]", "[[1, 1], [1, 1]]", "[[-1, 0], [0, -1]]", "[[0, 0], [0, 1]]"}) {
    SCOPED_TRACE(cov);
    const std::string message =
        errorOf(sceneWithKernel(std::string(R"({"x": 1, "y": 1, "cov": )") + cov + "}"));
    EXPECT_THAT(message, HasSubstr("kernels[0].cov"));
    EXPECT_THAT(message, HasSubstr("positive definite"));
  }
}

TEST(ParseSceneErrors, NonSymmetricCovIsRefused) {
  const std::string message =
      errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "cov": [[2, 0.5], [0.25, 2]]})"));
  EXPECT_THAT(message, HasSubstr("kernels[0].cov"));
  EXPECT_THAT(message, HasSubstr("symmetric"));
}

TEST(ParseSceneErrors, UnionValueAboveOneNamesTheKernel) {
  // pdf with sigma 0.1: top value 1/(2 pi 0.01) = 15.9.
  const std::string message = errorOf(R"({"width": 8, "height": 8, "combine": "union",
      "kernels": [{"x": 1, "y": 1, "sigma": 1}, {"x": 1, "y": 1, "sigma": 0.1}]})");
  EXPECT_THAT(message, HasSubstr("kernels[1]"));
  EXPECT_THAT(message, HasSubstr("union"));
  EXPECT_THAT(message, HasSubstr("15.9"));
}

TEST(ParseSceneErrors, UnionPeakWeightOutsideZeroOneNamesTheKernel) {
  EXPECT_THAT(errorOf(R"({"width": 8, "height": 8, "combine": "union", "normalize": "peak",
      "kernels": [{"x": 1, "y": 1, "sigma": 1, "weight": 1.5}]})"),
              HasSubstr("kernels[0]"));
  EXPECT_THAT(errorOf(R"({"width": 8, "height": 8, "combine": "union", "normalize": "cell",
      "kernels": [{"x": 1, "y": 1, "sigma": 1}, {"x": 1, "y": 1, "sigma": 1, "weight": -0.1}]})"),
              HasSubstr("kernels[1]"));
}

TEST(ParseScene, UnionAcceptsValuesAtTheEdgesOfZeroOne) {
  EXPECT_NO_THROW(parseScene(R"({"width": 8, "height": 8, "combine": "union", "normalize": "peak",
      "kernels": [{"x": 1, "y": 1, "sigma": 1, "weight": 1}, {"x": 1, "y": 1, "sigma": 1,
      "weight": 0}]})",
                             "s.json"));
}

TEST(ParseScene, SumAndMaxAcceptNegativeWeights) {
  for (const char* combine : {"sum", "max"})
    EXPECT_NO_THROW(parseScene(std::string(R"({"width": 8, "height": 8, "combine": ")") + combine +
                                   R"(", "kernels": [{"x": 1, "y": 1, "sigma": 1, "weight": -3}]})",
                               "s.json"));
}

TEST(ParseSceneErrors, SizesOverTheLimitsAreRefused) {
  const std::string too_wide = errorOf(R"({"width": 40000, "height": 10, "kernels": []})");
  EXPECT_THAT(too_wide, HasSubstr("width"));
  EXPECT_THAT(too_wide, HasSubstr("32768"));
  EXPECT_THAT(errorOf(R"({"width": 10, "height": 32769, "kernels": []})"), HasSubstr("height"));
  const std::string too_many = errorOf(R"({"width": 20000, "height": 20000, "kernels": []})");
  EXPECT_THAT(too_many, HasSubstr("2^28"));
  EXPECT_THAT(too_many, HasSubstr("400000000"));
  EXPECT_THAT(errorOf(R"({"width": 0, "height": 10, "kernels": []})"), HasSubstr("width"));
  EXPECT_THAT(errorOf(R"({"width": 10, "height": -3, "kernels": []})"), HasSubstr("height"));
  EXPECT_THAT(errorOf(R"({"width": 1e15, "height": 1e15, "kernels": []})"), HasSubstr("width"));
  EXPECT_THAT(errorOf(R"({"width": 18446744073709551615, "height": 1, "kernels": []})"),
              HasSubstr("width"));
}

TEST(ParseSceneErrors, SizeIsCheckedBeforeTheKernels) {
  // A scene too large is refused as such even when its kernels are bad too.
  EXPECT_THAT(errorOf(R"({"width": 40000, "height": 10, "kernels": [{"x": 1}]})"),
              HasSubstr("32768"));
}

TEST(ParseSceneErrors, RangeLoMustBeBelowHi) {
  EXPECT_THAT(errorOf(sceneWith(R"("range": [1, 1])")), HasSubstr("range: lo must be below hi"));
  EXPECT_THAT(errorOf(sceneWith(R"("range": [2, -1])")), HasSubstr("range"));
  EXPECT_THAT(errorOf(sceneWith(R"("range": "full")")), HasSubstr("range"));
  EXPECT_THAT(errorOf(sceneWith(R"("range": [0, 1], "scale": "log")")), HasSubstr("lo > 0"));
}

TEST(ParseSceneErrors, UnknownColormapListsTheKnownOnes) {
  const std::string message = errorOf(sceneWith(R"("colormap": "jet")"));
  EXPECT_THAT(message, HasSubstr("colormap"));
  EXPECT_THAT(message, HasSubstr("'jet'"));
  for (const char* name :
       {"viridis", "magma", "inferno", "plasma", "cividis", "turbo", "gray", "hot"})
    EXPECT_THAT(message, HasSubstr(name));
}

TEST(ParseSceneErrors, UnknownEnumValuesListTheValidOnes) {
  struct Case {
    std::string field, value;
    std::vector<std::string> valid;
  };
  const std::vector<Case> cases{{"combine", "average", {"sum", "max", "union"}},
                                {"normalize", "area", {"pdf", "peak", "cell"}},
                                {"scale", "log10", {"linear", "sqrt", "log"}},
                                {"origin", "center", {"upper", "lower"}}};
  for (const Case& c : cases) {
    const std::string message = errorOf(sceneWith("\"" + c.field + "\": \"" + c.value + "\""));
    EXPECT_THAT(message, HasSubstr("scene.json: " + c.field + ": unknown value '" + c.value));
    for (const std::string& v : c.valid) EXPECT_THAT(message, HasSubstr("'" + v + "'"));
  }
}

TEST(ParseSceneErrors, NonPositiveCutoffIsRefused) {
  EXPECT_THAT(errorOf(sceneWith(R"("cutoff": 0)")), HasSubstr("cutoff: must be > 0"));
  EXPECT_THAT(errorOf(sceneWith(R"("cutoff": -3)")), HasSubstr("cutoff"));
}

TEST(ParseSceneErrors, DegenerateExtentIsRefused) {
  EXPECT_THAT(errorOf(sceneWith(R"("extent": [1, 1, 0, 5])")), HasSubstr("extent"));
  EXPECT_THAT(errorOf(sceneWith(R"("extent": [0, 5, 2, 2])")), HasSubstr("extent"));
}

TEST(ParseSceneErrors, ExtentWhoseSpanOverflowsIsRefused) {
  // Each bound is finite, but x1 - x0 is not, so there is no step between samples.
  EXPECT_THAT(errorOf(sceneWith(R"("extent": [-1e308, 1e308, 0, 5])")), HasSubstr("extent"));
  EXPECT_THAT(errorOf(sceneWith(R"("extent": [0, 5, 1.7e308, -1.7e308])")), HasSubstr("extent"));
}

TEST(ParseSceneErrors, MessagesStartWithTheSourceName) {
  try {
    parseScene(R"({"width": 4, "height": 4, "kernels": [{"x": 1, "y": 1, "sigma": 0}]})",
               "dir/my scene.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("dir/my scene.json: ", 0), 0u) << e.what();
  }
}

// --- Duplicate keys ---

TEST(ParseSceneErrors, DuplicateKeysAreRefusedWithTheirPath) {
  // A DOM keeps the last of two values silently; the file's author meant one of them.
  const std::string kernels = R"({"x": 1, "y": 1, "sigma": 1}, {"x": 1, "y": 1, "sigma": 1},
      {"x": 1, "y": 1, "sigma": 1}, {"x": 1, "y": 2, "sigma": 1, "x": 5})";
  EXPECT_EQ(errorOf(R"({"width": 8, "height": 8, "kernels": [)" + kernels + "]}"),
            "scene.json: kernels[3]: duplicate key 'x' (each key may appear once)");
  EXPECT_THAT(errorOf(R"({"width": 8, "height": 8, "width": 9, "kernels": []})"),
              HasSubstr("scene.json: (top level): duplicate key 'width'"));
  EXPECT_THAT(errorOf(sceneWithKernel(
                  R"({"x": 1, "y": 1, "sigma": 1, "keys": [{"t": 0}, {"t": 1, "t": 2}]})")),
              HasSubstr("scene.json: kernels[0].keys[1]: duplicate key 't'"));
  EXPECT_THAT(errorOf(R"({"width": 8, "height": 8, "kernels": [], "kernels": []})"),
              HasSubstr("duplicate key 'kernels'"));
}

// --- Message order does not depend on field order (kernels are read as they stream past) ---

TEST(ParseSceneErrors, SizeIsCheckedBeforeKernelsThatComeFirstInTheFile) {
  EXPECT_THAT(errorOf(R"({"kernels": [{"x": 1}], "width": 40000, "height": 10})"),
              HasSubstr("32768"));
}

TEST(ParseSceneErrors, SyntaxErrorAfterABadKernelIsReportedAsSyntax) {
  EXPECT_THAT(errorOf("{\"kernels\": [{\"x\": 1}],\n\"width\": 4,, \"height\": 4}"),
              HasSubstr("scene.json:2:"));
}

TEST(ParseScene, KernelsBeforeTheSizeAreReadInOrder) {
  const Scene s = parseScene(R"({"kernels": [{"x": 1, "y": 2, "sigma": 1}, {"x": 3, "y": 4,
      "cov": [[2, 1], [1, 2]], "keys": [{"t": 0, "x": 3}, {"t": 1, "x": 5}]}],
      "width": 8, "height": 8})",
                             "s.json");
  ASSERT_EQ(s.kernels.size(), 2u);
  EXPECT_EQ(s.kernels[0].x, 1);
  EXPECT_EQ(s.kernels[1].y, 4);
  ASSERT_TRUE(s.kernels[1].cov.has_value());
  EXPECT_EQ(s.kernels[1].cov->xy, 1);
  ASSERT_EQ(s.kernels[1].keys.size(), 2u);
  EXPECT_EQ(s.kernels[1].keys[1][AnimatedField::X], 5.0);
}

// --- Linear validation ---

// Many kernels, each animated with its own key times, and one kernel with many keys: validation
// used to rebuild and check the whole scene at every key time (kernels x key times: 4e10 kernel
// checks here, hours), and to find each key's neighbours from the first key (keys^2). Linear, it
// takes well under a second; the test only has to finish.
TEST(ParseScene, ValidationIsLinearInKernelsAndKeys) {
  constexpr int kKernels = 100000, kKeys = 100000;
  std::string json = R"({"width": 64, "height": 64, "combine": "union", "kernels": [)";
  for (int i = 0; i < kKernels; ++i)
    json += R"({"x": 1, "y": 2, "sigma": 3, "weight": 0.5, "keys": [{"t": )" + std::to_string(i) +
            R"(, "x": 4}, {"t": )" + std::to_string(i) + R"(.5, "x": 9}]},)";
  json += R"({"x": 1, "y": 2, "sigma": 3, "keys": [)";
  for (int n = 0; n < kKeys; ++n)
    json += (n ? "," : "") + std::string(R"({"t": )") + std::to_string(n) +
            (n % 2 ? R"(, "x": 7})" : R"(, "weight": 0.25})");
  json += "]}]}";
  const Scene s = parseScene(json, "big.json");
  ASSERT_EQ(s.kernels.size(), std::size_t(kKernels) + 1);
  EXPECT_EQ(s.kernels.back().keys.size(), std::size_t(kKeys));
}

// --- Limits of what every backend computes ---

TEST(ParseSceneErrors, ValuesBeyondFloat32AreRefusedNamingTheField) {
  struct Case {
    std::string json, message;
  };
  const std::vector<Case> cases{
      // Reference 0.159, cpu all 0, gl NaN before: eigenvalues 1e150 and 1e-150.
      {sceneWithKernel(R"({"x": 1, "y": 1, "cov": [[1e150, 1e-10], [1e-10, 1e-150]]})"),
       "kernels[0].cov: its sigmas (square roots of its eigenvalues) must be within [1e-30, "
       "1e+30]"},
      // inf or NaN before, exit 0: 1e-30 samples wide.
      {sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1e-30})"),
       "kernels[0].sigma_x, sigma_y: the kernel is 1.0000000000000001e-30 sample steps wide"},
      // inf everywhere before.
      {R"({"width": 8, "height": 8, "normalize": "peak", "kernels": [{"x": 1, "y": 1,
          "sigma": 1, "weight": 1e300}, {"x": 2, "y": 1, "sigma": 1, "weight": 1e300}]})",
       "kernels[0]: its largest value is 1.0000000000000001e+300 (normalize 'peak')"},
      // GL NaN before.
      {sceneWithKernel(R"({"x": 0, "y": 0, "sigma": 1e-70})",
                       R"("extent": [-1e-300, 1e-300, -1e-300, 1e-300], )"),
       "kernels[0].sigma_x: must be within [1e-30, 1e+30] (got 1e-70)"},
      // Called "sigmas too far apart" before.
      {sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 1e-320, "sigma_y": 1e-320})"),
       "kernels[0].sigma_x: must be within [1e-30, 1e+30]"},
      {sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 1e4, "sigma_y": 1e-1})"),
       "kernels[0].sigma_x, sigma_y: the longest sigma is 100000 times the shortest; the "
       "renderers resolve at most 10000"},
      {sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 1, "sigma_y": 0.04, "angle_deg": 30})"),
       "kernels[0].sigma_x, sigma_y: a rotated kernel must be at least 0.05 sample steps wide "
       "(this one is 0.040000000000000001)"},
      {sceneWithKernel(R"({"x": 1e31, "y": 1, "sigma": 1})"), "kernels[0].x: must be within"},
      {sceneWithKernel(R"({"x": 1e20, "y": 1, "sigma": 1e15})",
                       R"("extent": [0, 1e-12, 0, 1e-12], )"),
       "kernels[0]: its centre lies"},
      {sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1e29})"), "kernels[0]: its largest value is"},
      {sceneWith(R"("extent": [0, 1e31, 0, 1])"), "extent[1]: must be within"},
      {sceneWith(R"("cutoff": 1e7)"), "cutoff: must be at most 1e+06 (got 10000000)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.json);
    EXPECT_THAT(errorOf(c.json), HasSubstr(c.message));
  }
}

TEST(ParseScene, ValuesAtTheLimitsAreAccepted) {
  for (const std::string& json : {
           sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1e-3})"),
           sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 10, "sigma_y": 1e-3})"),
           sceneWithKernel(R"({"x": 1, "y": 1, "sigma_x": 500, "sigma_y": 0.05, "angle_deg": 30})"),
           sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1e-20, "weight": 1e-20})",
                           R"("extent": [0, 1e-20, 0, 1e-20], )"),
           sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "weight": 1e36})",
                           R"("normalize": "peak", )"),
           sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "weight": 1e-30})",
                           R"("normalize": "peak", )"),
           sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "weight": 0})"),
       }) {
    SCOPED_TRACE(json);
    EXPECT_NO_THROW(parseScene(json, "s.json"));
  }
}

TEST(ParseSceneErrors, LargestValuesMustSumWithinFloat32) {
  // 200 kernels of 1e36 each: a float32 sum reaches 2e38, too near its 3.4e38 limit.
  std::string kernels;
  for (int i = 0; i < 200; ++i)
    kernels += std::string(i ? "," : "") + R"({"x": 1, "y": 1, "sigma": 1, "weight": 1e36})";
  EXPECT_THAT(
      errorOf(R"({"width": 8, "height": 8, "normalize": "peak", "kernels": [)" + kernels + "]}"),
      HasSubstr("kernels: their largest values add up to 2.0000000000000"));
  // 99 of them is fine.
  kernels.clear();
  for (int i = 0; i < 99; ++i)
    kernels += std::string(i ? "," : "") + R"({"x": 1, "y": 1, "sigma": 1, "weight": 1e36})";
  EXPECT_NO_THROW(parseScene(
      R"({"width": 8, "height": 8, "normalize": "peak", "kernels": [)" + kernels + "]}", "s.json"));
}

TEST(ParseSceneErrors, SigmaInSampleStepsFollowsTheOutputSize) {
  // 0.5 scene units over a 1000-wide extent of 11 samples is 0.005 steps.
  EXPECT_THAT(
      errorOf(R"({"width": 11, "height": 11, "extent": [0, 10000, 0, 10000],
                  "kernels": [{"x": 1, "y": 1, "sigma": 0.5}]})"),
      HasSubstr(
          "the kernel is 0.00050000000000000001 sample steps wide (the grid's step is 1000)"));
}

TEST(ParseScene, UnionCellIsCheckedAgainstTheLargestCellMass) {
  // A cell kernel's largest value is its weight times the mass of one cell: sigma 3 over cells
  // of 1 holds erf(0.5 / (3 sqrt 2))^2 = 0.0175 of it, so weight 5 tops out at 0.088.
  EXPECT_NO_THROW(parseScene(R"({"width": 8, "height": 8, "combine": "union", "normalize": "cell",
      "kernels": [{"x": 1, "y": 1, "sigma": 3, "weight": 5}]})",
                             "s.json"));
  // Sigma 0.1 puts nearly all of it in one cell: 5 times 0.9999994.
  EXPECT_THAT(errorOf(R"({"width": 8, "height": 8, "combine": "union", "normalize": "cell",
      "kernels": [{"x": 1, "y": 1, "sigma": 0.1, "weight": 5}]})"),
              HasSubstr("kernels[0]: combine 'union' needs every kernel's largest value in [0, 1], "
                        "but this kernel's is 4.99999"));
  // Rotated: bounded by the smaller marginal mass.
  EXPECT_NO_THROW(parseScene(R"({"width": 8, "height": 8, "combine": "union", "normalize": "cell",
      "kernels": [{"x": 1, "y": 1, "sigma_x": 3, "sigma_y": 2, "angle_deg": 30, "weight": 5}]})",
                             "s.json"));
}

TEST(ClosestName, SuggestsTheFullNameOfAShortenedOne) {
  const std::vector<std::string_view> keys{"x", "y", "sigma_x", "sigma_y", "sigma", "angle_deg"};
  EXPECT_EQ(closestName("angle", keys), "angle_deg");
  EXPECT_EQ(closestName("Angle", keys), "angle_deg");
  EXPECT_EQ(closestName("ang", keys), "angle_deg");
  EXPECT_THAT(errorOf(sceneWithKernel(R"({"x": 1, "y": 1, "sigma": 1, "angle": 3})")),
              HasSubstr("kernels[0].angle: unknown key (did you mean 'angle_deg'?)"));
}

// --- Reading input files ---

class InputFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("gaussmap_input_file_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir_ / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  std::filesystem::path dir_;
};

template <class Error>
std::string readError(const std::string& path, std::uint64_t max_bytes = kMaxInputFileBytes) {
  try {
    readInputFile(path, "scene file", max_bytes);
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << path << ": no error of the expected kind";
  return "";
}

TEST_F(InputFileTest, ReadsARegularFileWhole) {
  const std::string text = "{\"width\": 4}\n" + std::string(100000, ' ');
  EXPECT_EQ(readInputFile(write("a.json", text), "scene file"), text);
  EXPECT_EQ(readInputFile(write("empty.json", ""), "scene file"), "");
}

TEST_F(InputFileTest, BinaryDataIsRefusedAtItsFirstNulByte) {
  // /dev/zero never ends: refused at its first byte, not after reading 4 GiB of it.
  EXPECT_EQ(readError<InputError>("/dev/zero"),
            "/dev/zero: the scene file holds a NUL byte at offset 0: it is not a text file");
  const std::string path = write("nul.json", std::string("{\"width\"") + '\0' + "}");
  EXPECT_EQ(readError<InputError>(path),
            path + ": the scene file holds a NUL byte at offset 8: it is not a text file");
}

TEST_F(InputFileTest, EndlessStreamIsRefusedAtTheCap) {
  // An endless text stream: read in chunks, refused once past the cap (4 GiB by default).
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  std::signal(SIGPIPE, SIG_IGN);  // the writer learns of the closed reader by EPIPE
  std::thread writer([&] {
    const std::string spaces(1 << 16, ' ');
    while (::write(fds[1], spaces.data(), spaces.size()) > 0) {
    }
    ::close(fds[1]);
  });
  const std::string stream = "/dev/fd/" + std::to_string(fds[0]);
  EXPECT_EQ(readError<InputError>(stream, 3u << 20),
            stream + ": the scene file is larger than that; input files may hold at most 3 MiB");
  ::close(fds[0]);
  writer.join();
}

TEST_F(InputFileTest, RegularFileOverTheCapIsRefusedBeforeReading) {
  const std::string path = write("big.json", std::string(5000, ' '));
  EXPECT_EQ(readError<InputError>(path, 4096),
            path + ": the scene file is 5000 bytes; input files may hold at most 4096 bytes");
  EXPECT_EQ(readInputFile(path, "scene file", 5000).size(), 5000u);
}

TEST_F(InputFileTest, PipeIsReadWhole) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  const std::string text(3 << 20, 'p');  // several chunks
  std::thread writer([&] {
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fds[1], text.data() + done, text.size() - done);
      if (n <= 0) break;
      done += std::size_t(n);
    }
    ::close(fds[1]);
  });
  const std::string got = readInputFile("/dev/fd/" + std::to_string(fds[0]), "points file");
  writer.join();
  ::close(fds[0]);
  EXPECT_EQ(got.size(), text.size());
  EXPECT_EQ(got, text);
}

TEST_F(InputFileTest, DirectoryIsAnInputErrorNamingIt) {
  EXPECT_EQ(readError<InputError>(dir_.string()),
            dir_.string() + ": is a directory, not a scene file");
  EXPECT_THROW(loadScene(dir_.string()), InputError);
}

TEST_F(InputFileTest, MissingFileIsAnInputError) {
  EXPECT_THAT(readError<InputError>((dir_ / "none.json").string()),
              HasSubstr("none.json: cannot open the scene file (No such file or directory)"));
}

TEST_F(InputFileTest, ReadErrorIsARuntimeError) {
  // /proc/self/mem opens, but reading its first page (never mapped) fails with EIO: an I/O
  // failure, not the user's input (exit 1, not 2).
  EXPECT_THAT(readError<RuntimeError>("/proc/self/mem"),
              HasSubstr("/proc/self/mem: cannot read the scene file (Input/output error)"));
}

}  // namespace
}  // namespace gaussmap
