#pragma once
// An OpenGL 3.3+ core context, headless (EGL) or in a window (GLFW), and what it can do.
// This header carries no OpenGL types, so code outside src/gl/ may hold a Context.
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace gaussmap::gl {

struct Capabilities {
  int major = 0;
  int minor = 0;
  std::string vendor;              // GL_VENDOR, e.g. "Mesa"
  std::string renderer;            // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"
  std::string version;             // GL_VERSION, e.g. "4.5 (Core Profile) Mesa 22.3.6"
  bool debug_output = false;       // KHR_debug or ARB_debug_output: checkGl gets the driver's text
  bool timer_query = false;        // GL_TIME_ELAPSED queries (core since 3.3)
  int max_uniform_block_size = 0;  // bytes
  int max_texture_size = 0;        // texels per side
  int max_viewport_width = 0;      // GL_MAX_VIEWPORT_DIMS
  int max_viewport_height = 0;
  // The largest render target the renderer can use: both limits at once.
  int maxTargetWidth() const;
  int maxTargetHeight() const;
};

// Why a width x height render target cannot be made on a context with these capabilities
// ("32768x1 samples exceed this OpenGL context's largest render target, 16384x16384 ..."), or
// an empty string when it can.
std::string targetSizeProblem(const Capabilities& caps, int width, int height);

class Context {
 public:
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;
  virtual ~Context();

  virtual void makeCurrent() = 0;
  const Capabilities& caps() const { return caps_; }
  // One line, e.g. "OpenGL 4.5 (Core Profile) Mesa 22.3.6 on llvmpipe (...) via EGL surfaceless".
  virtual std::string description() const = 0;

  // The GL errors the driver described since the last call, joined by "; " (empty when none or
  // when the context has no debug output). checkGl uses it; it also clears the record.
  std::string takeDebugErrors();

  // Waits until the GL work queued so far is done (glFinish): timing a stage honestly (the
  // viewer's --frame-stats) needs it, since GL calls only queue work.
  void finish();

 protected:
  Context() = default;
  // Call once the context is current and glad is loaded: fills caps() and installs the debug
  // message callback, which points at this object (so a Context never moves).
  void initialize();

 private:
  friend struct DebugMessageSink;
  Capabilities caps_;
  std::vector<std::string> debug_errors_;
  bool print_debug_messages_ = false;
};

// True when GAUSSMAP_GL_DEBUG=1: ask for a debug context and print the driver's messages.
bool debugContextRequested();

// The EGL devices a headless context could use, surveyed without making a context (a few
// milliseconds, where a context on llvmpipe costs a hundred; nothing at all where the machine
// has no GPU device node).
struct EglDeviceSurvey {
  bool enumerated = false;  // EGL_EXT_device_enumeration and _query answered
  int hardware = 0;         // devices without EGL_MESA_device_software
  int software = 0;         // software rasterizers (EGL_MESA_device_software: llvmpipe, ...)
  std::string summary;      // e.g. "1 EGL device: a software rasterizer (EGL_MESA_device_software)"
};
EglDeviceSurvey surveyEglDevices();

// True when a GL_RENDERER string names a software rasterizer (llvmpipe, softpipe, SwiftShader,
// lavapipe, Microsoft's Basic Render Driver, ...).
bool isSoftwareRenderer(std::string_view gl_renderer);

// Tries, in order: the EGL device platform (hardware devices before software ones), Mesa's
// surfaceless platform, the default EGL display.
// Throws RuntimeError naming every attempt and why it failed. While contexts overlap in time they
// must be destroyed in reverse order of creation (the first one owns the EGL display).
std::unique_ptr<Context> createHeadlessContext();

}  // namespace gaussmap::gl
