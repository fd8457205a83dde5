#include "gaussmap/render_outputs.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/interrupt.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"
#include "io/atomic_file.h"
#include "io/geotiff.h"

namespace gaussmap {
namespace {

// Values in JSON, written row by row (a float's shortest round-trip text, not its double's).
void writeValuesJson(const std::string& path, const Scene& scene, const FloatImage& values,
                     std::optional<double> time, const std::string& window) {
  const Extent e = scene.effectiveExtent();
  nlohmann::ordered_json head;
  head["width"] = values.width;
  head["height"] = values.height;
  head["extent"] = {e.x0, e.x1, e.y0, e.y1};
  if (time) head["time"] = *time;
  if (!window.empty()) head["window"] = window;
  const std::string scene_json = nlohmann::ordered_json::parse(sceneToJson(scene)).dump();
  writeOutput(path, [&](std::FILE* file) {
    std::string text = head.dump();
    text.pop_back();  // the closing brace: values and the scene follow
    text += ",\"values\":[";
    char number[32];
    for (int j = 0; j < values.height; ++j) {
      if (j % 256 == 0) throwIfInterrupted();
      text += j == 0 ? "[" : ",\n[";
      for (int i = 0; i < values.width; ++i) {
        if (i > 0) text += ',';
        const auto [end, ec] = std::to_chars(number, number + sizeof number, values.at(i, j));
        text.append(number, end);
      }
      text += ']';
      if (text.size() >= (std::size_t{4} << 20) || j + 1 == values.height) {
        if (std::fwrite(text.data(), 1, text.size(), file) != text.size())
          throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
        text.clear();
      }
    }
    text += "],\"scene\":" + scene_json + "}\n";
    if (std::fwrite(text.data(), 1, text.size(), file) != text.size())
      throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
  });
}

// Each value's position along the mapping as 0..65535, rows flipped for origin lower as the
// colours are.
Gray16Image quantiseValues(const FloatImage& values, const ValueMapping& mapping, Origin origin) {
  Gray16Image out(values.width, values.height);
  for (int j = 0; j < values.height; ++j) {
    const int source_row = origin == Origin::Lower ? values.height - 1 - j : j;
    for (int i = 0; i < values.width; ++i)
      out.at(i, j) =
          std::uint16_t(std::lround(mapping.position(values.at(i, source_row)) * 65535.0));
  }
  return out;
}

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

// A PNG's text chunks: the scene, the software, and the time and window when given.
std::map<std::string, std::string> pngText(const Scene& scene, const OutputContext& context) {
  std::map<std::string, std::string> text{{kPngSceneKey, sceneToJson(scene)},
                                          {"Software", "gaussmap " GAUSSMAP_VERSION}};
  if (context.time) text[kPngTimeKey] = timeText(*context.time);
  if (!context.window.empty()) text[kPngWindowKey] = context.window;
  return text;
}

}  // namespace

OutputFormat outputFormatOf(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (ext == ".png") return OutputFormat::Png;
  if (ext == ".npy") return OutputFormat::Npy;
  if (ext == ".json") return OutputFormat::Json;
  if (ext == ".tif" || ext == ".tiff") return OutputFormat::GeoTiff;
  if (ext == ".svg") return OutputFormat::Svg;
  if (ext == ".geojson") return OutputFormat::GeoJson;
  throw InputError(path + ": unknown output format '" + ext +
                   "' (expected .png for colours, .npy for float32 values, .json for values as "
                   "text, .tif for a GeoTIFF of them, .svg for a figure or .geojson for contours)");
}

std::optional<OutputFormat> outputFormatNamed(const std::string& name) {
  if (name == "png") return OutputFormat::Png;
  if (name == "npy") return OutputFormat::Npy;
  if (name == "json") return OutputFormat::Json;
  return std::nullopt;
}

void writeRenderOutput(const std::string& path, const Scene& scene, const FloatImage& values,
                       const RgbImage* colours, const OutputContext& context) {
  writeRenderOutput(path, outputFormatOf(path), scene, values, colours, context);
}

void writeRenderOutput(const std::string& path, OutputFormat format, const Scene& scene,
                       const FloatImage& values, const RgbImage* colours,
                       const OutputContext& context) {
  switch (format) {
    case OutputFormat::Npy:
      writeNpy(path, values);
      return;
    case OutputFormat::Json:
      writeValuesJson(path, scene, values, context.time, context.window);
      return;
    case OutputFormat::GeoTiff:
      writeSceneGeoTiff(path, scene, values, context.time, context.window, context.crs);
      return;
    case OutputFormat::Svg:
    case OutputFormat::GeoJson:
      throw InputError(path +
                       ": figures (.svg) and contours (.geojson) are written by `gaussmap "
                       "render`");
    case OutputFormat::Png16: {
      const ValueMapping mapping = resolveValueMapping(scene.display, values.pixels);
      nlohmann::ordered_json range;
      range["lo"] = mapping.lo;
      range["hi"] = mapping.hi;
      range["scale"] = toString(mapping.scale);
      auto text = pngText(scene, context);
      text[kPngRangeKey] = range.dump();
      writeGrayPng16(path, quantiseValues(values, mapping, scene.display.origin), text);
      return;
    }
    case OutputFormat::Png:
      if (!colours) throw RuntimeError(path + ": no colours to write");
      if (context.alpha.kind == AlphaRule::Kind::None) {
        writePng(path, *colours, pngText(scene, context));
      } else {
        const ValueMapping mapping = resolveValueMapping(scene.display, values.pixels);
        writePng(path, withAlpha(*colours, values, mapping, scene.display.origin, context.alpha),
                 pngText(scene, context));
      }
      return;
  }
}

void writeRenderPng(const std::string& path, const Scene& scene, const RgbaImage& colours,
                    const OutputContext& context) {
  writePng(path, colours, pngText(scene, context));
}

}  // namespace gaussmap
