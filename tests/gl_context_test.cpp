// The OpenGL layer on a headless EGL context (llvmpipe in CI): contexts, programs from embedded
// shaders with #include and error reporting, RAII objects, the R32F target and checkGl.
// Without a context these tests fail with EGL's explanation; they never skip.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gaussmap/errors.h"
#include "gl/context.h"
#include "gl/gl_objects.h"
#include "gl/program.h"
#include "gl/shader_sources.h"

namespace gaussmap::gl {
namespace {

::testing::AssertionResult contains(const std::string& text, std::string_view part) {
  if (text.find(part) != std::string::npos) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "\"" << part << "\" not found in:\n" << text;
}

// The message of the RuntimeError that body throws; records a failure when it throws none.
template <typename Body>
std::string runtimeErrorOf(Body body) {
  try {
    body();
  } catch (const RuntimeError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected a gaussmap::RuntimeError";
  return {};
}

constexpr std::string_view kFillVertex = R"(#version 330 core
void main() {
  vec2 corner = vec2(float((gl_VertexID & 1) << 2), float((gl_VertexID & 2) << 1));
  gl_Position = vec4(corner - 1.0, 0.0, 1.0);
}
)";

// Draws program's full-screen triangle into a new width x height R32F target and reads it back.
std::vector<float> drawFill(Context& context, const Program& program, int width, int height) {
  const FloatTarget target = createFloatTarget(context, width, height);
  const VertexArray vertex_array;
  glBindFramebuffer(GL_FRAMEBUFFER, target.framebuffer.id());
  glViewport(0, 0, width, height);
  program.use();
  glBindVertexArray(vertex_array.id());
  glDrawArrays(GL_TRIANGLES, 0, 3);
  glBindVertexArray(0);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  checkGl(context, "drawing the fill triangle");
  return readFloatTarget(context, target);
}

using FileMap = std::map<std::string, std::string, std::less<>>;

// An #include lookup over files in memory; unknown names throw, as shaderFile does.
ShaderLookup lookupIn(const FileMap& files) {
  return [&files](std::string_view name) -> std::string_view {
    const auto found = files.find(name);
    if (found == files.end()) throw RuntimeError("no file " + std::string(name));
    return found->second;
  };
}

Program fillProgram(float value, std::string_view defines = {}) {
  Program program("test_fill.vert", "test_fill.frag", defines);
  program.use();
  glUniform1f(program.uniform("u_value"), value);
  glUniform2f(program.uniform("u_pixel_weights"), 0.0f, 0.0f);
  return program;
}

TEST(HeadlessContextDeathTest, ForcedEglFailureNamesEveryAttempt) {
  // A fresh process, so that libglvnd reads the variable before it loads any vendor.
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  EXPECT_EXIT(
      {
        setenv("__EGL_VENDOR_LIBRARY_FILENAMES", "/nonexistent.json", 1);
        try {
          createHeadlessContext();
        } catch (const RuntimeError& error) {
          std::fprintf(stderr, "%s\n", error.what());
          std::exit(3);
        }
        std::exit(0);
      },
      ::testing::ExitedWithCode(3),
      "no headless OpenGL 3.3 core context through EGL: EGL device platform: .+; "
      "Mesa surfaceless platform: .+; default display: eglGetDisplay failed \\(EGL_");
}

TEST(HeadlessContextTest, ProvidesCoreProfile33WithCapabilities) {
  const std::unique_ptr<Context> context = createHeadlessContext();
  const Capabilities& caps = context->caps();
  EXPECT_TRUE(caps.major > 3 || (caps.major == 3 && caps.minor >= 3))
      << caps.major << "." << caps.minor;
  EXPECT_GE(caps.max_uniform_block_size, 16384);
  EXPECT_GE(caps.max_texture_size, 1024);
  EXPECT_TRUE(caps.timer_query);
  EXPECT_FALSE(caps.version.empty());
  EXPECT_FALSE(caps.renderer.empty());
  EXPECT_TRUE(contains(context->description(), "OpenGL " + caps.version + " on "));
  EXPECT_TRUE(contains(context->description(), " via EGL"));
  std::printf("headless context: %s (debug output: %s)\n", context->description().c_str(),
              caps.debug_output ? "yes" : "no");
}

TEST(HeadlessContextTest, CanBeCreatedAgainAfterDestruction) {
  for (int round = 0; round < 3; ++round) {
    const std::unique_ptr<Context> context = createHeadlessContext();
    const Program program = fillProgram(static_cast<float>(round) + 0.5f);
    EXPECT_EQ(drawFill(*context, program, 2, 2), std::vector<float>(4, round + 0.5f));
  }
}

TEST(HeadlessContextTest, NestedContextsAreDestroyedInReverseOrder) {
  const std::unique_ptr<Context> outer = createHeadlessContext();
  {
    const std::unique_ptr<Context> inner = createHeadlessContext();
    const Program program = fillProgram(2.0f);
    EXPECT_EQ(drawFill(*inner, program, 3, 1), std::vector<float>(3, 2.0f));
  }
  outer->makeCurrent();
  const Program program = fillProgram(7.0f);
  EXPECT_EQ(drawFill(*outer, program, 3, 1), std::vector<float>(3, 7.0f));
}

TEST(ShaderSourcesTest, EmbedsTheShaderFolder) {
  const std::vector<std::string_view> names = shaderFileNames();
  EXPECT_NE(std::find(names.begin(), names.end(), "test_fill.vert"), names.end());
  EXPECT_NE(std::find(names.begin(), names.end(), "test_fill.frag"), names.end());
  EXPECT_TRUE(std::is_sorted(names.begin(), names.end()));
  EXPECT_TRUE(shaderFile("test_fill.frag").starts_with("#version 330 core\n"));
}

TEST(ShaderSourcesTest, UnknownFileIsNamedInTheError) {
  const std::string message = runtimeErrorOf([] { shaderFile("missing.frag"); });
  EXPECT_TRUE(contains(message, "unknown shader file \"missing.frag\""));
  EXPECT_TRUE(contains(message, "test_fill.frag"));
}

class GlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    try {
      context_ = createHeadlessContext();
    } catch (const RuntimeError& error) {
      FAIL() << error.what();
    }
  }

