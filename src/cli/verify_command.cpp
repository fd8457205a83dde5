// gaussmap verify: every fast backend (cpu and both GL paths) against the exact reference, so
// users can check their build and their driver.
#include <chrono>
#include <cmath>
#include <cstdio>

#include "api/backends.h"
#include "cli/commands.h"
#include "cli/scene_overrides.h"
#include "core/animation.h"
#include "core/image_compare.h"
#include "core/wording.h"
#include "gaussmap/errors.h"
#include "reference/reference_renderer.h"

namespace gaussmap::cli {
namespace {

struct VerifyOptions {
  SceneSource source;
  SceneOverrides overrides;
  double tolerance = 1e-5;
  std::optional<double> time;
};

// The backends verify checks: each fast one, GL once per path.
struct Check {
  const char* label;
  Backend backend;
  GlPath gl_path;
};
constexpr Check kChecks[] = {
    {"cpu", Backend::Cpu, GlPath::Auto},
    {"gl loop", Backend::Gl, GlPath::Loop},
    {"gl footprint", Backend::Gl, GlPath::Footprint},
};

double millisecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
      .count();
}

// The first line of a message (a registry error carries a hint on its second).
std::string firstLine(const std::string& text) {
  return text.substr(0, text.find('\n'));
}

int runVerify(const VerifyOptions& o) {
  using Clock = std::chrono::steady_clock;
  o.source.requireOne();
  if (!(o.tolerance > 0)) throw InputError("--tol: must be > 0");
  Scene scene = o.source.load(o.overrides);
  if (o.time) scene = sceneAtTime(scene, checkedTime(*o.time));

  auto start = Clock::now();
  const DoubleImage exact = reference::render(scene);
  const double reference_ms = millisecondsSince(start);
  const double scale = compareImages(FloatImage(), exact).scale;

  const std::string source =
      o.source.scene_path.empty() ? o.source.points_path : o.source.scene_path;
  std::printf("scene: %s (%dx%d, %s, %s of %s)", source.c_str(), scene.width, scene.height,
              counted(static_cast<long long>(scene.kernels.size()), "kernel").c_str(),
              std::string(toString(scene.combine)).c_str(),
              std::string(toString(scene.normalize)).c_str());
  if (o.time) std::printf(" at t=%g s", *o.time);
  std::printf("\nreference: max |value| %.6g (%.1f ms)\n", scale, reference_ms);

  int failed = 0, unavailable = 0;
  std::string context;
  for (const Check& check : kChecks) {
    std::unique_ptr<Renderer> renderer;
    FloatImage values;
    start = Clock::now();
    try {
      renderer = api::createRenderer(check.backend, check.gl_path, 0, {}).renderer;
      values = renderer->render(scene);
    } catch (const RuntimeError& e) {
      // No OpenGL here, or a scene beyond this context's limits: not checked, and said so.
      ++unavailable;
      std::printf("%-13s not checked: %s\n", check.label, firstLine(e.what()).c_str());
      continue;
    }
    const double ms = millisecondsSince(start);
    const nlohmann::ordered_json stats = renderer->lastStats();
    if (context.empty() && stats.contains("gl_context"))
      context = stats["gl_context"].get<std::string>();
    const ImageError error = compareImages(values, exact);
    const bool ok = error.relative <= o.tolerance;
    if (!ok) ++failed;
    std::printf("%-13s max abs error %.3e  relative %.3e  %s  (%.1f ms)\n", check.label,
                error.max_abs, error.relative, ok ? "ok  " : "FAIL", ms);
  }
  if (!context.empty()) std::printf("context: %s\n", context.c_str());
  if (failed == 0 && unavailable == 0) {
    std::printf(
        "PASS: every backend within %g of the reference (relative to the image's max "
        "|value|)\n",
        o.tolerance);
    return 0;
  }
  if (failed == 0) {
    std::printf("FAIL: %s not checked; the others are within %g of the reference%s\n",
                counted(unavailable, "backend").c_str(), o.tolerance,
                unavailable < int(std::size(kChecks)) - 1 ? "" : " (--backend cpu renders here)");
    return 1;
  }
  std::printf("FAIL: %s beyond %g of the reference (relative to the image's max |value|)\n",
              counted(failed, "backend").c_str(), o.tolerance);
  return 1;
}

}  // namespace

Action addVerifyCommand(CLI::App& app) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* sub = app.add_subcommand(
      "verify",
      "Render a scene with every fast backend (cpu, and OpenGL's loop and footprint paths) and\n"
      "with the exact CPU reference, and compare. Exit 0 when every backend is within --tol of\n"
      "the reference, 1 otherwise (also when one cannot run here, such as GL without a context).");
  options->source.addTo(*sub);
  sub->add_option("--tol", options->tolerance,
                  "Largest allowed error, relative to the image's max |value|")
      ->capture_default_str();
  sub->add_option("--time", options->time,
                  "Verify an animated scene as it is at this time (seconds)")
      ->type_name("T");
  // Only the options that change values: colours are not compared.
  options->overrides.addTo(*sub, SceneOverrides::Values);
  return [options] { return runVerify(*options); };
}

}  // namespace gaussmap::cli
