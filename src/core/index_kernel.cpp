#include "core/index_kernel.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gaussmap {

double contractM2(const std::optional<double>& cutoff) {
  return cutoff ? *cutoff * *cutoff : kNegligibleM2;
}

double kernelAmplitude(double weight, double det, Normalize normalize) {
  return normalize == Normalize::Pdf ? weight / (2.0 * std::numbers::pi * std::sqrt(det)) : weight;
}

std::array<double, 4> IndexKernel::whitening() const {
  const double root_p = std::sqrt(p);
  return {root_p, -root_p * shear, 0.0, std::sqrt(inv_var_j)};
}

IndexKernel::RowExtent IndexKernel::rowExtent(int j) const {
  const double dj = j - cj, rest = m2_limit - dj * dj * inv_var_j;
  return {ci + shear * dj, rest < 0 ? -1.0 : std::sqrt(rest / p)};
}

IndexSpace::IndexSpace(const SampleGrid& grid, Normalize normalize,
                       const std::optional<double>& cutoff)
    : grid_(grid), normalize_(normalize), m2_limit_(contractM2(cutoff)) {}

IndexSpace::IndexSpace(const Scene& scene)
    : IndexSpace(scene.grid(), scene.normalize, scene.cutoff) {}

IndexKernel IndexSpace::kernel(const Kernel& k) const {
  // The common unrotated case skips covariance()'s cos and sin (it returns exactly this).
  const bool plain = !k.cov && k.angle_deg == 0.0;
  const Covariance c =
      plain ? Covariance{k.sigma_x * k.sigma_x, 0.0, k.sigma_y * k.sigma_y} : k.covariance();
  const double det = k.cov ? c.det() : (k.sigma_x * k.sigma_x) * (k.sigma_y * k.sigma_y);
  const double sx = grid_.indexStepX(), sy = grid_.indexStepY();

  IndexKernel out;
  out.ci = grid_.toIndexX(k.x);
  out.cj = grid_.toIndexY(k.y);
  out.cxx = c.xx / (sx * sx);
  out.cyy = c.yy / (sy * sy);
  out.cxy = c.xy / (sx * sy);
  out.det = det / ((sx * sx) * (sy * sy));
  out.axis_aligned = c.xy == 0.0;
  out.p = out.axis_aligned ? 1.0 / out.cxx : out.cyy / out.det;
  out.shear = out.axis_aligned ? 0.0 : out.cxy / out.cyy;
  out.inv_var_j = 1.0 / out.cyy;
  out.amplitude = kernelAmplitude(k.weight, det, normalize_);
  out.m2_limit = m2_limit_;
  out.reach_i = std::sqrt(m2_limit_ * out.cxx);
  out.reach_j = std::sqrt(m2_limit_ * out.cyy);
  return out;
}

float resolveAccumulator(Combine combine, float accumulator, bool tail_counts_as_zero) {
  switch (combine) {
    case Combine::Sum:
      return accumulator;
    case Combine::Max: {
      const float v = accumulator <= kNoKernelBelow ? 0.0f : accumulator;
      return tail_counts_as_zero ? std::max(v, 0.0f) : v;
    }
    case Combine::Union:
      return float(0.0 - std::expm1(double(accumulator)));  // 0 - x: +0 where no kernel, never -0
  }
  return accumulator;
}

}  // namespace gaussmap
