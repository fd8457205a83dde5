#pragma once
// Writing a rendered scene to its output files, the one way `gaussmap render` and the viewer's
// export both use: .npy = float32 values; .png = colours with the scene JSON in a text chunk;
// .tif/.tiff = the float32 values as a Cloud-Optimized GeoTIFF placed by the scene's extent.
#include <optional>
#include <string>

#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap {

enum class OutputFormat { Png, Npy, GeoTiff };

// From the extension (case-insensitive); InputError naming the path for anything else.
OutputFormat outputFormatOf(const std::string& path);

// Writes one output atomically. `colours` is needed for PNG (may be null for NPY). A PNG records
// the scene (and, for an animated scene rendered at a time, that time; for a window of its grid,
// the window as "I0,J0,WxH") in text chunks; a GeoTIFF the same in its metadata (GAUSSMAP_SCENE,
// GAUSSMAP_TIME, GAUSSMAP_WINDOW), georeferenced by the window's place in the scene's grid (README
// "GeoTIFF"), with `crs` ("EPSG:NNNN"; empty = none) as its CRS. `crs` is ignored by the others.
void writeRenderOutput(const std::string& path, const Scene& scene, const FloatImage& values,
                       const RgbImage* colours, std::optional<double> time = std::nullopt,
                       const std::string& window = {}, const std::string& crs = {});

}  // namespace gaussmap
