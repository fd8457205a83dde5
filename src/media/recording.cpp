#include "media/recording.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "core/animation.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/scene_json.h"
#include "io/atomic_file.h"

namespace gaussmap {

namespace {

// Checks (checkOutputPath) each existing file of the folder that is one of the frames 0..frames-1.
void checkExistingFrames(const FramePattern& pattern, int frames) {
  namespace fs = std::filesystem;
  const fs::path first(framePath(pattern, 0));
  const fs::path folder = first.parent_path().empty() ? fs::path(".") : first.parent_path();
  // The file name's part before the number (the prefix may hold folders).
  const std::string head = fs::path(pattern.prefix + "0").filename().string();
  const std::string before = head.substr(0, head.size() - 1);
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() < before.size() + pattern.suffix.size() + 1 || name.rfind(before, 0) != 0 ||
        name.compare(name.size() - pattern.suffix.size(), pattern.suffix.size(), pattern.suffix) !=
            0)
      continue;
    const std::string middle =
        name.substr(before.size(), name.size() - before.size() - pattern.suffix.size());
    const std::size_t digits = middle.find_first_not_of(' ');
    if (digits == std::string::npos || middle.size() - digits > 7 ||
        middle.find_first_not_of("0123456789", digits) != std::string::npos)
      continue;
    const int k = std::stoi(middle.substr(digits));
    const std::string path = framePath(pattern, k);
    if (k < frames && fs::path(path).filename() == name) checkOutputPath(path);
  }
}

}  // namespace

double recordingFrameCount(double seconds, double fps) {
  return std::ceil(seconds * fps - 1e-9);
}

RecordPlan planRecording(const Scene& scene, const std::string& output, std::optional<double> fps,
                         std::optional<int> frames, std::optional<double> duration) {
  RecordPlan plan;
  plan.output = output;
  const SinkKind kind = sinkKindOf(output);
  plan.fps = fps.value_or(animationFps(scene));
  const std::string fps_name = fps ? "--fps" : "the scene's fps";
  if (!(std::isfinite(plan.fps) && plan.fps >= kRecordMinFps && plan.fps <= kRecordMaxFps)) {
    char text[64];
    std::snprintf(text, sizeof text, "%g", plan.fps);
    throw InputError(fps_name + " " + text + ": must be within [0.001, 1000] frames per second");
  }
  // GIF delays are 16-bit counts of 1/100 s: a frame cannot last longer than 655.35 s.
  if (kind == SinkKind::Gif && plan.fps * 655.35 < 1)
    throw InputError(fps_name +
                     ": a GIF frame lasts at most 655.35 s, so .gif needs at least "
                     "0.0016 frames per second (record .mp4 or .webm for slower rates)");
  if (frames && duration) throw InputError("give either --frames or --duration, not both");
  if (frames) {
    if (*frames < 1) throw InputError("--frames: must be at least 1");
    if (*frames > kRecordMaxFrames)
      throw InputError("--frames " + std::to_string(*frames) + ": at most 1,000,000 frames");
    plan.frames = *frames;
  } else {
    if (duration && !(std::isfinite(*duration) && *duration > 0))
      throw InputError("--duration: must be > 0 seconds");
    const double seconds = duration.value_or(animationDuration(scene));
    if (!(seconds > 0))
      throw InputError(
          "nothing to record: the scene has no keys and no duration; give "
          "--frames N or --duration S");
    // Checked in double: converting a count too large for an int is undefined behaviour.
    const double count = recordingFrameCount(seconds, plan.fps);
    if (!(std::isfinite(count) && count <= kRecordMaxFrames)) {
      char text[96];
      std::snprintf(text, sizeof text, "%g s at %g fps", seconds, plan.fps);
      throw InputError(std::string(duration ? "--duration: " : "the scene's duration: ") + text +
                       " would be more than 1,000,000 frames");
    }
    plan.frames = std::max(1, int(count));
  }
  if (kind == SinkKind::PngSequence) {
    // Every frame's name, before any work: one of them could be a FIFO or a folder, or too long.
    // The folder is listed once (a million lstat calls would take seconds).
    const FramePattern pattern = parseFramePattern(output);
    checkOutputPath(framePath(pattern, 0));
    checkOutputPath(framePath(pattern, plan.frames - 1));  // the longest name
    checkExistingFrames(pattern, plan.frames);
  } else {
    checkOutputPath(output);
    requireFfmpeg();
  }
  return plan;
}

void Recording::checkFinite(const FloatImage& values, int k, double t) const {
  char frame[80];
  std::snprintf(frame, sizeof frame, "frame %d at t=%.17g: ", k, t);
  requireFiniteValues(values, frame + ("the renderer (" + renderer_.name() + ")"));
}

Recording::Recording(Scene scene, RecordPlan plan, Renderer& renderer)
    : scene_(std::move(scene)),
      plan_(std::move(plan)),
      renderer_(renderer),
      range_(scene_.display) {
  range_pass_ = !scene_.display.range;
  steps_total_ = plan_.frames * (range_pass_ ? 2 : 1);
  if (!range_pass_) beginOutput();
}

Recording::~Recording() {
  if (sink_ && !finished_) sink_->abandon();
}

void Recording::beginOutput() {
  // Every frame is coloured with one range: the scene's, or the rule a single render's automatic
  // range follows, over the values of all frames.
  const ValueMapping m = range_.mapping();
  if (!scene_.display.range && m.hi > m.lo)
    scene_.display.range = std::array<double, 2>{m.lo, m.hi};  // what the frames' JSON records
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
  checkFinite(values, next_frame_, t);
  if (range_pass_) {
    range_.add(values.pixels);
    ++steps_done_;
    if (++next_frame_ == plan_.frames) beginOutput();
    return true;
  }
  const RgbImage colours = renderer_.colorize(
      values, *mapping_, *findColormap(scene_.display.colormap), scene_.display.origin);
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
