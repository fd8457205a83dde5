// End-to-end: `gaussmap record` run as a child process. Frames must equal `gaussmap render
// --time k/fps` byte for byte (with the reference and the default GL backend), the colour range
// of an auto-range recording spans all frames, videos have the frames, size and rate asked for
// (read back with ffprobe), Ctrl+C (SIGINT) leaves only complete files and exit code 130, and a
// missing ffmpeg fails before any work.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "gaussmap/colormap.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"
#include "temp_folder.h"

extern char** environ;

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

const std::string kBinary = GAUSSMAP_BINARY;

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// Compared as `cmp` would; a failure must not print two PNGs' bytes.
bool sameBytes(const std::string& a, const std::string& b) {
  const std::string x = readText(a);
  return !x.empty() && x == readText(b);
}

// Time k / fps as the recorder prints it into frames (round-trips exactly).
std::string timeText(int k, double fps) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", k / fps);
  return text;
}

std::string frameName(int k) {
  char name[32];
  std::snprintf(name, sizeof name, "f_%03d.png", k);
  return name;
}

struct Child {
  pid_t pid = -1;
};

struct Finished {
  int exit_code = -1;  // -1 when ended by a signal
  std::string out, err;
};

// Each test gets a folder: work/ is the children's working directory and holds only what they
// write; their stdout and stderr live beside it.
class RecordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = ::gaussmap::testing::makeTempFolder("record");
    fs::create_directory(work());
    fs::create_directory(root_ / "scenes");
  }
  void TearDown() override { fs::remove_all(root_); }

  fs::path work() const { return root_ / "work"; }
  std::string at(const std::string& name) const { return (work() / name).string(); }

  std::string writeScene(const std::string& name, const std::string& json) const {
    const fs::path path = root_ / "scenes" / name;
    writeText(path, json);
    return path.string();
  }

  // Starts `program args...` in work/; `path` replaces PATH when given.
  // With `own_group`, the child leads a new process group, as a shell's foreground job does.
  Child start(const std::string& program, const std::vector<std::string>& args,
              std::optional<std::string> path = std::nullopt, bool own_group = false) {
    std::vector<std::string> env_strings;
    for (char** e = environ; *e; ++e)
      if (!path || std::string_view(*e).substr(0, 5) != "PATH=") env_strings.emplace_back(*e);
    if (path) env_strings.push_back("PATH=" + *path);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::vector<std::string> argv_strings{program};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
    const std::string out = (root_ / "stdout").string(), err = (root_ / "stderr").string();
    posix_spawn_file_actions_addopen(&actions, 1, out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    posix_spawn_file_actions_addopen(&actions, 2, err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    // Spawned directly, not through a shell, so that kill() reaches the program itself.
    const std::string dir = work().string();
    posix_spawn_file_actions_addchdir_np(&actions, dir.c_str());
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    if (own_group) {
      posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
      posix_spawnattr_setpgroup(&attr, 0);
    }
    Child child;
    const int rc =
        posix_spawn(&child.pid, program.c_str(), &actions, &attr, argv.data(), envp.data());
    posix_spawnattr_destroy(&attr);
    posix_spawn_file_actions_destroy(&actions);
    EXPECT_EQ(rc, 0) << "cannot start " << program;
    return child;
  }

  Finished wait(const Child& child) {
    Finished f;
    int status = 0;
    if (child.pid > 0 && ::waitpid(child.pid, &status, 0) == child.pid && WIFEXITED(status))
      f.exit_code = WEXITSTATUS(status);
    f.out = readText(root_ / "stdout");
    f.err = readText(root_ / "stderr");
    return f;
  }

  Finished run(const std::vector<std::string>& args, std::optional<std::string> path = {}) {
    return wait(start(kBinary, args, path));
  }

  // Runs ffprobe on a video; the first video stream's fields, as JSON.
  nlohmann::json probe(const std::string& video) {
    const Finished f =
        wait(start("/usr/bin/ffprobe",
                   {"-v", "error", "-count_frames", "-select_streams", "v:0", "-show_entries",
                    "stream=nb_read_frames,width,height,r_frame_rate,pix_fmt,codec_name", "-of",
                    "json", video}));
    EXPECT_EQ(f.exit_code, 0) << f.err;
    const auto j = nlohmann::json::parse(f.out, nullptr, false);
    if (j.is_discarded() || !j.contains("streams") || j["streams"].empty()) {
      ADD_FAILURE() << "ffprobe gave no video stream for " << video << ": " << f.out << f.err;
      return nlohmann::json::object();
    }
    return j["streams"][0];
  }

  std::set<std::string> filesInWork() const {
    std::set<std::string> names;
    for (const auto& e : fs::directory_iterator(work())) names.insert(e.path().filename().string());
    return names;
  }

  fs::path root_;
};

// Two kernels moving and turning (angle across 0), one colour range: frames 0..4 at 6 fps.
const char* kFixedRangeScene = R"({
  "width": 48, "height": 36, "range": [0, 0.012], "colormap": "magma", "fps": 6,
  "kernels": [
    {"x": 8, "y": 10, "sigma": 4, "keys": [
      {"t": 0, "x": 8, "y": 10, "interpolation": "smooth"}, {"t": 0.8, "x": 40, "y": 26}]},
    {"x": 24, "y": 18, "sigma_x": 9, "sigma_y": 3, "keys": [
      {"t": 0, "angle_deg": 340}, {"t": 0.8, "angle_deg": 20, "sigma_y": 5}]}]})";

