// One Gaussian kernel evaluated at one sample, shared by the loop and footprint paths.
// Everything is in sample-index space: the CPU (src/gl/kernel_packing.cpp, from core's
// IndexKernel) turns each kernel into a whitening transform there (m2 = |W d|^2, the marginal in j
// plus the conditional in i given j: a sum of squares that keeps its digits for very anisotropic
// rotated kernels), and splits its centre into an integer part and a fraction so that float
// offsets near large indices keep their digits.
//
// The including shader defines NORMALIZE_CELL (or not), COMBINE_SUM / COMBINE_MAX /
// COMBINE_UNION, and for max without a cutoff TAILS_COUNT_AS_ZERO.

struct Kernel {
  vec2 centre_fraction;  // centre index minus centre_floor
  float amplitude;       // pdf: weight/(2 pi sqrt(det)); peak and cell: weight
  float m2_limit;        // squared Mahalanobis distance beyond which it contributes nothing
  ivec2 centre_floor;    // integer part of the centre index
  int axis_aligned;      // 1 when the covariance has no off-diagonal term
  int pieces;            // cell, rotated: Gauss-Legendre pieces across the cell's height
  vec4 whitening;        // m2 = dot(xy, d)^2 + dot(zw, d)^2 (rows of W, W^T W = inverse covariance)
  vec4 cell;             // sigma_x, sigma_y, conditional slope, conditional sigma (index units)
};

const float kInvSqrt2Pi = 0.3989422804014327;

// Gauss-Legendre, 6 points on [-1, 1].
const float kGlNode[6] = float[6](-0.9324695142031521, -0.6612093864662645, -0.2386191860831969,
                                  0.2386191860831969, 0.6612093864662645, 0.9324695142031521);
const float kGlWeight[6] = float[6](0.1713244923791704, 0.3607615730481386, 0.4679139345726910,
                                    0.4679139345726910, 0.3607615730481386, 0.1713244923791704);

// erfc for x >= 0 (Abramowitz & Stegun 7.1.26, absolute error below 1.5e-7).
float erfcPositive(float x) {
  float t = 1.0 / (1.0 + 0.3275911 * x);
  float poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 +
               t * 1.061405429))));
  return poly * exp(-x * x);
}

// P(a <= Z <= b) for a standard normal Z. Narrow intervals are integrated (no cancellation);
// wide ones use erfc on the side away from the centre.
float normalMass(float a, float b) {
  if (b - a <= 1.0) {
    float half_width = 0.5 * (b - a), mid = 0.5 * (a + b), sum = 0.0;
    for (int q = 0; q < 6; ++q) {
      float z = mid + half_width * kGlNode[q];
      sum += kGlWeight[q] * exp(-0.5 * z * z);
    }
    return sum * half_width * kInvSqrt2Pi;
  }
  const float kInvSqrt2 = 0.7071067811865476;
  if (a >= 0.0) return 0.5 * (erfcPositive(a * kInvSqrt2) - erfcPositive(b * kInvSqrt2));
  if (b <= 0.0) return 0.5 * (erfcPositive(-b * kInvSqrt2) - erfcPositive(-a * kInvSqrt2));
  return 1.0 - 0.5 * (erfcPositive(-a * kInvSqrt2) + erfcPositive(b * kInvSqrt2));
}

// Probability mass of the kernel (weight 1) in the cell [di -/+ 0.5] x [dj -/+ 0.5].
float cellMass(Kernel k, float di, float dj) {
  float sx = k.cell.x, sy = k.cell.y;
  if (k.axis_aligned == 1)
    return normalMass((di - 0.5) / sx, (di + 0.5) / sx) * normalMass((dj - 0.5) / sy, (dj + 0.5) / sy);
  // Rotated: integrate over u = dj/sigma_y the marginal density times the conditional mass in x.
  float slope = k.cell.z, conditional_sd = k.cell.w;
  float u_lo = (dj - 0.5) / sy, u_hi = (dj + 0.5) / sy;
  float piece = (u_hi - u_lo) / float(k.pieces), sum = 0.0;
  for (int p = 0; p < k.pieces; ++p) {
    float mid = u_lo + (float(p) + 0.5) * piece;
    for (int q = 0; q < 6; ++q) {
      float u = mid + 0.5 * piece * kGlNode[q];
      float mean = slope * u;
      sum += kGlWeight[q] * exp(-0.5 * u * u) *
             normalMass((di - 0.5 - mean) / conditional_sd, (di + 0.5 - mean) / conditional_sd);
    }
  }
  return sum * 0.5 * piece * kInvSqrt2Pi;
}

// The kernel's value at a sample; false where it contributes nothing (beyond its limit).
bool kernelValue(Kernel k, ivec2 sample_index, out float value) {
  vec2 d = vec2(sample_index - k.centre_floor) - k.centre_fraction;
  vec2 whitened = vec2(dot(k.whitening.xy, d), dot(k.whitening.zw, d));
  float m2 = dot(whitened, whitened);
  if (m2 > k.m2_limit) {
    value = 0.0;
#if defined(TAILS_COUNT_AS_ZERO)
    return true;  // max without cutoff: a negligible tail still takes part, as 0
#else
    return false;
#endif
  }
#ifdef NORMALIZE_CELL
  value = k.amplitude * cellMass(k, d.x, d.y);
#else
  value = k.amplitude * exp(-0.5 * m2);
#endif
  return true;
}

// ln(1 - v) for v in [0, 1]: a series where log(1 - v) would lose digits; finite at v = 1.
float log1mSafe(float v) {
  if (v < 0.1) {
    // -(v + v^2/2 + ... + v^9/9): the truncation error is below 1e-9 relative.
    float s = 1.0 / 9.0;
    s = 1.0 / 8.0 + v * s;
    s = 1.0 / 7.0 + v * s;
    s = 1.0 / 6.0 + v * s;
    s = 1.0 / 5.0 + v * s;
    s = 1.0 / 4.0 + v * s;
    s = 1.0 / 3.0 + v * s;
    s = 1.0 / 2.0 + v * s;
    s = 1.0 + v * s;
    return -v * s;
  }
  return v >= 1.0 ? -104.0 : log(1.0 - v);
}

// The identity of the accumulator each combine mode blends into (see resolve.frag).
#if defined(COMBINE_MAX)
const float kAccumulatorIdentity = -3.0e38;  // "no kernel contributed" (core's kNoKernel): 0
#else
const float kAccumulatorIdentity = 0.0;
#endif

// What one contribution adds to the accumulator: the value (sum, max), or ln(1 - v) (union).
float accumulated(float value) {
#if defined(COMBINE_UNION)
  return log1mSafe(value);
#else
  return value;
#endif
}

float combineInto(float accumulator, float value) {
#if defined(COMBINE_MAX)
  return max(accumulator, value);
#else
  return accumulator + accumulated(value);
#endif
}
