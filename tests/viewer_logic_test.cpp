// The viewer's logic without a window: the view transform between screen and scene, the document
// with its undo history and files, and the editing commands with hit-testing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <numbers>
#include <stdexcept>
#include <string>

#include "app/clicks.h"
#include "app/document.h"
#include "app/edit_commands.h"
#include "app/file_list.h"
#include "app/verify_result.h"
#include "app/view_transform.h"
#include "gaussmap/errors.h"
#include "gaussmap/scene_json.h"
#include "temp_folder.h"

namespace gaussmap::app {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr double kTight = 1e-9;

// scenes/seed.json, kept here so that the tests need no files.
const char* const kSeedJson = R"({
  "name": "seed", "width": 400, "height": 400, "combine": "union", "normalize": "pdf",
  "kernels": [
    { "label": "kernel 1", "x": 200, "y": 200, "sigma": 20 },
    { "label": "kernel 2", "x": 190, "y": 210, "sigma_x": 40, "sigma_y": 80 }
  ]
})";

Scene seedScene() {
  return parseScene(kSeedJson, "seed.json");
}

// A sum scene with three plain kernels, where any weight and sigma is valid.
Scene threeKernelScene() {
  return parseScene(R"({"width": 100, "height": 80, "kernels": [
    {"label": "a", "x": 10, "y": 20, "sigma": 2},
    {"label": "b", "x": 50, "y": 40, "sigma_x": 6, "sigma_y": 3, "angle_deg": 30},
    {"label": "c", "x": 80, "y": 60, "sigma": 4}]})",
                    "three.json");
}

void expectExtentNear(const Extent& got, const Extent& want) {
  EXPECT_NEAR(got.x0, want.x0, kTight);
  EXPECT_NEAR(got.x1, want.x1, kTight);
  EXPECT_NEAR(got.y0, want.y0, kTight);
  EXPECT_NEAR(got.y1, want.y1, kTight);
}

ViewTransform fittedView(const Extent& extent, Origin origin, int scene_w, int scene_h,
                         CanvasRect canvas) {
  ViewTransform view;
  view.setCanvas(canvas);
  view.setOrientation(extent, origin);
  view.fit(extent, scene_w, scene_h);
  return view;
}

