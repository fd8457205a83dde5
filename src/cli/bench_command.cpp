// gaussmap bench: the benchmark workloads (W1-W4 from bench/, W5 and W6 generated here from fixed
// seeds) through each backend: a warm-up, then N timed renders (the render alone: creating the
// renderer, parsing and output are timed on their own), the median, min and max, the rate in
// million kernel evaluations per second, and the max error against the exact reference.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "api/backends.h"
#include "cli/commands.h"
#include "core/image_compare.h"
#include "core/index_kernel.h"
#include "core/wording.h"
#include "cpu/cpu_renderer.h"
#include "cpu/tile_renderer.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/render_outputs.h"
#include "gaussmap/scene_json.h"
#include "reference/reference_renderer.h"

#ifndef GAUSSMAP_BENCH_DIR
#define GAUSSMAP_BENCH_DIR "bench"
#endif

namespace gaussmap::cli {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// CPU time used by every thread of this process so far.
double processCpuMs() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return double(t.tv_sec) * 1e3 + double(t.tv_nsec) * 1e-6;
}

// Sorts `v` and returns its median.
double medianOf(std::vector<double>& v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct BenchOptions {
  std::vector<std::string> workloads = {"W1", "W2", "W3", "W4", "W5", "W6"};
  std::vector<std::string> backends = {"cpu", "gl"};
  int repeat = 10;
  std::string json_path;
  bool no_output = false;  // skip timing the colours and a PNG, once per workload and backend
  std::string workload_dir = GAUSSMAP_BENCH_DIR;
};

struct Workload {
  std::string name, what;
  Scene scene;
  double parse_ms = 0;  // reading and validating the JSON (0 for generated workloads)
};

// Uniform in [0, 1) from the generator's top 53 bits: the same numbers on every platform.
double unit(std::mt19937_64& rng) {
  return double(rng() >> 11) * 0x1.0p-53;
}

Workload loadWorkload(const std::string& name, const std::string& dir) {
  static const std::pair<const char*, const char*> kFiles[] = {{"W1", "W1_seed_union.json"},
                                                               {"W2", "W2_solution2.json"},
                                                               {"W3", "W3_solution1.json"},
                                                               {"W4", "W4_many.json"}};
  for (const auto& [id, file] : kFiles) {
    if (name != id) continue;
    const fs::path path = fs::path(dir) / file;
    if (!fs::exists(path))
      throw InputError("workload " + name + ": " + path.string() +
                       " not found (--workload-dir names the folder holding the W*.json files)");
    Workload w{name, file, {}, 0};
    const auto start = Clock::now();
    w.scene = loadScene(path.string());
    w.parse_ms = msSince(start);
    return w;
  }
  if (name == "W5") {
    // The density map of a large point set: a million points, sigma 3 px, peak, summed.
    Workload w{name, "1,000,000 points, sigma 3, peak, sum (generated, seed 5)", {}, 0};
    w.scene.width = w.scene.height = 4096;
    w.scene.normalize = Normalize::Peak;
    w.scene.kernels.resize(1000000);
    std::mt19937_64 rng(5);
    for (Kernel& k : w.scene.kernels) {
      k.x = 4095.0 * unit(rng);
      k.y = 4095.0 * unit(rng);
      k.sigma_x = k.sigma_y = 3.0;
    }
    return w;
  }
  if (name == "W6") {
    // W4's centres and sigmas, each kernel squeezed across (ratio 1.5..4) and turned at random.
    Workload w = loadWorkload("W4", dir);
    w.name = name;
    w.what = "W4 made anisotropic (ratio 1.5..4) and rotated (generated, seed 6)";
    std::mt19937_64 rng(6);
    for (Kernel& k : w.scene.kernels) {
      k.sigma_y = k.sigma_x / (1.5 + 2.5 * unit(rng));
      k.angle_deg = 180.0 * unit(rng);
    }
    validateScene(w.scene);
    return w;
  }
  throw InputError("--workload: unknown workload '" + name + "' (expected W1..W6)");
}

// Samples each kernel must be evaluated at under the contract (m2 <= 2 ln 1e7, or the cutoff),
// on the image: the work the math asks for, whatever a backend does to get there.
double kernelEvaluations(const Scene& scene) {
  const IndexSpace space(scene);
  const int width = scene.width, height = scene.height;
  double total = 0;
  for (const Kernel& kernel : scene.kernels) {
    const IndexKernel k = space.kernel(kernel);
    const int j0 = int(std::max(std::ceil(k.cj - k.reach_j), 0.0));
    const int j1 = int(std::min(std::floor(k.cj + k.reach_j), height - 1.0));
    for (int j = j0; j <= j1; ++j) {
      const IndexKernel::RowExtent row = k.rowExtent(j);
      if (row.half < 0) continue;
      const double lo = std::max(std::ceil(row.centre - row.half), 0.0);
      const double hi = std::min(std::floor(row.centre + row.half), width - 1.0);
      if (hi >= lo) total += hi - lo + 1;
    }
  }
  return total;
}

// The reference on the whole image where it takes seconds at most, else on a window of 256 x 256
// samples at the image's centre (the same math: the window is a scene of its own).
struct ExactValues {
  DoubleImage values;
  int i0 = 0, j0 = 0;  // where the window starts in the full image
  std::string scope;   // "full image" or "window ..."
  double ms = 0;
};

ExactValues exactValues(const Workload& w, double evaluations) {
  ExactValues e;
  SampleWindow window = wholeGrid(w.scene);
  // The reference evaluates boxes out to 8.6 sigma: about 2.9 times the contract's ellipses.
  if (2.9 * evaluations > 3e8) {
    // A window of the whole grid (samples at the whole grid's indices, not a narrowed extent).
    const int size = 256;
    window.i0 = e.i0 = std::max(0, (w.scene.width - size) / 2);
    window.j0 = e.j0 = std::max(0, (w.scene.height - size) / 2);
    window.width = std::min(size, w.scene.width);
    window.height = std::min(size, w.scene.height);
    e.scope = "window " + std::to_string(window.width) + "x" + std::to_string(window.height) +
              " at (" + std::to_string(e.i0) + ", " + std::to_string(e.j0) + ")";
  } else {
    e.scope = "full image";
  }
  const auto start = Clock::now();
  e.values = reference::render(w.scene, window);
  e.ms = msSince(start);
  return e;
}

ImageError errorAgainst(const FloatImage& image, const ExactValues& exact) {
  FloatImage crop(exact.values.width, exact.values.height);
  for (int j = 0; j < crop.height; ++j)
    for (int i = 0; i < crop.width; ++i) crop.at(i, j) = image.at(exact.i0 + i, exact.j0 + j);
  return compareImages(crop, exact.values);
}

// bench's names for the backend variants it times, each a registry entry (api/backends.cpp)
// with a GL path or a thread count.
struct BenchBackend {
  const char* name;
  Backend backend;
  GlPath gl_path;
  int threads;
};
constexpr BenchBackend kBenchBackends[] = {
    {"cpu", Backend::Cpu, GlPath::Auto, 0},
    {"cpu1", Backend::Cpu, GlPath::Auto, 1},
    {"gl", Backend::Gl, GlPath::Auto, 0},
    {"gl-loop", Backend::Gl, GlPath::Loop, 0},
    {"gl-footprint", Backend::Gl, GlPath::Footprint, 0},
    {"reference", Backend::Reference, GlPath::Auto, 0},
};

const BenchBackend& benchBackend(const std::string& spec) {
  for (const BenchBackend& b : kBenchBackends)
    if (spec == b.name) return b;
  std::string names;
  for (const BenchBackend& b : kBenchBackends)
    names.append(names.empty() ? "" : "|").append(b.name);  // not "x" + string: GCC 12 -Wrestrict
  throw InputError("--backend: unknown backend '" + spec + "' (expected " + names + ")");
}

std::unique_ptr<Renderer> createBackend(const std::string& spec) {
  const BenchBackend& b = benchBackend(spec);
  return api::createRenderer(b.backend, b.gl_path, b.threads, {}).renderer;
}

struct Result {
  nlohmann::ordered_json row;
  std::string line;
};

Result benchOne(const Workload& w, const std::string& spec, Renderer& renderer, double setup_ms,
                int repeat, bool output, double evaluations, const ExactValues* exact) {
  nlohmann::ordered_json row;
  row["workload"] = w.name;
  row["backend"] = spec;
  auto start = Clock::now();
  FloatImage values = renderer.render(w.scene);  // warm-up: shaders compile, pages fault in
  const double first_ms = msSince(start);
  std::vector<double> sorted, cpu_times;
  for (int r = 0; r < repeat; ++r) {
    values = FloatImage();  // the last image goes first, as it would in a real run
    const double cpu_start = processCpuMs();
    start = Clock::now();
    values = renderer.render(w.scene);
    sorted.push_back(msSince(start));
    cpu_times.push_back(processCpuMs() - cpu_start);
  }
  const double median = medianOf(sorted), cpu_median = medianOf(cpu_times);
  const nlohmann::ordered_json stats = renderer.lastStats();
  std::string path = stats.contains("gl_path") ? stats["gl_path"].get<std::string>() : "";

  // Output, once: colours and a PNG into a temporary folder.
  double output_ms = 0;
  if (output) {
    const fs::path folder =
        fs::temp_directory_path() / ("gaussmap_bench_" + std::to_string(getpid()));
    fs::create_directories(folder);
    start = Clock::now();
    const ValueMapping mapping = resolveValueMapping(w.scene.display, values.pixels);
    const RgbImage colours = renderer.colorize(
        values, mapping, *findColormap(w.scene.display.colormap), w.scene.display.origin);
    writeRenderOutput((folder / "out.png").string(), w.scene, values, &colours);
    output_ms = msSince(start);
    fs::remove_all(folder);
  }

  row["gl_path"] = path;
  row["repeat"] = repeat;
  row["median_ms"] = median;
  // CPU time of the whole process (all threads) per render: on a shared machine the wall time
  // also counts waiting for a core, this does not.
  row["cpu_median_ms"] = cpu_median;
  row["min_ms"] = sorted.front();
  row["max_ms"] = sorted.back();
  row["first_ms"] = first_ms;
  row["setup_ms"] = setup_ms;
  row["parse_ms"] = w.parse_ms;
  if (output) row["output_ms"] = output_ms;
  row["kernel_evaluations"] = evaluations;
  row["mevals_per_s"] = evaluations / (median * 1e3);
  std::string error_text = "skipped";
  if (exact) {
    const ImageError e = errorAgainst(values, *exact);
    row["max_error_relative"] = e.relative;
    row["error_scope"] = exact->scope;
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1e", e.relative);
    error_text = buffer;
  }
  for (const auto& [key, value] : stats.items()) row[key] = value;

  char line[256];
  const std::string label = spec + (path.empty() || spec != "gl" ? "" : " (" + path + ")");
  std::snprintf(line, sizeof line, "%-4s %-17s %10.3f %10.3f %10.3f %10.3f %9.0f %9s %9.1f %8.1f",
                w.name.c_str(), label.c_str(), median, sorted.front(), sorted.back(), cpu_median,
                evaluations / (median * 1e3), error_text.c_str(), setup_ms, output_ms);
  return {row, line};
}

std::string cpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  return "unknown CPU";
}

