// Keyframed kernels (core/animation.h), the keys/duration/fps of the scene file, and recording
// plans (core/recording.h): interpolation values, holds, angle wrap-around, rejected keys with
// their paths, and frame counts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>

#include "core/animation.h"
#include "gaussmap/errors.h"
#include "gaussmap/scene_json.h"
#include "media/frame_sink.h"
#include "media/recording.h"
#include "temp_folder.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kSource = GAUSSMAP_SOURCE_DIR;

// A scene with one kernel whose `keys` array is the given JSON text.
Scene sceneWithKeys(const std::string& keys, const std::string& kernel = R"("sigma": 1.5)",
                    const std::string& scene_extra = "") {
  return parseScene(R"({"width": 8, "height": 8, )" + scene_extra +
                        R"( "kernels": [{"x": 1, "y": 2, )" + kernel + R"(, "keys": )" + keys +
                        "}]}",
                    "test.json");
}

// The InputError message a scene file gives, or "(accepted)".
std::string errorOf(const std::string& json) {
  try {
    parseScene(json, "test.json");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

std::string errorOfKeys(const std::string& keys, const std::string& kernel = R"("sigma": 1.5)",
                        const std::string& scene_extra = "") {
  return errorOf(R"({"width": 8, "height": 8, )" + scene_extra +
                 R"( "kernels": [{"x": 1, "y": 2, )" + kernel + R"(, "keys": )" + keys + "}]}");
}

double valueAt(const Scene& s, AnimatedField f, double t) {
  return animatedValue(s.kernels[0], f, t);
}

TEST(Interpolation, LinearKeysGiveTheMidpointHalfwayBetween) {
  const Scene s = sceneWithKeys(R"([{"t": 1, "x": 10}, {"t": 3, "x": 30}])");
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 2.0), 20.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 1.5), 15.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 1.0), 10.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 3.0), 30.0);
}

TEST(Interpolation, SmoothFollowsSmoothstepOfTheFraction) {
  // u = 0.25: 3u^2 - 2u^3 = 0.1875 - 0.03125 = 0.15625 of the way.
  const Scene s = sceneWithKeys(R"([{"t": 0, "x": 0, "interpolation": "smooth"},
                                    {"t": 4, "x": 100}])");
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 1.0), 15.625);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 2.0), 50.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 3.0), 84.375);
}

TEST(Interpolation, StepHoldsTheEarlierKeysValueUntilTheNextKey) {
  const Scene s = sceneWithKeys(R"([{"t": 0, "weight": 0.25, "interpolation": "step"},
                                    {"t": 1, "weight": 0.75}])");
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Weight, 0.0), 0.25);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Weight, 0.5), 0.25);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Weight, std::nextafter(1.0, 0.0)), 0.25);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Weight, 1.0), 0.75);
}

TEST(Interpolation, TheEarlierKeyChoosesTheModeOfEachSegment) {
  const Scene s = sceneWithKeys(R"([{"t": 0, "x": 0, "interpolation": "step"},
                                    {"t": 1, "x": 10, "interpolation": "smooth"},
                                    {"t": 3, "x": 30}])");
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 0.5), 0.0);     // step
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 1.5), 13.125);  // 10 + 20 * 0.15625
}

TEST(Interpolation, HoldsBeforeTheFirstKeyAndAfterTheLast) {
  const Scene s = sceneWithKeys(R"([{"t": 1, "x": 10}, {"t": 3, "x": 30}])");
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 0.0), 10.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 0.999), 10.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 3.5), 30.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 1e6), 30.0);
  // Fields no key gives keep the kernel's own values at every time.
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Y, 2.0), 2.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::SigmaX, 2.0), 1.5);
}

TEST(Interpolation, FieldsGivenBySomeKeysMoveBetweenTheKeysThatGiveThem) {
  const Scene s = sceneWithKeys(R"([{"t": 0, "x": 0},
                                    {"t": 1, "y": 5},
                                    {"t": 2, "x": 10, "y": 15}])");
  // x skips the key at t = 1, which does not give it.
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 0.5), 2.5);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 1.0), 5.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::X, 1.5), 7.5);
  // y holds its first key's value before it, not the kernel's own y = 2.
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Y, 0.0), 5.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Y, 0.5), 5.0);
  EXPECT_DOUBLE_EQ(valueAt(s, AnimatedField::Y, 1.5), 10.0);
}

