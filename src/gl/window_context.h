#pragma once
// An OpenGL 3.3 core context that belongs to a GLFW window, for the viewer.
#include <string>

#include "gl/context.h"

struct GLFWwindow;

namespace gaussmap::gl {

// Owns GLFW itself (glfwInit .. glfwTerminate), so at most one WindowContext lives at a time.
class WindowContext final : public Context {
 public:
  // Throws RuntimeError with GLFW's own explanation when there is no display or no 3.3 core.
  WindowContext(int width, int height, const std::string& title, bool visible = true);
  ~WindowContext() override;

  void makeCurrent() override;
  std::string description() const override;
  GLFWwindow* window() const { return window_; }

 private:
  void create(int width, int height, const std::string& title, bool visible);

  GLFWwindow* window_ = nullptr;
};

}  // namespace gaussmap::gl
