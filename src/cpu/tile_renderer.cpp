// One tile of the CPU renderer, in SIMD through Google Highway. This file is compiled once per
// instruction set: foreach_target.h includes it again for each, and HWY_DYNAMIC_DISPATCH picks
// the best one this machine runs.
//
// How each kernel becomes values without one exp per sample and kernel (see render_plan.h for
// m2 = inv_var_j dj^2 + p (di - shear dj)^2):
// - axis-aligned (shear 0): exp(-m2/2) = exp(-inv_var_j dj^2 / 2) * exp(-p di^2 / 2), so one exp
//   per row and one per column of the kernel's part of the tile, then one multiply per sample;
// - rotated: the row factor times a 1-D Gaussian in t = di - shear dj whose centre moves from
//   row to row. Along a row g(t + N) = g(t) h(t) and h(t + N) = h(t) exp(-p N^2), with
//   h(t) = exp(-p (N t + N^2/2)): two multiplies per N samples after two exps per row. This runs
//   in double, where k steps add at most about 2k units of 1.1e-16 to the relative error (a row
//   of 30,000 samples stays below 1e-12), far inside float's rounding of the result.
#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <utility>

#include <hwy/cache_control.h>

#include "cpu/cell_mass.h"
#include "cpu/tile_renderer.h"

#undef HWY_TARGET_INCLUDE
#define HWY_TARGET_INCLUDE "cpu/tile_renderer.cpp"
// The order matters: foreach_target re-includes this file, then the per-target headers follow.
// clang-format off
#include <hwy/foreach_target.h>  // IWYU pragma: keep
#include <hwy/highway.h>
#include <hwy/contrib/math/math-inl.h>
// clang-format on

HWY_BEFORE_NAMESPACE();
namespace gaussmap::cpu {
namespace HWY_NAMESPACE {
namespace hn = hwy::HWY_NAMESPACE;

enum class Op { Sum, Max, Union };

// The vectors that run along a kernel's rows: as wide as the target allows (16 floats on
// AVX-512). -DGAUSSMAP_ROW_LANES=8 tries 256-bit rows, which Zen 4 stores in one go; it measured
// the same (docs/performance.md).
#ifndef GAUSSMAP_ROW_LANES
#define GAUSSMAP_ROW_LANES 16
#endif
using RowTag = hn::CappedTag<float, GAUSSMAP_ROW_LANES>;

// ln(1 - v) for v in [0, 1]: log(u) * (-v) / (u - 1) with u = 1 - v as rounded. The factor
// undoes u's rounding, so that values near 1e-4 keep their digits; v = 1 gives ln(FLT_MIN).
template <class D, class V>
HWY_INLINE V LogOneMinus(D d, V v) {
  const V one = hn::Set(d, 1.0f);
  const V u = hn::Sub(one, v);
  const V u_minus_1 = hn::Sub(u, one);
  const V log_u = hn::Log(d, hn::Max(u, hn::Set(d, std::numeric_limits<float>::min())));
  const V corrected = hn::Mul(log_u, hn::Div(hn::Neg(v), u_minus_1));
  return hn::IfThenElse(hn::Eq(u_minus_1, hn::Zero(d)), hn::Neg(v), corrected);
}

// acc op= factor * x on the lanes whose columns lie in [lo, hi] (all lanes when not kMasked).
template <Op kOp, bool kMasked, class D, class V>
HWY_INLINE void Accumulate(D d, float* HWY_RESTRICT p, V factor, V x, int column, int lo, int hi) {
  const V acc = hn::Load(d, p);
  V result;
  if constexpr (kOp == Op::Sum) {
    result = hn::MulAdd(factor, x, acc);
  } else if constexpr (kOp == Op::Max) {
    result = hn::Max(acc, hn::Mul(factor, x));
  } else {
    result = hn::Add(acc, LogOneMinus(d, hn::Mul(factor, x)));
  }
  if constexpr (kMasked) {
    const V c = hn::Iota(d, float(column));
    result = hn::IfThenElse(
        hn::And(hn::Ge(c, hn::Set(d, float(lo))), hn::Le(c, hn::Set(d, float(hi)))), result, acc);
  }
  hn::Store(result, d, p);
}

template <Op kOp>
HWY_INLINE void AccumulateScalar(float& acc, double value) {
  if constexpr (kOp == Op::Sum) {
    acc += float(value);
  } else if constexpr (kOp == Op::Max) {
    acc = std::max(acc, float(value));
  } else {
    acc += float(std::log1p(-value));
  }
}

// A kernel's part of the tile: local rows [r0, r1], and the columns [c0, c1] of its bounding box.
struct Placement {
  const RenderPlan* plan;
  const PackedKernel* kernel;
  float* acc;    // the tile's accumulator, kTileWidth floats per row
  int ti0, tj0;  // the tile's first column and row in the image
  int r0, r1, c0, c1;

