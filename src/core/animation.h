#pragma once
// Keyframed kernels: a scene at a time t. Between two keys that give a field, the field moves by
// the first key's interpolation (linear, smooth = smoothstep, step = hold); before the first key
// and after the last it holds; angles take the shorter way round.
#include "gaussmap/scene.h"

namespace gaussmap {

// The value of one field of a kernel at time t (the kernel's own value when no key gives it).
double animatedValue(const Kernel& kernel, AnimatedField field, double t);

// The scene as it is at time t: every keyed field set to its value then. Keys stay in the copy
// (renderers ignore them), so the result can still be saved or animated further.
Scene sceneAtTime(const Scene& scene, double t);

// `t` when it is a time a scene can be shown at (finite, >= 0), else InputError naming --time.
double checkedTime(double t);

// True when some kernel has keys.
bool isAnimated(const Scene& scene);
// The scene's duration, or the last key's time (0 for a still scene).
double animationDuration(const Scene& scene);
// The frame rates a scene may ask for.
inline constexpr double kMinFps = 0.001;
inline constexpr double kMaxFps = 1000;
// Frames per second for recording (the scene's, or 30).
double animationFps(const Scene& scene);

// Checks every kernel's keys (increasing times, finite values, positive sigmas, fields a `cov`
// kernel can take), and each animated kernel at its own keys' times (validateKernel: e.g. union
// peaks within [0, 1]) and where its largest value or sigma ratio may pass a limit between them.
// Linear in kernels and keys. Throws InputError naming the key: "kernels[1].keys[2].t: ...", or
// the time: "at time 2: kernels[1]: ...".
void validateAnimation(const Scene& scene);

// A bound on the kernel's largest |value| at any time (kernelTop's, for every time).
double largestValueOverTime(const Kernel& kernel, Normalize normalize, const SampleGrid& grid);

// Sets (or replaces) a key at time t on a kernel, holding every field at the kernel's current
// values: what the viewer's auto-key does after an edit at time t.
void setKeyAt(Kernel& kernel, double t, Interpolation interpolation = Interpolation::Linear);

}  // namespace gaussmap