// A fresh folder under the system's temporary folder, removed at the end of the test.
class TempFolder {
 public:
  TempFolder() { path_ = ::gaussmap::testing::makeTempFolder("viewer"); }
  ~TempFolder() { fs::remove_all(path_); }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

void writeText(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

// --- View transform ---

TEST(ViewTransform, FitOfSeedOnSameSizeCanvasGivesItsExtent) {
  const Extent e{0, 399, 0, 399};
  const ViewTransform view = fittedView(e, Origin::Upper, 400, 400, {12, 34, 400, 400});
  EXPECT_DOUBLE_EQ(view.unitsPerPixel(), 1.0);
  expectExtentNear(view.canvasExtent(), e);
}

TEST(ViewTransform, FitOfWideSceneOnWideCanvasGivesItsExtent) {
  const Extent e{0, 799, 0, 399};
  const ViewTransform view = fittedView(e, Origin::Upper, 800, 400, {0, 20, 800, 400});
  expectExtentNear(view.canvasExtent(), e);
}

TEST(ViewTransform, FitOfFlippedExtentGivesItsExtent) {
  const Extent flipped{799, 0, 399, 0};
  const ViewTransform view = fittedView(flipped, Origin::Upper, 800, 400, {5, 7, 800, 400});
  expectExtentNear(view.canvasExtent(), flipped);
}

TEST(ViewTransform, FitWithOriginLowerGivesTheExtentWithYSwapped) {
  // The canvas render's row 0 is the top row, where origin lower shows y1.
  for (const Extent& e : {Extent{0, 799, 0, 399}, Extent{799, 0, 399, 0}}) {
    const ViewTransform view = fittedView(e, Origin::Lower, 800, 400, {5, 7, 800, 400});
    expectExtentNear(view.canvasExtent(), {e.x0, e.x1, e.y1, e.y0});
  }
}

TEST(ViewTransform, FitPutsSamplesOnCanvasPixelCentres) {
  // 201 samples over [-1, 1] x [0, 0.5]: 0.01 units apart on a 201 x 51 canvas.
  const Extent e{-1, 1, 0, 0.5};
  const CanvasRect canvas{100, 50, 201, 51};
  const ViewTransform view = fittedView(e, Origin::Upper, 201, 51, canvas);
  const SampleGrid grid(201, 51, e);
  for (int i : {0, 1, 100, 199, 200})
    EXPECT_NEAR(view.sceneToScreen({grid.x(i), 0}).x, canvas.left + i + 0.5, kTight) << i;
  for (int j : {0, 25, 50})
    EXPECT_NEAR(view.sceneToScreen({0, grid.y(j)}).y, canvas.top + j + 0.5, kTight) << j;
}

TEST(ViewTransform, FitOnWiderCanvasCentresTheExtentWithAspectKept) {
  const ViewTransform view =
      fittedView({0, 399, 0, 399}, Origin::Upper, 400, 400, {0, 0, 800, 400});
  EXPECT_DOUBLE_EQ(view.unitsPerPixel(), 1.0);  // the height limits
  const Vec2 centre = view.sceneToScreen({199.5, 199.5});
  EXPECT_NEAR(centre.x, 400, kTight);
  EXPECT_NEAR(centre.y, 200, kTight);
  expectExtentNear(view.canvasExtent(), {-200, 599, 0, 399});
}

TEST(ViewTransform, FitOnTallCanvasIsLimitedByTheWidth) {
  const ViewTransform view = fittedView({0, 99, 0, 99}, Origin::Upper, 100, 100, {0, 0, 100, 300});
  EXPECT_DOUBLE_EQ(view.unitsPerPixel(), 1.0);
  expectExtentNear(view.canvasExtent(), {0, 99, -100, 199});
}

TEST(ViewTransform, FitGuardsSingleSampleScenesAndOnePixelCanvases) {
  const ViewTransform point = fittedView({3, 3, 4, 4}, Origin::Upper, 1, 1, {0, 0, 50, 50});
  EXPECT_DOUBLE_EQ(point.unitsPerPixel(), 1.0);
  const Vec2 at = point.sceneToScreen({3, 4});
  EXPECT_NEAR(at.x, 25, kTight);
  EXPECT_NEAR(at.y, 25, kTight);

  const ViewTransform tiny = fittedView({0, 9, 0, 9}, Origin::Upper, 10, 10, {0, 0, 1, 1});
  EXPECT_DOUBLE_EQ(tiny.unitsPerPixel(), 9.0);
  EXPECT_TRUE(std::isfinite(tiny.canvasExtent().x0));
}

TEST(ViewTransform, CanvasPixelSizeIsTheFloorAndAtLeastOne) {
  ViewTransform view;
  view.setCanvas({0, 0, 640.7, 0.4});
  EXPECT_EQ(view.canvasPixelWidth(), 640);
  EXPECT_EQ(view.canvasPixelHeight(), 1);
}

TEST(ViewTransform, ScreenToSceneRoundTripsInEveryOrientation) {
  for (Origin origin : {Origin::Upper, Origin::Lower}) {
    for (const Extent& e : {Extent{0, 399, 0, 399}, Extent{10, -5, 3, -7}}) {
      ViewTransform view = fittedView(e, origin, 400, 400, {17, 23, 640, 480});
      view.zoomAround({100, 200}, 3.7);
      view.pan({-41.5, 12.25});
      for (Vec2 s : {Vec2{17, 23}, Vec2{300.25, 99.5}, Vec2{656, 502}}) {
        const Vec2 back = view.sceneToScreen(view.screenToScene(s));
        EXPECT_NEAR(back.x, s.x, kTight);
        EXPECT_NEAR(back.y, s.y, kTight);
      }
    }
  }
}

TEST(ViewTransform, DirectionsFollowExtentAndOrigin) {
  const CanvasRect canvas{0, 0, 400, 400};
  // Moving one pixel right and one down: how the scene point changes.
  auto step = [&](const Extent& e, Origin origin) {
    const ViewTransform view = fittedView(e, origin, 400, 400, canvas);
    const Vec2 a = view.screenToScene({200, 200}), b = view.screenToScene({201, 201});
    return Vec2{b.x - a.x, b.y - a.y};
  };
  const Extent plain{0, 399, 0, 399}, flipped{399, 0, 399, 0};
  EXPECT_NEAR(step(plain, Origin::Upper).x, 1, kTight);
  EXPECT_NEAR(step(plain, Origin::Upper).y, 1, kTight);   // y grows downwards, like imshow
  EXPECT_NEAR(step(plain, Origin::Lower).y, -1, kTight);  // y grows upwards
  EXPECT_NEAR(step(flipped, Origin::Upper).x, -1, kTight);
  EXPECT_NEAR(step(flipped, Origin::Upper).y, -1, kTight);
  EXPECT_NEAR(step(flipped, Origin::Lower).y, 1, kTight);
}

TEST(ViewTransform, OriginLowerShowsY0AtTheBottom) {
  const ViewTransform view =
      fittedView({0, 399, 0, 399}, Origin::Lower, 400, 400, {0, 0, 400, 400});
  EXPECT_NEAR(view.sceneToScreen({0, 0}).y, 399.5, kTight);
  EXPECT_NEAR(view.sceneToScreen({0, 399}).y, 0.5, kTight);
}

TEST(ViewTransform, ZoomKeepsTheScenePointUnderTheCursor) {
  ViewTransform view = fittedView({0, 399, 0, 399}, Origin::Lower, 400, 400, {0, 0, 400, 400});
  const Vec2 cursor{123.5, 321.25};
  const Vec2 under = view.screenToScene(cursor);
  view.zoomAround(cursor, 2.0);
  EXPECT_DOUBLE_EQ(view.unitsPerPixel(), 0.5);
  const Vec2 after = view.screenToScene(cursor);
  EXPECT_NEAR(after.x, under.x, kTight);
  EXPECT_NEAR(after.y, under.y, kTight);
  view.zoomAround(cursor, 0.25);
  EXPECT_DOUBLE_EQ(view.unitsPerPixel(), 2.0);
  EXPECT_NEAR(view.screenToScene(cursor).x, under.x, kTight);
  EXPECT_NEAR(view.screenToScene(cursor).y, under.y, kTight);
}

TEST(ViewTransform, ZoomIgnoresNonPositiveFactors) {
  ViewTransform view = fittedView({0, 399, 0, 399}, Origin::Upper, 400, 400, {0, 0, 400, 400});
  view.zoomAround({10, 10}, 0.0);
  view.zoomAround({10, 10}, -2.0);
  EXPECT_DOUBLE_EQ(view.unitsPerPixel(), 1.0);
}

TEST(ViewTransform, PanMakesTheScenePointFollowTheMouse) {
  for (Origin origin : {Origin::Upper, Origin::Lower}) {
    ViewTransform view = fittedView({50, -50, 0, 20}, origin, 101, 21, {0, 0, 300, 200});
    const Vec2 grabbed{140, 90};
    const Vec2 point = view.screenToScene(grabbed);
    view.pan({25, -13});
    const Vec2 now = view.sceneToScreen(point);
    EXPECT_NEAR(now.x, 165, kTight);
    EXPECT_NEAR(now.y, 77, kTight);
  }
}

// --- Document and undo ---

TEST(Document, ConstructorRejectsAnInvalidScene) {
  Scene bad = seedScene();
  bad.kernels[0].sigma_x = -1;
  EXPECT_THROW(Document(bad, ""), InputError);
}

TEST(Document, ApplyUndoRedoRestoreTheScene) {
  Document doc(seedScene(), "seed.json");
  EXPECT_FALSE(doc.modified());
  EXPECT_FALSE(doc.canUndo());
  const std::uint64_t r0 = doc.revision();

  doc.apply("Set x", [](Scene& s) { s.kernels[0].x = 150; });
  EXPECT_EQ(doc.scene().kernels[0].x, 150);
  EXPECT_TRUE(doc.modified());
  EXPECT_EQ(doc.revision(), r0 + 1);
  EXPECT_EQ(doc.undoDescription(), "Set x");

  doc.undo();
  EXPECT_EQ(doc.scene().kernels[0].x, 200);
  EXPECT_EQ(doc.revision(), r0 + 2);
  EXPECT_FALSE(doc.canUndo());
  EXPECT_EQ(doc.redoDescription(), "Set x");

  doc.redo();
  EXPECT_EQ(doc.scene().kernels[0].x, 150);
  EXPECT_EQ(doc.revision(), r0 + 3);
  EXPECT_FALSE(doc.canRedo());
  EXPECT_EQ(doc.redoDescription(), "");
}

TEST(Document, NewEditClearsRedo) {
  Document doc(seedScene(), "");
  doc.apply("a", [](Scene& s) { s.kernels[0].x = 1; });
  doc.apply("b", [](Scene& s) { s.kernels[0].x = 2; });
  doc.undo();
  ASSERT_TRUE(doc.canRedo());
  doc.apply("c", [](Scene& s) { s.kernels[0].y = 3; });
  EXPECT_FALSE(doc.canRedo());
  EXPECT_EQ(doc.scene().kernels[0].x, 1);
  doc.undo();
  doc.undo();
  EXPECT_EQ(doc.scene().kernels[0].x, 200);
  EXPECT_EQ(doc.scene().kernels[0].y, 200);
}

TEST(Document, DragWithOneMergeKeyIsOneUndoStep) {
  Document doc(seedScene(), "");
  for (int i = 1; i <= 5; ++i)
    doc.apply(
        "Move", [i](Scene& s) { s.kernels[0].x = 200 + i; }, "drag 1");
  EXPECT_EQ(doc.scene().kernels[0].x, 205);
  doc.endMerge();
  doc.apply(
      "Move", [](Scene& s) { s.kernels[0].x = 300; }, "drag 1");
  doc.undo();
  EXPECT_EQ(doc.scene().kernels[0].x, 205);
  doc.undo();
  EXPECT_EQ(doc.scene().kernels[0].x, 200);
  EXPECT_FALSE(doc.canUndo());
}

TEST(Document, DifferentMergeKeysMakeSeparateSteps) {
  Document doc(seedScene(), "");
  doc.apply(
      "x", [](Scene& s) { s.kernels[0].x = 1; }, "slider x");
  doc.apply(
      "y", [](Scene& s) { s.kernels[0].y = 2; }, "slider y");
  doc.undo();
  EXPECT_EQ(doc.scene().kernels[0].x, 1);
  EXPECT_EQ(doc.scene().kernels[0].y, 200);
}

TEST(Document, InvalidEditIsRejectedWithoutAStep) {
  Document doc(seedScene(), "");
  const std::uint64_t r0 = doc.revision();
  try {
    doc.apply("Bad sigma", [](Scene& s) { s.kernels[1].sigma_y = -4; });
    FAIL() << "an invalid edit was applied";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("kernels[1].sigma_y"));
  }
  // Union needs the pdf's top within [0, 1]: sigma 0.1 puts it at about 15.9.
  EXPECT_THROW(
      doc.apply("Too sharp", [](Scene& s) { s.kernels[0].sigma_x = s.kernels[0].sigma_y = 0.1; }),
      InputError);
  EXPECT_THROW(doc.apply("Throws", [](Scene&) { throw std::runtime_error("boom"); }),
               std::runtime_error);
  EXPECT_EQ(doc.scene().kernels[1].sigma_y, 80);
  EXPECT_EQ(doc.scene().kernels[0].sigma_x, 20);
  EXPECT_EQ(doc.scene().kernels[0].sigma_y, 20);
  EXPECT_FALSE(doc.canUndo());
  EXPECT_FALSE(doc.modified());
  EXPECT_EQ(doc.revision(), r0);
}

TEST(Document, UndoAndRedoRestoreTheSelection) {
  Document doc(threeKernelScene(), "");
  doc.select(0);
  doc.apply("Edit b", [](Scene& s) { s.kernels[1].weight = 2; });
  doc.select(1);
  doc.undo();
  EXPECT_EQ(doc.selected(), 0);
  doc.redo();
  EXPECT_EQ(doc.selected(), 1);
}

TEST(Document, SelectionOfAKernelThatNoLongerExistsIsCleared) {
  Document doc(threeKernelScene(), "");
  doc.select(7);
  EXPECT_EQ(doc.selected(), std::nullopt);
  doc.select(-1);
  EXPECT_EQ(doc.selected(), std::nullopt);
  doc.select(2);
  doc.apply("Drop last", [](Scene& s) { s.kernels.pop_back(); });
  EXPECT_EQ(doc.selected(), std::nullopt);
  doc.select(1);
  doc.undo();  // back to the selection from before the step: kernel 2, which exists again
  EXPECT_EQ(doc.selected(), 2);
}

TEST(Document, UndoingBackToTheSavedStateClearsModified) {
  TempFolder dir;
  Document doc(seedScene(), dir.file("seed.json"));
  doc.apply("a", [](Scene& s) { s.kernels[0].x = 1; });
  doc.save();
  EXPECT_FALSE(doc.modified());
  doc.apply("b", [](Scene& s) { s.kernels[0].x = 2; });
  EXPECT_TRUE(doc.modified());
  doc.undo();
  EXPECT_FALSE(doc.modified());
  doc.undo();
  EXPECT_TRUE(doc.modified());
  doc.redo();
  EXPECT_FALSE(doc.modified());
  // Continuing a merged drag after saving changes the saved step: modified again.
  doc.apply(
      "c", [](Scene& s) { s.kernels[0].x = 3; }, "drag");
  doc.save();
  doc.apply(
      "c", [](Scene& s) { s.kernels[0].x = 4; }, "drag");
  EXPECT_TRUE(doc.modified());
}

TEST(Document, UndoingPastALostSavedStateStaysModified) {
  TempFolder dir;
  Document doc(seedScene(), dir.file("seed.json"));
  doc.apply("a", [](Scene& s) { s.kernels[0].x = 1; });
  doc.save();
  doc.undo();
  doc.apply("b", [](Scene& s) { s.kernels[0].x = 2; });  // the saved step is gone from redo
  EXPECT_TRUE(doc.modified());
  doc.undo();
  EXPECT_TRUE(doc.modified());  // the original scene was never saved to this file
}

TEST(Document, LoadOfMalformedFileThrowsAndKeepsTheDocument) {
  TempFolder dir;
  const std::string bad = dir.file("bad.json");
  writeText(bad, R"({"width": 400, "height": 400, "kernels": [{"x": 1, "y": )");
  Document doc(seedScene(), "seed.json");
  doc.select(1);
  doc.apply("Move", [](Scene& s) { s.kernels[1].x = 12; });
  const std::uint64_t revision = doc.revision();
  try {
    doc.load(bad);
    FAIL() << "a malformed file loaded";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("bad.json"));
  }
  // Missing: an input or an I/O error, either way the document stays.
  EXPECT_THROW(doc.load(dir.file("missing.json")), std::runtime_error);
  EXPECT_EQ(doc.path(), "seed.json");
  EXPECT_EQ(doc.scene().kernels[1].x, 12);
  EXPECT_EQ(doc.selected(), 1);
  EXPECT_TRUE(doc.modified());
  EXPECT_TRUE(doc.canUndo());
  EXPECT_EQ(doc.revision(), revision);
}

