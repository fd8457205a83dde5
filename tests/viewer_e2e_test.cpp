// End-to-end tests of `gaussmap view` under a real X server (CTest runs this binary through
// xvfb-run), driven with real input events from xdotool. Layout constants come from the viewer.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "app/viewer.h"
#include "gaussmap/image_io.h"
#include "gaussmap/scene_json.h"

extern char** environ;

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

// The seed scene is 400x400 with extent [0, 399]^2: a 400x400 canvas shows it at one scene unit
// per pixel, sample i at canvas pixel centre i + 0.5.
constexpr int kCanvasSide = 400;
const int kWindowWidth =
    int(app::kPanelWidth + app::kAxisLeft + app::kColourBarWidth) + kCanvasSide;
const int kWindowHeight =
    int(app::kCanvasTop + app::kAxisBottom + app::kStatusLineHeight) + kCanvasSide;

// Window pixel of a scene point on the fitted seed canvas.
int screenX(double scene_x) {
  return int(app::kPanelWidth + app::kAxisLeft + scene_x);
}
int screenY(double scene_y) {
  return int(app::kCanvasTop + scene_y);
}

void xdotool(const std::string& args) {
  const std::string command = "xdotool " + args;
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  std::this_thread::sleep_for(150ms);
}

class Viewer {
 public:
  Viewer(const std::vector<std::string>& args, const fs::path& stderr_file) {
    std::vector<std::string> argv{GAUSSMAP_BINARY, "view"};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> raw;
    for (auto& a : argv) raw.push_back(a.data());
    raw.push_back(nullptr);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, stderr_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0644);
    EXPECT_EQ(posix_spawn(&pid_, raw[0], &actions, nullptr, raw.data(), environ), 0);
    posix_spawn_file_actions_destroy(&actions);
    // Wait until the window is mapped and has drawn a few frames.
    EXPECT_EQ(std::system("timeout 30 xdotool search --sync --onlyvisible --name 'gaussmap - ' "
                          ">/dev/null"),
              0);
    std::this_thread::sleep_for(700ms);
  }
  ~Viewer() {
    if (pid_ > 0 && running()) kill(pid_, SIGKILL);
    if (pid_ > 0) waitpid(pid_, nullptr, 0);
  }
  bool running() {
    int status = 0;
    if (exited_) return false;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_status_ = status;
      return false;
    }
    return true;
  }
  // Waits up to 30 s for the process to end; returns its exit code (-1 on timeout or signal).
  int waitForExit() {
    for (int k = 0; k < 300 && running(); ++k) std::this_thread::sleep_for(100ms);
    if (!exited_) return -1;
    pid_ = -1;
    return WIFEXITED(exit_status_) ? WEXITSTATUS(exit_status_) : -1;
  }

 private:
  pid_t pid_ = -1;
  bool exited_ = false;
  int exit_status_ = 0;
};