int runBench(const BenchOptions& o) {
  if (o.repeat < 1) throw InputError("--repeat: must be at least 1");
  for (const std::string& b : o.backends) benchBackend(b);  // names checked before any work
  for (const std::string& w : o.workloads)
    if (w.size() != 2 || w[0] != 'W' || w[1] < '1' || w[1] > '6')
      throw InputError("--workload: unknown workload '" + w + "' (expected W1..W6)");
  nlohmann::ordered_json report;
  std::string targets;
  for (const cpu::SimdTarget& t : cpu::compiledSimdTargets())
    targets += (targets.empty() ? "" : " ") + t.name + (t.supported ? "" : "(unsupported)");
  report["machine"] = {{"cpu", cpuModel()},
                       {"hardware_threads", std::thread::hardware_concurrency()},
                       {"simd", cpu::simdTargetName()},
                       {"simd_compiled", targets}};
  std::printf("machine: %s, %u hardware threads; SIMD %s (compiled: %s)\n", cpuModel().c_str(),
              std::thread::hardware_concurrency(), cpu::simdTargetName().c_str(), targets.c_str());
  std::printf(
      "times in ms over %d renders after a warm-up (cpu time: all threads' CPU time per render, "
      "median); Meval/s = million kernel evaluations (samples within each kernel's contract "
      "radius) per second of median; error = max |value - reference| / max |reference|; setup: "
      "creating the renderer (GL context); output: colours + PNG, once\n",
      o.repeat);
  std::printf("%-4s %-17s %10s %10s %10s %10s %9s %9s %9s %8s\n", "", "backend", "median", "min",
              "max", "cpu time", "Meval/s", "error", "setup", "output");
  std::fflush(stdout);

  nlohmann::ordered_json rows = nlohmann::ordered_json::array();
  std::map<std::string, std::unique_ptr<Renderer>> renderers;  // one per backend, reused
  std::map<std::string, double> setup_ms;
  for (const std::string& name : o.workloads) {
    const Workload w = loadWorkload(name, o.workload_dir);
    const double evaluations = kernelEvaluations(w.scene);
    std::printf("%s: %s, %dx%d, %s, %s of %s, %.3g kernel evaluations\n", w.name.c_str(),
                w.what.c_str(), w.scene.width, w.scene.height,
                counted(static_cast<long long>(w.scene.kernels.size()), "kernel").c_str(),
                std::string(toString(w.scene.combine)).c_str(),
                std::string(toString(w.scene.normalize)).c_str(), evaluations);
    const ExactValues exact = exactValues(w, evaluations);
    std::printf("     reference once: %.1f ms on the %s\n", exact.ms, exact.scope.c_str());
    nlohmann::ordered_json reference_row;
    for (const std::string& spec : o.backends) {
      if (!renderers.count(spec)) {
        const auto start = Clock::now();
        try {
          renderers[spec] = createBackend(spec);
        } catch (const RuntimeError& e) {
          renderers[spec] = nullptr;
          std::printf("%-4s %-17s skipped: %s\n", w.name.c_str(), spec.c_str(), e.what());
        }
        setup_ms[spec] = msSince(start);
      }
      if (!renderers[spec]) continue;
      Result r = benchOne(w, spec, *renderers[spec], setup_ms[spec], o.repeat, !o.no_output,
                          evaluations, &exact);
      r.row["reference_ms"] = exact.ms;
      r.row["reference_scope"] = exact.scope;
      std::printf("%s\n", r.line.c_str());
      std::fflush(stdout);
      rows.push_back(r.row);
    }
  }
  report["results"] = rows;
  if (!o.json_path.empty()) {
    std::ofstream out(o.json_path);
    out << report.dump(2) << "\n";
    if (!out) throw RuntimeError("cannot write " + o.json_path);
  }
  return 0;
}

}  // namespace