class RecordPngTest : public RecordTest {
 protected:
  // Records the fixed-range scene and renders each frame's time; compares the files.
  void checkFramesEqualRender(const std::vector<std::string>& backend) {
    const std::string scene = writeScene("fixed.json", kFixedRangeScene);
    std::vector<std::string> args{"record", scene, "-o", "f_%03d.png"};
    args.insert(args.end(), backend.begin(), backend.end());
    const Finished rec = run(args);
    ASSERT_EQ(rec.exit_code, 0) << rec.err;
    // 0.8 s at 6 fps: frames at 0, 1/6, ..., 4/6.
    std::set<std::string> expected;
    for (int k = 0; k < 5; ++k) expected.insert(frameName(k));
    ASSERT_EQ(filesInWork(), expected);
    for (int k = 0; k < 5; ++k) {
      std::vector<std::string> render{"render",         scene, "--time",
                                      timeText(k, 6.0), "-o",  "render.png"};
      render.insert(render.end(), backend.begin(), backend.end());
      const Finished r = run(render);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_TRUE(sameBytes(at(frameName(k)), at("render.png")))
          << "frame " << k << " differs from render --time " << timeText(k, 6.0);
      const PngFile png = readPng(at(frameName(k)));
      EXPECT_EQ(png.text.at(kPngTimeKey), timeText(k, 6.0));
    }
    // The frames move: the first and the last differ.
    EXPECT_FALSE(readPng(at(frameName(0))).image.pixels == readPng(at(frameName(4))).image.pixels);
  }
};

TEST_F(RecordPngTest, FramesEqualRenderAtTheirTimeWithTheReferenceBackend) {
  checkFramesEqualRender({"--backend", "reference"});
}

TEST_F(RecordPngTest, FramesEqualRenderAtTheirTimeWithTheDefaultGlBackend) {
  checkFramesEqualRender({});
}

