#include "media/frame_sink.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <vector>

#include "core/wording.h"
#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "io/atomic_file.h"

extern char** environ;

namespace gaussmap {
namespace {

// The longest width a conversion may ask for: %0999d still names files the file system can hold
// only up to its limit (checked with the output), but never allocates gigabytes.
constexpr int kMaxFrameWidthDigits = 3;

std::string lowerExtension(const std::string& path) {
  std::string ext = std::filesystem::path(path).extension().string();
  for (char& c : ext) c = char(std::tolower(static_cast<unsigned char>(c)));
  return ext;
}

[[noreturn]] void patternError(const std::string& pattern, const std::string& why) {
  // A pattern of thousands of characters is cut in the middle.
  const std::string shown =
      pattern.size() <= 160 ? pattern
                            : pattern.substr(0, 100) + "..." + pattern.substr(pattern.size() - 40);
  throw InputError("-o " + shown + ": " + why +
                   " (a frame pattern holds exactly one %d, optionally with zero padding and a "
                   "width such as %05d, and %% for a literal %; e.g. frames/f_%05d.png)");
}

class PngSequenceSink : public FrameSink {
 public:
  explicit PngSequenceSink(const std::string& pattern) : pattern_(parseFramePattern(pattern)) {}
  void write(int k, double t, const RgbImage& frame, const std::string& scene_json) override {
    char time[40];
    std::snprintf(time, sizeof time, "%.17g", t);
    writePng(framePath(pattern_, k), frame,
             {{kPngSceneKey, scene_json},
              {kPngTimeKey, time},
              {"Software", "gaussmap " GAUSSMAP_VERSION}});
  }
  void finish() override {}
  std::string finishEarly(int frames_written) override {
    return std::to_string(frames_written) + " complete frames were written (" +
           framePath(pattern_, 0) + " ...)";
  }
  void abandon() override {}

 private:
  FramePattern pattern_;
};

// Reads a whole file descriptor from its start (the log ffmpeg wrote into a memfd).
std::string readAll(int fd) {
  std::string text;
  char buffer[4096];
  off_t offset = 0;
  for (;;) {
    const ssize_t n = ::pread(fd, buffer, sizeof buffer, offset);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, std::size_t(n));
    offset += n;
  }
  return text;
}

std::string tailOf(std::string text) {
  // ffmpeg names the file it writes /dev/fd/3 (see FfmpegSink): say which file that is.
  for (std::size_t at; (at = text.find("/dev/fd/3")) != std::string::npos;)
    text.replace(at, 9, "the temporary video");
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  if (text.size() > 600) text = "..." + text.substr(text.size() - 600);
  return text;
}

// An unnamed file for a child's stderr: nothing on disk to collide with, to be replaced through
// a symbolic link, or to clean up.
int createLog() {
  const int fd = ::memfd_create("gaussmap-ffmpeg-log", MFD_CLOEXEC);
  if (fd < 0)
    throw RuntimeError(std::string("cannot create a log for ffmpeg: ") + std::strerror(errno));
  return fd;
}

// Waits for a child, retrying after a signal (our handlers interrupt system calls on purpose).
int waitFor(pid_t pid) {
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) return -1;
  return status;
}

std::string describeStatus(int status) {
  if (status == -1) return "its status was lost";
  if (WIFEXITED(status)) return "exit code " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) return std::string("killed by signal ") + strsignal(WTERMSIG(status));
  return "status " + std::to_string(status);
}

// Starts `args` with stdin from `stdin_fd` (or /dev/null when -1), stdout to `stdout_fd` (or
// /dev/null when -1), stderr into `log_fd` and `file_fd` as descriptor 3, in its own process
// group: Ctrl+C reaches only us, and we finalise the video by closing its input rather than it
// being cut off mid-file.
pid_t spawn(const std::vector<std::string>& args, int stdin_fd, int stdout_fd, int log_fd,
            int file_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // 0, 1 and 2 first: descriptor 3 may be one of the sources, and is overwritten last.
  if (stdin_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdin_fd, 0);
  else
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  if (stdout_fd >= 0)
    posix_spawn_file_actions_adddup2(&actions, stdout_fd, 1);
  else
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, log_fd, 2);
  posix_spawn_file_actions_adddup2(&actions, file_fd, 3);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&attr, 0);
  sigset_t defaults;  // the child must not inherit our handlers' effect of ignoring SIGPIPE
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, args[0].c_str(), &actions, &attr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (rc != 0) throw RuntimeError("cannot start " + args[0] + ": " + std::strerror(rc));
  return pid;
}