std::string readFile(const fs::path& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The canvas (GL's colormap pass) against `gaussmap render` (the default backend, cpu on
// llvmpipe): the same colours within one 8-bit level, as the contract allows.
void expectWithinOneLevel(const RgbImage& shot, const RgbImage& rendered) {
  ASSERT_EQ(shot.width, rendered.width);
  ASSERT_EQ(shot.height, rendered.height);
  int worst = 0;
  for (std::size_t k = 0; k < shot.pixels.size(); ++k) {
    worst = std::max({worst, std::abs(shot.pixels[k].r - rendered.pixels[k].r),
                      std::abs(shot.pixels[k].g - rendered.pixels[k].g),
                      std::abs(shot.pixels[k].b - rendered.pixels[k].b)});
  }
  EXPECT_LE(worst, 1) << "the canvas differs from gaussmap render by " << worst << " levels";
}

class ViewerE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("gaussmap_viewer_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    fs::copy_file(fs::path(GAUSSMAP_SOURCE_DIR) / "scenes/seed.json", dir_ / "scene.json");
  }
  void TearDown() override { fs::remove_all(dir_); }

  // `gaussmap render` of a scene at the canvas size, as a PNG read back.
  RgbImage renderAtCanvasSize(const fs::path& scene) {
    const fs::path out = dir_ / "render.png";
    const std::string command = std::string(GAUSSMAP_BINARY) + " render " + scene.string() +
                                " --size 400x400 -o " + out.string();
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    return readPng(out.string()).image;
  }

  fs::path dir_;
};

TEST_F(ViewerE2E, DraggingAKernelAndSavingMovesItByTheDraggedDistance) {
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size, "--canvas-shot",
                 (dir_ / "shot.png").string()},
                dir_ / "stderr.txt");
  // Kernel 1 sits at (200, 200); drag it by (+40, +20) pixels = (+40, +20) scene units.
  xdotool("mousemove " + std::to_string(screenX(200)) + " " + std::to_string(screenY(200)));
  xdotool("mousedown 1");
  xdotool("mousemove " + std::to_string(screenX(220)) + " " + std::to_string(screenY(210)));
  xdotool("mousemove " + std::to_string(screenX(240)) + " " + std::to_string(screenY(220)));
  xdotool("mouseup 1");
  xdotool("key ctrl+s");
  xdotool("key ctrl+q");
  ASSERT_EQ(viewer.waitForExit(), 0) << readFile(dir_ / "stderr.txt");

  const Scene saved = loadScene((dir_ / "scene.json").string());
  ASSERT_EQ(saved.kernels.size(), 2u);
  EXPECT_DOUBLE_EQ(saved.kernels[0].x, 240.0);
  EXPECT_DOUBLE_EQ(saved.kernels[0].y, 220.0);
  EXPECT_DOUBLE_EQ(saved.kernels[1].x, 190.0);  // the other kernel did not move
  EXPECT_DOUBLE_EQ(saved.kernels[1].y, 210.0);

  // What the canvas showed is what `gaussmap render` makes of the saved scene at that size.
  const RgbImage shot = readPng((dir_ / "shot.png").string()).image;
  const RgbImage rendered = renderAtCanvasSize(dir_ / "scene.json");
  ASSERT_EQ(shot.width, kCanvasSide);
  ASSERT_EQ(shot.height, kCanvasSide);
  expectWithinOneLevel(shot, rendered);
}

TEST_F(ViewerE2E, OpeningAMalformedSceneIsReportedAndTheViewerKeepsItsScene) {
  std::ofstream(dir_ / "bad.json")
      << "{\n  \"width\": 400,\n  \"height\": 400\n  \"kernels\": []\n}\n";
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size, "--canvas-shot",
                 (dir_ / "shot.png").string(), "--screenshot", (dir_ / "window.png").string()},
                dir_ / "stderr.txt");
  xdotool("mousemove " + std::to_string(screenX(300)) + " " + std::to_string(screenY(300)));
  xdotool("key ctrl+o");
  xdotool("type --delay 20 '" + (dir_ / "bad.json").string() + "'");
  xdotool("key Return");
  std::this_thread::sleep_for(500ms);
  EXPECT_TRUE(viewer.running()) << "the viewer ended after opening a malformed scene";
  const std::string log = readFile(dir_ / "stderr.txt");
  EXPECT_NE(log.find("could not open"), std::string::npos) << log;
  EXPECT_NE(log.find("bad.json:4:"), std::string::npos) << "the error names the line: " << log;
  xdotool("key ctrl+q");
  ASSERT_EQ(viewer.waitForExit(), 0) << readFile(dir_ / "stderr.txt");
  // The seed scene is still what the canvas shows.
  expectWithinOneLevel(readPng((dir_ / "shot.png").string()).image,
                       renderAtCanvasSize(dir_ / "scene.json"));
  // The error is on the status line at the bottom of the window, in red, where the user looks
  // (not at the foot of the side panel, off-screen in a short window).
  const RgbImage window = readPng((dir_ / "window.png").string()).image;
  int red = 0;
  for (int j = kWindowHeight - int(app::kStatusLineHeight); j < kWindowHeight; ++j)
    for (int i = int(app::kPanelWidth); i < kWindowWidth; ++i) {
      const Rgb8 p = window.at(i, j);
      red += p.r > 200 && p.g < 140 && p.b < 140;
    }
  EXPECT_GT(red, 50) << "no red error text on the status line";
}

// An unsaved edit: kernel 1 (at 200, 200) dragged 30 scene units to the right.
void dragKernelOneRight() {
  xdotool("mousemove " + std::to_string(screenX(200)) + " " + std::to_string(screenY(200)));
  xdotool("mousedown 1");
  xdotool("mousemove " + std::to_string(screenX(230)) + " " + std::to_string(screenY(200)));
  xdotool("mouseup 1");
}

