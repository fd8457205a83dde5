#pragma once
// render's figure and contour options (--figure, --title, --colorbar-label, --show-kernels,
// --contours, --contour-color) and the outputs they make: contours and ellipses drawn on PNGs,
// figures (.png with --figure, .svg), contours as GeoJSON. render_command calls check() before
// any work, prepare() once the values exist, then write() for each output.
#include <CLI/CLI.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "figure/figure.h"
#include "figure/font.h"
#include "figure/overlays.h"
#include "gaussmap/contours.h"
#include "gaussmap/image.h"
#include "gaussmap/render.h"
#include "gaussmap/render_outputs.h"
#include "gaussmap/scene.h"

namespace gaussmap::cli {

class FigureOutputs {
 public:
  void addTo(CLI::App& app);
  // Parses the options and checks them against the outputs, and loads the font when a figure
  // is asked for (InputError naming the problem; RuntimeError for a missing font).
  // `formats[k]` is the format of `outputs[k]` (a Png16 holds values: nothing is drawn on it).
  // `alpha`: render's --alpha, which needs a PNG of colours that is not a figure.
  void check(const std::vector<std::string>& outputs, const std::vector<OutputFormat>& formats,
             const AlphaRule& alpha);
  // Computes the contours (and takes the kernels) of the rendered `values` of `window`.
  void prepare(const Scene& scene, const FloatImage& values, const SampleWindow& window);
  // Writes `path` when it is one of these outputs (a figure, GeoJSON, or a PNG with overlays)
  // and returns true; false leaves it to writeRenderOutput. `colours` are the PNG's colours.
  bool write(const std::string& path, OutputFormat format, const Scene& scene,
             const FloatImage& values, const RgbImage& colours, const OutputContext& context);

 private:
  // As given on the command line.
  std::string contours_text_;
  std::string contour_colour_text_ = "white";
  bool show_kernels_ = false;
  bool figure_ = false;
  figure::FigureOptions figure_options_;
  // Parsed by check(), resolved by prepare().
  std::optional<ContourLevels> levels_;
  figure::Overlays overlays_;
  SampleWindow window_;
  std::unique_ptr<figure::Font> font_;  // loaded when a figure is written
};

}  // namespace gaussmap::cli
