// gaussmap tiles: an XYZ pyramid of 256x256 RGBA PNG tiles on Web Mercator, plus a TileJSON 3.0
// file, written into a folder that appears whole or not at all.
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/scene_overrides.h"
#include "core/interrupt.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/gaussmap.h"
#include "gaussmap/image_io.h"
#include "gaussmap/render.h"
#include "gaussmap/tiles.h"
#include "io/atomic_file.h"

namespace gaussmap::cli {
namespace {

namespace fs = std::filesystem;

// The file a pyramid's folder holds that marks it as one gaussmap wrote (--overwrite replaces
// only such folders).
constexpr const char* kTileJsonName = "tiles.json";
constexpr const char* kGenerator = "gaussmap tiles";

struct TilesOptions {
  SceneSource source;
  SceneOverrides overrides;
  std::string zoom;
  std::string output;
  std::string crs = "EPSG:3857";
  std::string alpha = "ramp";
  std::string backend = "cpu";
  std::string url = "{z}/{x}/{y}.png";
  int threads = 0;
  std::size_t max_tiles = 100000;
  bool overwrite = false;
  bool values = false;
};

// "5-8" or "7" -> {5, 8} / {7, 7}.
std::pair<int, int> parseZoom(const std::string& text) {
  const auto fail = [&]() -> std::pair<int, int> {
    throw InputError("--zoom " + text + ": expected Z or Z0-Z1 with 0 <= Z0 <= Z1 <= 24, e.g. 0-8");
  };
  const std::size_t dash = text.find('-');
  try {
    std::size_t used = 0;
    const int z0 = std::stoi(text.substr(0, dash), &used);
    if (used != (dash == std::string::npos ? text.size() : dash)) return fail();
    int z1 = z0;
    if (dash != std::string::npos) {
      z1 = std::stoi(text.substr(dash + 1), &used);
      if (used != text.size() - dash - 1) return fail();
    }
    if (z0 < 0 || z1 > kMaxZoom || z0 > z1) return fail();
    return {z0, z1};
  } catch (const std::logic_error&) {
    return fail();
  }
}

// A folder gaussmap may write the pyramid to: missing, empty, or (with --overwrite) a pyramid
// it wrote before. InputError otherwise, before any work.
void checkOutputFolder(const fs::path& folder, bool overwrite) {
  std::error_code error;
  const fs::file_status status = fs::status(folder, error);
  if (!fs::exists(status)) return;
  if (!fs::is_directory(status))
    throw InputError("-o " + folder.string() + ": exists and is not a folder");
  if (fs::is_empty(folder, error)) return;
  if (!overwrite)
    throw InputError("-o " + folder.string() +
                     ": the folder exists and is not empty; give --overwrite to replace a "
                     "pyramid gaussmap wrote there, or choose another folder");
  bool ours = false;
  try {
    std::ifstream in(folder / kTileJsonName);
    const nlohmann::json tilejson = nlohmann::json::parse(in);
    ours = tilejson.value("generator", std::string()).rfind(kGenerator, 0) == 0;
  } catch (const std::exception&) {
  }
  if (!ours)
    throw InputError("-o " + folder.string() +
                     ": --overwrite replaces only a pyramid gaussmap "
                     "wrote (a folder with its " +
                     kTileJsonName + "); this folder holds something else");
}

// A sibling folder for the pyramid while it is written; removed unless committed.
class StagingFolder {
 public:
  explicit StagingFolder(const fs::path& target)
      : target_(fs::absolute(target).lexically_normal()),
        path_(target_.parent_path() /
              ("." + target_.filename().string() + ".partial-" + std::to_string(::getpid()))) {
    fs::create_directories(target_.parent_path());
    fs::create_directory(path_);
  }
  ~StagingFolder() {
    std::error_code ignored;
    if (!committed_) fs::remove_all(path_, ignored);
  }
  const fs::path& path() const { return path_; }
  // Puts the pyramid in place of the target (whose old contents checkOutputFolder allowed to go).
  void commit() {
    const fs::path old = target_.parent_path() /
                         ("." + target_.filename().string() + ".old-" + std::to_string(::getpid()));
    const bool had = fs::exists(target_);
    if (had) fs::rename(target_, old);
    fs::rename(path_, target_);
    committed_ = true;
    std::error_code ignored;
    if (had) fs::remove_all(old, ignored);
  }

