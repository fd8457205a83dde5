#include "core/frame_sink.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <vector>

#include "core/atomic_file.h"
#include "core/errors.h"
#include "core/image_io.h"

extern char** environ;

namespace gaussmap {
namespace {

// One %d conversion (with optional zero padding and width), and no other conversions.
const std::regex kFramePattern(R"(^([^%]|%%)*%0?\d*d([^%]|%%)*$)");

std::string lowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

class PngSequenceSink : public FrameSink {
 public:
  explicit PngSequenceSink(std::string pattern) : pattern_(std::move(pattern)) {}
  void write(int k, double t, const RgbImage& frame, const std::string& scene_json) override {
    char time[40];
    std::snprintf(time, sizeof time, "%.17g", t);
    writePng(framePath(pattern_, k), frame,
             {{kPngSceneKey, scene_json}, {kPngTimeKey, time}, {"Software", "gaussmap " GAUSSMAP_VERSION}});
  }
  void finish() override {}
  std::string finishEarly(int frames_written) override {
    return std::to_string(frames_written) + " complete frames were written (" +
           framePath(pattern_, 0) + " ...)";
  }
  void abandon() override {}

 private:
  std::string pattern_;
};

// Raw RGB frames piped into ffmpeg, which writes a temporary file renamed into place at the end.
class FfmpegSink : public FrameSink {
 public:
  FfmpegSink(std::string output, SinkKind kind, int width, int height, double fps)
      : output_(std::move(output)), width_(width), height_(height) {
    const std::filesystem::path target(output_);
    std::string hidden(1, '.');  // appended, not "." + string: GCC 12 warns falsely on that
    hidden.append(target.stem().string()).append(".partial").append(target.extension().string());
    temp_ = (target.parent_path().empty() ? std::filesystem::path(".") : target.parent_path()) /
            hidden;
    log_ = temp_.string() + ".log";
    char size[32], rate[40];
    std::snprintf(size, sizeof size, "%dx%d", width, height);
    std::snprintf(rate, sizeof rate, "%.17g", fps);
    // Bit-exact flags and no metadata: the same frames give the same file on every run.
    std::vector<std::string> args{"ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                                  "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", size,
                                  "-framerate", rate, "-i", "pipe:0", "-map_metadata", "-1",
                                  "-fflags", "+bitexact", "-flags:v", "+bitexact"};
    switch (kind) {
      case SinkKind::Mp4:  // yuv420p needs even sizes: pad by one sample where odd
        args.insert(args.end(), {"-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264",
                                 "-pix_fmt", "yuv420p", "-crf", "18", "-threads", "1",
                                 "-movflags", "+faststart"});
        break;
      case SinkKind::Webm:
        args.insert(args.end(), {"-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0",
                                 "-crf", "30", "-threads", "1"});
        break;
      case SinkKind::Gif:
        args.insert(args.end(),
                    {"-filter_complex", "split[a][b];[a]palettegen[p];[b][p]paletteuse"});
        break;
      case SinkKind::PngSequence:
        break;
    }
    args.insert(args.end(), {"-f", kind == SinkKind::Mp4 ? "mp4" : kind == SinkKind::Webm ? "webm"
                                                                                        : "gif",
                             temp_.string()});
    start(args);
  }

  ~FfmpegSink() override {
    if (pid_ > 0) abandon();
  }

  void write(int, double, const RgbImage& frame, const std::string&) override {
    if (frame.width != width_ || frame.height != height_)
      throw RuntimeError("recording: frame size changed");
    const char* data = reinterpret_cast<const char*>(frame.pixels.data());
    std::size_t left = frame.pixels.size() * sizeof(Rgb8);
    while (left > 0) {
      const ssize_t n = ::write(pipe_, data, left);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) throw RuntimeError("ffmpeg stopped taking frames: " + logTail());
      data += n;
      left -= std::size_t(n);
    }
  }

  void finish() override {
    closeAndWait();
    std::error_code ec;
    std::filesystem::rename(temp_, output_, ec);
    std::filesystem::remove(log_, ec);
    if (ec) throw RuntimeError(output_ + ": cannot move the finished video into place");
  }

