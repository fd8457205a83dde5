#include "core/recording.h"

#include <algorithm>
#include <cmath>

#include "core/animation.h"
#include "core/atomic_file.h"
#include "core/errors.h"
#include "core/scene_json.h"

namespace gaussmap {

RecordPlan planRecording(const Scene& scene, const std::string& output, std::optional<double> fps,
                         std::optional<int> frames, std::optional<double> duration) {
  RecordPlan plan;
  plan.output = output;
  const SinkKind kind = sinkKindOf(output);
  plan.fps = fps.value_or(animationFps(scene));
  if (!(std::isfinite(plan.fps) && plan.fps > 0 && plan.fps <= 1000))
    throw InputError("--fps: must be within (0, 1000]");
  if (frames && duration) throw InputError("give either --frames or --duration, not both");
  if (frames) {
    if (*frames < 1) throw InputError("--frames: must be at least 1");
    plan.frames = *frames;
  } else {
    const double seconds = duration.value_or(animationDuration(scene));
    if (duration && !(std::isfinite(*duration) && *duration > 0))
      throw InputError("--duration: must be > 0 seconds");
    if (!(seconds > 0))
      throw InputError("nothing to record: the scene has no keys and no duration; give "
                       "--frames N or --duration S");
    // Frames at 0, 1/fps, ... before the end: S seconds at F fps are S*F frames, as in any video
    // (a looping animation's last key equals its first and is not shown twice).
    plan.frames = std::max(1, int(std::ceil(seconds * plan.fps - 1e-9)));
  }
  if (plan.frames > 1000000) throw InputError("--frames: at most 1,000,000 frames");
  checkOutputFolder(kind == SinkKind::PngSequence ? framePath(output, 0) : output);
  if (kind != SinkKind::PngSequence) requireFfmpeg();
  return plan;
}

Recording::Recording(Scene scene, RecordPlan plan, Renderer& renderer)
    : scene_(std::move(scene)), plan_(std::move(plan)), renderer_(renderer) {
  range_pass_ = !scene_.display.range;
  steps_total_ = plan_.frames * (range_pass_ ? 2 : 1);
  if (!range_pass_) beginOutput();
}

Recording::~Recording() {
  if (sink_ && !finished_) sink_->abandon();
}

void Recording::beginOutput() {
  if (!scene_.display.range && seen_values_ && hi_ > lo_)
    scene_.display.range = std::array<double, 2>{lo_, hi_};  // what every frame is coloured with
  ValueMapping m;
  if (scene_.display.range) {
    m.lo = (*scene_.display.range)[0];
    m.hi = (*scene_.display.range)[1];
  } else {  // a constant recording: everything at the colormap's start
    // (with no value to place, the stand-in resolveValueMapping uses: 1 keeps log finite)
    m.lo = m.hi = seen_values_ ? lo_ : scene_.display.scale == Scale::Log ? 1.0 : 0.0;
  }
  m.scale = scene_.display.scale;
  mapping_ = m;
  sink_ = createFrameSink(plan_.output, scene_.width, scene_.height, plan_.fps);
  next_frame_ = 0;
  range_pass_ = false;
}

bool Recording::step() {
  if (finished_) return false;
  const double t = next_frame_ / plan_.fps;
  Scene frame = sceneAtTime(scene_, t);
  const FloatImage values = renderer_.render(frame);
  if (range_pass_) {
    // The values resolveValueMapping spans, but not its stand-in for a frame with none (1 for
    // log, when a frame is all zeros), which would stretch the whole recording's range.
    const bool positive_only = scene_.display.scale == Scale::Log;
    for (float v : values.pixels) {
      if (!std::isfinite(v) || (positive_only && !(v > 0.0f))) continue;
      lo_ = seen_values_ ? std::min(lo_, double{v}) : double{v};
      hi_ = seen_values_ ? std::max(hi_, double{v}) : double{v};
      seen_values_ = true;
    }
    ++steps_done_;
    if (++next_frame_ == plan_.frames) beginOutput();
    return true;
  }
  const RgbImage colours = renderer_.colorize(values, *mapping_,
                                              *findColormap(scene_.display.colormap),
                                              scene_.display.origin);
  sink_->write(next_frame_, t, colours, sceneToJson(frame));  // as `render --time t` writes it
  ++frames_written_;
  ++steps_done_;
  if (++next_frame_ == plan_.frames) {
    sink_->finish();
    finished_ = true;
    return false;
  }
  return true;
}

std::string Recording::stopEarly() {
  finished_ = true;
  if (!sink_) return "stopped during the range pass: nothing was written";
  return sink_->finishEarly(frames_written_);
}

void Recording::abandon() {
  finished_ = true;
  if (sink_) sink_->abandon();
}

}  // namespace gaussmap