TEST(Interpolation, SigmaInAKeySetsBothSigmas) {
  const Scene s = sceneWithKeys(R"([{"t": 0, "sigma": 2}, {"t": 2, "sigma": 4}])",
                                R"("sigma_x": 1, "sigma_y": 3)");
  ASSERT_EQ(s.kernels[0].keys.size(), 2u);
  EXPECT_EQ(s.kernels[0].keys[0][AnimatedField::SigmaX], 2.0);
  EXPECT_EQ(s.kernels[0].keys[0][AnimatedField::SigmaY], 2.0);
  const Scene at = sceneAtTime(s, 1.0);
  EXPECT_DOUBLE_EQ(at.kernels[0].sigma_x, 3.0);
  EXPECT_DOUBLE_EQ(at.kernels[0].sigma_y, 3.0);
}

TEST(Interpolation, SigmaWithSigmaXInOneKeyIsRejected) {
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "sigma": 2, "sigma_x": 3}])"),
              HasSubstr("kernels[0].keys[0]: give either 'sigma' or 'sigma_x'"));
}

// The angle modulo 360, in (-180, 180].
double wrapped(double deg) {
  return std::remainder(deg, 360.0);
}

TEST(Interpolation, AnglesTakeTheShorterWayRound) {
  const Scene up = sceneWithKeys(R"([{"t": 0, "angle_deg": 350}, {"t": 2, "angle_deg": 10}])",
                                 R"("sigma_x": 1, "sigma_y": 4)");
  // Through 0 (= 360), not back through 180.
  EXPECT_NEAR(wrapped(valueAt(up, AnimatedField::AngleDeg, 1.0)), 0.0, 1e-9);
  EXPECT_NEAR(wrapped(valueAt(up, AnimatedField::AngleDeg, 0.5)), -5.0, 1e-9);
  EXPECT_NEAR(wrapped(valueAt(up, AnimatedField::AngleDeg, 1.5)), 5.0, 1e-9);
  EXPECT_NEAR(wrapped(valueAt(up, AnimatedField::AngleDeg, 2.0)), 10.0, 1e-9);

  const Scene down = sceneWithKeys(R"([{"t": 0, "angle_deg": 10}, {"t": 2, "angle_deg": -10}])");
  EXPECT_NEAR(valueAt(down, AnimatedField::AngleDeg, 1.0), 0.0, 1e-12);
  const Scene across =
      sceneWithKeys(R"([{"t": 0, "angle_deg": -170}, {"t": 2, "angle_deg": 170}])");
  EXPECT_NEAR(std::abs(wrapped(valueAt(across, AnimatedField::AngleDeg, 1.0))), 180.0, 1e-9);
  // Fields other than the angle do not wrap.
  const Scene x = sceneWithKeys(R"([{"t": 0, "x": 350}, {"t": 2, "x": 10}])");
  EXPECT_DOUBLE_EQ(valueAt(x, AnimatedField::X, 1.0), 180.0);
}

TEST(Interpolation, SceneAtTimeSetsEveryKeyedFieldAndKeepsTheKeys) {
  const Scene s =
      sceneWithKeys(R"([{"t": 0, "x": 0, "weight": 1}, {"t": 4, "x": 8, "weight": 3}])");
  const Scene at = sceneAtTime(s, 1.0);
  EXPECT_DOUBLE_EQ(at.kernels[0].x, 2.0);
  EXPECT_DOUBLE_EQ(at.kernels[0].weight, 1.5);
  EXPECT_DOUBLE_EQ(at.kernels[0].y, 2.0);
  EXPECT_EQ(at.kernels[0].keys, s.kernels[0].keys);
  EXPECT_TRUE(isAnimated(at));
}

TEST(Interpolation, CovKernelsAnimateTheirCentreAndWeight) {
  const Scene cov = parseScene(R"({"width": 8, "height": 8, "kernels": [{"x": 1, "y": 2,
      "cov": [[4, 1], [1, 2]], "keys": [{"t": 0, "x": 0, "weight": 1}, {"t": 2, "x": 4, "weight": 2}]}]})",
                               "test.json");
  const Scene at = sceneAtTime(cov, 1.0);
  EXPECT_DOUBLE_EQ(at.kernels[0].x, 2.0);
  EXPECT_DOUBLE_EQ(at.kernels[0].weight, 1.5);
  ASSERT_TRUE(at.kernels[0].cov);
  EXPECT_EQ(at.kernels[0].cov->xx, 4.0);
  EXPECT_EQ(at.kernels[0].cov->xy, 1.0);
  EXPECT_EQ(at.kernels[0].cov->yy, 2.0);
}