  std::string finishEarly(int frames_written) override {
    if (frames_written == 0) {
      abandon();
      return "no frame was complete, so no video was written";
    }
    finish();
    return output_ + " holds the " + std::to_string(frames_written) + " frames recorded so far";
  }

  void abandon() override {
    if (pipe_ >= 0) ::close(pipe_);
    pipe_ = -1;
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
    std::filesystem::remove(log_, ec);
  }

 private:
  void start(const std::vector<std::string>& args) {
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) throw RuntimeError("cannot create a pipe to ffmpeg");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[0], 0);
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_addopen(&actions, 2, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    // Its own process group: Ctrl+C reaches only us, and we finalise the video by closing
    // the pipe rather than ffmpeg being cut off mid-file.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
    posix_spawnattr_setpgroup(&attr, 0);
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    const int rc = posix_spawnp(&pid_, "ffmpeg", &actions, &attr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
    ::close(fds[0]);
    if (rc != 0) {
      ::close(fds[1]);
      pid_ = -1;
      throw RuntimeError(std::string("cannot start ffmpeg: ") + std::strerror(rc));
    }
    pipe_ = fds[1];
  }

  void closeAndWait() {
    if (pipe_ >= 0) ::close(pipe_);
    pipe_ = -1;
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      const std::string tail = logTail();
      std::error_code ec;
      std::filesystem::remove(temp_, ec);
      std::filesystem::remove(log_, ec);
      throw RuntimeError("ffmpeg failed writing " + output_ + ": " + tail);
    }
  }

  std::string logTail() const {
    std::ifstream in(log_);
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    if (text.size() > 600) text = "..." + text.substr(text.size() - 600);
    return text.empty() ? "(ffmpeg printed nothing)" : text;
  }

  std::string output_;
  std::filesystem::path temp_;
  std::string log_;
  int width_, height_;
  pid_t pid_ = -1;
  int pipe_ = -1;
};

}  // namespace

SinkKind sinkKindOf(const std::string& output) {
  if (output.find('%') != std::string::npos) {
    if (!std::regex_match(output, kFramePattern))
      throw InputError("-o " + output +
                       ": a frame pattern needs exactly one %d conversion, e.g. frames/f_%05d.png");
    if (lowerExtension(output) != ".png")
      throw InputError("-o " + output + ": frame sequences are PNG files (end the pattern in .png)");
    return SinkKind::PngSequence;
  }
  const std::string ext = lowerExtension(output);
  if (ext == ".mp4") return SinkKind::Mp4;
  if (ext == ".webm") return SinkKind::Webm;
  if (ext == ".gif") return SinkKind::Gif;
  throw InputError("-o " + output +
                   ": expected a video (.mp4, .webm, .gif) or a PNG frame pattern such as "
                   "frames/f_%05d.png");
}

std::string framePath(const std::string& pattern, int k) {
  // Sized by a first call: a wide padding (%0100d) cut off would give frames one name.
  const int length = std::snprintf(nullptr, 0, pattern.c_str(), k);
  if (length < 0) throw InputError("-o " + pattern + ": not a usable frame pattern");
  std::vector<char> buffer(std::size_t(length) + 1);
  std::snprintf(buffer.data(), buffer.size(), pattern.c_str(), k);
  return buffer.data();
}

void requireFfmpeg() {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((dir + "/ffmpeg").c_str(), X_OK) == 0) return;
  throw RuntimeError(
      "ffmpeg is not installed (needed for video output); install Debian's ffmpeg package, or "
      "record a PNG sequence with -o frames/f_%05d.png");
}

std::unique_ptr<FrameSink> createFrameSink(const std::string& output, int width, int height,
                                           double fps) {
  const SinkKind kind = sinkKindOf(output);
  if (kind == SinkKind::PngSequence) return std::make_unique<PngSequenceSink>(output);
  return std::make_unique<FfmpegSink>(output, kind, width, height, fps);
}

}  // namespace gaussmap
