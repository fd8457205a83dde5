#include "core/renderer.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "gaussmap/errors.h"

namespace gaussmap {

SampleWindow wholeGrid(const Scene& scene) {
  return {0, 0, scene.width, scene.height};
}

void validateWindow(const Scene& scene, const SampleWindow& window) {
  const std::string where = "--window " + std::to_string(window.i0) + "," +
                            std::to_string(window.j0) + "," + std::to_string(window.width) + "x" +
                            std::to_string(window.height);
  if (window.width < 1 || window.height < 1)
    throw InputError(where + ": a window is at least 1x1 samples");
  if (window.i0 < 0)
    throw InputError(where + " starts at column " + std::to_string(window.i0) +
                     ": the grid's columns start at 0");
  if (window.j0 < 0)
    throw InputError(where + " starts at row " + std::to_string(window.j0) +
                     ": the grid's rows start at 0");
  // In 64 bits: i0 + width may pass INT_MAX.
  const std::int64_t last_column = std::int64_t(window.i0) + window.width - 1;
  const std::int64_t last_row = std::int64_t(window.j0) + window.height - 1;
  if (last_column >= scene.width)
    throw InputError(where + " reaches column " + std::to_string(last_column) + " of a " +
                     std::to_string(scene.width) + "-sample-wide grid (columns 0.." +
                     std::to_string(scene.width - 1) + ")");
  if (last_row >= scene.height)
    throw InputError(where + " reaches row " + std::to_string(last_row) + " of a " +
                     std::to_string(scene.height) + "-sample-high grid (rows 0.." +
                     std::to_string(scene.height - 1) + ")");
  // A window of a grid larger than one render (GridLimit::Windows) is itself one render.
  validateSize(window.width, window.height, where);
}

FloatImage Renderer::renderWindow(const Scene& scene, const SampleWindow& window) {
  validateWindow(scene, window);
  if (window == wholeGrid(scene)) return render(scene);
  throw RuntimeError(name() +
                     ": this backend cannot render a window (--backend cpu and reference can)");
}

void Renderer::renderWindowInto(const Scene& scene, const SampleWindow& window,
                                std::span<float> out) {
  const FloatImage values = renderWindow(scene, window);
  std::copy(values.pixels.begin(), values.pixels.end(), out.begin());
}

void requireFiniteValues(std::span<const float> values, int width, const std::string& what) {
  for (std::size_t k = 0; k < values.size(); ++k) {
    const float v = values[k];
    if (std::isfinite(v)) continue;
    const int i = int(k % std::size_t(width)), j = int(k / std::size_t(width));
    throw RuntimeError(
        what + " produced " + (std::isnan(v) ? "NaN" : "an infinity") + " at sample (" +
        std::to_string(i) + ", " + std::to_string(j) +
        "): nothing was written (likely cause: a value beyond float32's range, such as huge "
        "weights or sigmas far below the sample step; --backend reference computes "
        "in double precision)");
  }
}

}  // namespace gaussmap
