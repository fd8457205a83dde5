#include "gaussmap/colormap.h"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

const Colormap& mapNamed(std::string_view name) {
  const Colormap* map = findColormap(name);
  if (map == nullptr) {
    // Tests cannot go on without the map; stop here rather than dereference null.
    ADD_FAILURE() << "no colormap " << name;
    std::abort();
  }
  return *map;
}

ValueMapping mappingOf(double lo, double hi, Scale scale) {
  ValueMapping mapping;
  mapping.lo = lo;
  mapping.hi = hi;
  mapping.scale = scale;
  return mapping;
}

// --- Names and lookup ---

TEST(ColormapNames, ListsTheTablesInTheirFixedOrderThenEachReversed) {
  const std::vector<std::string_view> bases{
      "viridis",  "magma", "inferno", "plasma", "cividis", "turbo", "gray", "hot",   "RdBu",
      "coolwarm", "bwr",   "seismic", "PuOr",   "Greys",   "Blues", "Reds", "YlOrRd"};
  EXPECT_EQ(baseColormapNames(), bases);
  std::vector<std::string_view> expected = bases;
  std::vector<std::string> reversed;
  for (std::string_view name : bases) reversed.push_back(std::string(name) + "_r");
  for (const std::string& name : reversed) expected.push_back(name);
  EXPECT_EQ(colormapNames(), expected);
}

TEST(ColormapNames, ChoicesNameEveryTableAndTheReversingRule) {
  EXPECT_EQ(colormapChoices(),
            "viridis, magma, inferno, plasma, cividis, turbo, gray, hot, RdBu, coolwarm, bwr, "
            "seismic, PuOr, Greys, Blues, Reds, YlOrRd (NAME_r reverses any of them)");
}

TEST(FindColormap, ReversedMapIsItsBaseReadBackwards) {
  for (std::string_view name : baseColormapNames()) {
    const std::string reversed_name = std::string(name) + "_r";
    const Colormap& base = mapNamed(name);
    const Colormap& reversed = mapNamed(reversed_name);
    EXPECT_EQ(reversed.name, reversed_name);
    EXPECT_NE(reversed.table, base.table) << name;  // the GL pass uploads the table itself
    for (int k = 0; k < 256; ++k) EXPECT_EQ((*reversed.table)[k], (*base.table)[255 - k]) << name;
    for (double t : {0.0, 0.1, 0.37, 0.5, 0.9, 1.0})
      EXPECT_EQ(colorAt(reversed, t), colorAt(base, 1.0 - t)) << reversed_name << " at " << t;
  }
  EXPECT_EQ(findColormap("viridis_r_r"), nullptr);  // one reversal, not a chain
  EXPECT_EQ(findColormap("_r"), nullptr);
}

TEST(FindColormap, FindsEveryListedNameUnderThatName) {
  for (std::string_view name : colormapNames()) {
    const Colormap* map = findColormap(name);
    ASSERT_NE(map, nullptr) << name;
    EXPECT_EQ(map->name, name);
    EXPECT_NE(map->table, nullptr) << name;
  }
}

TEST(FindColormap, ReturnsNullForUnknownName) {
  EXPECT_EQ(findColormap("nope"), nullptr);
  EXPECT_EQ(findColormap(""), nullptr);
  EXPECT_EQ(findColormap("Viridis"), nullptr);  // names are case-sensitive, like the scene's
}

TEST(ColormapTables, HoldOnlyChannelsWithinUnitInterval) {
  for (std::string_view name : colormapNames()) {
    for (const auto& entry : *mapNamed(name).table) {
      for (float channel : entry) {
        EXPECT_GE(channel, 0.0f) << name;
        EXPECT_LE(channel, 1.0f) << name;
      }
    }
  }
}

// --- colorAt ---

