#include "core/animation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <optional>
#include <sstream>

#include "core/index_kernel.h"
#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

double smoothstep(double u) {
  return u * u * (3.0 - 2.0 * u);
}

double interpolate(double a, double b, double u, AnimatedField field) {
  if (field == AnimatedField::AngleDeg) return a + u * std::remainder(b - a, 360.0);
  return a + u * (b - a);
}

// A limit as a message shows it: "0.001", not "0.0010000000000000000208".
std::string limit(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// A field's value at time t from the last key at or before t that gives it and the first key
// after t that gives it (either may be missing).
double valueBetween(const Kernel& kernel, AnimatedField field, const KernelKey* before,
                    const KernelKey* after, double t) {
  if (!before && !after) return kernel.field(field);
  if (!before) return *(*after)[field];
  if (!after) return *(*before)[field];
  const double u = (t - before->t) / (after->t - before->t);
  switch (before->interpolation) {
    case Interpolation::Step:
      return *(*before)[field];
    case Interpolation::Smooth:
      return interpolate(*(*before)[field], *(*after)[field], smoothstep(u), field);
    case Interpolation::Linear:
      break;
  }
  return interpolate(*(*before)[field], *(*after)[field], u, field);
}

// For each key of a kernel and each field, the keys that give the field around it, found in one
// sweep: animatedValue searches the keys from the start, which over every key of a kernel with
// many keys would be quadratic.
class KeyIndex {
 public:
  explicit KeyIndex(const Kernel& k) : k_(k) {
    const int n = int(k.keys.size());
    for (int f = 0; f < kAnimatedFieldCount; ++f) {
      before_[f].assign(std::size_t(n), -1);
      after_[f].assign(std::size_t(n), -1);
      int last = -1;
      for (int i = 0; i < n; ++i) {
        if (k.keys[std::size_t(i)].values[std::size_t(f)]) last = i;
        before_[f][std::size_t(i)] = last;
      }
      int next = -1;
      for (int i = n - 1; i >= 0; --i) {
        after_[f][std::size_t(i)] = next;
        if (k.keys[std::size_t(i)].values[std::size_t(f)]) next = i;
      }
    }
  }

  // The kernel at time t within [keys[n].t, keys[n + 1].t) (after the last key for the last n),
  // without its keys: the same values as animatedValue gives.
  Kernel at(std::size_t n, double t) const {
    Kernel still;
    still.x = k_.x;
    still.y = k_.y;
    still.sigma_x = k_.sigma_x;
    still.sigma_y = k_.sigma_y;
    still.angle_deg = k_.angle_deg;
    still.weight = k_.weight;
    still.cov = k_.cov;
    for (int f = 0; f < kAnimatedFieldCount; ++f) {
      const int b = before_[f][n], a = after_[f][n];
      still.field(AnimatedField(f)) =
          valueBetween(k_, AnimatedField(f), b < 0 ? nullptr : &k_.keys[std::size_t(b)],
                       a < 0 ? nullptr : &k_.keys[std::size_t(a)], t);
    }
    return still;
  }

 private:
  const Kernel& k_;
  std::array<std::vector<int>, kAnimatedFieldCount> before_, after_;
};

// Bounds of a kernel's weight and sigmas over [t0, t1], between two consecutive keys of it:
// there every field moves monotonically (each within one segment of its own keys), so its
// extremes lie at the ends.
struct Envelope {
  double max_abs_weight, min_sigma_x, min_sigma_y, max_sigma_x, max_sigma_y;
};

Envelope envelope(const Kernel& a, const Kernel& b) {
  return {std::max(std::abs(a.weight), std::abs(b.weight)), std::min(a.sigma_x, b.sigma_x),
          std::min(a.sigma_y, b.sigma_y), std::max(a.sigma_x, b.sigma_x),
          std::max(a.sigma_y, b.sigma_y)};
}

// A bound on |largest value| over an envelope (the cell mass is at most 1).
double topBound(const Envelope& e, bool cov_kernel, const Kernel& a, Normalize normalize) {
  // A cov kernel animates only x, y and weight: its determinant stays.
  const double det = cov_kernel ? a.covariance().det()
                                : (e.min_sigma_x * e.min_sigma_y) * (e.min_sigma_x * e.min_sigma_y);
  return kernelAmplitude(e.max_abs_weight, det, normalize);
}

// Between two keys a union kernel's pdf peak w / (2 pi sx sy) can pass 1 while it stays below 1
// at both (weight and sigmas growing together), its largest |value| can pass the float32 limit,
// and the ratio of its sigmas can pass the limit (sigma_x and sigma_y moving on different keys).
// Where the interval's bounds allow any of that, samples look for a time it happens; each check
// there is validateKernel's own, so the message is the one a key at that time would give.
void checkBetweenKeys(const Kernel& k, const KeyIndex& keys, std::size_t index, const Scene& scene,
                      const SampleGrid& grid) {
  for (std::size_t n = 1; n < k.keys.size(); ++n) {
    const double t0 = k.keys[n - 1].t, t1 = k.keys[n].t;
    const Kernel a = keys.at(n - 1, t0), b = keys.at(n, t1);
    const Envelope e = envelope(a, b);
    const double top = topBound(e, k.cov.has_value(), a, scene.normalize);
    const bool may_fail = top > kMaxValue || (scene.combine == Combine::Union && top > 1.0) ||
                          (!k.cov && (std::max(e.max_sigma_x, e.max_sigma_y) >
                                      kMaxSigmaRatio * std::min(e.min_sigma_x, e.min_sigma_y)));
    if (!may_fail) continue;
    constexpr int kSamples = 256;
    for (int i = 1; i < kSamples; ++i) {
      const double t = t0 + (t1 - t0) * i / kSamples;
      try {
        validateKernel(keys.at(n - 1, t), index, scene, grid);
      } catch (const InputError& error) {
        throw InputError("at time " + num(t) + ": " + error.what());
      }
    }
  }
}

}  // namespace

