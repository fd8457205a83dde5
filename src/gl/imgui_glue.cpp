#include "gl/imgui_glue.h"

#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <utility>
#include <vector>

#include "gaussmap/errors.h"
#include "gl/gl.h"
#include "gl/gl_objects.h"

namespace gaussmap::gl {

ImGuiGlue::ImGuiGlue(WindowContext& window) : window_(window) {
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // no imgui.ini appearing in the user's folder
  ImGui::StyleColorsDark();
  if (!ImGui_ImplGlfw_InitForOpenGL(window.window(), true))
    throw RuntimeError("Dear ImGui: the GLFW backend failed to initialise");
  if (!ImGui_ImplOpenGL3_Init("#version 330 core"))
    throw RuntimeError("Dear ImGui: the OpenGL3 backend failed to initialise");
  // Ours first, forwarding to the backend's (which the backend installed above).
  glfwSetWindowUserPointer(window.window(), this);
  glfwSetKeyCallback(window.window(), &ImGuiGlue::keyCallback);
  glfwSetMouseButtonCallback(window.window(), &ImGuiGlue::mouseButtonCallback);
  glfwSetCursorPosCallback(window.window(), &ImGuiGlue::cursorPosCallback);  // 1.86 has none
}

void ImGuiGlue::keyCallback(GLFWwindow* window, int key, int scancode, int action, int mods) {
  ImGui_ImplGlfw_KeyCallback(window, key, scancode, action, mods);
  auto* self = static_cast<ImGuiGlue*>(glfwGetWindowUserPointer(window));
  if (self && action == GLFW_PRESS) self->presses_.push_back(KeyPress{key, mods});
}

std::vector<KeyPress> ImGuiGlue::takeKeyPresses() {
  return std::exchange(presses_, {});
}

void ImGuiGlue::mouseButtonCallback(GLFWwindow* window, int button, int action, int mods) {
  ImGui_ImplGlfw_MouseButtonCallback(window, button, action, mods);
  auto* self = static_cast<ImGuiGlue*>(glfwGetWindowUserPointer(window));
  if (!self || action != GLFW_PRESS) return;
  MousePress press{button, glfwGetTime(), self->cursor_x_, self->cursor_y_};
  if (!self->cursor_known_) glfwGetCursorPos(window, &press.x, &press.y);
  self->mouse_presses_.push_back(press);
}

void ImGuiGlue::cursorPosCallback(GLFWwindow* window, double x, double y) {
  auto* self = static_cast<ImGuiGlue*>(glfwGetWindowUserPointer(window));
  if (!self) return;
  self->cursor_known_ = true;
  self->cursor_x_ = x;
  self->cursor_y_ = y;
}

std::vector<MousePress> ImGuiGlue::takeMousePresses() {
  return std::exchange(mouse_presses_, {});
}

ImGuiGlue::~ImGuiGlue() {
  glfwSetKeyCallback(window_.window(), nullptr);
  glfwSetMouseButtonCallback(window_.window(), nullptr);
  glfwSetCursorPosCallback(window_.window(), nullptr);
  glfwSetWindowUserPointer(window_.window(), nullptr);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
}

void ImGuiGlue::newFrame() {
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
}

void ImGuiGlue::render(float clear_r, float clear_g, float clear_b,
                       const std::function<void(int framebuffer_height)>& underlay) {
  ImGui::Render();
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_.window(), &width, &height);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glViewport(0, 0, width, height);
  glDisable(GL_SCISSOR_TEST);
  glClearColor(clear_r, clear_g, clear_b, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  if (underlay) {
    underlay(height);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
    glViewport(0, 0, width, height);
  }
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  checkGl(window_, "drawing the user interface");
}

RgbImage ImGuiGlue::readBackBuffer() const {
  int width = 0, height = 0;
  glfwGetFramebufferSize(window_.window(), &width, &height);
  std::vector<unsigned char> rgb(std::size_t(width) * height * 3);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, 0);
  glReadBuffer(GL_BACK);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, width, height, GL_RGB, GL_UNSIGNED_BYTE, rgb.data());
  checkGl(window_, "reading the window back");
  RgbImage image(width, height);
  for (int j = 0; j < height; ++j)  // OpenGL's rows start at the bottom
    for (int i = 0; i < width; ++i) {
      const unsigned char* p = &rgb[(std::size_t(height - 1 - j) * width + i) * 3];
      image.at(i, j) = Rgb8{p[0], p[1], p[2]};
    }
  return image;
}

void ImGuiGlue::swapBuffers() {
  glfwSwapBuffers(window_.window());
}

}  // namespace gaussmap::gl