// Expected bytes: round(matplotlib.colormaps[name](t)[:3] * 255) for t = 0 and t = 1.
TEST(ColorAt, EndpointsMatchMatplotlibForEveryColormap) {
  struct Case {
    std::string_view name;
    Rgb8 at0, at1;
  };
  const std::vector<Case> cases{
      {"viridis", {68, 1, 84}, {253, 231, 37}},  {"magma", {0, 0, 4}, {252, 253, 191}},
      {"inferno", {0, 0, 4}, {252, 255, 164}},   {"plasma", {13, 8, 135}, {240, 249, 33}},
      {"cividis", {0, 34, 78}, {254, 232, 56}},  {"turbo", {48, 18, 59}, {122, 4, 3}},
      {"gray", {0, 0, 0}, {255, 255, 255}},      {"hot", {11, 0, 0}, {255, 255, 255}},
      {"RdBu", {103, 0, 31}, {5, 48, 97}},       {"coolwarm", {59, 76, 192}, {180, 4, 38}},
      {"bwr", {0, 0, 255}, {255, 0, 0}},         {"seismic", {0, 0, 77}, {128, 0, 0}},
      {"PuOr", {127, 59, 8}, {45, 0, 75}},       {"Greys", {255, 255, 255}, {0, 0, 0}},
      {"Blues", {247, 251, 255}, {8, 48, 107}},  {"Reds", {255, 245, 240}, {103, 0, 13}},
      {"YlOrRd", {255, 255, 204}, {128, 0, 38}}, {"viridis_r", {253, 231, 37}, {68, 1, 84}},
      {"RdBu_r", {5, 48, 97}, {103, 0, 31}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(colorAt(mapNamed(c.name), 0.0), c.at0) << c.name;
    EXPECT_EQ(colorAt(mapNamed(c.name), 1.0), c.at1) << c.name;
  }
}

TEST(ColorAt, HitsTableEntriesExactlyAtMultiplesOfOne255th) {
  // Gray's entry k is k/255, so the byte at t = k/255 must be k itself.
  const Colormap& gray = mapNamed("gray");
  for (int k = 0; k <= 255; ++k) {
    const auto byte = static_cast<std::uint8_t>(k);
    EXPECT_EQ(colorAt(gray, k / 255.0), (Rgb8{byte, byte, byte})) << k;
  }
  // viridis entry 64 is (58.58, 82.20, 139.16) / 255.
  EXPECT_EQ(colorAt(mapNamed("viridis"), 64 / 255.0), (Rgb8{59, 82, 139}));
}

TEST(ColorAt, GrayAtHalfIsTheMidpoint) {
  // t = 0.5 falls halfway between entries 127 and 128: 127.5, which float noise may round
  // either way; it must be grey and one of the two neighbours.
  const Rgb8 mid = colorAt(mapNamed("gray"), 0.5);
  EXPECT_EQ(mid.r, mid.g);
  EXPECT_EQ(mid.g, mid.b);
  EXPECT_TRUE(mid.r == 127 || mid.r == 128) << int{mid.r};
}

TEST(ColorAt, InterpolatesLinearlyBetweenNeighbouringEntries) {
  const Colormap& viridis = mapNamed("viridis");
  // Halfway between entries 0 and 1: (68.28, 1.85, 84.77).
  EXPECT_EQ(colorAt(viridis, 0.5 / 255.0), (Rgb8{68, 2, 85}));
  // Halfway between entries 127 and 128: (32.68, 144.10, 140.48); matplotlib's own viridis(0.5)
  // would snap to entry 128 (32.53, 144.57, 140.39) instead.
  EXPECT_EQ(colorAt(viridis, 0.5), (Rgb8{33, 144, 140}));
}

TEST(ColorAt, ClampsPositionsOutsideUnitIntervalAndMapsNaNToZero) {
  const Colormap& viridis = mapNamed("viridis");
  EXPECT_EQ(colorAt(viridis, -0.5), colorAt(viridis, 0.0));
  EXPECT_EQ(colorAt(viridis, -kInf), colorAt(viridis, 0.0));
  EXPECT_EQ(colorAt(viridis, 1.5), colorAt(viridis, 1.0));
  EXPECT_EQ(colorAt(viridis, kInf), colorAt(viridis, 1.0));
  EXPECT_EQ(colorAt(viridis, kNaN), colorAt(viridis, 0.0));
}

// --- ValueMapping::position ---

TEST(ValueMappingPosition, LinearIsFractionOfTheRange) {
  const ValueMapping m = mappingOf(2.0, 6.0, Scale::Linear);
  EXPECT_DOUBLE_EQ(m.position(2.0), 0.0);
  EXPECT_DOUBLE_EQ(m.position(3.0), 0.25);
  EXPECT_DOUBLE_EQ(m.position(5.0), 0.75);
  EXPECT_DOUBLE_EQ(m.position(6.0), 1.0);
}

TEST(ValueMappingPosition, DefaultMappingIsLinearZeroToOne) {
  const ValueMapping m;
  EXPECT_DOUBLE_EQ(m.position(0.3), 0.3);
}

TEST(ValueMappingPosition, SqrtIsRootOfLinearFraction) {
  const ValueMapping m = mappingOf(0.0, 4.0, Scale::Sqrt);
  EXPECT_DOUBLE_EQ(m.position(1.0), 0.5);   // sqrt(0.25)
  EXPECT_DOUBLE_EQ(m.position(0.04), 0.1);  // sqrt(0.01)
  EXPECT_DOUBLE_EQ(m.position(4.0), 1.0);
  const ValueMapping shifted = mappingOf(10.0, 14.0, Scale::Sqrt);
  EXPECT_DOUBLE_EQ(shifted.position(11.0), 0.5);  // the root applies after subtracting lo
}

TEST(ValueMappingPosition, LogIsFractionOfTheLogRange) {
  const ValueMapping m = mappingOf(1.0, 100.0, Scale::Log);
  EXPECT_DOUBLE_EQ(m.position(1.0), 0.0);
  EXPECT_DOUBLE_EQ(m.position(10.0), 0.5);
  EXPECT_DOUBLE_EQ(m.position(100.0), 1.0);
  const ValueMapping small = mappingOf(1e-4, 1.0, Scale::Log);
  EXPECT_NEAR(small.position(1e-3), 0.25, 1e-12);
}

TEST(ValueMappingPosition, ClampsValuesOutsideTheRange) {
  for (Scale scale : {Scale::Linear, Scale::Sqrt, Scale::Log}) {
    const ValueMapping m = mappingOf(1.0, 10.0, scale);
    EXPECT_EQ(m.position(0.5), 0.0) << toString(scale);
    EXPECT_EQ(m.position(20.0), 1.0) << toString(scale);
    EXPECT_EQ(m.position(kInf), 1.0) << toString(scale);
    EXPECT_EQ(m.position(-kInf), 0.0) << toString(scale);
  }
  EXPECT_EQ(mappingOf(1.0, 10.0, Scale::Linear).position(-5.0), 0.0);
  EXPECT_EQ(mappingOf(1.0, 10.0, Scale::Sqrt).position(-5.0), 0.0);  // not NaN from sqrt(<0)
}

TEST(ValueMappingPosition, NaNGivesZeroOnEveryScale) {
  for (Scale scale : {Scale::Linear, Scale::Sqrt, Scale::Log}) {
    EXPECT_EQ(mappingOf(1.0, 10.0, scale).position(kNaN), 0.0) << toString(scale);
  }
}

TEST(ValueMappingPosition, LogGivesZeroForNonPositiveValues) {
  const ValueMapping m = mappingOf(1e-3, 1.0, Scale::Log);
  EXPECT_EQ(m.position(0.0), 0.0);
  EXPECT_EQ(m.position(-0.0), 0.0);
  EXPECT_EQ(m.position(-2.0), 0.0);
}

TEST(ValueMappingPosition, EmptyOrInvertedRangeGivesZeroEverywhere) {
  for (Scale scale : {Scale::Linear, Scale::Sqrt, Scale::Log}) {
    const ValueMapping empty = mappingOf(3.0, 3.0, scale);
    EXPECT_EQ(empty.position(3.0), 0.0) << toString(scale);
    EXPECT_EQ(empty.position(100.0), 0.0) << toString(scale);
    EXPECT_EQ(empty.position(-100.0), 0.0) << toString(scale);
    const ValueMapping inverted = mappingOf(5.0, 2.0, scale);
    EXPECT_EQ(inverted.position(3.0), 0.0) << toString(scale);
    EXPECT_EQ(inverted.position(10.0), 0.0) << toString(scale);
  }
}

// --- resolveValueMapping ---

TEST(ResolveValueMapping, UsesTheDisplayRangeAndScaleWhenGiven) {
  Display display;
  display.range = std::array<double, 2>{-1.5, 7.0};
  display.scale = Scale::Sqrt;
  const std::vector<float> values{100.0f, 200.0f};
  const ValueMapping m = resolveValueMapping(display, values);
  EXPECT_EQ(m.lo, -1.5);
  EXPECT_EQ(m.hi, 7.0);
  EXPECT_EQ(m.scale, Scale::Sqrt);
}

TEST(ResolveValueMapping, AutoRangeIsMinToMaxOfFiniteValues) {
  Display display;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const float inf = std::numeric_limits<float>::infinity();
  const std::vector<float> values{0.5f, nan, -2.25f, inf, 3.75f, -inf, 1.0f};
  const ValueMapping m = resolveValueMapping(display, values);
  EXPECT_EQ(m.lo, -2.25);
  EXPECT_EQ(m.hi, 3.75);
  EXPECT_EQ(m.scale, Scale::Linear);
}

TEST(ResolveValueMapping, SymmetricRangeCentresTheLargestMagnitudeOnZero) {
  Display display;
  display.auto_range = AutoRange::Symmetric;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> mostly_positive{0.5f, nan, -2.25f, 3.75f, 1.0f};
  ValueMapping m = resolveValueMapping(display, mostly_positive);
  EXPECT_EQ(m.lo, -3.75);
  EXPECT_EQ(m.hi, 3.75);
  EXPECT_EQ(m.position(0.0), 0.5);  // zero sits at a diverging map's centre
  const std::vector<float> mostly_negative{-6.0f, 2.0f};
  m = resolveValueMapping(display, mostly_negative);
  EXPECT_EQ(m.lo, -6.0);
  EXPECT_EQ(m.hi, 6.0);
  const std::vector<float> zeros{0.0f, 0.0f};
  m = resolveValueMapping(display, zeros);  // nothing to span: everything at t = 0
  EXPECT_EQ(m.lo, 0.0);
  EXPECT_EQ(m.hi, 0.0);
}

TEST(ResolveValueMapping, AGivenRangeWinsOverSymmetric) {
  Display display;
  display.auto_range = AutoRange::Symmetric;
  display.range = std::array<double, 2>{1.0, 2.0};
  const std::vector<float> values{-5.0f, 5.0f};
  const ValueMapping m = resolveValueMapping(display, values);
  EXPECT_EQ(m.lo, 1.0);
  EXPECT_EQ(m.hi, 2.0);
}

TEST(ResolveValueMapping, LogAutoRangeIgnoresNonPositiveValues) {
  Display display;
  display.scale = Scale::Log;
  const std::vector<float> values{-4.0f, 0.0f, 0.25f, 8.0f, 2.0f};
  const ValueMapping m = resolveValueMapping(display, values);
  EXPECT_EQ(m.lo, 0.25);
  EXPECT_EQ(m.hi, 8.0);
  EXPECT_EQ(m.scale, Scale::Log);
}

// The contract lets a renderer drop contributions below 1e-7 of a kernel's peak, so the smallest
// positive value is the renderer's choice: the automatic log range stops at hi * 1e-5.
TEST(ResolveValueMapping, LogAutoRangeStopsAtTheContractsFloorBelowTheMax) {
  EXPECT_EQ(kLogRangeFloor, 1e-5);
  Display display;
  display.scale = Scale::Log;
  // A reference-like image (a tail of 1e-16 far out) and a GL-like one (that tail dropped as 0).
  const std::vector<float> tail{1e-16f, 3e-7f, 0.5f, 2.0f};
  const std::vector<float> dropped{0.0f, 3e-7f, 0.5f, 2.0f};
  const ValueMapping a = resolveValueMapping(display, tail);
  const ValueMapping b = resolveValueMapping(display, dropped);
  EXPECT_DOUBLE_EQ(a.lo, 2.0 * 1e-5);
  EXPECT_EQ(a.lo, b.lo);
  EXPECT_EQ(a.hi, 2.0);
  EXPECT_EQ(b.hi, 2.0);
  // Below the floor everything is at the bottom colour, whichever renderer made it.
  EXPECT_EQ(a.position(1e-16), 0.0);
  EXPECT_EQ(a.position(3e-7), 0.0);
  EXPECT_NEAR(a.position(2e-3), std::log(1e2) / std::log(1e5), 1e-12);
  // Within the floor the smallest positive value is still the low end.
  const std::vector<float> narrow{0.0f, 1e-3f, 0.25f, 4.0f};
  EXPECT_EQ(resolveValueMapping(display, narrow).lo, double{1e-3f});
  // A display range is the user's: no floor.
  display.range = std::array<double, 2>{1e-12, 1.0};
  EXPECT_EQ(resolveValueMapping(display, tail).lo, 1e-12);
  // Linear and sqrt ranges keep their minimum.
  Display linear;
  EXPECT_EQ(resolveValueMapping(linear, tail).lo, double{1e-16f});
}

TEST(AutoLogRangeLow, IsTheLargerOfTheSmallestValueAndTheFloor) {
  EXPECT_EQ(autoLogRangeLow(1e-3, 1.0), 1e-3);
  EXPECT_DOUBLE_EQ(autoLogRangeLow(1e-20, 1.0), 1e-5);
  EXPECT_DOUBLE_EQ(autoLogRangeLow(1e-20, 5e-4), 5e-9);
  EXPECT_EQ(autoLogRangeLow(3.0, 3.0), 3.0);  // a constant image keeps its empty range
}

TEST(ResolveValueMapping, LogAutoRangeWithoutPositiveValuesIsOneToOne) {
  Display display;
  display.scale = Scale::Log;
  const std::vector<float> values{-4.0f, 0.0f, -0.5f};
  const ValueMapping m = resolveValueMapping(display, values);
  EXPECT_EQ(m.lo, 1.0);
  EXPECT_EQ(m.hi, 1.0);
  EXPECT_EQ(m.position(-4.0), 0.0);
}

TEST(ResolveValueMapping, AutoRangeWithoutFiniteValuesIsZeroToZero) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<float> values{nan, std::numeric_limits<float>::infinity()};
  for (Scale scale : {Scale::Linear, Scale::Sqrt, Scale::Log}) {
    Display display;
    display.scale = scale;
    const ValueMapping m = resolveValueMapping(display, values);
    EXPECT_EQ(m.lo, 0.0) << toString(scale);
    EXPECT_EQ(m.hi, 0.0) << toString(scale);
    const ValueMapping none = resolveValueMapping(display, {});
    EXPECT_EQ(none.lo, 0.0) << toString(scale);
    EXPECT_EQ(none.hi, 0.0) << toString(scale);
  }
}

