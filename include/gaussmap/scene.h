#pragma once
// The scene model: plain data, validated, with no knowledge of files or OpenGL.
// The math these fields define is the contract documented in README.md ("The math").
#include <array>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "gaussmap/options.h"

namespace gaussmap {

// Limits of one render (the whole grid, or a window of a larger one), checked before anything is
// allocated.
inline constexpr int kMaxSide = 32768;
inline constexpr std::int64_t kMaxPixels = std::int64_t{1} << 28;
// The largest grid a scene may have when it is rendered in windows (tiles, Dask blocks): 2^20
// samples a side, e.g. a 1,000,000 x 1,000,000 map. Each window stays within the limits above.
inline constexpr int kMaxGridSide = 1 << 20;

// Which grid sizes validateScene accepts: one render's (the default), or a grid to be rendered
// in windows, up to kMaxGridSide a side.
enum class GridLimit { OneRender, Windows };

// A symmetric covariance matrix [[xx, xy], [xy, yy]].
struct Covariance {
  double xx = 1, xy = 0, yy = 1;
  double det() const { return xx * yy - xy * xy; }
  bool operator==(const Covariance&) const = default;
};

// The numeric kernel fields a key can animate (`sigma` in a file sets both sigmas).
enum class AnimatedField { X, Y, SigmaX, SigmaY, AngleDeg, Weight };
inline constexpr int kAnimatedFieldCount = 6;
// How a field moves from one key to the next: straight, smoothstep, or holding until the next.
enum class Interpolation { Linear, Smooth, Step };

// One key of an animated kernel: at time `t` (seconds) the fields it gives take these values.
struct KernelKey {
  double t = 0;
  Interpolation interpolation = Interpolation::Linear;  // towards the next key giving a field
  std::array<std::optional<double>, kAnimatedFieldCount> values;
  std::optional<double>& operator[](AnimatedField f) { return values[std::size_t(f)]; }
  const std::optional<double>& operator[](AnimatedField f) const { return values[std::size_t(f)]; }
  bool operator==(const KernelKey&) const = default;
};

struct Kernel {
  double x = 0;  // centre, scene units
  double y = 0;
  double sigma_x = 1;    // standard deviation along the kernel's own x axis (> 0)
  double sigma_y = 1;    // ... along its own y axis (> 0)
  double angle_deg = 0;  // turns the kernel's x axis counterclockwise, from +x towards +y
  double weight = 1;     // scales the value (pdf: the mass; peak, cell: the top value)
  // Set when the scene gave `cov` instead of sigmas and angle. Then sigma_x, sigma_y and
  // angle_deg hold its eigen-decomposition (for display), and this is what renderers use.
  std::optional<Covariance> cov;
  std::string label;  // free text, shown in the viewer
  // Keys in increasing time; fields they give override the ones above (see core/animation.h).
  std::vector<KernelKey> keys;

  double& field(AnimatedField f);
  double field(AnimatedField f) const;

  // Sigma = R diag(sigma_x^2, sigma_y^2) R^T, or `cov` when given.
  Covariance covariance() const;
  // The kernel's largest value under a normalisation (weight, or weight/(2 pi sqrt(det))).
  double peakValue(Normalize normalize) const;
  // Sets sigma_x, sigma_y and angle_deg from a covariance (eigen-decomposition) and keeps it.
  void setCovariance(const Covariance& c);
};

struct Extent {
  double x0 = 0, x1 = 0, y0 = 0, y1 = 0;
  bool operator==(const Extent&) const = default;
};

// Where the samples lie: column i at x0 + i*(x1-x0)/(width-1), like numpy.linspace.
class SampleGrid {
 public:
  SampleGrid(int width, int height, Extent extent);
  int width() const { return width_; }
  int height() const { return height_; }
  const Extent& extent() const { return extent_; }
  double x(int i) const { return extent_.x0 + i * dx_; }
  double y(int j) const { return extent_.y0 + j * dy_; }
  // Signed step between neighbouring samples (0 for a single column or row).
  double dx() const { return dx_; }
  double dy() const { return dy_; }
  // Width and height of a sample's cell for `normalize: cell`: |step|, or 1 for a single
  // column/row.
  double cellWidth() const { return width_ > 1 ? std::abs(dx_) : 1.0; }
  double cellHeight() const { return height_ > 1 ? std::abs(dy_) : 1.0; }
  // Scene units per index step, as the index-space math scales by: the signed step, or 1 for a
  // single column or row (its one sample is index 0, which any scale maps alike).
  double indexStepX() const { return index_step_x_; }
  double indexStepY() const { return index_step_y_; }
  // The inverse of x(i) and y(j): the (fractional) sample index of a scene coordinate.
  double toIndexX(double x) const { return (x - extent_.x0) / index_step_x_; }
  double toIndexY(double y) const { return (y - extent_.y0) / index_step_y_; }