  // Row r's columns inside the kernel's region, tile-local (empty when none).
  Span span(int r) const {
    const Span s = regionSpan(*kernel, *plan, tj0 + r);
    return {std::max(s.lo - ti0, c0), std::min(s.hi - ti0, c1)};
  }
};

// Row factors amplitude * exp(-inv_var_j dj^2 / 2) for rows [r0, r1]; offsets from the centre
// as (integer - floor) - fraction, so they keep their digits far from the origin.
void GaussianRowFactors(const Placement& pl, float* rows) {
  const hn::ScalableTag<float> d;
  const int n = int(hn::Lanes(d));
  const PackedKernel& k = *pl.kernel;
  const double floor_j = std::floor(k.cj);
  const auto fraction = hn::Set(d, float(k.cj - floor_j));
  const auto scale = hn::Set(d, -0.5f * k.inv_var_j), amplitude = hn::Set(d, k.amplitude);
  for (int r = pl.r0; r <= pl.r1; r += n) {
    const auto dj = hn::Sub(hn::Iota(d, float(double(pl.tj0 + r) - floor_j)), fraction);
    hn::StoreU(hn::Mul(amplitude, hn::Exp(d, hn::Mul(scale, hn::Mul(dj, dj)))), d, rows + r);
  }
}

// An axis-aligned kernel's ellipse row by row, as tile-local [lo, hi] in floats, a little
// generous: where lanes outside a span may add exact values anyway (no cutoff, no max), this only
// decides which vectors to visit, a quarter fewer than the bounding box's.
void EllipseSpans(const Placement& pl, float* lo, float* hi) {
  const hn::ScalableTag<float> d;
  const int n = int(hn::Lanes(d));
  const PackedKernel& k = *pl.kernel;
  const double floor_j = std::floor(k.cj);
  const auto fraction = hn::Set(d, float(k.cj - floor_j));
  const auto q = hn::Set(d, k.inv_var_j), limit = hn::Set(d, float(pl.plan->m2_limit));
  const auto inv_p = hn::Set(d, 1.0001f / k.p);
  const auto centre = hn::Set(d, float(k.ci - pl.ti0));
  for (int r = pl.r0; r <= pl.r1; r += n) {
    const auto dj = hn::Sub(hn::Iota(d, float(double(pl.tj0 + r) - floor_j)), fraction);
    const auto rest = hn::NegMulAdd(q, hn::Mul(dj, dj), limit);
    // Rows the ellipse misses get half = -1: lo > hi.
    const auto half = hn::IfThenElse(hn::Lt(rest, hn::Zero(d)), hn::Set(d, -1.0f),
                                     hn::Add(hn::Sqrt(hn::Mul(rest, inv_p)), hn::Set(d, 1e-3f)));
    hn::StoreU(hn::Ceil(hn::Sub(centre, half)), d, lo + r);
    hn::StoreU(hn::Floor(hn::Add(centre, half)), d, hi + r);
  }
}

// Column factors exp(-p di^2 / 2) for the aligned columns [a0, a1).
void GaussianColumnFactors(const Placement& pl, int a0, int a1, float* columns) {
  const RowTag d;
  const int n = int(hn::Lanes(d));
  const PackedKernel& k = *pl.kernel;
  const double floor_i = std::floor(k.ci);
  const auto fraction = hn::Set(d, float(k.ci - floor_i));
  const auto scale = hn::Set(d, -0.5f * k.p);
  for (int c = a0; c < a1; c += n) {
    const auto di = hn::Sub(hn::Iota(d, float(double(pl.ti0 + c) - floor_i)), fraction);
    hn::Store(hn::Exp(d, hn::Mul(scale, hn::Mul(di, di))), d, columns + c);
  }
}

// Cell masses of an axis-aligned kernel: per column and (times the weight) per row.
void CellFactors(const Placement& pl, int a0, int a1, float* columns, float* rows) {
  const PackedKernel& k = *pl.kernel;
  const double sigma_i = 1.0 / std::sqrt(double(k.p));
  const double sigma_j = 1.0 / std::sqrt(double(k.inv_var_j));
  for (int c = a0; c < a1; ++c) columns[c] = float(cellMass1d(double(pl.ti0 + c) - k.ci, sigma_i));
  for (int r = pl.r0; r <= pl.r1; ++r)
    rows[r] = float(k.amplitude * cellMass1d(double(pl.tj0 + r) - k.cj, sigma_j));
}

// value = row factor * column factor, over whole aligned vectors (extra lanes add the kernel's
// exact values) or, masked, over each row's span only.
// `span_lo` and `span_hi` (unmasked only; may be null) narrow each row to EllipseSpans'.
template <Op kOp, bool kMasked>
void SeparableRows(const Placement& pl, const float* columns, const float* rows,
                   const float* span_lo = nullptr, const float* span_hi = nullptr) {
  const RowTag d;
  const int n = int(hn::Lanes(d));
  int lo = pl.c0, hi = pl.c1;
  for (int r = pl.r0; r <= pl.r1; ++r) {
    if constexpr (kMasked) {
      const Span s = pl.span(r);
      if (s.empty()) continue;
      lo = s.lo;
      hi = s.hi;
    } else if (span_lo) {
      lo = std::max(int(span_lo[r]), pl.c0);
      hi = std::min(int(span_hi[r]), pl.c1);
      if (lo > hi) continue;
    }
    float* row = pl.acc + std::size_t(r) * kTileWidth;
    const auto factor = hn::Set(d, rows[r]);
    for (int c = lo - lo % n; c <= hi; c += n)
      Accumulate<kOp, kMasked>(d, row + c, factor, hn::Load(d, columns + c), c, lo, hi);
  }
}

// The unmasked box of a small kernel, `kVectors` vectors wide from column a0: the column factors
// stay in registers, so each row costs a broadcast and one multiply-add into the tile per vector
// (about a third of the instructions of the general loop, which spends them on row bookkeeping).
template <Op kOp, int kVectors>
void SeparableBox(const Placement& pl, int a0, const float* columns, const float* rows) {
  const RowTag d;
  const int n = int(hn::Lanes(d));
  hn::Vec<RowTag> c[kVectors];
  for (int v = 0; v < kVectors; ++v) c[v] = hn::Load(d, columns + a0 + v * n);
  float* row = pl.acc + std::size_t(pl.r0) * kTileWidth + a0;
  for (int r = pl.r0; r <= pl.r1; ++r, row += kTileWidth) {
    const auto factor = hn::Set(d, rows[r]);
    for (int v = 0; v < kVectors; ++v)
      Accumulate<kOp, false>(d, row + v * n, factor, c[v], 0, 0, 0);
  }
}

// Unmasked separable kernels: small boxes through SeparableBox, larger ones row by row over
// their ellipse, which spares a fifth of the box (cell kernels keep their box: see
// RenderPlan::box_regions).
template <Op kOp>
void SeparableUnmasked(const Placement& pl, int a0, int a1, const TileScratch& scratch) {
  const RowTag d;
  const int vectors = (a1 - a0) / int(hn::Lanes(d));
  switch (vectors) {
    case 1:
      return SeparableBox<kOp, 1>(pl, a0, scratch.columns(), scratch.rows());
    case 2:
      return SeparableBox<kOp, 2>(pl, a0, scratch.columns(), scratch.rows());
    case 3:
      return SeparableBox<kOp, 3>(pl, a0, scratch.columns(), scratch.rows());
    case 4:
      return SeparableBox<kOp, 4>(pl, a0, scratch.columns(), scratch.rows());
    case 5:
      return SeparableBox<kOp, 5>(pl, a0, scratch.columns(), scratch.rows());
    case 6:
      return SeparableBox<kOp, 6>(pl, a0, scratch.columns(), scratch.rows());
    case 7:
      return SeparableBox<kOp, 7>(pl, a0, scratch.columns(), scratch.rows());
    case 8:
      return SeparableBox<kOp, 8>(pl, a0, scratch.columns(), scratch.rows());
    default:
      break;
  }
  if (pl.plan->box_regions) return SeparableRows<kOp, false>(pl, scratch.columns(), scratch.rows());
  float* lo = scratch.spans();
  float* hi = lo + kTileHeight + 64;
  EllipseSpans(pl, lo, hi);
  SeparableRows<kOp, false>(pl, scratch.columns(), scratch.rows(), lo, hi);
}

// Rotated pdf/peak kernels: per row, the row factor times exp(-p t^2 / 2), t = di - shear dj,
// by the double-precision recurrence described at the top of the file where it is safe, else by
// one exp per sample (short rows and narrow kernels, where the recurrence would gain little).
template <Op kOp, bool kMasked>
void ShearedRows(const Placement& pl, const float* rows) {
  const hn::ScalableTag<double> dd;
  const hn::Rebind<float, decltype(dd)> df;
  const int n = int(hn::Lanes(dd));
  const PackedKernel& k = *pl.kernel;
  const double p = k.p, shear = k.shear;
  const auto lane = hn::Iota(dd, 0.0);
  const auto minus_half_p = hn::Set(dd, -0.5 * p), minus_p = hn::Set(dd, -p);
  const auto step = hn::Set(dd, double(n)), half_step2 = hn::Set(dd, 0.5 * n * n);
  const auto ratio = hn::Set(dd, std::exp(-p * n * n));
  for (int r = pl.r0; r <= pl.r1; ++r) {
    const Span s = pl.span(r);
    if (s.empty()) continue;
    float* row = pl.acc + std::size_t(r) * kTileWidth;
    const auto factor = hn::Set(df, rows[r]);
    const int start = s.lo - s.lo % n;
    const double centre = k.ci + shear * (double(pl.tj0 + r) - k.cj);
    const double t0 = double(pl.ti0 + start) - centre;
    // Where the seeds are representable (no overflow of h, no underflow of g) and the row is
    // long enough to repay them.
    const bool recurrence = s.hi - start >= 3 * n && p * (n * std::abs(t0) + 0.5 * n * n) < 600 &&
                            0.5 * p * t0 * t0 < 600;
    if (recurrence) {
      const auto t = hn::Add(lane, hn::Set(dd, t0));
      auto g = hn::Exp(dd, hn::Mul(minus_half_p, hn::Mul(t, t)));
      auto h = hn::Exp(dd, hn::Mul(minus_p, hn::MulAdd(step, t, half_step2)));
      for (int c = start; c <= s.hi; c += n) {
        Accumulate<kOp, kMasked>(df, row + c, factor, hn::DemoteTo(df, g), c, s.lo, s.hi);
        g = hn::Mul(g, h);
        h = hn::Mul(h, ratio);
      }
    } else {
      for (int c = start; c <= s.hi; c += n) {
        const auto t = hn::Add(lane, hn::Set(dd, double(pl.ti0 + c) - centre));
        const auto g = hn::Exp(dd, hn::Mul(minus_half_p, hn::Mul(t, t)));
        Accumulate<kOp, kMasked>(df, row + c, factor, hn::DemoteTo(df, g), c, s.lo, s.hi);
      }
    }
  }
}

// Rotated cell kernels: each sample's mass integrated on its own (scalar, double).
template <Op kOp>
void CellShearedRows(const Placement& pl) {
  const PackedKernel& k = *pl.kernel;
  for (int r = pl.r0; r <= pl.r1; ++r) {
    const Span s = pl.span(r);
    float* row = pl.acc + std::size_t(r) * kTileWidth;
    const double dj = double(pl.tj0 + r) - k.cj;
    for (int c = s.lo; c <= s.hi; ++c) {
      const double di = double(pl.ti0 + c) - k.ci;
      AccumulateScalar<kOp>(row[c],
                            k.amplitude * shearedCellMass(di, dj, k.p, k.shear, k.inv_var_j));
    }
  }
}

// The accumulator's starting value: 0 (sum; union's sum of logs); for max -inf ("no kernel",
// resolved to 0), except, without a cutoff, where some kernel's region does not reach.
template <Op kOp>
void StartTile(const RenderPlan& plan, float* acc, int ti0, int tj0, int th) {
  if constexpr (kOp != Op::Max) {
    std::memset(acc, 0, sizeof(float) * kTileWidth * std::size_t(th));
  } else {
    const float none = -std::numeric_limits<float>::infinity();
    for (int r = 0; r < th; ++r) {
      float* row = acc + std::size_t(r) * kTileWidth;
      if (!plan.tails_count_as_zero) {
        std::fill(row, row + kTileWidth, none);
        continue;
      }
      std::fill(row, row + kTileWidth, 0.0f);
      const Span all = plan.covered_by_all[std::size_t(tj0 + r - plan.covered_row0)];
      const int lo = std::max(all.lo - ti0, 0), hi = std::min(all.hi - ti0, kTileWidth - 1);
      if (lo <= hi) std::fill(row + lo, row + hi + 1, none);
    }
  }
}

// Accumulator to values: sum as is; max with "no kernel" as 0; union as -expm1(sum of logs). The
// vector twin of core's resolveAccumulator (core/index_kernel.h; change both): scalar double
// expm1 per sample would cost a union render tens of milliseconds and change its bits.
template <Op kOp, class D, class V>
HWY_INLINE V Resolve(D d, V acc) {
  if constexpr (kOp == Op::Sum) {
    return acc;
  } else if constexpr (kOp == Op::Max) {
    return hn::IfThenElse(hn::Eq(acc, hn::Set(d, -std::numeric_limits<float>::infinity())),
                          hn::Zero(d), acc);
  } else {
    // 0 - expm1, not -expm1: where no kernel reached, the value is +0, never -0.
    return hn::Sub(hn::Zero(d), hn::Expm1(d, acc));
  }
}

// Writes the tile's samples that lie in the window: tile-local columns [c0, c1) of rows [r0, r1)
// (the whole tile for a whole render) to the window's image, `window.width` floats per row.
template <Op kOp>
void FinishTile(const float* acc, float* image, const SampleWindow& window, int ti0, int tj0,
                int tw, int th) {
  const hn::ScalableTag<float> d;
  const int n = int(hn::Lanes(d));
  const int c0 = std::max(window.i0 - ti0, 0), c1 = std::min(window.i0 + window.width - ti0, tw);
  const int r0 = std::max(window.j0 - tj0, 0), r1 = std::min(window.j0 + window.height - tj0, th);
  HWY_ALIGN float last[64];
  for (int r = r0; r < r1; ++r) {
    const float* src = acc + std::size_t(r) * kTileWidth;
    float* dst =
        image + std::size_t(tj0 + r - window.j0) * std::size_t(window.width) + (ti0 - window.i0);
    int c = c0;
    // Unaligned loads: a window may start inside a vector (Resolve works lane by lane).
    for (; c + n <= c1; c += n) hn::StoreU(Resolve<kOp>(d, hn::LoadU(d, src + c)), d, dst + c);
    if (c < c1) {  // the last columns: resolve a whole vector, keep what fits (past the last
                   // row, the load reads the scratch's column factors: allocated, discarded)
      hn::Store(Resolve<kOp>(d, hn::LoadU(d, src + c)), d, last);
      std::memcpy(dst + c, last, sizeof(float) * std::size_t(c1 - c));
    }
  }
}

template <Op kOp>
void RenderTileAs(const RenderPlan& plan, int tile, const TileScratch& scratch, float* image) {
  const RowTag d;
  const int n = int(hn::Lanes(d));
  // The whole grid's tile: the same columns, rows and clipping as in the whole render.
  const int ti0 = (plan.window_tile_x0 + tile % plan.window_tiles_x) * kTileWidth;
  const int tj0 = (plan.window_tile_y0 + tile / plan.window_tiles_x) * kTileHeight;
  const int tw = std::min(kTileWidth, plan.width - ti0);
  const int th = std::min(kTileHeight, plan.height - tj0);
  float* acc = scratch.accumulator();
  StartTile<kOp>(plan, acc, ti0, tj0, th);

  const std::uint32_t end = plan.bin_start[tile + 1];
  for (std::uint32_t e = plan.bin_start[tile]; e < end; ++e) {
    // The kernels a few entries ahead: bins from the tiles above jump back in the sorted array.
    if (e + 8 < end) hwy::Prefetch(&plan.kernels[plan.bin_entries[e + 8]]);
    const PackedKernel& k = plan.kernels[plan.bin_entries[e]];
    const Span rows = regionRows(k, plan.height), cols = regionColumnsBox(k, plan.width);
    Placement pl{&plan,
                 &k,
                 acc,
                 ti0,
                 tj0,
                 std::max(rows.lo - tj0, 0),
                 std::min(rows.hi - tj0, th - 1),
                 std::max(cols.lo - ti0, 0),
                 std::min(cols.hi - ti0, tw - 1)};
    if (pl.r0 > pl.r1 || pl.c0 > pl.c1) continue;
    const int a0 = pl.c0 - pl.c0 % n, a1 = pl.c1 - pl.c1 % n + n;
    switch (k.shape) {
      case Shape::Separable:
        GaussianColumnFactors(pl, a0, a1, scratch.columns());
        GaussianRowFactors(pl, scratch.rows());
        break;
      case Shape::CellSeparable:
        CellFactors(pl, a0, a1, scratch.columns(), scratch.rows());
        break;
      case Shape::Sheared:
        GaussianRowFactors(pl, scratch.rows());
        break;
      case Shape::CellSheared:
        break;
    }
    switch (k.shape) {
      case Shape::Separable:
      case Shape::CellSeparable:
        if (plan.exact_spans)
          SeparableRows<kOp, true>(pl, scratch.columns(), scratch.rows());
        else
          SeparableUnmasked<kOp>(pl, a0, a1, scratch);
        break;
      case Shape::Sheared:
        if (plan.exact_spans)
          ShearedRows<kOp, true>(pl, scratch.rows());
        else
          ShearedRows<kOp, false>(pl, scratch.rows());
        break;
      case Shape::CellSheared:
        CellShearedRows<kOp>(pl);
        break;
    }
  }
  FinishTile<kOp>(acc, image, plan.window, ti0, tj0, tw, th);
}

void RenderTile(const RenderPlan& plan, int tile, const TileScratch& scratch, float* image) {
  switch (plan.combine) {
    case Combine::Sum:
      return RenderTileAs<Op::Sum>(plan, tile, scratch, image);
    case Combine::Max:
      return RenderTileAs<Op::Max>(plan, tile, scratch, image);
    case Combine::Union:
      return RenderTileAs<Op::Union>(plan, tile, scratch, image);
  }
}

std::int64_t CurrentTarget() {
  return HWY_TARGET;
}

}  // namespace HWY_NAMESPACE
}  // namespace gaussmap::cpu
HWY_AFTER_NAMESPACE();

