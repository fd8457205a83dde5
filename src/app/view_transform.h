#pragma once
// Between screen pixels (window coordinates, y down) and scene coordinates, for the canvas.
// The canvas shows what the PNG would show: x grows to the right when x1 >= x0; y grows downwards
// for origin "upper" (row 0 = y0 at the top, when y1 >= y0) and upwards for "lower".
#include "gaussmap/scene.h"

namespace gaussmap::app {

struct Vec2 {
  double x = 0, y = 0;
};

struct CanvasRect {
  double left = 0, top = 0;      // window pixels
  double width = 1, height = 1;  // window pixels, >= 1
};

class ViewTransform {
 public:
  // Directions from the scene: sign of (x1 - x0), sign of (y1 - y0), and the origin.
  void setOrientation(const Extent& extent, Origin origin);
  void setCanvas(const CanvasRect& canvas) { canvas_ = canvas; }
  const CanvasRect& canvas() const { return canvas_; }

  // Shows the whole extent, centred, aspect ratio kept. When the canvas has the extent's aspect
  // (|x1-x0|/(W-1) == |y1-y0|/(H-1) for W x H canvas pixels), pixel centre (i + 0.5) of the
  // canvas lies exactly on sample x_i of a render at canvas size, and canvasExtent() is the
  // extent (y0 and y1 swapped for origin lower).
  void fit(const Extent& extent, int scene_width, int scene_height);
  // Zooms by `factor` (> 1 magnifies) keeping the scene point under `screen` fixed.
  void zoomAround(Vec2 screen, double factor);
  // Moves the view by a drag of `delta` screen pixels (the scene follows the mouse).
  void pan(Vec2 delta);

  Vec2 sceneToScreen(Vec2 scene) const;
  Vec2 screenToScene(Vec2 screen) const;
  // Scene units per screen pixel (> 0).
  double unitsPerPixel() const { return units_per_pixel_; }
  // The step dragged values are rounded to: the largest power of ten not above a pixel, so a
  // drag lands within half a pixel of the mouse and saves as 216.3, not 216.29357798165137.
  double dragStep() const;
  // The extent of a render at canvas resolution whose row 0 is the canvas's top row (so it is
  // shown with origin upper whatever the scene's origin): x0 = scene x at the left column's
  // centre, x1 at the right column's, y0 = scene y at the top row's centre, y1 at the bottom
  // row's. So after fit() (see there), origin lower gives the scene's extent with y0, y1 swapped.
  Extent canvasExtent() const;
  // Whole canvas pixels: floor of the canvas size, at least 1.
  int canvasPixelWidth() const;
  int canvasPixelHeight() const;

 private:
  CanvasRect canvas_;
  Vec2 centre_;  // scene point at the canvas centre
  double units_per_pixel_ = 1.0;
  double x_direction_ = 1.0;  // +1: scene x grows to the right on screen
  double y_direction_ = 1.0;  // +1: scene y grows downwards on screen

  // The screen point that shows centre_: the middle of the whole-pixel canvas.
  Vec2 screenCentre() const;
};

// `value` rounded to a multiple of `step` (a power of ten; 0 or less: unchanged), as the double
// nearest that decimal, so its shortest round-trip form (what scene JSON writes) is short.
double roundToStep(double value, double step);

}  // namespace gaussmap::app
