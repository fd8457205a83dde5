// gaussmap._core.render / render_batch / colorize: the public render API with the GIL released,
// its results handed to numpy without a copy (the array's base owns the C++ image).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <array>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <tuple>
#include <vector>

#include "bindings.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/gaussmap.h"

namespace py = pybind11;

namespace gaussmap::python {
namespace {

static_assert(sizeof(Rgb8) == 3, "an RgbImage's pixels are read as (h, w, 3) bytes");
static_assert(sizeof(Rgba8) == 4, "an RgbaImage's pixels are read as (h, w, 4) bytes");

// An array of shape `shape` over `image`'s pixels, which a capsule (the array's base) now owns.
template <class Pixel, class Element>
py::array arrayOwning(Image<Pixel>&& image, std::vector<py::ssize_t> shape) {
  auto* owned = new Image<Pixel>(std::move(image));
  py::capsule owner(owned, [](void* p) { delete static_cast<Image<Pixel>*>(p); });
  return py::array_t<Element>(shape, reinterpret_cast<Element*>(owned->pixels.data()), owner);
}

py::dict reportDict(const RenderReport& report) {
  py::dict figures;
  for (const auto& [key, value] : report.figures)
    std::visit([&, &k = key](const auto& v) { figures[py::str(k)] = v; }, value);
  py::dict d;
  d["backend"] = std::string(toString(report.backend));
  d["reason"] = report.reason;
  d["render_ms"] = report.render_ms;
  d["figures"] = figures;
  return d;
}

std::optional<SampleWindow> windowOf(const std::optional<std::array<int, 4>>& w) {
  if (!w) return std::nullopt;
  return SampleWindow{(*w)[0], (*w)[1], (*w)[2], (*w)[3]};
}

// A RenderSession kept by the Python side per thread and backend: creating one starts a thread
// pool (cpu) or a GL context, 100+ microseconds that a small render would otherwise pay each call.
class Session {
 public:
  Session(const std::string& backend, const std::string& gl_path, int threads)
      : session_(enumFromPython<Backend>(backend, "backend"),
                 enumFromPython<GlPath>(gl_path, "gl_path"), threads) {}

  std::tuple<py::array, py::dict> render(const Scene& scene,
                                         const std::optional<std::array<int, 4>>& window,
                                         std::optional<double> time) {
    FloatImage values;
    {
      // The scene belongs to the caller for the duration (gaussmap.render builds a fresh one).
      py::gil_scoped_release release;
      values = session_.render(scene, windowOf(window), time);
    }
    const py::ssize_t h = values.height, w = values.width;
    return {arrayOwning<float, float>(std::move(values), {h, w}),
            reportDict(session_.lastReport())};
  }

  // Renders into `out` (C-contiguous float32, writable, of the result's size: checked here, as
  // no copy may be made of it).
  py::dict renderInto(const Scene& scene, const std::optional<std::array<int, 4>>& window,
                      std::optional<double> time, py::array out) {
    const auto required = py::array::c_style;
    if (!py::isinstance<py::array_t<float, required>>(out) || !out.writeable())
      throw InputError("out: must be a writable C-contiguous float32 array (got " +
                       std::string(py::str(out.dtype())) + (out.writeable() ? "" : ", read-only") +
                       (out.flags() & py::array::c_style ? "" : ", not C-contiguous") + ")");
    const std::span<float> samples(static_cast<float*>(out.mutable_data()),
                                   std::size_t(out.size()));
    {
      py::gil_scoped_release release;
      session_.renderInto(scene, samples, windowOf(window), time);
    }
    return reportDict(session_.lastReport());
  }