  std::unique_ptr<Context> context_;
};

TEST_F(GlTest, FillProgramWritesUniformValueExactly) {
  for (const float value : {0.1234567f, -3.5e-7f, 1.5e6f, 0.0f}) {
    const Program program = fillProgram(value);
    EXPECT_EQ(drawFill(*context_, program, 7, 5), std::vector<float>(35, value)) << value;
  }
}

TEST_F(GlTest, ReadbackStartsAtTheBottomRow) {
  const Program program = fillProgram(0.25f);
  glUniform2f(program.uniform("u_pixel_weights"), 1.0f, 1000.0f);
  const std::vector<float> values = drawFill(*context_, program, 4, 3);
  ASSERT_EQ(values.size(), 12u);
  for (int y = 0; y < 3; ++y) {
    for (int x = 0; x < 4; ++x)
      EXPECT_EQ(values[static_cast<std::size_t>(y * 4 + x)], 0.25f + x + 1000.0f * y) << x << y;
  }
}

TEST_F(GlTest, DefinesAreInsertedAfterTheVersionLine) {
  const Program program = fillProgram(0.75f, "#define FILL_SCALE 4.0\n");
  EXPECT_EQ(drawFill(*context_, program, 2, 2), std::vector<float>(4, 3.0f));
}

TEST_F(GlTest, UniformLookupAllowsMissingNames) {
  const Program program("test_fill.vert", "test_fill.frag");
  const GLint location = program.uniform("u_value");
  EXPECT_GE(location, 0);
  EXPECT_EQ(program.uniform("u_value"), location);
  EXPECT_EQ(program.uniform("u_not_there"), -1);
}

