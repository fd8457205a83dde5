#include "reference/reference_renderer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numbers>
#include <vector>

#include "core/interrupt.h"

namespace gaussmap::reference {
namespace {

constexpr double kSqrt1_2 = 0.70710678118654752440;

// Gauss-Legendre nodes and weights on [-1, 1], found by Newton's method on P_n.
struct GaussLegendre {
  std::vector<double> nodes, weights;
  explicit GaussLegendre(int n) {
    for (int k = 1; k <= n; ++k) {
      double x = std::cos(std::numbers::pi * (k - 0.25) / (n + 0.5));
      double derivative = 0;
      for (int iteration = 0; iteration < 100; ++iteration) {
        double p0 = 1, p1 = x;
        for (int m = 2; m <= n; ++m) {
          const double p2 = ((2 * m - 1) * x * p1 - (m - 1) * p0) / m;
          p0 = p1;
          p1 = p2;
        }
        derivative = n * (x * p1 - p0) / (x * x - 1);
        const double step = p1 / derivative;
        x -= step;
        if (std::abs(step) < 1e-16) break;
      }
      nodes.push_back(x);
      weights.push_back(2 / ((1 - x * x) * derivative * derivative));
    }
  }
};

const GaussLegendre& gaussLegendre10() {
  static const GaussLegendre rule(10);
  return rule;
}

// Squared Mahalanobis distance of (dx, dy) under covariance c.
double mahalanobis2(const Covariance& c, double dx, double dy) {
  return (c.yy * dx * dx - 2 * c.xy * dx * dy + c.xx * dy * dy) / c.det();
}

// Mahalanobis radius beyond which exp(-m2/2) < 1e-16.
constexpr double kNegligibleRadius = 8.6;

}  // namespace

double standardNormalMass(double a, double b) {
  if (!(b > a)) return 0.0;
  if (a >= 0) return 0.5 * (std::erfc(a * kSqrt1_2) - std::erfc(b * kSqrt1_2));
  if (b <= 0) return 0.5 * (std::erfc(-b * kSqrt1_2) - std::erfc(-a * kSqrt1_2));
  return 0.5 * (std::erf(b * kSqrt1_2) - std::erf(a * kSqrt1_2));
}

double boxMass(const Kernel& kernel, double x_lo, double x_hi, double y_lo, double y_hi) {
  const Covariance c = kernel.covariance();
  const double sx = std::sqrt(c.xx), sy = std::sqrt(c.yy);
  if (c.xy == 0.0)  // independent axes: a product of two exact 1-D masses
    return standardNormalMass((x_lo - kernel.x) / sx, (x_hi - kernel.x) / sx) *
           standardNormalMass((y_lo - kernel.y) / sy, (y_hi - kernel.y) / sy);

  // Rotated: integrate over u = (y - y_c)/sigma_y the density of u times the exact mass of the
  // conditional x-distribution, N(x_c + (c.xy/sy) u, c.xx - c.xy^2/c.yy), inside [x_lo, x_hi].
  const double slope = c.xy / sy;
  const double conditional_sd = std::sqrt(c.det() / c.yy);
  const double u_lo = std::max((y_lo - kernel.y) / sy, -40.0);
  const double u_hi = std::min((y_hi - kernel.y) / sy, 40.0);
  if (!(u_hi > u_lo)) return 0.0;
  // Pieces narrow enough that both the density and the conditional mass are smooth on each.
  const double feature = std::min(0.25, 0.25 * conditional_sd / std::abs(slope));
  const int pieces = int(std::clamp(std::ceil((u_hi - u_lo) / feature), 1.0, 20000.0));
  const GaussLegendre& rule = gaussLegendre10();
  const double h = (u_hi - u_lo) / pieces;
  double total = 0;
  for (int p = 0; p < pieces; ++p) {
    const double mid = u_lo + (p + 0.5) * h;
    for (std::size_t q = 0; q < rule.nodes.size(); ++q) {
      const double u = mid + 0.5 * h * rule.nodes[q];
      const double mean = kernel.x + slope * u;
      const double density = std::exp(-0.5 * u * u) / std::sqrt(2 * std::numbers::pi);
      total += 0.5 * h * rule.weights[q] * density *
               standardNormalMass((x_lo - mean) / conditional_sd, (x_hi - mean) / conditional_sd);
    }
  }
  return total;
}

std::optional<double> kernelValue(const Kernel& kernel, const Scene& scene, const SampleGrid& grid,
                                  int i, int j) {
  const Covariance c = kernel.covariance();
  const double px = grid.x(i), py = grid.y(j);
  const double m2 = mahalanobis2(c, px - kernel.x, py - kernel.y);
  if (scene.cutoff && m2 > *scene.cutoff * *scene.cutoff) return std::nullopt;
  switch (scene.normalize) {
    case Normalize::Pdf:
      return kernel.weight * std::exp(-0.5 * m2) / (2 * std::numbers::pi * std::sqrt(c.det()));
    case Normalize::Peak:
      return kernel.weight * std::exp(-0.5 * m2);
    case Normalize::Cell: {
      const double hw = 0.5 * grid.cellWidth(), hh = 0.5 * grid.cellHeight();
      return kernel.weight * boxMass(kernel, px - hw, px + hw, py - hh, py + hh);
    }
  }
  return std::nullopt;
}

DoubleImage render(const Scene& scene) {
  return render(scene, wholeGrid(scene));
}

DoubleImage render(const Scene& scene, const SampleWindow& window) {
  validateWindow(scene, window);
  const SampleGrid grid = scene.grid();
  // Indices i, j below are the whole grid's (kernelValue places samples by them); the
  // accumulators hold the window's samples, (i - wi, j - wj).
  const int w = window.width, h = window.height, wi = window.i0, wj = window.j0;
  // Per-sample accumulators: sum of values; max (NaN until a kernel contributes); for union
  // the sum of log(1 - v), so that 1 - prod(1 - v) = -expm1(sum) keeps digits for small v.
  DoubleImage sum(w, h, 0.0);
  DoubleImage max(w, h, std::numeric_limits<double>::quiet_NaN());
  // How many kernels were evaluated at each sample: without a cutoff, a kernel skipped beyond
  // its reach still has a value there (about +-1e-16 of its peak), which `max` must count as 0.
  Image<std::uint32_t> evaluated(w, h, 0);

  // Each kernel's box of samples, first: their total is the progress bar's length.
  struct Box {
    int i0, i1, j0, j1;
  };
  std::vector<Box> boxes;
  boxes.reserve(scene.kernels.size());
  std::int64_t total_samples = 0;
  for (const Kernel& kernel : scene.kernels) {
    const Covariance c = kernel.covariance();
    // The samples this kernel can reach: a box of kNegligibleRadius (or the cutoff) around it,
    // widened by a cell for `cell`, converted to index ranges on a possibly flipped grid.
    double radius = kNegligibleRadius;
    if (scene.cutoff) radius = std::min(radius, *scene.cutoff);
    const double reach_x = radius * std::sqrt(c.xx) + grid.cellWidth();
    const double reach_y = radius * std::sqrt(c.yy) + grid.cellHeight();
    auto indexRange = [](double lo, double hi, double start, double step, int count) {
      if (step == 0.0) return std::pair<int, int>{0, count - 1};
      double a = (lo - start) / step, b = (hi - start) / step;
      if (a > b) std::swap(a, b);
      // Clamped before the conversion: a kernel far off the grid gives indices beyond int.
      const double first = std::clamp(std::ceil(a), 0.0, double(count));
      const double last = std::clamp(std::floor(b), -1.0, count - 1.0);
      return std::pair<int, int>{int(first), int(last)};
    };
    auto [i0, i1] =
        indexRange(kernel.x - reach_x, kernel.x + reach_x, grid.x(0), grid.dx(), grid.width());
    auto [j0, j1] =
        indexRange(kernel.y - reach_y, kernel.y + reach_y, grid.y(0), grid.dy(), grid.height());
    // The box on the whole grid, then its part inside the window.
    i0 = std::max(i0, wi);
    i1 = std::min(i1, wi + w - 1);
    j0 = std::max(j0, wj);
    j1 = std::min(j1, wj + h - 1);
    boxes.push_back({i0, i1, j0, j1});
    total_samples += std::int64_t(std::max(0, i1 - i0 + 1)) * std::max(0, j1 - j0 + 1);
  }

  // Rows are the checkpoints: a stop request is answered within one row of one kernel.
  std::int64_t done_samples = 0, next_report = 0;
  for (std::size_t k = 0; k < scene.kernels.size(); ++k) {
    const Kernel& kernel = scene.kernels[k];
    const auto [i0, i1, j0, j1] = boxes[k];
    for (int j = j0; j <= j1; ++j) {
      throwIfInterrupted();
      if (done_samples >= next_report) {  // the reporter reads a clock: not every row
        reportProgress("reference render", done_samples, total_samples);
        next_report = done_samples + 65536;
      }
      done_samples += std::max(0, i1 - i0 + 1);
      for (int i = i0; i <= i1; ++i) {
        const std::optional<double> v = kernelValue(kernel, scene, grid, i, j);
        if (!v) continue;
        const int x = i - wi, y = j - wj;
        switch (scene.combine) {
          case Combine::Sum:
            sum.at(x, y) += *v;
            break;
          case Combine::Max:
            max.at(x, y) = std::isnan(max.at(x, y)) ? *v : std::max(max.at(x, y), *v);
            ++evaluated.at(x, y);
            break;
          case Combine::Union:
            sum.at(x, y) += std::log1p(-*v);
            break;
        }
      }
    }
  }

  DoubleImage out(w, h);
  for (std::size_t k = 0; k < out.pixels.size(); ++k) {
    switch (scene.combine) {
      case Combine::Sum:
        out.pixels[k] = sum.pixels[k];
        break;
      case Combine::Max: {
        // Where no kernel contributes the value is 0; untruncated kernels that were skipped
        // here contribute (nearly) 0, so the max is at least 0.
        const bool skipped_some = !scene.cutoff && evaluated.pixels[k] < scene.kernels.size();
        const double m = std::isnan(max.pixels[k]) ? 0.0 : max.pixels[k];
        out.pixels[k] = skipped_some ? std::max(m, 0.0) : m;
        break;
      }
      case Combine::Union:
        out.pixels[k] = 0.0 - std::expm1(sum.pixels[k]);  // +0 where nothing reached, not -0
        break;
    }
  }
  return out;
}

}  // namespace gaussmap::reference

#include "reference/reference_backend.h"

namespace gaussmap::reference {

FloatImage ReferenceRenderer::render(const Scene& scene) {
  return renderWindow(scene, wholeGrid(scene));
}

FloatImage ReferenceRenderer::renderWindow(const Scene& scene, const SampleWindow& window) {
  const DoubleImage exact = reference::render(scene, window);
  FloatImage out(exact.width, exact.height);
  for (std::size_t k = 0; k < exact.pixels.size(); ++k) out.pixels[k] = float(exact.pixels[k]);
  return out;
}

}  // namespace gaussmap::reference