TEST(KeyValidation, KeysOutOfTimeOrderAreRejectedWithTheirPath) {
  EXPECT_THAT(errorOfKeys(R"([{"t": 2, "x": 0}, {"t": 1, "x": 4}])"),
              HasSubstr("kernels[0].keys[1].t: keys must be in increasing time (1 follows 2)"));
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "x": 0}, {"t": 1, "x": 1}, {"t": 1, "x": 4}])"),
              HasSubstr("kernels[0].keys[2].t: keys must be in increasing time"));
  EXPECT_THAT(errorOfKeys(R"([{"t": -1, "x": 0}])"), HasSubstr("kernels[0].keys[0].t: must be"));
  EXPECT_THAT(errorOfKeys(R"([{"x": 0}])"),
              HasSubstr("kernels[0].keys[0]: missing required field 't'"));
}

TEST(KeyValidation, UnknownFieldsAreRejectedWithASuggestion) {
  const std::string e = errorOfKeys(R"([{"t": 0, "wieght": 2}])");
  EXPECT_THAT(e, HasSubstr("kernels[0].keys[0].wieght: unknown key"));
  EXPECT_THAT(e, HasSubstr("did you mean 'weight'?"));
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "interpolation": "cubic"}])"),
              HasSubstr("kernels[0].keys[0].interpolation: unknown value 'cubic'"));
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "x": "3"}])"),
              HasSubstr("kernels[0].keys[0].x: must be a number (got a string)"));
}

TEST(KeyValidation, InfiniteValuesAreRejected) {
  // nlohmann refuses 1e999 while parsing, before any path is known: the message quotes the
  // number instead.
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "x": 1e999}])"),
              HasSubstr("JSON number overflow parsing '1e999' (numbers must be finite)"));
  EXPECT_THAT(errorOfKeys(R"([{"t": 0}, {"t": 1, "weight": -1e999}])"),
              HasSubstr("'-1e999' (numbers must be finite)"));
}

TEST(KeyValidation, NonFiniteValuesBuiltInCodeAreRejected) {
  Scene s = sceneWithKeys(R"([{"t": 0, "x": 0}, {"t": 1, "x": 2}])");
  s.kernels[0].keys[1][AnimatedField::Y] = std::nan("");
  try {
    validateScene(s);
    FAIL() << "a NaN key value was accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("kernels[0].keys[1].y: must be a finite number"));
  }
}

TEST(KeyValidation, SigmaAtOrBelowZeroInAKeyIsRejected) {
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "x": 0}, {"t": 1, "sigma": 0}])"),
              HasSubstr("kernels[0].keys[1].sigma_x: must be > 0 (got 0)"));
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "sigma_y": -2}])"),
              HasSubstr("kernels[0].keys[0].sigma_y: must be > 0 (got -2)"));
}

TEST(KeyValidation, CovKernelsCannotAnimateSigmaOrAngle) {
  const std::string cov = R"("cov": [[4, 1], [1, 2]])";
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "x": 0}, {"t": 1, "sigma": 2}])", cov),
              HasSubstr("kernels[0].keys[1].sigma_x: a kernel given by 'cov' can animate only x, "
                        "y and weight"));
  EXPECT_THAT(errorOfKeys(R"([{"t": 0, "angle_deg": 30}])", cov),
              HasSubstr("kernels[0].keys[0].angle_deg: a kernel given by 'cov'"));
  EXPECT_EQ(errorOfKeys(R"([{"t": 0, "x": 0, "y": 1, "weight": 0.5}])", cov), "(accepted)");
}

