#include "cli/backends.h"

#include <iostream>

#include "core/errors.h"
#include "cpu/cpu_renderer.h"
#include "gl/gl_backend.h"
#include "reference/reference_backend.h"

namespace gaussmap::cli {
namespace {

// The notice stays one line even when the context's error names several attempts.
std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

// `--backend auto` on a GL context: GL while the scene fits the context's limits, else the cpu
// backend, saying so once on stderr (a 32768x1 scene is valid, llvmpipe's limit is 16384).
class AutoRenderer : public Renderer {
 public:
  explicit AutoRenderer(std::unique_ptr<Renderer> gl) : gl_(std::move(gl)) {}
  std::string name() const override { return current().name(); }
  FloatImage render(const Scene& scene) override {
    const std::string problem = gl_->cannotRender(scene);
    use_cpu_ = !problem.empty();
    if (use_cpu_ && !cpu_) {
      std::cerr << "gaussmap: backend auto: cpu for this scene (" << problem << ")\n";
      cpu_ = std::make_unique<cpu::CpuRenderer>();
    }
    return current().render(scene);
  }
  RgbImage colorize(const FloatImage& values, const ValueMapping& mapping, const Colormap& map,
                    Origin origin) override {
    return current().colorize(values, mapping, map, origin);
  }
  nlohmann::ordered_json lastStats() const override { return current().lastStats(); }

 private:
  Renderer& current() const { return use_cpu_ ? *cpu_ : *gl_; }

  std::unique_ptr<Renderer> gl_;
  std::unique_ptr<Renderer> cpu_;
  bool use_cpu_ = false;
};

}  // namespace

void BackendChoice::addTo(CLI::App& app) {
  app.add_option("--backend", backend,
                 "Renderer: auto (gl when an OpenGL context can be made, else cpu), gl (OpenGL; "
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

std::unique_ptr<Renderer> BackendChoice::create() const {
  const auto path = gl::glPathFromString(gl_path);
  if (!path) throw InputError("--gl-path: unknown path '" + gl_path + "' (expected auto|loop|footprint)");
  if (backend == "reference") return std::make_unique<reference::ReferenceRenderer>();
  if (backend == "cpu") return std::make_unique<cpu::CpuRenderer>();
  if (backend == "auto") {
    try {
      std::unique_ptr<Renderer> gl = gl::createHeadlessGlRenderer(*path);
      std::cerr << "gaussmap: backend auto: gl (OpenGL context made; --backend cpu renders on the "
                   "CPU)\n";
      return std::make_unique<AutoRenderer>(std::move(gl));
    } catch (const RuntimeError& e) {
      std::cerr << "gaussmap: backend auto: cpu (no OpenGL context: " << firstLine(e.what())
                << ")\n";
      return std::make_unique<cpu::CpuRenderer>();
    }
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
