#include "cli/figure_outputs.h"

#include "gaussmap/contours_geojson.h"
#include "gaussmap/errors.h"
#include "gaussmap/render_outputs.h"

namespace gaussmap::cli {

void FigureOutputs::addTo(CLI::App& app) {
  app.add_option("--contours", contours_text_,
                 "Contour lines at these values (0.001,0.002), probability-mass levels "
                 "(mass:0.5,0.9: the smallest region holding that fraction of the image's total) "
                 "or sigma levels (sigma:1,2: the mass of a Gaussian's n-sigma ellipse); drawn on "
                 ".png outputs, written by a .geojson output")
      ->type_name("LEVELS");
  app.add_option("--contour-color", contour_colour_text_,
                 "Colour of contour lines and kernel ellipses: " + figure::colourNames() +
                     " or #rrggbb (default white)")
      ->type_name("COLOR");
  app.add_flag("--show-kernels", show_kernels_,
               "Draw each kernel's 1-sigma ellipse (dashed) on .png outputs");
}

void FigureOutputs::check(const std::vector<std::string>& outputs) {
  if (!contours_text_.empty()) levels_ = parseContourLevels(contours_text_, "--contours");
  overlays_.contour_colour = figure::parseColour(contour_colour_text_, "--contour-color");
  for (const std::string& path : outputs) {
    const OutputFormat format = outputFormatOf(path);
    if (format == OutputFormat::GeoJson && !levels_)
      throw InputError(path +
                       ": a .geojson output holds contour lines; give their levels with "
                       "--contours (e.g. --contours mass:0.5,0.9)");
  }
}

void FigureOutputs::prepare(const Scene& scene, const FloatImage& values,
                            const SampleWindow& window) {
  window_ = window;
  if (levels_)
    overlays_.contours = computeContours(values, *levels_, scene.grid(), window.i0, window.j0);
  if (show_kernels_) overlays_.kernels = scene.kernels;
}

bool FigureOutputs::write(const std::string& path, const Scene& scene, const FloatImage& values,
                          const RgbImage& colours, std::optional<double> time,
                          const std::string& window) {
  switch (outputFormatOf(path)) {
    case OutputFormat::GeoJson:
      writeContoursGeoJson(path, overlays_.contours);
      return true;
    case OutputFormat::Png: {
      if (overlays_.empty()) return false;
      RgbImage drawn = colours;
      figure::drawOverlays(drawn, overlays_, scene.grid(), window_, scene.display.origin);
      writeRenderOutput(path, scene, values, &drawn, time, window);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace gaussmap::cli
