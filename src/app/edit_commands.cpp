#include "app/edit_commands.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numbers>
#include <set>
#include <string>

#include "gaussmap/errors.h"

namespace gaussmap::app {
namespace {

void requireKernel(const Document& doc, int index) {
  const int count = int(doc.scene().kernels.size());
  if (index < 0 || index >= count)
    throw InputError("kernel " + std::to_string(index) + " does not exist (the scene has " +
                     std::to_string(count) + " kernels)");
}

// The kernel's own unit axes in scene coordinates.
Vec2 axisX(const Kernel& k) {
  const double a = k.angle_deg * std::numbers::pi / 180.0;
  return {std::cos(a), std::sin(a)};
}

Vec2 axisY(const Kernel& k) {
  const double a = k.angle_deg * std::numbers::pi / 180.0;
  return {-std::sin(a), std::cos(a)};
}

double dot(Vec2 a, Vec2 b) {
  return a.x * b.x + a.y * b.y;
}

// Squared Mahalanobis distance of a scene point from the kernel (d^T Sigma^-1 d).
double mahalanobis2(const Kernel& k, Vec2 p) {
  const Covariance c = k.covariance();
  const double dx = p.x - k.x, dy = p.y - k.y;
  return (c.yy * dx * dx - 2.0 * c.xy * dx * dy + c.xx * dy * dy) / c.det();
}

std::string freeLabel(const Scene& scene) {
  std::set<std::string> used;
  for (const Kernel& k : scene.kernels) used.insert(k.label);
  for (std::size_t n = scene.kernels.size() + 1;; ++n) {
    std::string label = "kernel " + std::to_string(n);
    if (!used.count(label)) return label;
  }
}

// The smallest sigma a drag may set beside `other_sigma`: a drag through the centre stops at
// the scene's limits (core/scene.h: sigmas in sample steps, the ratio of the sigmas) instead of
// producing a kernel the renderers cannot resolve, which validation would refuse.
double minimumSigma(const Scene& scene, const Kernel& k, double other_sigma) {
  const SampleGrid grid = scene.grid();
  const double step = std::max({std::abs(grid.dx()), std::abs(grid.dy()), 0.0});
  const bool rotated = std::fmod(k.angle_deg, 90.0) != 0.0;
  const double steps = rotated ? kMinRotatedSigmaSteps : kMinSigmaSteps;
  const double floor = std::max({other_sigma / kMaxSigmaRatio, steps * step, kMinMagnitude});
  return floor * (1.0 + 1e-9);  // just inside, after the rounding of the checks
}

}  // namespace

void addKernelAt(Document& doc, Vec2 scene_point, double sigma) {
  Kernel k;
  k.x = scene_point.x;
  k.y = scene_point.y;
  k.sigma_x = k.sigma_y = sigma;
  k.label = freeLabel(doc.scene());
  const Scene& scene = doc.scene();
  // A pdf's top is weight / (2 pi sigma^2): union needs it within [0, 1], with a margin for the
  // rounding of validateScene's own computation of that top.
  if (scene.combine == Combine::Union && scene.normalize == Normalize::Pdf)
    k.weight = std::min(1.0, 2.0 * std::numbers::pi * sigma * sigma * (1.0 - 1e-12));
  const int index = int(scene.kernels.size());
  doc.apply("Add kernel", [&](Scene& s) { s.kernels.push_back(k); });
  doc.select(index);
}

void duplicateKernel(Document& doc, int index, Vec2 offset) {
  requireKernel(doc, index);
  doc.apply("Duplicate kernel", [&](Scene& s) {
    Kernel copy = s.kernels[std::size_t(index)];
    if (!copy.label.empty()) copy.label += " copy";
    copy.x += offset.x;
    copy.y += offset.y;
    for (KernelKey& key : copy.keys) {
      if (key[AnimatedField::X]) *key[AnimatedField::X] += offset.x;
      if (key[AnimatedField::Y]) *key[AnimatedField::Y] += offset.y;
    }
    s.kernels.insert(s.kernels.begin() + index + 1, copy);
  });
  doc.select(index + 1);
}

void deleteKernel(Document& doc, int index) {
  requireKernel(doc, index);
  const std::optional<int> before = doc.selected();
  doc.apply("Delete kernel", [&](Scene& s) { s.kernels.erase(s.kernels.begin() + index); });
  const int count = int(doc.scene().kernels.size());
  std::optional<int> after;
  if (before && *before < index) {
    after = before;
  } else if (before && *before > index) {
    after = *before - 1;
  } else if (before) {  // the deleted kernel was selected: its successor took its index
    if (index < count)
      after = index;
    else if (count > 0)
      after = count - 1;
  }
  doc.select(after);
}

void moveKernel(Document& doc, int index, Vec2 delta, const std::string& merge_key) {
  requireKernel(doc, index);
  if (delta.x == 0.0 && delta.y == 0.0) return;
  doc.apply(
      "Move kernel",
      [&](Scene& s) {
        Kernel& k = s.kernels[std::size_t(index)];
        k.x += delta.x;
        k.y += delta.y;
      },
      merge_key);
}

void moveKernelTo(Document& doc, int index, Vec2 centre, const std::string& merge_key) {
  requireKernel(doc, index);
  const Kernel& k = doc.scene().kernels[std::size_t(index)];
  if (k.x == centre.x && k.y == centre.y) return;
  doc.apply(
      "Move kernel",
      [&](Scene& s) {
        Kernel& moved = s.kernels[std::size_t(index)];
        moved.x = centre.x;
        moved.y = centre.y;
      },
      merge_key);
}

void setKernelShape(Document& doc, int index, double sigma_x, double sigma_y, double angle_deg,
                    const std::string& merge_key) {
  requireKernel(doc, index);
  doc.apply(
      "Change kernel shape",
      [&](Scene& s) {
        Kernel& k = s.kernels[std::size_t(index)];
        // A `cov` kernel already holds its eigen-decomposition in the sigmas and angle.
        k.cov.reset();
        k.sigma_x = sigma_x;
        k.sigma_y = sigma_y;
        k.angle_deg = angle_deg;
      },
      merge_key);
}

KernelHandles kernelHandles(const Kernel& kernel) {
  const Vec2 ux = axisX(kernel), uy = axisY(kernel);
  const Vec2 c{kernel.x, kernel.y};
  KernelHandles h;
  h.centre = c;
  h.sigma_x = {c.x + 2.0 * kernel.sigma_x * ux.x, c.y + 2.0 * kernel.sigma_x * ux.y};
  h.sigma_y = {c.x + 2.0 * kernel.sigma_y * uy.x, c.y + 2.0 * kernel.sigma_y * uy.y};
  h.rotate = {c.x + 2.6 * kernel.sigma_x * ux.x, c.y + 2.6 * kernel.sigma_x * ux.y};
  return h;
}

Hit hitTest(const Scene& scene, std::optional<int> selected, const ViewTransform& view,
            Vec2 screen_point, double radius_px) {
  const int count = int(scene.kernels.size());
  auto screenDistance = [&](Vec2 scene_point) {
    const Vec2 s = view.sceneToScreen(scene_point);
    return std::hypot(s.x - screen_point.x, s.y - screen_point.y);
  };

  if (selected && *selected >= 0 && *selected < count) {
    const KernelHandles h = kernelHandles(scene.kernels[std::size_t(*selected)]);
    const std::array<std::pair<HandleKind, Vec2>, 4> handles{{{HandleKind::Rotate, h.rotate},
                                                              {HandleKind::SigmaX, h.sigma_x},
                                                              {HandleKind::SigmaY, h.sigma_y},
                                                              {HandleKind::Centre, h.centre}}};
    Hit best;
    double best_distance = std::numeric_limits<double>::infinity();
    for (const auto& [kind, position] : handles) {
      const double d = screenDistance(position);
      if (d <= radius_px && d < best_distance) {
        best = Hit{*selected, kind};
        best_distance = d;
      }
    }
    if (best.kernel >= 0) return best;
  }

  // Any kernel's centre within the radius: kernels a few pixels wide, or nested in a larger
  // one, can still be picked by their centre.
  Hit best;
  double best_distance = std::numeric_limits<double>::infinity();
  for (int i = 0; i < count; ++i) {
    const Kernel& k = scene.kernels[std::size_t(i)];
    const double d = screenDistance({k.x, k.y});
    if (d <= radius_px && d < best_distance) {
      best = Hit{i, HandleKind::Centre};
      best_distance = d;
    }
  }
  if (best.kernel >= 0) return best;

  const Vec2 p = view.screenToScene(screen_point);
  double best_m2 = std::numeric_limits<double>::infinity();
  for (int i = 0; i < count; ++i) {
    const double m2 = mahalanobis2(scene.kernels[std::size_t(i)], p);
    if (m2 <= 1.0 && m2 < best_m2) {
      best = Hit{i, HandleKind::Centre};
      best_m2 = m2;
    }
  }
  return best;
}

void dragHandle(Document& doc, int index, HandleKind handle, Vec2 scene_point,
                const std::string& merge_key, double step) {
  requireKernel(doc, index);
  const Kernel k = doc.scene().kernels[std::size_t(index)];
  const Vec2 d{scene_point.x - k.x, scene_point.y - k.y};
  switch (handle) {
    case HandleKind::None:
      return;
    case HandleKind::Centre:
      moveKernel(doc, index, d, merge_key);
      return;
    case HandleKind::SigmaX: {
      // Only the projection on the kernel's own axis counts, so stretching never rotates.
      const double sigma = std::max(roundToStep(std::abs(dot(d, axisX(k))) / 2.0, step),
                                    minimumSigma(doc.scene(), k, k.sigma_y));
      setKernelShape(doc, index, sigma, k.sigma_y, k.angle_deg, merge_key);
      return;
    }
    case HandleKind::SigmaY: {
      const double sigma = std::max(roundToStep(std::abs(dot(d, axisY(k))) / 2.0, step),
                                    minimumSigma(doc.scene(), k, k.sigma_x));
      setKernelShape(doc, index, k.sigma_x, sigma, k.angle_deg, merge_key);
      return;
    }
    case HandleKind::Rotate: {
      if (d.x == 0.0 && d.y == 0.0) return;  // no direction at the centre itself
      double angle = std::atan2(d.y, d.x) * 180.0 / std::numbers::pi;
      if (step > 0) angle = roundToStep(angle, 0.1);
      if (angle <= -180.0) angle += 360.0;
      setKernelShape(doc, index, k.sigma_x, k.sigma_y, angle, merge_key);
      return;
    }
  }
}

}  // namespace gaussmap::app
