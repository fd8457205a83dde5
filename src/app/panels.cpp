// The side panel: files, the kernel list, the selected kernel's fields, scene settings, the
// probe, performance figures and the verify button.
#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <functional>

#include "app/viewer_state.h"
#include "core/image_compare.h"
#include "gaussmap/errors.h"
#include "gaussmap/render_outputs.h"
#include "reference/reference_renderer.h"

namespace gaussmap::app {
namespace {

// One undoable edit from a widget; a refused edit (invalid scene) is reported, not thrown.
void edit(ViewerState& s, const std::string& what, const std::function<void(Scene&)>& change,
          const std::string& merge_key = {}) {
  try {
    s.doc.apply(what, change, merge_key);
  } catch (const InputError& e) {
    s.report(e.what(), true);
  }
}

// Ends a widget's merged edit when the user lets go of it.
void endMergeIfDone(ViewerState& s) {
  if (ImGui::IsItemDeactivatedAfterEdit()) s.doc.endMerge();
}

bool dragDouble(const char* label, double* value, float speed, double lo, double hi,
                const char* format = "%.4g") {
  return ImGui::DragScalar(label, ImGuiDataType_Double, value, speed, &lo, &hi, format,
                           ImGuiSliderFlags_AlwaysClamp);
}

template <class E>
bool enumCombo(const char* label, E* value) {
  bool changed = false;
  const std::string current(toString(*value));
  if (ImGui::BeginCombo(label, current.c_str())) {
    for (auto name : allNames<E>()) {
      const bool selected = name == toString(*value);
      if (ImGui::Selectable(std::string(name).c_str(), selected)) {
        *value = *fromString<E>(name);
        changed = true;
      }
    }
    ImGui::EndCombo();
  }
  return changed;
}

void colormapPreview(const Colormap& map, float width, float height) {
  ImDrawList* list = ImGui::GetWindowDrawList();
  const ImVec2 p = ImGui::GetCursorScreenPos();
  constexpr int kSteps = 64;
  for (int k = 0; k < kSteps; ++k) {
    const Rgb8 a = colorAt(map, double(k) / kSteps), b = colorAt(map, double(k + 1) / kSteps);
    const ImU32 ca = IM_COL32(a.r, a.g, a.b, 255), cb = IM_COL32(b.r, b.g, b.b, 255);
    list->AddRectFilledMultiColor(ImVec2(p.x + width * k / kSteps, p.y),
                                  ImVec2(p.x + width * (k + 1) / kSteps, p.y + height), ca, cb, cb,
                                  ca);
  }
  ImGui::Dummy(ImVec2(width, height));
}

void filePanel(ViewerState& s) {
  if (ImGui::Button("Open...")) s.open_popup = true;
  ImGui::SameLine();
  if (ImGui::Button("Save")) {
    if (s.doc.path().empty()) {
      s.save_as_popup = true;
    } else {
      try {
        s.doc.save();
        s.report("saved " + s.doc.path(), false);
      } catch (const std::exception& e) {
        s.report(e.what(), true);
      }
    }
  }
  ImGui::SameLine();
  if (ImGui::Button("Save as...")) s.save_as_popup = true;
  ImGui::SameLine();
  if (ImGui::Button("Export...")) s.export_popup = true;
  ImGui::BeginDisabled(!s.doc.canUndo());
  if (ImGui::Button("Undo")) s.doc.undo();
  ImGui::EndDisabled();
  if (s.doc.canUndo() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Undo %s (Ctrl+Z)", s.doc.undoDescription().c_str());
  ImGui::SameLine();
  ImGui::BeginDisabled(!s.doc.canRedo());
  if (ImGui::Button("Redo")) s.doc.redo();
  ImGui::EndDisabled();
  if (s.doc.canRedo() && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Redo %s (Ctrl+Shift+Z)", s.doc.redoDescription().c_str());
}

void kernelListPanel(ViewerState& s) {
  const Scene& scene = s.doc.scene();
  ImGui::Text("%zu kernels", scene.kernels.size());
  ImGui::SameLine();
  bool markers = s.markersShown();
  if (ImGui::Checkbox("markers", &markers)) s.show_markers = markers;
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("A cross at each kernel's centre (off by default above %d kernels)",
                      kMarkerLimit);
  if (ImGui::BeginListBox("##kernels", ImVec2(-1, 110))) {
    ImGuiListClipper clipper;
    clipper.Begin(int(scene.kernels.size()));
    while (clipper.Step()) {
      for (int k = clipper.DisplayStart; k < clipper.DisplayEnd; ++k) {
        const Kernel& kernel = scene.kernels[k];
        char text[160];
        std::snprintf(text, sizeof text, "#%d %s  (%.4g, %.4g)##k%d", k + 1, kernel.label.c_str(),
                      kernel.x, kernel.y, k);
        if (ImGui::Selectable(text, s.doc.selected() == k)) s.doc.select(k);
      }
    }
    ImGui::EndListBox();
  }
  if (ImGui::Button("Add")) {
    const Extent e = scene.effectiveExtent();
    const double sigma = 0.05 * std::max(std::abs(e.x1 - e.x0), std::abs(e.y1 - e.y0));
    try {
      addKernelAt(s.doc, {0.5 * (e.x0 + e.x1), 0.5 * (e.y0 + e.y1)}, sigma > 0 ? sigma : 1.0);
    } catch (const InputError& e) {
      s.report(e.what(), true);
    }
  }
  const auto selected = s.doc.selected();
  ImGui::BeginDisabled(!selected);
  ImGui::SameLine();
  if (ImGui::Button("Duplicate") && selected) s.duplicateSelected();
  ImGui::SameLine();
  if (ImGui::Button("Delete") && selected) deleteKernel(s.doc, *selected);
  ImGui::EndDisabled();
}

void selectedKernelPanel(ViewerState& s) {
  const auto selected = s.doc.selected();
  if (!selected || *selected >= int(s.doc.scene().kernels.size())) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("Click a kernel to select it; double-click empty space to add one.");
    ImGui::PopStyleColor();
    return;
  }
  const int index = *selected;
  Kernel k = s.doc.scene().kernels[index];
  const std::string key = "kernel " + std::to_string(index) + " ";
  const double span = s.view.unitsPerPixel();
  char label[128];
  std::snprintf(label, sizeof label, "%s", k.label.c_str());
  if (ImGui::InputText("label", label, sizeof label))
    edit(
        s, "rename kernel", [&](Scene& sc) { sc.kernels[index].label = label; }, key + "label");
  endMergeIfDone(s);
  auto field = [&](const char* name, double Kernel::*member, float speed, double lo, double hi) {
    double v = k.*member;
    if (dragDouble(name, &v, speed, lo, hi)) {
      edit(
          s, std::string("edit ") + name,
          [&](Scene& sc) {
            Kernel& target = sc.kernels[index];
            if (target.cov && member != &Kernel::x && member != &Kernel::y &&
                member != &Kernel::weight)
              target.cov.reset();  // now described by sigmas and angle
            target.*member = v;
          },
          key + name);
    }
    endMergeIfDone(s);
  };
  field("x", &Kernel::x, float(span), -1e12, 1e12);
  field("y", &Kernel::y, float(span), -1e12, 1e12);
  field("sigma_x", &Kernel::sigma_x, float(span), 1e-9, 1e12);
  field("sigma_y", &Kernel::sigma_y, float(span), 1e-9, 1e12);
  field("angle_deg", &Kernel::angle_deg, 0.5f, -360.0, 360.0);
  field("weight", &Kernel::weight, 0.01f, -1e12, 1e12);
}

void scenePanel(ViewerState& s) {
  Scene sc = s.doc.scene();
  if (enumCombo("combine", &sc.combine))
    edit(s, "set combine", [&](Scene& t) { t.combine = sc.combine; });
  if (enumCombo("normalize", &sc.normalize))
    edit(s, "set normalize", [&](Scene& t) { t.normalize = sc.normalize; });
  bool has_cutoff = sc.cutoff.has_value();
  if (ImGui::Checkbox("cutoff", &has_cutoff))
    edit(s, "toggle cutoff",
         [&](Scene& t) { t.cutoff = has_cutoff ? std::optional<double>(3.0) : std::nullopt; });
  if (sc.cutoff) {
    ImGui::SameLine();
    double c = *sc.cutoff;
    ImGui::SetNextItemWidth(120);
    if (dragDouble("##cutoff value", &c, 0.02f, 0.05, 100.0))
      edit(
          s, "set cutoff", [&](Scene& t) { t.cutoff = c; }, "cutoff");
    endMergeIfDone(s);
  }
  const std::string current = sc.display.colormap;
  if (ImGui::BeginCombo("colormap", current.c_str())) {
    for (auto name : colormapNames()) {
      if (ImGui::Selectable(std::string(name).c_str(), name == current))
        edit(s, "set colormap", [&](Scene& t) { t.display.colormap = std::string(name); });
      ImGui::SameLine(110);
      colormapPreview(*findColormap(name), 120, ImGui::GetTextLineHeight());
    }
    ImGui::EndCombo();
  }
  if (const Colormap* map = findColormap(sc.display.colormap))
    colormapPreview(*map, ImGui::CalcItemWidth(), 10);
  bool auto_range = !sc.display.range;
  if (ImGui::Checkbox("auto range", &auto_range))
    edit(s, "toggle auto range", [&](Scene& t) {
      if (auto_range)
        t.display.range.reset();
      else
        t.display.range = std::array<double, 2>{s.canvas.mapping.lo, s.canvas.mapping.hi};
    });
  if (!sc.display.range) {
    ImGui::SameLine();
    int from = s.canvas_range == CanvasRange::Scene ? 0 : 1;
    ImGui::SetNextItemWidth(110);
    if (ImGui::Combo("##range from", &from, "of the scene\0of the view\0")) {
      s.canvas_range = from == 0 ? CanvasRange::Scene : CanvasRange::View;
      s.canvas.revision = ~std::uint64_t{0};  // colour again
    }
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip(
          "of the scene: the min..max of the whole scene (every frame of its animation), as "
          "`gaussmap render` and `record` colour it; colours stay put while you zoom and play.\n"
          "of the view: the min..max of what the canvas shows now; colours follow the view.");
  }
  if (sc.display.range) {
    double r[2] = {(*sc.display.range)[0], (*sc.display.range)[1]};
    if (ImGui::InputScalarN("range", ImGuiDataType_Double, r, 2, nullptr, nullptr, "%.4g"))
      edit(
          s, "set range",
          [&](Scene& t) {
            t.display.range = std::array<double, 2>{r[0], r[1]};
          },
          "range");
    endMergeIfDone(s);
  }
  if (enumCombo("scale", &sc.display.scale))
    edit(s, "set scale", [&](Scene& t) { t.display.scale = sc.display.scale; });
  if (enumCombo("origin", &sc.display.origin)) {
    edit(s, "set origin", [&](Scene& t) { t.display.origin = sc.display.origin; });
    s.view_fitted = false;
  }
  int size[2] = {sc.width, sc.height};
  if (ImGui::InputInt2("output size", size, ImGuiInputTextFlags_EnterReturnsTrue))
    edit(s, "resize", [&](Scene& t) { t.resize(size[0], size[1]); });
  const Extent e = sc.effectiveExtent();
  double ext[4] = {e.x0, e.x1, e.y0, e.y1};
  if (ImGui::InputScalarN("extent", ImGuiDataType_Double, ext, 4, nullptr, nullptr, "%.4g",
                          ImGuiInputTextFlags_EnterReturnsTrue)) {
    edit(s, "set extent", [&](Scene& t) { t.extent = Extent{ext[0], ext[1], ext[2], ext[3]}; });
    s.view_fitted = false;
  }
}

void probePanel(ViewerState& s) {
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const CanvasRect& c = s.view.canvas();
  const CanvasImage& image = s.canvas;
  if (image.shown_width < 1 || image.shown_height < 1) return;
  // Canvas pixels to samples: the same unless the image was clamped to the GL limits.
  const int i = int(std::floor((mouse.x - c.left) * image.width / image.shown_width));
  const int j = int(std::floor((mouse.y - c.top) * image.height / image.shown_height));
  if (mouse.x < c.left || mouse.y < c.top || i >= image.width || j >= image.height) {
    ImGui::TextDisabled("Move the mouse over the canvas.");
    return;
  }
  const Scene& visible = s.canvas.scene;
  const SampleGrid grid = visible.grid();
  ImGui::Text("x %.6g  y %.6g", grid.x(i), grid.y(j));
  ImGui::Text("value %.6g", double(s.canvas.values.at(i, j)));
  // The few kernels that contribute most here (exact values, for the first 5,000 kernels).
  std::vector<std::pair<double, int>> top;
  const int n = int(std::min<std::size_t>(visible.kernels.size(), 5000));
  for (int k = 0; k < n; ++k)
    if (auto v = reference::kernelValue(visible.kernels[k], visible, grid, i, j))
      top.emplace_back(std::abs(*v), k);
  const std::size_t shown = std::min<std::size_t>(top.size(), 4);
  std::partial_sort(top.begin(), top.begin() + long(shown), top.end(), std::greater<>());
  for (std::size_t r = 0; r < shown; ++r)
    ImGui::BulletText("%s: %.4g", kernelName(visible, top[r].second).c_str(), top[r].first);
}

}  // namespace

void runVerify(ViewerState& s) {
  const Scene& scene = s.doc.scene();
  VerifyResult r;
  try {
    std::unique_ptr<Renderer> gl;
    Renderer& renderer = canvasRenderer(s, gl);
    r.backend = renderer.name();
    const ImageError error = compareImages(renderer.render(scene), reference::render(scene));
    r.max_abs_error = error.max_abs;
    r.relative_error = error.relative;
    r.ok = r.relative_error <= 1e-5;
  } catch (const std::exception& e) {
    r.message = e.what();
  }
  s.canvas.revision = ~std::uint64_t{0};  // the renderer's targets now hold the full scene
  s.verify = r;
}

void exportScene(ViewerState& s, const std::string& path) {
  // As `gaussmap render` would, on the canvas's backend (the one render's auto picks here): the
  // scene at its own size and range.
  const Scene& scene = s.doc.scene();
  const OutputFormat format = outputFormatOf(path);
  std::unique_ptr<Renderer> gl;
  Renderer& renderer = canvasRenderer(s, gl);
  const FloatImage values = renderer.render(scene);
  RgbImage colours;
  if (format == OutputFormat::Png)
    colours = renderer.colorize(values, resolveValueMapping(scene.display, values.pixels),
                                *findColormap(scene.display.colormap), scene.display.origin);
  s.canvas.revision = ~std::uint64_t{0};
  writeRenderOutput(path, scene, values, &colours);
}

void drawSidePanel(ViewerState& s) {
  const ImGuiViewport* viewport = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(viewport->Pos);
  ImGui::SetNextWindowSize(ImVec2(kPanelWidth, viewport->Size.y));
  ImGui::Begin("gaussmap", nullptr,
               ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                   ImGuiWindowFlags_NoTitleBar);
  ImGui::PushItemWidth(170);
  if (ImGui::CollapsingHeader("File", ImGuiTreeNodeFlags_DefaultOpen)) filePanel(s);
  if (ImGui::CollapsingHeader("Kernels", ImGuiTreeNodeFlags_DefaultOpen)) kernelListPanel(s);
  if (ImGui::CollapsingHeader("Selected kernel", ImGuiTreeNodeFlags_DefaultOpen))
    selectedKernelPanel(s);
  if (ImGui::CollapsingHeader("Scene", ImGuiTreeNodeFlags_DefaultOpen)) scenePanel(s);
  if (ImGui::CollapsingHeader("Animation", ImGuiTreeNodeFlags_DefaultOpen)) drawAnimationPanel(s);
  if (ImGui::CollapsingHeader("Probe", ImGuiTreeNodeFlags_DefaultOpen)) probePanel(s);
  if (ImGui::CollapsingHeader("Performance", ImGuiTreeNodeFlags_DefaultOpen)) {
    const gl::GlRenderStats& st = s.renderer->stats();
    ImGui::Text("frame %.2f ms", s.frame_ms);
    if (s.canvas_cpu) {
      ImGui::Text("canvas: cpu");
    } else {
      ImGui::Text("canvas: gl, %s path, GPU %.2f ms", std::string(toString(st.path)).c_str(),
                  s.canvas.gpu_ms);
      ImGui::TextWrapped("%s", st.reason.c_str());
    }
    ImGui::TextWrapped("%s", s.canvas_backend_reason.c_str());
  }
  if (ImGui::CollapsingHeader("Verify", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (ImGui::Button("Verify against the CPU reference")) runVerify(s);
    if (s.verify) {
      const VerifyResult& v = *s.verify;
      ImGui::PushStyleColor(ImGuiCol_Text, v.ok && v.message.empty() ? ImVec4(0.3f, 0.9f, 0.3f, 1)
                                                                     : ImVec4(1, 0.35f, 0.35f, 1));
      ImGui::TextWrapped("%s", verifyText(v).c_str());
      ImGui::PopStyleColor();
    }
  }
  ImGui::PopItemWidth();
  ImGui::End();
}

}  // namespace gaussmap::app