TEST_F(RecordPngTest, TwoRunsGiveByteIdenticalFrames) {
  const std::string scene = writeScene("fixed.json", kFixedRangeScene);
  ASSERT_EQ(run({"record", scene, "-o", "a_%02d.png", "--fps", "10"}).exit_code, 0);
  ASSERT_EQ(run({"record", scene, "-o", "b_%02d.png", "--fps", "10"}).exit_code, 0);
  for (int k = 0; k < 8; ++k) {
    char a[16], b[16];
    std::snprintf(a, sizeof a, "a_%02d.png", k);
    std::snprintf(b, sizeof b, "b_%02d.png", k);
    ASSERT_TRUE(fs::exists(at(a))) << a;
    EXPECT_TRUE(sameBytes(at(a), at(b))) << "frame " << k;
  }
  EXPECT_FALSE(fs::exists(at("a_08.png")));
}

// A kernel whose weight grows from 0: with range "auto" the first frame is all at the
// colormap's start, and every frame is coloured with the min..max over all frames.
const char* kGrowingScene = R"({
  "width": 40, "height": 30, "colormap": "viridis",
  "kernels": [
    {"x": 20, "y": 15, "sigma": 5, "weight": 0, "keys": [{"t": 0, "weight": 0}, {"t": 1, "weight": 2}]},
    {"x": 10, "y": 8, "sigma": 3, "weight": 0.5}]})";

class RecordAutoRangeTest : public RecordTest {
 protected:
  void checkAutoRange(const std::vector<std::string>& backend) {
    const std::string scene = writeScene("growing.json", kGrowingScene);
    constexpr double kFps = 4;
    constexpr int kFrames = 5;  // t = 0 .. 1
    std::vector<std::string> args{"record", scene, "-o",       "f_%03d.png",
                                  "--fps",  "4",   "--frames", "5"};
    args.insert(args.end(), backend.begin(), backend.end());
    const Finished rec = run(args);
    ASSERT_EQ(rec.exit_code, 0) << rec.err;

    // The min..max of every frame's values, from render --time ... -o .npy.
    double lo = std::numeric_limits<double>::infinity(), hi = -lo;
    std::optional<std::array<double, 2>> range;
    for (int k = 0; k < kFrames; ++k) {
      std::vector<std::string> values{"render",          scene, "--time",
                                      timeText(k, kFps), "-o",  "values.npy"};
      values.insert(values.end(), backend.begin(), backend.end());
      const Finished v = run(values);
      ASSERT_EQ(v.exit_code, 0) << v.err;
      for (float x : readNpy(at("values.npy")).pixels) {
        lo = std::min(lo, double{x});
        hi = std::max(hi, double{x});
      }
      // Each frame names the one range it was coloured with.
      const PngFile frame = readPng(at(frameName(k)));
      const Scene written = parseScene(frame.text.at(kPngSceneKey), frameName(k));
      ASSERT_TRUE(written.display.range) << "frame " << k << " has no resolved range";
      if (range) {
        EXPECT_EQ(*written.display.range, *range) << "frame " << k;
      }
      range = written.display.range;
    }
    ASSERT_TRUE(range);
    EXPECT_EQ((*range)[0], lo);
    EXPECT_EQ((*range)[1], hi);
    EXPECT_LT(lo, 1e-12);  // far from the small kernel, the first frame is (nearly) 0

    for (int k = 0; k < kFrames; ++k) {
      char lohi[96];
      std::snprintf(lohi, sizeof lohi, "%.17g:%.17g", (*range)[0], (*range)[1]);
      std::vector<std::string> render{"render",  scene, "--time", timeText(k, kFps),
                                      "--range", lohi,  "-o",     "render.png"};
      render.insert(render.end(), backend.begin(), backend.end());
      const Finished r = run(render);
      ASSERT_EQ(r.exit_code, 0) << r.err;
      EXPECT_TRUE(readPng(at("render.png")).image.pixels == readPng(at(frameName(k))).image.pixels)
          << "frame " << k << " differs from render --time " << timeText(k, kFps) << " --range "
          << lohi;
    }

    // Frame 0 holds only the small kernel (peak 0.5 / (18 pi) = 0.0088), far below the range's
    // top (the big kernel at weight 2: 2 / (50 pi) = 0.0127): dark, not stretched to full range.
    const Colormap& viridis = *findColormap("viridis");
    const RgbImage first = readPng(at(frameName(0))).image;
    const RgbImage last = readPng(at(frameName(kFrames - 1))).image;
    EXPECT_EQ(std::count(last.pixels.begin(), last.pixels.end(), colorAt(viridis, 1.0)), 1);
    EXPECT_EQ(std::count(first.pixels.begin(), first.pixels.end(), colorAt(viridis, 1.0)), 0);
    EXPECT_EQ(first.at(39, 29), colorAt(viridis, 0.0));
    const double small_peak = 0.5 / (2 * 3.141592653589793 * 9);
    EXPECT_LT(small_peak / hi, 0.75);
    int brightest_green = 0;
    for (const Rgb8& p : first.pixels) brightest_green = std::max(brightest_green, int(p.g));
    EXPECT_LE(brightest_green, colorAt(viridis, 0.75).g);
  }
};

