// Every file gaussmap writes is safe: a full disk never replaces a good video with a broken one,
// temporary files cannot be hijacked through planted links, a failed rename is a failure,
// special files (FIFOs, devices, folders) are refused before any work, a symlinked output stays a
// link, PNG text chunks stay readable by Pillow, frame patterns are parsed without std::regex or
// printf of user text, frame counts are checked before they overflow, and a recording never
// colours a NaN. Most tests run the built binary (with --backend cpu or reference: no GL needed);
// the mount tests need root (CI is root) and skip loudly without it.
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "binary_test.h"
#include "core/renderer.h"
#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"
#include "media/frame_sink.h"
#include "media/recording.h"
#include "temp_folder.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using testing::BinaryTest;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::readText;
using testing::RunResult;
using testing::shellQuote;
using ::testing::StartsWith;

const std::string kSweep = std::string(GAUSSMAP_SOURCE_DIR) + "/scenes/sweep.json";
const std::string kPoints = std::string(GAUSSMAP_SOURCE_DIR) + "/scenes/points.csv";

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// --- Frame patterns: a hand-written scanner (std::regex overflowed the stack on long names,
// and printf of a %0999999999d allocated gigabytes) ---

TEST(FramePatternTest, TakesThePatternApart) {
  FramePattern p = parseFramePattern("out/f_%05d.png");
  EXPECT_EQ(p.prefix, "out/f_");
  EXPECT_EQ(p.suffix, ".png");
  EXPECT_EQ(p.width, 5);
  EXPECT_TRUE(p.zero_pad);
  EXPECT_EQ(framePath(p, 7), "out/f_00007.png");
  EXPECT_EQ(framePath(p, 123456), "out/f_123456.png");  // wider than the width: not cut

  p = parseFramePattern("100%%_%3d.png");
  EXPECT_EQ(p.prefix, "100%_");
  EXPECT_EQ(p.width, 3);
  EXPECT_FALSE(p.zero_pad);
  EXPECT_EQ(framePath(p, 7), "100%_  7.png");  // as printf's %3d

  EXPECT_EQ(framePath("%d.png", 42), "42.png");
  EXPECT_EQ(framePath("a_%0d_%%.png", 3), "a_3_%.png");
  EXPECT_EQ(framePath("f_%0999d.png", 1).size(), 2u + 999u + 4u);
}

TEST(FramePatternTest, RefusesEverythingButOneDConversion) {
  for (const std::string bad :
       {"f.png", "f_%d%d.png", "f_%s.png", "f_%05.png", "f_%", "f_%0999999999d.png", "f_%1000d.png",
        "f_%-5d.png", "f_%+d.png", "f_%00d.png", "f_%ld.png", "f_%n.png", "f_%x.png",
        "out_%d/f.png", "%d%%%d.png"}) {
    try {
      parseFramePattern(bad);
      ADD_FAILURE() << bad << ": accepted";
    } catch (const InputError& e) {
      EXPECT_THAT(std::string(e.what()), HasSubstr("frame pattern")) << bad;
    }
  }
}

TEST(FramePatternTest, AVeryLongPatternIsScannedWithoutRecursion) {
  const std::string pattern = std::string(200000, 'a') + "_%d.png";
  const FramePattern p = parseFramePattern(pattern);
  EXPECT_EQ(p.prefix.size(), 200001u);
  EXPECT_EQ(sinkKindOf(pattern), SinkKind::PngSequence);
  const std::string bad = std::string(200000, 'a') + "_%d%d.png";
  try {
    parseFramePattern(bad);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_LT(std::string(e.what()).size(), 1000u);  // the message shows the pattern cut short
  }
}

// --- Planning a recording: every limit is checked in double before any work ---

class PlanTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = ::gaussmap::testing::makeTempFolder("plan");
    scene_ = parseScene(R"({"width": 8, "height": 8, "duration": 2,
                            "kernels": [{"x": 4, "y": 4, "sigma": 2}]})",
                        "scene");
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string at(const std::string& name) const { return (dir_ / name).string(); }

  fs::path dir_;
  Scene scene_;
};

TEST_F(PlanTest, AFrameCountBeyondAnIntIsRefusedNotOverflowed) {
  // 1e12 s at 1000 fps: `int(ceil(1e15))` was undefined behaviour and recorded one frame.
  try {
    planRecording(scene_, at("f_%d.png"), 1000.0, std::nullopt, 1e12);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("more than 1,000,000 frames"));
  }
  EXPECT_THROW(planRecording(scene_, at("f_%d.png"), 1000.0, std::nullopt, 1000.001),
               InputError);  // 1,000,001 frames
  EXPECT_EQ(planRecording(scene_, at("f_%d.png"), 1000.0, std::nullopt, 1000.0).frames, 1000000);
  EXPECT_THROW(planRecording(scene_, at("f_%d.png"), 30.0, 1000001, std::nullopt), InputError);
  EXPECT_THROW(planRecording(scene_, at("f_%d.png"), 30.0, std::nullopt,
                             std::numeric_limits<double>::infinity()),
               InputError);
  EXPECT_THROW(planRecording(scene_, at("f_%d.png"), 30.0, std::nullopt, std::nan("")), InputError);
  EXPECT_TRUE(fs::is_empty(dir_));
}

TEST_F(PlanTest, FpsIsWithinAThousandthAndAThousand) {
  EXPECT_THROW(planRecording(scene_, at("f_%d.png"), 0.0001, 1, std::nullopt), InputError);
  EXPECT_THROW(planRecording(scene_, at("f_%d.png"), 1000.5, 1, std::nullopt), InputError);
  EXPECT_THROW(planRecording(scene_, at("f_%d.png"), std::nan(""), 1, std::nullopt), InputError);
  EXPECT_EQ(planRecording(scene_, at("f_%d.png"), 0.001, 1, std::nullopt).fps, 0.001);
  EXPECT_EQ(planRecording(scene_, at("f_%d.png"), 1000.0, 1, std::nullopt).fps, 1000.0);
  // A GIF frame lasts at most 655.35 s (16-bit hundredths): 0.001 fps would play at the wrong
  // rate.
  try {
    planRecording(scene_, at("v.gif"), 0.001, 1, std::nullopt);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("655.35"));
  }
}

TEST_F(PlanTest, ASpecialFileAmongTheFrameNamesIsRefusedBeforeAnyWork) {
  ASSERT_EQ(::mkfifo(at("f_3.png").c_str(), 0644), 0);
  try {
    planRecording(scene_, at("f_%d.png"), 30.0, 5, std::nullopt);
    FAIL() << "accepted";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("f_3.png"));
    EXPECT_THAT(std::string(e.what()), HasSubstr("FIFO"));
  }
  // A frame name over the file system's limit, too.
  EXPECT_THROW(planRecording(scene_, at("f_%0300d.png"), 30.0, 1, std::nullopt), InputError);
}

// A renderer that returns 0.25 everywhere, and a NaN at (3, 2) on its `bad_call`-th render.
class NanRenderer : public Renderer {
 public:
  explicit NanRenderer(int bad_call) : bad_call_(bad_call) {}
  std::string name() const override { return "nan-test"; }
  FloatImage render(const Scene& scene) override {
    FloatImage values(scene.width, scene.height);
    for (float& v : values.pixels) v = 0.25f;
    if (calls_++ == bad_call_) values.at(3, 2) = std::numeric_limits<float>::quiet_NaN();
    return values;
  }

 private:
  int bad_call_;
  int calls_ = 0;
};

