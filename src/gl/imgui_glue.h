#pragma once
// Dear ImGui on a WindowContext: its GLFW and OpenGL3 backends (from Debian's libimgui.a), the
// frame's clear and draw, and reading the window back for screenshots. Keeps GL calls in src/gl.
#include <functional>
#include <vector>

#include "gaussmap/image.h"
#include "gl/window_context.h"

namespace gaussmap::gl {

// A key press as GLFW reported it (GLFW_KEY_*, GLFW_MOD_* bits).
struct KeyPress {
  int key = 0;
  int mods = 0;
};

// A mouse button press as GLFW reported it: which button, when it was dispatched (glfwGetTime
// seconds: the press itself may be older, when it waited in the queue during a busy frame) and
// where (window coordinates, as ImGui's MousePos, from the motion events before it).
struct MousePress {
  int button = 0;
  double time = 0;
  double x = 0, y = 0;
};

class ImGuiGlue {
 public:
  // Creates the ImGui context and installs the backends (the window's callbacks chain to ours).
  explicit ImGuiGlue(WindowContext& window);
  ~ImGuiGlue();
  ImGuiGlue(const ImGuiGlue&) = delete;
  ImGuiGlue& operator=(const ImGuiGlue&) = delete;

  // The three NewFrame calls, in the order the backends need.
  void newFrame();
  // ImGui::Render, viewport and clear, `underlay` (drawing into the window's framebuffer, e.g.
  // the canvas's copy; may be empty), then the draw data, into the window's back buffer.
  void render(float clear_r, float clear_g, float clear_b,
              const std::function<void(int framebuffer_height)>& underlay = {});
  // The back buffer as it was just drawn (call after render(), before swapping), row 0 at top.
  RgbImage readBackBuffer() const;
  void swapBuffers();
  // Key presses since the last call. Dear ImGui 1.86 samples key state once per frame, so a
  // press and release between two frames (a fast typist, xdotool) would be lost; these are not.
  std::vector<KeyPress> takeKeyPresses();
  // Mouse presses since the last call, for the same reason: two clicks between two frames (a
  // double-click while a frame takes 100 ms) are one press to ImGui 1.86, and no double-click.
  std::vector<MousePress> takeMousePresses();

 private:
  static void keyCallback(GLFWwindow* window, int key, int scancode, int action, int mods);
  static void mouseButtonCallback(GLFWwindow* window, int button, int action, int mods);
  static void cursorPosCallback(GLFWwindow* window, double x, double y);

  WindowContext& window_;
  std::vector<KeyPress> presses_;
  std::vector<MousePress> mouse_presses_;
  // The pointer as the events queued so far left it (a press takes this, not the pointer's
  // place when the queue is read, which may be later).
  bool cursor_known_ = false;
  double cursor_x_ = 0, cursor_y_ = 0;
};

}  // namespace gaussmap::gl
