#include "gl/kernel_packing.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "core/index_kernel.h"

namespace gaussmap::gl {
namespace {

// Integer parts beyond this are clamped: such kernels lie millions of samples away and only
// matter through their fraction's size, not its last digits.
constexpr double kMaxFloor = 4194304.0;  // 2^22, exact in float

}  // namespace

PackedScene packScene(const Scene& scene, const SampleWindow& window) {
  const IndexSpace space(scene);
  const int w = window.width, h = window.height;
  const bool cell = scene.normalize == Normalize::Cell;

  PackedScene out;
  out.kernels.reserve(scene.kernels.size());
  out.footprints.reserve(scene.kernels.size());
  for (const Kernel& kernel : scene.kernels) {
    IndexKernel k = space.kernel(kernel);
    k.ci -= window.i0;
    k.cj -= window.j0;
    // Which samples it can reach (half a cell more for `cell`, one sample of slack for rounding).
    const double slack = (cell ? 0.5 : 0.0) + 1.0;
    const double reach_i = k.reach_i + slack, reach_j = k.reach_j + slack;
    Footprint f;
    f.i0 = float(std::clamp(std::floor(k.ci - reach_i), 0.0, double(w)));
    f.i1 = float(std::clamp(std::ceil(k.ci + reach_i) + 1.0, 0.0, double(w)));
    f.j0 = float(std::clamp(std::floor(k.cj - reach_j), 0.0, double(h)));
    f.j1 = float(std::clamp(std::ceil(k.cj + reach_j) + 1.0, 0.0, double(h)));
    if (!(f.i1 > f.i0 && f.j1 > f.j0)) continue;  // nothing of it lands on the window

    const double floor_i = std::clamp(std::floor(k.ci), -kMaxFloor, kMaxFloor);
    const double floor_j = std::clamp(std::floor(k.cj), -kMaxFloor, kMaxFloor);
    // `cell` without a cutoff evaluates the whole footprint: a narrow kernel can put mass in a
    // cell whose centre is many sigmas away.
    const double m2_limit =
        cell && !scene.cutoff ? double(std::numeric_limits<float>::max()) : k.m2_limit;
    // The cell integral's parameters: u = dj / sigma_j, i given u normal with mean slope * u and
    // sd conditional_sd (the same conditional form as the whitening).
    const double sigma_i = std::sqrt(k.cxx), sigma_j = std::sqrt(k.cyy);
    const double slope = k.shear * sigma_j;
    const double conditional_sd = 1.0 / std::sqrt(k.p);
    // Pieces across a cell's height (1/sigma_j in units of u) narrow enough for 6-point
    // Gauss-Legendre: at most one unit of u, and at most the conditional mass's feature size.
    const double feature = std::min(1.0, slope != 0.0 ? conditional_sd / std::abs(slope) : 1.0);
    const double pieces = std::clamp(std::ceil((1.0 / sigma_j) / feature), 1.0, 64.0);
    const std::array<double, 4> whitening = k.whitening();

    PackedKernel p;
    p.v = {float(k.ci - floor_i),
           float(k.cj - floor_j),
           float(k.amplitude),
           float(m2_limit),
           float(floor_i),
           float(floor_j),
           k.axis_aligned ? 1.f : 0.f,
           float(pieces),
           float(whitening[0]),
           float(whitening[1]),
           float(whitening[2]),
           float(whitening[3]),
           float(sigma_i),
           float(sigma_j),
           float(slope),
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
    if (combine == Combine::Sum) continue;
    const bool row_outside = j < reached_by_all[1] || j >= reached_by_all[3];
    for (int i = 0; i < out.width; ++i) {
      const bool tail =
          tails_count_as_zero && (row_outside || i < reached_by_all[0] || i >= reached_by_all[2]);
      dst[i] = resolveAccumulator(combine, dst[i], tail);
    }
  }
}

}  // namespace gaussmap::gl
