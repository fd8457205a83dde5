#include "gl/kernel_packing.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

namespace gaussmap::gl {
namespace {

// Integer parts beyond this are clamped: such kernels lie millions of samples away and only
// matter through their fraction's size, not its last digits.
constexpr double kMaxFloor = 4194304.0;  // 2^22, exact in float

}  // namespace

PackedScene packScene(const Scene& scene) {
  const SampleGrid grid = scene.grid();
  const int w = grid.width(), h = grid.height();
  // A single column or row has no step; any scale works there since only index 0 is sampled.
  const double sx = grid.dx() != 0.0 ? grid.dx() : 1.0;
  const double sy = grid.dy() != 0.0 ? grid.dy() : 1.0;
  const bool cell = scene.normalize == Normalize::Cell;

  PackedScene out;
  out.kernels.reserve(scene.kernels.size());
  out.footprints.reserve(scene.kernels.size());
  for (const Kernel& k : scene.kernels) {
    const Covariance c = k.covariance();
    // Covariance in index units: Sigma_idx = S^-1 Sigma S^-1 with S = diag(sx, sy).
    const double cxx = c.xx / (sx * sx), cyy = c.yy / (sy * sy), cxy = c.xy / (sx * sy);
    const double det = cxx * cyy - cxy * cxy;
    const double ci = (k.x - grid.extent().x0) / sx;
    const double cj = (k.y - grid.extent().y0) / sy;

    // Which samples it can reach (half a cell more for `cell`, one sample of slack for rounding).
    double radius2 = scene.cutoff ? *scene.cutoff * *scene.cutoff : kNegligibleM2;
    const double radius = std::sqrt(radius2);
    const double slack = (cell ? 0.5 : 0.0) + 1.0;
    const double reach_i = radius * std::sqrt(cxx) + slack;
    const double reach_j = radius * std::sqrt(cyy) + slack;
    Footprint f;
    f.i0 = float(std::clamp(std::floor(ci - reach_i), 0.0, double(w)));
    f.i1 = float(std::clamp(std::ceil(ci + reach_i) + 1.0, 0.0, double(w)));
    f.j0 = float(std::clamp(std::floor(cj - reach_j), 0.0, double(h)));
    f.j1 = float(std::clamp(std::ceil(cj + reach_j) + 1.0, 0.0, double(h)));
    if (!(f.i1 > f.i0 && f.j1 > f.j0)) continue;  // nothing of it lands on the image

    const double floor_i = std::clamp(std::floor(ci), -kMaxFloor, kMaxFloor);
    const double floor_j = std::clamp(std::floor(cj), -kMaxFloor, kMaxFloor);
    const double amplitude = scene.normalize == Normalize::Pdf
                                 ? k.weight / (2.0 * std::numbers::pi * std::sqrt(c.det()))
                                 : k.weight;
    // `cell` without a cutoff evaluates the whole footprint: a narrow kernel can put mass in a
    // cell whose centre is many sigmas away.
    const double m2_limit = scene.cutoff ? radius2
                            : cell       ? std::numeric_limits<float>::max()
                                         : kNegligibleM2;
    const bool axis_aligned = cxy == 0.0;
    const double sigma_i = std::sqrt(cxx), sigma_j = std::sqrt(cyy);
    const double slope = cxy / sigma_j;
    const double conditional_sd = std::sqrt(det / cyy);
    // Pieces across a cell's height (1/sigma_j in units of u) narrow enough for 6-point
    // Gauss-Legendre: at most one unit of u, and at most the conditional mass's feature size.
    const double feature = std::min(1.0, slope != 0.0 ? conditional_sd / std::abs(slope) : 1.0);
    const double pieces = std::clamp(std::ceil((1.0 / sigma_j) / feature), 1.0, 64.0);
    // m2 as a sum of two squares along the covariance's eigenvectors: the expanded form
    // a di^2 + 2 b di dj + c dj^2 cancels along a rotated kernel's long axis and loses up to
    // log10(sigma ratio^2) digits in float (1e-5 of the peak at a ratio of 20).
    std::array<double, 4> whitening = {1.0 / sigma_i, 0.0, 0.0, 1.0 / sigma_j};
    if (!axis_aligned) {
      const double long_variance = 0.5 * (cxx + cyy) + std::hypot(0.5 * (cxx - cyy), cxy);
      const double short_variance = det / long_variance;
      const double angle = 0.5 * std::atan2(2.0 * cxy, cxx - cyy);  // of the long axis
      const double cs = std::cos(angle), sn = std::sin(angle);
      const double l = 1.0 / std::sqrt(long_variance), s = 1.0 / std::sqrt(short_variance);
      whitening = {cs * l, sn * l, -sn * s, cs * s};
    }

    PackedKernel p;
    p.v = {float(ci - floor_i),      float(cj - floor_j), float(amplitude),
           float(m2_limit),          float(floor_i),      float(floor_j),
           axis_aligned ? 1.f : 0.f, float(pieces),       float(whitening[0]),
           float(whitening[1]),      float(whitening[2]), float(whitening[3]),
           float(sigma_i),           float(sigma_j),      float(slope),
           float(conditional_sd)};
    out.kernels.push_back(p);
    out.footprints.push_back(f);
    out.footprint_area += f.area();
  }
  return out;
}

void unpackAndResolve(const std::vector<float>& blocks, int block_width, Combine combine,
                      bool tails_count_as_zero, const std::array<float, 4>& reached_by_all,
                      FloatImage& out) {
  for (int j = 0; j < out.height; ++j) {
    // Row j's samples sit in block row j / 2, components (j & 1) * 2 and (j & 1) * 2 + 1.
    const float* src = blocks.data() + std::size_t(j / 2) * block_width * 4 + (j & 1) * 2;
    float* dst = &out.at(0, j);
    for (int i = 0; i < out.width; ++i) dst[i] = src[(i >> 1) * 4 + (i & 1)];
    if (combine == Combine::Union) {
      for (int i = 0; i < out.width; ++i) dst[i] = float(0.0 - std::expm1(double(dst[i])));  // +0, never -0
    } else if (combine == Combine::Max) {
      const bool row_outside = j < reached_by_all[1] || j >= reached_by_all[3];
      for (int i = 0; i < out.width; ++i) {
        float v = dst[i] <= -1.0e38f ? 0.0f : dst[i];
        if (tails_count_as_zero && (row_outside || i < reached_by_all[0] || i >= reached_by_all[2]))
          v = std::max(v, 0.0f);
        dst[i] = v;
      }
    }
  }
}

}  // namespace gaussmap::gl
