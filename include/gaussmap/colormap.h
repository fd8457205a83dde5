#pragma once
// Values to colours. The same mapping runs on the CPU (here) and in the GL colormap pass, which
// must agree with it to 1/255: both take the ValueMapping below and interpolate linearly
// between the 256 entries of the colormap's table.
#include <array>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap {

// A colormap: 256 RGB entries in [0, 1], sampled from matplotlib (see tools/gen_colormaps.py).
struct Colormap {
  std::string_view name;
  const std::array<std::array<float, 3>, 256>* table;
};

// nullptr when no colormap has that name. Names are matplotlib's, case-sensitive; `NAME_r` is
// NAME reversed (t -> 1 - t), for every NAME.
const Colormap* findColormap(std::string_view name);
// Every name findColormap accepts: the tables' names, then each with `_r`. The viewer and
// Python's gaussmap.colormaps() list these.
std::vector<std::string_view> colormapNames();
// The tables' names alone (sequential, then diverging and the light-to-dark sequential ones).
std::vector<std::string_view> baseColormapNames();
// "viridis, magma, ..., YlOrRd (NAME_r reverses any of them)": for help texts and messages.
std::string colormapChoices();

// How a value becomes a position t in [0, 1] along the colormap.
struct ValueMapping {
  double lo = 0;  // value at t = 0
  double hi = 1;  // value at t = 1 (hi == lo maps everything to t = 0)
  Scale scale = Scale::Linear;
  // linear: (v-lo)/(hi-lo); sqrt: sqrt of that; log: (ln v - ln lo)/(ln hi - ln lo). Clamped to
  // [0, 1]; NaN and (for log) v <= 0 give 0.
  double position(double v) const;
};

// The contract lets a renderer drop a kernel's contributions below 1e-7 of its peak (README
// "Cutoff"): one backend's far tails are exact zeros where another's are tiny positive values, so
// the smallest positive value is the renderer's choice and must not set an automatic log range.
// The range stops at hi * kLogRangeFloor instead, 100 times that threshold: where the dropped
// tails of a few kernels meet at one sample (each under 1e-7 of a peak) they still change any
// value above the floor by a few percent at most, under one 8-bit level across five decades.
// At the threshold itself (1e-7) a points scene's backends differ by up to 10 levels.
inline constexpr double kLogRangeFloor = 1e-5;

// The low end of an automatic log range over values whose smallest positive one is
// `smallest_positive` and whose largest is `hi`: max(smallest_positive, hi * kLogRangeFloor).
// Values below it map to the colormap's bottom.
double autoLogRangeLow(double smallest_positive, double hi);

// The "symmetric" range around data spanning lo..hi: [-m, m] with m = max(|lo|, |hi|).
std::array<double, 2> symmetricRange(double lo, double hi);

// The display's range, or for "auto" the min..max of the finite values (for log: of the
// positive values, its low end raised by autoLogRangeLow), for "symmetric" symmetricRange of
// that min..max (never with log: validation refuses it).
ValueMapping resolveValueMapping(const Display& display, std::span<const float> values);

// The same rule over several images (a recording's frames, the viewer's locked range): add each,
// then mapping() is resolveValueMapping of all their values together.
class RangeAccumulator {
 public:
  explicit RangeAccumulator(const Display& display) : display_(display) {}
  void add(std::span<const float> values);
  ValueMapping mapping() const;

 private:
  Display display_;
  double lo_ = 0, hi_ = 0;  // of the values that place colours (for log: the positive ones)
  bool any_finite_ = false;
  bool any_placed_ = false;
};

// The colour at position t in [0, 1]: linear interpolation between the table's entries
// (t*255 between entries k and k+1), each channel rounded to the nearest of 0..255.
Rgb8 colorAt(const Colormap& map, double t);

// Colours for an image of values; origin upper: row 0 of the result is row 0 (y0) of values,
// lower: flipped so that y grows upwards.
RgbImage applyColormap(const FloatImage& values, const ValueMapping& mapping, const Colormap& map,
                       Origin origin);

// How opaque a coloured sample is (--alpha, map tiles). none: opaque. ramp: the opacity is the
// colour's position t (round(255 t)): values at the bottom of the range are transparent, so low
// values fade into a basemap. threshold: transparent below the value `threshold`, opaque from it.
struct AlphaRule {
  enum class Kind { None, Ramp, Threshold };
  Kind kind = Kind::None;
  double threshold = 0;
};

// "none", "ramp" or "threshold:T" (T a finite number); InputError naming `option` otherwise.
AlphaRule parseAlphaRule(std::string_view text, std::string_view option);

// `rgb` (applyColormap's or the GL pass's colours for `values`, rows as `origin` put them) with
// the rule's opacity.
RgbaImage withAlpha(const RgbImage& rgb, const FloatImage& values, const ValueMapping& mapping,
                    Origin origin, const AlphaRule& rule);

}  // namespace gaussmap
