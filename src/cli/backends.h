#pragma once
// The command line's --backend and --gl-path, made into a RenderSession
// (include/gaussmap/render.h).
#include <CLI/CLI.hpp>
#include <string>

#include "gaussmap/render.h"

namespace gaussmap::cli {

struct BackendChoice {
  std::string backend = "auto";  // one of backendInfos()' names
  std::string gl_path = "auto";  // auto | loop | footprint (gl only)

  void addTo(CLI::App& app);
  // InputError for an unknown name; RuntimeError (exit 1) when `gl` was asked for and no OpenGL
  // context can be made. `auto` says which backend it took and why in one line on stderr.
  RenderSession create() const;
};

}  // namespace gaussmap::cli
