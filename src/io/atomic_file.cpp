#include "io/atomic_file.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <new>
#include <vector>

#include "gaussmap/errors.h"
#include "io/input_file.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;

std::string folderOf(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

std::string errorText(int err) {
  return std::strerror(err);
}

// The longest file name the folder's file system takes (NAME_MAX where it cannot say).
std::size_t nameMax(const std::string& folder) {
  errno = 0;
  const long limit = ::pathconf(folder.c_str(), _PC_NAME_MAX);
  return limit > 0 ? std::size_t(limit) : std::size_t(NAME_MAX);
}

const char* kindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The umask, read without changing it: umask(0) and back would give files created meanwhile by
// another thread (the viewer records in the background) mode 0666.
mode_t currentUmask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Umask:", 0) == 0) return mode_t(std::strtoul(line.c_str() + 6, nullptr, 8));
  const mode_t mask = ::umask(0022);
  ::umask(mask);
  return mask;
}

// `path` as the user wrote it, plus the file it leads to when that differs (for messages).
std::string described(const std::string& path, const std::string& target) {
  return target == path ? path : path + " (a link to " + target + ")";
}

// A path for a message: a name of thousands of characters is cut in the middle.
std::string abbreviated(const std::string& path) {
  if (path.size() <= 160) return path;
  return path.substr(0, 100) + "..." + path.substr(path.size() - 40) + " (" +
         std::to_string(path.size()) + " characters)";
}

// The folders an output's `folder` still needs, deepest first, and the deepest one that exists.
struct MissingFolders {
  std::vector<fs::path> missing;
  fs::path existing;
};

// Walks up from `folder` to the first folder that exists. Refuses (naming `path`) what mkdir -p
// would trip over later, so that nothing is created for an output that cannot be written: a
// component that exists but is not a folder (InputError), a symbolic link to nothing, a folder we
// may not write into, a name too long for the file system (RuntimeError).
MissingFolders findMissingFolders(const std::string& path, const std::string& folder) {
  MissingFolders result;
  fs::path p(folder);
  for (;;) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) == 0) {
      struct stat followed {};
      if (::stat(p.c_str(), &followed) != 0)
        throw RuntimeError(path + ": '" + p.string() +
                           "' is a symbolic link to something that "
                           "does not exist (" +
                           errorText(errno) + ")");
      if (!S_ISDIR(followed.st_mode))
        throw InputError(path + ": '" + p.string() + "' is " +
                         (S_ISREG(followed.st_mode) ? "a file" : kindOf(followed.st_mode)) +
                         ", not a folder");
      result.existing = p;
      break;
    }
    // ENOTDIR: a component further up is a file; ENAMETOOLONG: this one's name is too long. The
    // walk goes on, and what it finds further up (or the name check below) says which.
    if (errno != ENOENT && errno != ENOTDIR && errno != ENAMETOOLONG)
      throw RuntimeError(abbreviated(path) + ": cannot look at '" + abbreviated(p.string()) +
                         "' (" + errorText(errno) + ")");
    result.missing.push_back(p);
    fs::path up = p.parent_path();
    if (up.empty()) up = ".";
    if (up == p) throw RuntimeError(path + ": '" + p.string() + "' does not exist");
    p = up;
  }
  if (result.missing.empty()) return result;
  const std::string existing = result.existing.string();
  if (::access(existing.c_str(), W_OK | X_OK) != 0)
    throw RuntimeError(path + ": cannot create the folder '" + folder + "' in '" + existing +
                       "' (" + errorText(errno) + ")");
  const std::size_t limit = nameMax(existing);
  for (const fs::path& m : result.missing)
    if (m.filename().string().size() > limit)
      throw InputError(abbreviated(path) + ": the folder name '" +
                       abbreviated(m.filename().string()) +
                       "' is longer than the file system "
                       "allows (" +
                       std::to_string(limit) + " bytes)");
  return result;
}