 private:
  int width_, height_;
  Extent extent_;
  double dx_, dy_;
  double index_step_x_, index_step_y_;
};

// How values become colours. Renderers ignore it; only the colormap stage reads it.
struct Display {
  std::string colormap = "viridis";            // one of colormapNames()
  std::optional<std::array<double, 2>> range;  // [lo, hi]; nullopt = taken from the data:
  AutoRange auto_range = AutoRange::MinMax;    // how, when range is nullopt ("auto": min..max)
  Scale scale = Scale::Linear;
  Origin origin = Origin::Upper;  // upper: PNG row 0 is y0 (as imshow shows an array)
};

struct Scene {
  int width = 0;
  int height = 0;
  std::optional<Extent> extent;  // nullopt = [0, width-1, 0, height-1]
  std::vector<Kernel> kernels;
  Combine combine = Combine::Sum;
  Normalize normalize = Normalize::Pdf;
  std::optional<double> cutoff;  // Mahalanobis distance beyond which a kernel contributes nothing
  Display display;
  std::string name;
  std::string description;
  std::string schema;              // the file's "$schema" (for editors), kept when saved; "" = none
  std::optional<double> duration;  // seconds; nullopt = the last key's time
  std::optional<double> fps;       // frames per second for recording; nullopt = 30

  Extent effectiveExtent() const;
  SampleGrid grid() const { return SampleGrid(width, height, effectiveExtent()); }
  // Changes the resolution but keeps the region: a default extent is made explicit first.
  void resize(int new_width, int new_height);
};

// What every backend can compute. The fast renderers work in float32 in sample-index units (the
// reference in double in scene units); a scene beyond these limits would give inf, NaN or answers
// that differ between backends, so it is refused up front instead.
inline constexpr double kMaxMagnitude = 1e30;   // |x|, |y|, |extent|, sigmas
inline constexpr double kMinMagnitude = 1e-30;  // sigmas; a kernel's nonzero largest |value|
inline constexpr double kMaxValue = 1e36;       // a kernel's largest |value|
// The sum of every kernel's largest |value|: a float32 sum (3.4e38 at most) cannot overflow.
inline constexpr double kMaxValueSum = 1e38;
// A kernel's sigmas in sample steps (the covariance's eigenvalues in index units): narrower, a
// float32 position (7 digits) moves the peak by a visible part of a sigma. At most
// kMaxMagnitude steps wide, and its centre at most kMaxMagnitude steps from the grid.
inline constexpr double kMinSigmaSteps = 1e-3;
// A rotated kernel's shortest sigma in sample steps: the GL path's float32 whitening of a thin
// rotated kernel is off by about 2e-7 / sigma of its peak (measured: 7e-6 at 0.03 steps), and
// it integrates `cell` masses in at most 64 pieces, about cos(angle) / sigma of them.
inline constexpr double kMinRotatedSigmaSteps = 0.05;
// Longest over shortest sigma: float32 whitening keeps its digits up to this (measured on
// rotated kernels: gl 7e-6 off the reference at 1e4, 1.6e-5 at 1e5; cpu 1.9e-5 at 1e6).
inline constexpr double kMaxSigmaRatio = 1e4;
// The largest cutoff (beyond about 40 a cutoff changes nothing anyway).
inline constexpr double kMaxCutoff = 1e6;

// The kernel's largest value on the grid: weight, weight/(2 pi sqrt(det)) for pdf, and for cell
// weight times the mass of one cell centred on the kernel (the most a cell can hold; for a
// rotated kernel bounded by the smaller marginal mass).
double kernelTop(const Kernel& kernel, Normalize normalize, const SampleGrid& grid);

// Checks everything the math needs (sizes, finite values, sigma > 0, positive-definite cov,
// union values within [0, 1], the limits above, a sane range, a known colormap), and animated
// kernels at their keys' times (core/animation.h). Linear in kernels and keys. Throws
// InputError naming the field, e.g. "kernels[3].sigma_x: must be > 0 (got -1)".
void validateScene(const Scene& scene, GridLimit limit = GridLimit::OneRender);

// Checks how values become colours (validateScene does this for the scene's): a known colormap,
// a finite range with lo < hi (lo > 0 for log), no "symmetric" with log. InputError naming the
// field, as validateScene's.
void validateDisplay(const Display& display);

// Checks one kernel as it is, keys aside (validateScene does this for every kernel, and
// validateAnimation for animated ones at their keys' times).
void validateKernel(const Kernel& kernel, std::size_t index, const Scene& scene,
                    const SampleGrid& grid);

// Checks a width and height against one render's limits, before anything is allocated.
void validateSize(std::int64_t width, std::int64_t height, const std::string& where);
// Checks a grid to be rendered in windows: each side within 1..kMaxGridSide.
void validateGridSize(std::int64_t width, std::int64_t height, const std::string& where);

}  // namespace gaussmap
