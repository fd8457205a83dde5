#pragma once
// Writing a rendered scene to its output files, the one way `gaussmap render` and the viewer's
// export both use: .npy = float32 values; .png = colours with the scene JSON in a text chunk.
// .svg (figures) and .geojson (contours) are known here but written by `gaussmap render` itself
// (src/cli/figure_outputs.cpp): they need its figure and contour options.
#include <optional>
#include <string>

#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap {

enum class OutputFormat { Png, Npy, Svg, GeoJson };

// From the extension (case-insensitive); InputError naming the path for anything else.
OutputFormat outputFormatOf(const std::string& path);

// Writes one output atomically (PNG or NPY; InputError for the others). `colours` is needed for
// PNG (may be null for NPY). A PNG records
// the scene (and, for an animated scene rendered at a time, that time; for a window of its grid,
// the window as "I0,J0,WxH") in text chunks.
void writeRenderOutput(const std::string& path, const Scene& scene, const FloatImage& values,
                       const RgbImage* colours, std::optional<double> time = std::nullopt,
                       const std::string& window = {});

}  // namespace gaussmap
