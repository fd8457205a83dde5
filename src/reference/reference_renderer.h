#pragma once
// The exact renderer: a plain double-precision evaluation of the documented math, written for
// clarity. It is the ground truth the fast paths are tested against, so it shares no evaluation
// code with them (a shared bug would be invisible).
#include <optional>

#include "core/renderer.h"
#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap::reference {

// The value of every sample of the scene. Contributions below 1e-16 of a kernel's own peak are
// skipped (they cannot change a double result by more than rounding).
DoubleImage render(const Scene& scene);

// The samples of a window of the grid (InputError when it does not lie inside), each computed
// from the whole grid's indices with the kernels in scene order, exactly as render() computes it.
DoubleImage render(const Scene& scene, const SampleWindow& window);

// One kernel's value at sample (i, j) of the grid, under the scene's normalisation and cutoff;
// nullopt where the cutoff excludes it.
std::optional<double> kernelValue(const Kernel& kernel, const Scene& scene, const SampleGrid& grid,
                                  int i, int j);

// P(a <= Z <= b) for a standard normal Z, without cancellation in the tails.
double standardNormalMass(double a, double b);

// The probability mass of a kernel (weight 1) inside the box [x_lo, x_hi] x [y_lo, y_hi].
double boxMass(const Kernel& kernel, double x_lo, double x_hi, double y_lo, double y_hi);

}  // namespace gaussmap::reference