// Writes all of `data` into a pipe. SIGPIPE is blocked meanwhile, so a reader that died shows up
// as EPIPE here, not as a signal ending the program (the viewer records too); a SIGPIPE left
// pending by that is consumed before unblocking.
bool writeToPipe(int fd, const char* data, std::size_t left) {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  bool ok = true;
  while (left > 0) {
    const ssize_t n = ::write(fd, data, left);
    if (n < 0 && errno == EINTR) continue;  // a first Ctrl+C: finish this frame
    if (n <= 0) {
      ok = false;
      break;
    }
    data += n;
    left -= std::size_t(n);
  }
  if (!ok && errno == EPIPE && !sigismember(&old, SIGPIPE)) {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  return ok;
}

// Raw RGB frames piped into ffmpeg, which writes into a temporary file we created exclusively
// (descriptor 3, named /dev/fd/3: ffmpeg never opens a name another process could have
// replaced). At the end the file is read back with ffprobe, and only a complete video with every
// frame written is renamed over the output. ffmpeg 5.1 exits 0 when only its trailer or close
// fails (a full disk), so its exit code alone proves nothing.
class FfmpegSink : public FrameSink {
 public:
  FfmpegSink(std::string output, SinkKind kind, int width, int height, double fps)
      : output_(std::move(output)), file_(output_), width_(width), height_(height) {
    log_ = createLog();
    char size[32], rate[40];
    std::snprintf(size, sizeof size, "%dx%d", width, height);
    std::snprintf(rate, sizeof rate, "%.17g", fps);
    // Bit-exact flags and no metadata: the same frames give the same file on every run.
    // -xerror: stop at the first error rather than carry on writing a broken file.
    std::vector<std::string> args{
        "ffmpeg", "-nostdin",   "-hide_banner", "-loglevel", "error",    "-xerror",
        "-y",     "-f",         "rawvideo",     "-pix_fmt",  "rgb24",    "-s",
        size,     "-framerate", rate,           "-i",        "pipe:0",   "-map_metadata",
        "-1",     "-fflags",    "+bitexact",    "-flags:v",  "+bitexact"};
    switch (kind) {
      case SinkKind::Mp4:  // yuv420p needs even sizes: pad by one sample where odd
        args.insert(args.end(),
                    {"-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-pix_fmt",
                     "yuv420p", "-crf", "18", "-threads", "1", "-movflags", "+faststart"});
        break;
      case SinkKind::Webm:
        args.insert(args.end(), {"-c:v", "libvpx-vp9", "-pix_fmt", "yuv420p", "-b:v", "0", "-crf",
                                 "30", "-threads", "1"});
        break;
      case SinkKind::Gif:
        args.insert(args.end(),
                    {"-filter_complex", "split[a][b];[a]palettegen[p];[b][p]paletteuse"});
        break;
      case SinkKind::PngSequence:
        break;
    }
    args.insert(args.end(), {"-f",
                             kind == SinkKind::Mp4    ? "mp4"
                             : kind == SinkKind::Webm ? "webm"
                                                      : "gif",
                             "/dev/fd/3"});
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) {
      ::close(log_);
      throw RuntimeError("cannot create a pipe to ffmpeg");
    }
    try {
      pid_ = spawn(args, fds[0], -1, log_, file_.fd());
    } catch (...) {
      ::close(fds[0]);
      ::close(fds[1]);
      ::close(log_);
      throw;
    }
    ::close(fds[0]);
    pipe_ = fds[1];
  }

  ~FfmpegSink() override { abandon(); }

  void write(int, double, const RgbImage& frame, const std::string&) override {
    if (frame.width != width_ || frame.height != height_)
      throw RuntimeError("recording: frame size changed");
    if (pipe_ < 0) throw RuntimeError(output_ + ": the video is already closed");
    if (!writeToPipe(pipe_, reinterpret_cast<const char*>(frame.pixels.data()),
                     frame.pixels.size() * sizeof(Rgb8)))
      throw RuntimeError(output_ + ": ffmpeg stopped taking frames: " + stopAndDescribe());
    ++frames_;
  }

  void finish() override {
    try {
      closeAndWait();
      verify();
      file_.commit();
    } catch (...) {
      abandon();
      throw;
    }
    if (log_ >= 0) ::close(log_);
    log_ = -1;
  }

  std::string finishEarly(int frames_written) override {
    if (frames_written == 0 || frames_ == 0) {
      abandon();
      return "no frame was complete, so no video was written";
    }
    finish();
    return output_ + " holds the " + counted(frames_, "frame") + " recorded so far";
  }

  void abandon() override {
    if (pipe_ >= 0) ::close(pipe_);
    pipe_ = -1;
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      waitFor(pid_);
      pid_ = -1;
    }
    file_.discard();
    if (log_ >= 0) ::close(log_);
    log_ = -1;
  }

 private:
  // After a failed write: ffmpeg's end and what it said.
  std::string stopAndDescribe() {
    ::close(pipe_);
    pipe_ = -1;
    const int status = waitFor(pid_);
    pid_ = -1;
    const std::string log = tailOf(readAll(log_));
    return describeStatus(status) + (log.empty() ? "" : ": " + log);
  }

  void closeAndWait() {
    ::close(pipe_);
    pipe_ = -1;
    const int status = waitFor(pid_);
    pid_ = -1;
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      const std::string log = tailOf(readAll(log_));
      throw RuntimeError("ffmpeg failed writing " + output_ + " (" + describeStatus(status) + ")" +
                         (log.empty() ? "" : ": " + log));
    }
  }

  // Reads the finished file back: a container that ffprobe can open, with every frame written.
  void verify() {
    std::vector<std::string> args{"ffprobe",
                                  "-v",
                                  "error",
                                  "-count_frames",
                                  "-select_streams",
                                  "v:0",
                                  "-show_entries",
                                  "stream=nb_read_frames",
                                  "-of",
                                  "csv=p=0",
                                  "/dev/fd/3"};
    const int out = ::memfd_create("gaussmap-ffprobe-out", MFD_CLOEXEC);
    const int err = ::memfd_create("gaussmap-ffprobe-log", MFD_CLOEXEC);
    if (out < 0 || err < 0) {
      if (out >= 0) ::close(out);
      if (err >= 0) ::close(err);
      throw RuntimeError(output_ + ": cannot check the video (" + std::strerror(errno) + ")");
    }
    int status = -1;
    try {
      const pid_t pid = spawn(args, -1, out, err, file_.fd());
      status = waitFor(pid);
    } catch (...) {
      ::close(out);
      ::close(err);
      throw;
    }
    const std::string probed = tailOf(readAll(out));
    const std::string log = tailOf(readAll(err));
    ::close(out);
    ::close(err);
    const std::string ffmpeg_log = tailOf(readAll(log_));
    const std::string expected = std::to_string(frames_);
    if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 || probed != expected)
      throw RuntimeError(
          output_ + ": ffmpeg did not write a complete video (ffprobe reads " +
          (probed.empty() ? std::string("no frames") : probed + " frames") + " of " + expected +
          (log.empty() ? "" : ": " + log) + ")" +
          (ffmpeg_log.empty() ? "" : "; ffmpeg said: " + ffmpeg_log) +
          "; a full disk is the usual cause. The existing file, if any, is unchanged");
  }

  std::string output_;
  AtomicFile file_;
  int width_, height_;
  int log_ = -1;
  pid_t pid_ = -1;
  int pipe_ = -1;
  int frames_ = 0;
};

