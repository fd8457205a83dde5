#pragma once
// What is drawn over a heat map: contour lines and the kernels' 1-sigma ellipses, in scene
// coordinates. Plain PNG outputs get them drawn onto their pixels (drawOverlays); figures place
// the same lines in their axes.
#include <string>
#include <vector>

#include "figure/raster.h"
#include "gaussmap/contours.h"
#include "gaussmap/render.h"
#include "gaussmap/scene.h"

namespace gaussmap::figure {

struct Overlays {
  std::vector<Contour> contours;       // scene coordinates (computeContours)
  Rgb8 contour_colour{255, 255, 255};  // --contour-color (default white)
  std::vector<Kernel> kernels;         // --show-kernels: their 1-sigma ellipses, dashed
  bool empty() const { return contours.empty() && kernels.empty(); }
};

// "white", "black", "red", ... or "#rrggbb"; InputError naming `where` otherwise.
Rgb8 parseColour(const std::string& text, const std::string& where);
// The names parseColour knows, for --help.
std::string colourNames();

// The kernel's ellipse of Mahalanobis radius `radius` as a closed polyline in scene coordinates.
std::vector<Point> kernelEllipse(const Kernel& kernel, double radius = 1, int segments = 120);

// Draws the overlays onto a render's colours, one pixel per sample of `window` (as the PNG shows
// them: row 0 at y0 for origin upper, flipped for lower).
void drawOverlays(RgbImage& colours, const Overlays& overlays, const SampleGrid& grid,
                  const SampleWindow& window, Origin origin);

}  // namespace gaussmap::figure
