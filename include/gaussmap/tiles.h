#pragma once
// Map tiles (gaussmap tiles): the XYZ slippy-map scheme on Web Mercator (EPSG:3857). Zoom z cuts
// the Mercator square [-20037508.34, 20037508.34]^2 metres into 2^z x 2^z tiles of 256 x 256
// pixels, x growing east and y growing south from the north-west corner. A tile is rendered
// as its own grid: 256 x 256 samples at the centres of its pixels, row 0 the northernmost.
//
//   Scene mercator = toWebMercator(loadScene("fleet.json"), Crs::LonLat);
//   for (const TileKernels& t : tilesReached(mercator, 0, 8, 100000)) ...
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "gaussmap/scene.h"

namespace gaussmap {

// The coordinate systems gaussmap reads kernel positions in for tiles and GeoTIFFs.
enum class Crs {
  WebMercator,  // EPSG:3857: metres on the spherical Mercator plane
  LonLat,       // EPSG:4326: longitude, latitude in degrees (x = longitude, y = latitude)
};
// "EPSG:3857" (also "EPSG:900913") or "EPSG:4326"; InputError naming `option` otherwise.
Crs parseCrs(std::string_view text, std::string_view option);
std::string_view toString(Crs crs);

inline constexpr double kMercatorRadius = 6378137.0;                // the WGS84 semi-major axis
inline constexpr double kMercatorHalfWorld = 20037508.342789244;    // pi * kMercatorRadius
inline constexpr double kMercatorMaxLatitude = 85.051128779806592;  // atan(sinh(pi)), degrees
inline constexpr int kTileSize = 256;
inline constexpr int kMaxZoom = 24;

double mercatorX(double longitude_deg);
double mercatorY(double latitude_deg);
double latitudeOfMercatorY(double y);
double longitudeOfMercatorX(double x);

// The scene with its kernels on the Web Mercator plane: positions in metres (projected from
// longitude/latitude for Crs::LonLat), and sigmas (or cov) taken as ground metres, converted to
// Mercator metres at the kernel's latitude: times 1/cos(latitude), so that a kernel covers the
// same ground at every zoom (the projection is conformal: angles are kept). InputError naming the
// kernel for a longitude outside [-180, 180], a latitude beyond +-85.0511 degrees (the Mercator
// square's edge), a Mercator position outside the square, or animation keys (tiles show one
// time: render a time with --time first).
Scene toWebMercator(const Scene& scene, Crs crs);

struct TileId {
  int z = 0, x = 0, y = 0;
  bool operator==(const TileId&) const = default;
};

// The grid of tile `tile`: `scene`'s fields (combine, normalize, cutoff, display) with a
// 256 x 256 grid whose extent puts sample (i, j) at the centre of pixel (i, j), and no kernels.
Scene tileGrid(const Scene& scene, TileId tile);

// The Mercator bounds of a tile, metres: west, south, east, north.
struct MercatorBounds {
  double west, south, east, north;
};
MercatorBounds tileBounds(TileId tile);

// A tile some kernel reaches, and those kernels' indices in scene order.
struct TileKernels {
  TileId tile;
  std::vector<std::uint32_t> kernels;
};

// The tiles of zooms z0..z1 that some kernel of `mercator` (toWebMercator's result) reaches, by
// the rule of kernelsByBlock (rendering a tile with only its kernels equals rendering it with
// all of them, bit for bit on cpu and reference), ordered by z, then y, then x. InputError for a
// zoom range outside 0..24 or reversed, and when the pyramid would hold more than `max_tiles`
// tiles (counted before any is listed, naming the zoom that passes the limit).
std::vector<TileKernels> tilesReached(const Scene& mercator, int z0, int z1, std::size_t max_tiles);

}  // namespace gaussmap