bool onPath(const std::string& program) {
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "");
  std::string dir;
  while (std::getline(dirs, dir, ':'))
    if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0) return true;
  return false;
}

}  // namespace

FramePattern parseFramePattern(const std::string& pattern) {
  FramePattern p;
  bool seen = false;
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    std::string& text = seen ? p.suffix : p.prefix;
    if (c == '/' && seen) patternError(pattern, "the %d must be in the file name, not a folder");
    if (c != '%') {
      text += c;
      continue;
    }
    const std::string at = " at character " + std::to_string(i + 1);
    if (i + 1 < pattern.size() && pattern[i + 1] == '%') {
      text += '%';
      ++i;
      continue;
    }
    if (seen) patternError(pattern, "a second conversion" + at);
    std::size_t j = i + 1;
    if (j < pattern.size() && pattern[j] == '0') {
      p.zero_pad = true;
      ++j;
    }
    int digits = 0;
    while (j < pattern.size() && pattern[j] >= '0' && pattern[j] <= '9') {
      if (digits == 0 && pattern[j] == '0') patternError(pattern, "a repeated 0 flag" + at);
      if (++digits > kMaxFrameWidthDigits)
        patternError(pattern, "the width" + at + " has more than 3 digits");
      p.width = p.width * 10 + (pattern[j] - '0');
      ++j;
    }
    if (j >= pattern.size() || pattern[j] != 'd')
      patternError(pattern, "'%" + pattern.substr(i + 1, j + 1 - (i + 1)) + "'" + at +
                                " is not a %d conversion");
    seen = true;
    i = j;
  }
  if (!seen) patternError(pattern, "no %d conversion");
  return p;
}

std::string framePath(const FramePattern& pattern, int k) {
  const std::string digits = std::to_string(k);
  std::string path = pattern.prefix;
  if (int(digits.size()) < pattern.width)
    path.append(std::size_t(pattern.width) - digits.size(), pattern.zero_pad ? '0' : ' ');
  path += digits;
  path += pattern.suffix;
  return path;
}

std::string framePath(const std::string& pattern, int k) {
  return framePath(parseFramePattern(pattern), k);
}

SinkKind sinkKindOf(const std::string& output) {
  if (output.find('%') != std::string::npos) {
    const FramePattern pattern = parseFramePattern(output);
    if (lowerExtension(framePath(pattern, 0)) != ".png")
      throw InputError("-o " + output +
                       ": frame sequences are PNG files (end the pattern in .png)");
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

void requireFfmpeg() {
  for (const char* program : {"ffmpeg", "ffprobe"})
    if (!onPath(program))
      throw RuntimeError(std::string(program) +
                         " is not installed (needed for video output, which is read back to "
                         "check it); install Debian's ffmpeg package, or record a PNG sequence "
                         "with -o frames/f_%05d.png");
}

std::unique_ptr<FrameSink> createFrameSink(const std::string& output, int width, int height,
                                           double fps) {
  const SinkKind kind = sinkKindOf(output);
  if (kind == SinkKind::PngSequence) return std::make_unique<PngSequenceSink>(output);
  return std::make_unique<FfmpegSink>(output, kind, width, height, fps);
}

}  // namespace gaussmap
