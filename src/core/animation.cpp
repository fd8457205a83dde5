#include "core/animation.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <optional>
#include <sstream>

#include "core/errors.h"

namespace gaussmap {
namespace {

double smoothstep(double u) { return u * u * (3.0 - 2.0 * u); }

double interpolate(double a, double b, double u, AnimatedField field) {
  if (field == AnimatedField::AngleDeg) return a + u * std::remainder(b - a, 360.0);
  return a + u * (b - a);
}

std::string num(double v) {
  std::ostringstream s;
  s.precision(17);
  s << v;
  return s.str();
}

// A union kernel's pdf peak w / (2 pi sx sy) can pass 1 between keys that keep it below 1
// (weight and sigmas growing together), so key times alone do not check it. The largest weight
// over the smallest sigmas at an interval's ends bounds the peak inside (each field moves
// monotonically there); where that bound passes 1, samples look for a time the peak does.
std::optional<double> unionOvershootBetweenKeys(const Kernel& k, Normalize normalize) {
  if (normalize != Normalize::Pdf || k.cov) return std::nullopt;  // else the peak is the weight
  const auto at = [&](double t) {
    Kernel still = k;
    for (int f = 0; f < kAnimatedFieldCount; ++f)
      still.field(AnimatedField(f)) = animatedValue(k, AnimatedField(f), t);
    return still;
  };
  for (std::size_t n = 1; n < k.keys.size(); ++n) {
    const double t0 = k.keys[n - 1].t, t1 = k.keys[n].t;
    const Kernel a = at(t0), b = at(t1);
    const double bound =
        std::max(a.weight, b.weight) /
        (2.0 * std::numbers::pi * std::min(a.sigma_x, b.sigma_x) * std::min(a.sigma_y, b.sigma_y));
    if (bound <= 1.0) continue;
    constexpr int kSamples = 256;
    for (int i = 1; i < kSamples; ++i) {
      const double t = t0 + (t1 - t0) * i / kSamples;
      if (at(t).peakValue(normalize) > 1.0) return t;
    }
  }
  return std::nullopt;
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

double animationFps(const Scene& scene) { return scene.fps.value_or(30.0); }

void validateAnimation(const Scene& scene) {
  if (scene.duration && !(std::isfinite(*scene.duration) && *scene.duration >= 0))
    throw InputError("duration: must be a finite number >= 0 (got " + num(*scene.duration) + ")");
  if (scene.fps && !(std::isfinite(*scene.fps) && *scene.fps > 0 && *scene.fps <= 1000))
    throw InputError("fps: must be within (0, 1000] (got " + num(*scene.fps) + ")");
  std::vector<double> key_times;
  for (std::size_t i = 0; i < scene.kernels.size(); ++i) {
    const Kernel& k = scene.kernels[i];
    for (std::size_t n = 0; n < k.keys.size(); ++n) {
      const KernelKey& key = k.keys[n];
      const std::string at = "kernels[" + std::to_string(i) + "].keys[" + std::to_string(n) + "]";
      if (!std::isfinite(key.t) || key.t < 0)
        throw InputError(at + ".t: must be a finite time >= 0 (got " + num(key.t) + ")");
      if (n > 0 && !(key.t > k.keys[n - 1].t))
        throw InputError(at + ".t: keys must be in increasing time (" + num(key.t) +
                         " follows " + num(k.keys[n - 1].t) + ")");
      for (int f = 0; f < kAnimatedFieldCount; ++f) {
        const auto& v = key.values[std::size_t(f)];
        if (!v) continue;
        const std::string field(toString(AnimatedField(f)));
        if (!std::isfinite(*v))
          throw InputError(at + "." + field + ": must be a finite number (got " + num(*v) + ")");
        const bool sigma = AnimatedField(f) == AnimatedField::SigmaX ||
                           AnimatedField(f) == AnimatedField::SigmaY;
        if (sigma && !(*v > 0))
          throw InputError(at + "." + field + ": must be > 0 (got " + num(*v) + ")");
        if (k.cov && (sigma || AnimatedField(f) == AnimatedField::AngleDeg))
          throw InputError(at + "." + field +
                           ": a kernel given by 'cov' can animate only x, y and weight");
      }
      key_times.push_back(key.t);
    }
  }
  // Between keys fields move monotonically, so weights and sigmas reach their extremes at key
  // times; a union kernel's pdf peak may not, and adds the first time it passes 1.
  if (scene.combine == Combine::Union)
    for (const Kernel& k : scene.kernels)
      if (auto t = unionOvershootBetweenKeys(k, scene.normalize)) key_times.push_back(*t);
  // Kernels often share key times: check each time once.
  std::sort(key_times.begin(), key_times.end());
  key_times.erase(std::unique(key_times.begin(), key_times.end()), key_times.end());
  for (double t : key_times) {
    Scene still = sceneAtTime(scene, t);
    for (Kernel& k : still.kernels) k.keys.clear();
    try {
      validateScene(still);
    } catch (const InputError& e) {
      throw InputError("at time " + num(t) + ": " + e.what());
    }
  }
}

void setKeyAt(Kernel& kernel, double t, Interpolation interpolation) {
  KernelKey key;
  key.t = t;
  key.interpolation = interpolation;
  for (int f = 0; f < kAnimatedFieldCount; ++f)
    if (!kernel.cov || AnimatedField(f) == AnimatedField::X || AnimatedField(f) == AnimatedField::Y ||
        AnimatedField(f) == AnimatedField::Weight)
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
