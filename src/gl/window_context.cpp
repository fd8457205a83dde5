#include "gl/window_context.h"

#include <EGL/egl.h>

#include "gaussmap/errors.h"
#include "gl/gl.h"

// After glad: GLFW must not include the system's OpenGL header.
#include <GLFW/glfw3.h>

namespace gaussmap::gl {

namespace {

// GLFW keeps the last error per thread, so no error callback (and no global) is needed.
std::string lastGlfwError() {
  const char* description = nullptr;
  const int code = glfwGetError(&description);
  if (code == GLFW_NO_ERROR) return "GLFW reported no error";
  return description != nullptr ? description : "GLFW error " + std::to_string(code);
}

// libglvnd answers a GLX make-current on a thread that has a current EGL context (a headless
// Context) with an X error, which aborts the process; so that context is released first.
void releaseCurrentEglContext() {
  if (eglGetCurrentContext() != EGL_NO_CONTEXT)
    eglMakeCurrent(eglGetCurrentDisplay(), EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
}

}  // namespace

WindowContext::WindowContext(int width, int height, const std::string& title, bool visible) {
  glfwGetError(nullptr);
  if (!glfwInit()) {
    throw RuntimeError("cannot open a window: GLFW failed to initialise (" + lastGlfwError() +
                       "); a display is needed (DISPLAY or WAYLAND_DISPLAY, or run under "
                       "xvfb-run -a)");
  }
  try {
    create(width, height, title, visible);
  } catch (...) {
    if (window_ != nullptr) glfwDestroyWindow(window_);
    glfwTerminate();
    throw;
  }
}

void WindowContext::create(int width, int height, const std::string& title, bool visible) {
  glfwDefaultWindowHints();
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  // macOS only hands out core contexts that are forward compatible; elsewhere it is harmless.
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_OPENGL_DEBUG_CONTEXT, debugContextRequested() ? GLFW_TRUE : GLFW_FALSE);
  glfwWindowHint(GLFW_VISIBLE, visible ? GLFW_TRUE : GLFW_FALSE);
  // GLFW makes the new context current while creating the window.
  releaseCurrentEglContext();
  window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (window_ == nullptr) {
    throw RuntimeError("cannot open a " + std::to_string(width) + "x" + std::to_string(height) +
                       " window with OpenGL 3.3 core: " + lastGlfwError());
  }
  makeCurrent();
  if (gladLoadGL(glfwGetProcAddress) == 0)
    throw RuntimeError("gladLoadGL found no OpenGL entry points in the GLFW window's context");
  initialize();
}

WindowContext::~WindowContext() {
  if (glfwGetCurrentContext() == window_) glfwMakeContextCurrent(nullptr);
  glfwDestroyWindow(window_);
  glfwTerminate();
}

void WindowContext::makeCurrent() {
  releaseCurrentEglContext();
  glfwMakeContextCurrent(window_);
}

std::string WindowContext::description() const {
  return "OpenGL " + caps().version + " on " + caps().renderer + " via a GLFW window";
}

}  // namespace gaussmap::gl
