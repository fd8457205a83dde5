#pragma once
// Where recorded frames go: a numbered PNG sequence, or a video through Debian's ffmpeg.
#include <memory>
#include <optional>
#include <string>

#include "core/image.h"

namespace gaussmap {

enum class SinkKind { PngSequence, Mp4, Webm, Gif };

// From the output name: a printf-style pattern with one %d conversion ("frames/f_%05d.png") is
// a PNG sequence; .mp4 (H.264, yuv420p), .webm (VP9) and .gif are videos. InputError otherwise.
SinkKind sinkKindOf(const std::string& output);
// The file name of frame k for a PNG-sequence pattern.
std::string framePath(const std::string& pattern, int k);
// Throws RuntimeError when ffmpeg is not on the PATH (before any work starts).
void requireFfmpeg();

class FrameSink {
 public:
  virtual ~FrameSink() = default;
  // Frame k of the recording, at time t; `scene_json` goes into PNG text chunks.
  virtual void write(int k, double t, const RgbImage& frame, const std::string& scene_json) = 0;
  // All frames written: the output is complete and in place.
  virtual void finish() = 0;
  // Stopped early on purpose (Ctrl+C): what was written stays valid (a video is finalised with
  // the frames so far). Returns a sentence saying what is left on disk.
  virtual std::string finishEarly(int frames_written) = 0;
  // A failure: a video's partial file is removed; written PNG frames stay.
  virtual void abandon() = 0;
};

std::unique_ptr<FrameSink> createFrameSink(const std::string& output, int width, int height,
                                           double fps);

}  // namespace gaussmap
