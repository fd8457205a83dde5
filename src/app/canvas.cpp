// The canvas: the heat map of the visible region at canvas resolution, kernel overlays, axes,
// the colour bar, and what the mouse does there.
#include <GLFW/glfw3.h>
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <numbers>
#include <tuple>
#include <utility>

#include "app/viewer_state.h"
#include "core/animation.h"
#include "gaussmap/errors.h"
#include "media/recording.h"

namespace gaussmap::app {
namespace {

ImVec2 toIm(Vec2 v) {
  return ImVec2(float(v.x), float(v.y));
}
Vec2 fromIm(ImVec2 v) {
  return Vec2{v.x, v.y};
}

bool insideCanvas(const ViewTransform& view, Vec2 p) {
  const CanvasRect& c = view.canvas();
  return p.x >= c.left && p.x < c.left + c.width && p.y >= c.top && p.y < c.top + c.height;
}

ImU32 colourOf(Rgb8 c) {
  return IM_COL32(c.r, c.g, c.b, 255);
}

// Ticks at 1, 2 or 5 times a power of ten, about `target` of them across [lo, hi].
double tickStep(double span, int target) {
  const double raw = std::abs(span) / std::max(target, 1);
  if (!(raw > 0) || !std::isfinite(raw)) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0, 10.0})
    if (raw <= m * magnitude) return m * magnitude;
  return 10 * magnitude;
}

std::string formatNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", std::abs(v) < 1e-12 ? 0.0 : v);
  return text;
}

void drawEllipse(ImDrawList* list, const ViewTransform& view, const Kernel& k, double n_sigma,
                 ImU32 colour, float thickness) {
  constexpr int kSegments = 72;
  ImVec2 points[kSegments];
  const double a = k.angle_deg * std::numbers::pi / 180.0;
  for (int s = 0; s < kSegments; ++s) {
    const double t = 2 * std::numbers::pi * s / kSegments;
    const double u = n_sigma * k.sigma_x * std::cos(t), v = n_sigma * k.sigma_y * std::sin(t);
    points[s] = toIm(view.sceneToScreen(
        {k.x + u * std::cos(a) - v * std::sin(a), k.y + u * std::sin(a) + v * std::cos(a)}));
  }
  list->AddPolyline(points, kSegments, colour, ImDrawFlags_Closed, thickness);
}

void drawAxes(ImDrawList* list, const ViewTransform& view) {
  const CanvasRect& c = view.canvas();
  const ImU32 text = IM_COL32(220, 220, 220, 255), tick = IM_COL32(160, 160, 160, 255);
  const Vec2 a = view.screenToScene({c.left, c.top});
  const Vec2 b = view.screenToScene({c.left + c.width, c.top + c.height});
  const double step_x = tickStep(b.x - a.x, int(c.width / 90));
  for (double x = std::ceil(std::min(a.x, b.x) / step_x) * step_x; x <= std::max(a.x, b.x);
       x += step_x) {
    const float sx = float(view.sceneToScreen({x, a.y}).x);
    const float y0 = float(c.top + c.height);
    list->AddLine(ImVec2(sx, y0), ImVec2(sx, y0 + 5), tick);
    const std::string label = formatNumber(x);
    list->AddText(ImVec2(sx - 3.5f * float(label.size()), y0 + 7), text, label.c_str());
  }
  const double step_y = tickStep(b.y - a.y, int(c.height / 60));
  for (double y = std::ceil(std::min(a.y, b.y) / step_y) * step_y; y <= std::max(a.y, b.y);
       y += step_y) {
    const float sy = float(view.sceneToScreen({a.x, y}).y);
    const float x0 = float(c.left);
    list->AddLine(ImVec2(x0 - 5, sy), ImVec2(x0, sy), tick);
    const std::string label = formatNumber(y);
    list->AddText(ImVec2(x0 - 8 - 7.0f * float(label.size()), sy - 7), text, label.c_str());
  }
}

