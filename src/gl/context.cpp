#include "gl/context.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <string_view>
#include <utility>

#include "gaussmap/errors.h"
#include "gl/gl.h"

namespace gaussmap::gl {

namespace {

// Enough to explain one failing call; a context nobody checks must not grow without bound.
constexpr std::size_t kMaxRecordedDebugErrors = 16;

std::string glString(GLenum name) {
  const GLubyte* text = glGetString(name);
  return text != nullptr ? std::string(reinterpret_cast<const char*>(text)) : std::string();
}

int glInteger(GLenum name) {
  GLint value = 0;
  glGetIntegerv(name, &value);
  return value;
}

std::string_view debugTypeName(GLenum type) {
  switch (type) {
    case GL_DEBUG_TYPE_ERROR:
      return "error";
    case GL_DEBUG_TYPE_DEPRECATED_BEHAVIOR:
      return "deprecated";
    case GL_DEBUG_TYPE_UNDEFINED_BEHAVIOR:
      return "undefined behaviour";
    case GL_DEBUG_TYPE_PORTABILITY:
      return "portability";
    case GL_DEBUG_TYPE_PERFORMANCE:
      return "performance";
    default:
      return "other";
  }
}

}  // namespace

// Receives the driver's debug messages for the Context passed as the user parameter.
struct DebugMessageSink {
  static void GLAD_API_PTR receive(GLenum source, GLenum type, GLuint /*id*/, GLenum severity,
                                   GLsizei length, const GLchar* message, const void* user) {
    auto& context = *static_cast<Context*>(const_cast<void*>(user));
    std::string text =
        length >= 0 ? std::string(message, static_cast<std::size_t>(length)) : std::string(message);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (context.print_debug_messages_ && severity != GL_DEBUG_SEVERITY_NOTIFICATION)
      std::cerr << "gaussmap: OpenGL " << debugTypeName(type) << ": " << text << '\n';
    // Only API errors: the compiler's errors reach the user through the shader's info log.
    const bool api_error = source == GL_DEBUG_SOURCE_API && type == GL_DEBUG_TYPE_ERROR;
    if (api_error && context.debug_errors_.size() < kMaxRecordedDebugErrors)
      context.debug_errors_.push_back(std::move(text));
  }
};

Context::~Context() = default;

bool debugContextRequested() {
  const char* value = std::getenv("GAUSSMAP_GL_DEBUG");
  return value != nullptr && std::string_view(value) == "1";
}

std::string Context::takeDebugErrors() {
  std::string joined;
  for (const std::string& error : debug_errors_) {
    if (!joined.empty()) joined += "; ";
    joined += error;
  }
  debug_errors_.clear();
  return joined;
}

void Context::finish() {
  makeCurrent();
  glFinish();
}

int Capabilities::maxTargetWidth() const {
  return std::min(max_texture_size, max_viewport_width);
}

int Capabilities::maxTargetHeight() const {
  return std::min(max_texture_size, max_viewport_height);
}

std::string targetSizeProblem(const Capabilities& caps, int width, int height) {
  if (width <= caps.maxTargetWidth() && height <= caps.maxTargetHeight()) return {};
  return std::to_string(width) + "x" + std::to_string(height) +
         " samples exceed this OpenGL context's largest render target, " +
         std::to_string(caps.maxTargetWidth()) + "x" + std::to_string(caps.maxTargetHeight()) +
         " (GL_MAX_TEXTURE_SIZE " + std::to_string(caps.max_texture_size) +
         ", GL_MAX_VIEWPORT_DIMS " + std::to_string(caps.max_viewport_width) + "x" +
         std::to_string(caps.max_viewport_height) + " on " + caps.renderer + ")";
}

void Context::initialize() {
  caps_.major = glInteger(GL_MAJOR_VERSION);
  caps_.minor = glInteger(GL_MINOR_VERSION);
  caps_.vendor = glString(GL_VENDOR);
  caps_.renderer = glString(GL_RENDERER);
  caps_.version = glString(GL_VERSION);
  if (caps_.major < 3 || (caps_.major == 3 && caps_.minor < 3)) {
    throw RuntimeError("OpenGL 3.3 core is required, but the context is OpenGL " + caps_.version +
                       " on " + caps_.renderer);
  }
  caps_.timer_query = true;
  caps_.max_uniform_block_size = glInteger(GL_MAX_UNIFORM_BLOCK_SIZE);
  caps_.max_texture_size = glInteger(GL_MAX_TEXTURE_SIZE);
  GLint viewport[2] = {0, 0};
  glGetIntegerv(GL_MAX_VIEWPORT_DIMS, viewport);
  caps_.max_viewport_width = viewport[0];
  caps_.max_viewport_height = viewport[1];

  // glad loads glDebugMessageCallback only through KHR_debug, which every GL 4.3+ driver lists.
  const bool khr_debug = GLAD_GL_KHR_debug != 0 && glDebugMessageCallback != nullptr;
  const bool arb_debug = GLAD_GL_ARB_debug_output != 0 && glDebugMessageCallbackARB != nullptr;
  caps_.debug_output = khr_debug || arb_debug;
  print_debug_messages_ = debugContextRequested();
  if (!caps_.debug_output) return;

  // Synchronous, so a message is recorded before the glGetError that checkGl makes.
  glEnable(GL_DEBUG_OUTPUT_SYNCHRONOUS);
  // Outside debug mode only errors are wanted; the driver need not format the rest.
  const GLboolean want_all = print_debug_messages_ ? GL_TRUE : GL_FALSE;
  if (khr_debug) {
    glEnable(GL_DEBUG_OUTPUT);
    glDebugMessageCallback(&DebugMessageSink::receive, this);
    glDebugMessageControl(GL_DONT_CARE, GL_DONT_CARE, GL_DONT_CARE, 0, nullptr, want_all);
    glDebugMessageControl(GL_DEBUG_SOURCE_API, GL_DEBUG_TYPE_ERROR, GL_DONT_CARE, 0, nullptr,
                          GL_TRUE);
  } else {
    glDebugMessageCallbackARB(&DebugMessageSink::receive, this);
    glDebugMessageControlARB(GL_DONT_CARE, GL_DONT_CARE, GL_DONT_CARE, 0, nullptr, want_all);
    glDebugMessageControlARB(GL_DEBUG_SOURCE_API, GL_DEBUG_TYPE_ERROR, GL_DONT_CARE, 0, nullptr,
                             GL_TRUE);
  }
  // Setting up debug output must not leave an error for the caller's first checkGl.
  for (int i = 0; i < 8 && glGetError() != GL_NO_ERROR; ++i) {
  }
  debug_errors_.clear();
}

}  // namespace gaussmap::gl