TEST(Document, LoadOfAFifoIsRefusedAtOnceInsteadOfBlocking) {
  // Opening a FIFO for reading blocks until a writer comes: the viewer's one thread would hang.
  TempFolder dir;
  const std::string fifo = dir.file("pipe.json");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  Document doc(seedScene(), "seed.json");
  try {
    doc.load(fifo);
    FAIL() << "a FIFO was opened";
  } catch (const InputError& e) {
    EXPECT_THAT(e.what(), HasSubstr("pipe.json: not a regular file"));
  }
  EXPECT_EQ(doc.path(), "seed.json");
}

TEST(Document, ARefusedEditOfAnAnimatedKernelNamesItAsTheListDoes) {
  Scene scene = threeKernelScene();
  scene.kernels[1].label = "north";
  scene.kernels[1].keys = {KernelKey{}, KernelKey{}};
  scene.kernels[1].keys[0].t = 0;
  scene.kernels[1].keys[0][AnimatedField::X] = 10;
  scene.kernels[1].keys[1].t = 2;
  scene.kernels[1].keys[1][AnimatedField::X] = 30;
  Document doc(scene, "");
  doc.setAutoKey(false);
  try {
    doc.apply("Move", [](Scene& s) { s.kernels[1].y += 1; });
    FAIL() << "a keyed kernel was changed without auto-key";
  } catch (const InputError& e) {
    // The second kernel: "#2" as the kernel list numbers it, and its label.
    EXPECT_THAT(e.what(), HasSubstr("kernel #2 'north' is animated"));
  }
  scene.kernels[0].label.clear();
  EXPECT_EQ(kernelName(scene, 0), "#1");
  EXPECT_EQ(kernelName(scene, 2), "#3 'c'");
}

