#pragma once
// Choosing and creating a renderer from the command line's --backend (and --gl-path).
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "core/renderer.h"

namespace gaussmap::cli {

struct BackendChoice {
  std::string backend = "auto";  // auto | gl | cpu | reference
  std::string gl_path = "auto";  // auto | loop | footprint (gl only)

  void addTo(CLI::App& app);
  // InputError for an unknown name; RuntimeError (exit 1) when `gl` was asked for and the GL
  // context cannot be made, with a hint to use --backend reference. `auto` takes gl when a
  // context can be made, else cpu, and says which in one line on stderr.
  std::unique_ptr<Renderer> create() const;
};

}  // namespace gaussmap::cli
