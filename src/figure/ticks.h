#pragma once
// Tick positions and labels for figure axes and colorbars: "nice" steps (1, 2, 2.5, 5 times a
// power of ten) with a shared power of ten pulled out for very small or large numbers (as
// matplotlib's ScalarFormatter does), and decades for log scales.
#include <string>
#include <vector>

#include "gaussmap/colormap.h"

namespace gaussmap::figure {

struct Tick {
  double value = 0;
  std::string label;  // empty for a minor tick
};

struct TickSet {
  std::vector<Tick> ticks;
  // A factor shown once at the axis, e.g. "×10⁻⁴" when the labels are value / 1e-4; or empty.
  std::string multiplier;
};

// About `target` ticks within [lo, hi] (either order), at multiples of a nice step.
TickSet linearTicks(double lo, double hi, int target = 6);
// Decades (10⁻⁴, 10⁻³, ...) with unlabelled minor ticks at 2..9 times them; within less than
// two decades, 1, 2 and 5 times powers of ten; lo, hi > 0.
TickSet logTicks(double lo, double hi);
// The colorbar's ticks for a value mapping: linear and sqrt take linear ticks (sqrt places them
// at their square-root positions), log takes logTicks.
TickSet colorbarTicks(const ValueMapping& mapping);

// "−4" -> "⁻⁴": an integer as Unicode superscript digits.
std::string superscript(int n);
// A number as a label: `decimals` after the point, with a true minus sign (U+2212).
std::string formatNumber(double v, int decimals);

}  // namespace gaussmap::figure
