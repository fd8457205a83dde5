#pragma once
// The OpenGL renderer behind the Renderer interface, on its own headless (EGL) context.
#include <memory>

#include "core/renderer.h"
#include "gl/heatmap_renderer.h"

namespace gaussmap::gl {

// Throws RuntimeError when no OpenGL context can be created (the message names every attempt).
std::unique_ptr<Renderer> createHeadlessGlRenderer(GlPath path);

}  // namespace gaussmap::gl