double animatedValue(const Kernel& kernel, AnimatedField field, double t) {
  const KernelKey* before = nullptr;  // the last key at or before t that gives the field
  const KernelKey* after = nullptr;   // the first key after t that gives it
  for (const KernelKey& key : kernel.keys) {
    if (!key[field]) continue;
    if (key.t <= t) {
      before = &key;
    } else {
      after = &key;
      break;
    }
  }
  return valueBetween(kernel, field, before, after, t);
}

double checkedTime(double t) {
  if (!(std::isfinite(t) && t >= 0)) throw InputError("--time: must be >= 0 seconds");
  return t;
}

Scene sceneAtTime(const Scene& scene, double t) {
  Scene out = scene;
  for (Kernel& k : out.kernels) {
    if (k.keys.empty()) continue;
    for (int f = 0; f < kAnimatedFieldCount; ++f)
      k.field(AnimatedField(f)) = animatedValue(k, AnimatedField(f), t);
  }
  return out;
}

bool isAnimated(const Scene& scene) {
  return std::any_of(scene.kernels.begin(), scene.kernels.end(),
                     [](const Kernel& k) { return !k.keys.empty(); });
}

double animationDuration(const Scene& scene) {
  if (scene.duration) return *scene.duration;
  double last = 0;
  for (const Kernel& k : scene.kernels)
    if (!k.keys.empty()) last = std::max(last, k.keys.back().t);
  return last;
}

double animationFps(const Scene& scene) {
  return scene.fps.value_or(30.0);
}

