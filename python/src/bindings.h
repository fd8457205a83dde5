#pragma once
// The pieces of the _core extension module, one file each (module.cpp puts them together).
#include <pybind11/pybind11.h>

#include <array>
#include <string>
#include <variant>

#include "gaussmap/scene.h"

namespace gaussmap::python {

// gaussmap._core.Scene: the C++ Scene, its fields as Python values.
void bindScene(pybind11::module_& m);
// render, render_batch, colorize and the listings (backends, colormaps, version).
void bindRender(pybind11::module_& m);

// The one spelling of an enum from Python: ValueError naming `field` and every spelling, as the
// scene parser says it ("combine: unknown value 'x' (expected one of 'sum', 'max', 'union')").
template <class E>
E enumFromPython(const std::string& value, const std::string& field);

// A colour range as Python gives it: 'auto', 'symmetric' or (lo, hi).
using Range = std::variant<std::string, std::array<double, 2>>;
// Sets the display's range from Python's spelling (ValueError for anything else).
void setRange(Display& display, const Range& range);
// The display's range as Python reads it: 'auto', 'symmetric' or (lo, hi).
pybind11::object rangeToPython(const Display& display);

}  // namespace gaussmap::python
