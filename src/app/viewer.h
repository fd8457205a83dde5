#pragma once
// gaussmap view: the live viewer and editor (GLFW window, Dear ImGui, the GL heat-map renderer).
#include <optional>
#include <string>

namespace gaussmap::app {

struct ViewerOptions {
  std::string scene_path;   // scene to open; empty = a new scene with one kernel
  int window_width = 1280;  // --size (default 1280x800)
  int window_height = 800;
  std::optional<int> frames;  // --frames N: quit after N frames (no waiting for events)
  std::string screenshot;     // --screenshot FILE.png: the whole window before quitting
  std::string canvas_shot;    // --canvas-shot FILE.png: the canvas's heat map only
  std::string record_to;      // --record-to OUT: preset the Record panel's output
  bool play = false;          // --play: start with the animation playing
  std::string frame_stats;    // --frame-stats FILE.json: per-frame timings, written when quitting
};

// Runs until the window closes; returns the exit code. Throws RuntimeError without a display.
int runViewer(const ViewerOptions& options);

// Layout (window pixels): the side panel on the left, then the canvas with room for the y-axis
// labels, the x-axis labels below and the colour bar on the right. The e2e tests use these.
inline constexpr float kPanelWidth = 340.0f;
inline constexpr float kAxisLeft = 56.0f;
inline constexpr float kAxisBottom = 28.0f;
inline constexpr float kCanvasTop = 8.0f;
inline constexpr float kColourBarWidth = 110.0f;

}  // namespace gaussmap::app