void validateAnimation(const Scene& scene) {
  if (scene.duration && !(std::isfinite(*scene.duration) && *scene.duration >= 0))
    throw InputError("duration: must be a finite number >= 0 (got " + num(*scene.duration) + ")");
  // A recording takes duration * fps frames: fps near 0 gives none, and is refused here rather
  // than after the work.
  if (scene.fps && !(*scene.fps >= kMinFps && *scene.fps <= kMaxFps))
    throw InputError("fps: must be within [" + limit(kMinFps) + ", " + limit(kMaxFps) + "] (got " +
                     num(*scene.fps) + ")");
  for (std::size_t i = 0; i < scene.kernels.size(); ++i) {
    const Kernel& k = scene.kernels[i];
    for (std::size_t n = 0; n < k.keys.size(); ++n) {
      const KernelKey& key = k.keys[n];
      const std::string at = "kernels[" + std::to_string(i) + "].keys[" + std::to_string(n) + "]";
      if (!std::isfinite(key.t) || key.t < 0)
        throw InputError(at + ".t: must be a finite time >= 0 (got " + num(key.t) + ")");
      if (n > 0 && !(key.t > k.keys[n - 1].t))
        throw InputError(at + ".t: keys must be in increasing time (" + num(key.t) + " follows " +
                         num(k.keys[n - 1].t) + ")");
      for (int f = 0; f < kAnimatedFieldCount; ++f) {
        const auto& v = key.values[std::size_t(f)];
        if (!v) continue;
        const std::string field(toString(AnimatedField(f)));
        if (!std::isfinite(*v))
          throw InputError(at + "." + field + ": must be a finite number (got " + num(*v) + ")");
        const bool sigma =
            AnimatedField(f) == AnimatedField::SigmaX || AnimatedField(f) == AnimatedField::SigmaY;
        if (sigma && !(*v > 0))
          throw InputError(at + "." + field + ": must be > 0 (got " + num(*v) + ")");
        if (k.cov && (sigma || AnimatedField(f) == AnimatedField::AngleDeg))
          throw InputError(at + "." + field +
                           ": a kernel given by 'cov' can animate only x, y and weight");
      }
    }
  }
  // Each animated kernel at its own keys' times: between them its fields move monotonically, so
  // sigmas, weights and positions reach their extremes there; the rest is checkBetweenKeys'.
  // Other kernels do not change with time, and validateScene has checked them: the work is
  // linear in kernels and keys.
  const SampleGrid grid = scene.grid();
  for (std::size_t i = 0; i < scene.kernels.size(); ++i) {
    const Kernel& k = scene.kernels[i];
    if (k.keys.empty()) continue;
    const KeyIndex keys(k);
    for (std::size_t n = 0; n < k.keys.size(); ++n) {
      try {
        validateKernel(keys.at(n, k.keys[n].t), i, scene, grid);
      } catch (const InputError& error) {
        throw InputError("at time " + num(k.keys[n].t) + ": " + error.what());
      }
    }
    checkBetweenKeys(k, keys, i, scene, grid);
  }
}

double largestValueOverTime(const Kernel& k, Normalize normalize, const SampleGrid& grid) {
  double largest = std::abs(kernelTop(k, normalize, grid));
  const KeyIndex keys(k);
  for (std::size_t n = 0; n < k.keys.size(); ++n)
    largest = std::max(largest, std::abs(kernelTop(keys.at(n, k.keys[n].t), normalize, grid)));
  for (std::size_t n = 1; n < k.keys.size(); ++n) {
    const Kernel a = keys.at(n - 1, k.keys[n - 1].t), b = keys.at(n, k.keys[n].t);
    largest = std::max(largest, topBound(envelope(a, b), k.cov.has_value(), a, normalize));
  }
  return largest;
}

void setKeyAt(Kernel& kernel, double t, Interpolation interpolation) {
  KernelKey key;
  key.t = t;
  key.interpolation = interpolation;
  for (int f = 0; f < kAnimatedFieldCount; ++f)
    if (!kernel.cov || AnimatedField(f) == AnimatedField::X ||
        AnimatedField(f) == AnimatedField::Y || AnimatedField(f) == AnimatedField::Weight)
      key.values[std::size_t(f)] = kernel.field(AnimatedField(f));
  auto it = std::find_if(kernel.keys.begin(), kernel.keys.end(),
                         [&](const KernelKey& k) { return k.t >= t; });
  if (it != kernel.keys.end() && it->t == t) {
    key.interpolation = it->interpolation;
    *it = key;
  } else {
    kernel.keys.insert(it, key);
  }
}

}  // namespace gaussmap
