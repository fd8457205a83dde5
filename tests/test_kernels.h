#pragma once
// Kernels by position, sigmas, angle and weight for unit tests, and the squared Mahalanobis
// distance at a sample from the kernel's own axes in scene units: computed apart from
// Kernel::covariance and core/index_kernel, which the tests check against it.
#include <cmath>
#include <numbers>

#include "gaussmap/scene.h"

namespace gaussmap::test {

inline Kernel kernelAt(double x, double y, double sigma_x, double sigma_y, double angle_deg = 0,
                       double weight = 1) {
  Kernel k;
  k.x = x;
  k.y = y;
  k.sigma_x = sigma_x;
  k.sigma_y = sigma_y;
  k.angle_deg = angle_deg;
  k.weight = weight;
  return k;
}

// m2 at sample (i, j): the offset turned onto the kernel's axes, each scaled by its sigma.
inline double sceneM2(const Kernel& k, const SampleGrid& grid, int i, int j) {
  const double a = k.angle_deg * std::numbers::pi / 180.0;
  const double dx = grid.x(i) - k.x, dy = grid.y(j) - k.y;
  const double along = std::cos(a) * dx + std::sin(a) * dy;
  const double across = -std::sin(a) * dx + std::cos(a) * dy;
  return along * along / (k.sigma_x * k.sigma_x) + across * across / (k.sigma_y * k.sigma_y);
}

}  // namespace gaussmap::test
