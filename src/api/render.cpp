// The public render API (include/gaussmap/render.h): one pipeline for every caller.
#include <chrono>
#include <nlohmann/json.hpp>

#include "api/backends.h"
#include "core/animation.h"
#include "gaussmap/errors.h"
#include "gaussmap/render.h"

namespace gaussmap {
namespace {

// A backend's --stats figures (its lastStats JSON) as the report's typed list.
std::vector<std::pair<std::string, RenderReport::Figure>> figuresOf(
    const nlohmann::ordered_json& stats) {
  std::vector<std::pair<std::string, RenderReport::Figure>> figures;
  for (const auto& [key, value] : stats.items()) {
    if (value.is_number_integer())
      figures.emplace_back(key, value.get<std::int64_t>());
    else if (value.is_number())
      figures.emplace_back(key, value.get<double>());
    else if (value.is_string())
      figures.emplace_back(key, value.get<std::string>());
    else
      figures.emplace_back(key, value.dump());
  }
  return figures;
}

// The display's colormap; InputError for an unknown name (a Display built by hand, unvalidated).
const Colormap& colormapOf(const Display& display) {
  const Colormap* map = findColormap(display.colormap);
  if (!map) throw InputError("colormap: unknown name '" + display.colormap + "'");
  return *map;
}

}  // namespace

RenderSession::RenderSession(Backend backend, GlPath gl_path, int threads,
                             std::function<void(const std::string&)> notice) {
  api::CreatedRenderer created = api::createRenderer(backend, gl_path, threads, notice);
  renderer_ = std::move(created.renderer);
  report_.backend = created.backend;
  report_.reason = std::move(created.reason);
}

RenderSession::~RenderSession() = default;
RenderSession::RenderSession(RenderSession&&) noexcept = default;
RenderSession& RenderSession::operator=(RenderSession&&) noexcept = default;

Renderer& RenderSession::renderer() {
  return *renderer_;
}

Backend RenderSession::backend() const {
  return fromString<Backend>(renderer_->name()).value_or(report_.backend);
}

FloatImage RenderSession::render(const Scene& given, const std::optional<SampleWindow>& window,
                                 std::optional<double> time) {
  validateScene(given, window ? GridLimit::Windows : GridLimit::OneRender);
  if (!time) return renderValidated(given, window);
  return renderValidated(sceneAtTime(given, checkedTime(*time)), window);
}

FloatImage RenderSession::renderValidated(const Scene& scene,
                                          const std::optional<SampleWindow>& window) {
  if (window) validateWindow(scene, *window);
  const auto start = std::chrono::steady_clock::now();
  FloatImage values = window ? renderer_->renderWindow(scene, *window) : renderer_->render(scene);
  finishReport(start);
  requireFiniteValues(values, "the " + renderer_->name() + " backend");
  return values;
}

void RenderSession::renderInto(const Scene& given, std::span<float> out,
                               const std::optional<SampleWindow>& window,
                               std::optional<double> time) {
  validateScene(given, window ? GridLimit::Windows : GridLimit::OneRender);
  const Scene at_time = time ? sceneAtTime(given, checkedTime(*time)) : Scene{};
  const Scene& scene = time ? at_time : given;
  const SampleWindow area = window.value_or(wholeGrid(scene));
  validateWindow(scene, area);
  const std::size_t samples = std::size_t(area.width) * std::size_t(area.height);
  if (out.size() != samples)
    throw InputError("out: holds " + std::to_string(out.size()) + " samples where the " +
                     (window ? "window" : "grid") + " has " + std::to_string(area.width) + "x" +
                     std::to_string(area.height) + " = " + std::to_string(samples));
  const auto start = std::chrono::steady_clock::now();
  renderer_->renderWindowInto(scene, area, out);
  finishReport(start);
  requireFiniteValues(out, area.width, "the " + renderer_->name() + " backend");
}

void RenderSession::finishReport(std::chrono::steady_clock::time_point start) {
  report_.render_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  report_.backend = backend();
  report_.figures = figuresOf(renderer_->lastStats());
}

RgbImage RenderSession::colorize(const FloatImage& values, const Display& display) {
  return renderer_->colorize(values, resolveValueMapping(display, values.pixels),
                             colormapOf(display), display.origin);
}

FloatImage render(const Scene& scene, const RenderOptions& options, RenderReport* report) {
  RenderSession session(options.backend, options.gl_path, options.threads);
  FloatImage values = session.render(scene, options.window, options.time);
  if (report) *report = session.lastReport();
  return values;
}

RgbImage colorize(const FloatImage& values, const Display& display) {
  validateDisplay(display);
  return applyColormap(values, resolveValueMapping(display, values.pixels), colormapOf(display),
                       display.origin);
}

}  // namespace gaussmap
