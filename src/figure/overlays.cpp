#include "figure/overlays.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <utility>

#include "gaussmap/errors.h"

namespace gaussmap::figure {
namespace {

constexpr std::pair<const char*, Rgb8> kNamedColours[] = {
    {"white", {255, 255, 255}}, {"black", {0, 0, 0}},      {"red", {214, 39, 40}},
    {"orange", {255, 127, 14}}, {"yellow", {255, 221, 0}}, {"green", {44, 160, 44}},
    {"cyan", {0, 220, 220}},    {"blue", {31, 119, 180}},  {"magenta", {220, 0, 220}},
    {"gray", {128, 128, 128}},
};

int hexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

Rgb8 parseColour(const std::string& text, const std::string& where) {
  for (const auto& [name, colour] : kNamedColours)
    if (text == name) return colour;
  if (text.size() == 7 && text[0] == '#') {
    int v[6];
    bool ok = true;
    for (int k = 0; k < 6; ++k) ok = ok && (v[k] = hexDigit(text[std::size_t(k) + 1])) >= 0;
    if (ok)
      return Rgb8{std::uint8_t(v[0] * 16 + v[1]), std::uint8_t(v[2] * 16 + v[3]),
                  std::uint8_t(v[4] * 16 + v[5])};
  }
  throw InputError(where + ": unknown colour '" + text + "' (expected " + colourNames() +
                   " or #rrggbb)");
}

std::string colourNames() {
  std::string out;
  for (const auto& [name, colour] : kNamedColours) {
    if (!out.empty()) out += '|';
    out += name;
  }
  return out;
}

std::vector<Point> kernelEllipse(const Kernel& kernel, double radius, int segments) {
  // The covariance's eigen-decomposition (sigma_x, sigma_y, angle_deg hold it for cov kernels).
  const double a = kernel.angle_deg * std::numbers::pi / 180;
  const double ca = std::cos(a), sa = std::sin(a);
  std::vector<Point> points;
  for (int k = 0; k <= segments; ++k) {
    const double t = 2 * std::numbers::pi * (k % segments) / segments;
    const double u = radius * kernel.sigma_x * std::cos(t),
                 v = radius * kernel.sigma_y * std::sin(t);
    points.push_back({kernel.x + u * ca - v * sa, kernel.y + u * sa + v * ca});
  }
  return points;
}

void drawOverlays(RgbImage& colours, const Overlays& overlays, const SampleGrid& grid,
                  const SampleWindow& window, Origin origin) {
  Raster raster(colours);
  // Sample (i, j) of the window is the centre of pixel (i, j) (row flipped for origin lower).
  const auto toPixel = [&](const Point& p) -> Point {
    const double i = grid.toIndexX(p[0]) - window.i0, j = grid.toIndexY(p[1]) - window.j0;
    return {i + 0.5, (origin == Origin::Lower ? window.height - 1 - j : j) + 0.5};
  };
  // Thin on small images, a little wider on large ones so lines survive downscaled viewing.
  const double width = 1.5 * std::max(1.0, std::min(colours.width, colours.height) / 800.0);
  std::vector<Point> pixels;
  for (const Contour& contour : overlays.contours)
    for (const ContourLine& line : contour.lines) {
      pixels.clear();
      for (const Point& p : line.points) pixels.push_back(toPixel(p));
      raster.strokePolyline(pixels, overlays.contour_colour, width, line.closed);
    }
  for (const Kernel& kernel : overlays.kernels) {
    pixels.clear();
    for (const Point& p : kernelEllipse(kernel)) pixels.push_back(toPixel(p));
    raster.strokePolyline(pixels, overlays.contour_colour, width * 0.8, true, 4 * width);
  }
}

}  // namespace gaussmap::figure
