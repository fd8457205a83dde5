// gaussmap view: the interactive viewer.
#include "api/backends.h"
#include "app/viewer.h"
#include "cli/commands.h"
#include "cli/scene_overrides.h"
#include "gaussmap/errors.h"
#include "gaussmap/render_outputs.h"
#include "io/atomic_file.h"

namespace gaussmap::cli {
namespace {

struct ViewCommandOptions {
  app::ViewerOptions viewer;
  std::string size;
  std::string backend = "auto";
};

}  // namespace

Action addViewCommand(CLI::App& app) {
  auto options = std::make_shared<ViewCommandOptions>();
  CLI::App* sub = app.add_subcommand(
      "view",
      "Open the viewer: see the heat map live while you add, drag, stretch and rotate kernels.\n"
      "Needs a display (X11 or Wayland); see README \"The viewer\" for the controls.");
  sub->add_option("scene", options->viewer.scene_path, "Scene file (JSON) to open")
      ->type_name("SCENE.json");
  sub->add_option("--size", options->size, "Window size (default 1280x800)")->type_name("WxH");
  sub->add_option("--frames", options->viewer.frames,
                  "Quit after N frames, drawing without waiting for input (for scripts)")
      ->type_name("N")
      ->check(CLI::PositiveNumber);
  sub->add_option("--screenshot", options->viewer.screenshot,
                  "Save the whole window (UI included) as PNG before quitting")
      ->type_name("FILE.png");
  sub->add_option("--canvas-shot", options->viewer.canvas_shot,
                  "Save the canvas's heat map (no overlays) as PNG when quitting")
      ->type_name("FILE.png");
  sub->add_option("--record-to", options->viewer.record_to,
                  "Preset the Record panel's output (Ctrl+R records), e.g. out/sweep.mp4")
      ->type_name("OUT");
  sub->add_flag("--play", options->viewer.play, "Start with the animation playing");
  sub->add_option("--backend", options->backend,
                  "What renders the canvas: auto (cpu where OpenGL is a software rasterizer such "
                  "as llvmpipe, gl on a GPU), gl or cpu; colours and drawing stay on OpenGL")
      ->type_name("NAME")
      ->capture_default_str();
  sub->add_option("--frame-stats", options->viewer.frame_stats,
                  "Write per-frame timings (events, UI, canvas values and colours, draw, swap) "
                  "and their medians as JSON when quitting; with --frames N and --play, a "
                  "repeatable viewer benchmark (bench/viewer_bench.sh)")
      ->type_name("FILE.json");
  return [options] {
    app::ViewerOptions v = options->viewer;
    if (!options->size.empty()) {
      const auto [w, h] = parseSize(options->size, "--size");
      v.window_width = w;
      v.window_height = h;
    }
    for (const std::string* path : {&v.screenshot, &v.canvas_shot})
      if (!path->empty()) {
        if (outputFormatOf(*path) != OutputFormat::Png)
          throw InputError(*path + ": screenshots are PNG files");
        checkOutputPath(*path);
      }
    if (!v.frame_stats.empty()) checkOutputPath(v.frame_stats);
    const auto backend = fromString<Backend>(options->backend);
    if (!backend)
      throw InputError("--backend: unknown backend '" + options->backend +
                       "' (expected auto|gl|cpu)");
    if (*backend == Backend::Reference)
      throw InputError(
          "--backend: reference is too slow to render the canvas live (expected auto|gl|cpu; "
          "the panel's Verify compares with it)");
    v.canvas_backend = *backend;
    v.make_cpu_renderer = [] {
      return api::createRenderer(Backend::Cpu, GlPath::Auto, 0, {}).renderer;
    };
    return app::runViewer(v);
  };
}

}  // namespace gaussmap::cli
