#pragma once
// Where recorded frames go: a numbered PNG sequence, or a video through Debian's ffmpeg.
#include <memory>
#include <optional>
#include <string>

#include "gaussmap/image.h"

namespace gaussmap {

enum class SinkKind { PngSequence, Mp4, Webm, Gif };

// A PNG-sequence pattern taken apart: frame k is prefix + k (padded to `width`, with zeros when
// `zero_pad`, else spaces, as printf's %5d) + suffix. %% in the pattern is a literal %.
struct FramePattern {
  std::string prefix, suffix;
  int width = 0;  // 0..999
  bool zero_pad = false;
};
// The pattern rule: exactly one conversion %d, %0d, %Nd or %0Nd with N at most 3 digits, in the
// file name (not a folder), %% for a literal %, nothing else after a %. InputError naming the
// pattern and the place otherwise. Linear in the pattern's length, allocates nothing big.
FramePattern parseFramePattern(const std::string& pattern);
// The file name of frame k (k >= 0).
std::string framePath(const FramePattern& pattern, int k);
std::string framePath(const std::string& pattern, int k);

// From the output name: a pattern with a % ("frames/f_%05d.png") is a PNG sequence (and must
// follow the rule above); .mp4 (H.264, yuv420p), .webm (VP9) and .gif are videos. InputError
// otherwise.
SinkKind sinkKindOf(const std::string& output);
// Throws RuntimeError when ffmpeg or ffprobe (the same Debian package) is not on the PATH (before
// any work starts).
void requireFfmpeg();

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Frame k of the recording, at time t; `scene_json` goes into PNG text chunks.
  virtual void write(int k, double t, const RgbImage& frame, const std::string& scene_json) = 0;
  // All frames written: the output is complete, verified (a video is read back with ffprobe and
  // must hold every frame written) and in place. RuntimeError otherwise, and nothing is replaced.
  virtual void finish() = 0;
  // Stopped early on purpose (Ctrl+C): what was written stays valid (a video is finalised with
  // the frames so far). Returns a sentence saying what is left on disk.
  virtual std::string finishEarly(int frames_written) = 0;
  // A failure: a video's temporary file is removed and the old file stays; written PNG frames
  // stay.
  virtual void abandon() = 0;
};

std::unique_ptr<FrameSink> createFrameSink(const std::string& output, int width, int height,
                                           double fps);

}  // namespace gaussmap
