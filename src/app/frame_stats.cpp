#include "app/frame_stats.h"

#include <time.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gaussmap::app {

std::string_view toString(FrameStage stage) {
  switch (stage) {
    case FrameStage::Events:
      return "events_ms";
    case FrameStage::Ui:
      return "ui_ms";
    case FrameStage::CanvasValues:
      return "canvas_values_ms";
    case FrameStage::CanvasColour:
      return "canvas_colour_ms";
    case FrameStage::Draw:
      return "draw_ms";
    case FrameStage::Swap:
      return "swap_ms";
  }
  return "?";
}

namespace {

double msBetween(FrameStats::Clock::time_point a, FrameStats::Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace

double FrameStats::processCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

void FrameStats::beginFrame(Clock::time_point now, double cpu_ms) {
  current_ = FrameTiming{};
  frame_start_ = last_lap_ = now;
  frame_start_cpu_ms_ = cpu_ms;
}

void FrameStats::lap(FrameStage stage, Clock::time_point now) {
  current_.stage_ms[std::size_t(stage)] += msBetween(last_lap_, now);
  last_lap_ = now;
}

void FrameStats::endFrame(Clock::time_point now, double cpu_ms) {
  current_.total_ms = msBetween(frame_start_, now);
  current_.cpu_ms = cpu_ms - frame_start_cpu_ms_;
  frames_.push_back(current_);
}

double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2) return values[mid];
  const double upper = values[mid];
  return 0.5 * (*std::max_element(values.begin(), values.begin() + mid) + upper);
}

FrameSummary FrameStats::summary() const {
  FrameSummary s;
  const std::size_t skip = std::min<std::size_t>(5, frames_.size() / 4);
  s.frames = int(frames_.size() - skip);
  std::vector<double> column;
  const auto medianOf = [&](auto field) {
    column.clear();
    for (std::size_t f = skip; f < frames_.size(); ++f) column.push_back(field(frames_[f]));
    return median(column);
  };
  for (int k = 0; k < kFrameStageCount; ++k)
    s.stage_ms[k] = medianOf([k](const FrameTiming& t) { return t.stage_ms[k]; });
  s.total_ms = medianOf([](const FrameTiming& t) { return t.total_ms; });
  s.cpu_ms = medianOf([](const FrameTiming& t) { return t.cpu_ms; });
  s.fps = s.total_ms > 0 ? 1000.0 / s.total_ms : 0;
  for (std::size_t f = skip; f < frames_.size(); ++f)
    s.canvas_renders += frames_[f].canvas_rendered;
  return s;
}

std::string frameStatsJson(const FrameStatsRun& run, const FrameStats& stats) {
  nlohmann::ordered_json j;
  auto& r = j["run"];
  r["scene"] = run.scene;
  r["canvas"] = {run.canvas_width, run.canvas_height};
  r["window"] = {run.window_width, run.window_height};
  r["playing"] = run.playing;
  r["canvas_backend"] = run.canvas_backend;
  r["canvas_backend_reason"] = run.canvas_backend_reason;
  r["gl_renderer"] = run.gl_renderer;
  const FrameSummary s = stats.summary();
  auto& m = j["median"];
  m["frames"] = s.frames;
  m["canvas_renders"] = s.canvas_renders;
  for (int k = 0; k < kFrameStageCount; ++k)
    m[std::string(toString(FrameStage(k)))] = s.stage_ms[k];
  m["total_ms"] = s.total_ms;
  m["cpu_ms"] = s.cpu_ms;
  m["fps"] = s.fps;
  auto& frames = j["frames"];
  frames = nlohmann::ordered_json::array();
  for (const FrameTiming& t : stats.frames()) {
    nlohmann::ordered_json f;
    for (int k = 0; k < kFrameStageCount; ++k)
      f[std::string(toString(FrameStage(k)))] = t.stage_ms[k];
    f["total_ms"] = t.total_ms;
    f["cpu_ms"] = t.cpu_ms;
    f["canvas_rendered"] = t.canvas_rendered;
    frames.push_back(std::move(f));
  }
  return j.dump(1) + "\n";
}

}  // namespace gaussmap::app
