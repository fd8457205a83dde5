#pragma once
// Probability masses for `normalize: cell`, in double and scalar: these are the rare slow cases
// (every other mode is evaluated with SIMD in tile_renderer.cpp). Sample-index units.
namespace gaussmap::cpu {

// P(lo <= Z <= hi) for a standard normal Z, from erfc on the side away from the centre so that
// cells in the tails keep their digits.
double standardMass(double lo, double hi);

// The mass of N(0, sigma^2) in the cell [d - 1/2, d + 1/2] (d = sample minus centre).
double cellMass1d(double d, double sigma);

// The mass of a rotated kernel (weight 1) in the cell [di -/+ 1/2] x [dj -/+ 1/2], where
// dj ~ N(0, 1/inv_var_j) and di given dj ~ N(shear * dj, 1/p): the integral over the cell's rows
// of the marginal density times the conditional mass, by piecewise Gauss-Legendre quadrature.
double shearedCellMass(double di, double dj, double p, double shear, double inv_var_j);

}  // namespace gaussmap::cpu
