// libFuzzer target for the points CSV parser. An InputError is the expected answer to bad input;
// anything else (another exception, a crash, a sanitizer report, a hang) is a finding. Every
// kernel read must have finite fields, and every message must be one short, printable line.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "gaussmap/errors.h"
#include "gaussmap/points_csv.h"

namespace {

[[noreturn]] void finding(const char* what, const std::string& detail) {
  std::fprintf(stderr, "points_csv_fuzz: %s\n%s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  // The input's size varies the options: a renamed weight column, renamed axes, no default sigma.
  gaussmap::PointKernelShape shape;
  if (size % 3 != 0) shape.sigma_x = 2.0;
  if (size % 3 == 1) shape.sigma_y = 3.0;
  shape.angle_deg = 15.0;
  if (size % 2) shape.columns.weight = "w";
  if (size % 5 == 0) {
    shape.columns.x = "lon";
    shape.columns.y = "lat";
  }
  try {
    std::vector<std::string> unused;
    for (const gaussmap::Kernel& k : gaussmap::parsePointsCsv(text, "fuzz.csv", shape, &unused)) {
      if (!std::isfinite(k.x) || !std::isfinite(k.y) || !std::isfinite(k.weight) ||
          !std::isfinite(k.angle_deg))
        finding("a kernel with a non-finite field", std::string(text));
      if (!(k.sigma_x > 0) || !(k.sigma_y > 0) || !std::isfinite(k.sigma_x) ||
          !std::isfinite(k.sigma_y))
        finding("a kernel with a sigma that is not a positive number", std::string(text));
    }
  } catch (const gaussmap::InputError& e) {
    const std::string message = e.what();
    // Fields are escaped and cut: no control character, and a few hundred bytes at most.
    for (const char c : message)
      if (static_cast<unsigned char>(c) < 0x20)
        finding("a control character in a message", message);
    if (message.size() > 400) finding("a message longer than a line", message);
  }
  return 0;
}
