// Image files read back: NPY bytes and values, PNG pixels and text chunks, and the atomic write
// that never leaves a partial or temporary file behind.
#include "gaussmap/image_io.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/interrupt.h"
#include "gaussmap/errors.h"
#include "io/atomic_file.h"
#include "temp_folder.h"

namespace gaussmap {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// A fresh folder per test, removed afterwards.
class ImageIoTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = ::gaussmap::testing::makeTempFolder("image_io"); }
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

// Missing folders on the way to an output are created when it is written (README "Outputs"),
// with one line on stderr naming them, and with the permissions mkdir gives (0777 less the umask).
TEST_F(ImageIoTest, WritingIntoMissingFoldersCreatesThemAndSaysSoOnce) {
  const mode_t old_mask = ::umask(027);
  ::testing::internal::CaptureStderr();
  writeNpy(path("no/such/folder/v.npy"), rampImage(2, 2));
  const std::string first = ::testing::internal::GetCapturedStderr();
  ::testing::internal::CaptureStderr();
  writePng(path("no/such/folder/c.png"), patternImage(2, 2));
  const std::string second = ::testing::internal::GetCapturedStderr();
  ::umask(old_mask);
  EXPECT_EQ(first, "gaussmap: created the folder '" + path("no/such/folder") + "' for " +
                       path("no/such/folder/v.npy") + "\n");
  EXPECT_EQ(second, "");  // the folder is there now
  EXPECT_EQ(readNpy(path("no/such/folder/v.npy")).pixels, rampImage(2, 2).pixels);
  EXPECT_EQ(readPng(path("no/such/folder/c.png")).image.pixels, patternImage(2, 2).pixels);
  for (const char* folder : {"no", "no/such", "no/such/folder"})
    EXPECT_EQ(fs::status(path(folder)).permissions(), fs::perms(0750)) << folder;
}

TEST_F(ImageIoTest, CheckOutputPathAcceptsACreatableFolderAndCreatesNothing) {
  EXPECT_NO_THROW(checkOutputPath(path("fine.png")));
  EXPECT_NO_THROW(checkOutputPath(path("absent/deeper/x.png")));
  EXPECT_TRUE(entries().empty());
  // A folder as the output is the input's fault (exit 2), not a failure.
  fs::create_directory(path("sub"));
  EXPECT_THROW(checkOutputPath(path("sub")), InputError);
  EXPECT_THROW(checkOutputPath(path("sub/")), InputError);
}

// mkdir -p would stop at a file on the way; the check says so before any work, names it, and
// nothing is created (neither by the check nor by a write).
TEST_F(ImageIoTest, AFileWhereAFolderMustBeIsAnInputErrorAndNothingIsCreated) {
  writeBytes(path("notes"), "a file");
  for (const std::string out : {"notes/x.png", "notes/a/b/x.png"}) {
    try {
      checkOutputPath(path(out));
      FAIL() << out << ": no error";
    } catch (const InputError& e) {
      EXPECT_THAT(std::string(e.what()),
                  HasSubstr("'" + path("notes") + "' is a file, not a folder"));
    }
    EXPECT_THROW(writePng(path(out), patternImage(2, 2)), InputError) << out;
  }
  fs::create_directory(path("d"));
  ::mkfifo(path("d/pipe").c_str(), 0600);
  EXPECT_THROW(checkOutputPath(path("d/pipe/x.png")), InputError);
  EXPECT_EQ(entries(), (std::vector<std::string>{"d", "notes"}));
  EXPECT_EQ(readBytes(path("notes")), "a file");
}

TEST_F(ImageIoTest, AMissingFolderThatCannotBeMadeIsRefusedBeforeAnyWork) {
  // A link to nothing cannot hold a folder.
  fs::create_symlink(path("nowhere"), path("dangling"));
  try {
    checkOutputPath(path("dangling/x.png"));
    FAIL() << "no error";
  } catch (const RuntimeError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("'" + path("dangling") + "' is a symbolic link"));
  }
  // A folder name longer than the file system allows.
  const std::string long_name(300, 'd');
  try {
    checkOutputPath(path(long_name + "/x.png"));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("the folder name"));
  }
  EXPECT_THROW(writeNpy(path(long_name + "/x.npy"), rampImage(2, 2)), InputError);
  EXPECT_EQ(entries(), std::vector<std::string>{"dangling"});
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

// --- Special outputs: links, devices, FIFOs, permissions, long names, interrupts ---

TEST_F(ImageIoTest, ASymlinkOutputStaysALinkAndItsTargetIsReplaced) {
  fs::create_directory(path("real"));
  writeBytes(path("real/v.npy"), "old content");
  fs::create_symlink("real/v.npy", path("link.npy"));  // relative to the link's folder
  writeNpy(path("link.npy"), rampImage(3, 2));
  EXPECT_TRUE(fs::is_symlink(path("link.npy")));
  EXPECT_EQ(fs::read_symlink(path("link.npy")), "real/v.npy");
  EXPECT_EQ(readNpy(path("real/v.npy")).pixels, rampImage(3, 2).pixels);
  // The temporary file lived beside the target, and is gone.
  EXPECT_EQ(entries(), (std::vector<std::string>{"link.npy", "real"}));
  std::vector<std::string> in_real;
  for (const auto& e : fs::directory_iterator(path("real"))) in_real.push_back(e.path().filename());
  EXPECT_EQ(in_real, std::vector<std::string>{"v.npy"});
}

