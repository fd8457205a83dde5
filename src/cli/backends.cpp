#include "cli/backends.h"

#include <iostream>

#include "gaussmap/errors.h"
#include "cpu/cpu_renderer.h"
#include "gl/gl_backend.h"
#include "reference/reference_backend.h"

namespace gaussmap::cli {
namespace {

// The notice stays one line even when the context's error names several attempts.
std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

}  // namespace

void BackendChoice::addTo(CLI::App& app) {
  app.add_option("--backend", backend,
                 "Renderer: auto (gl on a hardware GPU; cpu on a software rasterizer such as "
                 "llvmpipe, or without OpenGL), gl (OpenGL; "
                 "headless through EGL), cpu (multithreaded SIMD, float32) or reference (exact, "
                 "double precision, slow)")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--gl-path", gl_path,
                 "GL path: loop (every kernel per pixel), footprint (one quad per kernel) or auto "
                 "(picked from an estimate of the work)")
      ->type_name("PATH")
      ->capture_default_str();
}

std::unique_ptr<Renderer> BackendChoice::create(std::string* reason) const {
  const auto path = fromString<GlPath>(gl_path);
  if (!path) throw InputError("--gl-path: unknown path '" + gl_path + "' (expected auto|loop|footprint)");
  if (backend == "reference") return std::make_unique<reference::ReferenceRenderer>();
  if (backend == "cpu") return std::make_unique<cpu::CpuRenderer>();
  if (backend == "auto") {
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
    if (reason) *reason = choice.reason;
    if (choice.kind == gl::AutoBackendChoice::Cpu) {
      std::cerr << "gaussmap: backend auto: cpu (" << choice.reason
                << "; --backend gl forces OpenGL)\n";
      return std::make_unique<cpu::CpuRenderer>();
    }
    std::cerr << "gaussmap: backend auto: gl (" << choice.reason
              << "; --backend cpu renders on the CPU)\n";
    return gl::withFallbackBeyondLimits(
        gl::createHeadlessGlRenderer(std::move(context), *path),
        [] { return std::make_unique<cpu::CpuRenderer>(); },
        [](const std::string& why) {
          std::cerr << "gaussmap: backend auto: cpu for this scene (" << why << ")\n";
        });
  }
  if (backend == "gl") {
    try {
      return gl::createHeadlessGlRenderer(*path);
    } catch (const RuntimeError& e) {
      throw RuntimeError(std::string("cannot create an OpenGL context: ") + e.what() +
                         "\nhint: --backend cpu renders the same values on the CPU");
    }
  }
  throw InputError("--backend: unknown backend '" + backend + "' (expected auto|gl|cpu|reference)");
}

}  // namespace gaussmap::cli