TEST(Document, LoadReplacesSceneAndClearsHistory) {
  TempFolder dir;
  const std::string path = dir.file("three.json");
  writeText(path, sceneToJson(threeKernelScene()));
  Document doc(seedScene(), "seed.json");
  doc.select(0);
  doc.apply("Move", [](Scene& s) { s.kernels[0].x = 12; });
  const std::uint64_t revision = doc.revision();
  doc.load(path);
  EXPECT_EQ(doc.scene().kernels.size(), 3u);
  EXPECT_EQ(doc.scene().kernels[2].label, "c");
  EXPECT_EQ(doc.path(), path);
  EXPECT_FALSE(doc.modified());
  EXPECT_FALSE(doc.canUndo());
  EXPECT_FALSE(doc.canRedo());
  EXPECT_EQ(doc.selected(), std::nullopt);
  EXPECT_GT(doc.revision(), revision);
}

TEST(Document, SaveWritesAFileThatLoadsBackEqualAndClearsModified) {
  TempFolder dir;
  const std::string path = dir.file("scene.json");
  Scene scene = seedScene();
  scene.kernels.push_back(Kernel{});
  scene.kernels.back().setCovariance({30, 5, 20});
  scene.kernels.back().weight = 0.5;
  Document doc(scene, path);
  doc.apply("Move", [](Scene& s) { s.kernels[0].x = 123.456; });
  ASSERT_TRUE(doc.modified());
  doc.save();
  EXPECT_FALSE(doc.modified());

  const Scene back = loadScene(path);
  EXPECT_EQ(sceneToJson(back), sceneToJson(doc.scene()));
  ASSERT_EQ(back.kernels.size(), 3u);
  EXPECT_EQ(back.kernels[0].x, 123.456);
  ASSERT_TRUE(back.kernels[2].cov.has_value());
  EXPECT_EQ(back.kernels[2].cov->xy, 5);
  EXPECT_EQ(back.combine, Combine::Union);
  // No temporary file is left beside it.
  EXPECT_EQ(std::distance(fs::directory_iterator(fs::path(path).parent_path()), {}), 1);
}

TEST(Document, SaveWithoutAPathAsksForSaveAs) {
  Document doc(seedScene(), "");
  doc.apply("Move", [](Scene& s) { s.kernels[0].x = 1; });
  try {
    doc.save();
    FAIL() << "saved without a path";
  } catch (const RuntimeError& e) {
    EXPECT_THAT(e.what(), HasSubstr("save-as"));
  }
  EXPECT_TRUE(doc.modified());
}

TEST(Document, SaveAsTakesThePathOnlyWhenTheWriteSucceeds) {
  TempFolder dir;
  Document doc(seedScene(), dir.file("old.json"));
  doc.apply("Move", [](Scene& s) { s.kernels[0].x = 1; });
  // A file where a folder should be: the save fails and the document keeps its old path.
  writeText(dir.file("f"), "a file");
  EXPECT_THROW(doc.saveAs(dir.file("f/new.json")), InputError);
  EXPECT_EQ(doc.path(), dir.file("old.json"));
  EXPECT_TRUE(doc.modified());

  doc.saveAs(dir.file("new.json"));
  EXPECT_EQ(doc.path(), dir.file("new.json"));
  EXPECT_FALSE(doc.modified());
  EXPECT_EQ(loadScene(dir.file("new.json")).kernels[0].x, 1);
}

// --- Edit commands ---

TEST(EditCommands, MoveKernelAddsTheDeltaInSceneUnits) {
  Document doc(seedScene(), "");
  moveKernel(doc, 1, {3, -2}, "");
  EXPECT_EQ(doc.scene().kernels[1].x, 193);
  EXPECT_EQ(doc.scene().kernels[1].y, 208);
  EXPECT_EQ(doc.scene().kernels[0].x, 200);
  EXPECT_EQ(doc.undoDescription(), "Move kernel");
}

