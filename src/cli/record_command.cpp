// gaussmap record: an animated scene to a PNG sequence or a video, deterministically.
#include <signal.h>
#include <unistd.h>

#include <csignal>
#include <chrono>
#include <cstdio>

#include "cli/backends.h"
#include "cli/commands.h"
#include "cli/scene_overrides.h"
#include "core/errors.h"
#include "core/recording.h"

namespace gaussmap::cli {
namespace {

// Set by SIGINT/SIGTERM; the loop stops between frames. (A signal handler can only reach a
// global: the one mutable global in the program.)
volatile std::sig_atomic_t g_interrupted = 0;
extern "C" void onInterrupt(int) { g_interrupted = 1; }

struct RecordOptions {
  SceneSource source;
  SceneOverrides overrides;
  BackendChoice backend;
  std::string output;
  std::optional<double> fps;
  std::optional<int> frames;
  std::optional<double> duration;
};

class Progress {
 public:
  explicit Progress(int total) : total_(total), tty_(::isatty(2)) {}
  void update(const Recording& r) {
    using namespace std::chrono;
    const auto now = steady_clock::now();
    const bool last = r.stepsDone() == total_;
    if (!last && now - last_print_ < (tty_ ? milliseconds(100) : seconds(2))) return;
    last_print_ = now;
    const double elapsed = duration<double>(now - start_).count();
    const double rate = elapsed > 0 ? r.stepsDone() / elapsed : 0;
    const double left = rate > 0 ? (total_ - r.stepsDone()) / rate : 0;
    const char* phase = r.inRangePass() ? "range pass" : "frames";
    if (tty_) {
      const int width = 30, filled = total_ ? width * r.stepsDone() / total_ : width;
      std::fprintf(stderr, "\r[%.*s%*s] %d/%d %s  %.1f/s  %.0fs left ", filled,
                   "##############################", width - filled, "", r.stepsDone(), total_,
                   phase, rate, left);
      if (last) std::fprintf(stderr, "\n");
    } else {
      std::fprintf(stderr, "gaussmap: record: %d/%d (%s, %.1f per s, %.0f s left)\n",
                   r.stepsDone(), total_, phase, rate, left);
    }
  }

 private:
  int total_;
  bool tty_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_print_{};
};

int runRecord(const RecordOptions& o) {
  if (o.output.empty()) throw InputError("no output: give -o OUT.mp4|.webm|.gif or -o frames/f_%05d.png");
  const Scene scene = o.source.load(o.overrides);
  const RecordPlan plan = planRecording(scene, o.output, o.fps, o.frames, o.duration);
  std::unique_ptr<Renderer> renderer = o.backend.create();
  Recording recording(scene, plan, *renderer);

  struct sigaction action {};
  action.sa_handler = onInterrupt;
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);  // a dying ffmpeg shows up as a write error, not a signal

  Progress progress(recording.stepsTotal());
  try {
    while (!g_interrupted && recording.step()) progress.update(recording);
  } catch (...) {
    recording.abandon();
    throw;
  }
  if (g_interrupted) {
    const std::string left = recording.stopEarly();
    std::fprintf(stderr, "\ngaussmap: interrupted after %d of %d frames: %s\n",
                 recording.framesWritten(), plan.frames, left.c_str());
    return 130;  // the shell's code for "ended by Ctrl+C"
  }
  progress.update(recording);
  std::fprintf(stderr, "gaussmap: recorded %d frames at %g fps to %s\n", plan.frames, plan.fps,
               plan.output.c_str());
  return 0;
}

}  // namespace

Action addRecordCommand(CLI::App& app) {
  auto options = std::make_shared<RecordOptions>();
  CLI::App* sub = app.add_subcommand(
      "record",
      "Record an animated scene: frame k shows time k/fps (never the wall clock), all frames in\n"
      "one colour range. Exit 130 when interrupted (the frames so far stay valid).\n"
      "Example: gaussmap record scenes/sweep.json -o out/sweep.mp4");
  options->source.addTo(*sub);
  sub->add_option("-o,--output", options->output,
                  "A video (.mp4 = H.264 yuv420p, .webm = VP9, .gif; needs ffmpeg) or a PNG "
                  "frame pattern with one %d, e.g. frames/f_%05d.png")
      ->type_name("OUT");
  sub->add_option("--fps", options->fps, "Frames per second (default: the scene's fps, or 30)")
      ->type_name("F");
  sub->add_option("--frames", options->frames, "Number of frames (default: the whole duration)")
      ->type_name("N");
  sub->add_option("--duration", options->duration,
                  "Seconds to record (default: the scene's duration, or its last key's time)")
      ->type_name("S");
  options->backend.addTo(*sub);
  options->overrides.addTo(*sub);
  return [options] { return runRecord(*options); };
}

}  // namespace gaussmap::cli
