#pragma once
// A fresh folder for one test: <temp>/gaussmap_<name>_XXXXXX, made by mkdtemp, so it is never an
// existing folder nor shared with a test running in parallel. The caller removes it.
#include <stdlib.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace gaussmap::testing {

inline std::filesystem::path makeTempFolder(const std::string& name) {
  // Appended, not "literal" + string: GCC 12 warns falsely (-Wrestrict) on that.
  std::string pattern = std::string("gaussmap_").append(name).append("_XXXXXX");
  pattern = (std::filesystem::temp_directory_path() / pattern).string();
  if (::mkdtemp(pattern.data()) == nullptr)
    throw std::runtime_error("cannot make a temporary folder " + pattern);
  return pattern;
}

}  // namespace gaussmap::testing
