#pragma once
// gaussmap's public C++ API in one include. Link gaussmap::gaussmap (find_package(gaussmap)).
//   render.h         render(scene, options) -> values; RenderSession for many renders; colorize
//   scene.h          the scene model: Kernel, Extent, SampleGrid, Scene, validateScene
//   options.h        the enumerated settings and their one spelling (toString / fromString)
//   colormap.h       colormaps and the value-to-colour mapping
//   contours.h       contour lines (marching squares), value and mass levels; contours_geojson.h
//   scene_json.h     scene files: loadScene, parseScene, sceneToJson
//   points_csv.h     points as kernels: loadPointsCsv
//   image_io.h       PNG and NPY files; render_outputs.h: a render's outputs as the CLI writes them
//   tiles.h          Web Mercator map tiles: toWebMercator, tileGrid, tilesReached
//   errors.h         InputError (bad input) and RuntimeError (everything else)
#include <string_view>

#include "gaussmap/colormap.h"
#include "gaussmap/contours.h"
#include "gaussmap/contours_geojson.h"
#include "gaussmap/errors.h"
#include "gaussmap/image.h"
#include "gaussmap/image_io.h"
#include "gaussmap/options.h"
#include "gaussmap/points_csv.h"
#include "gaussmap/render.h"
#include "gaussmap/render_outputs.h"
#include "gaussmap/scene.h"
#include "gaussmap/scene_json.h"
#include "gaussmap/tiles.h"

namespace gaussmap {

// The library's version, "MAJOR.MINOR.PATCH" (the project's version in CMakeLists.txt).
std::string_view version();

}  // namespace gaussmap
