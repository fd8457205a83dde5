// gaussmap render: a scene (or points) to PNG and NPY files.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/backends.h"
#include "cli/commands.h"
#include "cli/figure_outputs.h"
#include "cli/scene_overrides.h"
#include "core/animation.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/render_outputs.h"
#include "io/atomic_file.h"
#include "io/geotiff.h"

namespace gaussmap::cli {
namespace {

struct RenderOptions {
  SceneSource source;
  SceneOverrides overrides;
  BackendChoice backend;
  std::vector<std::string> outputs;
  bool stats = false;
  std::optional<double> time;
  std::string window;          // "I0,J0,WxH"
  std::string format;          // of `-o -`: png | npy | json
  int bits = 8;                // of PNG outputs: 8 (colours) or 16 (values, grayscale)
  std::string crs;             // "EPSG:NNNN" for .tif outputs
  std::string alpha = "none";  // of PNG outputs: none | ramp | threshold:T
  FigureOutputs figures;       // --contours, --show-kernels, ...: contours and figures
};

// Each output's format: from its extension, or for "-" (standard output) from --format. Binary
// formats are refused on a terminal, where they would only garble it.
std::vector<OutputFormat> outputFormats(const RenderOptions& o) {
  std::vector<OutputFormat> formats;
  const auto to_stdout = std::count(o.outputs.begin(), o.outputs.end(), "-");
  if (to_stdout > 1)
    throw InputError("-o -: standard output can take one output, not " + std::to_string(to_stdout));
  if (!o.format.empty() && to_stdout == 0)
    throw InputError("--format " + o.format +
                     ": it names the format of -o - (standard output); "
                     "files take theirs from the extension");
  for (const auto& path : o.outputs) {
    if (path != "-") {
      formats.push_back(outputFormatOf(path));
      continue;
    }
    if (o.format.empty()) throw InputError("-o -: give --format png, npy or json");
    const auto format = outputFormatNamed(o.format);
    if (!format)
      throw InputError("--format: unknown format '" + o.format + "' (expected png, npy or json)");
    if (*format != OutputFormat::Json && ::isatty(STDOUT_FILENO))
      throw InputError("-o -: standard output is a terminal; " + o.format +
                       " is binary: redirect it (> FILE) or pipe it (| ...)");
    formats.push_back(*format);
  }
  if (o.bits != 8 && o.bits != 16)
    throw InputError("--bits " + std::to_string(o.bits) +
                     ": expected 8 (colours) or 16 (values as 16-bit grayscale)");
  if (o.bits == 16) {
    if (std::find(formats.begin(), formats.end(), OutputFormat::Png) == formats.end())
      throw InputError("--bits 16: it applies to PNG outputs, and none was given");
    std::replace(formats.begin(), formats.end(), OutputFormat::Png, OutputFormat::Png16);
  }
  return formats;
}

// "100,50,64x32" -> the window starting at column 100, row 50, 64 wide and 32 high.
SampleWindow parseWindow(const std::string& text) {
  const auto fail = [&]() -> SampleWindow {
    throw InputError("--window " + text +
                     ": expected I0,J0,WxH (first column, first row, width x height), e.g. "
                     "--window 100,50,64x32");
  };
  const std::size_t c1 = text.find(','), c2 = text.find(',', c1 == std::string::npos ? 0 : c1 + 1);
  if (c1 == std::string::npos || c2 == std::string::npos) return fail();
  SampleWindow w;
  try {
    std::size_t used = 0;
    w.i0 = std::stoi(text.substr(0, c1), &used);
    if (used != c1) return fail();
    w.j0 = std::stoi(text.substr(c1 + 1, c2 - c1 - 1), &used);
    if (used != c2 - c1 - 1) return fail();
    const auto [width, height] = parseSize(text.substr(c2 + 1), "--window");
    w.width = width;
    w.height = height;
  } catch (const std::logic_error&) {  // stoi: not a number, or beyond int
    return fail();
  }
  return w;
}

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

int runRender(RenderOptions& o) {
  using Clock = std::chrono::steady_clock;
  // Everything that can be checked is checked before any rendering work.
  o.source.requireOne();
  if (o.outputs.empty())
    throw InputError(
        "no output: give at least one -o FILE.png, FILE.npy, FILE.json or FILE.tif (- for "
        "standard output, with --format)");
  const std::vector<OutputFormat> formats = outputFormats(o);
  const AlphaRule alpha = parseAlphaRule(o.alpha, "--alpha");
  o.figures.check(o.outputs, formats, alpha);
  if (std::find(formats.begin(), formats.end(), OutputFormat::GeoTiff) != formats.end())
    checkGeoTiffOutput(o.crs);
  else if (!o.crs.empty())
    throw InputError("--crs " + o.crs + ": only a GeoTIFF output (-o FILE.tif) has a CRS");

  auto start = Clock::now();
  Scene scene = o.source.load(o.overrides);
  // The outputs hold the scene as it is at that time (as record's frames do), keys kept.
  if (o.time) scene = sceneAtTime(scene, checkedTime(*o.time));
  const double parse_ms = millisecondsSince(start);
  std::optional<SampleWindow> window;
  if (!o.window.empty()) {
    window = parseWindow(o.window);
    validateWindow(scene, *window);
  }
  for (const auto& path : o.outputs)
    if (path != "-") checkOutputPath(path);

  RenderSession session = o.backend.create();
  const FloatImage values = session.renderValidated(scene, window);  // load validated it
  const RenderReport& report = session.lastReport();

  double colormap_ms = 0;
  RgbImage colours;
  if (std::find(formats.begin(), formats.end(), OutputFormat::Png) != formats.end()) {
    start = Clock::now();
    colours = session.colorize(values, scene.display);
    colormap_ms = millisecondsSince(start);
  }

  start = Clock::now();
  const OutputContext context{o.time, o.window, o.crs, alpha};
  o.figures.prepare(scene, values, window.value_or(wholeGrid(scene)));
  for (std::size_t k = 0; k < o.outputs.size(); ++k)
    if (!o.figures.write(o.outputs[k], formats[k], scene, values, colours, context))
      writeRenderOutput(o.outputs[k], formats[k], scene, values, &colours, context);
  const double write_ms = millisecondsSince(start);

  if (o.stats) {
    nlohmann::ordered_json j;
    j["kernels"] = scene.kernels.size();
    j["width"] = scene.width;
    j["height"] = scene.height;
    j["pixels"] = std::int64_t(scene.width) * scene.height;
    j["backend"] = toString(report.backend);
    if (!report.reason.empty()) j["backend_reason"] = report.reason;
    if (window) j["window"] = o.window;
    for (const auto& [key, value] : report.figures)
      std::visit([&, &key = key](const auto& v) { j[key] = v; }, value);
    j["parse_ms"] = parse_ms;
    j["render_ms"] = report.render_ms;
    j["colormap_ms"] = colormap_ms;
    j["write_ms"] = write_ms;
    std::cerr << j.dump() << "\n";
  }
  return 0;
}

}  // namespace

Action addRenderCommand(CLI::App& app) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* sub = app.add_subcommand(
      "render",
      "Render a scene (or a CSV of points) to PNG (colours), figures (PNG, SVG), values (NPY, "
      "JSON, 16-bit PNG), a GeoTIFF and/or contour lines (GeoJSON).\n"
      "Example: gaussmap render scenes/seed.json -o out/seed.png -o out/seed.npy");
  options->source.addTo(*sub);
  sub->add_option(
         "-o,--output", options->outputs,
         "Output file; the extension picks the format: .png (colormapped, with the scene "
         "JSON in a text chunk), .npy (float32, shape (height, width)), .json (values "
         "as numbers, with the scene), .tif (float32 Cloud-Optimized GeoTIFF placed by the "
         "scene's extent), .svg (a figure) or .geojson (contour lines). - is "
         "standard output (with --format). Repeatable.")
      ->type_name("FILE");
  sub->add_option("--bits", options->bits,
                  "PNG outputs: 8 (colours through the colormap) or 16 (the values mapped by "
                  "--range and --scale to 16-bit grayscale levels, the range in a text chunk)")
      ->type_name("8|16")
      ->capture_default_str();
  sub->add_option("--format", options->format,
                  "The format of -o - (standard output): png, npy or json")
      ->type_name("png|npy|json");
  sub->add_option("--alpha", options->alpha,
                  "Opacity of .png outputs' colours: none (opaque), ramp (opacity follows the "
                  "colour's position in the range, so low values fade into what is under them) "
                  "or threshold:T (transparent below the value T)")
      ->type_name("none|ramp|threshold:T")
      ->capture_default_str();
  sub->add_option("--crs", options->crs,
                  "The CRS of the scene's coordinates for .tif outputs, e.g. EPSG:3857 or "
                  "EPSG:4326 (x = longitude); none when absent. An error without a .tif output")
      ->type_name("EPSG:NNNN");
  options->backend.addTo(*sub);
  options->overrides.addTo(*sub);
  options->figures.addTo(*sub);
  sub->add_option(
         "--time", options->time,
         "Render an animated scene as it is at this time (seconds); see README \"Animation\"")
      ->type_name("T");
  sub->add_option("--window", options->window,
                  "Render only this rectangle of the scene's sample grid: first column, first "
                  "row, width x height. The values equal that crop of the whole render, bit for "
                  "bit on cpu and reference (tiles of a big map)")
      ->type_name("I0,J0,WxH");
  sub->add_flag("--stats", options->stats,
                "Print one JSON object of counts and timings (ms) on stderr");
  return [options] { return runRender(*options); };
}

}  // namespace gaussmap::cli