TEST_F(GlTest, MovedProgramKeepsItsObject) {
  Program first = fillProgram(5.0f);
  const GLuint id = first.id();
  Program second = std::move(first);
  EXPECT_EQ(first.id(), 0u);
  EXPECT_EQ(second.id(), id);
  EXPECT_EQ(second.label(), "test_fill.vert + test_fill.frag");
  EXPECT_EQ(drawFill(*context_, second, 1, 1), std::vector<float>(1, 5.0f));
}

TEST_F(GlTest, UnknownUniformBlockIsAnError) {
  Program program("test_fill.vert", "test_fill.frag");
  const std::string message = runtimeErrorOf([&] { program.bindUniformBlock("Kernels", 0); });
  EXPECT_TRUE(contains(message, "test_fill.vert + test_fill.frag"));
  EXPECT_TRUE(contains(message, "\"Kernels\""));
}

TEST_F(GlTest, UniformBlockGetsItsBinding) {
  Program program =
      Program::fromSources("fill.vert", kFillVertex, "block.frag", R"(#version 330 core
layout(std140) uniform Values { vec4 scale; };
out float value;
void main() { value = scale.x; }
)");
  program.bindUniformBlock("Values", 3);
  GLint binding = -1;
  glGetActiveUniformBlockiv(program.id(), glGetUniformBlockIndex(program.id(), "Values"),
                            GL_UNIFORM_BLOCK_BINDING, &binding);
  EXPECT_EQ(binding, 3);
}

TEST_F(GlTest, SyntaxErrorNamesTheFileAndLine) {
  const std::string message = runtimeErrorOf([] {
    Program::fromSources("good.vert", kFillVertex, "broken.frag",
                         "#version 330 core\nout float value;\n\nvoid main() { value = 1.0 }\n");
  });
  EXPECT_TRUE(contains(message, "compiling shader broken.frag failed:\n"));
  EXPECT_TRUE(contains(message, "broken.frag:4:"));
  EXPECT_TRUE(contains(message, "error"));
}

TEST_F(GlTest, DefinesKeepLineNumbers) {
  const std::string message = runtimeErrorOf([] {
    Program::fromSources("good.vert", kFillVertex, "broken.frag",
                         "#version 330 core\nout float value;\n\nvoid main() { value = 1.0 }\n",
                         "#define A 1\n#define B 2\n#define C 3");
  });
  EXPECT_TRUE(contains(message, "broken.frag:4:"));
}

TEST_F(GlTest, IncludesAreExpanded) {
  const FileMap files = {{"scale.glsl", "float scaled(float v) {\n  return v * SCALE;\n}\n"}};
  const ShaderLookup lookup = lookupIn(files);
  Program program = Program::fromSources("fill.vert", kFillVertex, "fill.frag", R"(#version 330 core
#include "scale.glsl"  // scaled()
out float value;
void main() { value = scaled(2.5); }
)",
                                         "#define SCALE 3.0\n", lookup);
  EXPECT_EQ(drawFill(*context_, program, 2, 1), std::vector<float>(2, 7.5f));
}

TEST_F(GlTest, ErrorsNameTheIncludedFileOrTheLineAfterTheInclude) {
  const FileMap files = {{"good.glsl", "float half_of(float v) {\n  return v * 0.5;\n}\n"},
                         {"bad.glsl", "float twice(float v) {\n  return v * 2.0\n}\n"}};
  const ShaderLookup lookup = lookupIn(files);

  std::string message = runtimeErrorOf([&] {
    Program::fromSources("fill.vert", kFillVertex, "main.frag",
                         "#version 330 core\n#include \"bad.glsl\"\nout float value;\n"
                         "void main() { value = twice(1.0); }\n",
                         {}, lookup);
  });
  EXPECT_TRUE(contains(message, "compiling shader main.frag failed:\n"));
  EXPECT_TRUE(contains(message, "bad.glsl:3:"));

  message = runtimeErrorOf([&] {
    Program::fromSources("fill.vert", kFillVertex, "main.frag",
                         "#version 330 core\n#include \"good.glsl\"\nout float value;\n"
                         "void main() { value = half_of(1.0) }\n",
                         "#define UNUSED 1\n", lookup);
  });
  EXPECT_TRUE(contains(message, "main.frag:4:"));
}

