// gaussmap tiles end to end, and the Web Mercator maths under it: tiles equal direct renders of
// their grids, only reached tiles are written, one colour range for the pyramid, TileJSON 3.0,
// RGBA with the alpha rule, and bad input refused with nothing written.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "binary_test.h"
#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "gaussmap/render.h"
#include "gaussmap/scene_json.h"
#include "gaussmap/tiles.h"
#include "test_kernels.h"

namespace gaussmap::testing {
namespace {

namespace fs = std::filesystem;

TEST(WebMercator, ProjectsAsEpsg3857Does) {
  // The textbook forms (x = R lon, y = R ln tan(pi/4 + lat/2), R = 6378137), evaluated apart.
  EXPECT_NEAR(mercatorX(180), 20037508.3428, 1e-3);
  EXPECT_NEAR(mercatorX(13.405), 1492237.774, 1e-3);
  EXPECT_NEAR(mercatorY(52.52), 6894699.801, 1e-3);
  EXPECT_NEAR(mercatorY(kMercatorMaxLatitude), kMercatorHalfWorld, 1e-3);
  EXPECT_NEAR(latitudeOfMercatorY(mercatorY(-33.9)), -33.9, 1e-12);
  EXPECT_NEAR(longitudeOfMercatorX(mercatorX(-122.4)), -122.4, 1e-12);
  EXPECT_EQ(parseCrs("epsg:4326", "--crs"), Crs::LonLat);
  EXPECT_THROW(parseCrs("EPSG:32633", "--crs"), InputError);
}

TEST(WebMercator, SigmasAreGroundMetresAtTheKernelsLatitude) {
  Scene scene;
  scene.kernels = {test::kernelAt(10, 60, 100, 50, 30)};
  const Scene m = toWebMercator(scene, Crs::LonLat);
  EXPECT_NEAR(m.kernels[0].sigma_x, 200, 1e-9);  // 1 / cos(60 degrees) = 2
  EXPECT_NEAR(m.kernels[0].sigma_y, 100, 1e-9);
  EXPECT_EQ(m.kernels[0].angle_deg, 30);
  scene.kernels[0].y = 86;
  EXPECT_THROW(toWebMercator(scene, Crs::LonLat), InputError);
}

TEST(WebMercator, TileGridsPutSamplesAtPixelCentresNorthUp) {
  const MercatorBounds b = tileBounds({1, 0, 0});
  EXPECT_DOUBLE_EQ(b.west, -kMercatorHalfWorld);
  EXPECT_DOUBLE_EQ(b.north, kMercatorHalfWorld);
  EXPECT_DOUBLE_EQ(b.east, 0);
  const Scene grid = tileGrid(Scene{}, {1, 0, 0});
  const SampleGrid g = grid.grid();
  const double pixel = kMercatorHalfWorld / 256;
  EXPECT_NEAR(g.x(0), -kMercatorHalfWorld + pixel / 2, 1e-6);
  EXPECT_NEAR(g.y(0), kMercatorHalfWorld - pixel / 2, 1e-6);  // row 0 is the northernmost
  EXPECT_NEAR(g.y(255), pixel / 2, 1e-6);
}

class TilesCommand : public BinaryTest {
 protected:
  // Points in longitude, latitude around Berlin, Paris and the equator.
  void writePoints() const {
    std::ofstream csv(outPath("fixes.csv"));
    csv << "lon,lat\n13.40,52.52\n13.45,52.50\n2.35,48.86\n0.001,0.001\n-179.99,10\n";
  }
  std::vector<std::string> tilesArgs() const {
    return {"tiles",       "--points", "fixes.csv", "--crs", "EPSG:4326", "--sigma", "4000",
            "--normalize", "peak",     "--zoom",    "2-6",   "-o",        "pyramid", "--values"};
  }
};

TEST_F(TilesCommand, EveryTileIsTheDirectRenderOfItsGrid) {
  writePoints();
  const RunResult r = run(tilesArgs());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The scene the command tiled, projected here through the library (whose maths the tests
  // above pin), each tile rendered with ALL kernels by `gaussmap render` from a scene file.
  Scene points;
  for (auto [lon, lat] :
       {std::pair{13.40, 52.52}, {13.45, 52.50}, {2.35, 48.86}, {0.001, 0.001}, {-179.99, 10.0}})
    points.kernels.push_back(test::kernelAt(lon, lat, 4000, 4000));
  points.normalize = Normalize::Peak;
  const Scene mercator = toWebMercator(points, Crs::LonLat);
  const std::vector<TileKernels> reached = tilesReached(mercator, 2, 6, 100000);
  std::set<std::string> expected;
  for (const TileKernels& t : reached)
    expected.insert(std::to_string(t.tile.z) + "/" + std::to_string(t.tile.x) + "/" +
                    std::to_string(t.tile.y));
  std::set<std::string> written;
  for (const auto& e : fs::recursive_directory_iterator(out() / "pyramid"))
    if (e.path().extension() == ".png")
      written.insert(fs::relative(e.path(), out() / "pyramid").replace_extension().string());
  EXPECT_EQ(written, expected);  // only the tiles some kernel reaches
  EXPECT_LT(written.size(), 40u);
  float lo = INFINITY, hi = -INFINITY;
  int checked = 0;
  for (const TileKernels& t : reached) {
    const std::string name =
        std::to_string(t.tile.z) + "/" + std::to_string(t.tile.x) + "/" + std::to_string(t.tile.y);
    const FloatImage tile = readNpy(outPath("pyramid/" + name + ".npy"));
    for (float v : tile.pixels) lo = std::min(lo, v), hi = std::max(hi, v);
    if (t.tile.z != 6 && t.tile.z != 3) continue;
    Scene whole = tileGrid(mercator, t.tile);
    whole.kernels = mercator.kernels;
    std::ofstream(outPath("tile.json")) << sceneToJson(whole);
    const RunResult direct = run({"render", "tile.json", "--backend", "cpu", "-o", "tile.npy"});
    ASSERT_EQ(direct.exit_code, 0) << direct.err;
    const FloatImage expect = readNpy(outPath("tile.npy"));
    ASSERT_EQ(tile.pixels, expect.pixels) << name;  // bit for bit
    ++checked;
  }
  EXPECT_GT(checked, 4);
  // One colour range for the whole pyramid: every tile's min..max, in tiles.json.
  const nlohmann::json tilejson = nlohmann::json::parse(readText(out() / "pyramid/tiles.json"));
  EXPECT_EQ(tilejson["tilejson"], "3.0.0");
  EXPECT_EQ(tilejson["tiles"][0], "{z}/{x}/{y}.png");
  EXPECT_EQ(tilejson["minzoom"], 2);
  EXPECT_EQ(tilejson["maxzoom"], 6);
  ASSERT_EQ(tilejson["bounds"].size(), 4u);
  EXPECT_LT(tilejson["bounds"][0].get<double>(), -179.99);
  EXPECT_GT(tilejson["bounds"][3].get<double>(), 52.52);
  EXPECT_EQ(tilejson["center"].size(), 3u);
  EXPECT_EQ(tilejson["gaussmap"]["range"][0].get<double>(), lo);
  EXPECT_EQ(tilejson["gaussmap"]["range"][1].get<double>(), hi);
  EXPECT_GT(hi, 1.0f);  // the two Berlin kernels overlap: their peaks add up
}

TEST_F(TilesCommand, TilesAreRgbaAndLowValuesFadeOut) {
  writePoints();
  std::vector<std::string> args = tilesArgs();
  args.insert(args.end(), {"--range", "0:1"});
  ASSERT_EQ(run(args).exit_code, 0);
  const FloatImage values = readNpy(outPath("pyramid/6/34/21.npy"));  // Berlin
  const PngFile png = readPng(outPath("pyramid/6/34/21.png"));
  ASSERT_EQ(png.alpha.size(), values.pixels.size());
  for (std::size_t k = 0; k < values.pixels.size(); ++k)
    ASSERT_EQ(png.alpha[k], std::lround(255.0 * std::clamp(double(values.pixels[k]), 0.0, 1.0)))
        << k;
  args.insert(args.end(), {"--alpha", "threshold:0.5", "--overwrite"});
  ASSERT_EQ(run(args).exit_code, 0);
  const PngFile cut = readPng(outPath("pyramid/6/34/21.png"));
  for (std::size_t k = 0; k < values.pixels.size(); ++k)
    ASSERT_EQ(cut.alpha[k], values.pixels[k] >= 0.5f ? 255 : 0) << k;
}

TEST_F(TilesCommand, BadInputIsRefusedWithNothingWritten) {
  writePoints();
  const auto refused = [&](std::vector<std::string> changes, const std::string& message) {
    std::vector<std::string> args = tilesArgs();
    for (std::size_t k = 0; k + 1 < changes.size(); k += 2) {
      auto it = std::find(args.begin(), args.end(), changes[k]);
      if (it == args.end())
        args.insert(args.end(), {changes[k], changes[k + 1]});
      else
        *(it + 1) = changes[k + 1];
    }
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out() / "pyramid")) << message;
    for (const auto& e : fs::directory_iterator(out()))
      EXPECT_EQ(e.path().filename().string().find(".pyramid"), std::string::npos);
  };
  refused({"--zoom", "3-25"}, "--zoom 3-25: expected Z or Z0-Z1 with 0 <= Z0 <= Z1 <= 24");
  refused({"--zoom", "6-2"}, "--zoom 6-2");
  refused({"--crs", "EPSG:32633"}, "EPSG:3857 (Web Mercator metres) or EPSG:4326");
  refused({"--alpha", "half"}, "expected none, ramp or threshold:T");
  refused({"--zoom", "0-24", "--sigma", "50000"}, "--max-tiles 100000");
  {
    std::ofstream csv(outPath("fixes.csv"), std::ios::app);
    csv << "10,88\n";
  }
  refused({}, "kernels[5].y: a latitude must be within -85.0511..85.0511");
  writePoints();
  fs::create_directory(out() / "pyramid");
  std::ofstream(out() / "pyramid" / "notes.txt") << "mine";
  for (const std::string flag : {"", "--overwrite"}) {
    std::vector<std::string> args = tilesArgs();
    if (!flag.empty()) args.push_back(flag);
    const RunResult r = run(args);
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_EQ(readText(out() / "pyramid" / "notes.txt"), "mine");
  }
}

// On a terminal the pyramid shows one progress line for its tiles, not a line per tile (each
// tile's render reporting its own rows would restart the line before it ever showed).
TEST_F(TilesCommand, ATerminalShowsOneProgressLineForTheTiles) {
  {
    std::ofstream csv(outPath("many.csv"));
    csv << "lon,lat\n";
    for (int k = 0; k < 1500; ++k)  // a grid of fixes over central Berlin
      csv << 13.3 + 0.2 * (k % 50) / 49.0 << "," << 52.45 + 0.1 * (k / 50) / 29.0 << "\n";
  }
  // About four seconds with the reference backend (the line appears after two).
  const std::string command =
      "cd " + testing::shellQuote(out().string()) + " && timeout 120 script -qec " +
      testing::shellQuote(std::string(GAUSSMAP_BINARY) +
                          " tiles --points many.csv --crs EPSG:4326 --sigma 300 --zoom 10-13 "
                          "--backend reference --range 0:1 -o pyramid") +
      " /dev/null > " + testing::shellQuote((root_ / "tty").string()) + " 2>&1";
  EXPECT_EQ(std::system(command.c_str()), 0) << testing::readText(root_ / "tty");
  const std::string tty = testing::readText(root_ / "tty");
  EXPECT_NE(tty.find("tiles ["), std::string::npos) << tty;
  EXPECT_NE(tty.find("(Ctrl+C stops)"), std::string::npos) << tty;
  EXPECT_EQ(tty.find("reference render ["), std::string::npos) << tty;
  // The line is cleared before the summary.
  EXPECT_NE(tty.find("\r\033[Kwrote "), std::string::npos) << tty;
  EXPECT_TRUE(fs::exists(outPath("pyramid/tiles.json")));
}

}  // namespace
}  // namespace gaussmap::testing
