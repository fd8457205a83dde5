#pragma once
// Rendering a scene: a validated Scene in, float32 values out (README "The math"), then colours
// and files. The one way the CLI, the viewer's export, `bench`, recording and Python render.
//
//   gaussmap::Scene scene = gaussmap::loadScene("scenes/seed.json");
//   gaussmap::RenderOptions options;
//   options.backend = gaussmap::Backend::Cpu;
//   gaussmap::FloatImage values = gaussmap::render(scene, options);
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "gaussmap/colormap.h"
#include "gaussmap/image.h"
#include "gaussmap/options.h"
#include "gaussmap/scene.h"

namespace gaussmap {

class Renderer;  // a backend (internal: src/core/renderer.h)

// A rectangle of a scene's sample grid: columns [i0, i0 + width), rows [j0, j0 + height). A
// window's render is that crop of the whole render: its pixel (i, j) is the whole render's
// (i0 + i, j0 + j), bit for bit on cpu and reference (each sample is computed from the whole
// grid's indices exactly as the whole render computes it), within 1e-5 on gl.
struct SampleWindow {
  int i0 = 0, j0 = 0, width = 0, height = 0;
  bool operator==(const SampleWindow&) const = default;
};

// The window that is the whole grid.
// (A scene whose grid is larger than one render, up to kMaxGridSide a side, renders only in
// windows: RenderSession::render with a window validates it with GridLimit::Windows.)
SampleWindow wholeGrid(const Scene& scene);

// Throws InputError when `window` is not a non-empty rectangle inside the scene's grid, naming
// the problem, e.g. "--window 100,50,64x32 reaches column 163 of a 150-sample-wide grid
// (columns 0..149)".
void validateWindow(const Scene& scene, const SampleWindow& window);

// How to render. Every field has a default that renders the whole scene on the fastest backend.
struct RenderOptions {
  // auto (default): gl on a hardware GPU, cpu on a software rasterizer or without OpenGL.
  Backend backend = Backend::Auto;
  // gl only: loop, footprint, or auto (default: the path predicted faster per scene).
  GlPath gl_path = GlPath::Auto;
  // cpu only: worker threads; 0 (default) = one per hardware thread. Results do not depend on it.
  int threads = 0;
  // A rectangle of the grid to render (validateWindow); nullopt (default) = the whole grid.
  std::optional<SampleWindow> window;
  // An animated scene as it is at this time in seconds (README "Animation"); nullopt (default) =
  // the kernels' own fields, keys aside.
  std::optional<double> time;
};

// What a render did, for --stats and for callers that want to know.
struct RenderReport {
  Backend backend = Backend::Cpu;  // the backend that rendered (never Auto)
  std::string reason;              // why auto chose it; empty when asked for by name
  double render_ms = 0;            // wall time of the render itself
  // The backend's own figures, in its order, e.g. {"gl_path", "footprint"}, {"cpu_threads", 2},
  // {"cpu_plan_ms", 0.12} (README "The command-line tool", --stats).
  using Figure = std::variant<std::int64_t, double, std::string>;
  std::vector<std::pair<std::string, Figure>> figures;
};

// One backend kept between renders (a GL context, a thread pool and its working memory): for
// callers that render many scenes (frames, tiles, Dask blocks). Not thread-safe: one session per
// thread. Creating it makes the context for gl (RuntimeError naming every attempt when none can
// be made; auto then falls back to cpu and says why in lastReport().reason).
class RenderSession {
 public:
  // `notice` receives one line when auto chooses (or falls back) so a CLI can print it; may be
  // empty. InputError for threads < 0.
  explicit RenderSession(Backend backend = Backend::Auto, GlPath gl_path = GlPath::Auto,
                         int threads = 0, std::function<void(const std::string&)> notice = {});
  ~RenderSession();
  RenderSession(RenderSession&&) noexcept;
  RenderSession& operator=(RenderSession&&) noexcept;

