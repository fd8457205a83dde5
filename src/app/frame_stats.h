#pragma once
// The viewer's per-frame timings (`gaussmap view --frame-stats FILE.json`): what each stage of
// the main loop took, frame by frame, and their medians. No window: unit-tested. Header-only.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <time.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace gaussmap::app {

// The main loop's stages, in order. With frame stats on, the loop waits for the GL work of a
// stage before timing the next (Context::finish), so a stage's figure includes what the driver
// did for it (on llvmpipe, the rasterising), not only the calls that queued it.
enum class FrameStage {
  Events,        // glfwPollEvents / glfwWaitEvents
  Ui,            // the NewFrame calls, the panels, the mouse, and the canvas's draw lists
  CanvasValues,  // the canvas's values (a render on the canvas backend, and its upload)
  CanvasColour,  // the colour range and the GPU colormap pass into the canvas texture
  Draw,          // ImGui::Render, clear and ImGui's draw data into the back buffer
  Swap,          // glfwSwapBuffers (present)
};
inline constexpr int kFrameStageCount = 6;
std::string_view toString(FrameStage stage);

struct FrameTiming {
  std::array<double, kFrameStageCount> stage_ms{};
  double total_ms = 0;
  // CPU time of the whole process (every thread: llvmpipe's rasterisers too) during the frame:
  // steadier than wall time on a machine shared with other work.
  double cpu_ms = 0;
  bool canvas_rendered = false;  // the canvas's values were rendered in this frame
};

// The medians over the frames after the warm-up (the first frames compile shaders and size
// textures): the first quarter, at most 5 frames, is left out.
struct FrameSummary {
  int frames = 0;  // frames counted (after the warm-up)
  std::array<double, kFrameStageCount> stage_ms{};
  double total_ms = 0;
  double cpu_ms = 0;
  double fps = 0;  // 1000 / the median total
  int canvas_renders = 0;
};

class FrameStats {
 public:
  using Clock = std::chrono::steady_clock;
  // Starts a frame: the next lap is measured from now.
  void beginFrame(Clock::time_point now = Clock::now(), double cpu_ms = processCpuMs());
  // Adds the time since the last lap (or the frame's start) to `stage`.
  void lap(FrameStage stage, Clock::time_point now = Clock::now());
  void markCanvasRendered() { current_.canvas_rendered = true; }
  // Ends the frame: its total is the time since beginFrame.
  void endFrame(Clock::time_point now = Clock::now(), double cpu_ms = processCpuMs());
  // The process's CPU time so far (CLOCK_PROCESS_CPUTIME_ID), in ms.
  static double processCpuMs();

  const std::vector<FrameTiming>& frames() const { return frames_; }
  FrameSummary summary() const;

 private:
  std::vector<FrameTiming> frames_;
  FrameTiming current_;
  Clock::time_point frame_start_{}, last_lap_{};
  double frame_start_cpu_ms_ = 0;
};

// The median of `values` (the mean of the middle two for an even count; 0 for none).
double median(std::vector<double> values);

// What the run was, for the JSON's header.
struct FrameStatsRun {
  std::string scene;  // the scene file, or "" for a new scene
  int canvas_width = 0, canvas_height = 0;
  int window_width = 0, window_height = 0;
  bool playing = false;        // --play
  std::string canvas_backend;  // "gl" or "cpu", and why
  std::string canvas_backend_reason;
  std::string gl_renderer;  // GL_RENDERER
};

// {"run": {...}, "median": {stage: ms, ..., "total_ms", "fps"}, "frames": [{...}, ...]}
std::string frameStatsJson(const FrameStatsRun& run, const FrameStats& stats);

// --- implementation ---

inline std::string_view toString(FrameStage stage) {
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

namespace frame_stats_detail {

inline double msBetween(FrameStats::Clock::time_point a, FrameStats::Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

}  // namespace frame_stats_detail

inline double FrameStats::processCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

inline void FrameStats::beginFrame(Clock::time_point now, double cpu_ms) {
  current_ = FrameTiming{};
  frame_start_ = last_lap_ = now;
  frame_start_cpu_ms_ = cpu_ms;
}

inline void FrameStats::lap(FrameStage stage, Clock::time_point now) {
  current_.stage_ms[std::size_t(stage)] += frame_stats_detail::msBetween(last_lap_, now);
  last_lap_ = now;
}

inline void FrameStats::endFrame(Clock::time_point now, double cpu_ms) {
  current_.total_ms = frame_stats_detail::msBetween(frame_start_, now);
  current_.cpu_ms = cpu_ms - frame_start_cpu_ms_;
  frames_.push_back(current_);
}

inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  const std::size_t mid = values.size() / 2;
  std::nth_element(values.begin(), values.begin() + mid, values.end());
  if (values.size() % 2) return values[mid];
  const double upper = values[mid];
  return 0.5 * (*std::max_element(values.begin(), values.begin() + mid) + upper);
}

inline FrameSummary FrameStats::summary() const {
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

inline std::string frameStatsJson(const FrameStatsRun& run, const FrameStats& stats) {
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
