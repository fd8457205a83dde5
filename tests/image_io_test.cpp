// Image files read back: NPY bytes and values, PNG pixels and text chunks, and the atomic write
// that never leaves a partial or temporary file behind.
#include "core/image_io.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/atomic_file.h"
#include "core/errors.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A fresh folder per test, removed afterwards.
class ImageIoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "gaussmap_image_io_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  // Names of everything in the folder, to check that no temporary file is left.
  std::vector<std::string> entries() const {
    std::vector<std::string> names;
    for (const auto& e : fs::directory_iterator(dir_)) names.push_back(e.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  fs::path dir_;
};

std::string readBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void writeBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

FloatImage rampImage(int w, int h) {
  FloatImage img(w, h);
  for (int j = 0; j < h; ++j)
    for (int i = 0; i < w; ++i) img.at(i, j) = float(i) + 1000.0f * float(j) - 0.125f;
  return img;
}

// --- NPY ---

TEST_F(ImageIoTest, NpyReadsBackTheSameValues) {
  FloatImage img = rampImage(5, 3);
  img.at(4, 2) = 1e-30f;
  img.at(0, 0) = -3.5e20f;
  writeNpy(path("v.npy"), img);
  const FloatImage back = readNpy(path("v.npy"));
  ASSERT_EQ(back.width, 5);
  ASSERT_EQ(back.height, 3);
  EXPECT_EQ(back.pixels, img.pixels);
}

TEST_F(ImageIoTest, NpyHeaderIsVersionOneLittleEndianFloat32ShapeHeightWidth) {
  const FloatImage img = rampImage(7, 3);
  writeNpy(path("v.npy"), img);
  const std::string bytes = readBytes(path("v.npy"));
  ASSERT_GE(bytes.size(), 10u);
  EXPECT_EQ(bytes.substr(0, 6), "\x93NUMPY");
  EXPECT_EQ(bytes[6], '\x01');  // version 1.0
  EXPECT_EQ(bytes[7], '\x00');
  const std::size_t header_length =
      std::size_t(std::uint8_t(bytes[8])) | std::size_t(std::uint8_t(bytes[9])) << 8;
  EXPECT_EQ((10 + header_length) % 64, 0u) << "data must start 64-byte aligned";
  ASSERT_GE(bytes.size(), 10 + header_length);
  const std::string header = bytes.substr(10, header_length);
  EXPECT_EQ(header.substr(0, 1), "{");
  EXPECT_EQ(header.back(), '\n');
  EXPECT_THAT(header, HasSubstr("'descr': '<f4'"));
  EXPECT_THAT(header, HasSubstr("'fortran_order': False"));
  EXPECT_THAT(header, HasSubstr("'shape': (3, 7)"));
  // Exactly the values follow, in C order, little-endian float32.
  ASSERT_EQ(bytes.size(), 10 + header_length + 7 * 3 * 4);
  for (int j = 0; j < 3; ++j)
    for (int i = 0; i < 7; ++i) {
      const std::size_t at = 10 + header_length + 4 * (std::size_t(j) * 7 + i);
      std::uint32_t bits = 0;
      for (int b = 0; b < 4; ++b) bits |= std::uint32_t(std::uint8_t(bytes[at + b])) << (8 * b);
      float v;
      std::memcpy(&v, &bits, 4);
      EXPECT_EQ(v, float(i) + 1000.0f * float(j) - 0.125f) << i << ", " << j;
    }
}

TEST_F(ImageIoTest, NpyHeaderStaysAlignedForLargeShapes) {
  const FloatImage img(32768, 1);
  writeNpy(path("wide.npy"), img);
  const std::string bytes = readBytes(path("wide.npy"));
  const std::size_t header_length =
      std::size_t(std::uint8_t(bytes[8])) | std::size_t(std::uint8_t(bytes[9])) << 8;
  EXPECT_EQ((10 + header_length) % 64, 0u);
  EXPECT_THAT(bytes.substr(10, header_length), HasSubstr("'shape': (1, 32768)"));
  EXPECT_EQ(readNpy(path("wide.npy")).width, 32768);
}

TEST_F(ImageIoTest, ReadNpyRefusesOtherFiles) {
  writeBytes(path("bad.npy"), "not numpy at all");
  EXPECT_THROW(readNpy(path("bad.npy")), RuntimeError);
  EXPECT_THROW(readNpy(path("missing.npy")), RuntimeError);
}

// --- PNG ---

RgbImage patternImage(int w, int h) {
  RgbImage img(w, h);
  for (int j = 0; j < h; ++j)
    for (int i = 0; i < w; ++i)
      img.at(i, j) = Rgb8{std::uint8_t(i * 40), std::uint8_t(j * 50), std::uint8_t(255 - i - j)};
  return img;
}

TEST_F(ImageIoTest, PngReadsBackSizePixelsAndTheSceneTextChunk) {
  const RgbImage img = patternImage(6, 4);
  std::string scene_json = "{\n  \"width\": 6,\n  \"name\": \"quotes \\\" and \\\\ slashes\"\n}\n";
  scene_json += std::string(5000, ' ');  // long text: stored compressed, still read back whole
  writePng(path("c.png"), img, {{kPngSceneKey, scene_json}, {"Software", "gaussmap test"}});
  const PngFile back = readPng(path("c.png"));
  ASSERT_EQ(back.image.width, 6);
  ASSERT_EQ(back.image.height, 4);
  EXPECT_EQ(back.image.pixels, img.pixels);
  ASSERT_EQ(back.text.count(kPngSceneKey), 1u);
  EXPECT_EQ(back.text.at(kPngSceneKey), scene_json);
  EXPECT_EQ(back.text.at("Software"), "gaussmap test");
  EXPECT_STREQ(kPngSceneKey, "gaussmap:scene");
}

TEST_F(ImageIoTest, PngIsEightBitRgb) {
  writePng(path("c.png"), patternImage(3, 2));
  const std::string bytes = readBytes(path("c.png"));
  ASSERT_GE(bytes.size(), 33u);
  EXPECT_EQ(bytes.substr(0, 8), "\x89PNG\r\n\x1a\n");
  EXPECT_EQ(bytes.substr(12, 4), "IHDR");
  EXPECT_EQ(bytes[24], 8);  // bit depth
  EXPECT_EQ(bytes[25], 2);  // colour type 2: RGB
}

TEST_F(ImageIoTest, PngOfOnePixelWorks) {
  RgbImage img(1, 1);
  img.at(0, 0) = Rgb8{1, 2, 3};
  writePng(path("p.png"), img);
  EXPECT_EQ(readPng(path("p.png")).image.pixels, img.pixels);
}

// --- Atomic writes ---

TEST_F(ImageIoTest, WritingIntoAMissingFolderThrowsAndLeavesNothing) {
  const std::string target = path("no/such/folder/v.npy");
  EXPECT_THROW(writeNpy(target, rampImage(2, 2)), RuntimeError);
  EXPECT_THROW(writePng(path("missing/c.png"), patternImage(2, 2)), RuntimeError);
  EXPECT_FALSE(fs::exists(path("no")));
  EXPECT_FALSE(fs::exists(path("missing")));
  EXPECT_TRUE(entries().empty());
}

TEST_F(ImageIoTest, CheckOutputFolderRefusesMissingFoldersAndFolderTargets) {
  EXPECT_NO_THROW(checkOutputFolder(path("fine.png")));
  try {
    checkOutputFolder(path("absent/x.png"));
    FAIL() << "no error";
  } catch (const RuntimeError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("absent"));
  }
  fs::create_directory(path("sub"));
  EXPECT_THROW(checkOutputFolder(path("sub")), RuntimeError);
}

