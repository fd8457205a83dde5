#pragma once
// A heat map as a figure a scientist can put on a slide: the image at its true aspect in axes
// with ticks in scene coordinates (respecting origin), a colorbar with ticks on the colour scale
// (linear, sqrt, log), an optional title, and the overlays (contours, kernel ellipses). One
// layout, two renderings: a PNG (raster, text by FreeType) and an SVG (the heat map embedded as
// a PNG; axes, text and lines as vectors).
#include <optional>
#include <string>
#include <vector>

#include "figure/font.h"
#include "figure/overlays.h"
#include "gaussmap/image.h"
#include "gaussmap/render.h"
#include "gaussmap/scene.h"

namespace gaussmap::figure {

struct FigureOptions {
  std::string title;                          // above the axes; empty = none
  std::optional<std::string> colorbar_label;  // nullopt = from the scene (defaultColorbarLabel)
};

// What the scene's values are: "density", "probability (union)", "peak value", ...
std::string defaultColorbarLabel(const Scene& scene);

// `values` are the render of `window` of the scene's grid.
struct FigureInput {
  const FloatImage& values;
  const Scene& scene;
  SampleWindow window;
  const Overlays& overlays;
  const FigureOptions& options;
};

RgbImage figurePng(const FigureInput& input, Font& font);
// The same figure as SVG text.
std::string figureSvg(const FigureInput& input, Font& font);

// Where things are in a figure (pixels from its top left), for tests and for callers that
// annotate it further.
struct PlacedTick {
  double pixel = 0;  // x for the x axis, y for the y axis and the colorbar
  std::string label;
};
struct FigureGeometry {
  int width = 0, height = 0;
  double plot_x0 = 0, plot_y0 = 0, plot_width = 0, plot_height = 0;
  double bar_x0 = 0, bar_y0 = 0, bar_width = 0, bar_height = 0;
  std::vector<PlacedTick> x_ticks, y_ticks, bar_ticks;  // labelled ticks, as drawn
};
FigureGeometry figureGeometry(const FigureInput& input, Font& font);

}  // namespace gaussmap::figure