 private:
  fs::path target_, path_;
  bool committed_ = false;
};

std::string tileName(const TileId& t) {
  return std::to_string(t.z) + "/" + std::to_string(t.x) + "/" + std::to_string(t.y);
}

// Runs work(index, session) for every index in [0, count) on `workers` threads, each with its own
// session; the calling thread reports progress. Rethrows the first failure after all stopped.
template <class Work>
void forEachTile(std::size_t count, int workers, Backend backend, const char* what, Work work) {
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto run = [&] {
    try {
      const SilentProgress silent;  // this thread reports the tiles, not each tile's rows
      RenderSession session(backend, GlPath::Auto, 1);
      for (std::size_t k; !failed && (k = next++) < count;) {
        work(k, session);
        ++done;
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
      failed = true;
    }
  };
  std::vector<std::thread> pool;
  for (int w = 0; w < workers; ++w) pool.emplace_back(run);
  while (done < count && !failed) {
    if (interruptRequested()) failed = true;
    reportProgress(what, std::int64_t(done), std::int64_t(count));
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (std::thread& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  throwIfInterrupted();
}

int runTiles(const TilesOptions& o) {
  const auto [z0, z1] = parseZoom(o.zoom);
  if (o.output.empty()) throw InputError("no output: give -o FOLDER for the pyramid");
  const Crs crs = parseCrs(o.crs, "--crs");
  const AlphaRule alpha = parseAlphaRule(o.alpha, "--alpha");
  const Backend backend = fromString<Backend>(o.backend).value_or(Backend::Auto);
  if (backend != Backend::Cpu && backend != Backend::Reference)
    throw InputError("--backend " + o.backend + ": tiles render on cpu or reference");
  if (o.threads < 0) throw InputError("--threads: must be >= 0");
  if (o.max_tiles < 1) throw InputError("--max-tiles: must be at least 1");
  SceneOverrides overrides = o.overrides;
  if (!o.source.points_path.empty()) overrides.size = "256x256";  // each tile is its own grid
  const Scene scene = toWebMercator(o.source.load(overrides), crs);
  const std::vector<TileKernels> tiles = tilesReached(scene, z0, z1, o.max_tiles);
  checkOutputFolder(o.output, o.overwrite);
  const int workers = std::max(
      1, std::min<int>(o.threads > 0 ? o.threads : int(std::thread::hardware_concurrency()),
                       int(std::max<std::size_t>(tiles.size(), 1))));

  auto tileScene = [&](const TileKernels& t) {
    Scene grid = tileGrid(scene, t.tile);
    for (std::uint32_t k : t.kernels) grid.kernels.push_back(scene.kernels[k]);
    return grid;
  };
  auto render = [&](const TileKernels& t, RenderSession& session) {
    try {
      return session.render(tileScene(t));
    } catch (const InputError& e) {
      const double pixel =
          2 * kMercatorHalfWorld / (double(std::int64_t{1} << t.tile.z) * kTileSize);
      throw InputError("tile " + tileName(t.tile) + " (a pixel is " + std::to_string(pixel) +
                       " m at zoom " + std::to_string(t.tile.z) + "): " + e.what() +
                       "; or start the pyramid at a deeper zoom");
    }
  };

  // The colour range: the scene's, or one for the whole pyramid (a first pass over every tile's
  // values: the range resolveValueMapping takes from all of them at once).
  Display display = scene.display;
  if (!display.range) {
    std::mutex mutex;
    float lo = std::numeric_limits<float>::infinity(), hi = -lo, smallest_positive = lo;
    forEachTile(tiles.size(), workers, backend, "tiles: colour range",
                [&](std::size_t k, RenderSession& session) {
                  const FloatImage values = render(tiles[k], session);
                  float l = lo, h = hi, p = smallest_positive;
                  for (float v : values.pixels) {
                    l = std::min(l, v);
                    h = std::max(h, v);
                    if (v > 0) p = std::min(p, v);
                  }
                  std::lock_guard lock(mutex);
                  lo = std::min(lo, l);
                  hi = std::max(hi, h);
                  smallest_positive = std::min(smallest_positive, p);
                });
    std::vector<float> extremes;
    for (float v : {lo, hi, smallest_positive})
      if (std::isfinite(v)) extremes.push_back(v);
    if (extremes.empty()) extremes.push_back(0.0f);  // no tile: nothing is drawn
    const ValueMapping m = resolveValueMapping(display, extremes);
    display.range = std::array<double, 2>{m.lo, m.hi};
  }
  const ValueMapping mapping = resolveValueMapping(display, {});
  const Colormap* colormap = findColormap(display.colormap);
  if (!colormap) throw InputError("colormap: unknown name '" + display.colormap + "'");

  StagingFolder staging(o.output);
  std::set<std::pair<int, int>> folders;
  for (const TileKernels& t : tiles) folders.insert({t.tile.z, t.tile.x});
  for (const auto& [z, x] : folders)
    fs::create_directories(staging.path() / std::to_string(z) / std::to_string(x));
  forEachTile(tiles.size(), workers, backend, "tiles", [&](std::size_t k, RenderSession& session) {
    const FloatImage values = render(tiles[k], session);
    const RgbImage rgb = applyColormap(values, mapping, *colormap, Origin::Upper);
    const fs::path base = staging.path() / tileName(tiles[k].tile);
    writePng(base.string() + ".png", withAlpha(rgb, values, mapping, Origin::Upper, alpha));
    if (o.values) writeNpy(base.string() + ".npy", values);
  });

  // TileJSON 3.0.0 (https://github.com/mapbox/tilejson-spec/tree/master/3.0.0).
  double west = 180, south = 90, east = -180, north = -90;
  for (const TileKernels& t : tiles) {
    if (t.tile.z != z1) continue;
    const MercatorBounds b = tileBounds(t.tile);
    west = std::min(west, longitudeOfMercatorX(b.west));
    east = std::max(east, longitudeOfMercatorX(b.east));
    south = std::min(south, latitudeOfMercatorY(b.south));
    north = std::max(north, latitudeOfMercatorY(b.north));
  }
  if (tiles.empty()) west = -180, south = -kMercatorMaxLatitude, east = 180, north = -south;
  nlohmann::ordered_json tilejson;
  tilejson["tilejson"] = "3.0.0";
  tilejson["name"] = scene.name.empty() ? std::string("gaussmap heat map") : scene.name;
  if (!scene.description.empty()) tilejson["description"] = scene.description;
  tilejson["version"] = "1.0.0";
  tilejson["scheme"] = "xyz";
  tilejson["tiles"] = {o.url};
  tilejson["minzoom"] = z0;
  tilejson["maxzoom"] = z1;
  tilejson["bounds"] = {west, south, east, north};
  tilejson["center"] = {(west + east) / 2, (south + north) / 2, z0};
  tilejson["generator"] = std::string(kGenerator) + " " + GAUSSMAP_VERSION;
  tilejson["gaussmap"] = {{"tiles_written", tiles.size()},
                          {"crs", std::string(toString(crs))},
                          {"colormap", display.colormap},
                          {"range", {mapping.lo, mapping.hi}},
                          {"scale", std::string(toString(display.scale))},
                          {"alpha", o.alpha}};
  writeTextFileAtomically((staging.path() / kTileJsonName).string(), tilejson.dump(2) + "\n");
  staging.commit();
  endProgressLine();
  std::cerr << "wrote " << tiles.size() << (tiles.size() == 1 ? " tile" : " tiles") << " (zoom "
            << z0 << "-" << z1 << ", colour range " << mapping.lo << ".." << mapping.hi << ") and "
            << kTileJsonName << " to " << o.output << "\n";
  return 0;
}

}  // namespace

Action addTilesCommand(CLI::App& app) {
  auto options = std::make_shared<TilesOptions>();
  CLI::App* sub = app.add_subcommand(
      "tiles", "Render an XYZ pyramid of 256x256 map tiles (Web Mercator) and a TileJSON file");
  options->source.addTo(*sub);
  options->overrides.addTo(*sub);
  // Every tile is 256x256, north up.
  sub->remove_option(sub->get_option("--size"));
  sub->remove_option(sub->get_option("--origin"));
  sub->add_option("--zoom", options->zoom, "Zoom levels, e.g. 0-8 (each rendered directly)")
      ->type_name("Z0-Z1")
      ->required();
  sub->add_option("-o,--output", options->output,
                  "Folder for {z}/{x}/{y}.png and tiles.json (written whole or not at all)")
      ->type_name("DIR")
      ->required();
  sub->add_option("--crs", options->crs,
                  "Kernel positions in EPSG:3857 (metres, default) or EPSG:4326 (lon, lat); "
                  "sigmas in ground metres")
      ->type_name("EPSG:N");
  sub->add_option("--alpha", options->alpha,
                  "Opacity: ramp (default: low values fade out), none, or threshold:T")
      ->type_name("RULE");
  sub->add_option("--backend", options->backend, "cpu (default) or reference")->type_name("B");
  sub->add_option("--threads", options->threads, "Tiles rendered at once; 0 = one per core")
      ->type_name("N");
  sub->add_option("--max-tiles", options->max_tiles,
                  "Refuse a pyramid of more tiles than this (default 100000)")
      ->type_name("N");
  sub->add_option("--url", options->url,
                  "The tile URL template in tiles.json (default: relative {z}/{x}/{y}.png)")
      ->type_name("URL");
  sub->add_flag("--values", options->values, "Also write each tile's float32 values as .npy");
  sub->add_flag("--overwrite", options->overwrite,
                "Replace a pyramid gaussmap wrote in the folder before");
  return [options] { return runTiles(*options); };
}

}  // namespace gaussmap::cli
