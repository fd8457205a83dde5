// Stopping long work: SIGINT and SIGTERM end a render on any backend within about a second with
// exit 130 / 143 and leave nothing behind; long renders show progress on a terminal; no render
// writes a NaN or an infinity as if it were a result.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <fstream>
#include <limits>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "binary_test.h"
#include "core/interrupt.h"
#include "core/renderer.h"
#include "gaussmap/errors.h"
#include "gaussmap/image.h"

extern char** environ;

namespace gaussmap {
namespace {

using testing::BinaryTest;
using ::testing::HasSubstr;
using testing::readText;

// A scene that the reference renders in about ten seconds here (cell normalisation of rotated
// kernels integrates every sample): long enough that a signal always arrives mid-render.
const char* kSlowScene = R"({"width": 3000, "height": 3000, "normalize": "cell",
  "kernels": [{"x": 1500, "y": 1500, "sigma_x": 700, "sigma_y": 400, "angle_deg": 30},
              {"x": 1000, "y": 2000, "sigma_x": 600, "sigma_y": 300, "angle_deg": 60}]})";

class StopTest : public BinaryTest {
 protected:
  // Starts gaussmap in out/ with stderr to a file; returns its pid.
  pid_t start(const std::vector<std::string>& args) {
    std::vector<std::string> all{GAUSSMAP_BINARY};
    all.insert(all.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addchdir_np(&actions, out().c_str());
    const std::string err = (root_ / "stderr").string();
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    pid_t pid = -1;
    EXPECT_EQ(posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    return pid;
  }

  // Waits up to `limit` for the process; returns its exit code, or -1 if it is still running
  // (then it is killed, so a failing test does not leave it behind).
  static int waitFor(pid_t pid, std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    int status = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      if (::waitpid(pid, &status, WNOHANG) == pid)
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
  }

  void stopsCleanly(const std::vector<std::string>& backend_args, int signal_number) {
    std::ofstream(outPath("slow.json")) << kSlowScene;
    std::vector<std::string> args{"render", "slow.json", "-o", "slow.npy", "-o", "slow.png"};
    args.insert(args.end(), backend_args.begin(), backend_args.end());
    const pid_t pid = start(args);
    // Let it get well into the render (parsing takes a millisecond).
    std::this_thread::sleep_for(std::chrono::milliseconds(700));
    ASSERT_EQ(::kill(pid, signal_number), 0);
    // "About a second"; ten allow for a loaded machine without letting a hang pass.
    const int code = waitFor(pid, std::chrono::seconds(10));
    EXPECT_EQ(code, 128 + signal_number) << readText(root_ / "stderr");
    EXPECT_THAT(readText(root_ / "stderr"), HasSubstr("stopped, no output written"));
    EXPECT_EQ(outEntries(), std::vector<std::string>{"slow.json"});
  }
};

TEST_F(StopTest, SigintStopsAReferenceRenderWithExit130AndNoOutput) {
  stopsCleanly({"--backend", "reference"}, SIGINT);
}

TEST_F(StopTest, SigtermStopsAReferenceRenderWithExit143AndNoOutput) {
  stopsCleanly({"--backend", "reference"}, SIGTERM);
}

TEST_F(StopTest, ALongRenderShowsProgressOnATerminal) {
  // `script` gives the binary a pseudo-terminal for stderr; the bar appears after two seconds.
  // A smaller cut of the slow scene: about four seconds, so it finishes by itself.
  std::string scene = kSlowScene;
  const std::string size = "\"width\": 3000, \"height\": 3000";
  scene.replace(scene.find(size), size.size(), "\"width\": 2000, \"height\": 2000");
  std::ofstream(outPath("slow.json")) << scene;
  const std::string command =
      "cd " + testing::shellQuote(out().string()) + " && timeout 120 script -qec " +
      testing::shellQuote(std::string(GAUSSMAP_BINARY) +
                          " render slow.json -o slow.npy --backend reference") +
      " /dev/null > " + testing::shellQuote((root_ / "tty").string()) + " 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << readText(root_ / "tty");
  const std::string tty = readText(root_ / "tty");
  EXPECT_THAT(tty, HasSubstr("reference render ["));
  EXPECT_THAT(tty, HasSubstr("left  (Ctrl+C stops)"));
  // The line is cleared at the end, so the next message starts clean.
  EXPECT_THAT(tty, HasSubstr("\r\033[K"));
  EXPECT_TRUE(std::filesystem::exists(outPath("slow.npy")));
}

TEST_F(StopTest, ALongRenderWithStderrRedirectedPrintsNoProgressBar) {
  std::ofstream(outPath("slow.json")) << kSlowScene;
  const pid_t pid = start({"render", "slow.json", "-o", "slow.npy", "--backend", "reference"});
  std::this_thread::sleep_for(std::chrono::milliseconds(2500));
  ::kill(pid, SIGINT);
  EXPECT_EQ(waitFor(pid, std::chrono::seconds(10)), 130);
  // stderr is a file, not a terminal: one line saying what happened, no bar.
  EXPECT_THAT(readText(root_ / "stderr"), ::testing::Not(HasSubstr("[")));
}

TEST(FiniteValues, ANanOrInfinityIsARuntimeErrorNamingTheSample) {
  FloatImage values(4, 3, 0.5f);
  EXPECT_NO_THROW(requireFiniteValues(values, "the cpu backend"));
  values.at(2, 1) = std::numeric_limits<float>::quiet_NaN();
  try {
    requireFiniteValues(values, "the cpu backend");
    ADD_FAILURE() << "NaN accepted";
  } catch (const RuntimeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("the cpu backend produced NaN at sample (2, 1)"));
    EXPECT_THAT(e.what(), HasSubstr("nothing was written"));
  }
  values.at(2, 1) = 0;
  values.at(0, 2) = -std::numeric_limits<float>::infinity();
  EXPECT_THROW(requireFiniteValues(values, "gl"), RuntimeError);
}

TEST(InterruptFlag, RequestThrowsAtTheNextCheckpointWithTheSignalsExitCode) {
  EXPECT_NO_THROW(throwIfInterrupted());
  requestInterrupt(SIGTERM);
  requestInterrupt(SIGINT);  // the first request is the one that counts
  EXPECT_TRUE(interruptRequested());
  try {
    reportProgress("test", 1, 2);
    ADD_FAILURE() << "reportProgress is a checkpoint";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.exitCode(), 143);
  }
  clearInterrupt();
  EXPECT_NO_THROW(throwIfInterrupted());
}

TEST(SilentProgress, SilencesItsOwnThreadOnlyAndStillChecksForStops) {
  std::vector<std::string> reported;
  std::mutex mutex;
  setProgressReporter([&](const char* what, std::int64_t, std::int64_t) {
    std::lock_guard lock(mutex);
    reported.emplace_back(what);
  });
  {
    const SilentProgress silent;
    reportProgress("silenced", 1, 2);
    std::thread([] { reportProgress("other thread", 1, 2); }).join();
    {
      const SilentProgress nested;
      reportProgress("nested", 1, 2);
    }
    reportProgress("still silenced", 1, 2);  // the outer one holds
    requestInterrupt(SIGINT);
    EXPECT_THROW(reportProgress("silenced", 1, 2), Interrupted);
    clearInterrupt();
  }
  reportProgress("heard again", 1, 2);
  setProgressReporter(nullptr);
  EXPECT_EQ(reported, (std::vector<std::string>{"other thread", "heard again"}));
}

}  // namespace
}  // namespace gaussmap