TEST(KeyValidation, UnionPeakAboveOneIsCaughtAtThatKeysTime) {
  // Peak normalisation: the peak is the weight. Fine at t = 0, 1.5 at t = 2.
  const std::string e = errorOfKeys(R"([{"t": 0, "weight": 0.5}, {"t": 2, "weight": 1.5}])",
                                    R"("sigma": 1)", R"("combine": "union", "normalize": "peak",)");
  EXPECT_THAT(e, HasSubstr("at time 2: kernels[0]: combine 'union' needs every kernel's largest "
                           "value in [0, 1], but this kernel's is 1.5"));
  EXPECT_EQ(errorOfKeys(R"([{"t": 0, "weight": 0.5}, {"t": 2, "weight": 1}])", R"("sigma": 1)",
                        R"("combine": "union", "normalize": "peak",)"),
            "(accepted)");
  // Sum takes any weight.
  EXPECT_EQ(errorOfKeys(R"([{"t": 0, "weight": 0.5}, {"t": 2, "weight": 1.5}])", R"("sigma": 1)",
                        R"("combine": "sum", "normalize": "peak",)"),
            "(accepted)");
}

TEST(KeyValidation, UnionPeakAboveOneBetweenKeysIsCaught) {
  // pdf peak = w / (2 pi sx sy): 0 at t = 0, 628 / (200 pi) = 0.9995 at t = 1, but at t = 0.5
  // the weight is 314 and sigma 5.5: 314 / (2 pi 30.25) = 1.652.
  const std::string e =
      errorOfKeys(R"([{"t": 0, "weight": 0, "sigma": 1}, {"t": 1, "weight": 628, "sigma": 10}])",
                  R"("sigma": 10, "weight": 0)", R"("combine": "union", "normalize": "pdf",)");
  EXPECT_THAT(
      e, HasSubstr("kernels[0]: combine 'union' needs every kernel's largest value in [0, 1]"));
  EXPECT_THAT(e, HasSubstr("at time 0."));
  // With weight 200 the peak 200 u / (2 pi (1 + 9u)^2) is largest at u = 1/9: 0.884.
  EXPECT_EQ(
      errorOfKeys(R"([{"t": 0, "weight": 0, "sigma": 1}, {"t": 1, "weight": 200, "sigma": 10}])",
                  R"("sigma": 10, "weight": 0)", R"("combine": "union", "normalize": "pdf",)"),
      "(accepted)");
}

TEST(KeyValidation, DurationAndFpsMustBeSane) {
  const std::string keys = R"([{"t": 0, "x": 0}])";
  EXPECT_THAT(errorOfKeys(keys, R"("sigma": 1)", R"("fps": 0,)"),
              HasSubstr("fps: must be within [0.001, 1000] (got 0)"));
  // Positive but so slow that a recording would have no frame: refused before any work.
  EXPECT_THAT(errorOfKeys(keys, R"("sigma": 1)", R"("fps": 1e-300,)"),
              HasSubstr("fps: must be within [0.001, 1000] (got 1e-300)"));
  EXPECT_EQ(errorOfKeys(keys, R"("sigma": 1)", R"("fps": 0.001,)"), "(accepted)");
  EXPECT_THAT(errorOfKeys(keys, R"("sigma": 1)", R"("fps": 5000,)"),
              HasSubstr("fps: must be within"));
  EXPECT_THAT(errorOfKeys(keys, R"("sigma": 1)", R"("duration": -1,)"),
              HasSubstr("duration: must be a finite number >= 0"));
  EXPECT_THAT(errorOfKeys(keys, R"("sigma": 1)", R"("duration": "4",)"),
              HasSubstr("duration: must be a number"));
}

TEST(SceneFile, KeysDurationAndFpsSurviveARoundTrip) {
  const Scene s = parseScene(R"({"width": 16, "height": 12, "duration": 6.5, "fps": 24,
      "kernels": [
        {"x": 1, "y": 2, "sigma": 1.5, "keys": [
          {"t": 0, "x": 0.1, "interpolation": "smooth"},
          {"t": 0.75, "sigma_x": 2.25, "angle_deg": -30, "interpolation": "step"},
          {"t": 3, "y": 7, "weight": 0.3333333333333333}]},
        {"x": 5, "y": 5, "cov": [[2, 0.5], [0.5, 1]], "keys": [{"t": 1, "x": 6}]},
        {"x": 3, "y": 3, "sigma": 1}]})",
                             "round_trip.json");
  const Scene back = parseScene(sceneToJson(s), "written.json");
  EXPECT_EQ(back.duration, std::optional<double>(6.5));
  EXPECT_EQ(back.fps, std::optional<double>(24));
  ASSERT_EQ(back.kernels.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(back.kernels[i].keys, s.kernels[i].keys) << i;
  EXPECT_EQ(back.kernels[0].keys[0].interpolation, Interpolation::Smooth);
  EXPECT_EQ(back.kernels[0].keys[1].interpolation, Interpolation::Step);
  EXPECT_EQ(back.kernels[0].keys[2].interpolation, Interpolation::Linear);
  EXPECT_EQ(back.kernels[0].keys[1][AnimatedField::SigmaX], 2.25);
  EXPECT_FALSE(back.kernels[0].keys[1][AnimatedField::SigmaY]);
  EXPECT_TRUE(back.kernels[2].keys.empty());
  // A still scene writes none of them.
  const std::string still =
      sceneToJson(parseScene(R"({"width": 4, "height": 4, "kernels": []})", "s"));
  EXPECT_THAT(still, Not(HasSubstr("keys")));
  EXPECT_THAT(still, Not(HasSubstr("duration")));
  EXPECT_THAT(still, Not(HasSubstr("fps")));
}

