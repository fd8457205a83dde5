#include "cli/backends.h"

#include "core/errors.h"
#include "reference/reference_backend.h"

namespace gaussmap::cli {

void BackendChoice::addTo(CLI::App& app) {
  app.add_option("--backend", backend,
                 "Renderer: gl (OpenGL, the default) or reference (exact, double precision, slow)")
      ->type_name("NAME")
      ->capture_default_str();
}

std::unique_ptr<Renderer> BackendChoice::create() const {
  if (backend == "reference") return std::make_unique<reference::ReferenceRenderer>();
  throw InputError("--backend: unknown backend '" + backend + "' (expected reference)");
}

}  // namespace gaussmap::cli