Action addBenchCommand(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* sub = app.add_subcommand(
      "bench",
      "Time the benchmark workloads through each backend and check them against the reference.\n"
      "Example: gaussmap bench --workload W1 --workload W4 --backend cpu --repeat 20");
  sub->add_option("--workload", options->workloads,
                  "W1..W4 (bench/*.json), W5 (a million points at 4096x4096), W6 (W4 rotated and "
                  "anisotropic). Repeatable")
      ->type_name("W")
      ->capture_default_str();
  sub->add_option("--backend", options->backends,
                  "cpu (all threads), cpu1 (one thread), gl (path picked by estimate), gl-loop, "
                  "gl-footprint, reference. Repeatable")
      ->type_name("NAME")
      ->capture_default_str();
  sub->add_option("--repeat", options->repeat, "Timed renders per workload and backend")
      ->capture_default_str();
  sub->add_option("--json", options->json_path, "Also write every figure to this JSON file")
      ->type_name("FILE");
  sub->add_flag("--no-output", options->no_output,
                "Skip timing the output (colours and a PNG with the scene in it, once per "
                "workload and backend: 10 s for W5's million kernels)");
  sub->add_option("--workload-dir", options->workload_dir, "Folder holding W1..W4's scene files")
      ->type_name("DIR")
      ->capture_default_str();
  return [options] { return runBench(*options); };
}

}  // namespace gaussmap::cli
