#include "gaussmap/scene.h"

#include <cmath>
#include <numbers>
#include <sstream>
#include <utility>

#include "core/animation.h"
#include "core/index_kernel.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"

namespace gaussmap {

Covariance Kernel::covariance() const {
  if (cov) return *cov;
  const double a = angle_deg * std::numbers::pi / 180.0;
  const double c = std::cos(a), s = std::sin(a);
  const double vx = sigma_x * sigma_x, vy = sigma_y * sigma_y;
  Covariance out;
  out.xx = c * c * vx + s * s * vy;
  out.yy = s * s * vx + c * c * vy;
  out.xy = c * s * (vx - vy);
  // Exact zero for multiples of 90 degrees, so such kernels take the separable paths.
  if (std::fmod(angle_deg, 90.0) == 0.0) {
    const bool swapped = std::fmod(std::abs(angle_deg), 180.0) == 90.0;
    out.xx = swapped ? vy : vx;
    out.yy = swapped ? vx : vy;
    out.xy = 0.0;
  }
  return out;
}

double& Kernel::field(AnimatedField f) {
  switch (f) {
    case AnimatedField::X:
      return x;
    case AnimatedField::Y:
      return y;
    case AnimatedField::SigmaX:
      return sigma_x;
    case AnimatedField::SigmaY:
      return sigma_y;
    case AnimatedField::AngleDeg:
      return angle_deg;
    case AnimatedField::Weight:
      return weight;
  }
  return x;
}

double Kernel::field(AnimatedField f) const {
  return const_cast<Kernel&>(*this).field(f);
}

double Kernel::peakValue(Normalize normalize) const {
  return kernelAmplitude(weight, normalize == Normalize::Pdf ? covariance().det() : 1.0, normalize);
}

void Kernel::setCovariance(const Covariance& c) {
  cov = c;
  // Eigen-decomposition of a symmetric 2x2 matrix.
  const double mean = 0.5 * (c.xx + c.yy);
  const double diff = 0.5 * (c.xx - c.yy);
  const double radius = std::hypot(diff, c.xy);
  sigma_x = std::sqrt(std::max(mean + radius, 0.0));
  sigma_y = std::sqrt(std::max(mean - radius, 0.0));
  angle_deg = 0.5 * std::atan2(2.0 * c.xy, c.xx - c.yy) * 180.0 / std::numbers::pi;
}

SampleGrid::SampleGrid(int width, int height, Extent extent)
    : width_(width),
      height_(height),
      extent_(extent),
      dx_(width > 1 ? (extent.x1 - extent.x0) / (width - 1) : 0.0),
      dy_(height > 1 ? (extent.y1 - extent.y0) / (height - 1) : 0.0),
      index_step_x_(dx_ != 0.0 ? dx_ : 1.0),
      index_step_y_(dy_ != 0.0 ? dy_ : 1.0) {}

Extent Scene::effectiveExtent() const {
  if (extent) return *extent;
  return Extent{0.0, double(width - 1), 0.0, double(height - 1)};
}

void Scene::resize(int new_width, int new_height) {
  extent = effectiveExtent();
  width = new_width;
  height = new_height;
}

namespace {

std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// A limit as a message shows it: "1e-30", not "1.0000000000000001e-30".
std::string limit(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void requireFinite(double v, const std::string& where) {
  if (!std::isfinite(v)) throw InputError(where + ": must be a finite number (got " + num(v) + ")");
}

void requirePositive(double v, const std::string& where) {
  requireFinite(v, where);
  if (!(v > 0)) throw InputError(where + ": must be > 0 (got " + num(v) + ")");
}

void requireMagnitude(double v, const std::string& where) {
  if (std::abs(v) > kMaxMagnitude)
    throw InputError(where + ": must be within +-" + limit(kMaxMagnitude) + " (got " + num(v) +
                     "); the renderers compute in float32: scale the scene's units");
}

// Standard deviations along a covariance's principal axes (long, short), computed without
// cancellation: the short one from the determinant.
std::pair<double, double> principalSigmas(double xx, double xy, double yy) {
  const double mean = 0.5 * (xx + yy);
  const double radius = std::hypot(0.5 * (xx - yy), xy);
  const double long_variance = mean + radius;
  const double det = xx * yy - xy * xy;
  return {std::sqrt(long_variance), std::sqrt(std::max(det, 0.0) / long_variance)};
}

}  // namespace

double kernelTop(const Kernel& k, Normalize normalize, const SampleGrid& grid) {
  if (normalize != Normalize::Cell) return k.peakValue(normalize);
  const Covariance c = k.covariance();
  // P(|X| <= h) for X ~ N(0, variance): the mass of a centred interval.
  auto centred = [](double half, double variance) {
    return std::erf(half / std::sqrt(2.0 * variance));
  };
  const double mx = centred(0.5 * grid.cellWidth(), c.xx);
  const double my = centred(0.5 * grid.cellHeight(), c.yy);
  // A centred cell holds the most (Anderson's theorem); independent axes multiply, and a rotated
  // kernel's cell holds at most its smaller marginal mass.
  return k.weight * (c.xy == 0.0 ? mx * my : std::min(mx, my));
}

void validateKernel(const Kernel& k, std::size_t index, const Scene& scene,
                    const SampleGrid& grid) {
  const std::string at = "kernels[" + std::to_string(index) + "]";
  requireFinite(k.x, at + ".x");
  requireFinite(k.y, at + ".y");
  requireFinite(k.weight, at + ".weight");
  requireMagnitude(k.x, at + ".x");
  requireMagnitude(k.y, at + ".y");
  std::string sigmas_at;  // the fields that set the sigmas, for messages
  if (k.cov) {
    requireFinite(k.cov->xx, at + ".cov[0][0]");
    requireFinite(k.cov->xy, at + ".cov[0][1]");
    requireFinite(k.cov->yy, at + ".cov[1][1]");
    if (!(k.cov->xx > 0 && k.cov->yy > 0 && k.cov->det() > 0))
      throw InputError(at + ".cov: must be positive definite (got [[" + num(k.cov->xx) + ", " +
                       num(k.cov->xy) + "], [" + num(k.cov->xy) + ", " + num(k.cov->yy) + "]])");
    sigmas_at = at + ".cov";
  } else {
    requirePositive(k.sigma_x, at + ".sigma_x");
    requirePositive(k.sigma_y, at + ".sigma_y");
    requireFinite(k.angle_deg, at + ".angle_deg");
    for (const auto& [v, name] : {std::pair{k.sigma_x, ".sigma_x"}, {k.sigma_y, ".sigma_y"}})
      if (v < kMinMagnitude || v > kMaxMagnitude)
        throw InputError(at + name + ": must be within [" + limit(kMinMagnitude) + ", " +
                         limit(kMaxMagnitude) + "] (got " + num(v) +
                         "); the renderers compute in float32: scale the scene's units");
    sigmas_at = at + ".sigma_x, sigma_y";
  }
  const Covariance c = k.covariance();
  // From the sigmas where given: the covariance of a thin rotated kernel loses the short axis's
  // digits (its determinant cancels).
  const auto [long_sigma, short_sigma] =
      k.cov ? principalSigmas(c.xx, c.xy, c.yy)
            : std::pair{std::max(k.sigma_x, k.sigma_y), std::min(k.sigma_x, k.sigma_y)};
  if (k.cov && !(short_sigma >= kMinMagnitude && long_sigma <= kMaxMagnitude))
    throw InputError(at + ".cov: its sigmas (square roots of its eigenvalues) must be within [" +
                     limit(kMinMagnitude) + ", " + limit(kMaxMagnitude) + "] (got " +
                     num(long_sigma) + " and " + num(short_sigma) +
                     "); the renderers compute in float32: scale the scene's units");
  if (!(c.det() > 0) || !std::isfinite(c.det()) || !(long_sigma <= kMaxSigmaRatio * short_sigma))
    throw InputError(sigmas_at + ": the longest sigma is " + num(long_sigma / short_sigma) +
                     " times the shortest; the renderers resolve at most " + limit(kMaxSigmaRatio) +
                     " (widen the narrow axis)");

  // In sample steps, as the fast renderers see it (a single column or row has steps of 1).
  const double sx = std::abs(grid.indexStepX()), sy = std::abs(grid.indexStepY());
  const auto [long_steps, short_steps] =
      sx == sy ? std::pair{long_sigma / sx, short_sigma / sx}
               : principalSigmas(c.xx / (sx * sx), c.xy / (sx * sy), c.yy / (sy * sy));
  if (!(short_steps >= kMinSigmaSteps))
    throw InputError(sigmas_at + ": the kernel is " + num(short_steps) +
                     " sample steps wide (the grid's step is " + num(sx) +
                     (sx == sy ? "" : " by " + num(sy)) + "); the renderers need at least " +
                     limit(kMinSigmaSteps) + ": widen the kernel or use fewer samples");
  if (c.xy != 0.0 && !(short_steps >= kMinRotatedSigmaSteps))
    throw InputError(sigmas_at + ": a rotated kernel must be at least " +
                     limit(kMinRotatedSigmaSteps) + " sample steps wide (this one is " +
                     num(short_steps) + "): widen it, use fewer samples, or turn it to a " +
                     "multiple of 90 degrees");
  if (!(long_steps <= kMaxMagnitude))
    throw InputError(sigmas_at + ": the kernel is " + num(long_steps) +
                     " sample steps wide; the renderers hold at most " + limit(kMaxMagnitude) +
                     ": narrow the kernel or use more samples");
  const double ci = grid.toIndexX(k.x), cj = grid.toIndexY(k.y);
  if (!(std::abs(ci) <= kMaxMagnitude && std::abs(cj) <= kMaxMagnitude))
    throw InputError(at + ": its centre lies " + num(std::max(std::abs(ci), std::abs(cj))) +
                     " sample steps from the grid; the renderers reach at most " +
                     limit(kMaxMagnitude) + ": move it closer or leave it out");

  const double top = kernelTop(k, scene.normalize, grid);
  const std::string how = "normalize '" + std::string(toString(scene.normalize)) + "'";
  if (top != 0.0 && !(std::abs(top) >= kMinMagnitude && std::abs(top) <= kMaxValue))
    throw InputError(at + ": its largest value is " + num(top) + " (" + how +
                     "); the renderers compute in float32 and need 0 or a magnitude within [" +
                     limit(kMinMagnitude) + ", " + limit(kMaxValue) + "]: scale its weight" +
                     (scene.normalize == Normalize::Pdf ? " or use normalize 'peak'" : ""));
  if (scene.combine == Combine::Union && !(top >= 0.0 && top <= 1.0))
    throw InputError(at +
                     ": combine 'union' needs every kernel's largest value in [0, 1], but "
                     "this kernel's is " +
                     num(top) + " (" + how + "); lower its weight or use combine 'sum' or 'max'");
}

void validateSize(std::int64_t width, std::int64_t height, const std::string& where) {
  if (width < 1 || width > kMaxSide || height < 1 || height > kMaxSide)
    throw InputError(where + ": width and height must be within 1.." + std::to_string(kMaxSide) +
                     " (got " + std::to_string(width) + "x" + std::to_string(height) + ")");
  if (width * height > kMaxPixels)
    throw InputError(where + ": width*height must be at most 2^28 = " + std::to_string(kMaxPixels) +
                     " samples (got " + std::to_string(width * height) + ")");
}

void validateGridSize(std::int64_t width, std::int64_t height, const std::string& where) {
  if (width < 1 || width > kMaxGridSide || height < 1 || height > kMaxGridSide)
    throw InputError(where + ": width and height must be within 1.." +
                     std::to_string(kMaxGridSide) + " for a grid rendered in windows (got " +
                     std::to_string(width) + "x" + std::to_string(height) + ")");
}

void validateScene(const Scene& scene, GridLimit grid_limit) {
  if (grid_limit == GridLimit::OneRender)
    validateSize(scene.width, scene.height, "width, height");
  else
    validateGridSize(scene.width, scene.height, "width, height");
  if (scene.extent) {
    const Extent& e = *scene.extent;
    const std::pair<double, const char*> edges[] = {
        {e.x0, "extent[0]"}, {e.x1, "extent[1]"}, {e.y0, "extent[2]"}, {e.y1, "extent[3]"}};
    for (const auto& [value, name] : edges) requireFinite(value, name);
    // The step (x1 - x0)/(width - 1) must exist: [-1e308, 1e308] is finite but its span is not.
    if (!std::isfinite(e.x1 - e.x0) || !std::isfinite(e.y1 - e.y0))
      throw InputError("extent: x1 - x0 and y1 - y0 must be finite (got [" + num(e.x0) + ", " +
                       num(e.x1) + ", " + num(e.y0) + ", " + num(e.y1) + "])");
    if (scene.width > 1 && e.x0 == e.x1)
      throw InputError("extent: x0 and x1 must differ when width > 1 (both are " + num(e.x0) + ")");
    if (scene.height > 1 && e.y0 == e.y1)
      throw InputError("extent: y0 and y1 must differ when height > 1 (both are " + num(e.y0) +
                       ")");
    for (const auto& [value, name] : edges) requireMagnitude(value, name);
  }
  if (scene.cutoff) {
    requirePositive(*scene.cutoff, "cutoff");
    if (*scene.cutoff > kMaxCutoff)
      throw InputError("cutoff: must be at most " + limit(kMaxCutoff) + " (got " +
                       num(*scene.cutoff) + "); leave it out for no cutoff");
  }
  const SampleGrid grid = scene.grid();
  double value_sum = 0;  // of every kernel's largest |value| (at any time)
  for (std::size_t i = 0; i < scene.kernels.size(); ++i) {
    validateKernel(scene.kernels[i], i, scene, grid);
    value_sum += scene.kernels[i].keys.empty()
                     ? std::abs(kernelTop(scene.kernels[i], scene.normalize, grid))
                     : largestValueOverTime(scene.kernels[i], scene.normalize, grid);
  }
  if (scene.duration || scene.fps || isAnimated(scene)) validateAnimation(scene);
  if (!(value_sum <= kMaxValueSum))
    throw InputError("kernels: their largest values add up to " + num(value_sum) +
                     ", more than float32 renderers can sum (at most " + limit(kMaxValueSum) +
                     "): scale the weights down");

  validateDisplay(scene.display);
}

void validateDisplay(const Display& d) {
  if (!findColormap(d.colormap)) {
    throw InputError("colormap: unknown colormap '" + d.colormap +
                     "' (known: " + colormapChoices() + ")");
  }
  if (!d.range && d.auto_range == AutoRange::Symmetric && d.scale == Scale::Log)
    throw InputError(
        "range: \"symmetric\" spans [-m, m], which scale 'log' cannot place (use "
        "scale linear or sqrt, or a range [lo, hi] with lo > 0)");
  if (d.range) {
    requireFinite((*d.range)[0], "range[0]");
    requireFinite((*d.range)[1], "range[1]");
    if (!((*d.range)[0] < (*d.range)[1]))
      throw InputError("range: lo must be below hi (got [" + num((*d.range)[0]) + ", " +
                       num((*d.range)[1]) + "])");
    if (d.scale == Scale::Log && !((*d.range)[0] > 0))
      throw InputError("range: scale 'log' needs lo > 0 (got " + num((*d.range)[0]) + ")");
  }
}

}  // namespace gaussmap
