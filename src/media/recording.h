#pragma once
// Recording an animated scene: frame k shows time k / fps (never the wall clock), every frame with
// one colour range (the scene's, or for "auto" the min..max over all frames, found in a first
// pass), through any Renderer into a FrameSink. The CLI runs it to the end; the viewer steps it
// one frame per UI frame so it stays responsive.
#include <memory>
#include <optional>
#include <string>

#include "core/renderer.h"
#include "gaussmap/colormap.h"
#include "gaussmap/scene.h"
#include "media/frame_sink.h"

namespace gaussmap {

// The frame rates and the frame count a recording may have: at least one frame per 1,000 s (a
// slower rate makes frame durations meaningless), at most 1,000 a second, and 1,000,000 frames.
inline constexpr double kRecordMinFps = 0.001;
inline constexpr double kRecordMaxFps = 1000;
inline constexpr int kRecordMaxFrames = 1000000;

struct RecordPlan {
  std::string output;  // PNG pattern or video file
  double fps = 30;     // frames per second, > 0
  int frames = 1;      // frame count, >= 1
};

// The frames a recording of `seconds` at `fps` has: at 0, 1/fps, ... before the end, so
// ceil(seconds * fps) (a looping animation's last key equals its first and is not shown twice).
// In double: the caller checks it against its limit before converting.
double recordingFrameCount(double seconds, double fps);

// Frames from --frames, else --duration, else the scene's duration (its last key's time), at
// --fps or the scene's fps (30). InputError when there is nothing to record, a value is bad or out
// of the limits above, or an output file is a folder, device, FIFO or socket (checkOutputPath, for
// every frame of a PNG sequence); RuntimeError when video output needs ffmpeg and it is missing.
// Checks before any work.
RecordPlan planRecording(const Scene& scene, const std::string& output, std::optional<double> fps,
                         std::optional<int> frames, std::optional<double> duration);

class Recording {
 public:
  // `scene` is the animated scene after every override (size included).
  Recording(Scene scene, RecordPlan plan, Renderer& renderer);
  ~Recording();

  // Does one unit of work (one frame of the range pass or of the output); false when done.
  // RuntimeError when a frame holds a NaN or an infinity (naming the frame, time and sample):
  // a recording never colours one silently. Interrupted from a renderer's checkpoint passes
  // through (the caller then calls stopEarly).
  bool step();
  // Progress over both passes: units done and in all (the range pass counts when the range is
  // auto), for a progress bar.
  int stepsDone() const { return steps_done_; }
  int stepsTotal() const { return steps_total_; }
  // Progress of the current pass, for a line that names it: "range pass 60/120", "frames 30/120".
  int passDone() const { return range_pass_ ? next_frame_ : frames_written_; }
  int frames() const { return plan_.frames; }
  int framesWritten() const { return frames_written_; }
  bool inRangePass() const { return range_pass_; }
  // Stops early on purpose, keeping what is valid; returns what is left on disk.
  std::string stopEarly();
  // Abandons after a failure (a partial video is removed).
  void abandon();

 private:
  void beginOutput();
  void checkFinite(const FloatImage& values, int k, double t) const;

  Scene scene_;
  RecordPlan plan_;
  Renderer& renderer_;
  std::unique_ptr<FrameSink> sink_;
  std::optional<ValueMapping> mapping_;
  bool range_pass_ = false;
  bool finished_ = false;
  int next_frame_ = 0;
  int steps_done_ = 0;
  int steps_total_ = 0;
  int frames_written_ = 0;
  RangeAccumulator range_;  // the range pass's values (for an auto range)
};

}  // namespace gaussmap
