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
  // context cannot be made, with a hint to use --backend cpu. `auto` takes gl on a hardware GPU
  // and cpu on a software rasterizer or without a context (gl::chooseAutoBackend), says which
  // and why in one line on stderr, and puts the why in `reason` (for --stats).
  std::unique_ptr<Renderer> create(std::string* reason = nullptr) const;
};

}  // namespace gaussmap::cli
