// GeoTIFF outputs end to end: runs the built binary with -o FILE.tif, then reads the file back as
// a GIS user would, with `gdalinfo -json` (gdal-bin) for its size, georeferencing, CRS, layout,
// compression and overviews, and with GDAL's C API for its values, which must be the NPY render's
// bit for bit, rows and columns in the README's north-up, east-right order.
#include <gdal.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "binary_test.h"
#include "gaussmap/image_io.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using gaussmap::testing::RunResult;
using gaussmap::testing::shellQuote;
using ::testing::HasSubstr;
using ::testing::StartsWith;

using GeoTiffTest = gaussmap::testing::BinaryTest;

void writeText(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

// `gdalinfo -json` of a file, parsed; fails the test when gdalinfo does.
nlohmann::json gdalinfo(const std::string& path) {
  const std::string command = "gdalinfo -json " + shellQuote(path) + " 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen(command.c_str(), "r"), ::pclose);
  std::string text;
  char buffer[4096];
  while (pipe && std::fgets(buffer, sizeof buffer, pipe.get())) text += buffer;
  const int status = pipe ? ::pclose(pipe.release()) : -1;
  EXPECT_EQ(status, 0) << command << ":\n" << text;
  return nlohmann::json::parse(text, nullptr, false);
}

// Band 1 of a GeoTIFF as float32, row 0 = the file's first (northernmost) row.
FloatImage readBand(const std::string& path) {
  GDALAllRegister();
  FloatImage out;
  GDALDatasetH dataset = GDALOpen(path.c_str(), GA_ReadOnly);
  if (!dataset) {
    ADD_FAILURE() << "GDAL cannot open " << path;
    return out;
  }
  out = FloatImage(GDALGetRasterXSize(dataset), GDALGetRasterYSize(dataset));
  EXPECT_EQ(GDALGetRasterCount(dataset), 1);
  GDALRasterBandH band = GDALGetRasterBand(dataset, 1);
  EXPECT_EQ(GDALGetRasterDataType(band), GDT_Float32);
  EXPECT_EQ(GDALRasterIO(band, GF_Read, 0, 0, out.width, out.height, out.pixels.data(), out.width,
                         out.height, GDT_Float32, 0, 0),
            CE_None);
  GDALClose(dataset);
  return out;
}

// `values` with its rows and/or columns reversed.
FloatImage flipped(const FloatImage& values, bool rows, bool columns) {
  FloatImage out(values.width, values.height);
  for (int j = 0; j < values.height; ++j)
    for (int i = 0; i < values.width; ++i)
      out.at(i, j) =
          values.at(columns ? values.width - 1 - i : i, rows ? values.height - 1 - j : j);
  return out;
}

void expectSameValues(const FloatImage& got, const FloatImage& want) {
  ASSERT_EQ(got.width, want.width);
  ASSERT_EQ(got.height, want.height);
  int mismatches = 0;
  for (int j = 0; j < got.height; ++j)
    for (int i = 0; i < got.width; ++i)
      if (std::memcmp(&got.at(i, j), &want.at(i, j), sizeof(float)) != 0 && mismatches++ == 0)
        ADD_FAILURE() << "value " << got.at(i, j) << " at (" << i << ", " << j << "), expected "
                      << want.at(i, j);
  EXPECT_EQ(mismatches, 0);
}

void expectGeoTransform(const nlohmann::json& info, const std::vector<double>& want) {
  ASSERT_TRUE(info.contains("geoTransform")) << info.dump(1);
  const std::vector<double> got = info["geoTransform"];
  ASSERT_EQ(got.size(), 6u);
  for (int k = 0; k < 6; ++k)
    EXPECT_NEAR(got[k], want[k], 1e-12 * std::max(1.0, std::abs(want[k])))
        << "geoTransform[" << k << "]";
}

void expectCog(const nlohmann::json& info) {
  const nlohmann::json structure = info["metadata"]["IMAGE_STRUCTURE"];
  EXPECT_EQ(structure.value("LAYOUT", ""), "COG") << structure.dump();
  EXPECT_EQ(structure.value("COMPRESSION", ""), "DEFLATE") << structure.dump();
  EXPECT_EQ(info["bands"][0].value("type", ""), "Float32");
}

// x falls with i (30 -> 10 over 300 samples) and y grows with j (-5 -> 50 over 200): both axes
// are flipped on the way to the file, and the steps are neither 1 nor equal.
const char* kFlippedScene = R"({"width": 300, "height": 200, "extent": [30, 10, -5, 50],
  "normalize": "peak", "combine": "sum",
  "kernels": [{"x": 15, "y": 10, "sigma": 2},
              {"x": 25, "y": 40, "sigma_x": 3, "sigma_y": 1, "angle_deg": 30, "weight": 0.5}]})";

