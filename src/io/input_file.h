#pragma once
// Reading the files a user names as input (scenes, points) whole, within a bound: a file the
// size of the disk, /dev/zero or an endless pipe is refused instead of filling memory.
#include <cstdint>
#include <string>

namespace gaussmap {

// The largest input file read: 4 GiB (a scene of about 40 million kernels; far beyond what the
// renderers are meant for, far below what would exhaust a machine's memory by itself).
inline constexpr std::uint64_t kMaxInputFileBytes = std::uint64_t{4} << 30;

// "-" as an input names standard input (`gaussmap render -`, `--points -`), as an output
// standard output (`-o -`).
inline constexpr const char* kStandardStream = "-";

// How messages name an input: "<stdin>" for "-", else the path itself.
std::string inputSourceName(const std::string& path);

// The whole content of `path` ("-": standard input, read like any other stream). `what` names the
// file in messages ("scene file", "points file"). Regular files are measured before reading; pipes,
// /dev/stdin and other streams are read in chunks under the same cap. Errors:
//  - InputError (the user named the wrong thing): no such file, a directory, more than
//    `max_bytes`;
//  - RuntimeError (the system failed): permission denied or another open error, a read error,
//    out of memory; with strerror where there is one.
std::string readInputFile(const std::string& path, const char* what,
                          std::uint64_t max_bytes = kMaxInputFileBytes);

}  // namespace gaussmap
