#pragma once
// Running the built `gaussmap` binary from a test: a fresh folder per test (out/ is the working
// directory and holds only what the binary writes; its stdout and stderr are captured beside it).
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "temp_folder.h"

namespace gaussmap::testing {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

inline std::string readText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

inline std::string shellQuote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class BinaryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::gaussmap::testing::makeTempFolder("test");
    std::filesystem::create_directory(out());
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::filesystem::path out() const { return root_ / "out"; }
  std::string outPath(const std::string& name) const { return (out() / name).string(); }

  // Runs gaussmap with `args` in out/; `environment` (e.g. "VAR=value") prefixes the command;
  // standard input reads `input` (a file; /dev/null unless given).
  RunResult run(const std::vector<std::string>& args, const std::string& environment = {},
                const std::string& input = "/dev/null") const {
    // Built with append: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string`.
    std::string command = "cd ";
    command.append(shellQuote(out().string())).append(" && ").append(environment).append(" ");
    command.append(shellQuote(GAUSSMAP_BINARY));
    for (const std::string& a : args) command.append(" ").append(shellQuote(a));
    command.append(" >").append(shellQuote((root_ / "stdout").string()));
    command.append(" 2>").append(shellQuote((root_ / "stderr").string()));
    command.append(" <").append(shellQuote(input));
    const int status = std::system(command.c_str());
    RunResult r;
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    r.out = readText(root_ / "stdout");
    r.err = readText(root_ / "stderr");
    return r;
  }

  // The names of the files in out/, sorted.
  std::vector<std::string> outEntries() const {
    std::vector<std::string> names;
    for (const auto& e : std::filesystem::directory_iterator(out()))
      names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  std::filesystem::path root_;
};

}  // namespace gaussmap::testing
