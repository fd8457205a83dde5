#pragma once
// Words in messages: "1 kernel", "2 kernels".
#include <string>
#include <string_view>

namespace gaussmap {

// `n` and the noun, plural (with an "s") unless n is 1.
inline std::string counted(long long n, std::string_view noun) {
  return std::to_string(n) + " " + std::string(noun) + (n == 1 ? "" : "s");
}

}  // namespace gaussmap
