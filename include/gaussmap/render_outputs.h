#pragma once
// Writing a rendered scene to its output files, the one way `gaussmap render` and the viewer's
// export both use: .npy = float32 values; .png = colours with the scene JSON in a text chunk;
// .json = the values as numbers beside the scene (for tools that read neither).
// .svg (figures) and .geojson (contours) are known here but written by `gaussmap render` itself
// (src/cli/figure_outputs.cpp): they need its figure and contour options.
// .tif/.tiff = the float32 values as a Cloud-Optimized GeoTIFF placed by the scene's extent.
#include <optional>
#include <string>

#include "gaussmap/colormap.h"
#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap {

// Png16: a .png of the values themselves, 16-bit grayscale, mapped by the display's range and
// scale (`render --bits 16`), with that range in a kPngRangeKey text chunk; no colours needed.
enum class OutputFormat { Png, Npy, Json, Png16, GeoTiff, Svg, GeoJson };

// From the extension (case-insensitive); InputError naming the path for anything else.
OutputFormat outputFormatOf(const std::string& path);
// "png", "npy", "json" (as --format spells them); nullopt for anything else.
std::optional<OutputFormat> outputFormatNamed(const std::string& name);

// What an output records beside its values and colours.
struct OutputContext {
  std::optional<double> time;  // an animated scene's time
  std::string window;          // the window of the grid, "I0,J0,WxH" (empty: the whole grid)
  std::string crs;             // GeoTIFF: "EPSG:NNNN" (empty: none); ignored by the others
  AlphaRule alpha;             // 8-bit PNG: the opacity of each sample (withAlpha; none: RGB)
};

// Writes one output atomically (PNG, NPY, JSON or GeoTIFF; InputError for figures and contours).
// `colours` is needed for PNG (may be null for the others). A PNG records the scene (and, for an
// animated scene rendered at a time, that time; for a window of its grid, the window as
// "I0,J0,WxH") in text chunks; a GeoTIFF the same in its metadata (GAUSSMAP_SCENE, GAUSSMAP_TIME,
// GAUSSMAP_WINDOW), georeferenced by the window's place in the scene's grid (README "GeoTIFF"),
// with the context's CRS. A PNG with an alpha rule other than none is RGBA, its opacity from
// `values` by the rule.
void writeRenderOutput(const std::string& path, const Scene& scene, const FloatImage& values,
                       const RgbImage* colours, const OutputContext& context = {});
// The same in a given format, whatever the path's extension: "-" (standard output) has none.
// JSON: {"width", "height", "extent": [x0, x1, y0, y1], "values": [[row 0], ...] (row j = y_j,
// each float32 in its shortest round-trip form), "scene": the scene, "time"/"window" if given}.
void writeRenderOutput(const std::string& path, OutputFormat format, const Scene& scene,
                       const FloatImage& values, const RgbImage* colours,
                       const OutputContext& context = {});
// A PNG output of colours that carry their own opacity, with the same text chunks.
void writeRenderPng(const std::string& path, const Scene& scene, const RgbaImage& colours,
                    const OutputContext& context = {});

}  // namespace gaussmap
