#include "gaussmap/render_outputs.h"

#include <cstdio>
#include <filesystem>

#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"

namespace gaussmap {

OutputFormat outputFormatOf(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".png") return OutputFormat::Png;
  if (ext == ".npy") return OutputFormat::Npy;
  if (ext == ".svg") return OutputFormat::Svg;
  if (ext == ".geojson") return OutputFormat::GeoJson;
  throw InputError(path + ": unknown output format '" + ext +
                   "' (expected .png for colours, .npy for float32 values, .svg for a figure or "
                   ".geojson for contours)");
}

void writeRenderOutput(const std::string& path, const Scene& scene, const FloatImage& values,
                       const RgbImage* colours, std::optional<double> time,
                       const std::string& window) {
  const OutputFormat format = outputFormatOf(path);
  if (format == OutputFormat::Npy) {
    writeNpy(path, values);
    return;
  }
  if (format != OutputFormat::Png)
    throw InputError(path +
                     ": figures (.svg) and contours (.geojson) are written by `gaussmap "
                     "render`");
  if (!colours) throw RuntimeError(path + ": no colours to write");
  std::map<std::string, std::string> text{{kPngSceneKey, sceneToJson(scene)},
                                          {"Software", "gaussmap " GAUSSMAP_VERSION}};
  if (time) {
    char t[40];
    std::snprintf(t, sizeof t, "%.17g", *time);
    text[kPngTimeKey] = t;
  }
  if (!window.empty()) text[kPngWindowKey] = window;
  writePng(path, *colours, text);
}

}  // namespace gaussmap
