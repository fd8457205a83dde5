#pragma once
// What every backend (reference, gl, later cpu) offers: values for a scene, then colours.
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/colormap.h"
#include "core/image.h"
#include "core/scene.h"

namespace gaussmap {

class Renderer {
 public:
  virtual ~Renderer() = default;
  // "reference", "gl", ...
  virtual std::string name() const = 0;
  // The value of every sample, row j = y_j.
  virtual FloatImage render(const Scene& scene) = 0;
  // Colours for values; backends with a GPU colormap pass override this. The result must equal
  // applyColormap's to within 1 level of 255.
  virtual RgbImage colorize(const FloatImage& values, const ValueMapping& mapping,
                            const Colormap& map, Origin origin) {
    return applyColormap(values, mapping, map, origin);
  }
  // Extra figures about the last render (e.g. GPU timings in ms, the GL path used), for --stats.
  virtual nlohmann::ordered_json lastStats() const { return nlohmann::ordered_json::object(); }
};

}  // namespace gaussmap