TEST_F(PlanTest, ANonFiniteValueFailsTheRecordingNamingTheFrameTimeAndSample) {
  for (const bool auto_range : {true, false}) {
    Scene scene = scene_;
    if (!auto_range) scene.display.range = std::array<double, 2>{0.0, 1.0};
    const RecordPlan plan = planRecording(scene, at("f_%d.png"), 4.0, 4, std::nullopt);
    NanRenderer renderer(1);  // frame 1 (t = 0.25) of the first pass
    Recording recording(scene, plan, renderer);
    try {
      while (recording.step()) {
      }
      ADD_FAILURE() << "no error (auto range: " << auto_range << ")";
    } catch (const RuntimeError& e) {
      const std::string what = e.what();
      EXPECT_THAT(what, HasSubstr("frame 1 at t=0.25"));
      EXPECT_THAT(what, HasSubstr("produced NaN at sample (3, 2)"));
      EXPECT_THAT(what, HasSubstr("nan-test"));
    }
    recording.abandon();
    // With a fixed range frame 0 was written before; with an auto range nothing was.
    EXPECT_EQ(fs::exists(at("f_0.png")), !auto_range);
    EXPECT_FALSE(fs::exists(at("f_1.png")));
  }
}

// --- The binary ---

class OutputSafetyTest : public BinaryTest {
 protected:
  // Mounts a tmpfs of `size` at out()/name; false (the caller skips) when mounting fails.
  bool mountTmpfs(const std::string& name, const std::string& size) {
    const fs::path dir = out() / name;
    fs::create_directory(dir);
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) return false;
    mounts_.push_back(dir);
    return true;
  }
  bool bindMount(const fs::path& from, const fs::path& onto) {
    if (::mount(from.c_str(), onto.c_str(), nullptr, MS_BIND, nullptr) != 0) return false;
    mounts_.push_back(onto);
    return true;
  }
  void TearDown() override {
    for (auto it = mounts_.rbegin(); it != mounts_.rend(); ++it) ::umount2(it->c_str(), MNT_DETACH);
    BinaryTest::TearDown();
  }
  std::vector<std::string> entriesOf(const fs::path& dir) const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }
  // nb_read_frames of the first video stream, or "" when ffprobe cannot read one.
  std::string countFrames(const std::string& video) const {
    const std::string command =
        "ffprobe -v error -count_frames -select_streams v:0 -show_entries "
        "stream=nb_read_frames -of csv=p=0 " +
        shellQuote(video) + " 2>/dev/null";
    std::FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe) return "";
    std::string text;
    char buffer[256];
    while (std::fgets(buffer, sizeof buffer, pipe)) text += buffer;
    ::pclose(pipe);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
  }

  std::vector<fs::path> mounts_;
};

