// gaussmap verify: every GL path against the exact reference, so users can check their driver.
#include <chrono>
#include <cmath>
#include <cstdio>

#include "cli/commands.h"
#include "cli/scene_overrides.h"
#include "core/image_compare.h"
#include "gaussmap/errors.h"
#include "gl/context.h"
#include "gl/heatmap_renderer.h"
#include "reference/reference_renderer.h"

namespace gaussmap::cli {
namespace {

struct VerifyOptions {
  SceneSource source;
  SceneOverrides overrides;
  double tolerance = 1e-5;
};

int runVerify(const VerifyOptions& o) {
  using Clock = std::chrono::steady_clock;
  if (!(o.tolerance > 0)) throw InputError("--tol: must be > 0");
  const Scene scene = o.source.load(o.overrides);
  std::unique_ptr<gl::Context> context;
  try {
    context = gl::createHeadlessContext();
  } catch (const RuntimeError& e) {
    throw RuntimeError(std::string("cannot create an OpenGL context to verify: ") + e.what());
  }
  gl::HeatmapRenderer renderer(*context);

  auto start = Clock::now();
  const DoubleImage exact = reference::render(scene);
  const double reference_ms =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  const double scale = compareImages(FloatImage(), exact).scale;

  std::printf(
      "scene: %s (%dx%d, %zu kernels, %s of %s)\n",
      o.source.scene_path.empty() ? o.source.points_path.c_str() : o.source.scene_path.c_str(),
      scene.width, scene.height, scene.kernels.size(), std::string(toString(scene.combine)).c_str(),
      std::string(toString(scene.normalize)).c_str());
  std::printf("context: %s\n", context->description().c_str());
  std::printf("reference: max |value| %.6g (%.1f ms)\n", scale, reference_ms);
  bool all_ok = true;
  for (GlPath path : {GlPath::Loop, GlPath::Footprint}) {
    start = Clock::now();
    renderer.render(scene, path);
    const FloatImage values = renderer.readValues();
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - start).count();
    const ImageError error = compareImages(values, exact);
    const bool ok = error.relative <= o.tolerance;
    all_ok = all_ok && ok;
    std::printf("gl %-9s  max abs error %.3e  relative %.3e  %s  (%.1f ms)\n",
                std::string(toString(path)).c_str(), error.max_abs, error.relative,
                ok ? "ok  " : "FAIL", ms);
  }
  std::printf("%s: %s within %g of the reference (relative to the image's max |value|)\n",
              all_ok ? "PASS" : "FAIL", all_ok ? "every path" : "not every path", o.tolerance);
  return all_ok ? 0 : 1;
}

}  // namespace

Action addVerifyCommand(CLI::App& app) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* sub = app.add_subcommand(
      "verify",
      "Render a scene with every OpenGL path and with the exact CPU reference and compare.\n"
      "Exit 0 when every path is within --tol of the reference, 1 otherwise.");
  options->source.addTo(*sub);
  sub->add_option("--tol", options->tolerance,
                  "Largest allowed error, relative to the image's max |value|")
      ->capture_default_str();
  options->overrides.addTo(*sub);
  return [options] { return runVerify(*options); };
}

}  // namespace gaussmap::cli
