#pragma once
// How far, in samples, a kernel may add to a grid on any backend: the one rule that tiles and
// Dask blocks use to give each block only the kernels it needs (kernelsByBlock, tilesReached).
#include <optional>

namespace gaussmap::api {

// The widest reach any backend evaluates without a cutoff: the reference's (src/reference, where
// exp(-m2/2) < 1e-16); the fast backends stop at kNegligibleM2. A wider reach only lists a
// kernel that adds nothing; a narrower one would drop a value. render_api_test holds the
// bit-for-bit claim on both backends.
inline constexpr double kWidestRadius = 8.6;
// Beyond the reach: the cpu backend evaluates whole SIMD vectors (up to 16 floats) along a row
// where a region ends, and a cell kernel's box reaches half a sample further.
inline constexpr double kColumnMargin = 32.5, kRowMargin = 1.5;

struct SampleReach {
  double half_i, half_j;  // the region's half-width and half-height around the centre
};

// For a kernel whose marginal standard deviations are sd_i columns and sd_j rows.
inline SampleReach sampleReach(double sd_i, double sd_j, const std::optional<double>& cutoff) {
  const double radius = (cutoff ? *cutoff : kWidestRadius) * (1 + 1e-6);
  return {radius * sd_i + kColumnMargin, radius * sd_j + kRowMargin};
}

}  // namespace gaussmap::api