void drawColourBar(ImDrawList* list, const ViewerState& s) {
  const CanvasRect& c = s.view.canvas();
  const Colormap* map = findColormap(s.doc.scene().display.colormap);
  if (!map) return;
  const float left = float(c.left + c.width) + kColourBarGap, width = kColourBarBarWidth;
  const float top = float(c.top), height = float(c.height);
  constexpr int kSteps = 128;
  for (int k = 0; k < kSteps; ++k) {  // top of the bar = t 1
    const float y0 = top + height * k / kSteps, y1 = top + height * (k + 1) / kSteps;
    const ImU32 hi = colourOf(colorAt(*map, 1.0 - double(k) / kSteps));
    const ImU32 lo = colourOf(colorAt(*map, 1.0 - double(k + 1) / kSteps));
    list->AddRectFilledMultiColor(ImVec2(left, y0), ImVec2(left + width, y1), hi, hi, lo, lo);
  }
  list->AddRect(ImVec2(left, top), ImVec2(left + width, top + height),
                IM_COL32(200, 200, 200, 255));
  const ValueMapping& m = s.canvas.mapping;
  for (int k = 0; k <= 4; ++k) {
    const double t = k / 4.0;
    // The value at position t, inverting ValueMapping::position for the label.
    double v = m.lo + t * (m.hi - m.lo);
    if (m.scale == Scale::Sqrt) v = m.lo + t * t * (m.hi - m.lo);
    if (m.scale == Scale::Log && m.lo > 0) v = m.lo * std::pow(m.hi / m.lo, t);
    const float y = top + height * float(1 - t);
    list->AddLine(ImVec2(left + width, y), ImVec2(left + width + kColourBarTick, y),
                  IM_COL32(200, 200, 200, 255));
    list->AddText(ImVec2(left + width + kColourBarTick + kColourBarLabelGap, y - 7),
                  IM_COL32(220, 220, 220, 255), formatNumber(v).c_str());
  }
  // Where the range comes from, under the bar: it decides whether colours move while zooming.
  const char* source = s.doc.scene().display.range            ? "fixed range"
                       : s.canvas_range == CanvasRange::Scene ? "scene range"
                                                              : "view range";
  list->AddText(ImVec2(left - 4, top + height + 8), IM_COL32(160, 160, 160, 255), source);
}

// The last message on one line under the axis labels (red for errors, its first line, cut to
// the window's width); the whole text in a tooltip.
void drawStatusLine(ImDrawList* list, const ViewerState& s) {
  if (s.status.empty()) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const float left = kPanelWidth + 8, top = display.y - kStatusLineHeight + 3;
  const float room = display.x - left - 8;
  std::string line = s.status_is_error ? "error: " : "";
  line += s.status.substr(0, s.status.find('\n'));
  if (ImGui::CalcTextSize(line.c_str()).x > room) {
    while (!line.empty() && ImGui::CalcTextSize((line + "...").c_str()).x > room) line.pop_back();
    line += "...";
  }
  list->AddText(ImVec2(left, top),
                s.status_is_error ? IM_COL32(255, 96, 96, 255) : IM_COL32(170, 230, 170, 255),
                line.c_str());
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  if (mouse.x >= left && mouse.y >= top && !ImGui::GetIO().WantCaptureMouse)
    ImGui::SetTooltip("%s", s.status.c_str());
}

}  // namespace

void updateCanvasLayout(ViewerState& s, float window_width, float window_height) {
  CanvasRect c;
  c.left = kPanelWidth + kAxisLeft;
  c.top = kCanvasTop;
  c.width = std::max(1.0f, window_width - kPanelWidth - kAxisLeft - kColourBarWidth);
  c.height = std::max(1.0f, window_height - kCanvasTop - kAxisBottom - kStatusLineHeight);
  const Scene& scene = s.doc.scene();
  s.view.setOrientation(scene.effectiveExtent(), scene.display.origin);
  const bool resized = c.width != s.view.canvas().width || c.height != s.view.canvas().height;
  s.view.setCanvas(c);
  if (!s.view_fitted || resized) {
    s.view.fit(scene.effectiveExtent(), scene.width, scene.height);
    s.view_fitted = true;
  }
}