#if HWY_ONCE
namespace gaussmap::cpu {

HWY_EXPORT(RenderTile);
HWY_EXPORT(CurrentTarget);

void renderTile(const RenderPlan& plan, int tile, const TileScratch& scratch, float* image) {
  HWY_DYNAMIC_DISPATCH(RenderTile)(plan, tile, scratch, image);
}

std::string simdTargetName() {
  return hwy::TargetName(HWY_DYNAMIC_DISPATCH(CurrentTarget)());
}

std::vector<SimdTarget> compiledSimdTargets() {
  std::vector<SimdTarget> out;
  const std::int64_t supported = hwy::SupportedTargets();
  for (std::int64_t targets = HWY_TARGETS; targets != 0; targets &= targets - 1) {
    const std::int64_t target = targets & -targets;
    out.push_back({hwy::TargetName(target), (supported & target) != 0});
  }
  return out;
}

namespace {
constexpr std::size_t kAccumulatorFloats = std::size_t(kTileWidth) * kTileHeight;
constexpr std::size_t kColumnFloats = kTileWidth + 64, kRowFloats = kTileHeight + 64;
constexpr std::size_t kSpanFloats = 2 * kRowFloats;
}  // namespace

TileScratch::TileScratch() {
  memory_ = std::aligned_alloc(64, bytes());
  if (!memory_) throw std::bad_alloc();
  accumulator_ = static_cast<float*>(memory_);
  columns_ = accumulator_ + kAccumulatorFloats;
  rows_ = columns_ + kColumnFloats;
  spans_ = rows_ + kRowFloats;
  std::memset(memory_, 0, bytes());
}

TileScratch::~TileScratch() {
  std::free(memory_);
}

TileScratch::TileScratch(TileScratch&& other) noexcept {
  *this = std::move(other);
}

TileScratch& TileScratch::operator=(TileScratch&& other) noexcept {
  std::swap(memory_, other.memory_);
  std::swap(accumulator_, other.accumulator_);
  std::swap(columns_, other.columns_);
  std::swap(rows_, other.rows_);
  std::swap(spans_, other.spans_);
  return *this;
}

std::size_t TileScratch::bytes() {
  // aligned_alloc wants a multiple of the alignment.
  const std::size_t bytes =
      sizeof(float) * (kAccumulatorFloats + kColumnFloats + kRowFloats + kSpanFloats);
  return (bytes + 63) / 64 * 64;
}

}  // namespace gaussmap::cpu
#endif  // HWY_ONCE
