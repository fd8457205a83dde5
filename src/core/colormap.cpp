#include "gaussmap/colormap.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>

#include "core/colormap_tables.h"
#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

constexpr std::string_view kReversedSuffix = "_r";

// Every map findColormap knows: the generated tables in their order, then each reversed. A
// reversed map is its base's table read backwards (entry k is the base's entry 255 - k), built
// here once, so that the CPU and the GL pass (which uploads `table`) both see the same entries.
struct Registry {
  std::array<ColormapTable, kColormapTables.size()> reversed_tables;
  std::array<std::string, kColormapTables.size()> reversed_names;
  std::vector<Colormap> maps;

  Registry() {
    maps.reserve(2 * kColormapTables.size());
    for (const NamedColormapTable& base : kColormapTables) maps.push_back({base.name, base.table});
    for (std::size_t m = 0; m < kColormapTables.size(); ++m) {
      const ColormapTable& base = *kColormapTables[m].table;
      std::reverse_copy(base.begin(), base.end(), reversed_tables[m].begin());
      reversed_names[m] = std::string(kColormapTables[m].name) + std::string(kReversedSuffix);
      maps.push_back({reversed_names[m], &reversed_tables[m]});
    }
  }
};

const Registry& registry() {
  static const Registry instance;
  return instance;
}

// NaN fails both comparisons, so it lands on 0 rather than propagating into a colour.
double clampUnit(double t) {
  if (!(t > 0.0)) return 0.0;
  if (!(t < 1.0)) return 1.0;
  return t;
}

std::uint8_t toByte(double channel) {
  const double scaled = std::floor(channel * 255.0 + 0.5);
  return static_cast<std::uint8_t>(std::clamp(scaled, 0.0, 255.0));
}

}  // namespace

const Colormap* findColormap(std::string_view name) {
  for (const Colormap& map : registry().maps) {
    if (map.name == name) return &map;
  }
  return nullptr;
}

std::vector<std::string_view> colormapNames() {
  std::vector<std::string_view> names;
  names.reserve(registry().maps.size());
  for (const Colormap& map : registry().maps) names.push_back(map.name);
  return names;
}

std::vector<std::string_view> baseColormapNames() {
  std::vector<std::string_view> names;
  names.reserve(kColormapTables.size());
  for (const NamedColormapTable& base : kColormapTables) names.push_back(base.name);
  return names;
}

std::string colormapChoices() {
  std::string out;
  for (std::string_view name : baseColormapNames()) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out + " (NAME_r reverses any of them)";
}

double ValueMapping::position(double v) const {
  // An empty or inverted range has no direction to map along; everything sits at the bottom.
  if (!(hi > lo) || std::isnan(v)) return 0.0;
  switch (scale) {
    case Scale::Linear:
      return clampUnit((v - lo) / (hi - lo));
    case Scale::Sqrt:
      // Clamp first: the root of a value below lo would be NaN, not 0.
      return std::sqrt(clampUnit((v - lo) / (hi - lo)));
    case Scale::Log: {
      if (v <= 0.0) return 0.0;
      const double log_lo = std::log(lo);
      return clampUnit((std::log(v) - log_lo) / (std::log(hi) - log_lo));
    }
  }
  return 0.0;
}

double autoLogRangeLow(double smallest_positive, double hi) {
  return std::max(smallest_positive, hi * kLogRangeFloor);
}

std::array<double, 2> symmetricRange(double lo, double hi) {
  const double m = std::max(std::abs(lo), std::abs(hi));
  return {-m, m};
}

void RangeAccumulator::add(std::span<const float> values) {
  if (display_.range) return;
  // Log can only place positive values, so only they define its automatic range.
  const bool positive_only = display_.scale == Scale::Log;
  double lo = any_placed_ ? lo_ : std::numeric_limits<double>::infinity();
  double hi = any_placed_ ? hi_ : -std::numeric_limits<double>::infinity();
  for (float value : values) {
    if (!std::isfinite(value)) continue;
    any_finite_ = true;
    if (positive_only && !(value > 0.0f)) continue;
    lo = std::min(lo, double{value});
    hi = std::max(hi, double{value});
  }
  any_placed_ = lo <= hi;
  lo_ = lo;
  hi_ = hi;
}

