#pragma once
// Stopping long work on SIGINT/SIGTERM, and showing its progress.
//
// The first SIGINT or SIGTERM only sets a flag. Long operations poll it at checkpoints (the
// renderers between rows or tiles, writers between chunks) and throw Interrupted, which unwinds
// through the normal failure paths, so temporary files are removed and nothing half-written is
// left; the CLI turns it into exit 130 (SIGINT) or 143 (SIGTERM). A second signal does not wait
// for a checkpoint: the handler removes every registered temporary file (unlink is
// async-signal-safe) and ends the process at once with the same exit code.
#include <atomic>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

namespace gaussmap {

// Thrown at a checkpoint after SIGINT/SIGTERM (or requestInterrupt). Not an InputError nor a
// RuntimeError: it is neither the input's fault nor a failure, and must not be reported as one.
class Interrupted : public std::runtime_error {
 public:
  explicit Interrupted(int signal_number);
  int signalNumber() const { return signal_; }
  // 128 + the signal: 130 for SIGINT, 143 for SIGTERM (what a shell reports).
  int exitCode() const { return 128 + signal_; }

 private:
  int signal_;
};

// Installs the SIGINT/SIGTERM handlers (idempotent). Commands call it before long work.
void installInterruptHandlers();
// True once a signal (or requestInterrupt) has asked the program to stop.
bool interruptRequested();
// The signal that asked (SIGINT, SIGTERM), or 0.
int interruptSignal();
// Throws Interrupted when a stop has been requested; the checkpoint of every long loop.
void throwIfInterrupted();
// As a signal would (for tests and for the viewer's own cancel buttons).
void requestInterrupt(int signal_number);
// Clears the request (tests; the viewer after it has handled a cancel).
void clearInterrupt();

// Registers a temporary file that a second signal removes before the process ends. At most a
// few dozen at once (a fixed table: the handler cannot allocate); a full table throws
// RuntimeError. Unregisters on destruction; release() keeps the file (it has been renamed).
class TempFileRegistration {
 public:
  explicit TempFileRegistration(const std::string& path);
  ~TempFileRegistration();
  TempFileRegistration(const TempFileRegistration&) = delete;
  TempFileRegistration& operator=(const TempFileRegistration&) = delete;
  void release();

 private:
  int slot_ = -1;
};

// Progress of the current long operation, for a terminal's progress line. Renderers report
// units done out of a total (rows, tiles); the CLI installs a reporter that draws a bar on a
// terminal once an operation has run about two seconds. Reporting also checks for an interrupt
// (it throws Interrupted), so a renderer's progress calls are its checkpoints.
using ProgressReporter =
    std::function<void(const char* what, std::int64_t done, std::int64_t total)>;
void setProgressReporter(ProgressReporter reporter);
// Called by long loops; cheap when nothing is installed. Throws Interrupted when asked to stop.
// May be called from worker threads: the reporter is called from the thread that calls it, and
// must be thread-safe (the CLI's is).
void reportProgress(const char* what, std::int64_t done, std::int64_t total);

// While one lives, reportProgress on its thread only checks for a stop request and reports
// nothing: for work split over threads whose caller reports the whole (a pyramid's tiles, each
// rendered by a session on a worker thread; their own bars would take turns with the whole's).
class SilentProgress {
 public:
  SilentProgress();
  ~SilentProgress();
  SilentProgress(const SilentProgress&) = delete;
  SilentProgress& operator=(const SilentProgress&) = delete;

 private:
  bool was_silent_;
};

}  // namespace gaussmap