TEST_F(GeoTiffTest, FlippedAxesAreWrittenNorthUpWithCellsCentredOnTheSamples) {
  writeText(outPath("scene.json"), kFlippedScene);
  const RunResult r = run({"render", "scene.json", "-o", "heat.tif", "-o", "heat.npy", "--crs",
                           "EPSG:4326", "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");  // GDAL says nothing
  const nlohmann::json info = gdalinfo(outPath("heat.tif"));
  EXPECT_EQ(info["size"], nlohmann::json::array({300, 200}));
  // Sample i at x = 30 - i*20/299: the westernmost is the last column, at x = 10, and its cell
  // reaches half a step further west. Sample j at y = -5 + j*55/199: the top row is y = 50.
  const double sx = 20.0 / 299, sy = 55.0 / 199;
  expectGeoTransform(info, {10 - sx / 2, sx, 0, 50 + sy / 2, 0, -sy});
  const std::vector<double> upper_left = info["cornerCoordinates"]["upperLeft"];
  const std::vector<double> lower_right = info["cornerCoordinates"]["lowerRight"];
  EXPECT_NEAR(upper_left[0], 10 - sx / 2, 1e-6);  // gdalinfo rounds corners of degrees
  EXPECT_NEAR(upper_left[1], 50 + sy / 2, 1e-6);
  EXPECT_NEAR(lower_right[0], 30 + sx / 2, 1e-6);
  EXPECT_NEAR(lower_right[1], -5 - sy / 2, 1e-6);
  EXPECT_EQ(info["stac"]["proj:epsg"], 4326) << info["coordinateSystem"].dump();
  EXPECT_EQ(info["metadata"][""].value("AREA_OR_POINT", ""), "Area");
  expectCog(info);
  EXPECT_FALSE(info["bands"][0].contains("overviews"));  // one 512x512 tile: none needed
  // The pixel at the file's (0, 0) is the sample (299, 199).
  expectSameValues(readBand(outPath("heat.tif")),
                   flipped(readNpy(outPath("heat.npy")), true, true));
  // The scene rides along, as in a PNG.
  const nlohmann::json scene =
      nlohmann::json::parse(info["metadata"][""].value("GAUSSMAP_SCENE", "{}"));
  EXPECT_EQ(scene["extent"], nlohmann::json::array({30.0, 10.0, -5.0, 50.0}));
  EXPECT_EQ(scene["kernels"].size(), 2u);
}

TEST_F(GeoTiffTest, ALargeWebMercatorMapHasOverviewsAndItsWindowsLieWhereTheyBelong) {
  // y falls with j (as in an image of a map): rows are kept; 1100 x 1030 samples of 25 m.
  writeText(outPath("scene.json"), R"({"width": 1100, "height": 1030,
    "extent": [-1000000, -972525, 6500000, 6474275], "normalize": "peak",
    "kernels": [{"x": -990000, "y": 6490000, "sigma": 800},
                {"x": -980000, "y": 6480000, "sigma_x": 3000, "sigma_y": 900, "angle_deg": -20}]})");
  RunResult r = run({"render", "scene.json", "-o", "map.tif", "-o", "map.npy", "--crs", "epsg:3857",
                     "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json info = gdalinfo(outPath("map.tif"));
  EXPECT_EQ(info["size"], nlohmann::json::array({1100, 1030}));
  expectGeoTransform(info, {-1000000 - 12.5, 25, 0, 6500000 + 12.5, 0, -25});
  EXPECT_EQ(info["stac"]["proj:epsg"], 3857);
  expectCog(info);
  ASSERT_TRUE(info["bands"][0].contains("overviews")) << info["bands"][0].dump();
  EXPECT_EQ(info["bands"][0]["overviews"][0]["size"], nlohmann::json::array({550, 515}));
  const FloatImage whole = readBand(outPath("map.tif"));
  expectSameValues(whole, readNpy(outPath("map.npy")));

  // A window of the grid is that crop of the map, placed where the crop lies.
  r = run({"render", "scene.json", "--window", "700,130,96x40", "-o", "tile.tif", "--crs",
           "EPSG:3857", "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json tile = gdalinfo(outPath("tile.tif"));
  EXPECT_EQ(tile["size"], nlohmann::json::array({96, 40}));
  expectGeoTransform(tile, {-1000000 + 700 * 25 - 12.5, 25, 0, 6500000 - 130 * 25 + 12.5, 0, -25});
  EXPECT_EQ(tile["metadata"][""].value("GAUSSMAP_WINDOW", ""), "700,130,96x40");
  FloatImage crop(96, 40);
  for (int j = 0; j < 40; ++j)
    for (int i = 0; i < 96; ++i) crop.at(i, j) = whole.at(700 + i, 130 + j);
  expectSameValues(readBand(outPath("tile.tif")), crop);
}

TEST_F(GeoTiffTest, ASingleColumnHasCellsOneUnitWideAndNoCrsWhenNoneIsGiven) {
  writeText(outPath("scene.json"), R"({"width": 1, "height": 4, "extent": [7, 7, 0, 3],
    "kernels": [{"x": 7, "y": 1, "sigma": 1}]})");
  const RunResult r =
      run({"render", "scene.json", "-o", "column.tiff", "-o", "column.npy", "--backend", "cpu"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json info = gdalinfo(outPath("column.tiff"));
  EXPECT_EQ(info["size"], nlohmann::json::array({1, 4}));
  expectGeoTransform(info, {6.5, 1, 0, 3.5, 0, -1});
  EXPECT_FALSE(info.contains("coordinateSystem") && info["coordinateSystem"].contains("wkt") &&
               !info["coordinateSystem"]["wkt"].get<std::string>().empty())
      << info["coordinateSystem"].dump();
  expectSameValues(readBand(outPath("column.tiff")),
                   flipped(readNpy(outPath("column.npy")), true, false));
}

TEST_F(GeoTiffTest, AnUnknownOrMalformedCrsExitsTwoNamingItAndWritesNothing) {
  writeText(outPath("scene.json"), kFlippedScene);
  struct Case {
    std::string crs, says;
  };
  for (const Case& c : std::vector<Case>{
           {"EPSG:999999", "not a CRS in PROJ's EPSG database"},
           {"WGS84", "expected EPSG:NNNN"},
           {"EPSG:3857x", "expected EPSG:NNNN"},
           {"EPSG:5773", "a vertical CRS"},  // EGM96 height
           {"EPSG:4978", "a geocentric CRS"},
       }) {
    SCOPED_TRACE(c.crs);
    const RunResult r =
        run({"render", "scene.json", "-o", "heat.tif", "--crs", c.crs, "--backend", "cpu"});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_THAT(r.err, StartsWith("gaussmap: error: --crs " + c.crs + ": "));
    EXPECT_THAT(r.err, HasSubstr(c.says));
    EXPECT_EQ(outEntries(), std::vector<std::string>{"scene.json"});
  }
}

TEST_F(GeoTiffTest, ACrsWithoutAGeoTiffOutputExitsTwo) {
  writeText(outPath("scene.json"), kFlippedScene);
  const RunResult r = run({"render", "scene.json", "-o", "heat.png", "-o", "heat.npy", "--crs",
                           "EPSG:3857", "--backend", "cpu"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("only a GeoTIFF output (-o FILE.tif) has a CRS"));
  EXPECT_EQ(outEntries(), std::vector<std::string>{"scene.json"});
}

TEST_F(GeoTiffTest, AnUnwritableOutputOrABadSceneExitsTwoAndLeavesFilesAsTheyWere) {
  writeText(outPath("scene.json"), kFlippedScene);
  writeText(outPath("afile"), "not a folder");
  RunResult r = run({"render", "scene.json", "-o", "heat.npy", "-o", "afile/heat.tif", "--crs",
                     "EPSG:3857", "--backend", "cpu"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_THAT(r.err, HasSubstr("afile"));
  EXPECT_EQ(outEntries(), (std::vector<std::string>{"afile", "scene.json"}));

  // A bad scene fails before any output: the GeoTIFF already there stays as it was.
  writeText(outPath("old.tif"), "an earlier file");
  writeText(outPath("bad.json"), R"({"width": 10, "height": 10, "kernels": [{"x": 1}]})");
  r = run({"render", "bad.json", "-o", "old.tif", "--backend", "cpu"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(gaussmap::testing::readText(outPath("old.tif")), "an earlier file");
  EXPECT_EQ(outEntries(), (std::vector<std::string>{"afile", "bad.json", "old.tif", "scene.json"}));
}

TEST_F(GeoTiffTest, HelpListsTheCrsOption) {
  const RunResult r = run({"render", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_THAT(r.out, HasSubstr("--crs"));
  EXPECT_THAT(r.out, HasSubstr(".tif"));
}

}  // namespace
}  // namespace gaussmap
