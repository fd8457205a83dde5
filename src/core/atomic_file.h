#pragma once
// Outputs are written to a temporary file in the target's folder and renamed into place, so a
// failure never leaves a truncated file and an existing file is only replaced by a complete one.
#include <cstdio>
#include <functional>
#include <string>

namespace gaussmap {

// Calls `write` with an open temporary file, then renames it to `path`. On any failure (an
// exception from `write`, a short write, a failed rename) the temporary file is removed and a
// RuntimeError naming `path` is thrown.
void writeFileAtomically(const std::string& path, const std::function<void(std::FILE*)>& write);

// Throws RuntimeError when the folder that would hold `path` does not exist or is not writable:
// lets commands fail before any rendering work.
void checkOutputFolder(const std::string& path);

}  // namespace gaussmap