TEST(EditCommands, MovesOfOneDragMergeAndAZeroMoveAddsNoStep) {
  Document doc(seedScene(), "");
  moveKernel(doc, 0, {0, 0}, "drag");
  EXPECT_FALSE(doc.canUndo());
  moveKernel(doc, 0, {1, 1}, "drag");
  moveKernel(doc, 0, {2, -1}, "drag");
  moveKernel(doc, 0, {0.5, 0}, "drag");
  EXPECT_EQ(doc.scene().kernels[0].x, 203.5);
  EXPECT_EQ(doc.scene().kernels[0].y, 200);
  doc.undo();
  EXPECT_FALSE(doc.canUndo());
  EXPECT_EQ(doc.scene().kernels[0].x, 200);
}

TEST(EditCommands, KernelHandlesOfARotatedKernel) {
  Kernel k;
  k.x = 100;
  k.y = 50;
  k.sigma_x = 10;
  k.sigma_y = 5;
  k.angle_deg = 90;  // the kernel's x axis points along +y
  const KernelHandles h = kernelHandles(k);
  EXPECT_NEAR(h.centre.x, 100, kTight);
  EXPECT_NEAR(h.sigma_x.x, 100, kTight);
  EXPECT_NEAR(h.sigma_x.y, 70, kTight);
  EXPECT_NEAR(h.sigma_y.x, 90, kTight);
  EXPECT_NEAR(h.sigma_y.y, 50, kTight);
  EXPECT_NEAR(h.rotate.x, 100, kTight);
  EXPECT_NEAR(h.rotate.y, 76, kTight);
}

TEST(EditCommands, StretchingAlongARotatedAxisSetsThatSigma) {
  Document doc(threeKernelScene(), "");  // kernel 1: sigma 6 x 3 at 30 degrees, centre (50, 40)
  const double a = 30 * std::numbers::pi / 180;
  // To twice sigma 9 along the kernel's x axis, plus a sideways wobble that must not count.
  const Vec2 target{50 + 18 * std::cos(a) - 4 * std::sin(a),
                    40 + 18 * std::sin(a) + 4 * std::cos(a)};
  dragHandle(doc, 1, HandleKind::SigmaX, target, "stretch");
  const Kernel& k = doc.scene().kernels[1];
  EXPECT_NEAR(k.sigma_x, 9, kTight);
  EXPECT_EQ(k.sigma_y, 3);
  EXPECT_EQ(k.angle_deg, 30);

  // The y handle at 2 * 5 along the kernel's own y axis (-sin a, cos a).
  dragHandle(doc, 1, HandleKind::SigmaY, {50 - 10 * std::sin(a), 40 + 10 * std::cos(a)}, "y");
  EXPECT_NEAR(doc.scene().kernels[1].sigma_y, 5, kTight);
  EXPECT_NEAR(doc.scene().kernels[1].sigma_x, 9, kTight);
}

TEST(EditCommands, StretchingThroughTheCentreKeepsSigmaPositive) {
  Document doc(threeKernelScene(), "");
  dragHandle(doc, 0, HandleKind::SigmaX, {10, 20}, "");  // onto the centre itself
  // It stops at the narrowest kernel the renderers resolve: 1e-3 sample steps (core/scene.h).
  EXPECT_GE(doc.scene().kernels[0].sigma_x, kMinSigmaSteps);
  EXPECT_LT(doc.scene().kernels[0].sigma_x, 1.001 * kMinSigmaSteps);
  EXPECT_TRUE(doc.canUndo());
  dragHandle(doc, 0, HandleKind::SigmaX, {4, 20}, "");  // past it: the far side stretches too
  EXPECT_NEAR(doc.scene().kernels[0].sigma_x, 3, kTight);
}

TEST(EditCommands, RotateHandleSetsTheAngle) {
  Document doc(threeKernelScene(), "");
  dragHandle(doc, 2, HandleKind::Rotate, {80, 60 + 7}, "rotate");
  EXPECT_NEAR(doc.scene().kernels[2].angle_deg, 90, kTight);
  dragHandle(doc, 2, HandleKind::Rotate, {80 - 3, 60}, "rotate");
  EXPECT_NEAR(doc.scene().kernels[2].angle_deg, 180, kTight);
  dragHandle(doc, 2, HandleKind::Rotate, {80 - 3, 60 - 3}, "rotate");
  EXPECT_NEAR(doc.scene().kernels[2].angle_deg, -135, kTight);
  dragHandle(doc, 2, HandleKind::Rotate, {80, 60}, "rotate");  // no direction: unchanged
  EXPECT_NEAR(doc.scene().kernels[2].angle_deg, -135, kTight);
  doc.undo();  // the whole rotation was one step
  EXPECT_EQ(doc.scene().kernels[2].angle_deg, 0);
}

TEST(EditCommands, ShapeEditTurnsACovKernelIntoSigmasAndAngle) {
  Scene scene = threeKernelScene();
  scene.kernels[0].setCovariance({25, 0, 9});  // sigma 5 x 3, axis-aligned
  Document doc(scene, "");
  setKernelShape(doc, 0, 5, 3, 90, "");
  const Kernel& k = doc.scene().kernels[0];
  EXPECT_FALSE(k.cov.has_value());
  const Covariance c = k.covariance();
  EXPECT_NEAR(c.xx, 9, kTight);
  EXPECT_NEAR(c.yy, 25, kTight);
  EXPECT_NEAR(c.xy, 0, kTight);
}

TEST(EditCommands, DraggingACovKernelUsesItsEigenAxes) {
  Scene scene = threeKernelScene();
  Kernel& cov_kernel = scene.kernels[1];
  cov_kernel.setCovariance({13, 3 * std::sqrt(3.0), 7});  // 4 x 2 at 30 degrees
  Document doc(scene, "");
  const Kernel before = doc.scene().kernels[1];
  EXPECT_NEAR(before.angle_deg, 30, 1e-9);
  const double a = before.angle_deg * std::numbers::pi / 180;
  dragHandle(doc, 1, HandleKind::SigmaX, {50 + 12 * std::cos(a), 40 + 12 * std::sin(a)}, "");
  const Kernel& k = doc.scene().kernels[1];
  EXPECT_FALSE(k.cov.has_value());
  EXPECT_NEAR(k.sigma_x, 6, kTight);
  EXPECT_NEAR(k.sigma_y, before.sigma_y, kTight);
  EXPECT_NEAR(k.angle_deg, 30, kTight);
}