TEST(SceneFile, SweepExampleIsAnimatedForFourSecondsAtThirtyFps) {
  const Scene s = loadScene(kSource + "/scenes/sweep.json");
  EXPECT_TRUE(isAnimated(s));
  EXPECT_EQ(animationDuration(s), 4.0);
  EXPECT_EQ(animationFps(s), 30.0);
}

TEST(Duration, TheScenesDurationWinsOverItsLastKey) {
  EXPECT_EQ(animationDuration(sceneWithKeys(R"([{"t": 0, "x": 0}, {"t": 2.5, "x": 1}])")), 2.5);
  EXPECT_EQ(animationDuration(sceneWithKeys(R"([{"t": 0, "x": 0}, {"t": 2.5, "x": 1}])",
                                            R"("sigma": 1)", R"("duration": 10,)")),
            10.0);
  EXPECT_EQ(animationDuration(sceneWithKeys(R"([{"t": 0, "x": 0}, {"t": 2.5, "x": 1}])",
                                            R"("sigma": 1)", R"("duration": 1,)")),
            1.0);
  // The last key over all kernels.
  const Scene two = parseScene(R"({"width": 4, "height": 4, "kernels": [
      {"x": 0, "y": 0, "sigma": 1, "keys": [{"t": 0, "x": 1}, {"t": 7, "x": 2}]},
      {"x": 0, "y": 0, "sigma": 1, "keys": [{"t": 3, "x": 1}]}]})",
                               "two.json");
  EXPECT_EQ(animationDuration(two), 7.0);
  const Scene still =
      parseScene(R"({"width": 4, "height": 4, "kernels": [{"x": 0, "y": 0, "sigma": 1}]})", "s");
  EXPECT_FALSE(isAnimated(still));
  EXPECT_EQ(animationDuration(still), 0.0);
  EXPECT_EQ(animationFps(still), 30.0);
}

// Recording plans need an existing folder for their output.
class RecordPlanTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = ::gaussmap::testing::makeTempFolder("plan"); }
  void TearDown() override { fs::remove_all(dir_); }
  std::string frames() const { return (dir_ / "f_%05d.png").string(); }

  fs::path dir_;
};

std::string planError(const Scene& s, const std::string& out, std::optional<double> fps,
                      std::optional<int> frames, std::optional<double> duration) {
  try {
    planRecording(s, out, fps, frames, duration);
  } catch (const InputError& e) {
    return e.what();
  }
  return "(planned)";
}

TEST_F(RecordPlanTest, FourSecondsAtThirtyFpsAreOneHundredTwentyFrames) {
  const Scene sweep = loadScene(kSource + "/scenes/sweep.json");
  const RecordPlan plan = planRecording(sweep, frames(), {}, {}, {});
  EXPECT_EQ(plan.frames, 120);
  EXPECT_EQ(plan.fps, 30.0);
  EXPECT_EQ(plan.output, frames());
  EXPECT_EQ(planRecording(sweep, frames(), 24.0, {}, {}).frames, 96);
  EXPECT_EQ(planRecording(sweep, frames(), 12.5, {}, {}).frames, 50);
  // Not a whole number of frames: the last frame shown starts before the end.
  EXPECT_EQ(planRecording(sweep, frames(), 10.0, {}, 0.25).frames, 3);
}

