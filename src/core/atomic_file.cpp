#include "core/atomic_file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <new>

#include "core/errors.h"

namespace gaussmap {
namespace {

std::string folderOf(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

}  // namespace

void checkOutputFolder(const std::string& path) {
  const std::string folder = folderOf(path);
  std::error_code ec;
  if (!std::filesystem::is_directory(folder, ec))
    throw RuntimeError(path + ": the folder '" + folder + "' does not exist");
  if (::access(folder.c_str(), W_OK) != 0)
    throw RuntimeError(path + ": cannot write into '" + folder + "' (" + std::strerror(errno) +
                       ")");
  if (std::filesystem::is_directory(path, ec))
    throw RuntimeError(path + ": is a folder, not a file name");
}

void writeFileAtomically(const std::string& path, const std::function<void(std::FILE*)>& write) {
  const std::filesystem::path target(path);
  // A hidden name beside the target (GCC 12 warns falsely on `"." + string`, so append).
  std::string hidden_name(1, '.');
  hidden_name.append(target.filename().string()).append(".tmp.XXXXXX");
  std::string temp = (std::filesystem::path(folderOf(path)) / hidden_name).string();
  const int fd = ::mkstemp(temp.data());
  if (fd < 0)
    throw RuntimeError(path + ": cannot create a temporary file (" + std::strerror(errno) + ")");
  std::FILE* file = ::fdopen(fd, "wb");
  if (!file) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw RuntimeError(path + ": cannot open a temporary file");
  }
  auto discard = [&] {
    std::fclose(file);
    ::unlink(temp.c_str());
  };
  try {
    write(file);
    if (std::fflush(file) != 0 || std::ferror(file))
      throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
  } catch (const std::bad_alloc&) {
    discard();
    throw;
  } catch (const std::exception& e) {
    discard();
    // As documented: a RuntimeError naming the file (libpng's messages do not name it).
    const std::string what = e.what();
    throw RuntimeError(what.rfind(path + ": ", 0) == 0 ? what : path + ": " + what);
  } catch (...) {
    discard();
    throw;
  }
  // mkstemp creates 0600; outputs should get the usual permissions (0666 minus umask).
  const mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd, 0666 & ~mask);
  if (std::fclose(file) != 0) {
    ::unlink(temp.c_str());
    throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(temp.c_str());
    throw RuntimeError(path + ": cannot move the finished file into place (" +
                       std::strerror(err) + ")");
  }
}

}  // namespace gaussmap