TEST_F(RecordAutoRangeTest, RangeIsTheMinMaxOverAllFramesWithTheReferenceBackend) {
  checkAutoRange({"--backend", "reference"});
}

TEST_F(RecordAutoRangeTest, RangeIsTheMinMaxOverAllFramesWithTheDefaultGlBackend) {
  checkAutoRange({});
}

TEST_F(RecordTest, AnAllZeroFirstFrameDoesNotStretchALogRange) {
  // Log places only positive values: frame 0 has none, and must not add a stand-in value.
  const std::string scene = writeScene("log.json", R"({
    "width": 32, "height": 24, "scale": "log",
    "kernels": [{"x": 16, "y": 12, "sigma": 4, "weight": 0,
                 "keys": [{"t": 0, "weight": 0}, {"t": 1, "weight": 1}]}]})");
  const Finished rec =
      run({"record", scene, "-o", "f_%03d.png", "--fps", "4", "--backend", "reference"});
  ASSERT_EQ(rec.exit_code, 0) << rec.err;
  const Scene written = parseScene(readPng(at(frameName(3))).text.at(kPngSceneKey), "frame 3");
  ASSERT_TRUE(written.display.range);
  // The peak at t = 0.75: 0.75 / (2 pi 16).
  EXPECT_NEAR((*written.display.range)[1], 0.75 / (2 * 3.141592653589793 * 16), 1e-9);
}

TEST_F(RecordTest, Mp4HasTheRequestedFramesSizeAndRate) {
  const std::string scene = writeScene("fixed.json", kFixedRangeScene);
  const Finished rec =
      run({"record", scene, "-o", "movie.mp4", "--fps", "24", "--frames", "12", "--size", "64x48"});
  ASSERT_EQ(rec.exit_code, 0) << rec.err;
  EXPECT_EQ(filesInWork(), std::set<std::string>{"movie.mp4"});
  const auto s = probe(at("movie.mp4"));
  EXPECT_EQ(s.value("codec_name", ""), "h264");
  EXPECT_EQ(s.value("pix_fmt", ""), "yuv420p");
  EXPECT_EQ(s.value("width", 0), 64);
  EXPECT_EQ(s.value("height", 0), 48);
  EXPECT_EQ(s.value("r_frame_rate", ""), "24/1");
  EXPECT_EQ(s.value("nb_read_frames", ""), "12");
}

TEST_F(RecordTest, Mp4OfAnOddSizeIsPaddedToEvenSides) {
  const std::string scene = writeScene("fixed.json", kFixedRangeScene);
  const Finished rec = run({"record", scene, "-o", "odd.mp4", "--frames", "3", "--size", "101x75",
                            "--backend", "reference"});
  ASSERT_EQ(rec.exit_code, 0) << rec.err;
  const auto s = probe(at("odd.mp4"));
  EXPECT_EQ(s.value("width", 0), 102);
  EXPECT_EQ(s.value("height", 0), 76);
  EXPECT_EQ(s.value("pix_fmt", ""), "yuv420p");
  EXPECT_EQ(s.value("nb_read_frames", ""), "3");
  EXPECT_EQ(s.value("r_frame_rate", ""), "6/1");  // the scene's fps
}

