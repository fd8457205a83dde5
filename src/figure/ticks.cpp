#include "figure/ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace gaussmap::figure {
namespace {

// The fewest decimals (up to 8) that show multiples of `step` exactly.
int decimalsFor(double step) {
  for (int d = 0; d < 8; ++d) {
    const double scaled = step * std::pow(10.0, d);
    if (std::abs(scaled - std::round(scaled)) < 1e-6 * std::max(1.0, scaled)) return d;
  }
  return 8;
}

}  // namespace

std::string superscript(int n) {
  static const char* digits[] = {"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"};
  std::string out = n < 0 ? "⁻" : "";
  const std::string plain = std::to_string(std::abs(n));
  for (char c : plain) out += digits[c - '0'];
  return out;
}

std::string formatNumber(double v, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, v);
  std::string s = buffer;
  // "-0" and "-0.00" are 0.
  if (s.find_first_not_of("-0.") == std::string::npos) s.erase(0, s.front() == '-' ? 1 : 0);
  if (!s.empty() && s.front() == '-') s.replace(0, 1, "−");
  return s;
}

TickSet linearTicks(double lo, double hi, int target) {
  if (hi < lo) std::swap(lo, hi);
  TickSet set;
  const double span = hi - lo;
  if (!(span > 0) || !std::isfinite(span)) {
    set.ticks.push_back({lo, formatNumber(lo, lo == std::round(lo) ? 0 : 3)});
    return set;
  }
  const double raw = span / std::max(1, target);
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  double step = 10 * magnitude;
  for (double m : {1.0, 2.0, 2.5, 5.0, 10.0})
    if (m * magnitude >= raw * (1 - 1e-9)) {
      step = m * magnitude;
      break;
    }
  const long long first = (long long)std::ceil(lo / step - 1e-9);
  const long long last = (long long)std::floor(hi / step + 1e-9);
  double largest = 0;
  for (long long k = first; k <= last; ++k) largest = std::max(largest, std::abs(k * step));
  // Very small or large numbers share a power of ten, shown once.
  int exponent = 0;
  if (largest >= 1e5 || (largest > 0 && largest < 1e-3))
    exponent = int(std::floor(std::log10(largest)));
  const double unit = std::pow(10.0, exponent);
  const int decimals = decimalsFor(step / unit);
  for (long long k = first; k <= last; ++k) {
    const double v = k * step;
    set.ticks.push_back({v, formatNumber(v / unit, decimals)});
  }
  if (exponent != 0) set.multiplier = "×10" + superscript(exponent);
  return set;
}

TickSet logTicks(double lo, double hi) {
  if (hi < lo) std::swap(lo, hi);
  TickSet set;
  const int d0 = int(std::ceil(std::log10(lo) - 1e-9)), d1 = int(std::floor(std::log10(hi) + 1e-9));
  if (d1 - d0 >= 1) {
    // Label every decade, or every second, third... when there are many.
    const int every = (d1 - d0) / 8 + 1;
    for (int d = d0 - 1; d <= d1; ++d) {
      const double decade = std::pow(10.0, d);
      if (d >= d0)
        set.ticks.push_back({decade, (d - d0) % every == 0 ? "10" + superscript(d) : ""});
      if (d1 - d0 <= 6)
        for (int m = 2; m <= 9; ++m) {
          const double v = m * decade;
          if (v >= lo * (1 - 1e-9) && v <= hi * (1 + 1e-9)) set.ticks.push_back({v, ""});
        }
    }
    std::sort(set.ticks.begin(), set.ticks.end(),
              [](const Tick& a, const Tick& b) { return a.value < b.value; });
    return set;
  }
  // Within one decade or two: 1, 2 and 5 times powers of ten, labelled.
  for (int d = d0 - 1; d <= d1; ++d)
    for (int m : {1, 2, 5}) {
      const double v = m * std::pow(10.0, d);
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      set.ticks.push_back(
          {v, m == 1 ? "10" + superscript(d) : std::to_string(m) + "×10" + superscript(d)});
    }
  if (set.ticks.size() < 2) return linearTicks(lo, hi, 4);
  return set;
}

TickSet colorbarTicks(const ValueMapping& mapping) {
  if (mapping.scale == Scale::Log && mapping.lo > 0 && mapping.hi > mapping.lo)
    return logTicks(mapping.lo, mapping.hi);
  return linearTicks(mapping.lo, mapping.hi, 6);
}

}  // namespace gaussmap::figure
