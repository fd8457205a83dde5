#include "core/renderer.h"

#include <cmath>

#include "core/errors.h"

namespace gaussmap {

void requireFiniteValues(const FloatImage& values, const std::string& what) {
  for (std::size_t k = 0; k < values.pixels.size(); ++k) {
    const float v = values.pixels[k];
    if (std::isfinite(v)) continue;
    const int i = int(k % std::size_t(values.width)), j = int(k / std::size_t(values.width));
    throw RuntimeError(what + " produced " + (std::isnan(v) ? "NaN" : "an infinity") +
                       " at sample (" + std::to_string(i) + ", " + std::to_string(j) +
                       "): nothing was written (likely cause: a value beyond float32's range, such as huge "
                       "weights or sigmas far below the sample step; --backend reference computes "
                       "in double precision)");
  }
}

}  // namespace gaussmap