// Creates the folders `folder` still needs (as mkdir -p, mode 0777 less the umask) and says so on
// stderr, once per output: the one place any output's missing folders are made.
void createMissingFolders(const std::string& path, const std::string& folder) {
  const MissingFolders plan = findMissingFolders(path, folder);
  if (plan.missing.empty()) return;
  for (auto it = plan.missing.rbegin(); it != plan.missing.rend(); ++it) {
    if (::mkdir(it->c_str(), 0777) == 0) continue;
    const int err = errno;
    std::error_code ec;
    // Made meanwhile (another output of the same folder, or "out/.."): what matters is that it is
    // one.
    if (err == EEXIST && fs::is_directory(*it, ec)) continue;
    throw RuntimeError(path + ": cannot create the folder '" + it->string() + "' (" +
                       errorText(err) + ")");
  }
  std::fprintf(stderr, "gaussmap: created the folder '%s' for %s\n", folder.c_str(), path.c_str());
}

}  // namespace

std::string resolveOutputPath(const std::string& path) {
  fs::path p(path);
  // As the kernel's limit on following links (ELOOP): a cycle cannot hang us.
  for (int hops = 0; hops < 40; ++hops) {
    struct stat st {};
    if (::lstat(p.c_str(), &st) != 0 || !S_ISLNK(st.st_mode)) return p.string();
    std::error_code ec;
    const fs::path link = fs::read_symlink(p, ec);
    if (ec) throw RuntimeError(path + ": cannot read the symbolic link (" + ec.message() + ")");
    p = link.is_absolute() ? link : p.parent_path() / link;
  }
  throw InputError(path + ": too many levels of symbolic links");
}

void checkOutputPath(const std::string& path) {
  if (path.empty()) throw InputError("the output file name is empty");
  const std::string target = resolveOutputPath(path);
  const std::string name = fs::path(target).filename().string();
  if (name.empty() || name == "." || name == "..")
    throw InputError(path + ": names a folder, not a file");
  const std::string folder = folderOf(target);
  // A missing folder is created when the file is written (AtomicFile); here it must be creatable.
  const MissingFolders folders = findMissingFolders(path, folder);
  if (!folders.missing.empty()) {
    const std::size_t limit = nameMax(folders.existing.string());
    if (name.size() > limit)
      throw InputError(abbreviated(path) + ": the file name is " + std::to_string(name.size()) +
                       " bytes long; the file system allows at most " + std::to_string(limit));
    return;
  }
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode))
      throw InputError(described(path, target) + ": is a folder, not a file name");
    if (!S_ISREG(st.st_mode))
      throw InputError(described(path, target) + ": is " + kindOf(st.st_mode) +
                       "; outputs are written as new regular files, so give a file name");
  }
  const std::size_t limit = nameMax(folder);
  if (name.size() > limit)
    throw InputError(abbreviated(path) + ": the file name is " + std::to_string(name.size()) +
                     " bytes long; the file system allows at most " + std::to_string(limit));
  if (::access(folder.c_str(), W_OK) != 0)
    throw RuntimeError(path + ": cannot write into '" + folder + "' (" + errorText(errno) + ")");
}

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
  checkOutputPath(path);
  target_ = resolveOutputPath(path);
  const std::string folder = folderOf(target_);
  createMissingFolders(path, folder);
  // A hidden name beside the target (GCC 12 warns falsely on `"." + string`, so append); a name
  // near the file system's limit gets a short one instead, or it could not be created at all.
  std::string hidden(1, '.');
  hidden.append(fs::path(target_).filename().string()).append(".tmp.XXXXXX");
  int suffix = 0;
  if (hidden.size() > nameMax(folder)) {
    hidden = ".gm-XXXXXX.tmp";
    suffix = 4;
  }
  temp_ = (fs::path(folder) / hidden).string();
  // mkostemps: a random name, O_CREAT|O_EXCL (never follows or reuses what is there), mode 0600.
  fd_ = ::mkostemps(temp_.data(), suffix, O_CLOEXEC);
  if (fd_ < 0) {
    const int err = errno;
    temp_.clear();
    throw RuntimeError(path + ": cannot create a temporary file in '" + folder + "' (" +
                       errorText(err) + ")");
  }
  try {
    registration_.emplace(temp_);
  } catch (...) {
    discard();
    throw;
  }
}

AtomicFile::~AtomicFile() {
  discard();
}

void AtomicFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!temp_.empty()) ::unlink(temp_.c_str());
  temp_.clear();
  registration_.reset();
}

void AtomicFile::commit() {
  if (fd_ < 0 || temp_.empty()) throw RuntimeError(path_ + ": nothing to commit");
  auto fail = [&](const std::string& what, int err) {
    discard();
    throw RuntimeError(path_ + ": " + what + " (" + errorText(err) + ")");
  };
  // The file replaced keeps its permission bits, and as root (which can) its owner and group:
  // rewriting someone's 0600 file must not make it world-readable or root's.
  struct stat old {};
  if (::stat(target_.c_str(), &old) == 0 && S_ISREG(old.st_mode)) {
    if (::geteuid() == 0 && ::fchown(fd_, old.st_uid, old.st_gid) != 0)
      fail("cannot give the new file the owner of the old one", errno);
    // After fchown, which clears set-user-ID and set-group-ID bits.
    if (::fchmod(fd_, old.st_mode & 07777) != 0)
      fail("cannot give the new file the permissions of the old one", errno);
  } else if (::fchmod(fd_, 0666 & ~currentUmask()) != 0) {
    fail("cannot set the new file's permissions", errno);
  }
  // On disk before the rename: after a crash the name holds the old file or the new, never an
  // empty one (a full disk on NFS or a quota also shows up here, not after the rename).
  if (::fsync(fd_) != 0) fail("cannot write the file to disk", errno);
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail("cannot write the file to disk", errno);
  if (::rename(temp_.c_str(), target_.c_str()) != 0)
    fail("cannot move the finished file into place", errno);
  temp_.clear();
  registration_.reset();
  // The rename itself on disk. Some file systems cannot sync a folder (EINVAL): nothing to do.
  const int dir = ::open(folderOf(target_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    const int rc = ::fsync(dir);
    const int err = errno;
    ::close(dir);
    if (rc != 0 && err != EINVAL && err != EROFS)
      throw RuntimeError(path_ + ": written, but the folder could not be flushed to disk (" +
                         errorText(err) + ")");
  }
}

void writeOutput(const std::string& path, const std::function<void(std::FILE*)>& write) {
  if (path != kStandardStream) {
    writeFileAtomically(path, write);
    return;
  }
  write(stdout);
  if (std::fflush(stdout) != 0 || std::ferror(stdout))
    throw RuntimeError(std::string("standard output: cannot write (") + std::strerror(errno) + ")");
}

void writeTextFileAtomically(const std::string& path, std::string_view text) {
  writeFileAtomically(path, [&](std::FILE* file) {
    if (std::fwrite(text.data(), 1, text.size(), file) != text.size())
      throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
  });
}

void writeFileAtomically(const std::string& path, const std::function<void(std::FILE*)>& write) {
  AtomicFile out(path);
  // The FILE owns a duplicate: fclose flushes and closes it, commit() syncs and closes the other.
  const int fd = ::dup(out.fd());
  std::FILE* file = fd >= 0 ? ::fdopen(fd, "wb") : nullptr;
  if (!file) {
    const int err = errno;
    if (fd >= 0) ::close(fd);
    throw RuntimeError(path + ": cannot open a temporary file (" + errorText(err) + ")");
  }
  try {
    write(file);
    if (std::fflush(file) != 0 || std::ferror(file))
      throw RuntimeError(path + ": write failed (" + errorText(errno) + ")");
  } catch (const Interrupted&) {
    std::fclose(file);
    throw;  // `out` removes the temporary file
  } catch (const InputError&) {
    std::fclose(file);
    throw;
  } catch (const std::bad_alloc&) {
    std::fclose(file);
    throw;
  } catch (const std::exception& e) {
    std::fclose(file);
    // As documented: a RuntimeError naming the file (libpng's messages do not name it).
    const std::string what = e.what();
    throw RuntimeError(what.rfind(path + ": ", 0) == 0 ? what : path + ": " + what);
  } catch (...) {
    std::fclose(file);
    throw;
  }
  if (std::fclose(file) != 0)
    throw RuntimeError(path + ": write failed (" + errorText(errno) + ")");
  out.commit();
}

}  // namespace gaussmap
