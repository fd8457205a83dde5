// gaussmap._core.Scene: the C++ Scene with its fields as Python values. The Python class
// gaussmap.Scene (python/gaussmap/_scene.py) derives from it and adds the friendly methods.
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "bindings.h"
#include "gaussmap/errors.h"
#include "gaussmap/scene.h"
#include "gaussmap/scene_json.h"

namespace py = pybind11;

namespace gaussmap::python {
namespace {

using Column = py::array_t<double, py::array::c_style | py::array::forcecast>;

// Kernels from columns of equal length (python/gaussmap/_kernels.py has checked names, dtypes
// and shapes); the values themselves are checked by validateScene when the scene renders.
void setKernels(Scene& scene, Column x, Column y, Column sigma_x, Column sigma_y, Column angle_deg,
                Column weight, std::optional<std::vector<std::string>> labels) {
  const py::ssize_t n = x.size();
  for (const Column* c : {&y, &sigma_x, &sigma_y, &angle_deg, &weight})
    if (c->ndim() != 1 || c->size() != n)
      throw InputError("kernels: every column must be one-dimensional and as long as x");
  if (labels && py::ssize_t(labels->size()) != n)
    throw InputError("kernels: labels must be as many as the kernels");
  const double *px = x.data(), *py_ = y.data(), *psx = sigma_x.data(), *psy = sigma_y.data(),
               *pa = angle_deg.data(), *pw = weight.data();
  std::vector<Kernel> kernels(static_cast<std::size_t>(n));
  for (py::ssize_t k = 0; k < n; ++k) {
    Kernel& kernel = kernels[std::size_t(k)];
    kernel.x = px[k];
    kernel.y = py_[k];
    kernel.sigma_x = psx[k];
    kernel.sigma_y = psy[k];
    kernel.angle_deg = pa[k];
    kernel.weight = pw[k];
    if (labels) kernel.label = std::move((*labels)[std::size_t(k)]);
  }
  scene.kernels = std::move(kernels);
}

// The kernels as float64 columns; a kernel given by `cov` shows its eigen-decomposition.
py::dict kernelColumns(const Scene& scene) {
  const auto n = static_cast<py::ssize_t>(scene.kernels.size());
  py::dict columns;
  const std::array<std::pair<const char*, double Kernel::*>, 6> fields{
      {{"x", &Kernel::x},
       {"y", &Kernel::y},
       {"sigma_x", &Kernel::sigma_x},
       {"sigma_y", &Kernel::sigma_y},
       {"angle_deg", &Kernel::angle_deg},
       {"weight", &Kernel::weight}}};
  for (const auto& [name, member] : fields) {
    py::array_t<double> column(n);
    double* out = column.mutable_data();
    for (py::ssize_t k = 0; k < n; ++k) out[k] = scene.kernels[std::size_t(k)].*member;
    columns[name] = column;
  }
  return columns;
}

}  // namespace

void bindScene(py::module_& m) {
  py::class_<Scene>(m, "Scene", "The C++ scene; use gaussmap.Scene.")
      .def(py::init<>())
      .def(py::init<const Scene&>(), py::arg("other"))
      .def("_assign_json", [](Scene& self, std::string_view text,
                              const std::string& source) { self = parseScene(text, source); })
      .def("_assign_file", [](Scene& self, const std::string& path) { self = loadScene(path); })
      .def("to_json", &sceneToJson, "The scene as the JSON text of a scene file.")
      .def(
          "validate", [](const Scene& self) { validateScene(self); },
          "Raises ValueError naming the first field that is wrong, as the command line does.")
      .def_readwrite("width", &Scene::width,
                     "Samples per row: 1..32768 for one render, up to 2^20 rendered in windows.")
      .def_readwrite("height", &Scene::height,
                     "Rows: 1..32768 for one render, up to 2^20 rendered in windows.")
      .def_property(
          "extent",
          [](const Scene& s) -> py::object {
            if (!s.extent) return py::none();
            return py::make_tuple(s.extent->x0, s.extent->x1, s.extent->y0, s.extent->y1);
          },
          [](Scene& s, std::optional<std::array<double, 4>> e) {
            s.extent = e ? std::optional<Extent>(Extent{(*e)[0], (*e)[1], (*e)[2], (*e)[3]})
                         : std::nullopt;
          },
          "(x0, x1, y0, y1): the positions of the first and last samples; None = "
          "(0, width-1, 0, height-1).")
      .def_property_readonly(
          "effective_extent",
          [](const Scene& s) {
            const Extent e = s.effectiveExtent();
            return py::make_tuple(e.x0, e.x1, e.y0, e.y1);
          },
          "The extent the samples use: `extent`, or its default when None.")
      .def_property(
          "combine", [](const Scene& s) { return std::string(toString(s.combine)); },
          [](Scene& s, const std::string& v) { s.combine = enumFromPython<Combine>(v, "combine"); },
          "'sum' (default), 'max' or 'union' (1 - prod(1 - v_k)).")
      .def_property(
          "normalize", [](const Scene& s) { return std::string(toString(s.normalize)); },
          [](Scene& s, const std::string& v) {
            s.normalize = enumFromPython<Normalize>(v, "normalize");
          },
          "'pdf' (default, the bivariate normal density), 'peak' (value = weight at the centre) "
          "or 'cell' (the mass inside each sample's cell).")
      .def_readwrite("cutoff", &Scene::cutoff,
                     "Mahalanobis distance beyond which a kernel adds nothing; None = no cutoff.")
      .def_property(
          "colormap", [](const Scene& s) { return s.display.colormap; },
          [](Scene& s, const std::string& v) { s.display.colormap = v; },
          "The colormap of the scene's PNG (gaussmap.colormaps() lists them).")
      .def_property(
          "range", [](const Scene& s) { return rangeToPython(s.display); },
          [](Scene& s, const Range& r) { setRange(s.display, r); },
          "'auto' (the data's min..max), 'symmetric' ([-m, m], m the largest |value|: a "
          "diverging colormap centred on 0) or (lo, hi): the values at the colormap's ends.")
      .def_property(
          "scale", [](const Scene& s) { return std::string(toString(s.display.scale)); },
          [](Scene& s, const std::string& v) {
            s.display.scale = enumFromPython<Scale>(v, "scale");
          },
          "'linear' (default), 'sqrt' or 'log': how values map to colours.")
      .def_property(
          "origin", [](const Scene& s) { return std::string(toString(s.display.origin)); },
          [](Scene& s, const std::string& v) {
            s.display.origin = enumFromPython<Origin>(v, "origin");
          },
          "'upper' (default: the PNG's row 0 is y0) or 'lower' (y grows upwards in the PNG).")
      .def_readwrite("name", &Scene::name, "Free text.")
      .def_readwrite("description", &Scene::description, "Free text.")
      .def_readwrite("duration", &Scene::duration,
                     "Seconds of animation; None = the last key's time.")
      .def_readwrite("fps", &Scene::fps, "Frames per second for recording; None = 30.")
      .def_property_readonly(
          "kernel_count", [](const Scene& s) { return s.kernels.size(); }, "Number of kernels.")
      .def_property_readonly(
          "labels",
          [](const Scene& s) {
            std::vector<std::string> labels;
            for (const Kernel& k : s.kernels) labels.push_back(k.label);
            return labels;
          },
          "Each kernel's label (free text).")
      .def("_kernel_columns", &kernelColumns)
      .def("_set_kernels", &setKernels, py::arg("x"), py::arg("y"), py::arg("sigma_x"),
           py::arg("sigma_y"), py::arg("angle_deg"), py::arg("weight"),
           py::arg("labels") = py::none());
}

}  // namespace gaussmap::python
