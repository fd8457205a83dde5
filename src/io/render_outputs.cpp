#include "gaussmap/render_outputs.h"

#include <cstdio>
#include <filesystem>

#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"
#include "io/geotiff.h"

namespace gaussmap {
namespace {

// A time as the outputs record it: every digit a double holds.
std::string timeText(double time) {
  char t[40];
  std::snprintf(t, sizeof t, "%.17g", time);
  return t;
}

// A GeoTIFF of `values`, which are the window "I0,J0,WxH" of the scene's grid (the whole grid
// when empty), with what a PNG's text chunks hold in its metadata.
void writeSceneGeoTiff(const std::string& path, const Scene& scene, const FloatImage& values,
                       std::optional<double> time, const std::string& window,
                       const std::string& crs) {
  GeoTiffPlacement placement{scene.grid()};
  std::map<std::string, std::string> metadata{{kGeoTiffSceneKey, sceneToJson(scene)}};
  if (!window.empty()) {
    int width = 0, height = 0, used = 0;
    if (std::sscanf(window.c_str(), "%d,%d,%dx%d%n", &placement.i0, &placement.j0, &width, &height,
                    &used) != 4 ||
        std::size_t(used) != window.size() || width != values.width || height != values.height)
      throw RuntimeError(path + ": the window '" + window + "' does not describe the values (" +
                         std::to_string(values.width) + "x" + std::to_string(values.height) + ")");
    metadata[kGeoTiffWindowKey] = window;
  }
  if (time) metadata[kGeoTiffTimeKey] = timeText(*time);
  writeGeoTiff(path, values, placement, crs, metadata);
}

}  // namespace

OutputFormat outputFormatOf(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".png") return OutputFormat::Png;
  if (ext == ".npy") return OutputFormat::Npy;
  if (ext == ".tif" || ext == ".tiff") return OutputFormat::GeoTiff;
  throw InputError(path + ": unknown output format '" + ext +
                   "' (expected .png for colours, .npy for float32 values or .tif for a "
                   "GeoTIFF of them)");
}

void writeRenderOutput(const std::string& path, const Scene& scene, const FloatImage& values,
                       const RgbImage* colours, std::optional<double> time,
                       const std::string& window, const std::string& crs) {
  const OutputFormat format = outputFormatOf(path);
  if (format == OutputFormat::Npy) {
    writeNpy(path, values);
    return;
  }
  if (format == OutputFormat::GeoTiff) {
    writeSceneGeoTiff(path, scene, values, time, window, crs);
    return;
  }
  if (!colours) throw RuntimeError(path + ": no colours to write");
  std::map<std::string, std::string> text{{kPngSceneKey, sceneToJson(scene)},
                                          {"Software", "gaussmap " GAUSSMAP_VERSION}};
  if (time) text[kPngTimeKey] = timeText(*time);
  if (!window.empty()) text[kPngWindowKey] = window;
  writePng(path, *colours, text);
}

}  // namespace gaussmap