TEST_F(ViewerE2E, QuittingWithUnsavedChangesAsksInsteadOfQuitting) {
  const std::string before = readFile(dir_ / "scene.json");
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size}, dir_ / "stderr.txt");
  dragKernelOneRight();
  xdotool("key ctrl+q");
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(viewer.running()) << "the viewer quit and dropped an unsaved edit";
  EXPECT_EQ(readFile(dir_ / "scene.json"), before);  // nothing saved behind the user's back
}

// The X screen as it is now (ffmpeg's x11grab: no input event, so the viewer is not woken).
RgbImage grabScreen(const fs::path& png) {
  const char* display = std::getenv("DISPLAY");
  const std::string command = "ffmpeg -loglevel error -y -f x11grab -video_size " +
                              std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight) +
                              " -i " + std::string(display ? display : ":0") + " -frames:v 1 " +
                              png.string();
  EXPECT_EQ(std::system(command.c_str()), 0) << command;
  return readPng(png.string()).image;
}

// Mean brightness of the window's pixels in [x0, x1) x [y0, y1).
double meanBrightness(const RgbImage& image, int x0, int y0, int x1, int y1) {
  double sum = 0;
  for (int j = y0; j < y1; ++j)
    for (int i = x0; i < x1; ++i) sum += image.at(i, j).r + image.at(i, j).g + image.at(i, j).b;
  return sum / (3.0 * (x1 - x0) * (y1 - y0));
}

TEST_F(ViewerE2E, TheUnsavedChangesDialogAppearsWithoutMovingTheMouse) {
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size}, dir_ / "stderr.txt");
  xdotool("search --onlyvisible --name 'gaussmap - ' windowmove --sync 0 0");
  dragKernelOneRight();
  std::this_thread::sleep_for(500ms);
  const RgbImage before = grabScreen(dir_ / "before.png");
  xdotool("key ctrl+q");  // and then no input at all
  std::this_thread::sleep_for(1500ms);
  const RgbImage after = grabScreen(dir_ / "after.png");
  EXPECT_TRUE(viewer.running());
  // The modal dims everything around it: the dark side panel's foot gets lighter, by about 38
  // levels once the fade-in is complete (before this was fixed: the dialog, but 4 levels).
  const int x1 = int(app::kPanelWidth) - 20, y0 = kWindowHeight - 60;
  const double was = meanBrightness(before, 10, y0, x1, kWindowHeight - 10);
  const double is = meanBrightness(after, 10, y0, x1, kWindowHeight - 10);
  EXPECT_GT(is, was + 20) << "the dialog did not appear (mean brightness " << was << " -> " << is
                          << ")";
}

TEST_F(ViewerE2E, AWindowBeyondTheGlLimitsKeepsTheDocumentAndQuittingStillAsks) {
  // 32000 x 32000 is twice llvmpipe's largest render target: the canvas renders at the limit
  // and is drawn scaled, instead of the viewer exiting with the unsaved edit lost.
  const std::string before = readFile(dir_ / "scene.json");
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size}, dir_ / "stderr.txt");
  dragKernelOneRight();
  xdotool("search --onlyvisible --name 'gaussmap - ' windowsize --sync 32000 32000");
  std::this_thread::sleep_for(3s);
  ASSERT_TRUE(viewer.running()) << "the viewer ended at a huge window size: "
                                << readFile(dir_ / "stderr.txt");
  xdotool("search --onlyvisible --name 'gaussmap - ' windowsize --sync " +
          std::to_string(kWindowWidth) + " " + std::to_string(kWindowHeight));
  xdotool("mousemove " + std::to_string(screenX(300)) + " " + std::to_string(screenY(300)));
  xdotool("key ctrl+q");
  std::this_thread::sleep_for(1s);
  EXPECT_TRUE(viewer.running()) << "the viewer quit and dropped an unsaved edit";
  EXPECT_EQ(readFile(dir_ / "scene.json"), before);
  EXPECT_EQ(readFile(dir_ / "stderr.txt").find("OpenGL error"), std::string::npos)
      << readFile(dir_ / "stderr.txt");
}