TEST_F(OutputSafetyTest, AFullDiskKeepsTheOldVideoAndLeavesNoTemporaryFile) {
  if (!mountTmpfs("disk", "1m"))
    GTEST_SKIP() << "SKIPPED: cannot mount a tmpfs (needs root): the full-disk test did not run";
  const RunResult good =
      run({"record", kSweep, "-o", "disk/good.mp4", "--frames", "5", "--backend", "cpu"});
  ASSERT_EQ(good.exit_code, 0) << good.err;
  const std::string before = readText(outPath("disk/good.mp4"));
  ASSERT_FALSE(before.empty());
  // Fill the disk to about 16 KB free: far less than 120 frames of the sweep need.
  struct statvfs vfs {};
  ASSERT_EQ(::statvfs(outPath("disk").c_str(), &vfs), 0);
  const std::size_t free_bytes = std::size_t(vfs.f_bavail) * vfs.f_frsize;
  ASSERT_GT(free_bytes, 16384u);
  writeText(outPath("disk/fill"), std::string(free_bytes - 16384, 'f'));

  const RunResult r = run({"record", kSweep, "-o", "disk/good.mp4", "--backend", "cpu"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("gaussmap: error: "));
  EXPECT_THAT(r.err, HasSubstr("good.mp4"));
  EXPECT_THAT(r.err, Not(HasSubstr("recorded 120 frames")));
  EXPECT_TRUE(readText(outPath("disk/good.mp4")) == before) << "the old video was replaced";
  EXPECT_EQ(entriesOf(out() / "disk"), (std::vector<std::string>{"fill", "good.mp4"}));
}

TEST_F(OutputSafetyTest, AFullDiskKeepsTheOldGeoTiffAndLeavesNoTemporaryFile) {
  if (!mountTmpfs("disk", "1m"))
    GTEST_SKIP() << "SKIPPED: cannot mount a tmpfs (needs root): the full-disk test did not run";
  writeText(outPath("disk/map.tif"), "the old map");
  // About 16 KB free; the GeoTIFF of these 600 x 400 values is far larger.
  struct statvfs vfs {};
  ASSERT_EQ(::statvfs(outPath("disk").c_str(), &vfs), 0);
  const std::size_t free_bytes = std::size_t(vfs.f_bavail) * vfs.f_frsize;
  ASSERT_GT(free_bytes, 16384u);
  writeText(outPath("disk/fill"), std::string(free_bytes - 16384, 'f'));

  const RunResult r = run({"render", "--points", kPoints, "--sigma", "9", "--size", "600x400", "-o",
                           "disk/map.tif", "--crs", "EPSG:3857", "--backend", "cpu"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, StartsWith("gaussmap: error: disk/map.tif: "));
  EXPECT_EQ(readText(outPath("disk/map.tif")), "the old map");
  EXPECT_EQ(entriesOf(out() / "disk"), (std::vector<std::string>{"fill", "map.tif"}));
}

TEST_F(OutputSafetyTest, AVideoFfprobeCannotReadCompletelyIsNotRenamedIntoPlace) {
  // An ffmpeg that exits 0 but writes a broken file, as ffmpeg 5.1 does when only its trailer
  // fails: the exit code is not enough, the file is read back.
  const fs::path bin = root_ / "bin";
  fs::create_directory(bin);
  writeText(bin / "ffmpeg", "#!/bin/sh\ncat >/dev/null\necho 'not a video' >/dev/fd/3\nexit 0\n");
  fs::permissions(bin / "ffmpeg", fs::perms::owner_all);
  writeText(outPath("v.mp4"), "the old video");
  const char* path = std::getenv("PATH");
  const RunResult r = run({"record", kSweep, "-o", "v.mp4", "--frames", "3", "--backend", "cpu"},
                          "PATH=" + shellQuote(bin.string() + ":" + (path ? path : "")));
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("did not write a complete video"));
  EXPECT_THAT(r.err, HasSubstr("of 3"));
  EXPECT_EQ(readText(outPath("v.mp4")), "the old video");
  EXPECT_EQ(outEntries(), std::vector<std::string>{"v.mp4"});
}

TEST_F(OutputSafetyTest, LinksPlantedAtTemporaryNamesAreNeverFollowed) {
  // The names the recorder used to use, fixed and predictable.
  writeText(outPath("victim"), "victim");
  writeText(outPath("victim2"), "victim2");
  fs::create_symlink("victim", out() / ".v.partial.mp4.log");
  fs::create_symlink("victim2", out() / ".v.partial.mp4");
  const RunResult r = run({"record", kSweep, "-o", "v.mp4", "--frames", "5", "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(readText(outPath("victim")), "victim");
  EXPECT_EQ(readText(outPath("victim2")), "victim2");
  EXPECT_TRUE(fs::is_regular_file(fs::symlink_status(outPath("v.mp4"))));
  EXPECT_EQ(countFrames(outPath("v.mp4")), "5");
  EXPECT_EQ(outEntries(), (std::vector<std::string>{".v.partial.mp4", ".v.partial.mp4.log", "v.mp4",
                                                    "victim", "victim2"}));
}

TEST_F(OutputSafetyTest, TwoRecordingsToOneNameAtOnceBothLeaveACompleteVideo) {
  // Each has its own temporary file; the last rename wins, and either is a whole video.
  std::string command = "cd " + shellQuote(out().string()) + " && { ";
  for (int i = 0; i < 2; ++i)
    command += "(" + shellQuote(GAUSSMAP_BINARY) + " record " + shellQuote(kSweep) +
               " -o v.mp4 --frames 20 --backend cpu 2>err" + std::to_string(i) + "; echo $? >rc" +
               std::to_string(i) + ") & ";
  command += "wait; }";
  ASSERT_EQ(std::system(command.c_str()), 0);
  for (int i = 0; i < 2; ++i)
    EXPECT_EQ(readText(outPath("rc" + std::to_string(i))), "0\n")
        << readText(outPath("err" + std::to_string(i)));
  EXPECT_EQ(countFrames(outPath("v.mp4")), "20");
  EXPECT_EQ(outEntries(), (std::vector<std::string>{"err0", "err1", "rc0", "rc1", "v.mp4"}));
}

TEST_F(OutputSafetyTest, AFailedRenameIsAFailure) {
  // A bind-mounted file cannot be renamed over (EBUSY): the video stays nowhere, exit 1.
  writeText(outPath("other"), "other");
  writeText(outPath("out.mp4"), "");
  writeText(outPath("out.png"), "");
  if (!bindMount(out() / "other", out() / "out.mp4") ||
      !bindMount(out() / "other", out() / "out.png"))
    GTEST_SKIP() << "SKIPPED: cannot bind-mount (needs root): the failed-rename test did not run";
  const RunResult video =
      run({"record", kSweep, "-o", "out.mp4", "--frames", "3", "--backend", "cpu"});
  EXPECT_EQ(video.exit_code, 1) << video.err;
  EXPECT_THAT(video.err, HasSubstr("out.mp4: cannot move the finished file into place"));
  const RunResult png = run({"render", kSweep, "-o", "out.png", "--backend", "cpu"});
  EXPECT_EQ(png.exit_code, 1) << png.err;
  EXPECT_THAT(png.err, HasSubstr("out.png: cannot move the finished file into place"));
  EXPECT_EQ(readText(outPath("out.mp4")), "other");
  EXPECT_EQ(outEntries(), (std::vector<std::string>{"other", "out.mp4", "out.png"}));
}

TEST_F(OutputSafetyTest, SpecialFilesAsOutputsExitTwoBeforeAnyWork) {
  ASSERT_EQ(::mkfifo(outPath("fifo.png").c_str(), 0644), 0);
  ASSERT_EQ(::mkfifo(outPath("fifo.mp4").c_str(), 0644), 0);
  fs::create_symlink("/dev/null", out() / "null.npy");
  fs::create_directory(out() / "dir.png");
  const std::vector<std::vector<std::string>> commands{
      {"render", kSweep, "-o", "fifo.png"},
      {"render", kSweep, "-o", "ok.npy", "-o", "null.npy"},
      {"render", kSweep, "-o", "dir.png"},
      {"record", kSweep, "-o", "fifo.mp4", "--frames", "2"},
  };
  for (const auto& args : commands) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args[3] << ": " << r.err;
    EXPECT_THAT(r.err, HasSubstr(args.back() == "2" ? "fifo.mp4" : args.back()));
    EXPECT_THAT(r.err, Not(HasSubstr("backend")));  // no renderer was made: nothing rendered
  }
  struct stat st {};
  ASSERT_EQ(::lstat(outPath("fifo.png").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
  EXPECT_TRUE(fs::is_symlink(out() / "null.npy"));
  EXPECT_EQ(outEntries(),
            (std::vector<std::string>{"dir.png", "fifo.mp4", "fifo.png", "null.npy"}));
}

TEST_F(OutputSafetyTest, ASymlinkedVideoOutputStaysALink) {
  fs::create_directory(out() / "videos");
  fs::create_symlink("videos/real.mp4", out() / "link.mp4");
  const RunResult r =
      run({"record", kSweep, "-o", "link.mp4", "--frames", "4", "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_symlink(out() / "link.mp4"));
  EXPECT_EQ(countFrames(outPath("videos/real.mp4")), "4");
  EXPECT_EQ(entriesOf(out() / "videos"), std::vector<std::string>{"real.mp4"});
}

TEST_F(OutputSafetyTest, AnOutputNameAtTheFileSystemsLimitWorks) {
  const std::string name = std::string(250, 'n') + ".png";  // 254 characters
  const RunResult r = run({"render", kSweep, "-o", name, "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(outEntries(), std::vector<std::string>{name});
}

TEST_F(OutputSafetyTest, PatternsAndCountsThatCrashedOrOverflowedExitTwo) {
  const std::vector<std::vector<std::string>> commands{
      {"record", kSweep, "-o", std::string(20000, 'a') + "_%d.png"},  // std::regex recursion
      {"record", kSweep, "-o", "f_%0999999999d.png"},                 // a 1 GB name
      {"record", kSweep, "-o", "f_%d.png", "--duration", "1e12", "--fps", "1000"},
      {"record", kSweep, "-o", "f_%d.png", "--fps", "0.0001"},
  };
  for (const auto& args : commands) {
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << args[3].substr(0, 40) << ": " << r.err.substr(0, 400);
    EXPECT_THAT(r.err, HasSubstr("gaussmap: error: "));
    EXPECT_LT(r.err.size(), 1000u);  // a 20,000-character name is not echoed whole
  }
  EXPECT_TRUE(outEntries().empty());
}

TEST_F(OutputSafetyTest, TenThousandPointsGiveAPngWhoseTextChunksPillowAccepts) {
  std::string csv = "x,y\n";
  for (int i = 0; i < 10000; ++i) {
    char row[96];
    std::snprintf(row, sizeof row, "%.15f,%.15f\n", 10 + (i % 97) * 0.4567891234567,
                  10 + (i % 89) * 0.3456789123456);
    csv += row;
  }
  writeText(root_ / "points.csv", csv);
  const RunResult r = run({"render", "--points", (root_ / "points.csv").string(), "--sigma", "2",
                           "--size", "64x48", "-o", "p.png", "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const PngFile png = readPng(outPath("p.png"));
  EXPECT_EQ(png.text.count(kPngSceneKey), 0u);
  EXPECT_THAT(png.text.at(kPngSceneOmittedKey), HasSubstr("not embedded"));
  for (const auto& [key, text] : png.text) EXPECT_LT(text.size(), 1u << 20) << key;
  // A small points file still carries its scene.
  writeText(root_ / "few.csv", "x,y\n10,10\n20,30\n");
  const RunResult few = run({"render", "--points", (root_ / "few.csv").string(), "--sigma", "2",
                             "--size", "64x48", "-o", "few.png", "--backend", "cpu"});
  ASSERT_EQ(few.exit_code, 0) << few.err;
  EXPECT_EQ(parseScene(readPng(outPath("few.png")).text.at(kPngSceneKey), "chunk").kernels.size(),
            2u);
}

TEST_F(OutputSafetyTest, ProgressNamesEachPassAndCountsFrames) {
  // An auto range renders every frame twice; the count is of frames, per pass.
  const RunResult r =
      run({"record", kSweep, "-o", "f_%02d.png", "--frames", "6", "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.err, HasSubstr("gaussmap: record: range pass 6/6"));
  EXPECT_THAT(r.err, HasSubstr("gaussmap: record: frames 6/6"));
  EXPECT_THAT(r.err, Not(HasSubstr("/12")));
  EXPECT_THAT(r.err, HasSubstr("recorded 6 frames"));
}

}  // namespace
}  // namespace gaussmap
