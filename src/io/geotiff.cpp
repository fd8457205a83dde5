#include "io/geotiff.h"

#include <cpl_error.h>
#include <cpl_vsi.h>
#include <dlfcn.h>
#include <gdal.h>
#include <gdal_frmts.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>

#include "core/interrupt.h"
#include "gaussmap/errors.h"
#include "gaussmap/image_io.h"
#include "io/atomic_file.h"

namespace gaussmap {
namespace {

// GDAL is loaded when the first GeoTIFF is written, not linked: it brings about a hundred shared
// libraries, which made every gaussmap process (and `import gaussmap`) start 0.3 s slower and
// 30 MB larger. Its C API, typed by its own headers.
#define GAUSSMAP_GDAL_FUNCTIONS(X) \
  X(CPLPushErrorHandlerEx)         \
  X(CPLPopErrorHandler)            \
  X(CPLGetErrorHandlerUserData)    \
  X(GDALRegister_MEM)              \
  X(GDALRegister_GTiff)            \
  X(GDALRegister_COG)              \
  X(GDALGetDriverByName)           \
  X(GDALCreate)                    \
  X(GDALAddBand)                   \
  X(GDALSetGeoTransform)           \
  X(GDALSetSpatialRef)             \
  X(GDALSetMetadataItem)           \
  X(GDALCreateCopy)                \
  X(GDALClose)                     \
  X(VSIGetMemFileBuffer)           \
  X(VSIUnlink)                     \
  X(OSRNewSpatialReference)        \
  X(OSRDestroySpatialReference)    \
  X(OSRImportFromEPSG)             \
  X(OSRIsProjected)                \
  X(OSRIsGeographic)               \
  X(OSRIsGeocentric)               \
  X(OSRIsVertical)                 \
  X(OSRIsCompound)                 \
  X(OSRGetName)                    \
  X(OSRSetAxisMappingStrategy)

struct Gdal {
#define GAUSSMAP_GDAL_MEMBER(name) decltype(&::name) name = nullptr;
  GAUSSMAP_GDAL_FUNCTIONS(GAUSSMAP_GDAL_MEMBER)
#undef GAUSSMAP_GDAL_MEMBER
};

// The loaded library with the drivers used here registered (GDALAllRegister would load every
// plugin), once per process; RuntimeError when it cannot be loaded.
const Gdal& gdal() {
  static Gdal functions;
  static std::string failure;
  static std::once_flag once;
  std::call_once(once, [] {
    void* library = ::dlopen(GAUSSMAP_GDAL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      const char* why = ::dlerror();
      failure = std::string(
                    "GeoTIFF outputs need GDAL (Debian: libgdal32), which cannot be "
                    "loaded: ") +
                (why ? why : GAUSSMAP_GDAL_SONAME);
      return;
    }
#define GAUSSMAP_GDAL_LOAD(name)                                                 \
  functions.name = reinterpret_cast<decltype(&::name)>(::dlsym(library, #name)); \
  if (!functions.name && failure.empty())                                        \
    failure = "GeoTIFF outputs need GDAL's " #name ", which " GAUSSMAP_GDAL_SONAME " lacks";
    GAUSSMAP_GDAL_FUNCTIONS(GAUSSMAP_GDAL_LOAD)
#undef GAUSSMAP_GDAL_LOAD
    if (!failure.empty()) return;
    functions.GDALRegister_MEM();
    functions.GDALRegister_GTiff();
    functions.GDALRegister_COG();
  });
  if (!failure.empty()) throw RuntimeError(failure);
  return functions;
}

// GDAL's messages while a scope lasts, kept instead of printed (the handler is per thread).
class GdalErrors {
 public:
  GdalErrors() { gdal().CPLPushErrorHandlerEx(&GdalErrors::handle, this); }
  ~GdalErrors() { gdal().CPLPopErrorHandler(); }
  GdalErrors(const GdalErrors&) = delete;
  GdalErrors& operator=(const GdalErrors&) = delete;

  // The last failure's message (warnings are dropped), or `fallback` when GDAL gave none.
  std::string message(const std::string& fallback) const {
    return last_failure_.empty() ? fallback : last_failure_;
  }
  int failures() const { return failures_; }

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum, const char* text) {
    auto* self = static_cast<GdalErrors*>(gdal().CPLGetErrorHandlerUserData());
    if (!self || level < CE_Failure) return;
    ++self->failures_;
    if (text) self->last_failure_ = text;
  }
  std::string last_failure_;
  int failures_ = 0;
};

// "EPSG:3857" -> 3857; nullopt for anything not of that form.
std::optional<int> epsgCode(const std::string& crs) {
  if (crs.size() < 6 || crs.size() > 14) return std::nullopt;
  for (int k = 0; k < 5; ++k)
    if (std::toupper(static_cast<unsigned char>(crs[k])) != "EPSG:"[k]) return std::nullopt;
  int code = 0;
  for (std::size_t k = 5; k < crs.size(); ++k) {
    if (!std::isdigit(static_cast<unsigned char>(crs[k]))) return std::nullopt;
    code = code * 10 + (crs[k] - '0');
  }
  return code;
}

struct SpatialReferenceDeleter {
  void operator()(void* srs) const { gdal().OSRDestroySpatialReference(srs); }
};
using SpatialReference = std::unique_ptr<void, SpatialReferenceDeleter>;

// The CRS of a `--crs` value, or an InputError saying why not.
SpatialReference spatialReference(const std::string& crs) {
  const std::optional<int> code = epsgCode(crs);
  if (!code)
    throw InputError("--crs " + crs +
                     ": expected EPSG:NNNN, e.g. EPSG:3857 (Web Mercator) or EPSG:4326 "
                     "(longitude/latitude)");
  const Gdal& g = gdal();
  GdalErrors errors;
  SpatialReference srs(g.OSRNewSpatialReference(nullptr));
  if (!srs) throw RuntimeError("--crs " + crs + ": GDAL cannot make a spatial reference");
  if (g.OSRImportFromEPSG(srs.get(), *code) != OGRERR_NONE)
    throw InputError("--crs " + crs + ": not a CRS in PROJ's EPSG database (" +
                     errors.message("unknown code") + ")");
  if (!g.OSRIsProjected(srs.get()) && !g.OSRIsGeographic(srs.get())) {
    const char* kind = g.OSRIsGeocentric(srs.get()) ? "a geocentric"
                       : g.OSRIsVertical(srs.get()) ? "a vertical"
                       : g.OSRIsCompound(srs.get()) ? "a compound"
                                                    : "not a horizontal";
    const char* name = g.OSRGetName(srs.get());
    throw InputError("--crs " + crs + ": '" + std::string(name ? name : "") + "' is " + kind +
                     " CRS; a GeoTIFF's x and y need a geographic or projected one");
  }
  // x = easting or longitude, y = northing or latitude, as the scene's extent gives them.
  g.OSRSetAxisMappingStrategy(srs.get(), OAMS_TRADITIONAL_GIS_ORDER);
  return srs;
}

// A unique name in GDAL's in-memory file system, and the files GDAL makes beside it removed
// however the write ends.
class MemoryFile {
 public:
  MemoryFile() {
    static std::atomic<unsigned> counter{0};
    char name[80];
    std::snprintf(name, sizeof name, "/vsimem/gaussmap-%u.tif", counter++);
    name_ = name;
  }
  ~MemoryFile() {
    for (const char* suffix : {"", ".ovr.tmp", ".msk.ovr.tmp", ".aux.xml"})
      gdal().VSIUnlink((name_ + suffix).c_str());
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

struct DatasetCloser {
  void operator()(void* dataset) const { gdal().GDALClose(dataset); }
};
using Dataset = std::unique_ptr<void, DatasetCloser>;

// GDAL's progress callback: the CLI's progress line, and a stop request ends the copy.
int CPL_STDCALL copyProgress(double fraction, const char*, void*) {
  if (interruptRequested()) return FALSE;
  try {
    reportProgress("writing the GeoTIFF", std::int64_t(fraction * 1000), 1000);
  } catch (...) {  // Interrupted: thrown again once GDAL has returned
    return FALSE;
  }
  return TRUE;
}

// Bytes per write from memory to the file, between checks for an interrupt.
constexpr std::size_t kWriteChunk = std::size_t{4} << 20;

}  // namespace

void checkGeoTiffOutput(const std::string& crs) {
  gdal();
  if (!crs.empty()) spatialReference(crs);
}

GeoTransform geoTransformOf(const GeoTiffPlacement& placement, int width, int height) {
  const SampleGrid& g = placement.grid;
  const double step_x = g.indexStepX(), step_y = g.indexStepY();
  const double xa = g.x(placement.i0), xb = g.x(placement.i0 + width - 1);
  const double ya = g.y(placement.j0), yb = g.y(placement.j0 + height - 1);
  GeoTransform t{};
  t.coefficients[0] = std::min(xa, xb) - std::abs(step_x) / 2;
  t.coefficients[1] = std::abs(step_x);
  t.coefficients[2] = 0;
  t.coefficients[3] = std::max(ya, yb) + std::abs(step_y) / 2;
  t.coefficients[4] = 0;
  t.coefficients[5] = -std::abs(step_y);
  t.flip_columns = step_x < 0;
  t.flip_rows = step_y > 0;
  return t;
}

void writeGeoTiff(const std::string& path, const FloatImage& values,
                  const GeoTiffPlacement& placement, const std::string& crs,
                  const std::map<std::string, std::string>& metadata) {
  if (values.width < 1 || values.height < 1) throw RuntimeError(path + ": no values to write");
  SpatialReference srs;
  if (!crs.empty()) srs = spatialReference(crs);
  const Gdal& g = gdal();
  GdalErrors errors;
  const auto fail = [&](const std::string& what) -> void {
    throwIfInterrupted();
    throw RuntimeError(path + ": " + what + " (GDAL: " + errors.message("no message") + ")");
  };

  GDALDriverH mem = g.GDALGetDriverByName("MEM");
  GDALDriverH cog = g.GDALGetDriverByName("COG");
  if (!mem || !cog) fail("GDAL's MEM or COG driver is missing");
  Dataset source(g.GDALCreate(mem, "", values.width, values.height, 0, GDT_Float32, nullptr));
  if (!source) fail("cannot make GDAL's in-memory dataset");

  // The values themselves, read in place: a negative line (pixel) offset walks the rows
  // (columns) backwards, so the file is north-up and east-right without a flipped copy.
  const GeoTransform transform = geoTransformOf(placement, values.width, values.height);
  const GIntBig pixel = sizeof(float), line = GIntBig(values.width) * pixel;
  const float* first = &values.at(transform.flip_columns ? values.width - 1 : 0,
                                  transform.flip_rows ? values.height - 1 : 0);
  char pointer[64], pixel_offset[32], line_offset[32];
  std::snprintf(pointer, sizeof pointer, "DATAPOINTER=%p", static_cast<const void*>(first));
  std::snprintf(pixel_offset, sizeof pixel_offset, "PIXELOFFSET=%lld",
                static_cast<long long>(transform.flip_columns ? -pixel : pixel));
  std::snprintf(line_offset, sizeof line_offset, "LINEOFFSET=%lld",
                static_cast<long long>(transform.flip_rows ? -line : line));
  const char* band_options[] = {pointer, pixel_offset, line_offset, nullptr};
  if (g.GDALAddBand(source.get(), GDT_Float32, const_cast<char**>(band_options)) != CE_None)
    fail("cannot hand the values to GDAL");
  double coefficients[6];
  std::copy(std::begin(transform.coefficients), std::end(transform.coefficients), coefficients);
  if (g.GDALSetGeoTransform(source.get(), coefficients) != CE_None)
    fail("cannot set the georeferencing");
  if (srs && g.GDALSetSpatialRef(source.get(), srs.get()) != CE_None) fail("cannot set the CRS");
  const auto set = [&](const char* key, const char* value) {
    if (g.GDALSetMetadataItem(source.get(), key, value, nullptr) != CE_None)
      fail(std::string("cannot set the metadata ") + key);
  };
  set("TIFFTAG_SOFTWARE", "gaussmap " GAUSSMAP_VERSION);
  for (const auto& [key, value] : metadata) {
    if (key == kGeoTiffSceneKey && value.size() >= kPngMaxTextBytes) {
      const std::string note = "the scene was not embedded: its JSON is " +
                               std::to_string(value.size()) + " bytes, " +
                               std::to_string(kPngMaxTextBytes) + " or more";
      set(kGeoTiffSceneOmittedKey, note.c_str());
    } else {
      set(key.c_str(), value.c_str());
    }
  }

  // GDAL writes the COG into memory (its overviews' temporary file too), then the bytes go to
  // disk through the atomic writer: nothing GDAL makes can be left beside the output.
  MemoryFile memory;
  const char* cog_options[] = {"COMPRESS=DEFLATE", "PREDICTOR=YES", "RESAMPLING=AVERAGE",
                               "NUM_THREADS=ALL_CPUS", nullptr};
  {
    Dataset written(g.GDALCreateCopy(cog, memory.name().c_str(), source.get(), FALSE,
                                     const_cast<char**>(cog_options), copyProgress, nullptr));
    if (!written) fail("GDAL could not write the GeoTIFF");
    // Closing writes what is still cached; GDALClose reports a failure only as an error.
    const int before = errors.failures();
    written.reset();
    if (errors.failures() != before) fail("GDAL could not finish the GeoTIFF");
  }
  vsi_l_offset size = 0;
  const GByte* bytes = g.VSIGetMemFileBuffer(memory.name().c_str(), &size, FALSE);
  if (!bytes || size == 0) fail("GDAL wrote nothing");
  writeFileAtomically(path, [&](std::FILE* file) {
    for (vsi_l_offset at = 0; at < size; at += kWriteChunk) {
      throwIfInterrupted();
      const std::size_t n = std::size_t(std::min<vsi_l_offset>(kWriteChunk, size - at));
      if (std::fwrite(bytes + at, 1, n, file) != n)
        throw RuntimeError(path + ": write failed (" + std::strerror(errno) + ")");
    }
  });
}

}  // namespace gaussmap