namespace {

// `width` x `height` scaled down, aspect kept, to at most `limit` samples (each at least 1).
std::pair<int, int> shrunkTo(int width, int height, std::int64_t limit) {
  const double shrink = std::sqrt(double(limit) / (double(width) * height));
  return {std::max(1, int(width * shrink)), std::max(1, int(height * shrink))};
}

// The scene's own colour range for the canvas: the rule of one `render` of the whole scene at its
// size (on a coarser grid over the same extent beyond kLockedRangeSamples), over the frames a
// recording at its fps has (at most kLockedRangeFrames, spread evenly), as `record` colours them.
// Found on the canvas's renderer, for a scene without a fixed range.
constexpr std::int64_t kLockedRangeSamples = std::int64_t{1} << 20;
constexpr int kLockedRangeFrames = 120;

ValueMapping sceneColourRange(ViewerState& s) {
  Scene scene = s.doc.animatedScene();
  if (std::int64_t(scene.width) * scene.height > kLockedRangeSamples) {
    scene.extent = scene.effectiveExtent();
    auto [w, h] = shrunkTo(scene.width, scene.height, kLockedRangeSamples);
    scene.resize(std::max(2, w), std::max(2, h));
  }
  const double duration = animationDuration(scene);
  const double fps = animationFps(scene);
  const double count = duration > 0 ? recordingFrameCount(duration, fps) : 1;
  const int frames = int(std::clamp(count, 1.0, double(kLockedRangeFrames)));
  const double step = count <= kLockedRangeFrames ? 1 / fps : duration / frames;
  std::unique_ptr<Renderer> gl;
  Renderer& renderer = canvasRenderer(s, gl);
  RangeAccumulator range(scene.display);
  for (int k = 0; k < frames; ++k) range.add(renderer.render(sceneAtTime(scene, k * step)).pixels);
  return range.mapping();
}

}  // namespace

Renderer& canvasRenderer(ViewerState& s, std::unique_ptr<Renderer>& gl) {
  if (s.canvas_cpu) return *s.canvas_cpu;
  gl = std::make_unique<gl::GlRendererAdapter>(*s.window, *s.renderer, s.gl_path);
  return *gl;
}

void renderCanvasIfNeeded(ViewerState& s) {
  const Extent extent = s.view.canvasExtent();
  const int shown_w = s.view.canvasPixelWidth(), shown_h = s.view.canvasPixelHeight();
  // At most the context's largest render target and the scene limit of samples: a window
  // resized beyond them (32000 x 32000) shows the image scaled up instead of failing.
  const gl::Capabilities& caps = s.window->caps();
  int w = std::min(shown_w, caps.maxTargetWidth()), h = std::min(shown_h, caps.maxTargetHeight());
  if (std::int64_t(w) * h > kMaxPixels) std::tie(w, h) = shrunkTo(w, h, kMaxPixels);
  CanvasImage& c = s.canvas;
  // The locked range follows edits, but not each step of a drag (it would double the drag's
  // cost): it is found again once the drag or the widget is let go.
  const bool lock = s.canvas_range == CanvasRange::Scene && !s.doc.scene().display.range;
  const bool editing = s.drag.handle != HandleKind::None || ImGui::IsAnyItemActive();
  const bool find_lock = lock && s.locked_range.scene_revision != s.doc.sceneRevision() &&
                         (!editing || s.locked_range.scene_revision == ~std::uint64_t{0});
  if (!find_lock && c.revision == s.doc.revision() && c.extent == extent && c.width == w &&
      c.height == h && c.shown_width == shown_w && c.shown_height == shown_h)
    return;
  s.lap(FrameStage::Ui);  // what came before in this frame
  if (find_lock) {
    s.locked_range = {s.doc.sceneRevision(), sceneColourRange(s)};
    s.lap(FrameStage::CanvasColour);
  }
  // The visible region at canvas resolution: row 0 is the canvas's top row.
  Scene visible = s.doc.scene();
  visible.width = w;
  visible.height = h;
  visible.extent = extent;
  if (s.canvas_cpu) {
    c.values = s.canvas_cpu->render(visible);
    s.renderer->uploadValues(c.values);
  } else {
    s.renderer->render(visible, s.gl_path);
    c.values = s.renderer->readValues();
  }
  s.lap(FrameStage::CanvasValues);
  c.mapping = lock ? s.locked_range.mapping : resolveValueMapping(visible.display, c.values.pixels);
  s.lap(FrameStage::CanvasColour);
  if (s.frame_stats) s.frame_stats->markCanvasRendered();
  c.gpu_ms = s.canvas_cpu ? -1 : s.renderer->stats().gpu_render_ms;
  c.scene = std::move(visible);
  c.revision = s.doc.revision();
  c.extent = extent;
  c.width = w;
  c.height = h;
  c.shown_width = shown_w;
  c.shown_height = shown_h;
}