TEST(ResolveValueMapping, ConstantImageGivesEmptyRangeAndZeroPositions) {
  Display display;
  const std::vector<float> values{2.5f, 2.5f, 2.5f};
  const ValueMapping m = resolveValueMapping(display, values);
  EXPECT_EQ(m.lo, 2.5);
  EXPECT_EQ(m.hi, 2.5);
  EXPECT_EQ(m.position(2.5), 0.0);
}

// --- applyColormap ---

// A 2x3 image whose rows are 0, 0.5 and 1, so each row has one recognisable colour.
FloatImage rowRamp() {
  FloatImage values(2, 3);
  for (int j = 0; j < 3; ++j) {
    for (int i = 0; i < 2; ++i) values.at(i, j) = static_cast<float>(j) / 2.0f;
  }
  return values;
}

TEST(ApplyColormap, OriginUpperKeepsRowOrder) {
  const Colormap& viridis = mapNamed("viridis");
  const ValueMapping m = mappingOf(0.0, 1.0, Scale::Linear);
  const RgbImage out = applyColormap(rowRamp(), m, viridis, Origin::Upper);
  ASSERT_EQ(out.width, 2);
  ASSERT_EQ(out.height, 3);
  ASSERT_EQ(out.pixels.size(), 6u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(out.at(i, 0), (Rgb8{68, 1, 84}));
    EXPECT_EQ(out.at(i, 1), (Rgb8{33, 144, 140}));
    EXPECT_EQ(out.at(i, 2), (Rgb8{253, 231, 37}));
  }
}

