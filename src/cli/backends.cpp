#include "cli/backends.h"

#include <iostream>

#include "gaussmap/errors.h"

namespace gaussmap::cli {
namespace {

template <class E>
std::string expectedNames() {
  std::string names;
  for (std::string_view name : allNames<E>())
    names += (names.empty() ? "" : "|") + std::string(name);
  return names;
}

}  // namespace

void BackendChoice::addTo(CLI::App& app) {
  std::string help = "Renderer:";
  for (const BackendInfo& info : backendInfos())
    help += std::string(" ") + std::string(info.name) + " (" + std::string(info.help) + ")" +
            (info.backend == Backend::Reference ? "" : ",");
  app.add_option("--backend", backend, help)->type_name("NAME")->capture_default_str();
  app.add_option("--gl-path", gl_path,
                 "GL path: loop (every kernel per pixel), footprint (one quad per kernel) or auto "
                 "(the path a cost model predicts faster)")
      ->type_name("PATH")
      ->capture_default_str();
}

RenderSession BackendChoice::create() const {
  const auto path = fromString<GlPath>(gl_path);
  if (!path)
    throw InputError("--gl-path: unknown path '" + gl_path + "' (expected " +
                     expectedNames<GlPath>() + ")");
  const auto kind = fromString<Backend>(backend);
  if (!kind)
    throw InputError("--backend: unknown backend '" + backend + "' (expected " +
                     expectedNames<Backend>() + ")");
  return RenderSession(*kind, *path, 0,
                       [](const std::string& line) { std::cerr << "gaussmap: " << line << "\n"; });
}

}  // namespace gaussmap::cli