void drawCanvas(ViewerState& s) {
  ImDrawList* list = ImGui::GetBackgroundDrawList();
  const CanvasRect& c = s.view.canvas();
  const ImVec2 top_left(float(c.left), float(c.top));
  const ImVec2 bottom_right(float(c.left + s.canvas.shown_width),
                            float(c.top + s.canvas.shown_height));
  // The heat map itself is copied into the window before the UI is drawn (drawCanvasUnderlay).
  list->PushClipRect(top_left, bottom_right, true);
  // The scene's extent, so the exported region is visible while zoomed out.
  const Scene& scene = s.doc.scene();
  const Extent e = scene.effectiveExtent();
  list->AddRect(toIm(s.view.sceneToScreen({std::min(e.x0, e.x1), std::min(e.y0, e.y1)})),
                toIm(s.view.sceneToScreen({std::max(e.x0, e.x1), std::max(e.y0, e.y1)})),
                IM_COL32(255, 255, 255, 90));
  const int shown = s.markersShown() ? int(scene.kernels.size()) : 0;
  for (int k = 0; k < shown; ++k) {
    const ImVec2 p = toIm(s.view.sceneToScreen({scene.kernels[k].x, scene.kernels[k].y}));
    if (p.x < top_left.x - 5 || p.x > bottom_right.x + 5 || p.y < top_left.y - 5 ||
        p.y > bottom_right.y + 5)
      continue;
    list->AddLine(ImVec2(p.x - 4, p.y), ImVec2(p.x + 5, p.y), IM_COL32(255, 255, 255, 160));
    list->AddLine(ImVec2(p.x, p.y - 4), ImVec2(p.x, p.y + 5), IM_COL32(255, 255, 255, 160));
  }
  if (auto sel = s.doc.selected(); sel && *sel < int(scene.kernels.size())) {
    const Kernel& k = scene.kernels[*sel];
    for (double n : {1.0, 2.0, 3.0})
      drawEllipse(list, s.view, k, n, IM_COL32(255, 255, 255, n == 2.0 ? 230 : 140),
                  n == 1.0 ? 2.0f : 1.0f);
    const KernelHandles h = kernelHandles(k);
    const ImU32 handle = IM_COL32(255, 200, 40, 255);
    const ImVec2 centre = toIm(s.view.sceneToScreen(h.centre));
    list->AddCircleFilled(centre, 4.5f, handle);
    for (Vec2 p : {h.sigma_x, h.sigma_y}) {
      const ImVec2 q = toIm(s.view.sceneToScreen(p));
      list->AddLine(centre, q, IM_COL32(255, 200, 40, 120));
      list->AddRectFilled(ImVec2(q.x - 4, q.y - 4), ImVec2(q.x + 4, q.y + 4), handle);
    }
    list->AddCircle(toIm(s.view.sceneToScreen(h.rotate)), 6.0f, handle, 16, 2.0f);
  }
  list->PopClipRect();
  drawAxes(list, s.view);
  drawColourBar(list, s);
  drawStatusLine(list, s);
}

void ViewerState::duplicateSelected() {
  if (!doc.selected()) return;
  const Vec2 a = view.screenToScene({0, 0}), b = view.screenToScene({16, 16});
  try {
    duplicateKernel(
        doc, *doc.selected(),
        {roundToStep(b.x - a.x, view.dragStep()), roundToStep(b.y - a.y, view.dragStep())});
  } catch (const InputError& e) {
    report(e.what(), true);
  }
}

