// The README's command examples run as written on a fresh clone: every `gaussmap ...` or
// `build/src/gaussmap ...` line of its fenced code blocks, read from README.md when the test runs
// (an edited example is tested with no change here), in order, in a fresh folder that holds a copy
// of the repository's scenes/ and nothing else (no out/ folder). `view` commands need a display
// and are skipped, each named in the output; the GL commands are skipped, named, only where no
// OpenGL context can be made.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "binary_test.h"
#include "temp_folder.h"

namespace gaussmap::testing {
namespace {

namespace fs = std::filesystem;

struct Example {
  int line = 0;         // in README.md, where the command starts
  std::string command;  // as written (continuation lines joined)
  std::string words;    // what follows the program's name
};

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

// The command lines of README.md's fenced code blocks that run gaussmap.
std::vector<Example> readmeExamples(const std::string& readme) {
  std::vector<Example> examples;
  std::istringstream in(readme);
  std::string line;
  bool in_block = false;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    const std::string t = trim(line);
    if (t.rfind("```", 0) == 0) {
      in_block = !in_block;
      continue;
    }
    if (!in_block) continue;
    Example e{number, t.rfind("$ ", 0) == 0 ? trim(t.substr(2)) : t, ""};
    while (!e.command.empty() && e.command.back() == '\\' && std::getline(in, line)) {
      ++number;
      e.command.pop_back();
      e.command.append(" ").append(trim(line));
    }
    for (const std::string program : {"gaussmap ", "build/src/gaussmap "})
      if (e.command.rfind(program, 0) == 0) {
        e.words = e.command.substr(program.size());
        examples.push_back(e);
      }
  }
  return examples;
}

std::string firstWord(const std::string& words) {
  return words.substr(0, words.find(' '));
}

bool needsGl(const Example& e) {
  return firstWord(e.words) == "verify" || e.words.find("--backend gl") != std::string::npos;
}

// Runs `words` after the binary through sh (the README's quoting and comments as a shell sees
// them) in `dir`; the exit status, stderr in `err`.
int runInShell(const fs::path& dir, const std::string& words, std::string& err) {
  std::string command = "cd ";
  command.append(shellQuote(dir.string())).append(" && timeout 300 ");
  command.append(shellQuote(GAUSSMAP_BINARY)).append(" ").append(words);
  // A trailing comment must not swallow the redirections: they go on a line of their own.
  const fs::path err_file = dir.parent_path() / "stderr";
  // Built with append: GCC 12 warns falsely (-Wrestrict) on `"literal" + std::string`.
  std::string grouped = "{ ";
  grouped.append(command).append("\n} >/dev/null 2>").append(shellQuote(err_file.string()));
  grouped.append(" </dev/null");
  command = grouped;
  const int status = std::system(command.c_str());
  err = readText(err_file);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class ReadmeExamples : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::gaussmap::testing::makeTempFolder("readme");
    clone_ = root_ / "clone";
    fs::create_directory(clone_);
    fs::copy(fs::path(GAUSSMAP_SOURCE_DIR) / "scenes", clone_ / "scenes",
             fs::copy_options::recursive);
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path root_, clone_;
};

TEST(ReadmeExampleParsing, FindsCommandsInCodeBlocksOnly) {
  const std::string readme =
      "Run `gaussmap render x.json` (inline, not a block).\n"
      "```sh\n"
      "gaussmap render a.json -o 'o/f_%05d.png'   # a comment\n"
      "build/src/gaussmap verify a.json\n"
      "$ gaussmap record a.json \\\n"
      "    -o out/a.mp4\n"
      "scripts/dev run\n"
      "```\n"
      "gaussmap view outside.json\n";
  const std::vector<Example> e = readmeExamples(readme);
  ASSERT_EQ(e.size(), 3u);
  EXPECT_EQ(e[0].words, "render a.json -o 'o/f_%05d.png'   # a comment");
  EXPECT_EQ(e[0].line, 3);
  EXPECT_EQ(e[1].words, "verify a.json");
  EXPECT_EQ(e[2].words, "record a.json  -o out/a.mp4");
  EXPECT_EQ(e[2].line, 5);
  EXPECT_TRUE(needsGl(e[1]));
  EXPECT_FALSE(needsGl(e[0]));
}

TEST_F(ReadmeExamples, RunAsWrittenOnAFreshClone) {
  const std::string readme = readText(fs::path(GAUSSMAP_SOURCE_DIR) / "README.md");
  const std::vector<Example> examples = readmeExamples(readme);
  // The README's "Using it" block alone holds more; fewer means the parsing lost them.
  ASSERT_GE(examples.size(), 5u) << "README.md: found only " << examples.size()
                                 << " gaussmap commands in code blocks";

  std::string probe_err;
  fs::create_directory(root_ / "probe");
  fs::copy(clone_ / "scenes", root_ / "probe" / "scenes", fs::copy_options::recursive);
  const bool gl =
      runInShell(root_ / "probe", "render scenes/seed.json --backend gl -o p.npy", probe_err) == 0;
  int ran = 0;
  for (const Example& e : examples) {
    if (firstWord(e.words) == "view") {
      std::cout << "SKIPPED (the viewer needs a display): README.md:" << e.line << ": " << e.command
                << "\n";
      continue;
    }
    if (needsGl(e) && !gl) {
      std::cout << "SKIPPED LOUDLY (no OpenGL context can be made here: " << probe_err
                << "): README.md:" << e.line << ": " << e.command << "\n";
      continue;
    }
    std::string err;
    const int code = runInShell(clone_, e.words, err);
    EXPECT_EQ(code, 0) << "README.md:" << e.line << ": " << e.command << "\nfails with exit "
                       << code << " in a fresh clone:\n"
                       << err;
    ++ran;
  }
  EXPECT_GE(ran, 4);
}

// The example the issue named: a PNG frame pattern whose folder does not exist yet.
TEST_F(ReadmeExamples, RecordingToAPatternCreatesItsFolderAndSaysSoOnce) {
  std::string err;
  ASSERT_EQ(runInShell(clone_,
                       "record scenes/sweep.json --frames 3 --backend cpu -o "
                       "'out/sweep/f_%05d.png'",
                       err),
            0)
      << err;
  for (const char* frame : {"f_00000.png", "f_00001.png", "f_00002.png"})
    EXPECT_TRUE(fs::is_regular_file(clone_ / "out/sweep" / frame)) << frame;
  const std::size_t said = err.find(
      "gaussmap: created the folder 'out/sweep' for "
      "out/sweep/f_00000.png\n");
  ASSERT_NE(said, std::string::npos) << err;
  EXPECT_EQ(err.find("created the folder", said + 20), std::string::npos) << err;
}

}  // namespace
}  // namespace gaussmap::testing