TEST_F(ImageIoTest, ExistingFileIsReplacedByACompleteNewOne) {
  writeBytes(path("v.npy"), "old content");
  writeNpy(path("v.npy"), rampImage(3, 2));
  EXPECT_EQ(readNpy(path("v.npy")).pixels, rampImage(3, 2).pixels);
  EXPECT_EQ(entries(), std::vector<std::string>{"v.npy"});
}

TEST_F(ImageIoTest, FailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile) {
  writeBytes(path("out.bin"), "old content");
  try {
    writeFileAtomically(path("out.bin"), [](std::FILE* file) {
      std::fputs("half of the new cont", file);
      std::fflush(file);
      throw std::runtime_error("disk on fire");
    });
    FAIL() << "no error";
  } catch (const std::exception& e) {
    // The documented contract: a RuntimeError naming the file.
    EXPECT_NE(dynamic_cast<const RuntimeError*>(&e), nullptr) << e.what();
    EXPECT_THAT(std::string(e.what()), HasSubstr(path("out.bin")));
    EXPECT_THAT(std::string(e.what()), HasSubstr("disk on fire"));
  }
  EXPECT_EQ(readBytes(path("out.bin")), "old content");
  EXPECT_EQ(entries(), std::vector<std::string>{"out.bin"});
}

TEST_F(ImageIoTest, FailedWriteOfANewFileLeavesNothing) {
  EXPECT_THROW(
      writeFileAtomically(path("new.bin"), [](std::FILE*) { throw RuntimeError("refused"); }),
      RuntimeError);
  EXPECT_TRUE(entries().empty());
}

TEST_F(ImageIoTest, SuccessfulAtomicWriteHasTheUsualPermissions) {
  writeFileAtomically(path("new.bin"), [](std::FILE* file) { std::fputs("data", file); });
  EXPECT_EQ(readBytes(path("new.bin")), "data");
  const auto perms = fs::status(path("new.bin")).permissions();
  // Readable by others (not mkstemp's 0600), unless the umask forbids it.
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (!(mask & 0044)) {
    EXPECT_NE(perms & fs::perms::others_read, fs::perms::none);
  }
  EXPECT_EQ(entries(), std::vector<std::string>{"new.bin"});
}

}  // namespace
}  // namespace gaussmap
