#include "cli/figure_outputs.h"

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "gaussmap/contours_geojson.h"
#include "gaussmap/errors.h"
#include "gaussmap/render_outputs.h"
#include "io/atomic_file.h"

namespace gaussmap::cli {

void FigureOutputs::addTo(CLI::App& app) {
  app.add_flag("--figure", figure_,
               "Write .png outputs as figures: the heat map at its true aspect in axes with "
               "ticks in scene coordinates, a colorbar, contours and kernels when asked for "
               "(.svg outputs are always figures)");
  app.add_option("--title", figure_options_.title, "A figure's title")->type_name("TEXT");
  app.add_option("--colorbar-label", figure_options_.colorbar_label,
                 "A figure's colorbar label (default from the scene: density, probability "
                 "(union), ...; --colorbar-label '' for none)")
      ->type_name("TEXT");
  app.add_option("--contours", contours_text_,
                 "Contour lines at these values (0.001,0.002), probability-mass levels "
                 "(mass:0.5,0.9: the smallest region holding that fraction of the image's total) "
                 "or sigma levels (sigma:1,2: the mass of a Gaussian's n-sigma ellipse); drawn on "
                 ".png and .svg outputs, written by a .geojson output")
      ->type_name("LEVELS");
  app.add_option("--contour-color", contour_colour_text_,
                 "Colour of contour lines and kernel ellipses: " + figure::colourNames() +
                     " or #rrggbb (default white)")
      ->type_name("COLOR");
  app.add_flag("--show-kernels", show_kernels_,
               "Draw each kernel's 1-sigma ellipse (dashed) on .png and .svg outputs");
}

void FigureOutputs::check(const std::vector<std::string>& outputs,
                          const std::vector<OutputFormat>& formats, const AlphaRule& alpha) {
  if (!contours_text_.empty()) levels_ = parseContourLevels(contours_text_, "--contours");
  overlays_.contour_colour = figure::parseColour(contour_colour_text_, "--contour-color");
  bool any_png = false, any_figure = false, any_geojson = false;
  for (std::size_t k = 0; k < outputs.size(); ++k) {
    const std::string& path = outputs[k];
    const OutputFormat format = formats[k];
    if (figure_ && format == OutputFormat::Png16)
      throw InputError(path +
                       ": --figure draws pictures, and --bits 16 makes this PNG hold "
                       "values; write the figure to another .png or a .svg");
    if (format == OutputFormat::GeoJson && !levels_)
      throw InputError(path +
                       ": a .geojson output holds contour lines; give their levels with "
                       "--contours (e.g. --contours mass:0.5,0.9)");
    any_png = any_png || format == OutputFormat::Png;
    any_geojson = any_geojson || format == OutputFormat::GeoJson;
    any_figure =
        any_figure || format == OutputFormat::Svg || (figure_ && format == OutputFormat::Png);
  }
  if (figure_ && !any_png && !any_figure)
    throw InputError("--figure draws .png outputs as figures, and there is none (add -o FILE.png)");
  if (!any_figure && (!figure_options_.title.empty() || figure_options_.colorbar_label))
    throw InputError(std::string(figure_options_.title.empty() ? "--colorbar-label" : "--title") +
                     " applies to figures: add --figure with a .png output, or a .svg output");
  // Lines nothing would show are a mistake in the command, not something to compute silently.
  if (levels_ && !any_png && !any_figure && !any_geojson)
    throw InputError(
        "--contours: no output shows or holds contours (add -o FILE.png, .svg or "
        ".geojson)");
  if (show_kernels_ && !any_png && !any_figure)
    throw InputError("--show-kernels: no output shows kernels (add -o FILE.png or FILE.svg)");
  if (alpha.kind != AlphaRule::Kind::None && (figure_ || !any_png))
    throw InputError(
        std::string("--alpha: it makes the colours of a .png output transparent, ") +
        (figure_ ? "and --figure makes every .png a figure (opaque, on white)"
         : std::find(formats.begin(), formats.end(), OutputFormat::Png16) != formats.end()
             ? "and a --bits 16 PNG holds values, not colours"
             : "and there is none"));
  if (any_figure) font_ = std::make_unique<figure::Font>();
}

void FigureOutputs::prepare(const Scene& scene, const FloatImage& values,
                            const SampleWindow& window) {
  window_ = window;
  if (levels_)
    overlays_.contours = computeContours(values, *levels_, scene.grid(), window.i0, window.j0);
  if (show_kernels_) overlays_.kernels = scene.kernels;
}

bool FigureOutputs::write(const std::string& path, OutputFormat format, const Scene& scene,
                          const FloatImage& values, const RgbImage& colours,
                          const OutputContext& context) {
  const figure::FigureInput input{values, scene, window_, overlays_, figure_options_};
  switch (format) {
    case OutputFormat::GeoJson:
      writeContoursGeoJson(path, overlays_.contours);
      return true;
    case OutputFormat::Svg: {
      writeTextFileAtomically(path, figure::figureSvg(input, *font_));
      return true;
    }
    case OutputFormat::Png: {
      if (figure_) {
        const RgbImage drawn = figure::figurePng(input, *font_);
        writeRenderOutput(path, format, scene, values, &drawn, context);
        return true;
      }
      if (overlays_.empty()) return false;
      if (context.alpha.kind == AlphaRule::Kind::None) {
        RgbImage drawn = colours;
        figure::drawOverlays(drawn, overlays_, scene.grid(), window_, scene.display.origin);
        writeRenderOutput(path, format, scene, values, &drawn, context);
        return true;
      }
      // The lines drawn over the faded heat map ("over" compositing): a pixel a line covers by
      // c (its coverage drawn in white on black) over the map's colour M at opacity a is
      // A = c + a (1 - c) opaque, coloured (c L + a (1 - c) M) / A, so lines stay visible, in
      // their own colour, where the map fades out.
      RgbaImage faded =
          withAlpha(colours, values, resolveValueMapping(scene.display, values.pixels),
                    scene.display.origin, context.alpha);
      RgbImage coverage(colours.width, colours.height);
      figure::Overlays white = overlays_;
      white.contour_colour = {255, 255, 255};
      figure::drawOverlays(coverage, white, scene.grid(), window_, scene.display.origin);
      const Rgb8 line = overlays_.contour_colour;
      for (std::size_t k = 0; k < faded.pixels.size(); ++k) {
        const double c = coverage.pixels[k].r / 255.0;
        if (c == 0) continue;
        Rgba8& p = faded.pixels[k];
        const double a = p.a / 255.0, opacity = c + a * (1 - c);
        const auto mix = [&](std::uint8_t l, std::uint8_t m) {
          return std::uint8_t(std::lround((c * l + a * (1 - c) * m) / opacity));
        };
        p = {mix(line.r, p.r), mix(line.g, p.g), mix(line.b, p.b),
             std::uint8_t(std::lround(255 * opacity))};
      }
      writeRenderPng(path, scene, faded, context);
      return true;
    }
    default:
      return false;
  }
}

}  // namespace gaussmap::cli
