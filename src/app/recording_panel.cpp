// The animation panel: play/pause, the time slider, auto-key, and recording in the background
// (one frame per UI frame, through the same Recording as `gaussmap record`).
#include <imgui.h>

#include <chrono>
#include <cmath>

#include "app/viewer_state.h"
#include "core/animation.h"
#include "gaussmap/errors.h"

namespace gaussmap::app {
namespace {

// The slider's length: the scene's duration, or 5 s for a still scene about to be keyed.
double timelineLength(const Scene& animated) {
  const double d = animationDuration(animated);
  return d > 0 ? d : 5.0;
}

}  // namespace

void advanceAnimation(ViewerState& s, double seconds) {
  if (s.recording) {
    // A slice of the frame budget for recording; the UI stays responsive between slices.
    const auto start = std::chrono::steady_clock::now();
    try {
      while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(30)) {
        if (!s.recording->step()) {
          s.report("recorded " + std::to_string(s.recording->framesWritten()) + " frames to " +
                       s.record_output,
                   false);
          s.recording.reset();
          break;
        }
      }
    } catch (const std::exception& e) {
      s.recording->abandon();
      s.recording.reset();
      s.report(std::string("recording failed: ") + e.what(), true);
    }
    s.canvas.revision = ~std::uint64_t{0};  // the renderer's targets held recording frames
  }
  if (s.playing) {
    const double length = timelineLength(s.doc.animatedScene());
    s.doc.setTime(std::fmod(s.doc.time() + seconds, length));
  }
}

void startRecording(ViewerState& s) {
  if (s.recording) return;
  try {
    Scene scene = s.doc.animatedScene();
    if (s.record_size[0] > 0 && s.record_size[1] > 0 &&
        (s.record_size[0] != scene.width || s.record_size[1] != scene.height))
      scene.resize(s.record_size[0], s.record_size[1]);
    validateScene(scene);
    const RecordPlan plan =
        planRecording(scene, s.record_output, s.record_fps, std::nullopt, std::nullopt);
    s.record_renderer = std::make_unique<gl::GlRendererAdapter>(*s.window, *s.renderer, s.gl_path);
    s.recording = std::make_unique<Recording>(std::move(scene), plan, *s.record_renderer);
    s.report("recording " + std::to_string(plan.frames) + " frames to " + plan.output, false);
  } catch (const std::exception& e) {
    s.report(std::string("cannot record: ") + e.what(), true);
  }
}

void drawAnimationPanel(ViewerState& s) {
  const Scene& animated = s.doc.animatedScene();
  const double length = timelineLength(animated);
  if (ImGui::Button(s.playing ? "Pause" : "Play")) s.playing = !s.playing;
  ImGui::SameLine();
  double t = s.doc.time();
  const double zero = 0;
  ImGui::SetNextItemWidth(200);
  if (ImGui::SliderScalar("t (s)", ImGuiDataType_Double, &t, &zero, &length, "%.3f"))
    s.doc.setTime(t);
  bool auto_key = s.doc.autoKey();
  if (ImGui::Checkbox("auto-key", &auto_key)) s.doc.setAutoKey(auto_key);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Edits at the current time set or update a key there");
  int keys = 0;
  for (const Kernel& k : animated.kernels) keys += int(k.keys.size());
  ImGui::SameLine();
  ImGui::TextDisabled("%d keys, %.3g s at %g fps", keys, animationDuration(animated),
                      animationFps(animated));

  ImGui::Separator();
  ImGui::TextUnformatted("Record");
  char output[512];
  std::snprintf(output, sizeof output, "%s", s.record_output.c_str());
  if (ImGui::InputText("output", output, sizeof output)) s.record_output = output;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip(".mp4, .webm, .gif or frames/f_%%05d.png");
  ImGui::InputDouble("fps", &s.record_fps, 1, 10, "%.3g");
  if (s.record_size[0] == 0) {
    s.record_size[0] = animated.width;
    s.record_size[1] = animated.height;
  }
  ImGui::InputInt2("size", s.record_size);
  if (s.recording) {
    const float done = float(s.recording->stepsDone()) / float(s.recording->stepsTotal());
    ImGui::ProgressBar(done, ImVec2(200, 0), s.recording->inRangePass() ? "range pass" : "frames");
    ImGui::SameLine();
    if (ImGui::Button("Stop")) {
      s.report(s.recording->stopEarly(), false);
      s.recording.reset();
    }
  } else if (ImGui::Button("Record (Ctrl+R)")) {
    startRecording(s);
  }
}

}  // namespace gaussmap::app
