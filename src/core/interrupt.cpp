#include "core/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <mutex>

#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

// The handler may touch only lock-free atomics and async-signal-safe calls: the flag, the
// signal's number, and a fixed table of temporary paths (each slot owned while `used` is set).
std::atomic<int> g_signal{0};
constexpr int kTempSlots = 64;
constexpr std::size_t kTempPathMax = 4096;
struct TempSlot {
  std::atomic<bool> used{false};
  std::atomic<bool> ready{false};  // the path is written completely
  char path[kTempPathMax] = {};
};
std::array<TempSlot, kTempSlots> g_temps;

std::mutex g_reporter_mutex;
ProgressReporter g_reporter;
std::atomic<bool> g_has_reporter{false};

extern "C" void onStopSignal(int signal_number) {
  int expected = 0;
  if (g_signal.compare_exchange_strong(expected, signal_number)) return;  // the first: a request
  // A second signal: the user does not want to wait for a checkpoint.
  for (TempSlot& slot : g_temps)
    if (slot.used.load() && slot.ready.load()) ::unlink(slot.path);
  const int code = 128 + g_signal.load();
  ::_exit(code);
}

}  // namespace

Interrupted::Interrupted(int signal_number)
    : std::runtime_error(signal_number == SIGTERM ? "terminated (SIGTERM)"
                                                  : "interrupted (SIGINT)"),
      signal_(signal_number) {}

void installInterruptHandlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    // No SA_RESTART: a blocking read or write returns EINTR, so loops reach their checkpoint.
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
  });
}

bool interruptRequested() {
  return g_signal.load(std::memory_order_relaxed) != 0;
}

int interruptSignal() {
  return g_signal.load(std::memory_order_relaxed);
}

void throwIfInterrupted() {
  const int s = g_signal.load(std::memory_order_relaxed);
  if (s != 0) throw Interrupted(s);
}

void requestInterrupt(int signal_number) {
  int expected = 0;
  g_signal.compare_exchange_strong(expected, signal_number);
}

void clearInterrupt() {
  g_signal.store(0);
}

TempFileRegistration::TempFileRegistration(const std::string& path) {
  if (path.size() >= kTempPathMax)
    throw RuntimeError(path + ": path too long for a temporary file");
  for (int i = 0; i < kTempSlots; ++i) {
    bool expected = false;
    if (!g_temps[std::size_t(i)].used.compare_exchange_strong(expected, true)) continue;
    TempSlot& slot = g_temps[std::size_t(i)];
    std::memcpy(slot.path, path.c_str(), path.size() + 1);
    slot.ready.store(true);
    slot_ = i;
    return;
  }
  throw RuntimeError(path + ": too many temporary files open at once");
}

TempFileRegistration::~TempFileRegistration() {
  release();
}

void TempFileRegistration::release() {
  if (slot_ < 0) return;
  TempSlot& slot = g_temps[std::size_t(slot_)];
  slot.ready.store(false);
  slot.used.store(false);
  slot_ = -1;
}

void setProgressReporter(ProgressReporter reporter) {
  std::lock_guard lock(g_reporter_mutex);
  g_reporter = std::move(reporter);
  g_has_reporter.store(bool(g_reporter));
}

namespace {
thread_local bool t_silent = false;
}  // namespace

SilentProgress::SilentProgress() : was_silent_(t_silent) {
  t_silent = true;
}

SilentProgress::~SilentProgress() {
  t_silent = was_silent_;
}

void reportProgress(const char* what, std::int64_t done, std::int64_t total) {
  throwIfInterrupted();
  if (t_silent || !g_has_reporter.load(std::memory_order_relaxed)) return;
  std::lock_guard lock(g_reporter_mutex);
  if (g_reporter) g_reporter(what, done, total);
}

}  // namespace gaussmap
