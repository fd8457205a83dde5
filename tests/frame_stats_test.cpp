// The viewer's frame timings (--frame-stats): laps charged to their stages, medians after the
// warm-up, and the JSON the viewer benchmark reads.
#include "app/frame_stats.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace gaussmap::app {
namespace {

using Clock = FrameStats::Clock;
using std::chrono::microseconds;

// One frame whose stages took the given milliseconds (in FrameStage order), starting at `t`.
Clock::time_point addFrame(FrameStats& stats, Clock::time_point t,
                           std::array<double, kFrameStageCount> ms, bool rendered = false) {
  stats.beginFrame(t, 100.0);
  double total = 0;
  for (int k = 0; k < kFrameStageCount; ++k) {
    t += microseconds(std::int64_t(ms[k] * 1000));
    stats.lap(FrameStage(k), t);
    total += ms[k];
  }
  if (rendered) stats.markCanvasRendered();
  stats.endFrame(t, 100.0 + 1.5 * total);  // 1.5 cores busy
  return t;
}

TEST(FrameStats, LapsAreChargedToTheirStagesAndAddUpToTheFrame) {
  FrameStats stats;
  Clock::time_point t{};
  stats.beginFrame(t, 0);
  stats.lap(FrameStage::Events, t + microseconds(1000));
  stats.lap(FrameStage::Ui, t + microseconds(3000));
  stats.lap(FrameStage::CanvasValues, t + microseconds(7000));
  stats.lap(FrameStage::Ui, t + microseconds(7500));  // a stage lapped twice adds up
  stats.lap(FrameStage::Draw, t + microseconds(9000));
  stats.endFrame(t + microseconds(9000), 12);
  ASSERT_EQ(stats.frames().size(), 1u);
  const FrameTiming& f = stats.frames()[0];
  EXPECT_DOUBLE_EQ(f.stage_ms[int(FrameStage::Events)], 1.0);
  EXPECT_DOUBLE_EQ(f.stage_ms[int(FrameStage::Ui)], 2.5);
  EXPECT_DOUBLE_EQ(f.stage_ms[int(FrameStage::CanvasValues)], 4.0);
  EXPECT_DOUBLE_EQ(f.stage_ms[int(FrameStage::CanvasColour)], 0.0);
  EXPECT_DOUBLE_EQ(f.stage_ms[int(FrameStage::Draw)], 1.5);
  EXPECT_DOUBLE_EQ(f.total_ms, 9.0);
  EXPECT_DOUBLE_EQ(f.cpu_ms, 12.0);
  EXPECT_FALSE(f.canvas_rendered);
}

TEST(FrameStats, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(median({}), 0.0);
  EXPECT_DOUBLE_EQ(median({3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(median({4, 1, 3, 2}), 2.5);
}

TEST(FrameStats, SummaryLeavesOutTheWarmUpFrames) {
  FrameStats stats;
  Clock::time_point t{};
  // 20 frames: the first 5 (a quarter) are slow warm-up frames and do not count.
  for (int f = 0; f < 5; ++f) t = addFrame(stats, t, {100, 100, 100, 100, 100, 100}, true);
  for (int f = 0; f < 15; ++f)
    t = addFrame(stats, t, {1, 2, f % 2 ? 8.0 : 0.0, f % 2 ? 1.0 : 0.0, 3, 4}, f % 2);
  const FrameSummary s = stats.summary();
  EXPECT_EQ(s.frames, 15);
  EXPECT_EQ(s.canvas_renders, 7);
  EXPECT_DOUBLE_EQ(s.stage_ms[int(FrameStage::Events)], 1.0);
  EXPECT_DOUBLE_EQ(s.stage_ms[int(FrameStage::CanvasValues)], 0.0);  // 8 of 15 frames render none
  EXPECT_DOUBLE_EQ(s.total_ms, 10.0);
  EXPECT_DOUBLE_EQ(s.cpu_ms, 15.0);
  EXPECT_DOUBLE_EQ(s.fps, 100.0);
}

TEST(FrameStats, JsonHasTheRunTheMediansAndEveryFrame) {
  FrameStats stats;
  Clock::time_point t{};
  for (int f = 0; f < 4; ++f) t = addFrame(stats, t, {1, 2, 3, 4, 5, 5}, true);
  FrameStatsRun run;
  run.scene = "bench/W4_many.json";
  run.canvas_width = 1280;
  run.canvas_height = 720;
  run.playing = true;
  run.canvas_backend = "cpu";
  const auto j = nlohmann::json::parse(frameStatsJson(run, stats));
  EXPECT_EQ(j["run"]["canvas"], nlohmann::json({1280, 720}));
  EXPECT_EQ(j["run"]["canvas_backend"], "cpu");
  EXPECT_TRUE(j["run"]["playing"].get<bool>());
  EXPECT_EQ(j["frames"].size(), 4u);
  EXPECT_EQ(j["median"]["frames"], 3);  // a quarter of 4 is the warm-up
  EXPECT_DOUBLE_EQ(j["median"]["canvas_values_ms"].get<double>(), 3.0);
  EXPECT_DOUBLE_EQ(j["median"]["total_ms"].get<double>(), 20.0);
  EXPECT_DOUBLE_EQ(j["median"]["fps"].get<double>(), 50.0);
  EXPECT_DOUBLE_EQ(j["median"]["cpu_ms"].get<double>(), 30.0);
  EXPECT_TRUE(j["frames"][0]["canvas_rendered"].get<bool>());
}

}  // namespace
}  // namespace gaussmap::app
