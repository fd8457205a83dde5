#pragma once
// How far a float image is from an exact one: the figures `verify`, the viewer's Verify button
// and the benchmarks report.
#include <cmath>

#include "gaussmap/image.h"

namespace gaussmap {

struct ImageError {
  double max_abs = 0;   // max |actual - exact| (infinite when a value is NaN)
  double scale = 0;     // max |exact|
  double relative = 0;  // max_abs / scale (max_abs when scale is 0)
};

inline ImageError compareImages(const FloatImage& actual, const DoubleImage& exact) {
  ImageError e;
  for (double v : exact.pixels) e.scale = std::max(e.scale, std::abs(v));
  for (std::size_t k = 0; k < exact.pixels.size() && k < actual.pixels.size(); ++k) {
    const double d = std::abs(double(actual.pixels[k]) - exact.pixels[k]);
    e.max_abs = std::isnan(d) ? INFINITY : std::max(e.max_abs, d);
  }
  if (actual.pixels.size() != exact.pixels.size()) e.max_abs = INFINITY;
  e.relative = e.scale > 0 ? e.max_abs / e.scale : e.max_abs;
  return e;
}

}  // namespace gaussmap
