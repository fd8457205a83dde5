#pragma once
// The viewer's state, shared by viewer.cpp (loop, files, shortcuts), canvas.cpp (the heat map and
// the mouse) and panels.cpp (the side panel). One struct, passed explicitly; no globals.
#include <chrono>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "app/clicks.h"
#include "app/document.h"
#include "app/edit_commands.h"
#include "app/file_list.h"
#include "app/frame_stats.h"
#include "app/verify_result.h"
#include "app/view_transform.h"
#include "app/viewer.h"
#include "gaussmap/colormap.h"
#include "gl/gl_backend.h"
#include "gl/heatmap_renderer.h"
#include "gl/imgui_glue.h"
#include "gl/window_context.h"
#include "media/recording.h"

namespace gaussmap::app {

struct CanvasImage {
  FloatImage values;     // the visible region at canvas resolution
  ValueMapping mapping;  // its colour mapping (auto range from these values)
  Scene scene;           // the scene as rendered (extent = the visible region)
  std::uint64_t revision = ~std::uint64_t{0};
  Extent extent{};
  int width = 0, height = 0;  // the rendered samples
  // The canvas pixels the image covers: more than width x height when the canvas is larger than
  // the GL context's largest render target (the image is then drawn scaled up).
  int shown_width = 0, shown_height = 0;
  double gpu_ms = -1;
};

struct DragState {
  HandleKind handle = HandleKind::None;
  int kernel = -1;
  Vec2 last_scene;
  Vec2 grab_offset;  // the kernel's centre minus the mouse's scene point when grabbed
  std::string merge_key;
};

// Where the canvas's automatic colour range comes from (a scene with a fixed range uses that).
enum class CanvasRange {
  Scene,  // the whole scene as `render` and `record` colour it: locked while zooming and playing
  View,   // the visible region at the current time: follows the view
};

struct LockedRange {
  std::uint64_t scene_revision = ~std::uint64_t{0};  // of the animated scene it was found for
  ValueMapping mapping;
};

struct ViewerState {
  ViewerOptions options;
  gl::WindowContext* window = nullptr;
  gl::HeatmapRenderer* renderer = nullptr;
  Document doc;
  ViewTransform view;
  bool view_fitted = false;
  CanvasImage canvas;
  DragState drag;
  int drag_counter = 0;
  GlPath gl_path = GlPath::Auto;
  // The canvas's values: on the cpu backend (set) or the window's GL renderer (null).
  std::unique_ptr<Renderer> canvas_cpu;
  std::string canvas_backend_reason;
  // Kernel markers: shown when set, else when the scene has at most kMarkerLimit kernels.
  std::optional<bool> show_markers;
  bool markersShown() const {
    return show_markers.value_or(doc.scene().kernels.size() <= std::size_t(kMarkerLimit));
  }

  CanvasRange canvas_range = CanvasRange::Scene;
  LockedRange locked_range;

  // Animation: the preview plays in wall-clock time; recordings use k / fps.
  bool playing = false;
  std::unique_ptr<gl::GlRendererAdapter> record_renderer;
  std::unique_ptr<Recording> recording;
  std::string record_output = "out/recording.mp4";
  double record_fps = 30;
  int record_size[2] = {0, 0};  // 0: the scene's own size

  // Duplicates the selected kernel 16 screen pixels right of and below the original.
  void duplicateSelected();

  std::vector<gl::KeyPress> key_presses;      // this frame's, from ImGuiGlue::takeKeyPresses
  std::vector<gl::MousePress> mouse_presses;  // this frame's, from takeMousePresses
  double presses_queued = 0;  // how long they may have waited: the busy frame before, or 0
  ClickCounter left_clicks;   // double-clicks of the left button, per press
  // True when `key` was pressed this frame with exactly these modifiers (Ctrl, Shift).
  bool pressed(int key, bool ctrl = false, bool shift = false) const;

  // --frame-stats: the timings being collected (null when off). lap() waits for the stage's GL
  // work first, so that the stage is charged for it.
  FrameStats* frame_stats = nullptr;
  void lap(FrameStage stage) {
    if (!frame_stats) return;
    window->finish();
    frame_stats->lap(stage);
  }

  std::string status;  // the last message, shown on the status line (drawStatusLine)
  bool status_is_error = false;
  std::optional<VerifyResult> verify;
  double frame_ms = 0;

  // Popups requested this frame.
  bool open_popup = false;
  bool save_as_popup = false;
  bool export_popup = false;
  bool confirm_close_popup = false;
  std::string path_input;
  FolderListing path_listing;  // what the path dialog lists under its field
  bool path_walked = false;    // its last click walked into a folder
  bool quit = false;

  // Shown on the status line and echoed on stderr, so a terminal (or a test) sees it too.
  void report(const std::string& message, bool error) {
    status = message;
    status_is_error = error;
    std::cerr << "gaussmap: " << (error ? "error: " : "") << message << std::endl;
  }
};

// canvas.cpp
void updateCanvasLayout(ViewerState& s, float window_width, float window_height);
void renderCanvasIfNeeded(ViewerState& s);
void drawCanvas(ViewerState& s);
// The heat map into the window's framebuffer, under the UI (ImGuiGlue::render's underlay).
void drawCanvasUnderlay(ViewerState& s, int framebuffer_height);
void handleCanvasMouse(ViewerState& s);
// What renders the canvas's values, as a Renderer: the cpu backend, or the window's GL renderer
// on the canvas's path (an adapter that `gl` then holds).
Renderer& canvasRenderer(ViewerState& s, std::unique_ptr<Renderer>& gl);
// panels.cpp
void drawSidePanel(ViewerState& s);
// recording_panel.cpp
void drawAnimationPanel(ViewerState& s);
void startRecording(ViewerState& s);
void advanceAnimation(ViewerState& s, double seconds);
void runVerify(ViewerState& s);
void exportScene(ViewerState& s, const std::string& path);

}  // namespace gaussmap::app