TEST_F(RecordTest, WebmAndGifAreReadableVideos) {
  const std::string scene = writeScene("fixed.json", kFixedRangeScene);
  ASSERT_EQ(run({"record", scene, "-o", "movie.webm", "--backend", "reference"}).exit_code, 0);
  ASSERT_EQ(run({"record", scene, "-o", "movie.gif", "--backend", "reference"}).exit_code, 0);
  EXPECT_EQ(filesInWork(), (std::set<std::string>{"movie.gif", "movie.webm"}));
  const auto webm = probe(at("movie.webm"));
  EXPECT_EQ(webm.value("codec_name", ""), "vp9");
  EXPECT_EQ(webm.value("width", 0), 48);
  EXPECT_EQ(webm.value("nb_read_frames", ""), "5");
  const auto gif = probe(at("movie.gif"));
  EXPECT_EQ(gif.value("codec_name", ""), "gif");
  EXPECT_EQ(gif.value("height", 0), 36);
  EXPECT_EQ(gif.value("nb_read_frames", ""), "5");
}

// Many kernels at 800x600 with the reference backend: a few frames a second, so 400 frames
// take minutes and SIGINT a second after the first frame lands part-way.
std::string slowScene() {
  std::string kernels;
  for (int i = 0; i < 24; ++i) {
    const int x = 20 + i * 7, y = 30 + (i * 13) % 90;
    kernels += (i ? ",\n" : "") + std::string("{\"x\": ") + std::to_string(x) +
               ", \"y\": " + std::to_string(y) + ", \"sigma\": " + std::to_string(6 + i % 5) +
               ", \"keys\": [{\"t\": 0, \"x\": " + std::to_string(x) +
               "}, {\"t\": 10, \"x\": " + std::to_string(x + 40) + ", \"angle_deg\": 30}]}";
  }
  return R"({"width": 160, "height": 120, "kernels": [)" + kernels + "]}";
}

class RecordInterruptTest : public RecordTest {
 protected:
  // Starts a 400-frame recording, interrupts it a second after its first frame; returns how
  // many frames its message says were written.
  int interrupt(const std::string& output, const std::string& range = "0:0.01",
                int signal_number = SIGINT) {
    const std::string scene = writeScene("slow.json", slowScene());
    const Child child = start(kBinary,
                              {"record", scene, "-o", output, "--frames", "400", "--size",
                               "800x600", "--backend", "reference", "--range", range},
                              std::nullopt, true);
    if (child.pid <= 0) return -1;  // kill(-1, ...) would reach every process of the user
    // The first progress line comes after the first frame; however loaded the machine, SIGINT
    // then lands part-way, with frames written.
    const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (readText(root_ / "stderr").find("gaussmap: record: ") == std::string::npos &&
           std::chrono::steady_clock::now() < give_up)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    // To the whole group, as Ctrl+C in a terminal: ffmpeg must not be cut off mid-file.
    EXPECT_EQ(::kill(-child.pid, signal_number), 0);
    const Finished f = wait(child);
    const bool term = signal_number == SIGTERM;
    EXPECT_EQ(f.exit_code, term ? 143 : 130) << f.err;
    const std::string word = term ? "terminated" : "interrupted";
    EXPECT_THAT(f.err, HasSubstr(word));
    std::smatch m;
    const std::regex after(word + R"( after (\d+) of 400 frames)");
    if (!std::regex_search(f.err, m, after)) {
      ADD_FAILURE() << "no frame count in: " << f.err;
      return -1;
    }
    return std::stoi(m[1].str());
  }
};

