#include "api/backends.h"

#include "cpu/cpu_renderer.h"
#include "gaussmap/errors.h"
#include "gl/gl_backend.h"
#include "reference/reference_backend.h"

namespace gaussmap {

const std::vector<BackendInfo>& backendInfos() {
  static const std::vector<BackendInfo> infos{
      {Backend::Auto, "auto",
       "gl on a hardware GPU; cpu on a software rasterizer such as llvmpipe, or without OpenGL"},
      {Backend::Gl, "gl", "OpenGL, headless through EGL; float32"},
      {Backend::Cpu, "cpu", "multithreaded SIMD on the CPU, float32"},
      {Backend::Reference, "reference", "exact, double precision, slow: the ground truth"},
  };
  return infos;
}

namespace api {
namespace {

// The notice stays one line even when the context's error names several attempts.
std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

CreatedRenderer createRenderer(Backend backend, GlPath gl_path, int threads,
                               const std::function<void(const std::string&)>& notice) {
  if (threads < 0) throw InputError("threads: must be >= 0 (0 = one per hardware thread)");
  const auto say = [&](const std::string& line) {
    if (notice) notice(line);
  };
  switch (backend) {
    case Backend::Reference:
      return {std::make_unique<reference::ReferenceRenderer>(), Backend::Reference, {}};
    case Backend::Cpu:
      return {std::make_unique<cpu::CpuRenderer>(threads), Backend::Cpu, {}};
    case Backend::Gl:
      try {
        return {gl::createHeadlessGlRenderer(gl_path), Backend::Gl, {}};
      } catch (const RuntimeError& e) {
        throw RuntimeError(std::string("cannot create an OpenGL context: ") + e.what() +
                           "\nhint: --backend cpu renders the same values on the CPU");
      }
    case Backend::Auto:
      break;
  }
  // The fastest backend here: GL on a GPU, cpu on a software rasterizer or without GL.
  gl::AutoBackendChoice choice = gl::chooseAutoBackend(gl::surveyEglDevices());
  std::unique_ptr<gl::Context> context;
  if (choice.kind != gl::AutoBackendChoice::Cpu) {
    try {
      context = gl::createHeadlessContext();
      if (choice.kind == gl::AutoBackendChoice::AskContext) {
        const std::string renderer = context->caps().renderer;
        choice = gl::chooseAutoBackend({}, &renderer);
      }
    } catch (const RuntimeError& e) {
      choice = {gl::AutoBackendChoice::Cpu, "no OpenGL context: " + firstLine(e.what())};
    }
  }
  if (choice.kind == gl::AutoBackendChoice::Cpu) {
    say("backend auto: cpu (" + choice.reason + "; --backend gl forces OpenGL)");
    return {std::make_unique<cpu::CpuRenderer>(threads), Backend::Cpu, choice.reason};
  }
  say("backend auto: gl (" + choice.reason + "; --backend cpu renders on the CPU)");
  auto renderer = gl::withFallbackBeyondLimits(
      gl::createHeadlessGlRenderer(std::move(context), gl_path),
      [threads] { return std::make_unique<cpu::CpuRenderer>(threads); },
      [say](const std::string& why) { say("backend auto: cpu for this scene (" + why + ")"); });
  return {std::move(renderer), Backend::Gl, choice.reason};
}

}  // namespace api
}  // namespace gaussmap
