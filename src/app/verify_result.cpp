#include "app/verify_result.h"

#include <cstdio>

namespace gaussmap::app {

std::string verifyText(const VerifyResult& result) {
  if (!result.message.empty()) return "could not verify: " + result.message;
  char text[160];
  std::snprintf(text, sizeof text,
                "%s against the reference:\nmax error %.2e relative\n(%.2e absolute): %s",
                result.backend.c_str(), result.relative_error, result.max_abs_error,
                result.ok ? "within 1e-5" : "ABOVE 1e-5");
  return text;
}

}  // namespace gaussmap::app