void drawCanvasUnderlay(ViewerState& s, int framebuffer_height) {
  const CanvasRect& c = s.view.canvas();
  if (s.canvas.shown_width == 0) return;  // nothing rendered yet
  s.renderer->drawColours(s.canvas.mapping, *findColormap(s.canvas.scene.display.colormap),
                          int(c.left), int(c.top), s.canvas.shown_width, s.canvas.shown_height,
                          framebuffer_height);
}

void handleCanvasMouse(ViewerState& s) {
  ImGuiIO& io = ImGui::GetIO();
  const Vec2 mouse = fromIm(io.MousePos);
  const bool dragging = s.drag.handle != HandleKind::None;
  // Every left press counts towards a double-click, wherever it lands.
  std::vector<std::pair<Vec2, int>> presses;  // where, and its click count
  for (const gl::MousePress& p : s.mouse_presses)
    if (p.button == GLFW_MOUSE_BUTTON_LEFT)
      presses.emplace_back(Vec2{p.x, p.y},
                           s.left_clicks.press(p.time, Vec2{p.x, p.y}, s.presses_queued));
  if (io.WantCaptureMouse && !dragging) return;
  const bool over = insideCanvas(s.view, mouse);

  // Zoom around the cursor; pan with the right or middle button.
  if (over && io.MouseWheel != 0.0f) s.view.zoomAround(mouse, std::pow(1.15, io.MouseWheel));
  if ((io.MouseDown[1] || io.MouseDown[2]) && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) &&
      (over || ImGui::IsMouseDragging(1) || ImGui::IsMouseDragging(2)))
    s.view.pan(fromIm(io.MouseDelta));

  try {
    // Each press where it happened: a quick double-click may bring both presses in one frame.
    for (const auto& [at, clicks] : presses) {
      if (!insideCanvas(s.view, at)) continue;
      const Hit hit = hitTest(s.doc.scene(), s.doc.selected(), s.view, at, 8.0);
      if (hit.kernel >= 0) {
        s.doc.select(hit.kernel);
        const Vec2 grabbed = s.view.screenToScene(at);
        const Kernel& k = s.doc.scene().kernels[std::size_t(hit.kernel)];
        s.drag = DragState{hit.handle,
                           hit.kernel,
                           grabbed,
                           {k.x - grabbed.x, k.y - grabbed.y},
                           "drag " + std::to_string(++s.drag_counter)};
      } else if (clicks == 2) {
        const double sigma = 0.05 * s.view.unitsPerPixel() * s.view.canvas().width;
        addKernelAt(s.doc, s.view.screenToScene(at), sigma);
        s.report("added a kernel", false);
      } else {
        s.doc.select(std::nullopt);
      }
    }
    if (presses.empty() && dragging && io.MouseDown[0]) {
      const Vec2 now = s.view.screenToScene(mouse);
      if (s.drag.handle == HandleKind::Centre) {
        // The centre follows the mouse where it was grabbed, rounded to the drag step.
        const double step = s.view.dragStep();
        if (now.x != s.drag.last_scene.x || now.y != s.drag.last_scene.y)
          moveKernelTo(s.doc, s.drag.kernel,
                       {roundToStep(now.x + s.drag.grab_offset.x, step),
                        roundToStep(now.y + s.drag.grab_offset.y, step)},
                       s.drag.merge_key);
      } else if (now.x != s.drag.last_scene.x || now.y != s.drag.last_scene.y) {
        dragHandle(s.doc, s.drag.kernel, s.drag.handle, now, s.drag.merge_key, s.view.dragStep());
      }
      s.drag.last_scene = now;
    }
  } catch (const InputError& e) {
    s.report(e.what(), true);  // e.g. a union kernel pushed above 1: the edit is refused
  }
  if (dragging && !io.MouseDown[0]) {
    s.doc.endMerge();
    s.drag = DragState{};
  }
}

}  // namespace gaussmap::app
