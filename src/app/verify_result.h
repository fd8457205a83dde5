#pragma once
// The viewer's Verify panel: what it found, and the words it shows (no ImGui here, so that the
// text is tested without a window).
#include <string>

namespace gaussmap::app {

struct VerifyResult {
  std::string backend;  // what rendered the canvas's values: "cpu" or "gl"
  double relative_error = 0;
  double max_abs_error = 0;
  bool ok = false;
  std::string message;  // why the check could not run (then the numbers mean nothing)
};

// One short line each, so that the side panel shows it whole (it also wraps it to its width):
// "cpu against the reference:\nmax error 1.2e-07 relative\n(3.4e-11 absolute): within 1e-5".
std::string verifyText(const VerifyResult& result);

}  // namespace gaussmap::app