TEST_F(RecordInterruptTest, SigintFinalisesTheMp4WithTheFramesSoFar) {
  const int written = interrupt("movie.mp4");
  EXPECT_GE(written, 1);
  EXPECT_LT(written, 400);
  EXPECT_EQ(filesInWork(), std::set<std::string>{"movie.mp4"});  // no temporary video left
  const auto s = probe(at("movie.mp4"));
  const int frames = std::stoi(s.value("nb_read_frames", "0"));
  EXPECT_GE(frames, 1);
  EXPECT_LT(frames, 400);
  EXPECT_EQ(frames, written);
  EXPECT_EQ(s.value("width", 0), 800);
}

TEST_F(RecordInterruptTest, SigtermFinalisesTheWebmWithTheFramesSoFarAndExits143) {
  const int written = interrupt("movie.webm", "0:0.01", SIGTERM);
  EXPECT_GE(written, 1);
  EXPECT_LT(written, 400);
  EXPECT_EQ(filesInWork(), std::set<std::string>{"movie.webm"});  // no temporary file left
  const auto s = probe(at("movie.webm"));
  EXPECT_EQ(std::stoi(s.value("nb_read_frames", "0")), written);
}

TEST_F(RecordInterruptTest, SigintDuringTheRangePassWritesNothing) {
  // An auto range needs every frame's values before the first frame is written.
  EXPECT_EQ(interrupt("movie.mp4", "auto"), 0);
  EXPECT_TRUE(filesInWork().empty());
}

TEST_F(RecordInterruptTest, SigintLeavesOnlyCompletePngFrames) {
  const int written = interrupt("f_%03d.png");
  EXPECT_GE(written, 1);
  EXPECT_LT(written, 400);
  std::set<std::string> expected;
  for (int k = 0; k < written; ++k) expected.insert(frameName(k));
  EXPECT_EQ(filesInWork(), expected);  // and no temporary files
  for (const std::string& name : filesInWork()) {
    const PngFile png = readPng(at(name));
    EXPECT_EQ(png.image.width, 800) << name;
    EXPECT_EQ(png.image.height, 600) << name;
  }
}

TEST_F(RecordTest, WithoutFfmpegVideoFailsBeforeAnyWorkButPngsStillWork) {
  const std::string scene = writeScene("fixed.json", kFixedRangeScene);
  const Finished video = run({"record", scene, "-o", "movie.mp4"}, "/nonexistent");
  EXPECT_EQ(video.exit_code, 1);
  EXPECT_THAT(video.err, HasSubstr("ffmpeg is not installed"));
  EXPECT_THAT(video.err, Not(HasSubstr("backend")));  // no renderer was made
  EXPECT_TRUE(filesInWork().empty());

  const Finished frames = run({"record", scene, "-o", "f_%03d.png"}, "/nonexistent");
  EXPECT_EQ(frames.exit_code, 0) << frames.err;
  EXPECT_EQ(filesInWork().size(), 5u);
}

TEST_F(RecordTest, AStillSceneWithoutFramesOrDurationHasNothingToRecord) {
  const std::string scene = writeScene(
      "still.json", R"({"width": 8, "height": 8, "kernels": [{"x": 4, "y": 4, "sigma": 2}]})");
  const Finished f = run({"record", scene, "-o", "f_%03d.png"});
  EXPECT_EQ(f.exit_code, 2);
  EXPECT_THAT(f.err, HasSubstr("nothing to record"));
  EXPECT_TRUE(filesInWork().empty());
  // With a count it records the still scene.
  const Finished counted =
      run({"record", scene, "-o", "f_%03d.png", "--frames", "2", "--backend", "reference"});
  EXPECT_EQ(counted.exit_code, 0) << counted.err;
  EXPECT_EQ(filesInWork(), (std::set<std::string>{"f_000.png", "f_001.png"}));
}

}  // namespace
}  // namespace gaussmap
