// gaussmap._core: the pybind11 extension behind the `gaussmap` package. It sees only the public
// C++ API (include/gaussmap/); the friendly Python surface lives in python/gaussmap/*.py.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "gaussmap/errors.h"
#include "gaussmap/gaussmap.h"

namespace py = pybind11;

namespace gaussmap::python {

template <class E>
E enumFromPython(const std::string& value, const std::string& field) {
  if (auto v = fromString<E>(value)) return *v;
  std::string names;
  for (auto n : allNames<E>()) names += (names.empty() ? "'" : ", '") + std::string(n) + "'";
  throw InputError(field + ": unknown value '" + value + "' (expected one of " + names + ")");
}

template Combine enumFromPython<Combine>(const std::string&, const std::string&);
template Normalize enumFromPython<Normalize>(const std::string&, const std::string&);
template Scale enumFromPython<Scale>(const std::string&, const std::string&);
template Origin enumFromPython<Origin>(const std::string&, const std::string&);
template Backend enumFromPython<Backend>(const std::string&, const std::string&);
template GlPath enumFromPython<GlPath>(const std::string&, const std::string&);

void setRange(Display& display, const Range& range) {
  if (const auto* lo_hi = std::get_if<std::array<double, 2>>(&range)) {
    display.range = *lo_hi;
    return;
  }
  const std::string& name = std::get<std::string>(range);
  const auto how = fromString<AutoRange>(name);
  if (!how)
    throw InputError("range: unknown value '" + name +
                     "' (expected 'auto', 'symmetric' or (lo, hi))");
  display.range.reset();
  display.auto_range = *how;
}

py::object rangeToPython(const Display& display) {
  if (!display.range) return py::str(std::string(toString(display.auto_range)));
  return py::make_tuple((*display.range)[0], (*display.range)[1]);
}

}  // namespace gaussmap::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "gaussmap's C++ library (the public API of libgaussmap); use the `gaussmap` package.";
  // Bad input is the caller's mistake (ValueError, as Python's own parsers say); everything else
  // (no OpenGL, a failed backend) stays a RuntimeError.
  py::register_exception<gaussmap::InputError>(m, "InputError", PyExc_ValueError);
  py::register_exception<gaussmap::RuntimeError>(m, "RuntimeError", PyExc_RuntimeError);
  m.attr("__version__") = std::string(gaussmap::version());
  gaussmap::python::bindScene(m);
  gaussmap::python::bindRender(m);
}
