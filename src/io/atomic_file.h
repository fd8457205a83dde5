#pragma once
// The one way gaussmap writes a file (PNG, NPY, video, scene saves, frames): a temporary file
// created exclusively beside the final file, flushed to disk, given the original's permission
// bits (and owner and group, when running as root), renamed over it (checked), and the folder
// flushed. A failure or an interrupt never leaves a truncated file or a temporary file behind
// (a second SIGINT/SIGTERM removes it too: it is registered with TempFileRegistration), and an
// existing file is only ever replaced by a complete one.
//
// Missing folders on the way to an output are created (as mkdir -p) when the file is written, and
// one line on stderr names them; checkOutputPath checks before any work that they can be, so a
// command that fails on its input or its checks creates nothing.
//
// An output that is a symbolic link stays a link: the file it points to is what gets replaced.
// A hard-linked output is replaced by a new file: the other names keep the old contents. A device,
// FIFO, socket or folder is never written to (an InputError).
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "core/interrupt.h"

namespace gaussmap {

// Calls `write` with an open temporary file, then commits it over `path` as above. On any failure
// (an exception from `write`, a short write, a full disk, a failed rename) the temporary file is
// removed and a RuntimeError naming `path` is thrown; an InputError (see checkOutputPath) and
// Interrupted pass through unchanged. Long writers call throwIfInterrupted() between chunks.
void writeFileAtomically(const std::string& path, const std::function<void(std::FILE*)>& write);

// writeFileAtomically of a text (a scene, an SVG, JSON) held whole in memory.
void writeTextFileAtomically(const std::string& path, std::string_view text);

// writeFileAtomically, or for "-" (kStandardStream) `write` straight to standard output, flushed
// and checked (a reader that went away is a RuntimeError; nothing there can be taken back).
void writeOutput(const std::string& path, const std::function<void(std::FILE*)>& write);

// Checks an output before any work, creating nothing: InputError when `path` (after following
// symbolic links) is a folder, device, FIFO or socket, when a folder on its way is a file (or
// anything else that is not a folder), or when its file name or a missing folder's name is too
// long for the file system; RuntimeError when the folder that would hold it is not writable, or
// is missing and cannot be created there (the deepest existing folder is not writable).
void checkOutputPath(const std::string& path);

// Where writing `path` puts the bytes: `path` itself, or for a symbolic link (a chain of them)
// the file the last one names, which need not exist yet. Relative links resolve against the
// folder of the link.
std::string resolveOutputPath(const std::string& path);

// The mechanism itself, for writers that do not go through a FILE* (ffmpeg writes a video into
// fd()). The temporary file is created at construction (mode 0600, empty, registered for a
// second signal) and removed by the destructor unless commit() succeeded.
class AtomicFile {
 public:
  // Checks `path` as checkOutputPath does, creates the folders it still needs (saying so on
  // stderr) and the temporary file beside the resolved target. RuntimeError (or InputError)
  // naming `path` when it cannot.
  explicit AtomicFile(const std::string& path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  int fd() const { return fd_; }
  const std::string& tempPath() const { return temp_; }
  // The file that commit() replaces (the symbolic link's target for a link).
  const std::string& target() const { return target_; }

  // fsync, mode/owner of the file replaced, rename (checked), fsync of the folder; the file
  // descriptor is closed. RuntimeError naming the output on failure, and the temporary is gone.
  void commit();
  // Closes and removes the temporary file (idempotent).
  void discard() noexcept;

 private:
  std::string path_;    // as given, for messages
  std::string target_;  // resolved
  std::string temp_;
  int fd_ = -1;
  std::optional<TempFileRegistration> registration_;
};

}  // namespace gaussmap
