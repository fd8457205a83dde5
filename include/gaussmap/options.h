#pragma once
// The scene's enumerated settings. The CLI and the viewer parse and print them through the one
// toString / fromString pair below, so the spellings live in one place.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gaussmap {

enum class Combine { Sum, Max, Union };
enum class Normalize { Pdf, Peak, Cell };
enum class Scale { Linear, Sqrt, Log };
enum class Origin { Upper, Lower };
// A colour range taken from the data: "auto" (min..max) or "symmetric" ([-m, m] with m the
// largest |value|, which centres a diverging colormap on 0).
enum class AutoRange { MinMax, Symmetric };
// Which renderer computes the values (README "The command-line tool", --backend): auto picks gl
// on a hardware GPU and cpu elsewhere; reference is the exact, slow ground truth.
enum class Backend { Auto, Gl, Cpu, Reference };
// How the gl backend evaluates kernels: loop (every kernel at every sample), footprint (one quad
// per kernel, blended), or auto (the path predicted faster per scene).
enum class GlPath { Auto, Loop, Footprint };
enum class AnimatedField;  // core/scene.h
enum class Interpolation;  // core/scene.h

std::string_view toString(Combine v);
std::string_view toString(Normalize v);
std::string_view toString(Scale v);
std::string_view toString(Origin v);
std::string_view toString(AutoRange v);
std::string_view toString(Backend v);
std::string_view toString(GlPath v);
std::string_view toString(AnimatedField v);
std::string_view toString(Interpolation v);

// Each returns nullopt for an unknown spelling; callers build the error with their context.
template <class E>
std::optional<E> fromString(std::string_view s);

// All spellings of an enum, for error messages and UI combo boxes.
template <class E>
std::vector<std::string_view> allNames();

}  // namespace gaussmap
