#include "figure/raster.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace gaussmap::figure {
namespace {

double clampUnit(double v) {
  return std::clamp(v, 0.0, 1.0);
}

// Distance from p to the segment a-b.
double distanceToSegment(Point p, Point a, Point b) {
  const double vx = b[0] - a[0], vy = b[1] - a[1];
  const double length2 = vx * vx + vy * vy;
  double t = length2 > 0 ? ((p[0] - a[0]) * vx + (p[1] - a[1]) * vy) / length2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  return std::hypot(p[0] - (a[0] + t * vx), p[1] - (a[1] + t * vy));
}

// The pieces of a polyline that are drawn: all of it, or its dashes.
std::vector<std::vector<Point>> dashed(std::span<const Point> points, double dash) {
  std::vector<std::vector<Point>> pieces;
  if (dash <= 0) {
    pieces.emplace_back(points.begin(), points.end());
    return pieces;
  }
  bool on = true;
  double left = dash;  // of the current dash or gap
  std::vector<Point> current{points[0]};
  for (std::size_t k = 1; k < points.size(); ++k) {
    Point a = points[k - 1];
    const Point b = points[k];
    double length = std::hypot(b[0] - a[0], b[1] - a[1]);
    while (length > left) {
      const double f = left / length;
      const Point cut{a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])};
      if (on) {
        current.push_back(cut);
        pieces.push_back(std::move(current));
      }
      current = {cut};
      on = !on;
      length -= left;
      left = dash;
      a = cut;
    }
    left -= length;
    if (on) current.push_back(b);
  }
  if (on && current.size() > 1) pieces.push_back(std::move(current));
  return pieces;
}

}  // namespace

void Raster::setClip(int x0, int y0, int x1, int y1) {
  clip_x0_ = std::max(0, x0);
  clip_y0_ = std::max(0, y0);
  clip_x1_ = std::min(image_.width, x1);
  clip_y1_ = std::min(image_.height, y1);
}

void Raster::blend(int px, int py, Rgb8 colour, double alpha) {
  if (px < clip_x0_ || py < clip_y0_ || px >= clip_x1_ || py >= clip_y1_ || !(alpha > 0)) return;
  alpha = std::min(alpha, 1.0);
  Rgb8& d = image_.at(px, py);
  const auto mix = [&](std::uint8_t under, std::uint8_t over) {
    return std::uint8_t(std::lround(under + (double(over) - under) * alpha));
  };
  d = {mix(d.r, colour.r), mix(d.g, colour.g), mix(d.b, colour.b)};
}

void Raster::fillRect(double x0, double y0, double x1, double y1, Rgb8 colour) {
  if (x1 < x0) std::swap(x0, x1);
  if (y1 < y0) std::swap(y0, y1);
  const int px0 = std::max(0, int(std::floor(x0))),
            px1 = std::min(image_.width, int(std::ceil(x1)));
  const int py0 = std::max(0, int(std::floor(y0))),
            py1 = std::min(image_.height, int(std::ceil(y1)));
  for (int py = py0; py < py1; ++py) {
    const double cover_y = clampUnit(std::min(y1, py + 1.0) - std::max(y0, double(py)));
    for (int px = px0; px < px1; ++px) {
      const double cover_x = clampUnit(std::min(x1, px + 1.0) - std::max(x0, double(px)));
      blend(px, py, colour, cover_x * cover_y);
    }
  }
}

void Raster::strokePolyline(std::span<const Point> points, Rgb8 colour, double width, bool closed,
                            double dash) {
  if (points.size() < 2) return;
  std::vector<Point> path(points.begin(), points.end());
  if (closed && path.front() != path.back()) path.push_back(path.front());
  const double half = width / 2;
  for (const std::vector<Point>& piece : dashed(path, dash)) {
    double xmin = piece[0][0], xmax = xmin, ymin = piece[0][1], ymax = ymin;
    for (const Point& p : piece) {
      xmin = std::min(xmin, p[0]), xmax = std::max(xmax, p[0]);
      ymin = std::min(ymin, p[1]), ymax = std::max(ymax, p[1]);
    }
    const int px0 = std::max(0, int(std::floor(xmin - half - 1)));
    const int px1 = std::min(image_.width, int(std::ceil(xmax + half + 1)));
    const int py0 = std::max(0, int(std::floor(ymin - half - 1)));
    const int py1 = std::min(image_.height, int(std::ceil(ymax + half + 1)));
    if (px0 >= px1 || py0 >= py1) continue;
    // Coverage per pixel, the largest over the segments, blended once.
    const int w = px1 - px0;
    std::vector<float> coverage(std::size_t(w) * (py1 - py0), 0.0f);
    for (std::size_t k = 1; k < piece.size(); ++k) {
      const Point a = piece[k - 1], b = piece[k];
      const int sx0 = std::max(px0, int(std::floor(std::min(a[0], b[0]) - half - 1)));
      const int sx1 = std::min(px1, int(std::ceil(std::max(a[0], b[0]) + half + 1)));
      const int sy0 = std::max(py0, int(std::floor(std::min(a[1], b[1]) - half - 1)));
      const int sy1 = std::min(py1, int(std::ceil(std::max(a[1], b[1]) + half + 1)));
      for (int py = sy0; py < sy1; ++py)
        for (int px = sx0; px < sx1; ++px) {
          // Coverage of a pixel by a line of this width: 1 inside, a one-pixel ramp at the edge.
          const double d = distanceToSegment({px + 0.5, py + 0.5}, a, b);
          const float c = float(clampUnit(half + 0.5 - d) * std::min(1.0, width));
          float& cell = coverage[std::size_t(py - py0) * w + (px - px0)];
          cell = std::max(cell, c);
        }
    }
    for (int py = py0; py < py1; ++py)
      for (int px = px0; px < px1; ++px)
        blend(px, py, colour, coverage[std::size_t(py - py0) * w + (px - px0)]);
  }
}

}  // namespace gaussmap::figure
