#pragma once
// What every backend (reference, gl, later cpu) offers: values for a scene, then colours.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "gaussmap/colormap.h"
#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap {

// A rectangle of a scene's sample grid: columns [i0, i0 + width), rows [j0, j0 + height). A
// window's render is that crop of the whole render: its pixel (i, j) is the whole render's
// (i0 + i, j0 + j), bit for bit on the backends that render windows (cpu, reference), because
// each sample is computed from the whole grid's indices exactly as the whole render computes it.
struct SampleWindow {
  int i0 = 0, j0 = 0, width = 0, height = 0;
  bool operator==(const SampleWindow&) const = default;
};

// The window that is the whole grid.
SampleWindow wholeGrid(const Scene& scene);

// Throws InputError when `window` is not a non-empty rectangle inside the scene's grid, naming
// the problem, e.g. "--window 100,50,64x32 reaches column 163 of a 150-sample-wide grid
// (columns 0..149)".
void validateWindow(const Scene& scene, const SampleWindow& window);

class Renderer {
 public:
  virtual ~Renderer() = default;
  // "reference", "gl", ...
  virtual std::string name() const = 0;
  // The value of every sample, row j = y_j.
  virtual FloatImage render(const Scene& scene) = 0;
  // The values of a window of the grid (validated first: InputError when it is not inside).
  // This default renders only the whole grid (through render) and otherwise throws RuntimeError:
  // a backend that can render a window overrides it.
  virtual FloatImage renderWindow(const Scene& scene, const SampleWindow& window);
  // Colours for values; backends with a GPU colormap pass override this. The result must equal
  // applyColormap's to within 1 level of 255.
  virtual RgbImage colorize(const FloatImage& values, const ValueMapping& mapping,
                            const Colormap& map, Origin origin) {
    return applyColormap(values, mapping, map, origin);
  }
  // Why this renderer cannot render `scene` at all (e.g. beyond a GL context's largest render
  // target), or an empty string when it can. Lets `--backend auto` fall back before any work.
  virtual std::string cannotRender(const Scene& scene) const {
    (void)scene;
    return {};
  }
  // Extra figures about the last render (e.g. GPU timings in ms, the GL path used), for --stats.
  virtual nlohmann::ordered_json lastStats() const { return nlohmann::ordered_json::object(); }
};

// Throws RuntimeError when `values` holds a NaN or an infinity, naming the first such sample and
// `what` rendered it: no file may hold one as if it were a result. The scene's validation keeps
// every backend's arithmetic finite, so this is a guard against a defect, never the common path.
void requireFiniteValues(const FloatImage& values, const std::string& what);

}  // namespace gaussmap