TEST_F(GlTest, UnknownAndCircularIncludesAreReported) {
  const FileMap files = {{"a.glsl", "#include \"b.glsl\"\n"},
                         {"b.glsl", "\n#include \"a.glsl\"\n"}};
  const ShaderLookup lookup = lookupIn(files);
  std::string message = runtimeErrorOf([&] {
    Program::fromSources("fill.vert", kFillVertex, "main.frag",
                         "#version 330 core\n\n#include \"nope.glsl\"\n", {}, lookup);
  });
  EXPECT_TRUE(contains(message, "main.frag:3: cannot #include \"nope.glsl\": no file nope.glsl"));

  message = runtimeErrorOf([&] {
    Program::fromSources("fill.vert", kFillVertex, "main.frag",
                         "#version 330 core\n#include \"a.glsl\"\n", {}, lookup);
  });
  EXPECT_TRUE(contains(message,
                       "b.glsl:2: #include \"a.glsl\" is circular "
                       "(main.frag -> a.glsl -> b.glsl -> a.glsl)"));
}

TEST_F(GlTest, MissingVersionLineIsReported) {
  const std::string message = runtimeErrorOf(
      [] { Program::fromSources("fill.vert", kFillVertex, "old.frag", "void main() {}\n"); });
  EXPECT_TRUE(contains(message, "shader old.frag has no #version line"));
}

TEST_F(GlTest, LinkErrorNamesBothFiles) {
  // A declared function that no stage defines fails only when linking.
  const std::string message = runtimeErrorOf([] {
    Program::fromSources("plain.vert", kFillVertex, "undefined.frag",
                         "#version 330 core\nfloat helper(float v);\nout float value;\n"
                         "void main() { value = helper(1.0); }\n");
  });
  EXPECT_TRUE(contains(message, "linking program plain.vert + undefined.frag failed:\n"));
  EXPECT_TRUE(contains(message, "helper"));
}

TEST_F(GlTest, CheckGlReportsTheErrorAndTheDriversText) {
  checkGl(*context_, "nothing");
  // In a core profile a texture name must come from glGenTextures.
  glBindTexture(GL_TEXTURE_2D, 987654);
  const std::string message = runtimeErrorOf([&] { checkGl(*context_, "binding texture 987654"); });
  EXPECT_TRUE(contains(message, "OpenGL error GL_INVALID_OPERATION after binding texture 987654"));
  if (context_->caps().debug_output) {
    EXPECT_TRUE(contains(message, "after binding texture 987654: "));
  }
  checkGl(*context_, "the error was consumed");
}

TEST_F(GlTest, FloatTargetRejectsSizesOutsideTheLimits) {
  std::string message = runtimeErrorOf([&] { createFloatTarget(*context_, 0, 5); });
  EXPECT_TRUE(contains(message, "0x5 R32F render target"));
  const int too_big = context_->caps().max_texture_size + 1;
  message = runtimeErrorOf([&] { createFloatTarget(*context_, 4, too_big); });
  EXPECT_TRUE(contains(message, "4x" + std::to_string(too_big)));
}

TEST_F(GlTest, ObjectsOwnTheirNamesAndMove) {
  Buffer buffer;
  Texture texture;
  Framebuffer framebuffer;
  Query query;
  EXPECT_NE(buffer.id(), 0u);
  EXPECT_NE(texture.id(), 0u);
  EXPECT_NE(framebuffer.id(), 0u);
  EXPECT_NE(query.id(), 0u);
  const GLuint id = buffer.id();
  Buffer moved = std::move(buffer);
  EXPECT_EQ(moved.id(), id);
  glBindBuffer(GL_ARRAY_BUFFER, moved.id());
  EXPECT_EQ(glIsBuffer(id), GL_TRUE);
  glBindBuffer(GL_ARRAY_BUFFER, 0);
  moved = Buffer();
  EXPECT_EQ(glIsBuffer(id), GL_FALSE);
  checkGl(*context_, "buffer moves");
}

}  // namespace
}  // namespace gaussmap::gl