// A kernel 30 x 10 turned by 90 degrees at (200, 200), seen at one unit per pixel.
struct HitScene {
  Scene scene = parseScene(R"({"width": 400, "height": 400, "kernels": [
      {"x": 200, "y": 200, "sigma_x": 30, "sigma_y": 10, "angle_deg": 90},
      {"x": 300, "y": 100, "sigma": 50},
      {"x": 330, "y": 100, "sigma": 15},
      {"x": 50, "y": 350, "sigma": 0.5},
      {"x": 300, "y": 130, "sigma": 0.5}]})",
                           "hit.json");
  ViewTransform view =
      fittedView(scene.effectiveExtent(), Origin::Upper, 400, 400, {0, 0, 400, 400});
  Vec2 screen(double x, double y) const { return view.sceneToScreen({x, y}); }
};

TEST(EditCommands, HitTestFindsTheHandlesOfTheSelectedRotatedKernel) {
  const HitScene h;
  auto hit = [&](double x, double y) { return hitTest(h.scene, 0, h.view, h.screen(x, y), 6); };
  EXPECT_EQ(hit(200, 260).handle, HandleKind::SigmaX);  // 2 * 30 along +y
  EXPECT_EQ(hit(200 + 3, 260 - 2).handle, HandleKind::SigmaX);
  EXPECT_EQ(hit(200, 278).handle, HandleKind::Rotate);  // 2.6 * 30 along +y
  EXPECT_EQ(hit(180, 200).handle, HandleKind::SigmaY);  // 2 * 10 along -x
  EXPECT_EQ(hit(201, 199).handle, HandleKind::Centre);
  EXPECT_EQ(hit(201, 199).kernel, 0);
  // Handles of a kernel that is not selected do not count; far outside its ellipse, nothing.
  EXPECT_EQ(hitTest(h.scene, std::nullopt, h.view, h.screen(200, 278), 6).kernel, -1);
}

TEST(EditCommands, HitTestUsesTheRotatedEllipse) {
  const HitScene h;
  auto hit = [&](double x, double y) {
    return hitTest(h.scene, std::nullopt, h.view, h.screen(x, y), 3);
  };
  // 25 along the kernel's x axis (scene +y) is inside; 25 along scene +x is 2.5 sigma_y out.
  EXPECT_EQ(hit(200, 225).kernel, 0);
  EXPECT_EQ(hit(200, 225).handle, HandleKind::Centre);
  EXPECT_EQ(hit(225, 200).kernel, -1);
  // Inside kernel 1 (sigma 50 at x 300) and kernel 2 (sigma 15 at x 330): the smaller
  // Mahalanobis distance wins, not the nearer centre.
  EXPECT_EQ(hit(318, 100).kernel, 1);  // 0.36 of kernel 1's sigma, 0.8 of kernel 2's
  EXPECT_EQ(hit(325, 100).kernel, 2);  // 0.5 against 0.33
}

TEST(EditCommands, HitTestPrefersTheSelectedKernelsHandles) {
  const HitScene h;
  // Kernel 2's sigma_y handle (330, 130) lies inside kernel 1's 1-sigma circle.
  const Hit selected = hitTest(h.scene, 2, h.view, h.screen(331, 131), 6);
  EXPECT_EQ(selected.kernel, 2);
  EXPECT_EQ(selected.handle, HandleKind::SigmaY);
  const Hit other = hitTest(h.scene, 1, h.view, h.screen(331, 131), 6);
  EXPECT_EQ(other.kernel, 1);
  EXPECT_EQ(other.handle, HandleKind::Centre);
}

TEST(EditCommands, HitTestPicksAKernelByItsCentreInsideALargerOne) {
  const HitScene h;
  // 3 pixels from kernel 4's centre (sigma 0.5), inside kernel 1's circle only.
  EXPECT_EQ(hitTest(h.scene, std::nullopt, h.view, h.screen(303, 130), 6).kernel, 4);
  EXPECT_EQ(hitTest(h.scene, std::nullopt, h.view, h.screen(303, 130), 2).kernel, 1);
}

TEST(EditCommands, HitTestPicksAKernelSmallerThanTheRadiusNearItsCentre) {
  const HitScene h;
  const Hit tiny = hitTest(h.scene, std::nullopt, h.view, h.screen(53, 352), 6);
  EXPECT_EQ(tiny.kernel, 3);
  EXPECT_EQ(tiny.handle, HandleKind::Centre);
  EXPECT_EQ(hitTest(h.scene, std::nullopt, h.view, h.screen(58, 350), 6).kernel, -1);
}

TEST(EditCommands, AddKernelSelectsItAndKeepsUnionValid) {
  Document doc(seedScene(), "");
  addKernelAt(doc, {50, 60}, 40);
  ASSERT_EQ(doc.scene().kernels.size(), 3u);
  const Kernel& k = doc.scene().kernels[2];
  EXPECT_EQ(k.x, 50);
  EXPECT_EQ(k.y, 60);
  EXPECT_EQ(k.sigma_x, 40);
  EXPECT_EQ(k.sigma_y, 40);
  EXPECT_EQ(k.weight, 1);
  EXPECT_EQ(k.label, "kernel 3");
  EXPECT_EQ(doc.selected(), 2);

  // A pdf with sigma 0.1 would peak at 15.9: the weight drops so that its top is 1.
  addKernelAt(doc, {1, 2}, 0.1);
  const Kernel& sharp = doc.scene().kernels[3];
  EXPECT_NEAR(sharp.peakValue(Normalize::Pdf), 1, 1e-9);
  EXPECT_LE(sharp.peakValue(Normalize::Pdf), 1);
  EXPECT_EQ(sharp.label, "kernel 4");
  EXPECT_EQ(doc.selected(), 3);

  doc.undo();
  EXPECT_EQ(doc.scene().kernels.size(), 3u);
  EXPECT_EQ(doc.selected(), 2);
}

TEST(EditCommands, DuplicateInsertsACopyAfterAndSelectsIt) {
  Document doc(threeKernelScene(), "");
  doc.select(0);
  duplicateKernel(doc, 1);
  ASSERT_EQ(doc.scene().kernels.size(), 4u);
  EXPECT_EQ(doc.scene().kernels[2].label, "b copy");
  EXPECT_EQ(doc.scene().kernels[2].x, 50);
  EXPECT_EQ(doc.scene().kernels[2].angle_deg, 30);
  EXPECT_EQ(doc.scene().kernels[3].label, "c");
  EXPECT_EQ(doc.selected(), 2);
  doc.undo();
  EXPECT_EQ(doc.scene().kernels.size(), 3u);
  EXPECT_EQ(doc.selected(), 0);
}

