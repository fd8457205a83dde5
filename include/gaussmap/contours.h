#pragma once
// Contour lines of rendered values: marching squares with linear interpolation along the grid's
// edges (README "Contours"). Levels are values, or probability-mass fractions: the level whose
// region {v >= level} is the smallest holding that fraction of the image's total (the
// highest-density region).
//
//   gaussmap::ContourLevels levels = gaussmap::parseContourLevels("mass:0.5,0.9", "--contours");
//   std::vector<gaussmap::Contour> lines = gaussmap::computeContours(values, levels, scene.grid());
#include <array>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "gaussmap/image.h"
#include "gaussmap/scene.h"

namespace gaussmap {

// One connected line. Points are (i, j) in sample indices for traceContours (column i, row j of
// the values, fractional between samples) and (x, y) in scene coordinates in a Contour.
struct ContourLine {
  std::vector<std::array<double, 2>> points;
  bool closed = false;  // a ring: the last point repeats the first
};

// The lines where `values` crosses `level`, samples with v >= level counting as inside. Each
// crossing lies on a grid edge, placed by linear interpolation between its two samples; a
// saddle cell is split by the mean of its four corners. Lines that reach the image's border end
// there (open); the others are closed rings. No line for a level no sample reaches (or that
// every sample does). Deterministic: the same values give the same lines in the same order.
std::vector<ContourLine> traceContours(const FloatImage& values, double level);

// Which levels to draw, as the user wrote them.
enum class ContourLevelKind {
  Value,  // the numbers are values
  Mass,   // fractions in (0, 1) of the image's total
  Sigma,  // n: the mass 1 - exp(-n^2 / 2) that a 2-D Gaussian's n-sigma ellipse holds
};
struct ContourLevels {
  ContourLevelKind kind = ContourLevelKind::Value;
  std::vector<double> numbers;  // as written, in the order given
};

// "0.001,0.002" (values), "mass:0.5,0.9" (fractions), "sigma:1,2,3". InputError naming `where`
// and the bad part: not a number, a non-finite value, a fraction outside (0, 1), a sigma <= 0,
// or more than kMaxContourLevels levels.
ContourLevels parseContourLevels(std::string_view text, const std::string& where);
inline constexpr std::size_t kMaxContourLevels = 64;

// The mass fraction of a sigma level: 1 - exp(-n^2 / 2) (1: 0.393, 2: 0.865, 3: 0.989).
double sigmaMassFraction(double n);

// For each fraction p in (0, 1): the largest value L such that the samples with v >= L add up to
// at least p times the total of all samples. InputError when a value is negative (a mass needs
// values >= 0) or the total is not positive.
std::vector<double> massLevels(const FloatImage& values, std::span<const double> fractions);

// One level's lines, in scene coordinates.
struct Contour {
  double level = 0;             // the value traced
  std::optional<double> mass;   // the fraction asked for (mass and sigma levels)
  std::optional<double> sigma;  // the n asked for (sigma levels)
  std::vector<ContourLine> lines;
};

// Resolves the levels against `values` (the whole grid, or the window of it whose first sample
// is column i0, row j0) and traces each; points are in the grid's scene coordinates. In the
// order the levels were given.
std::vector<Contour> computeContours(const FloatImage& values, const ContourLevels& levels,
                                     const SampleGrid& grid, int i0 = 0, int j0 = 0);

}  // namespace gaussmap
