#include "io/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <new>

#include "core/interrupt.h"
#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

// Closes the descriptor on every way out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string bytes(std::uint64_t n) {
  if (n % (std::uint64_t{1} << 30) == 0) return std::to_string(n >> 30) + " GiB";
  if (n % (std::uint64_t{1} << 20) == 0) return std::to_string(n >> 20) + " MiB";
  return std::to_string(n) + " bytes";
}

[[noreturn]] void tooLarge(const std::string& path, const char* what, const std::string& size,
                           std::uint64_t max_bytes) {
  throw InputError(path + ": the " + what + " is " + size + "; input files may hold at most " +
                   bytes(max_bytes));
}

}  // namespace

std::string inputSourceName(const std::string& path) {
  return path == kStandardStream ? "<stdin>" : path;
}

std::string readInputFile(const std::string& file_path, const char* what, std::uint64_t max_bytes) {
  // Standard input is read through a duplicate, so that closing it leaves descriptor 0 alone.
  const bool standard_input = file_path == kStandardStream;
  const Descriptor file{standard_input ? ::fcntl(STDIN_FILENO, F_DUPFD_CLOEXEC, 0)
                                       : ::open(file_path.c_str(), O_RDONLY | O_CLOEXEC)};
  const std::string path = inputSourceName(file_path);
  if (file.fd < 0) {
    const int error = errno;
    const std::string message =
        path + ": cannot open the " + what + " (" + std::strerror(error) + ")";
    // A name that leads nowhere is the user's mistake; a file that exists but cannot be opened
    // (permissions, I/O) is a failure of the system.
    if (error == ENOENT || error == ENOTDIR || error == ENAMETOOLONG || error == ELOOP)
      throw InputError(message);
    throw RuntimeError(message);
  }
  struct stat info {};
  if (::fstat(file.fd, &info) != 0)
    throw RuntimeError(path + ": cannot read the " + what + " (" + std::strerror(errno) + ")");
  if (S_ISDIR(info.st_mode))
    throw InputError(path + ": is a directory, not a " + std::string(what));
  const bool regular = S_ISREG(info.st_mode);
  if (regular && std::uint64_t(info.st_size) > max_bytes)
    tooLarge(path, what, bytes(std::uint64_t(info.st_size)), max_bytes);

  std::string text;
  try {
    // A regular file is read into one allocation of its size (one byte more, to see the end
    // without growing); a stream grows geometrically from a chunk.
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    text.resize(regular ? std::size_t(info.st_size) + 1 : kChunk);
    std::size_t used = 0;
    while (true) {
      throwIfInterrupted();  // a slow pipe or a 4 GiB file: Ctrl+C need not wait for the end
      if (used == text.size())
        text.resize(std::size_t(std::min<std::uint64_t>(max_bytes + 1, 2 * std::uint64_t(used))));
      const ssize_t n = ::read(file.fd, text.data() + used, text.size() - used);
      if (n < 0) {
        if (errno == EINTR) continue;
        throw RuntimeError(path + ": cannot read the " + what + " (" + std::strerror(errno) + ")");
      }
      if (n == 0) break;
      // Scenes and points are text: a NUL byte means the wrong file (/dev/zero, an image), and
      // saying so at once beats reading 4 GiB of it first.
      if (const void* nul = std::memchr(text.data() + used, 0, std::size_t(n)))
        throw InputError(path + ": the " + what + " holds a NUL byte at offset " +
                         std::to_string(static_cast<const char*>(nul) - text.data()) +
                         ": it is not a text file");
      used += std::size_t(n);
      if (used > max_bytes) tooLarge(path, what, "larger than that", max_bytes);
    }
    text.resize(used);
  } catch (const std::bad_alloc&) {
    throw RuntimeError(path + ": out of memory reading the " + what + " (" +
                       bytes(std::uint64_t(text.capacity())) + " held)");
  }
  return text;
}

}  // namespace gaussmap