TEST(EditCommands, DuplicateMovesTheCopyAndItsKeysByTheOffset) {
  Scene scene = threeKernelScene();
  KernelKey key;
  key.t = 1;
  key[AnimatedField::X] = 70;
  scene.kernels[1].keys = {key};
  Document doc(scene, "");
  duplicateKernel(doc, 1, {16, -8});
  const Kernel& copy = doc.scene().kernels[2];
  const Kernel& original = doc.scene().kernels[1];
  EXPECT_EQ(copy.x, original.x + 16);  // not hidden under the original
  EXPECT_EQ(copy.y, original.y - 8);
  ASSERT_EQ(copy.keys.size(), 1u);
  EXPECT_EQ(*copy.keys[0][AnimatedField::X], 86);
  EXPECT_FALSE(copy.keys[0][AnimatedField::Y]);
}

TEST(ViewTransform, DragStepIsThePowerOfTenNotAboveAPixel) {
  ViewTransform view;
  view.setCanvas({0, 0, 400, 400});
  view.fit({0, 399, 0, 399}, 400, 400);  // one unit a pixel
  EXPECT_DOUBLE_EQ(view.dragStep(), 1.0);
  view.zoomAround({200, 200}, 2.0);  // half a unit a pixel
  EXPECT_DOUBLE_EQ(view.dragStep(), 0.1);
  view.zoomAround({200, 200}, 1.0 / 80);  // 40 units a pixel
  EXPECT_DOUBLE_EQ(view.dragStep(), 10.0);
}

TEST(ViewTransform, RoundToStepGivesShortDecimals) {
  EXPECT_EQ(roundToStep(168.62385321100916, 0.01), 168.62);
  EXPECT_EQ(roundToStep(216.29357798165137, 0.1), 216.3);  // not 216.30000000000001
  EXPECT_EQ(roundToStep(1234.5, 10), 1230);
  EXPECT_EQ(roundToStep(-0.004567, 0.001), -0.005);
  EXPECT_EQ(roundToStep(3.14159, 0), 3.14159);  // no step: unchanged
  // What scene JSON writes (the shortest round trip) is then the short decimal.
  EXPECT_EQ(nlohmann::json(roundToStep(168.62385321100916, 0.01)).dump(), "168.62");
}

TEST(EditCommands, DraggingAHandleWithAStepRoundsSigmaAndAngle) {
  Document doc(threeKernelScene(), "");
  const Kernel k = doc.scene().kernels[0];
  // Stretch sigma_x to about 33.3333 (the handle sits at 2 sigma), rounded to 0.1.
  dragHandle(doc, 0, HandleKind::SigmaX,
             {k.x + 66.66666 * std::cos(k.angle_deg * std::numbers::pi / 180),
              k.y + 66.66666 * std::sin(k.angle_deg * std::numbers::pi / 180)},
             "drag", 0.1);
  EXPECT_EQ(doc.scene().kernels[0].sigma_x, 33.3);
  dragHandle(doc, 0, HandleKind::Rotate, {k.x + 10, k.y + 3.3333}, "rotate", 0.1);
  EXPECT_EQ(doc.scene().kernels[0].angle_deg,
            roundToStep(std::atan2(3.3333, 10) * 180 / std::numbers::pi, 0.1));
  EXPECT_EQ(doc.scene().kernels[0].angle_deg, 18.4);
}

TEST(EditCommands, MoveKernelToPutsTheCentreExactlyThereAndMerges) {
  Document doc(threeKernelScene(), "");
  moveKernelTo(doc, 0, {12.3, 45.6}, "drag 1");
  moveKernelTo(doc, 0, {12.4, 45.7}, "drag 1");
  EXPECT_EQ(doc.scene().kernels[0].x, 12.4);
  EXPECT_EQ(doc.scene().kernels[0].y, 45.7);
  doc.undo();  // one step for the whole drag
  EXPECT_EQ(doc.scene().kernels[0].x, threeKernelScene().kernels[0].x);
}

TEST(EditCommands, DeleteMovesTheSelectionToANeighbour) {
  Document doc(threeKernelScene(), "");
  doc.select(1);
  deleteKernel(doc, 1);  // the next kernel takes its place
  EXPECT_EQ(doc.scene().kernels[1].label, "c");
  EXPECT_EQ(doc.selected(), 1);
  deleteKernel(doc, 1);  // the last one: the previous kernel
  EXPECT_EQ(doc.selected(), 0);
  deleteKernel(doc, 0);  // none left
  EXPECT_TRUE(doc.scene().kernels.empty());
  EXPECT_EQ(doc.selected(), std::nullopt);
  doc.undo();
  doc.undo();
  doc.undo();
  EXPECT_EQ(doc.scene().kernels.size(), 3u);
  EXPECT_EQ(doc.selected(), 1);
}

TEST(EditCommands, DeleteKeepsTheSelectionOnItsKernel) {
  Document doc(threeKernelScene(), "");
  doc.select(2);
  deleteKernel(doc, 0);
  EXPECT_EQ(doc.selected(), 1);
  EXPECT_EQ(doc.scene().kernels[1].label, "c");
  deleteKernel(doc, 1);
  EXPECT_EQ(doc.selected(), 0);  // it was the selected one, and the last
  doc.select(std::nullopt);
  deleteKernel(doc, 0);
  EXPECT_EQ(doc.selected(), std::nullopt);
}

TEST(EditCommands, CommandsOnAMissingKernelThrowWithoutAStep) {
  Document doc(threeKernelScene(), "");
  EXPECT_THROW(moveKernel(doc, 3, {1, 1}, ""), InputError);
  EXPECT_THROW(deleteKernel(doc, -1), InputError);
  EXPECT_THROW(duplicateKernel(doc, 9), InputError);
  EXPECT_THROW(setKernelShape(doc, 5, 1, 1, 0, ""), InputError);
  EXPECT_THROW(dragHandle(doc, 3, HandleKind::SigmaX, {0, 0}, ""), InputError);
  EXPECT_FALSE(doc.canUndo());
}

