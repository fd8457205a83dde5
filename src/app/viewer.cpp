// The viewer's main loop, in the order Dear ImGui's GLFW + OpenGL3 example uses: events, the
// three NewFrame calls, widgets, Render, clear, draw data, swap.
#include "app/viewer.h"

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <imgui_internal.h>  // ImGuiContext::DimBgRatio

#include <chrono>
#include <filesystem>
#include <iostream>

#include "app/viewer_state.h"
#include "core/animation.h"
#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "io/atomic_file.h"

namespace gaussmap::app {
namespace {

Scene newScene() {
  Scene scene;
  scene.width = 512;
  scene.height = 512;
  Kernel k;
  k.x = 255.5;
  k.y = 255.5;
  k.sigma_x = k.sigma_y = 48;
  k.label = "kernel 1";
  scene.kernels.push_back(k);
  return scene;
}

std::string windowTitle(const Document& doc) {
  const std::string name =
      doc.path().empty() ? "untitled" : std::filesystem::path(doc.path()).filename().string();
  return "gaussmap - " + name + (doc.modified() ? " *" : "");
}

void handleShortcuts(ViewerState& s) {
  if (ImGui::GetIO().WantCaptureKeyboard) return;  // typing into a widget
  if (s.pressed(GLFW_KEY_Z, true)) s.doc.undo();
  if (s.pressed(GLFW_KEY_Z, true, true) || s.pressed(GLFW_KEY_Y, true)) s.doc.redo();
  if (s.pressed(GLFW_KEY_O, true)) s.open_popup = true;
  if (s.pressed(GLFW_KEY_E, true)) s.export_popup = true;
  if (s.pressed(GLFW_KEY_S, true, true) || (s.pressed(GLFW_KEY_S, true) && s.doc.path().empty()))
    s.save_as_popup = true;
  else if (s.pressed(GLFW_KEY_S, true)) {
    try {
      s.doc.save();
      s.report("saved " + s.doc.path(), false);
    } catch (const std::exception& e) {
      s.report(e.what(), true);
    }
  }
  if (s.pressed(GLFW_KEY_Q, true)) glfwSetWindowShouldClose(s.window->window(), GLFW_TRUE);
  if (s.pressed(GLFW_KEY_F)) s.view_fitted = false;
  if (s.pressed(GLFW_KEY_D, true)) s.duplicateSelected();
  if ((s.pressed(GLFW_KEY_DELETE) || s.pressed(GLFW_KEY_BACKSPACE)) && s.doc.selected())
    deleteKernel(s.doc, *s.doc.selected());
  if (s.pressed(GLFW_KEY_ESCAPE)) s.doc.select(std::nullopt);
  if (s.pressed(GLFW_KEY_SPACE)) s.playing = !s.playing;
  if (s.pressed(GLFW_KEY_R, true)) startRecording(s);
}

// A modal asking for a path, with the folder's subfolders and files of the given `extensions`
// listed under the field: a click on a folder walks into it, on a file takes it, a double-click
// on a file takes it and runs `action` (as OK does; it reports its own errors).
void pathPopup(ViewerState& s, bool& request, const char* title, const char* hint,
               const std::vector<std::string>& extensions,
               const std::function<void(const std::string&)>& action) {
  if (request) {
    ImGui::OpenPopup(title);
    request = false;
  }
  if (!ImGui::BeginPopupModal(title, nullptr, ImGuiWindowFlags_AlwaysAutoResize)) return;
  ImGui::TextUnformatted(hint);
  char buffer[1024];
  std::snprintf(buffer, sizeof buffer, "%s", s.path_input.c_str());
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(420);
  bool enter =
      ImGui::InputText("##path", buffer, sizeof buffer,
                       ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll) ||
      s.pressed(GLFW_KEY_ENTER) || s.pressed(GLFW_KEY_KP_ENTER);
  s.path_input = buffer;
  const std::string folder = folderOf(s.path_input);
  if (ImGui::IsWindowAppearing() || folder != s.path_listing.folder)
    s.path_listing = listFolder(folder, extensions);
  if (ImGui::IsWindowAppearing()) s.path_walked = false;
  ImGui::TextDisabled("in %s", s.path_listing.folder.c_str());
  if (ImGui::BeginListBox("##files", ImVec2(420, 10 * ImGui::GetTextLineHeightWithSpacing()))) {
    const std::string typed_name = typedFileName(s.path_input);
    for (const FolderEntry& entry : s.path_listing.entries) {
      const std::string label = entry.folder ? entry.name + "/" : entry.name;
      const std::string path = choosePath(s.path_listing.folder, entry, typed_name);
      // A double-click takes a file only when its first click chose that very file: after a
      // click that walked into a folder, the second click lands on a row of the new listing.
      const bool chosen = !entry.folder && path == s.path_input;
      if (ImGui::Selectable(
              label.c_str(), chosen,
              ImGuiSelectableFlags_AllowDoubleClick | ImGuiSelectableFlags_DontClosePopups)) {
        if (chosen && !s.path_walked && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left))
          enter = true;
        s.path_input = path;
        s.path_walked = entry.folder;
      }
    }
    ImGui::EndListBox();
  }
  if (!s.path_listing.error.empty())  // not an error yet: saving and exporting create folders
    ImGui::TextDisabled("cannot list %s: %s", s.path_listing.folder.c_str(),
                        s.path_listing.error.c_str());
  if (ImGui::Button("OK") || enter) {
    action(s.path_input);
    ImGui::CloseCurrentPopup();
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || s.pressed(GLFW_KEY_ESCAPE)) ImGui::CloseCurrentPopup();
  ImGui::EndPopup();
}

void drawPopups(ViewerState& s) {
  if (s.open_popup || s.save_as_popup) s.path_input = s.doc.path();
  pathPopup(
      s, s.open_popup, "Open scene", "Scene file (JSON):", {".json"}, [&](const std::string& path) {
        try {
          s.doc.load(path);
          s.view_fitted = false;
          s.verify.reset();
          s.report("opened " + path, false);
        } catch (const std::exception& e) {
          s.report(std::string("could not open: ") + e.what(), true);  // the current scene stays
        }
      });
  pathPopup(s, s.save_as_popup, "Save scene as", "Save the scene to (JSON):", {".json"},
            [&](const std::string& path) {
              try {
                s.doc.saveAs(path);
                s.report("saved " + path, false);
              } catch (const std::exception& e) {
                s.report(std::string("could not save: ") + e.what(), true);
              }
            });
  if (s.export_popup && s.path_input.empty()) s.path_input = "out/export.png";
  pathPopup(s, s.export_popup, "Export",
            "Render at the scene's size to (.png, .npy, .json or .tif):",
            {".png", ".npy", ".json", ".tif", ".tiff"}, [&](const std::string& path) {
              try {
                exportScene(s, path);
                s.report("exported " + path, false);
              } catch (const std::exception& e) {
                s.report(std::string("could not export: ") + e.what(), true);
              }
            });

  if (s.confirm_close_popup) {
    ImGui::OpenPopup("Unsaved changes");
    s.confirm_close_popup = false;
  }
  if (ImGui::BeginPopupModal("Unsaved changes", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::Text("The scene has unsaved changes.");
    if (ImGui::Button("Save and quit")) {
      try {
        if (s.doc.path().empty()) throw RuntimeError("no file name yet: use Save as first");
        s.doc.save();
        s.quit = true;
      } catch (const std::exception& e) {
        s.report(e.what(), true);
      }
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Discard and quit")) {
      s.quit = true;
      ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
  }
}

// The canvas's values on the cpu backend where the window's OpenGL is a software rasterizer
// (there the cpu renders W4 at 1280x720 in 1-2 ms, llvmpipe in 30), else on the window's GL.
void chooseCanvasBackend(ViewerState& s) {
  Backend backend = s.options.canvas_backend;
  if (backend == Backend::Auto) {
    const gl::AutoBackendChoice choice = gl::chooseAutoBackend({}, &s.window->caps().renderer);
    backend = choice.kind == gl::AutoBackendChoice::Cpu ? Backend::Cpu : Backend::Gl;
    s.canvas_backend_reason = "auto: " + choice.reason;
  } else {
    s.canvas_backend_reason = "asked for (--backend " + std::string(toString(backend)) + ")";
  }
  if (backend == Backend::Cpu && s.options.make_cpu_renderer)
    s.canvas_cpu = s.options.make_cpu_renderer();
  else if (backend == Backend::Cpu)
    s.canvas_backend_reason += "; no cpu backend given: gl";
}

void writeFrameStats(const ViewerState& s) {
  FrameStatsRun run;
  run.scene = s.options.scene_path;
  run.canvas_width = s.view.canvasPixelWidth();
  run.canvas_height = s.view.canvasPixelHeight();
  glfwGetWindowSize(s.window->window(), &run.window_width, &run.window_height);
  run.playing = s.options.play;
  run.canvas_backend = s.canvas_cpu ? "cpu" : "gl";
  run.canvas_backend_reason = s.canvas_backend_reason;
  run.gl_renderer = s.window->caps().renderer;
  const std::string json = frameStatsJson(run, *s.frame_stats);
  writeTextFileAtomically(s.options.frame_stats, json);
}

// What a frame can change that later frames must show before the loop waits again: a popup
// takes Dear ImGui a frame or two to appear (an auto-sized window measures itself first) and its
// dimmed background fades in over several more, and
// the panel drawn before the canvas shows a kernel the canvas added only in the next frame.
// While this changes, the loop keeps drawing (so a dialog never waits for the mouse to move).
struct FrameSignature {
  std::uint64_t revision = 0;
  std::optional<int> selected;
  std::string status;
  bool popup_open = false;
  int windows = 0;
  float dim = 0;  // a modal's background dimming, which fades in over a few frames
  bool operator==(const FrameSignature&) const = default;
};

FrameSignature signatureOf(const ViewerState& s) {
  return {s.doc.revision(),
          s.doc.selected(),
          s.status,
          ImGui::IsPopupOpen(nullptr, ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel),
          ImGui::GetIO().MetricsRenderWindows,
          ImGui::GetCurrentContext()->DimBgRatio};
}

}  // namespace

bool ViewerState::pressed(int key, bool ctrl, bool shift) const {
  for (const gl::KeyPress& p : key_presses)
    if (p.key == key && bool(p.mods & GLFW_MOD_CONTROL) == ctrl &&
        bool(p.mods & GLFW_MOD_SHIFT) == shift)
      return true;
  return false;
}

int runViewer(const ViewerOptions& options) {
  ViewerState s;
  s.options = options;
  // A bad file given on the command line is an input error before any window opens.
  if (!options.scene_path.empty())
    s.doc.load(options.scene_path);
  else
    s.doc = Document(newScene(), "");

  gl::WindowContext window(options.window_width, options.window_height, windowTitle(s.doc));
  gl::HeatmapRenderer renderer(window);
  gl::ImGuiGlue imgui(window);
  s.window = &window;
  s.renderer = &renderer;
  if (!options.record_to.empty())
    s.record_output = options.record_to;
  else if (!s.doc.path().empty())
    s.record_output = "out/" + std::filesystem::path(s.doc.path()).stem().string() + ".mp4";
  s.record_fps = animationFps(s.doc.animatedScene());
  s.playing = options.play;
  chooseCanvasBackend(s);
  std::string shown_title = windowTitle(s.doc);
  FrameStats frame_stats;
  if (!options.frame_stats.empty()) s.frame_stats = &frame_stats;

  int frame = 0;
  int settle_frames = 2;
  FrameSignature shown;
  auto last = std::chrono::steady_clock::now();
  auto events_read = last;  // when the event queue was last read
  // The loop ends after drawing one last frame, so --screenshot can capture it.
  while (true) {
    frame_stats.beginFrame();
    // Idle until something happens, unless a frame count drives the loop (automation).
    // Idle: no CPU until input arrives. After input, a couple more frames let Dear ImGui settle
    // (popups open and hover states update one frame after the event that caused them).
    // Events that came while the last frame was drawn waited in the queue for up to its length;
    // a wait hands them over as they come.
    double queued_for = 0;
    if (options.frames || s.playing || s.recording || settle_frames > 0) {
      queued_for =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - events_read).count();
      glfwPollEvents();
      settle_frames = std::max(settle_frames - 1, 0);
    } else {
      glfwWaitEvents();
      settle_frames = 2;
    }
    events_read = std::chrono::steady_clock::now();
    if (glfwWindowShouldClose(window.window())) {
      glfwSetWindowShouldClose(window.window(), GLFW_FALSE);
      if (s.doc.modified() && !options.frames)
        s.confirm_close_popup = true;
      else
        s.quit = true;
    }
    if (glfwGetWindowAttrib(window.window(), GLFW_ICONIFIED)) {
      glfwWaitEvents();  // minimised: nothing to draw
      continue;
    }

    s.lap(FrameStage::Events);
    s.key_presses = imgui.takeKeyPresses();
    s.mouse_presses = imgui.takeMousePresses();
    s.presses_queued = queued_for;
    imgui.newFrame();
    int width = 0, height = 0;
    glfwGetWindowSize(window.window(), &width, &height);
    updateCanvasLayout(s, float(width), float(height));
    handleShortcuts(s);
    drawSidePanel(s);
    drawPopups(s);
    handleCanvasMouse(s);
    advanceAnimation(s, std::min(s.frame_ms * 1e-3, 0.1));  // no jump after an idle wait
    updateCanvasLayout(s, float(width), float(height));     // origin or extent may have changed
    try {
      renderCanvasIfNeeded(s);
    } catch (const std::exception& e) {
      s.report(std::string("render failed: ") + e.what(), true);
    }
    drawCanvas(s);
    s.lap(FrameStage::Ui);
    try {
      imgui.render(0.08f, 0.08f, 0.09f,
                   [&](int framebuffer_height) { drawCanvasUnderlay(s, framebuffer_height); });
    } catch (const std::exception& e) {
      // A GL error (out of memory at a huge window size, say) is reported where the user looks,
      // and the document is kept: quitting still asks about unsaved changes.
      s.report(e.what(), true);
    }
    s.lap(FrameStage::Draw);

    const auto now = std::chrono::steady_clock::now();
    s.frame_ms = std::chrono::duration<double, std::milli>(now - last).count();
    last = now;
    ++frame;
    const bool last_frame = s.quit || (options.frames && frame >= *options.frames);
    if (last_frame && !options.screenshot.empty())
      writePng(options.screenshot, imgui.readBackBuffer());
    imgui.swapBuffers();
    s.lap(FrameStage::Swap);
    frame_stats.endFrame();
    if (const std::string title = windowTitle(s.doc); title != shown_title) {
      glfwSetWindowTitle(window.window(), title.c_str());
      shown_title = title;
    }
    if (last_frame) break;
    if (const FrameSignature now = signatureOf(s); !(now == shown)) {
      settle_frames = std::max(settle_frames, 3);
      shown = now;
    }
  }
  if (s.frame_stats) writeFrameStats(s);
  if (!options.canvas_shot.empty()) {
    // The heat map as the canvas shows it, without overlays, at canvas resolution.
    renderCanvasIfNeeded(s);
    const Scene& visible = s.canvas.scene;
    writePng(options.canvas_shot,
             renderer.colorize(s.canvas.mapping, *findColormap(visible.display.colormap),
                               Origin::Upper));
  }
  return 0;
}

}  // namespace gaussmap::app