TEST_F(ImageIoTest, ADanglingSymlinkOutputCreatesTheFileItNames) {
  fs::create_symlink("new.npy", path("link.npy"));
  writeNpy(path("link.npy"), rampImage(2, 2));
  EXPECT_TRUE(fs::is_symlink(path("link.npy")));
  EXPECT_EQ(readNpy(path("new.npy")).pixels, rampImage(2, 2).pixels);
}

TEST_F(ImageIoTest, FifosDevicesAndFoldersAreRefusedAsInputErrorsAndLeftAlone) {
  ASSERT_EQ(::mkfifo(path("pipe.png").c_str(), 0644), 0);
  fs::create_symlink("/dev/null", path("null.npy"));
  fs::create_directory(path("dir.png"));
  for (const std::string name : {"pipe.png", "null.npy", "dir.png"}) {
    try {
      writeFileAtomically(path(name), [](std::FILE* f) { std::fputs("x", f); });
      ADD_FAILURE() << name << ": no error";
    } catch (const InputError& e) {
      EXPECT_THAT(std::string(e.what()), HasSubstr(name));
    }
    EXPECT_THROW(checkOutputPath(path(name)), InputError) << name;
  }
  try {
    checkOutputPath(path("null.npy"));
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("a link to /dev/null"));
    EXPECT_THAT(std::string(e.what()), HasSubstr("character device"));
  }
  struct stat st {};
  ASSERT_EQ(::lstat(path("pipe.png").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));  // not replaced by a regular file
  EXPECT_TRUE(fs::is_symlink(path("null.npy")));
  EXPECT_TRUE(fs::is_directory(path("dir.png")));
  EXPECT_EQ(entries(), (std::vector<std::string>{"dir.png", "null.npy", "pipe.png"}));
}

