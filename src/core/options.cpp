#include "gaussmap/options.h"

#include "gaussmap/scene.h"

#include <array>
#include <utility>

namespace gaussmap {
namespace {

template <class E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

constexpr NameTable<Combine, 3> kCombineNames{
    {{Combine::Sum, "sum"}, {Combine::Max, "max"}, {Combine::Union, "union"}}};
constexpr NameTable<Normalize, 3> kNormalizeNames{
    {{Normalize::Pdf, "pdf"}, {Normalize::Peak, "peak"}, {Normalize::Cell, "cell"}}};
constexpr NameTable<Scale, 3> kScaleNames{
    {{Scale::Linear, "linear"}, {Scale::Sqrt, "sqrt"}, {Scale::Log, "log"}}};
constexpr NameTable<Origin, 2> kOriginNames{{{Origin::Upper, "upper"}, {Origin::Lower, "lower"}}};
constexpr NameTable<AutoRange, 2> kAutoRangeNames{
    {{AutoRange::MinMax, "auto"}, {AutoRange::Symmetric, "symmetric"}}};
constexpr NameTable<Backend, 4> kBackendNames{{{Backend::Auto, "auto"},
                                               {Backend::Gl, "gl"},
                                               {Backend::Cpu, "cpu"},
                                               {Backend::Reference, "reference"}}};
constexpr NameTable<GlPath, 3> kGlPathNames{
    {{GlPath::Auto, "auto"}, {GlPath::Loop, "loop"}, {GlPath::Footprint, "footprint"}}};
constexpr NameTable<AnimatedField, 6> kAnimatedFieldNames{{{AnimatedField::X, "x"},
                                                           {AnimatedField::Y, "y"},
                                                           {AnimatedField::SigmaX, "sigma_x"},
                                                           {AnimatedField::SigmaY, "sigma_y"},
                                                           {AnimatedField::AngleDeg, "angle_deg"},
                                                           {AnimatedField::Weight, "weight"}}};
constexpr NameTable<Interpolation, 3> kInterpolationNames{{{Interpolation::Linear, "linear"},
                                                           {Interpolation::Smooth, "smooth"},
                                                           {Interpolation::Step, "step"}}};

template <class E>
constexpr const auto& table() {
  if constexpr (std::is_same_v<E, Combine>) return kCombineNames;
  if constexpr (std::is_same_v<E, Normalize>) return kNormalizeNames;
  if constexpr (std::is_same_v<E, Scale>) return kScaleNames;
  if constexpr (std::is_same_v<E, Origin>) return kOriginNames;
  if constexpr (std::is_same_v<E, AutoRange>) return kAutoRangeNames;
  if constexpr (std::is_same_v<E, Backend>) return kBackendNames;
  if constexpr (std::is_same_v<E, GlPath>) return kGlPathNames;
  if constexpr (std::is_same_v<E, AnimatedField>) return kAnimatedFieldNames;
  if constexpr (std::is_same_v<E, Interpolation>) return kInterpolationNames;
}

template <class E>
std::string_view nameOf(E v) {
  for (const auto& [value, name] : table<E>())
    if (value == v) return name;
  return "?";
}

}  // namespace

std::string_view toString(Combine v) {
  return nameOf(v);
}
std::string_view toString(Normalize v) {
  return nameOf(v);
}
std::string_view toString(Scale v) {
  return nameOf(v);
}
std::string_view toString(Origin v) {
  return nameOf(v);
}
std::string_view toString(AutoRange v) {
  return nameOf(v);
}
std::string_view toString(Backend v) {
  return nameOf(v);
}
std::string_view toString(GlPath v) {
  return nameOf(v);
}
std::string_view toString(AnimatedField v) {
  return nameOf(v);
}
std::string_view toString(Interpolation v) {
  return nameOf(v);
}

template <class E>
std::optional<E> fromString(std::string_view s) {
  for (const auto& [value, name] : table<E>())
    if (name == s) return value;
  return std::nullopt;
}

template <class E>
std::vector<std::string_view> allNames() {
  std::vector<std::string_view> names;
  for (const auto& entry : table<E>()) names.push_back(entry.second);
  return names;
}

template std::optional<Combine> fromString<Combine>(std::string_view);
template std::optional<Normalize> fromString<Normalize>(std::string_view);
template std::optional<Scale> fromString<Scale>(std::string_view);
template std::optional<Origin> fromString<Origin>(std::string_view);
template std::optional<AutoRange> fromString<AutoRange>(std::string_view);
template std::optional<Backend> fromString<Backend>(std::string_view);
template std::optional<GlPath> fromString<GlPath>(std::string_view);
template std::optional<AnimatedField> fromString<AnimatedField>(std::string_view);
template std::optional<Interpolation> fromString<Interpolation>(std::string_view);
template std::vector<std::string_view> allNames<Combine>();
template std::vector<std::string_view> allNames<Normalize>();
template std::vector<std::string_view> allNames<Scale>();
template std::vector<std::string_view> allNames<Origin>();
template std::vector<std::string_view> allNames<AutoRange>();
template std::vector<std::string_view> allNames<Backend>();
template std::vector<std::string_view> allNames<GlPath>();
template std::vector<std::string_view> allNames<AnimatedField>();
template std::vector<std::string_view> allNames<Interpolation>();

}  // namespace gaussmap