ValueMapping RangeAccumulator::mapping() const {
  ValueMapping mapping;
  mapping.scale = display_.scale;
  if (display_.range) {
    mapping.lo = (*display_.range)[0];
    mapping.hi = (*display_.range)[1];
  } else if (any_placed_ && display_.auto_range == AutoRange::Symmetric) {
    // All zeros stay an empty range (everything at t = 0), as an auto range of a constant does.
    const auto [m_lo, m_hi] = symmetricRange(lo_, hi_);
    mapping.lo = m_lo;
    mapping.hi = m_hi;
  } else if (any_placed_) {
    mapping.lo = display_.scale == Scale::Log ? autoLogRangeLow(lo_, hi_) : lo_;
    mapping.hi = hi_;
  } else {
    // Nothing to span: an empty range maps every value to t = 0. For log, 1 keeps ln(lo) finite.
    const double fallback = any_finite_ && display_.scale == Scale::Log ? 1.0 : 0.0;
    mapping.lo = fallback;
    mapping.hi = fallback;
  }
  return mapping;
}

ValueMapping resolveValueMapping(const Display& display, std::span<const float> values) {
  RangeAccumulator range(display);
  range.add(values);
  return range.mapping();
}

Rgb8 colorAt(const Colormap& map, double t) {
  const auto& table = *map.table;
  const double pos = clampUnit(t) * 255.0;
  // Stop at 254 so that t = 1 interpolates entirely onto the last entry instead of past it.
  const int k = std::min(static_cast<int>(std::floor(pos)), 254);
  const double f = pos - k;
  const auto channel = [&](int c) {
    return toByte(double{table[k][c]} * (1.0 - f) + double{table[k + 1][c]} * f);
  };
  return Rgb8{channel(0), channel(1), channel(2)};
}

RgbImage applyColormap(const FloatImage& values, const ValueMapping& mapping, const Colormap& map,
                       Origin origin) {
  RgbImage out(values.width, values.height);
  for (int j = 0; j < values.height; ++j) {
    // Lower origin puts y0 at the bottom of the picture, i.e. the last output row.
    const int source_row = origin == Origin::Lower ? values.height - 1 - j : j;
    for (int i = 0; i < values.width; ++i) {
      out.at(i, j) = colorAt(map, mapping.position(values.at(i, source_row)));
    }
  }
  return out;
}

AlphaRule parseAlphaRule(std::string_view text, std::string_view option) {
  if (text == "none") return {};
  if (text == "ramp") return {AlphaRule::Kind::Ramp, 0};
  constexpr std::string_view kThreshold = "threshold:";
  if (text.substr(0, kThreshold.size()) == kThreshold) {
    // A plain decimal number, as the scene's numbers: no spaces, no hex, no "inf".
    const std::string_view number = text.substr(kThreshold.size());
    double t = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), t);
    if (!number.empty() && ec == std::errc() && end == number.data() + number.size() &&
        std::isfinite(t))
      return {AlphaRule::Kind::Threshold, t};
  }
  throw InputError(std::string(option) + " " + std::string(text) +
                   ": expected none, ramp or threshold:T (T a value, e.g. threshold:0.001)");
}

RgbaImage withAlpha(const RgbImage& rgb, const FloatImage& values, const ValueMapping& mapping,
                    Origin origin, const AlphaRule& rule) {
  RgbaImage out(rgb.width, rgb.height);
  for (int j = 0; j < rgb.height; ++j) {
    const int source_row = origin == Origin::Lower ? values.height - 1 - j : j;
    for (int i = 0; i < rgb.width; ++i) {
      const Rgb8 c = rgb.at(i, j);
      const float v = values.at(i, source_row);
      std::uint8_t a = 255;
      if (rule.kind == AlphaRule::Kind::Ramp)
        a = std::uint8_t(std::lround(255.0 * mapping.position(v)));
      else if (rule.kind == AlphaRule::Kind::Threshold)
        a = v >= rule.threshold ? 255 : 0;  // NaN: transparent
      out.at(i, j) = {c.r, c.g, c.b, a};
    }
  }
  return out;
}

}  // namespace gaussmap
