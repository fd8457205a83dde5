// Map tiles on Web Mercator (include/gaussmap/tiles.h).
#include "gaussmap/tiles.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <utility>

#include "api/reach.h"
#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

constexpr double kDegree = std::numbers::pi / 180.0;

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

std::string kernelName(std::size_t k) {
  return "kernels[" + std::to_string(k) + "]";
}

// The tiles [first, last] of a zoom with `count` tiles a side whose samples meet the centre +-
// half (global pixel-centre indices); first > last when none does.
std::pair<std::int64_t, std::int64_t> tilesMeeting(double centre, double half, std::int64_t count) {
  const double lo = centre - half, hi = centre + half;
  const double samples = double(count) * kTileSize;
  if (!(hi >= 0) || !(lo <= samples - 1)) return {1, 0};
  const auto tile = [&](double v) {
    return std::clamp<std::int64_t>(std::int64_t(std::floor(v / kTileSize)), 0, count - 1);
  };
  return {tile(std::max(lo, 0.0)), tile(std::min(hi, samples - 1))};
}

}  // namespace

Crs parseCrs(std::string_view text, std::string_view option) {
  std::string upper(text);
  for (char& c : upper) c = char(std::toupper(static_cast<unsigned char>(c)));
  if (upper == "EPSG:3857" || upper == "EPSG:900913") return Crs::WebMercator;
  if (upper == "EPSG:4326") return Crs::LonLat;
  throw InputError(std::string(option) + " " + std::string(text) +
                   ": gaussmap reads kernel positions in EPSG:3857 (Web Mercator metres) or "
                   "EPSG:4326 (longitude, latitude in degrees)");
}

std::string_view toString(Crs crs) {
  return crs == Crs::WebMercator ? "EPSG:3857" : "EPSG:4326";
}

double mercatorX(double longitude_deg) {
  return kMercatorRadius * longitude_deg * kDegree;
}

double mercatorY(double latitude_deg) {
  return kMercatorRadius * std::atanh(std::sin(latitude_deg * kDegree));
}

double latitudeOfMercatorY(double y) {
  return std::atan(std::sinh(y / kMercatorRadius)) / kDegree;
}

double longitudeOfMercatorX(double x) {
  return x / kMercatorRadius / kDegree;
}

Scene toWebMercator(const Scene& scene, Crs crs) {
  Scene out = scene;
  for (std::size_t k = 0; k < out.kernels.size(); ++k) {
    Kernel& kernel = out.kernels[k];
    if (!kernel.keys.empty())
      throw InputError(kernelName(k) +
                       ": animated kernels cannot be tiled (tiles show one time; render that "
                       "time into a scene first)");
    double latitude = 0;
    if (crs == Crs::LonLat) {
      if (!(std::abs(kernel.x) <= 180))
        throw InputError(kernelName(k) + ".x: a longitude must be within -180..180 (got " +
                         num(kernel.x) + ")");
      if (!(std::abs(kernel.y) <= kMercatorMaxLatitude))
        throw InputError(kernelName(k) + ".y: a latitude must be within -85.0511..85.0511, the " +
                         "Web Mercator square (got " + num(kernel.y) + ")");
      latitude = kernel.y;
      kernel.x = mercatorX(kernel.x);
      kernel.y = mercatorY(kernel.y);
    } else {
      for (const auto& [v, axis] : {std::pair{kernel.x, ".x"}, std::pair{kernel.y, ".y"}})
        if (!(std::abs(v) <= kMercatorHalfWorld))
          throw InputError(kernelName(k) + axis +
                           ": a Web Mercator coordinate must be within +-20037508.34 metres (got " +
                           num(v) + ")");
      latitude = latitudeOfMercatorY(kernel.y);
    }
    // A ground metre at this latitude is 1/cos(latitude) Mercator metres, in every direction.
    const double scale = 1.0 / std::cos(latitude * kDegree);
    kernel.sigma_x *= scale;
    kernel.sigma_y *= scale;
    if (kernel.cov)
      kernel.cov = Covariance{kernel.cov->xx * scale * scale, kernel.cov->xy * scale * scale,
                              kernel.cov->yy * scale * scale};
  }
  return out;
}

MercatorBounds tileBounds(TileId tile) {
  const double size = 2 * kMercatorHalfWorld / double(std::int64_t{1} << tile.z);
  const double west = -kMercatorHalfWorld + tile.x * size;
  const double north = kMercatorHalfWorld - tile.y * size;
  return {west, north - size, west + size, north};
}

