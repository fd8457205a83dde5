// gaussmap._core.render / render_batch / colorize: the public render API with the GIL released,
// its results handed to numpy without a copy (the array's base owns the C++ image).
#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <exception>
#include <optional>
#include <string>
#include <thread>
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

 private:
  RenderSession session_;
};

// Renders maps [first, last) of a batch on one session; NaN points give all-zero maps.
void renderMaps(RenderSession& session, Scene scene, const double* points, float* maps,
                std::size_t first, std::size_t last, std::size_t k_count) {
  const std::size_t map_size = std::size_t(scene.width) * std::size_t(scene.height);
  scene.kernels.resize(1);
  for (std::size_t m = first; m < last; ++m) {
    float* out = maps + m * map_size;
    const double x = points[2 * m], y = points[2 * m + 1];
    if (std::isnan(x) || std::isnan(y)) {
      std::memset(out, 0, map_size * sizeof(float));
      continue;
    }
    scene.kernels[0].x = x;
    scene.kernels[0].y = y;
    try {
      FloatImage values = session.render(scene);
      std::memcpy(out, values.pixels.data(), map_size * sizeof(float));
    } catch (const InputError& e) {
      throw InputError("points[" + std::to_string(m / k_count) + ", " +
                       std::to_string(m % k_count) + "]: " + e.what());
    }
  }
}

// One map per (image, keypoint): a (B, K, H, W) array. cpu and reference spread the maps over
// `threads` workers (0 = one per hardware thread), each a one-thread session: a 64x48 map is too
// small to split into tiles. gl renders them in turn on one context.
std::tuple<py::array, py::dict> renderBatch(
    const Scene& base, py::array_t<double, py::array::c_style | py::array::forcecast> points,
    const std::string& backend_name, const std::string& gl_path_name, int threads) {
  if (points.ndim() != 3 || points.shape(2) != 2)
    throw InputError("points: must have shape (B, K, 2) (got " + std::to_string(points.ndim()) +
                     " dimensions)");
  if (threads < 0) throw InputError("threads: must be >= 0 (got " + std::to_string(threads) + ")");
  const Backend backend = enumFromPython<Backend>(backend_name, "backend");
  const GlPath gl_path = enumFromPython<GlPath>(gl_path_name, "gl_path");
  validateSize(base.width, base.height, "render_batch");
  const py::ssize_t b_count = points.shape(0), k_count = points.shape(1);
  py::array_t<float> maps({b_count, k_count, py::ssize_t(base.height), py::ssize_t(base.width)});
  float* out = maps.mutable_data();
  const double* p = points.data();
  const std::size_t count = std::size_t(b_count) * std::size_t(k_count);
  RenderReport report;
  {
    py::gil_scoped_release release;
    const bool parallel = backend == Backend::Cpu || backend == Backend::Reference;
    std::size_t workers = 1;
    if (parallel)
      workers = std::clamp<std::size_t>(
          threads > 0 ? std::size_t(threads) : std::max(1u, std::thread::hardware_concurrency()), 1,
          std::max<std::size_t>(count, 1));
    std::vector<RenderSession> sessions;
    for (std::size_t w = 0; w < workers; ++w)
      sessions.emplace_back(backend, gl_path, parallel ? 1 : threads);
    std::vector<std::exception_ptr> errors(workers);
    std::vector<std::thread> pool;
    for (std::size_t w = 0; w < workers; ++w) {
      auto work = [&, w] {
        try {
          renderMaps(sessions[w], base, p, out, count * w / workers, count * (w + 1) / workers,
                     std::size_t(k_count));
        } catch (...) {
          errors[w] = std::current_exception();
        }
      };
      if (w + 1 == workers)
        work();  // the calling thread takes the last share
      else
        pool.emplace_back(work);
    }
    for (std::thread& t : pool) t.join();
    for (const std::exception_ptr& e : errors)
      if (e) std::rethrow_exception(e);
    report = sessions.front().lastReport();
  }
  return {maps, reportDict(report)};
}

py::array colorize(py::array_t<float, py::array::c_style | py::array::forcecast> values,
                   const std::string& colormap, std::optional<std::array<double, 2>> range,
                   const std::string& scale, const std::string& origin) {
  if (values.ndim() != 2)
    throw InputError("values: must be two-dimensional (height, width) (got " +
                     std::to_string(values.ndim()) + " dimensions)");
  FloatImage image(int(values.shape(1)), int(values.shape(0)));
  std::memcpy(image.pixels.data(), values.data(), image.pixels.size() * sizeof(float));
  Display display;
  display.colormap = colormap;
  display.range = range;
  display.scale = enumFromPython<Scale>(scale, "scale");
  display.origin = enumFromPython<Origin>(origin, "origin");
  RgbImage rgb;
  {
    py::gil_scoped_release release;
    rgb = gaussmap::colorize(image, display);
  }
  const py::ssize_t h = rgb.height, w = rgb.width;
  return arrayOwning<Rgb8, std::uint8_t>(std::move(rgb), {h, w, 3});
}

}  // namespace

void bindRender(py::module_& m) {
  py::class_<Session>(m, "Session", "One backend kept between renders; one per thread.")
      .def(py::init<const std::string&, const std::string&, int>(), py::arg("backend"),
           py::arg("gl_path"), py::arg("threads"))
      .def("render", &Session::render, py::arg("scene"), py::arg("window"), py::arg("time"));
  m.def("render_batch", &renderBatch, py::arg("scene"), py::arg("points"), py::arg("backend"),
        py::arg("gl_path"), py::arg("threads"));
  m.def("colorize", &colorize, py::arg("values"), py::arg("colormap"), py::arg("range"),
        py::arg("scale"), py::arg("origin"));
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