TEST(ApplyColormap, OriginLowerFlipsRows) {
  const Colormap& viridis = mapNamed("viridis");
  const ValueMapping m = mappingOf(0.0, 1.0, Scale::Linear);
  const RgbImage out = applyColormap(rowRamp(), m, viridis, Origin::Lower);
  ASSERT_EQ(out.width, 2);
  ASSERT_EQ(out.height, 3);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(out.at(i, 0), (Rgb8{253, 231, 37}));
    EXPECT_EQ(out.at(i, 1), (Rgb8{33, 144, 140}));
    EXPECT_EQ(out.at(i, 2), (Rgb8{68, 1, 84}));
  }
}

TEST(ApplyColormap, UsesTheMappingForEachPixel) {
  FloatImage values(3, 1);
  values.at(0, 0) = 10.0f;
  values.at(1, 0) = 1000.0f;
  values.at(2, 0) = std::numeric_limits<float>::quiet_NaN();
  const ValueMapping m = mappingOf(10.0, 1000.0, Scale::Log);
  const Colormap& gray = mapNamed("gray");
  const RgbImage out = applyColormap(values, m, gray, Origin::Upper);
  EXPECT_EQ(out.at(0, 0), (Rgb8{0, 0, 0}));
  EXPECT_EQ(out.at(1, 0), (Rgb8{255, 255, 255}));
  EXPECT_EQ(out.at(2, 0), (Rgb8{0, 0, 0}));
}