TEST_F(ViewerE2E, RecordingFromTheViewerWritesTheSameFramesAsTheCommandLine) {
  // A small animated scene with a fixed range: 20 frames at 10 fps.
  std::ofstream(dir_ / "anim.json")
      << R"({"width": 120, "height": 90, "range": [0, 1], "normalize": "peak", "fps": 10,
             "kernels": [{"x": 10, "y": 40, "sigma": 8, "keys": [{"t": 0, "x": 10},
               {"t": 1, "x": 110, "interpolation": "smooth"}, {"t": 2, "x": 10}]}]})";
  fs::create_directories(dir_ / "viewer");
  fs::create_directories(dir_ / "cli");
  {
    Viewer viewer({(dir_ / "anim.json").string(), "--size", "900x560", "--record-to",
                   (dir_ / "viewer/f_%03d.png").string()},
                  dir_ / "stderr.txt");
    xdotool("mousemove 700 300");
    xdotool("key ctrl+r");
    // Wait for the last frame, then quit.
    for (int k = 0; k < 200 && !fs::exists(dir_ / "viewer/f_019.png"); ++k)
      std::this_thread::sleep_for(100ms);
    std::this_thread::sleep_for(300ms);
    xdotool("key ctrl+q");
    ASSERT_EQ(viewer.waitForExit(), 0) << readFile(dir_ / "stderr.txt");
  }
  EXPECT_NE(readFile(dir_ / "stderr.txt").find("recorded 20 frames"), std::string::npos)
      << readFile(dir_ / "stderr.txt");
  const std::string command = std::string(GAUSSMAP_BINARY) + " record " +
                              (dir_ / "anim.json").string() + " -o " +
                              (dir_ / "cli/f_%03d.png").string() + " 2>/dev/null";
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  int frames = 0;
  for (const auto& entry : fs::directory_iterator(dir_ / "cli")) {
    ++frames;
    const fs::path twin = dir_ / "viewer" / entry.path().filename();
    ASSERT_TRUE(fs::exists(twin)) << twin;
    EXPECT_EQ(readFile(entry.path()), readFile(twin)) << entry.path().filename();
  }
  EXPECT_EQ(frames, 20);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir_ / "viewer"), fs::directory_iterator()), 20);
}

TEST_F(ViewerE2E, ScreenshotSavesTheWholeWindowAfterTheRequestedFrames) {
  const fs::path shot = dir_ / "window.png";
  const std::string command = std::string(GAUSSMAP_BINARY) + " view " +
                              (dir_ / "scene.json").string() +
                              " --size 800x500 --frames 3 --screenshot " + shot.string();
  ASSERT_EQ(std::system(command.c_str()), 0) << command;
  const PngFile png = readPng(shot.string());
  EXPECT_EQ(png.image.width, 800);
  EXPECT_EQ(png.image.height, 500);
  // The side panel's background is ImGui's dark window colour, not the heat map.
  const Rgb8 panel = png.image.at(5, 490);
  EXPECT_LT(int(panel.r) + panel.g + panel.b, 120);

  // The colour bar's ticks stand apart from their labels: between a tick's end and its label
  // only the background, so "0.0004457" never reads as "-0.0004457".
  const float canvas_right = 800 - app::kColourBarWidth;
  const int tick_end =
      int(canvas_right + app::kColourBarGap + app::kColourBarBarWidth + app::kColourBarTick);
  const float top = app::kCanvasTop;
  const float height = 500 - app::kCanvasTop - app::kAxisBottom - app::kStatusLineHeight;
  for (int k = 0; k <= 4; ++k) {
    const int y = int(top + height * (1 - k / 4.0f));
    int lit = 0;  // the tick itself (antialiased: it may straddle two rows), at its end
    for (int dy = -1; dy <= 2; ++dy) lit += png.image.at(tick_end - 1, y + dy).r > 70;
    EXPECT_GT(lit, 0) << "no tick at y " << y;
    for (int x = tick_end + 1; x < tick_end + int(app::kColourBarLabelGap) - 1; ++x)
      for (int dy = -1; dy <= 1; ++dy) {
        const Rgb8 p = png.image.at(x, std::clamp(y + dy, 0, 499));
        EXPECT_LT(int(p.r) + p.g + p.b, 150) << "the label touches tick " << k << " at " << x;
      }
  }
}

