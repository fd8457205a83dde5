#pragma once
// The viewer's edits, as functions on a Document (each one undo step): what the canvas and the
// panels call. Kernel indices refer to scene().kernels; an index that is not a kernel, or an
// edit whose result is invalid (say a union value above 1), throws InputError and changes nothing.
#include "app/document.h"
#include "app/view_transform.h"

namespace gaussmap::app {

// Adds a kernel at a scene point with both sigmas `sigma` (the caller picks it from the
// visible width), labelled "kernel N", and selects it. Its weight is 1, lowered for combine
// union with pdf so that its largest value stays within [0, 1].
void addKernelAt(Document& doc, Vec2 scene_point, double sigma);
// Inserts a copy right after the kernel (its shape, label + " copy", the centre moved by
// `offset` in scene units, keys too, so the copy is not hidden under the original) and selects it.
void duplicateKernel(Document& doc, int index, Vec2 offset = {});
// Removes the kernel; a selection on it moves to a neighbour (the next, else the previous) or
// clears, and a selection after it follows its kernel.
void deleteKernel(Document& doc, int index);
// Moves the kernel's centre by a scene-space delta; consecutive moves of one drag merge. A zero
// delta (a click without motion) adds no step.
void moveKernel(Document& doc, int index, Vec2 delta, const std::string& merge_key);
// Puts the kernel's centre exactly at `centre` (a drag's rounded target); merges like moveKernel,
// and adds no step when it is there already.
void moveKernelTo(Document& doc, int index, Vec2 centre, const std::string& merge_key);
// Sets sigma_x or sigma_y (the kernel's own axes) and/or the angle; a `cov` kernel is turned
// into the equivalent sigmas and angle first.
void setKernelShape(Document& doc, int index, double sigma_x, double sigma_y, double angle_deg,
                    const std::string& merge_key);

// What lies under the mouse on the canvas.
enum class HandleKind { None, Centre, SigmaX, SigmaY, Rotate };
struct Hit {
  int kernel = -1;
  HandleKind handle = HandleKind::None;
};

// Handle positions of a kernel in scene coordinates: the centre, the ends of its 2-sigma
// ellipse's own x and y axes (stretch), and a rotation handle beyond the x-axis end.
struct KernelHandles {
  Vec2 centre, sigma_x, sigma_y, rotate;
};
KernelHandles kernelHandles(const Kernel& kernel);

// Handles of the selected kernel first: the nearest within `radius_px` screen pixels, ties in
// the order rotate, sigma_x, sigma_y, centre. Then, as Centre: any kernel whose centre lies
// within `radius_px` (the nearest on screen; so kernels a few pixels wide, or nested in a larger
// one, can be picked), else any kernel whose 1-sigma ellipse contains the point (the smallest
// Mahalanobis distance wins). Ties go to the lower index.
Hit hitTest(const Scene& scene, std::optional<int> selected, const ViewTransform& view,
            Vec2 screen_point, double radius_px);

// The new shape when a handle is dragged to `scene_point`: stretching sets that axis's sigma to
// half the point's projection on the kernel's own axis (the handle sits at 2 sigma; at least
// 1e-6 of the extent's larger side), keeping the angle; rotating sets angle_deg to the direction
// from the centre to the point, in (-180, 180]. Centre moves the centre onto the point; None
// does nothing.
// With `step` > 0 (ViewTransform::dragStep), the new sigma is rounded to it and the angle to
// 0.1 degree, so saved values stay short.
void dragHandle(Document& doc, int index, HandleKind handle, Vec2 scene_point,
                const std::string& merge_key, double step = 0);

}  // namespace gaussmap::app