TEST(ApplyColormap, EmptyImageGivesEmptyImage) {
  const RgbImage out = applyColormap(FloatImage(), ValueMapping{}, mapNamed("hot"), Origin::Lower);
  EXPECT_EQ(out.width, 0);
  EXPECT_EQ(out.height, 0);
  EXPECT_TRUE(out.pixels.empty());
}

}  // namespace
// The range over several images is the range of all their values together, by every rule.
TEST(RangeAccumulator, IsResolveValueMappingOfTheImagesTogether) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::vector<std::vector<float>> parts{{0.5f, 2.0f, nan}, {}, {-1.0f, 0.0f}, {3.5f, 0.25f}};
  std::vector<float> together;
  for (const auto& part : parts) together.insert(together.end(), part.begin(), part.end());
  for (Scale scale : {Scale::Linear, Scale::Sqrt, Scale::Log})
    for (AutoRange how : {AutoRange::MinMax, AutoRange::Symmetric})
      for (bool fixed : {false, true}) {
        Display display;
        display.scale = scale;
        display.auto_range = how;
        if (fixed) display.range = std::array<double, 2>{0.1, 9};
        RangeAccumulator range(display);
        for (const auto& part : parts) range.add(part);
        const ValueMapping whole = resolveValueMapping(display, together);
        EXPECT_EQ(range.mapping().lo, whole.lo);
        EXPECT_EQ(range.mapping().hi, whole.hi);
        EXPECT_EQ(range.mapping().scale, scale);
      }
  Display linear;
  RangeAccumulator range(linear);
  range.add(std::vector<float>{0.5f, 2.0f});
  range.add(std::vector<float>{-1.0f});
  EXPECT_EQ(range.mapping().lo, -1.0);
  EXPECT_EQ(range.mapping().hi, 2.0);
  // Nothing finite: the empty range at 0 (log: 1 once some value was finite), as for one image.
  RangeAccumulator empty(linear);
  empty.add(std::vector<float>{nan});
  EXPECT_EQ(empty.mapping().lo, 0.0);
  EXPECT_EQ(empty.mapping().hi, 0.0);
  Display log;
  log.scale = Scale::Log;
  RangeAccumulator zeros(log);
  zeros.add(std::vector<float>{0.0f, -2.0f});
  EXPECT_EQ(zeros.mapping().lo, 1.0);
  EXPECT_EQ(zeros.mapping().hi, 1.0);
}

TEST(AlphaRule, ParsesTheThreeRulesAndRefusesOddNumbers) {
  EXPECT_EQ(parseAlphaRule("none", "--alpha").kind, AlphaRule::Kind::None);
  EXPECT_EQ(parseAlphaRule("ramp", "--alpha").kind, AlphaRule::Kind::Ramp);
  const AlphaRule t = parseAlphaRule("threshold:2.5e-4", "--alpha");
  EXPECT_EQ(t.kind, AlphaRule::Kind::Threshold);
  EXPECT_EQ(t.threshold, 2.5e-4);
  EXPECT_EQ(parseAlphaRule("threshold:-1", "--alpha").threshold, -1);
  for (const char* bad : {"threshold:", "threshold: 1", "threshold:0x10", "threshold:inf",
                          "threshold:nan", "threshold:1e999", "threshold:1x", "Ramp", ""}) {
    try {
      parseAlphaRule(bad, "--alpha");
      ADD_FAILURE() << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_EQ(std::string(e.what()), "--alpha " + std::string(bad) +
                                           ": expected none, ramp or threshold:T (T a value, "
                                           "e.g. threshold:0.001)");
    }
  }
}

}  // namespace gaussmap