// The automatic colour range is the scene's (as `gaussmap render` colours it), locked while
// zooming: a corner of faint values stays faint when zoomed into, instead of being stretched over
// the whole colormap.
TEST_F(ViewerE2E, ZoomingKeepsTheScenesColourRange) {
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size, "--canvas-shot",
                 (dir_ / "shot.png").string()},
                dir_ / "stderr.txt");
  xdotool("mousemove " + std::to_string(screenX(40)) + " " + std::to_string(screenY(40)));
  xdotool("click --repeat 12 --delay 30 4");  // the wheel, towards the corner: about 5x
  std::this_thread::sleep_for(300ms);
  xdotool("key ctrl+q");
  ASSERT_EQ(viewer.waitForExit(), 0) << readFile(dir_ / "stderr.txt");
  const RgbImage shot = readPng((dir_ / "shot.png").string()).image;
  const RgbImage rendered = renderAtCanvasSize(dir_ / "scene.json");
  // The brightest colour of the render's corner (the zoomed view lies inside [0, 120)^2).
  int corner_green = 0;
  for (int j = 0; j < 120; ++j)
    for (int i = 0; i < 120; ++i) corner_green = std::max<int>(corner_green, rendered.at(i, j).g);
  int shot_green = 0;
  for (const Rgb8& p : shot.pixels) shot_green = std::max<int>(shot_green, p.g);
  EXPECT_LT(corner_green, 100);  // viridis below a third of the way up
  EXPECT_LE(shot_green, corner_green + 1);
  // The view did zoom: the shot is not the whole scene (whose brightest is the colormap's top).
  EXPECT_LT(shot_green, 200);
}

// Double-clicks count per press, not per frame: eight double-clicks whose two presses are 1 ms
// apart (both between two frames: Dear ImGui's own double-click never sees them) add eight
// kernels.
TEST_F(ViewerE2E, EveryQuickDoubleClickOnEmptySpaceAddsAKernel) {
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size}, dir_ / "stderr.txt");
  // Each 120 pixels or more from the one before, whose handles (the new kernel is selected, its
  // sigma 20 pixels) reach about 60 pixels.
  const std::vector<std::pair<int, int>> spots{{40, 40},   {160, 40},  {300, 40},  {370, 160},
                                               {370, 300}, {250, 370}, {110, 370}, {30, 250}};
  for (const auto& [x, y] : spots) {
    xdotool("mousemove " + std::to_string(screenX(x)) + " " + std::to_string(screenY(y)));
    xdotool("click --repeat 2 --delay 1 1");
    std::this_thread::sleep_for(400ms);  // longer than a double-click: the next pair is new
  }
  xdotool("key ctrl+s");
  xdotool("key ctrl+q");
  ASSERT_EQ(viewer.waitForExit(), 0) << readFile(dir_ / "stderr.txt");
  const Scene saved = loadScene((dir_ / "scene.json").string());
  ASSERT_EQ(saved.kernels.size(), 2u + spots.size());
  for (std::size_t k = 0; k < spots.size(); ++k) {
    EXPECT_NEAR(saved.kernels[2 + k].x, spots[k].first, 1.0) << k;
    EXPECT_NEAR(saved.kernels[2 + k].y, spots[k].second, 1.0) << k;
  }
}

// After a double-click adds a kernel, the side panel's list shows it without any further input
// (the loop draws the frames a change needs before it waits again).
TEST_F(ViewerE2E, TheKernelListShowsADoubleClickAddWithoutFurtherInput) {
  const std::string size = std::to_string(kWindowWidth) + "x" + std::to_string(kWindowHeight);
  Viewer viewer({(dir_ / "scene.json").string(), "--size", size}, dir_ / "stderr.txt");
  xdotool("search --onlyvisible --name 'gaussmap - ' windowmove --sync 0 0");
  xdotool("mousemove " + std::to_string(screenX(60)) + " " + std::to_string(screenY(60)));
  std::this_thread::sleep_for(500ms);
  const RgbImage before = grabScreen(dir_ / "before.png");
  xdotool("mousedown 1 mouseup 1 mousedown 1 mouseup 1");  // and then no input at all
  std::this_thread::sleep_for(1000ms);
  const RgbImage after = grabScreen(dir_ / "after.png");
  // The list's third row (the seed has two kernels), where "#3 kernel 3 (60, 60)" appears.
  const double was = meanBrightness(before, 10, 158, 300, 172);
  const double is = meanBrightness(after, 10, 158, 300, 172);
  EXPECT_GT(is, was + 8) << "the list did not show the new kernel (mean brightness " << was
                         << " -> " << is << ")";
}

}  // namespace
}  // namespace gaussmap
