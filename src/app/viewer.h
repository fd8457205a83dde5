#pragma once
// gaussmap view: the live viewer and editor (GLFW window, Dear ImGui, the GL heat-map renderer).
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/renderer.h"

#include "gaussmap/options.h"

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
  // --backend: what renders the canvas's values. auto (default): cpu where the window's OpenGL
  // is a software rasterizer (llvmpipe, ...), gl on a GPU (gl::chooseAutoBackend's rule).
  Backend canvas_backend = Backend::Auto;
  // Makes the cpu backend for the canvas (the CLI passes the backend registry's, so the viewer
  // needs no link to it); without it the canvas stays on GL.
  std::function<std::unique_ptr<Renderer>()> make_cpu_renderer;
  std::string frame_stats;  // --frame-stats FILE.json: per-frame timings, written when quitting
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
// The colour bar: 14 pixels right of the canvas, 18 wide; its ticks are 4 pixels long and its
// labels start 6 pixels after a tick's end, so a tick never reads as a minus sign.
inline constexpr float kColourBarGap = 14.0f;
inline constexpr float kColourBarBarWidth = 18.0f;
inline constexpr float kColourBarTick = 4.0f;
inline constexpr float kColourBarLabelGap = 6.0f;
// The status line at the bottom of the window, under the x-axis labels: where messages and
// errors (a refused edit, a file that would not open) appear, in view wherever the user looks.
inline constexpr float kStatusLineHeight = 22.0f;
// Kernel markers (a cross per kernel) are drawn by default up to this many kernels.
inline constexpr int kMarkerLimit = 256;

}  // namespace gaussmap::app
