#pragma once
// Antialiased drawing onto an RgbImage: the figure room's raster side. Coordinates are
// continuous pixels: pixel (px, py) covers [px, px+1) x [py, py+1), its centre at +0.5.
#include <array>
#include <span>

#include "gaussmap/image.h"

namespace gaussmap::figure {

using Point = std::array<double, 2>;

class Raster {
 public:
  explicit Raster(RgbImage& image) : image_(image), clip_x1_(image.width), clip_y1_(image.height) {}

  // Draws only inside pixels [x0, x1) x [y0, y1) from now on (the whole image at first).
  void setClip(int x0, int y0, int x1, int y1);
  void clearClip() { setClip(0, 0, image_.width, image_.height); }

  // Mixes `colour` into pixel (px, py) with coverage `alpha` in [0, 1]; outside is ignored.
  void blend(int px, int py, Rgb8 colour, double alpha);
  // Axis-aligned rectangle [x0, x1) x [y0, y1), edges antialiased.
  void fillRect(double x0, double y0, double x1, double y1, Rgb8 colour);
  // A line of `width` pixels through the points, round joins (each pixel takes its largest
  // coverage once, so joins do not darken). `dash` > 0: dashes and gaps of that many pixels.
  void strokePolyline(std::span<const Point> points, Rgb8 colour, double width, bool closed = false,
                      double dash = 0);

  RgbImage& image() { return image_; }

 private:
  RgbImage& image_;
  int clip_x0_ = 0, clip_y0_ = 0, clip_x1_, clip_y1_;
};

}  // namespace gaussmap::figure
