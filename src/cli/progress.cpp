#include "cli/progress.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "core/interrupt.h"

namespace gaussmap::cli {
namespace {

using Clock = std::chrono::steady_clock;

// One operation at a time: a new `what`, or a count that goes back, starts a new one.
struct TerminalProgress {
  std::mutex mutex;
  const char* what = nullptr;
  std::int64_t last_done = -1;
  Clock::time_point started;
  Clock::time_point last_drawn;
  bool drawn = false;

  void update(const char* label, std::int64_t done, std::int64_t total) {
    std::lock_guard lock(mutex);
    const auto now = Clock::now();
    if (label != what || done < last_done) {
      finishLine();
      what = label;
      started = now;
    }
    last_done = done;
    if (now - started < std::chrono::seconds(2)) return;
    if (drawn && now - last_drawn < std::chrono::milliseconds(100) && done < total) return;
    last_drawn = now;
    drawn = true;
    const double fraction = total > 0 ? double(done) / double(total) : 0.0;
    const double elapsed = std::chrono::duration<double>(now - started).count();
    const double left = fraction > 0 ? elapsed * (1.0 - fraction) / fraction : 0.0;
    constexpr int kWidth = 30;
    const int filled = int(fraction * kWidth);
    char bar[kWidth + 1];
    std::memset(bar, '#', std::size_t(filled));
    std::memset(bar + filled, ' ', std::size_t(kWidth - filled));
    bar[kWidth] = '\0';
    std::fprintf(stderr, "\r%s [%s] %3.0f%%  %.0fs left  (Ctrl+C stops) ", label, bar,
                 100.0 * fraction, left);
    std::fflush(stderr);
  }

  void finishLine() {
    if (!drawn) return;
    std::fprintf(stderr, "\r\033[K");  // clear the line: the next message starts clean
    std::fflush(stderr);
    drawn = false;
  }
};

TerminalProgress& progress() {
  static TerminalProgress instance;
  return instance;
}

}  // namespace

void installTerminalProgress() {
  if (!::isatty(STDERR_FILENO)) return;
  setProgressReporter([](const char* what, std::int64_t done, std::int64_t total) {
    progress().update(what, done, total);
  });
}

void endProgressLine() {
  std::lock_guard lock(progress().mutex);
  progress().finishLine();
}

}  // namespace gaussmap::cli
