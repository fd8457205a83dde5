// gaussmap render: a scene (or points) to PNG and NPY files.
#include <chrono>
#include <iostream>
#include <nlohmann/json.hpp>

#include "cli/backends.h"
#include "cli/commands.h"
#include "cli/scene_overrides.h"
#include "core/animation.h"
#include "core/atomic_file.h"
#include "core/colormap.h"
#include "core/errors.h"
#include "core/render_outputs.h"

namespace gaussmap::cli {
namespace {

struct RenderOptions {
  SceneSource source;
  SceneOverrides overrides;
  BackendChoice backend;
  std::vector<std::string> outputs;
  bool stats = false;
  std::optional<double> time;
};

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

int runRender(const RenderOptions& o) {
  using Clock = std::chrono::steady_clock;
  // Everything that can be checked is checked before any rendering work.
  if (o.outputs.empty()) throw InputError("no output: give at least one -o FILE.png or FILE.npy");
  std::vector<OutputFormat> formats;
  for (const auto& path : o.outputs) formats.push_back(outputFormatOf(path));

  auto start = Clock::now();
  Scene scene = o.source.load(o.overrides);
  if (o.time) {
    if (!(std::isfinite(*o.time) && *o.time >= 0)) throw InputError("--time: must be >= 0 seconds");
    scene = sceneAtTime(scene, *o.time);
  }
  const double parse_ms = millisecondsSince(start);
  for (const auto& path : o.outputs) checkOutputFolder(path);

  std::unique_ptr<Renderer> renderer = o.backend.create();
  start = Clock::now();
  const FloatImage values = renderer->render(scene);
  const double render_ms = millisecondsSince(start);
  requireFiniteValues(values, "the " + renderer->name() + " backend");

  double colormap_ms = 0;
  RgbImage colours;
  if (std::find(formats.begin(), formats.end(), OutputFormat::Png) != formats.end()) {
    start = Clock::now();
    const ValueMapping mapping = resolveValueMapping(scene.display, values.pixels);
    colours = renderer->colorize(values, mapping, *findColormap(scene.display.colormap),
                                 scene.display.origin);
    colormap_ms = millisecondsSince(start);
  }

  start = Clock::now();
  for (const auto& path : o.outputs) writeRenderOutput(path, scene, values, &colours, o.time);
  const double write_ms = millisecondsSince(start);

  if (o.stats) {
    nlohmann::ordered_json j;
    j["kernels"] = scene.kernels.size();
    j["width"] = scene.width;
    j["height"] = scene.height;
    j["pixels"] = std::int64_t(scene.width) * scene.height;
    j["backend"] = renderer->name();
    const nlohmann::ordered_json extra = renderer->lastStats();
    for (const auto& [key, value] : extra.items()) j[key] = value;
    j["parse_ms"] = parse_ms;
    j["render_ms"] = render_ms;
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
      "Render a scene (or a CSV of points) to PNG (colours) and/or NPY (float32 values).\n"
      "Example: gaussmap render scenes/seed.json -o out/seed.png -o out/seed.npy");
  options->source.addTo(*sub);
  sub->add_option("-o,--output", options->outputs,
                  "Output file; the extension picks the format: .png (colormapped, with the scene "
                  "JSON in a text chunk) or .npy (float32, shape (height, width)). Repeatable.")
      ->type_name("FILE");
  options->backend.addTo(*sub);
  options->overrides.addTo(*sub);
  sub->add_option("--time", options->time,
                  "Render an animated scene as it is at this time (seconds); see README \"Animation\"")
      ->type_name("T");
  sub->add_flag("--stats", options->stats,
                "Print one JSON object of counts and timings (ms) on stderr");
  return [options] { return runRender(*options); };
}

}  // namespace gaussmap::cli