Scene tileGrid(const Scene& scene, TileId tile) {
  Scene grid = scene;
  grid.kernels.clear();
  grid.width = grid.height = kTileSize;
  const MercatorBounds b = tileBounds(tile);
  const double step = (b.east - b.west) / kTileSize;
  grid.extent =
      Extent{b.west + 0.5 * step, b.east - 0.5 * step, b.north - 0.5 * step, b.south + 0.5 * step};
  return grid;
}

std::vector<TileKernels> tilesReached(const Scene& mercator, int z0, int z1,
                                      std::size_t max_tiles) {
  if (z0 < 0 || z1 > kMaxZoom || z0 > z1)
    throw InputError("--zoom " + std::to_string(z0) + "-" + std::to_string(z1) +
                     ": zoom levels run from 0 to 24, the first no greater than the last");
  const bool everywhere = mercator.combine == Combine::Max && !mercator.cutoff &&
                          std::any_of(mercator.kernels.begin(), mercator.kernels.end(),
                                      [](const Kernel& k) { return k.weight < 0; });
  std::vector<TileKernels> out;
  for (int z = z0; z <= z1; ++z) {
    const std::int64_t count = std::int64_t{1} << z;
    const double step = 2 * kMercatorHalfWorld / double(count * kTileSize);  // metres a pixel
    // Pass 1: each kernel's tile rectangle, and how many (tile, kernel) entries they make.
    struct Rect {
      std::int64_t x0, x1, y0, y1;
    };
    std::vector<Rect> rects(mercator.kernels.size());
    double entries = 0;
    for (std::size_t k = 0; k < mercator.kernels.size(); ++k) {
      const Kernel& kernel = mercator.kernels[k];
      if (everywhere) {
        rects[k] = {0, count - 1, 0, count - 1};
      } else {
        const Covariance c = kernel.covariance();
        const api::SampleReach reach =
            api::sampleReach(std::sqrt(c.xx) / step, std::sqrt(c.yy) / step, mercator.cutoff);
        const double ci = (kernel.x + kMercatorHalfWorld) / step - 0.5;
        const double cj = (kMercatorHalfWorld - kernel.y) / step - 0.5;
        const auto [x0, x1] = tilesMeeting(ci, reach.half_i, count);
        const auto [y0, y1] = tilesMeeting(cj, reach.half_j, count);
        rects[k] = {x0, x1, y0, y1};
      }
      const Rect& r = rects[k];
      if (r.x0 <= r.x1 && r.y0 <= r.y1)
        entries += double(r.x1 - r.x0 + 1) * double(r.y1 - r.y0 + 1);
    }
    const auto too_many = [&](double tiles) {
      return InputError("--zoom " + std::to_string(z0) + "-" + std::to_string(z1) + ": zoom " +
                        std::to_string(z) + " alone reaches " + num(tiles) +
                        " tiles, more than --max-tiles " + std::to_string(max_tiles) +
                        " allows with the levels before it: lower the zoom, narrow the kernels, "
                        "or raise --max-tiles");
    };
    // A kernel entry is a distinct tile at worst: a bound checked before anything is listed.
    if (entries > double(max_tiles) * 64 + 1e7) throw too_many(entries);
    // Pass 2: (tile, kernel) pairs sorted by tile, kernels in scene order within one.
    std::vector<std::pair<std::uint64_t, std::uint32_t>> pairs;
    pairs.reserve(std::size_t(entries));
    for (std::size_t k = 0; k < rects.size(); ++k)
      for (std::int64_t y = rects[k].y0; y <= rects[k].y1; ++y)
        for (std::int64_t x = rects[k].x0; x <= rects[k].x1; ++x)
          pairs.emplace_back(std::uint64_t(y) * std::uint64_t(count) + std::uint64_t(x),
                             std::uint32_t(k));
    std::sort(pairs.begin(), pairs.end());
    std::size_t distinct = 0;
    for (std::size_t p = 0; p < pairs.size(); ++p)
      if (p == 0 || pairs[p].first != pairs[p - 1].first) ++distinct;
    if (out.size() + distinct > max_tiles) throw too_many(double(distinct));
    for (std::size_t p = 0; p < pairs.size(); ++p) {
      if (p == 0 || pairs[p].first != pairs[p - 1].first) {
        TileKernels t;
        t.tile = {z, int(pairs[p].first % std::uint64_t(count)),
                  int(pairs[p].first / std::uint64_t(count))};
        out.push_back(std::move(t));
      }
      out.back().kernels.push_back(pairs[p].second);
    }
  }
  return out;
}

}  // namespace gaussmap
