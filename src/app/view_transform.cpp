#include "app/view_transform.h"

#include <algorithm>
#include <cmath>

namespace gaussmap::app {
namespace {

// Keeps zooming from reaching 0 or infinity, where the mapping stops being invertible.
constexpr double kMinUnitsPerPixel = 1e-12;
constexpr double kMaxUnitsPerPixel = 1e12;

}  // namespace

void ViewTransform::setOrientation(const Extent& extent, Origin origin) {
  x_direction_ = extent.x1 >= extent.x0 ? 1.0 : -1.0;
  const double y_up_the_rows = extent.y1 >= extent.y0 ? 1.0 : -1.0;
  // Origin lower flips the rows, so y grows upwards where it grew downwards.
  y_direction_ = origin == Origin::Upper ? y_up_the_rows : -y_up_the_rows;
}

int ViewTransform::canvasPixelWidth() const {
  return std::max(1, int(std::floor(canvas_.width)));
}

int ViewTransform::canvasPixelHeight() const {
  return std::max(1, int(std::floor(canvas_.height)));
}

Vec2 ViewTransform::screenCentre() const {
  // The centre of the whole-pixel grid, so that pixel centres map to the samples exactly.
  return {canvas_.left + 0.5 * canvasPixelWidth(), canvas_.top + 0.5 * canvasPixelHeight()};
}

void ViewTransform::fit(const Extent& extent, int scene_width, int scene_height) {
  // A single column or row samples only x0 (or y0): that is what must be shown.
  const double span_x = scene_width > 1 ? std::abs(extent.x1 - extent.x0) : 0.0;
  const double span_y = scene_height > 1 ? std::abs(extent.y1 - extent.y0) : 0.0;
  centre_.x = scene_width > 1 ? 0.5 * (extent.x0 + extent.x1) : extent.x0;
  centre_.y = scene_height > 1 ? 0.5 * (extent.y0 + extent.y1) : extent.y0;
  // First and last sample at the centres of the first and last pixel of the limiting axis.
  const double gaps_x = std::max(1, canvasPixelWidth() - 1);
  const double gaps_y = std::max(1, canvasPixelHeight() - 1);
  double upp = std::max(span_x / gaps_x, span_y / gaps_y);
  if (!(upp > 0) || !std::isfinite(upp)) upp = 1.0;  // a single sample: any scale shows it
  units_per_pixel_ = std::clamp(upp, kMinUnitsPerPixel, kMaxUnitsPerPixel);
}

void ViewTransform::zoomAround(Vec2 screen, double factor) {
  if (!(factor > 0) || !std::isfinite(factor)) return;
  const Vec2 fixed = screenToScene(screen);
  units_per_pixel_ = std::clamp(units_per_pixel_ / factor, kMinUnitsPerPixel, kMaxUnitsPerPixel);
  const Vec2 c = screenCentre();
  centre_.x = fixed.x - x_direction_ * (screen.x - c.x) * units_per_pixel_;
  centre_.y = fixed.y - y_direction_ * (screen.y - c.y) * units_per_pixel_;
}

void ViewTransform::pan(Vec2 delta) {
  centre_.x -= x_direction_ * delta.x * units_per_pixel_;
  centre_.y -= y_direction_ * delta.y * units_per_pixel_;
}

Vec2 ViewTransform::sceneToScreen(Vec2 scene) const {
  const Vec2 c = screenCentre();
  return {c.x + x_direction_ * (scene.x - centre_.x) / units_per_pixel_,
          c.y + y_direction_ * (scene.y - centre_.y) / units_per_pixel_};
}

Vec2 ViewTransform::screenToScene(Vec2 screen) const {
  const Vec2 c = screenCentre();
  return {centre_.x + x_direction_ * (screen.x - c.x) * units_per_pixel_,
          centre_.y + y_direction_ * (screen.y - c.y) * units_per_pixel_};
}

Extent ViewTransform::canvasExtent() const {
  const double w = canvasPixelWidth(), h = canvasPixelHeight();
  const Vec2 top_left = screenToScene({canvas_.left + 0.5, canvas_.top + 0.5});
  const Vec2 bottom_right = screenToScene({canvas_.left + w - 0.5, canvas_.top + h - 0.5});
  return Extent{top_left.x, bottom_right.x, top_left.y, bottom_right.y};
}

double ViewTransform::dragStep() const {
  return std::pow(10.0, std::floor(std::log10(units_per_pixel_)));
}

double roundToStep(double value, double step) {
  if (!(step > 0) || !std::isfinite(value)) return value;
  // Dividing by the exact integer 1/step gives the double nearest the decimal; multiplying by
  // 0.1 would not (2163 * 0.1 = 216.30000000000001).
  if (step < 1) {
    const double inverse = std::round(1.0 / step);
    return std::round(value * inverse) / inverse;
  }
  return std::round(value / step) * step;
}

}  // namespace gaussmap::app
