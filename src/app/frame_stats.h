#pragma once
// The viewer's per-frame timings (`gaussmap view --frame-stats FILE.json`): what each stage of
// the main loop took, frame by frame, and their medians. No window: unit-tested.
#include <array>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

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

}  // namespace gaussmap::app