TEST_F(ImageIoTest, AReplacedFileKeepsItsPermissionBits) {
  writeBytes(path("secret.npy"), "old");
  ASSERT_EQ(::chmod(path("secret.npy").c_str(), 0600), 0);
  writeNpy(path("secret.npy"), rampImage(2, 2));
  struct stat st {};
  ASSERT_EQ(::stat(path("secret.npy").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
  ASSERT_EQ(::chmod(path("secret.npy").c_str(), 0640), 0);
  writeNpy(path("secret.npy"), rampImage(2, 3));
  ASSERT_EQ(::stat(path("secret.npy").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 0640u);
}

TEST_F(ImageIoTest, AsRootAReplacedFileKeepsItsOwnerAndGroup) {
  if (::geteuid() != 0) GTEST_SKIP() << "SKIPPED: needs root to give a file another owner";
  writeBytes(path("theirs.npy"), "old");
  ASSERT_EQ(::chown(path("theirs.npy").c_str(), 65534, 65534), 0);  // nobody:nogroup
  ASSERT_EQ(::chmod(path("theirs.npy").c_str(), 0600), 0);
  writeNpy(path("theirs.npy"), rampImage(2, 2));
  struct stat st {};
  ASSERT_EQ(::stat(path("theirs.npy").c_str(), &st), 0);
  EXPECT_EQ(st.st_uid, 65534u);
  EXPECT_EQ(st.st_gid, 65534u);
  EXPECT_EQ(st.st_mode & 07777, 0600u);
}

TEST_F(ImageIoTest, AHardLinkedOutputIsReplacedAndTheOtherNameKeepsTheOldContents) {
  // The documented rule: the rename makes a new file; other names of the old one are untouched.
  writeBytes(path("a.npy"), "old");
  ASSERT_EQ(::link(path("a.npy").c_str(), path("b.npy").c_str()), 0);
  writeNpy(path("a.npy"), rampImage(2, 2));
  EXPECT_EQ(readNpy(path("a.npy")).pixels, rampImage(2, 2).pixels);
  EXPECT_EQ(readBytes(path("b.npy")), "old");
}

TEST_F(ImageIoTest, AFileNameAtTheFileSystemsLimitCanBeWritten) {
  // ".NAME.tmp.XXXXXX" would be 265 characters, over NAME_MAX: the temporary name is shortened.
  const std::string name = std::string(250, 'n') + ".npy";
  ASSERT_EQ(name.size(), 254u);
  writeNpy(path(name), rampImage(2, 2));
  EXPECT_EQ(readNpy(path(name)).pixels, rampImage(2, 2).pixels);
  EXPECT_EQ(entries(), std::vector<std::string>{name});
  // One more than the limit is the input's fault, said before any work.
  const std::string too_long = std::string(252, 'n') + ".npy";
  try {
    checkOutputPath(path(too_long));
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_THAT(std::string(e.what()), HasSubstr("256 bytes long"));
  }
}

TEST_F(ImageIoTest, AnInterruptWhileWritingRemovesTheTemporaryFileAndKeepsTheOldOne) {
  writeBytes(path("big.npy"), "old content");
  writeBytes(path("big.png"), "old png");
  const FloatImage big = rampImage(2048, 2048);  // 16 MiB: more than one chunk
  RgbImage colours(64, 64);
  requestInterrupt(SIGINT);
  EXPECT_THROW(writeNpy(path("big.npy"), big), Interrupted);
  EXPECT_THROW(writePng(path("big.png"), colours), Interrupted);
  // Passed through unchanged, not reported as a failure to write.
  try {
    writeFileAtomically(path("x.bin"), [](std::FILE*) { throwIfInterrupted(); });
    ADD_FAILURE() << "no error";
  } catch (const Interrupted& e) {
    EXPECT_EQ(e.exitCode(), 130);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not Interrupted: " << e.what();
  }
  clearInterrupt();
  EXPECT_EQ(readBytes(path("big.npy")), "old content");
  EXPECT_EQ(readBytes(path("big.png")), "old png");
  EXPECT_EQ(entries(), (std::vector<std::string>{"big.npy", "big.png"}));
}

TEST_F(ImageIoTest, ASecondSignalRemovesTheTemporaryFileBeforeTheProcessEnds) {
  const std::string target = path("v.npy");
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    // In the child: a temporary file exists (as while a big write runs), two signals arrive.
    installInterruptHandlers();
    AtomicFile file(target);
    if (::write(file.fd(), "partial", 7) != 7) ::_exit(3);
    ::raise(SIGTERM);  // the first only asks
    ::raise(SIGTERM);  // the second removes the registered file and ends the process
    ::_exit(4);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 143);
  EXPECT_TRUE(entries().empty()) << entries().front();
}

// The compressed text chunks of a PNG, decompressed: key -> size in bytes.
std::map<std::string, std::size_t> textChunkSizes(const std::string& png) {
  std::map<std::string, std::size_t> sizes;
  const std::string bytes = readBytes(png);
  std::size_t at = 8;
  while (at + 8 <= bytes.size()) {
    const auto be32 = [&](std::size_t i) {
      return std::uint32_t(std::uint8_t(bytes[i])) << 24 |
             std::uint32_t(std::uint8_t(bytes[i + 1])) << 16 |
             std::uint32_t(std::uint8_t(bytes[i + 2])) << 8 |
             std::uint32_t(std::uint8_t(bytes[i + 3]));
    };
    const std::size_t length = be32(at);
    const std::string type = bytes.substr(at + 4, 4);
    const std::string data = bytes.substr(at + 8, length);
    if (type == "iTXt" || type == "zTXt" || type == "tEXt") {
      const std::string key = data.substr(0, data.find('\0'));
      std::size_t text_at = key.size() + 1;
      bool compressed = type == "zTXt";
      if (type == "iTXt") {
        compressed = data[text_at] != 0;
        text_at += 2;
        text_at = data.find('\0', text_at) + 1;  // language
        text_at = data.find('\0', text_at) + 1;  // translated key
      } else if (type == "zTXt") {
        text_at += 1;
      }
      std::size_t size = data.size() - text_at;
      if (compressed) {
        std::vector<unsigned char> out(64u << 20);
        uLongf out_size = out.size();
        EXPECT_EQ(
            uncompress(out.data(), &out_size, reinterpret_cast<const Bytef*>(data.data() + text_at),
                       uLong(data.size() - text_at)),
            Z_OK);
        size = out_size;
      }
      sizes[key] = size;
    }
    at += 12 + length;
  }
  return sizes;
}

TEST_F(ImageIoTest, ASceneOfAMebibyteOrMoreIsNotEmbeddedAndANoteSaysSo) {
  RgbImage img(4, 4);
  // Just under the limit: embedded as it is.
  const std::string fits(kPngMaxTextBytes - 1, 'a');
  writePng(path("fits.png"), img, {{kPngSceneKey, fits}});
  EXPECT_EQ(readPng(path("fits.png")).text.at(kPngSceneKey), fits);
  // At the limit: Pillow would refuse the chunk ("Decompressed Data Too Large").
  const std::string big(kPngMaxTextBytes, 'b');
  writePng(path("big.png"), img, {{kPngSceneKey, big}, {kPngTimeKey, "0.5"}});
  const PngFile back = readPng(path("big.png"));
  EXPECT_EQ(back.text.count(kPngSceneKey), 0u);
  EXPECT_EQ(back.text.at(kPngTimeKey), "0.5");
  EXPECT_THAT(back.text.at(kPngSceneOmittedKey), HasSubstr("1048576 bytes"));
  for (const auto& [key, size] : textChunkSizes(path("big.png"))) EXPECT_LT(size, 1u << 20) << key;
  EXPECT_EQ(kPngMaxTextBytes, 1048576u);
}

}  // namespace
}  // namespace gaussmap
