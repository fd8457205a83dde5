#pragma once
// The kernel math of README "The math" in sample-index space (column i, row j): the one place
// the fast backends (cpu packing, gl packing) and bench's work estimate build a kernel from, so
// that a change to the contract (truncation, cutoff, a normalisation) is made once. The reference
// keeps its own scene-unit code on purpose: it is the ground truth these are checked against.
#include <array>
#include <optional>

#include "gaussmap/options.h"
#include "gaussmap/scene.h"

namespace gaussmap {

// Squared Mahalanobis distance beyond which an untruncated kernel may be dropped: its value there
// is below 1e-7 of its own peak (2 ln 1e7; a radius of 5.68 sigmas), as README "Cutoff" allows.
inline constexpr double kNegligibleM2 = 32.236191301916641;

// The squared radius of the region a kernel contributes to: cutoff^2, or kNegligibleM2.
double contractM2(const std::optional<double>& cutoff);

// The factor in front of exp(-m2/2): weight / (2 pi sqrt(det)) for pdf (det of the covariance in
// scene units), weight for peak and cell.
double kernelAmplitude(double weight, double det, Normalize normalize);

// One kernel in sample-index units: di = i - ci, dj = j - cj, and
//   m2 = inv_var_j * dj^2 + p * (di - shear * dj)^2,
// the marginal in j plus the conditional in i given j: a sum of two squares, so no digits cancel
// for thin rotated kernels (the expanded quadratic form loses log10(sigma ratio^2) of them).
struct IndexKernel {
  double ci = 0, cj = 0;  // centre
  // Covariance in index units: S^-1 Sigma S^-1 with S = diag(the grid's index steps).
  double cxx = 1, cxy = 0, cyy = 1;
  // Its determinant; from the sigmas where given (their product keeps every digit of a thin one).
  double det = 1;
  bool axis_aligned = true;  // cxy is exactly 0 (sigmas turned by a multiple of 90 degrees)
  double p = 1;              // 1 / variance of i given j
  double shear = 0;          // cxy / cyy: row j's peak lies at ci + shear * dj
  double inv_var_j = 1;      // 1 / cyy, the marginal variance in j
  double amplitude = 0;      // kernelAmplitude: the value at the centre of a pdf or peak kernel
  double m2_limit = kNegligibleM2;  // contractM2: samples with m2 above it get nothing
  // Half-sizes of the bounding box of the region m2 <= m2_limit, in samples.
  double reach_i = 0, reach_j = 0;

  // Rows of W with m2 = |W d|^2 for d = (di, dj): (sqrt(p), -sqrt(p) shear), (0, sqrt(inv_var_j)).
  std::array<double, 4> whitening() const;
  // The columns [centre - half, centre + half] of row j inside the region m2 <= m2_limit, as
  // doubles (half < 0 when the row misses it).
  struct RowExtent {
    double centre, half;
  };
  RowExtent rowExtent(int j) const;
};

// The grid, normalisation and cutoff kernels are built for; build once per render, then call
// kernel() per kernel.
class IndexSpace {
 public:
  IndexSpace(const SampleGrid& grid, Normalize normalize, const std::optional<double>& cutoff);
  explicit IndexSpace(const Scene& scene);

  IndexKernel kernel(const Kernel& k) const;
  const SampleGrid& grid() const { return grid_; }
  Normalize normalize() const { return normalize_; }
  double m2Limit() const { return m2_limit_; }

 private:
  SampleGrid grid_;
  Normalize normalize_;
  double m2_limit_;
};

// What an accumulator holds once every kernel has been combined into it (README "Combining"):
// sum: the sum; max: the largest value, or kNoKernel where none contributed; union: the sum of
// ln(1 - v). Below kNoKernelBelow counts as kNoKernel (-inf included).
inline constexpr float kNoKernel = -3.0e38f;
inline constexpr float kNoKernelBelow = -1.0e38f;

// The value of a sample from its accumulator: sum as is; max with "no kernel" as 0, and at least
// 0 where `tail_counts_as_zero` (max without cutoff, where some kernel's dropped tail is there as
// 0); union -expm1(sum of logs), +0 never -0. Its GLSL twin is shaders/resolve.frag, its SIMD twin
// Resolve in cpu/tile_renderer.cpp (which must stay vectorised): change the three together.
float resolveAccumulator(Combine combine, float accumulator, bool tail_counts_as_zero);

}  // namespace gaussmap