TEST_F(RecordPlanTest, FramesWinOverTheScenesDuration) {
  const Scene sweep = loadScene(kSource + "/scenes/sweep.json");
  EXPECT_EQ(planRecording(sweep, frames(), {}, 7, {}).frames, 7);
  EXPECT_EQ(planRecording(sweep, frames(), 60.0, 1, {}).frames, 1);
}

TEST_F(RecordPlanTest, DurationGivesSecondsTimesFps) {
  const Scene sweep = loadScene(kSource + "/scenes/sweep.json");
  EXPECT_EQ(planRecording(sweep, frames(), {}, {}, 1.5).frames, 45);
  EXPECT_EQ(planRecording(sweep, frames(), 10.0, {}, 1.5).frames, 15);
  // A still scene records what it is told to.
  const Scene still =
      parseScene(R"({"width": 4, "height": 4, "kernels": [{"x": 0, "y": 0, "sigma": 1}]})", "s");
  EXPECT_EQ(planRecording(still, frames(), {}, {}, 2.0).frames, 60);
  EXPECT_EQ(planRecording(still, frames(), {}, 5, {}).frames, 5);
}

TEST_F(RecordPlanTest, NothingToRecordIsAnInputError) {
  const Scene still =
      parseScene(R"({"width": 4, "height": 4, "kernels": [{"x": 0, "y": 0, "sigma": 1}]})", "s");
  EXPECT_THAT(planError(still, frames(), {}, {}, {}), HasSubstr("nothing to record"));
  // Keys all at t = 0 last no time either.
  EXPECT_THAT(planError(sceneWithKeys(R"([{"t": 0, "x": 3}])"), frames(), {}, {}, {}),
              HasSubstr("nothing to record"));
}

TEST_F(RecordPlanTest, BadCountsAreInputErrors) {
  const Scene sweep = loadScene(kSource + "/scenes/sweep.json");
  EXPECT_THAT(planError(sweep, frames(), {}, 0, {}), HasSubstr("--frames: must be at least 1"));
  EXPECT_THAT(planError(sweep, frames(), {}, 3, 1.0), HasSubstr("either --frames or --duration"));
  EXPECT_THAT(planError(sweep, frames(), {}, {}, -1.0), HasSubstr("--duration: must be > 0"));
  EXPECT_THAT(planError(sweep, frames(), 0.0, {}, {}),
              HasSubstr("--fps 0: must be within [0.001, 1000] frames per second"));
  EXPECT_THAT(planError(sweep, frames(), std::nan(""), {}, {}), HasSubstr("--fps"));
}

TEST_F(RecordPlanTest, BadOutputNamesAreInputErrors) {
  const Scene sweep = loadScene(kSource + "/scenes/sweep.json");
  const std::string two = (dir_ / "f_%d_%d.png").string();
  EXPECT_THAT(planError(sweep, two, {}, {}, {}),
              HasSubstr("(a frame pattern holds exactly one %d"));
  EXPECT_THAT(planError(sweep, two, {}, {}, {}), HasSubstr(": a second conversion at character"));
  EXPECT_THAT(planError(sweep, (dir_ / "f_%s.png").string(), {}, {}, {}),
              HasSubstr("is not a %d conversion (a frame pattern holds exactly one %d"));
  EXPECT_THAT(planError(sweep, (dir_ / "f_%05d.jpg").string(), {}, {}, {}),
              HasSubstr("frame sequences are PNG files"));
  EXPECT_THAT(planError(sweep, (dir_ / "movie.avi").string(), {}, {}, {}),
              HasSubstr("expected a video (.mp4, .webm, .gif) or a PNG frame pattern"));
  EXPECT_THAT(planError(sweep, (dir_ / "frame.png").string(), {}, {}, {}),
              HasSubstr("expected a video"));
  EXPECT_EQ(sinkKindOf("a/b.MP4"), SinkKind::Mp4);
  EXPECT_EQ(sinkKindOf("a.webm"), SinkKind::Webm);
  EXPECT_EQ(sinkKindOf("a.gif"), SinkKind::Gif);
  EXPECT_EQ(sinkKindOf("100%%/f_%03d.png"), SinkKind::PngSequence);
}

TEST_F(RecordPlanTest, AMissingFolderPassesAndIsCreatedOnlyWhenAFrameIsWritten) {
  const Scene sweep = loadScene(kSource + "/scenes/sweep.json");
  EXPECT_NO_THROW(planRecording(sweep, (dir_ / "no/f_%03d.png").string(), {}, {}, {}));
  EXPECT_FALSE(std::filesystem::exists(dir_ / "no"));  // planning creates nothing
}