  // The values of `scene` (validated first), or of its window; see RenderOptions. InputError for
  // an invalid scene or window, RuntimeError when the backend fails (or produced a non-finite
  // value: nothing downstream may take one as a result), Interrupted on SIGINT/SIGTERM.
  FloatImage render(const Scene& scene, const std::optional<SampleWindow>& window = std::nullopt,
                    std::optional<double> time = std::nullopt);
  // The same for a scene its caller has just validated (validateScene; loadScene and parseScene
  // do): a million kernels take about 0.1 s to check, which a second check would add again.
  FloatImage renderValidated(const Scene& scene,
                             const std::optional<SampleWindow>& window = std::nullopt);
  // render() into the caller's memory: `out` holds the window's (or grid's) samples row by row,
  // width * height floats (InputError naming both sizes otherwise), such as a numpy array or a
  // memory-mapped file. cpu writes its tiles there directly (no image is allocated); the other
  // backends copy their result in. When it throws, `out`'s contents are unspecified.
  void renderInto(const Scene& scene, std::span<float> out,
                  const std::optional<SampleWindow>& window = std::nullopt,
                  std::optional<double> time = std::nullopt);
  // Colours for values as the scene's display says (colormap, range, scale, origin): on gl the
  // GPU colormap pass, elsewhere applyColormap; equal to within one level of 255.
  RgbImage colorize(const FloatImage& values, const Display& display);
  // The backend this session renders with (never Auto) and the report of its last render.
  Backend backend() const;
  const RenderReport& lastReport() const { return report_; }
  // The backend behind the session, for the library's own callers (recording, bench).
  Renderer& renderer();

 private:
  void finishReport(std::chrono::steady_clock::time_point start);

  std::unique_ptr<Renderer> renderer_;
  RenderReport report_;
};

// Renders once on a fresh session: the simplest call. Fills `report` when given.
FloatImage render(const Scene& scene, const RenderOptions& options = {},
                  RenderReport* report = nullptr);

// Keypoint target maps (gaussmap.render_batch in Python): map m is the render of `scene` with its
// kernels replaced by kernels[0] moved to (centres[2m], centres[2m+1]); a NaN coordinate gives an
// all-zero map (a missing keypoint). `scene` must hold exactly one kernel; `out` holds the maps
// one after another, each width * height floats (InputError otherwise, and for a bad centre,
// naming its index). On cpu an axis-aligned kernel is evaluated as the product of its two 1D
// profiles in double precision (a pdf or peak Gaussian is separable: no per-map set-up, and
// within 1e-7 of the reference), the maps spread over `options.threads` workers; rotated kernels,
// cell normalisation and the other backends render map by map. options.window and .time are
// not used. Fills `report` when given (figures: "maps", "separable").
void renderKernelMaps(const Scene& scene, std::span<const double> centres, std::span<float> out,
                      const RenderOptions& options = {}, RenderReport* report = nullptr);

// Cutting a grid into blocks (tiles, Dask chunks): the blocks lie between consecutive
// `column_edges` (0 = e_0 < e_1 < ... = width) and `row_edges` (likewise to height). For each
// block, row-major (block (bi, bj) at bj * (column_edges.size() - 1) + bi), the indices in scene
// order of the kernels that can add to some sample of it. A window rendered with only its
// block's kernels equals the window of the whole scene bit for bit on cpu and reference: the
// lists hold every kernel within the widest reach any backend evaluates (the reference's 8.6
// sigmas, or the cutoff) plus a margin, and keep scene order. Max without a cutoff over kernels
// of which some weigh less than 0 gives every block all kernels (there a far kernel's dropped
// tail counts as 0). The scene is validated with GridLimit::Windows; InputError for edges that
// do not cut the grid.
std::vector<std::vector<std::uint32_t>> kernelsByBlock(const Scene& scene,
                                                       std::span<const int> column_edges,
                                                       std::span<const int> row_edges);

// Colours as a PNG shows them, on the CPU (the same table and mapping as the GPU pass).
RgbImage colorize(const FloatImage& values, const Display& display);

// One line per backend for --help texts and docs: "auto: ...", "gl: ...", ...
struct BackendInfo {
  Backend backend;
  std::string_view name;
  std::string_view help;
};
const std::vector<BackendInfo>& backendInfos();

}  // namespace gaussmap
