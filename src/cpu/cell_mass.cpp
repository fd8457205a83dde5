#include "cpu/cell_mass.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace gaussmap::cpu {
namespace {

constexpr double kInvSqrt2 = 0.70710678118654752440;

// 8-point Gauss-Legendre on [-1, 1]: the positive nodes and their weights.
constexpr double kNode[4] = {0.18343464249564980494, 0.52553240991632898582, 0.79666647741362673959,
                             0.96028985649753623168};
constexpr double kWeight[4] = {0.36268378337836198297, 0.31370664587788728734,
                               0.22238103445337447054, 0.10122853629037625915};

}  // namespace

double standardMass(double lo, double hi) {
  if (!(hi > lo)) return 0.0;
  if (lo >= 0) return 0.5 * (std::erfc(lo * kInvSqrt2) - std::erfc(hi * kInvSqrt2));
  if (hi <= 0) return 0.5 * (std::erfc(-hi * kInvSqrt2) - std::erfc(-lo * kInvSqrt2));
  return 1.0 - 0.5 * (std::erfc(-lo * kInvSqrt2) + std::erfc(hi * kInvSqrt2));
}

double cellMass1d(double d, double sigma) {
  return standardMass((d - 0.5) / sigma, (d + 0.5) / sigma);
}

double shearedCellMass(double di, double dj, double p, double shear, double inv_var_j) {
  const double sigma_j = 1.0 / std::sqrt(inv_var_j);
  const double conditional_sigma = 1.0 / std::sqrt(p);
  // Beyond 9 sigma the marginal density is below 1e-17 of its peak.
  const double t_lo = std::max(dj - 0.5, -9.0 * sigma_j);
  const double t_hi = std::min(dj + 0.5, 9.0 * sigma_j);
  if (!(t_hi > t_lo)) return 0.0;
  // Pieces short against both the marginal's width and the distance over which the conditional
  // mean moves by a conditional sigma, so a polynomial fits the integrand on each.
  double feature = 0.5 * sigma_j;
  if (shear != 0.0) feature = std::min(feature, 0.5 * conditional_sigma / std::abs(shear));
  const int pieces = int(std::clamp(std::ceil((t_hi - t_lo) / feature), 1.0, 4096.0));
  const double half = 0.5 * (t_hi - t_lo) / pieces;
  const double density_scale = 1.0 / (sigma_j * std::sqrt(2.0 * std::numbers::pi));
  double total = 0;
  for (int piece = 0; piece < pieces; ++piece) {
    const double mid = t_lo + (2 * piece + 1) * half;
    for (int q = 0; q < 8; ++q) {
      const double t = mid + (q < 4 ? -kNode[q] : kNode[q - 4]) * half;
      const double mean = shear * t;
      const double density = std::exp(-0.5 * t * t * inv_var_j);
      total += kWeight[q % 4] * density *
               standardMass((di - 0.5 - mean) / conditional_sigma,
                            (di + 0.5 - mean) / conditional_sigma);
    }
  }
  return total * half * density_scale;
}

}  // namespace gaussmap::cpu
