// gaussmap record: an animated scene to a PNG sequence or a video, deterministically.
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>

#include "cli/backends.h"
#include "cli/commands.h"
#include "cli/scene_overrides.h"
#include "core/interrupt.h"
#include "core/wording.h"
#include "gaussmap/errors.h"
#include "media/recording.h"

namespace gaussmap::cli {
namespace {

struct RecordOptions {
  SceneSource source;
  SceneOverrides overrides;
  BackendChoice backend;
  std::string output;
  std::optional<double> fps;
  std::optional<int> frames;
  std::optional<double> duration;
};

// One line per pass, naming it: "range pass 60/120" while the auto range is found, then
// "frames 30/120". A bar on a terminal; on a pipe a plain line every two seconds and at the end
// of each pass.
class Progress {
 public:
  explicit Progress(const Recording& r) : total_steps_(r.stepsTotal()), tty_(::isatty(2)) {}
  void update(const Recording& r) {
    using namespace std::chrono;
    const auto now = steady_clock::now();
    const bool range = r.inRangePass();
    const int done = r.passDone(), total = r.frames();
    // The last frame of the range pass leaves it: that pass's last line is its full count.
    const bool pass_ended = range != last_range_ && last_range_;
    if (pass_ended) print(true, total, total, now);
    last_range_ = range;
    const bool last = done == total;
    if (!last && now - last_print_ < (tty_ ? milliseconds(100) : seconds(2))) return;
    if (last && printed_last_ && !pass_ended) return;
    print(range, done, total, now);
  }
  // Leaves the terminal's line before other messages.
  void end() {
    if (tty_ && drawn_) std::fprintf(stderr, "\n");
    drawn_ = false;
  }

 private:
  void print(bool range, int done, int total, std::chrono::steady_clock::time_point now) {
    using namespace std::chrono;
    last_print_ = now;
    printed_last_ = done == total && !range;
    const double elapsed = duration<double>(now - start_).count();
    // Rate and time left over both passes: a range frame costs about what an output frame does.
    const int steps = range ? done : total_steps_ - total + done;
    const double rate = elapsed > 0 ? steps / elapsed : 0;
    const double left = rate > 0 ? (total_steps_ - steps) / rate : 0;
    const char* phase = range ? "range pass" : "frames";
    if (tty_) {
      const int width = 30, filled = total ? width * done / total : width;
      std::fprintf(stderr, "\r[%.*s%*s] %s %d/%d  %.1f/s  %.0fs left ", filled,
                   "##############################", width - filled, "", phase, done, total, rate,
                   left);
      drawn_ = true;
      if (done == total) end();
    } else {
      std::fprintf(stderr, "gaussmap: record: %s %d/%d (%.1f per s, %.0f s left)\n", phase, done,
                   total, rate, left);
    }
  }

  int total_steps_;
  bool tty_;
  bool last_range_ = false;
  bool printed_last_ = false;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_print_{};
};

int runRecord(const RecordOptions& o) {
  if (o.output.empty())
    throw InputError("no output: give -o OUT.mp4|.webm|.gif or -o frames/f_%05d.png");
  const Scene scene = o.source.load(o.overrides);
  const RecordPlan plan = planRecording(scene, o.output, o.fps, o.frames, o.duration);
  RenderSession session = o.backend.create();
  // main installed the SIGINT/SIGTERM handlers: the first signal asks to stop (checked between
  // frames, and inside a long frame by the renderer's checkpoints); a second one removes the
  // temporary files and ends at once.
  // This command draws its own line per frame; a renderer's per-frame bar would fight with it.
  // (reportProgress still answers a stop request.)
  setProgressReporter({});
  signal(SIGPIPE, SIG_IGN);  // a dying ffmpeg shows up as a write error, not a signal

  Recording recording(scene, plan, session.renderer());
  Progress progress(recording);
  try {
    while (!interruptRequested() && recording.step()) progress.update(recording);
  } catch (const Interrupted&) {
    // Stopped inside a frame: that frame is dropped, the ones before it are kept.
  } catch (...) {
    progress.end();
    recording.abandon();
    throw;
  }
  if (interruptRequested()) {
    progress.end();
    const std::string left = recording.stopEarly();
    const int signal_number = interruptSignal();
    std::fprintf(stderr, "gaussmap: %s after %d of %s: %s\n",
                 signal_number == SIGTERM ? "terminated" : "interrupted", recording.framesWritten(),
                 counted(plan.frames, "frame").c_str(), left.c_str());
    return Interrupted(signal_number).exitCode();  // 130 for Ctrl+C, 143 for SIGTERM
  }
  progress.update(recording);
  progress.end();
  std::fprintf(stderr, "gaussmap: recorded %s at %g fps to %s\n",
               counted(plan.frames, "frame").c_str(), plan.fps, plan.output.c_str());
  return 0;
}

}  // namespace

Action addRecordCommand(CLI::App& app) {
  auto options = std::make_shared<RecordOptions>();
  CLI::App* sub = app.add_subcommand(
      "record",
      "Record an animated scene: frame k shows time k/fps (never the wall clock), all frames in\n"
      "one colour range. Exit 130 on Ctrl+C, 143 on SIGTERM (the frames so far stay valid).\n"
      "Example: gaussmap record scenes/sweep.json -o out/sweep.mp4");
  options->source.addTo(*sub);
  sub->add_option("-o,--output", options->output,
                  "A video (.mp4 = H.264 yuv420p, .webm = VP9, .gif; needs ffmpeg) or a PNG "
                  "frame pattern with one %d, e.g. frames/f_%05d.png")
      ->type_name("OUT");
  sub->add_option("--fps", options->fps,
                  "Frames per second, 0.001 to 1000 (default: the scene's fps, or 30)")
      ->type_name("F");
  sub->add_option("--frames", options->frames,
                  "Number of frames, at most 1,000,000 (default: the whole duration)")
      ->type_name("N");
  sub->add_option("--duration", options->duration,
                  "Seconds to record (default: the scene's duration, or its last key's time)")
      ->type_name("S");
  options->backend.addTo(*sub);
  options->overrides.addTo(*sub);
  return [options] { return runRecord(*options); };
}

}  // namespace gaussmap::cli
