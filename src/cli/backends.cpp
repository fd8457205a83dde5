#include "cli/backends.h"

#include "core/errors.h"
#include "gl/gl_backend.h"
#include "reference/reference_backend.h"

namespace gaussmap::cli {

void BackendChoice::addTo(CLI::App& app) {
  app.add_option("--backend", backend,
                 "Renderer: gl (OpenGL; headless through EGL) or reference (exact, double "
                 "precision, slow)")
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
  if (backend == "gl") {
    try {
      return gl::createHeadlessGlRenderer(*path);
    } catch (const RuntimeError& e) {
      throw RuntimeError(std::string("cannot create an OpenGL context: ") + e.what() +
                         "\nhint: --backend reference renders the same values on the CPU");
    }
  }
  throw InputError("--backend: unknown backend '" + backend + "' (expected gl|reference)");
}

}  // namespace gaussmap::cli
