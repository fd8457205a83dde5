#pragma once
// GeoTIFF outputs (`render -o heat.tif`): the float32 values as a Cloud-Optimized GeoTIFF
// (GDAL's COG driver: 512x512 tiles, DEFLATE with the floating-point predictor, overviews
// averaged from the full resolution), georeferenced by the scene's extent. geotiff.cpp is the only
// file that includes GDAL's headers.
//
// The convention (README "GeoTIFF"): sample (i, j) lies at (x_i, y_j) and a GeoTIFF pixel is an
// area, so each pixel is the cell centred on its sample (|step| wide; 1 unit for a single column
// or row, as the `cell` rule). The raster is written north-up and east-right: the first row is
// the largest y, the first column the smallest x, so rows are flipped when y grows with j and
// columns when x falls with i. The geotransform's pixel width is positive, its height negative.
#include <map>
#include <string>

#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap {

// Metadata keys (GDAL's default domain) holding what a PNG holds in its text chunks.
inline constexpr const char* kGeoTiffSceneKey = "GAUSSMAP_SCENE";
inline constexpr const char* kGeoTiffSceneOmittedKey = "GAUSSMAP_SCENE_OMITTED";
inline constexpr const char* kGeoTiffTimeKey = "GAUSSMAP_TIME";
inline constexpr const char* kGeoTiffWindowKey = "GAUSSMAP_WINDOW";

// Checks before any work that a GeoTIFF can be written: GDAL loads (a RuntimeError saying what is
// missing otherwise; GDAL is loaded by its soname when first needed, not linked) and `crs`, unless
// empty, is "EPSG:NNNN" (any case) naming a geographic or projected CRS that PROJ's database
// knows (an InputError naming the value otherwise).
void checkGeoTiffOutput(const std::string& crs);

// Where the values lie: the whole scene's sample grid and the first column and row of the window
// the values are (0, 0 for the whole grid).
struct GeoTiffPlacement {
  SampleGrid grid;
  int i0 = 0, j0 = 0;
};

// GDAL's geotransform for `values` placed as above: {x of the left edge, pixel width, 0, y of the
// top edge, 0, -pixel height}, and whether rows and columns are flipped on the way to the file.
struct GeoTransform {
  double coefficients[6];
  bool flip_rows = false, flip_columns = false;
};
GeoTransform geoTransformOf(const GeoTiffPlacement& placement, int width, int height);

// Writes `values` as a COG through writeFileAtomically (GDAL writes it in memory first, so a
// failure or an interrupt leaves nothing on disk: the file is at most the size of the values plus
// a third for the overviews). `crs` empty = no CRS; otherwise checked as checkGeoTiffOutput.
// `metadata` goes into the dataset's metadata (a kGeoTiffSceneKey value of kPngMaxTextBytes or
// more is replaced by a kGeoTiffSceneOmittedKey note). GDAL's errors become RuntimeErrors naming
// `path`; GDAL prints nothing.
void writeGeoTiff(const std::string& path, const FloatImage& values,
                  const GeoTiffPlacement& placement, const std::string& crs,
                  const std::map<std::string, std::string>& metadata);

}  // namespace gaussmap
