// WindowContext needs a display: run this binary under `xvfb-run -a` (the headless GL tests do
// not). The no-display case unsets the display variables in a child process.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "gaussmap/errors.h"
#include "gl/context.h"
#include "gl/gl_objects.h"
#include "gl/program.h"
#include "gl/window_context.h"

// After glad (through the gl/ headers): GLFW must not include the system's OpenGL header.
#include <GLFW/glfw3.h>

namespace gaussmap::gl {
namespace {

// Draws test_fill into a new 3x2 R32F target of the current context and reads it back.
std::vector<float> fill(Context& context, float value) {
  const FloatTarget target = createFloatTarget(context, 3, 2);
  const Program program("test_fill.vert", "test_fill.frag");
  const VertexArray vertex_array;
  glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer.id());
  glViewport(0, 0, 3, 2);
  program.use();
  glUniform1f(program.uniform("u_value"), value);
  glUniform2f(program.uniform("u_pixel_weights"), 0.0f, 0.0f);
  glBindVertexArray(vertex_array.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  checkGl(context, "drawing test_fill");
  return readFloatTarget(context, target);
}

TEST(WindowContextDeathTest, WithoutDisplayThrowsWithGlfwsReason) {
  // A fresh process: GLFW reads the display variables in glfwInit.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        unsetenv("DISPLAY");
        unsetenv("WAYLAND_DISPLAY");
        try {
          WindowContext window(64, 48, "gaussmap test");
        } catch (const RuntimeError& error) {
          std::fprintf(stderr, "%s\n", error.what());
          std::exit(3);
        }
        std::exit(0);
      },
      ::testing::ExitedWithCode(3),
      "cannot open a window: GLFW failed to initialise \\(.*DISPLAY.*\\); a display is needed");
}

TEST(WindowContextTest, OpensAVisibleWindowWithACoreContext) {
  WindowContext context(64, 48, "gaussmap test");
  ASSERT_NE(context.window(), nullptr);
  EXPECT_EQ(glfwGetWindowAttrib(context.window(), GLFW_VISIBLE), GLFW_TRUE);
  EXPECT_EQ(glfwGetWindowAttrib(context.window(), GLFW_OPENGL_PROFILE), GLFW_OPENGL_CORE_PROFILE);
  const Capabilities& caps = context.caps();
  EXPECT_TRUE(caps.major > 3 || (caps.major == 3 && caps.minor >= 3))
      << caps.major << "." << caps.minor;
  EXPECT_NE(context.description().find(" via a GLFW window"), std::string::npos);
  std::printf("window context: %s\n", context.description().c_str());

  // The loader works in this context too.
  EXPECT_EQ(fill(context, 0.625f), std::vector<float>(6, 0.625f));
  glfwSwapBuffers(context.window());
}

TEST(WindowContextTest, HiddenWindowStaysHidden) {
  WindowContext context(32, 32, "gaussmap hidden", false);
  EXPECT_EQ(glfwGetWindowAttrib(context.window(), GLFW_VISIBLE), GLFW_FALSE);
}

TEST(WindowContextTest, TakesTurnsWithAHeadlessContext) {
  // libglvnd lets a thread hold an EGL or a GLX context, not both: each switch releases the other.
  const std::unique_ptr<Context> headless = createHeadlessContext();
  WindowContext window(32, 32, "gaussmap turns", false);
  EXPECT_EQ(fill(window, 1.5f), std::vector<float>(6, 1.5f));
  headless->makeCurrent();
  EXPECT_EQ(fill(*headless, 2.5f), std::vector<float>(6, 2.5f));
  window.makeCurrent();
  EXPECT_EQ(fill(window, 3.5f), std::vector<float>(6, 3.5f));
}

}  // namespace
}  // namespace gaussmap::gl
