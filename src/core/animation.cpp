#include "core/animation.h"

#include <algorithm>
#include <cmath>
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
  // Between keys fields move monotonically, so the extremes of every peak value (union's
  // [0, 1] rule) occur at key times: checking the scene there checks every time.
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
