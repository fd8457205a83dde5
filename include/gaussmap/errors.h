#pragma once
// Errors carry their context inside; the CLI turns them into exit codes at the edge:
// InputError -> 2 (invalid input or usage), RuntimeError -> 1 (I/O, memory, no OpenGL).
#include <stdexcept>
#include <string>

namespace gaussmap {

// The user's input (scene file, CSV, option value) is wrong. The message names what and where.
class InputError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Something outside the input failed: a file could not be written, no OpenGL context, ...
class RuntimeError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace gaussmap