TEST_F(RecordPlanTest, AFileWhereTheFramesFolderShouldBeFailsBeforeAnyWork) {
  const Scene sweep = loadScene(kSource + "/scenes/sweep.json");
  std::ofstream(dir_ / "file") << "a file";
  EXPECT_THROW(planRecording(sweep, (dir_ / "file/f_%03d.png").string(), {}, {}, {}), InputError);
}

TEST(FramePath, NumbersFramesByThePattern) {
  EXPECT_EQ(framePath("out/f_%05d.png", 7), "out/f_00007.png");
  EXPECT_EQ(framePath("f%d.png", 123456), "f123456.png");
  EXPECT_EQ(framePath("100%%/f_%03d.png", 4), "100%/f_004.png");
  // However wide the padding, each frame gets its own name.
  const std::string wide = framePath("f_%0100d.png", 42);
  EXPECT_EQ(wide.size(), 106u);
  EXPECT_EQ(wide.substr(wide.size() - 6), "42.png");
}

TEST(SetKeyAt, InsertsKeysInTimeOrder) {
  Kernel k;
  k.x = 1;
  setKeyAt(k, 2.0);
  k.x = 5;
  setKeyAt(k, 0.5, Interpolation::Smooth);
  k.x = 9;
  k.weight = 0.5;
  setKeyAt(k, 1.0);
  ASSERT_EQ(k.keys.size(), 3u);
  EXPECT_EQ(k.keys[0].t, 0.5);
  EXPECT_EQ(k.keys[1].t, 1.0);
  EXPECT_EQ(k.keys[2].t, 2.0);
  EXPECT_EQ(k.keys[0][AnimatedField::X], 5.0);
  EXPECT_EQ(k.keys[1][AnimatedField::X], 9.0);
  EXPECT_EQ(k.keys[2][AnimatedField::X], 1.0);
  EXPECT_EQ(k.keys[0].interpolation, Interpolation::Smooth);
  // Every field is held at the kernel's values then.
  for (int f = 0; f < kAnimatedFieldCount; ++f)
    EXPECT_EQ(k.keys[1].values[std::size_t(f)], k.field(AnimatedField(f))) << f;
  EXPECT_DOUBLE_EQ(animatedValue(k, AnimatedField::X, 0.75), 7.0);  // smooth, halfway
}

TEST(SetKeyAt, ReplacesTheKeyAtTheSameTimeKeepingItsInterpolation) {
  Kernel k;
  k.x = 1;
  setKeyAt(k, 0.0);
  setKeyAt(k, 1.0, Interpolation::Step);
  k.x = 4;
  k.sigma_y = 3;
  setKeyAt(k, 1.0);
  ASSERT_EQ(k.keys.size(), 2u);
  EXPECT_EQ(k.keys[1].t, 1.0);
  EXPECT_EQ(k.keys[1][AnimatedField::X], 4.0);
  EXPECT_EQ(k.keys[1][AnimatedField::SigmaY], 3.0);
  EXPECT_EQ(k.keys[1].interpolation, Interpolation::Step);
  EXPECT_EQ(k.keys[0][AnimatedField::X], 1.0);
}

TEST(SetKeyAt, CovKernelsKeyOnlyTheirCentreAndWeight) {
  Kernel k;
  k.setCovariance({4, 1, 2});
  k.x = 3;
  setKeyAt(k, 1.0);
  ASSERT_EQ(k.keys.size(), 1u);
  EXPECT_EQ(k.keys[0][AnimatedField::X], 3.0);
  EXPECT_TRUE(k.keys[0][AnimatedField::Y]);
  EXPECT_TRUE(k.keys[0][AnimatedField::Weight]);
  EXPECT_FALSE(k.keys[0][AnimatedField::SigmaX]);
  EXPECT_FALSE(k.keys[0][AnimatedField::SigmaY]);
  EXPECT_FALSE(k.keys[0][AnimatedField::AngleDeg]);
  // And the scene it is in still validates.
  Scene s;
  s.width = s.height = 4;
  s.kernels = {k};
  EXPECT_NO_THROW(validateScene(s));
}

}  // namespace
}  // namespace gaussmap