TEST(EditCommands, ShapeThatBreaksUnionIsRejected) {
  Document doc(seedScene(), "");
  // Onto the centre: sigma_x 4e-4 next to sigma_y 20 puts the pdf's top near 20.
  EXPECT_THROW(dragHandle(doc, 0, HandleKind::SigmaX, {200, 200}, "drag"), InputError);
  EXPECT_EQ(doc.scene().kernels[0].sigma_x, 20);
  EXPECT_FALSE(doc.canUndo());
}

// --- The path dialogs' file list, and the Verify panel's text ---

TEST(FileList, ListsSubfoldersThenFilesOfTheDialogsKinds) {
  TempFolder folder;
  const std::string root = folder.file("");
  fs::create_directories(folder.file("scenes"));
  fs::create_directories(folder.file("out"));
  fs::create_directories(folder.file(".git"));
  for (const char* name : {"b.json", "A.JSON", "notes.txt", "heat.png", ".hidden.json"})
    writeText(folder.file(name), "{}");
  const FolderListing scenes = listFolder(folder.file("").substr(0, root.size() - 1), {".json"});
  EXPECT_TRUE(scenes.error.empty());
  std::vector<std::string> names;
  for (const FolderEntry& e : scenes.entries) names.push_back(e.name + (e.folder ? "/" : ""));
  EXPECT_EQ(names, (std::vector<std::string>{"../", "out/", "scenes/", "A.JSON", "b.json"}));
  const FolderListing images = listFolder(scenes.folder, {".png", ".npy"});
  ASSERT_EQ(images.entries.size(), 4u);
  EXPECT_EQ(images.entries.back().name, "heat.png");
  // A folder that cannot be read says why and still offers the way up.
  const FolderListing missing = listFolder(folder.file("nowhere"), {".json"});
  EXPECT_FALSE(missing.error.empty());
  ASSERT_EQ(missing.entries.size(), 1u);
  EXPECT_EQ(missing.entries[0].name, "..");
}

TEST(FileList, ChoosingWalksFoldersAndKeepsTheTypedFileName) {
  TempFolder folder;
  fs::create_directories(folder.file("out"));
  const std::string root = fs::path(folder.file("out")).parent_path().string();
  EXPECT_EQ(folderOf(root + "/out/export.png"), root + "/out");
  EXPECT_EQ(folderOf(root + "/out"), root + "/out");  // a folder lists itself
  EXPECT_EQ(folderOf(root + "/out/"), root + "/out");
  EXPECT_EQ(folderOf("export.png"), ".");
  EXPECT_EQ(folderOf(""), ".");
  EXPECT_EQ(typedFileName(root + "/out/export.png"), "export.png");
  EXPECT_EQ(typedFileName(root + "/out"), "");  // a folder: no name typed yet
  EXPECT_EQ(typedFileName("out/"), "");
  // Into a folder, keeping the name typed so far; onto a file; up again.
  EXPECT_EQ(choosePath(root, {"out", true}, typedFileName("export.png")), root + "/out/export.png");
  EXPECT_EQ(choosePath(root + "/out", {"seed.json", false}, typedFileName(root + "/out/x.json")),
            root + "/out/seed.json");
  EXPECT_EQ(choosePath(root + "/out", {"..", true}, typedFileName(root + "/out/export.png")),
            root + "/export.png");
  EXPECT_EQ(choosePath(".", {"..", true}, typedFileName("export.png")), "../export.png");
  EXPECT_EQ(choosePath("..", {"..", true}, typedFileName("../export.png")), "../../export.png");
  EXPECT_EQ(choosePath(".", {"scenes", true}, typedFileName("")), "scenes/");
  EXPECT_EQ(choosePath("/home", {"..", true}, typedFileName("/home/export.png")),
            "/export.png");  // not "//"
  EXPECT_EQ(choosePath("a/.", {"..", true}, typedFileName("a/./x.json")),
            "x.json");  // "a/." is "a"
  EXPECT_EQ(choosePath("out/", {"seed.json", false}, typedFileName("")), "out/seed.json");
}

TEST(VerifyText, EveryLineFitsTheSidePanel) {
  VerifyResult result{"cpu", 1.234e-7, 3.4e-11, true, ""};
  EXPECT_EQ(verifyText(result),
            "cpu against the reference:\nmax error 1.23e-07 relative\n(3.40e-11 absolute): "
            "within 1e-5");
  result = {"gl (footprint)", 2e-3, 1.5e-4, false, ""};
  const std::string failed = verifyText(result);
  EXPECT_THAT(failed, HasSubstr("ABOVE 1e-5"));
  // The panel is 340 pixels wide: about 44 characters of ImGui's 7-pixel font after padding.
  std::size_t start = 0;
  while (start <= failed.size()) {
    const std::size_t end = std::min(failed.find('\n', start), failed.size());
    EXPECT_LE(end - start, 40u) << failed.substr(start, end - start);
    start = end + 1;
  }
  result.message = "no OpenGL";
  EXPECT_EQ(verifyText(result), "could not verify: no OpenGL");
}

TEST(ClickCounter, CountsDoubleClicksByTimeAndDistanceAsImGuiDoes) {
  ClickCounter clicks;
  EXPECT_EQ(clicks.press(10.0, {100, 100}), 1);
  EXPECT_EQ(clicks.press(10.001, {100, 100}), 2);  // two presses in one frame: still a double
  EXPECT_EQ(clicks.press(10.1, {100, 100}), 1);    // a third starts again
  EXPECT_EQ(clicks.press(10.35, {104, 104}), 2);   // within 0.3 s and 6 pixels
  EXPECT_EQ(clicks.press(11.0, {100, 100}), 1);
  EXPECT_EQ(clicks.press(11.31, {100, 100}), 1);  // too slow
  EXPECT_EQ(clicks.press(11.32, {110, 100}), 1);  // too far
  EXPECT_EQ(clicks.press(11.33, {110, 100}), 2);
  // Presses that waited in the queue through a busy frame: read together, they may have been as
  // far apart as the frame was long.
  EXPECT_EQ(clicks.press(20.0, {100, 100}, 0.1), 1);
  EXPECT_EQ(clicks.press(20.0001, {100, 100}, 0.1), 2);  // a 100 ms frame: surely a double
  EXPECT_EQ(clicks.press(30.0, {100, 100}, 0.5), 1);
  EXPECT_EQ(clicks.press(30.0001, {100, 100}, 0.5), 1);  // a 500 ms frame: maybe two clicks
}

}  // namespace
}  // namespace gaussmap::app
