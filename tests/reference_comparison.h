#pragma once
// Comparing a fast renderer's float image with the exact reference: the figures the GL and CPU
// renderer tests both hold to 1e-5, and a failure message that names the worst sample.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "gaussmap/image.h"
#include "gaussmap/scene.h"
#include "gaussmap/scene_json.h"

namespace gaussmap::test {

inline constexpr Combine kCombines[] = {Combine::Sum, Combine::Max, Combine::Union};
inline constexpr Normalize kNormalizes[] = {Normalize::Pdf, Normalize::Peak, Normalize::Cell};

inline std::string modeName(Combine c, Normalize n) {
  return std::string(toString(c)) + "/" + std::string(toString(n));
}

struct Comparison {
  double relative = 0;  // max |image - ref| / max |ref| (the absolute error when ref is all zero)
  double max_abs = 0;   // max |image - ref|
  double scale = 0;     // max |ref|
  int worst_i = 0, worst_j = 0;
  float value = 0;   // the image's value at the worst sample
  double exact = 0;  // the reference's
};

inline Comparison compare(const FloatImage& image, const DoubleImage& ref) {
  Comparison c;
  for (double v : ref.pixels) c.scale = std::max(c.scale, std::abs(v));
  c.max_abs = -1;
  for (int j = 0; j < ref.height; ++j) {
    for (int i = 0; i < ref.width; ++i) {
      double e = std::abs(double(image.at(i, j)) - ref.at(i, j));
      if (std::isnan(e)) e = INFINITY;
      if (e > c.max_abs) c = {0, e, c.scale, i, j, image.at(i, j), ref.at(i, j)};
    }
  }
  c.relative = c.scale > 0 ? c.max_abs / c.scale : c.max_abs;
  return c;
}

// `backend` names the image's renderer in the message ("gl", "cpu").
inline std::string describe(const Comparison& c, const std::string& backend) {
  std::ostringstream s;
  s.precision(9);
  s << "relative error " << c.relative << " (max abs " << c.max_abs << ", image max |value| "
    << c.scale << "); worst at sample (" << c.worst_i << ", " << c.worst_j << "): " << backend
    << " " << c.value << ", reference " << c.exact;
  return s.str();
}

// The scene as JSON for a failure message, when it is small enough to read.
inline std::string sceneForTrace(const Scene& scene) {
  if (scene.kernels.size() > 12) return "(" + std::to_string(scene.kernels.size()) + " kernels)";
  return sceneToJson(scene);
}

}  // namespace gaussmap::test
