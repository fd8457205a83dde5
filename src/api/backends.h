#pragma once
// The backend registry: the one place that turns a Backend (and GL path, threads) into a
// Renderer. The CLI, bench, the viewer's export and Python all create backends here.
#include <functional>
#include <memory>
#include <string>

#include "core/renderer.h"
#include "gaussmap/render.h"

namespace gaussmap::api {

struct CreatedRenderer {
  std::unique_ptr<Renderer> renderer;
  Backend backend = Backend::Cpu;  // what `auto` became
  std::string reason;              // why (auto only)
};

// `gl_path` matters to gl (and auto when it takes gl) only. RuntimeError (with a hint to use cpu)
// when gl was asked for and no OpenGL context can be made. `auto` takes gl on a hardware GPU and
// cpu on a software rasterizer or without a context (gl::chooseAutoBackend), calls `notice` with
// one line saying which and why, and falls back to cpu per scene beyond GL's render-target limits
// (again with a notice).
CreatedRenderer createRenderer(Backend backend, GlPath gl_path, int threads,
                               const std::function<void(const std::string&)>& notice);

}  // namespace gaussmap::api
