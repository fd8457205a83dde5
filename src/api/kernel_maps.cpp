// renderKernelMaps (include/gaussmap/render.h): many single-kernel maps, as keypoint training
// targets need them (B images x K keypoints of a few thousand samples each). A map that small
// costs a full render's set-up (plan, bins, tiles) many times its arithmetic, so on cpu an
// axis-aligned pdf or peak kernel is evaluated directly as the product of its column and row
// profiles; everything else renders map by map through sessions.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <exception>
#include <string>
#include <thread>
#include <vector>

#include "core/index_kernel.h"
#include "gaussmap/errors.h"
#include "gaussmap/render.h"

namespace gaussmap {
namespace {

std::string mapName(std::size_t m) {
  return "centres[" + std::to_string(m) + "]";
}

// Map m: amplitude * exp(-m2/2) where m2 = p di^2 + inv_var_j dj^2 <= m2_limit, else 0, in double
// precision (README "The math"; `space` carries the normalisation and the cutoff).
void separableMap(const IndexSpace& space, Kernel kernel, double x, double y, float* out,
                  std::vector<double>& column_m2, std::vector<double>& column_value) {
  const int width = space.grid().width(), height = space.grid().height();
  kernel.x = x;
  kernel.y = y;
  const IndexKernel k = space.kernel(kernel);
  for (int i = 0; i < width; ++i) {
    const double di = i - k.ci;
    column_m2[std::size_t(i)] = k.p * di * di;
    column_value[std::size_t(i)] = std::exp(-0.5 * column_m2[std::size_t(i)]);
  }
  for (int j = 0; j < height; ++j) {
    float* row = out + std::size_t(j) * std::size_t(width);
    const double dj = j - k.cj, row_m2 = k.inv_var_j * dj * dj;
    if (!(row_m2 <= k.m2_limit)) {
      std::fill(row, row + width, 0.0f);
      continue;
    }
    const double row_value = k.amplitude * std::exp(-0.5 * row_m2);
    for (int i = 0; i < width; ++i)
      row[i] = column_m2[std::size_t(i)] + row_m2 <= k.m2_limit
                   ? float(row_value * column_value[std::size_t(i)])
                   : 0.0f;
  }
}

// Runs work(worker, first, last) over [0, count) split among `workers` threads, the calling
// thread taking the last share; rethrows the first failure.
template <class Work>
void splitAmong(std::size_t workers, std::size_t count, Work work) {
  std::vector<std::exception_ptr> errors(workers);
  std::vector<std::thread> pool;
  for (std::size_t w = 0; w < workers; ++w) {
    auto share = [&, w] {
      try {
        work(w, count * w / workers, count * (w + 1) / workers);
      } catch (...) {
        errors[w] = std::current_exception();
      }
    };
    if (w + 1 == workers)
      share();
    else
      pool.emplace_back(share);
  }
  for (std::thread& t : pool) t.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace

void renderKernelMaps(const Scene& scene, std::span<const double> centres, std::span<float> out,
                      const RenderOptions& options, RenderReport* report) {
  validateScene(scene);
  if (scene.kernels.size() != 1)
    throw InputError(
        "kernel maps: the scene must hold exactly one kernel, the one moved to each "
        "centre (got " +
        std::to_string(scene.kernels.size()) + ")");
  if (centres.size() % 2 != 0)
    throw InputError("centres: must hold an (x, y) pair per map (got " +
                     std::to_string(centres.size()) + " numbers)");
  if (options.threads < 0)
    throw InputError("threads: must be >= 0 (got " + std::to_string(options.threads) + ")");
  const std::size_t maps = centres.size() / 2;
  const std::size_t map_size = std::size_t(scene.width) * std::size_t(scene.height);
  if (out.size() != maps * map_size)
    throw InputError("out: holds " + std::to_string(out.size()) + " samples where " +
                     std::to_string(maps) + " maps of " + std::to_string(scene.width) + "x" +
                     std::to_string(scene.height) + " need " + std::to_string(maps * map_size));
  for (std::size_t m = 0; m < maps; ++m)
    for (int c = 0; c < 2; ++c)
      if (std::isinf(centres[2 * m + std::size_t(c)]))
        throw InputError(mapName(m) + ": " + (c == 0 ? "x" : "y") +
                         " must be finite, or NaN for a missing keypoint (got infinity)");

  const auto start = std::chrono::steady_clock::now();
  RenderReport done;
  // Maps this small are faster on cpu than through any GPU round trip.
  const Backend backend = options.backend == Backend::Auto ? Backend::Cpu : options.backend;
  if (options.backend == Backend::Auto)
    done.reason =
        "auto: kernel maps render on cpu (each map is too small to repay a GPU round trip)";
  const IndexSpace space(scene);
  const Kernel& kernel = scene.kernels.front();
  const bool separable = backend == Backend::Cpu && space.kernel(kernel).axis_aligned &&
                         scene.normalize != Normalize::Cell;
  const bool parallel = backend == Backend::Cpu || backend == Backend::Reference;
  const std::size_t hardware = std::max(1u, std::thread::hardware_concurrency());
  std::size_t workers = 1;
  // A thread costs tens of microseconds to start: worth it beyond about 64k samples in all.
  if (parallel && maps * map_size >= (std::size_t(1) << 16))
    workers = std::clamp<std::size_t>(options.threads > 0 ? std::size_t(options.threads) : hardware,
                                      1, maps);

  if (separable) {
    splitAmong(workers, maps, [&](std::size_t, std::size_t first, std::size_t last) {
      std::vector<double> column_m2(std::size_t(scene.width)), column_value(column_m2.size());
      for (std::size_t m = first; m < last; ++m) {
        const double x = centres[2 * m], y = centres[2 * m + 1];
        float* map = out.data() + m * map_size;
        if (std::isnan(x) || std::isnan(y))
          std::fill(map, map + map_size, 0.0f);
        else
          separableMap(space, kernel, x, y, map, column_m2, column_value);
      }
    });
  } else {
    std::vector<RenderSession> sessions;
    for (std::size_t w = 0; w < workers; ++w)
      sessions.emplace_back(backend, options.gl_path, parallel ? 1 : options.threads);
    splitAmong(workers, maps, [&](std::size_t w, std::size_t first, std::size_t last) {
      Scene moved = scene;
      for (std::size_t m = first; m < last; ++m) {
        const double x = centres[2 * m], y = centres[2 * m + 1];
        std::span<float> map = out.subspan(m * map_size, map_size);
        if (std::isnan(x) || std::isnan(y)) {
          std::fill(map.begin(), map.end(), 0.0f);
          continue;
        }
        moved.kernels[0].x = x;
        moved.kernels[0].y = y;
        try {
          sessions[w].renderInto(moved, map);
        } catch (const InputError& e) {
          throw InputError(mapName(m) + ": " + e.what());
        }
      }
    });
  }
  done.backend = backend;
  done.render_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  done.figures = {{"maps", std::int64_t(maps)},
                  {"kernel_maps_path", std::string(separable ? "separable" : "per-map")},
                  {"threads", std::int64_t(workers)}};
  if (report) *report = std::move(done);
}

}  // namespace gaussmap
