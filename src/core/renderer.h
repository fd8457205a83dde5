#pragma once
// What every backend (reference, cpu, gl) offers: values for a scene, then colours. Internal:
// callers outside the library use include/gaussmap/render.h, whose registry makes these.
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <string_view>

#include "gaussmap/colormap.h"
#include "gaussmap/image.h"
#include "gaussmap/render.h"
#include "gaussmap/scene.h"

namespace gaussmap {

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
  // renderWindow into the caller's memory (out.size() == window.width * window.height, checked by
  // the caller). This default copies renderWindow's image; a backend that can write in place
  // overrides it.
  virtual void renderWindowInto(const Scene& scene, const SampleWindow& window,
                                std::span<float> out);
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
void requireFiniteValues(std::span<const float> values, int width, const std::string& what);
inline void requireFiniteValues(const FloatImage& values, const std::string& what) {
  requireFiniteValues(values.pixels, values.width, what);
}

}  // namespace gaussmap