 private:
  RenderSession session_;
};

// One map per (image, keypoint): a (B, K, H, W) array, rendered in place by renderKernelMaps.
std::tuple<py::array, py::dict> renderBatch(
    const Scene& scene, py::array_t<double, py::array::c_style | py::array::forcecast> points,
    const std::string& backend, const std::string& gl_path, int threads) {
  if (points.ndim() != 3 || points.shape(2) != 2)
    throw InputError("points: must have shape (B, K, 2) (got " + std::to_string(points.ndim()) +
                     " dimensions)");
  validateSize(scene.width, scene.height, "render_batch");
  const py::ssize_t b_count = points.shape(0), k_count = points.shape(1);
  py::array_t<float> maps({b_count, k_count, py::ssize_t(scene.height), py::ssize_t(scene.width)});
  RenderOptions options;
  options.backend = enumFromPython<Backend>(backend, "backend");
  options.gl_path = enumFromPython<GlPath>(gl_path, "gl_path");
  options.threads = threads;
  RenderReport report;
  const std::span<const double> centres(points.data(), std::size_t(points.size()));
  const std::span<float> out(maps.mutable_data(), std::size_t(maps.size()));
  try {
    py::gil_scoped_release release;
    renderKernelMaps(scene, centres, out, options, &report);
  } catch (const InputError& e) {
    // "centres[m]" is the flat index of a (B, K) pair: name it as the caller wrote it.
    std::string message = e.what();
    const std::string prefix = "centres[";
    if (message.rfind(prefix, 0) == 0) {
      const std::size_t close = message.find(']');
      const long long m = std::stoll(message.substr(prefix.size(), close - prefix.size()));
      message = "points[" + std::to_string(m / k_count) + ", " + std::to_string(m % k_count) +
                message.substr(close);
    }
    throw InputError(message);
  }
  return {maps, reportDict(report)};
}

py::array colorize(py::array_t<float, py::array::c_style | py::array::forcecast> values,
                   const std::string& colormap, const Range& range, const std::string& scale,
                   const std::string& origin, const std::string& alpha) {
  if (values.ndim() != 2)
    throw InputError("values: must be two-dimensional (height, width) (got " +
                     std::to_string(values.ndim()) + " dimensions)");
  FloatImage image(int(values.shape(1)), int(values.shape(0)));
  std::memcpy(image.pixels.data(), values.data(), image.pixels.size() * sizeof(float));
  Display display;
  display.colormap = colormap;
  setRange(display, range);
  display.scale = enumFromPython<Scale>(scale, "scale");
  display.origin = enumFromPython<Origin>(origin, "origin");
  const AlphaRule rule = parseAlphaRule(alpha, "alpha");
  const py::ssize_t h = image.height, w = image.width;
  if (rule.kind == AlphaRule::Kind::None) {
    RgbImage rgb;
    {
      py::gil_scoped_release release;
      rgb = gaussmap::colorize(image, display);
    }
    return arrayOwning<Rgb8, std::uint8_t>(std::move(rgb), {h, w, 3});
  }
  RgbaImage rgba;
  {
    py::gil_scoped_release release;
    const RgbImage rgb = gaussmap::colorize(image, display);
    rgba = withAlpha(rgb, image, resolveValueMapping(display, image.pixels), display.origin, rule);
  }
  return arrayOwning<Rgba8, std::uint8_t>(std::move(rgba), {h, w, 4});
}

}  // namespace

void bindRender(py::module_& m) {
  py::class_<Session>(m, "Session", "One backend kept between renders; one per thread.")
      .def(py::init<const std::string&, const std::string&, int>(), py::arg("backend"),
           py::arg("gl_path"), py::arg("threads"))
      .def("render", &Session::render, py::arg("scene"), py::arg("window"), py::arg("time"))
      .def("render_into", &Session::renderInto, py::arg("scene"), py::arg("window"),
           py::arg("time"), py::arg("out"));
  m.def("render_batch", &renderBatch, py::arg("scene"), py::arg("points"), py::arg("backend"),
        py::arg("gl_path"), py::arg("threads"));
  m.def("colorize", &colorize, py::arg("values"), py::arg("colormap"), py::arg("range"),
        py::arg("scale"), py::arg("origin"), py::arg("alpha"));
  m.def(
      "kernels_by_block",
      [](const Scene& scene, const std::vector<int>& column_edges,
         const std::vector<int>& row_edges) {
        std::vector<std::vector<std::uint32_t>> blocks;
        {
          py::gil_scoped_release release;
          blocks = kernelsByBlock(scene, column_edges, row_edges);
        }
        py::list out;
        for (std::vector<std::uint32_t>& b : blocks) {
          auto* owned = new std::vector<std::uint32_t>(std::move(b));
          py::capsule owner(owned,
                            [](void* p) { delete static_cast<std::vector<std::uint32_t>*>(p); });
          out.append(
              py::array_t<std::uint32_t>({py::ssize_t(owned->size())}, owned->data(), owner));
        }
        return out;
      },
      py::arg("scene"), py::arg("column_edges"), py::arg("row_edges"));
  m.def("colormaps", [] {
    std::vector<std::string> names;
    for (auto n : colormapNames()) names.emplace_back(n);
    return names;
  });
  m.def("backends", [] {
    std::vector<std::pair<std::string, std::string>> infos;
    for (const BackendInfo& b : backendInfos()) infos.emplace_back(b.name, b.help);
    return infos;
  });
}

}  // namespace gaussmap::python
