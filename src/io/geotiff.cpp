#include "io/geotiff.h"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_frmts.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>

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

// GDAL's messages while a scope lasts, kept instead of printed (the handler is per thread).
class GdalErrors {
 public:
  GdalErrors() { CPLPushErrorHandlerEx(&GdalErrors::handle, this); }
  ~GdalErrors() { CPLPopErrorHandler(); }
  GdalErrors(const GdalErrors&) = delete;
  GdalErrors& operator=(const GdalErrors&) = delete;

  // The last failure's message (warnings are dropped), or `fallback` when GDAL gave none.
  std::string message(const std::string& fallback) const {
    return last_failure_.empty() ? fallback : last_failure_;
  }
  int failures() const { return failures_; }

 private:
  static void CPL_STDCALL handle(CPLErr level, CPLErrorNum, const char* text) {
    auto* self = static_cast<GdalErrors*>(CPLGetErrorHandlerUserData());
    if (!self || level < CE_Failure) return;
    ++self->failures_;
    if (text) self->last_failure_ = text;
  }
  std::string last_failure_;
  int failures_ = 0;
};

// Only the drivers used here (GDALAllRegister would load every plugin), once per process.
void registerDrivers() {
  static std::once_flag once;
  std::call_once(once, [] {
    GDALRegister_MEM();
    GDALRegister_GTiff();
    GDALRegister_COG();
  });
}

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

// The CRS of a `--crs` value, or an InputError saying why not.
OGRSpatialReference spatialReference(const std::string& crs) {
  const std::optional<int> code = epsgCode(crs);
  if (!code)
    throw InputError("--crs " + crs +
                     ": expected EPSG:NNNN, e.g. EPSG:3857 (Web Mercator) or EPSG:4326 "
                     "(longitude/latitude)");
  GdalErrors errors;
  OGRSpatialReference srs;
  if (srs.importFromEPSG(*code) != OGRERR_NONE)
    throw InputError("--crs " + crs + ": not a CRS in PROJ's EPSG database (" +
                     errors.message("unknown code") + ")");
  if (!srs.IsProjected() && !srs.IsGeographic()) {
    const char* kind = srs.IsGeocentric() ? "a geocentric"
                       : srs.IsVertical() ? "a vertical"
                       : srs.IsCompound() ? "a compound"
                                          : "not a horizontal";
    throw InputError("--crs " + crs + ": '" + std::string(srs.GetName() ? srs.GetName() : "") +
                     "' is " + kind +
                     " CRS; a GeoTIFF's x and y need a geographic or projected one");
  }
  // x = easting or longitude, y = northing or latitude, as the scene's extent gives them.
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
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
      VSIUnlink((name_ + suffix).c_str());
  }
  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;
  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

struct DatasetCloser {
  void operator()(GDALDataset* d) const { GDALClose(d); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

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

void checkGeoTiffCrs(const std::string& crs) {
  spatialReference(crs);
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
  std::optional<OGRSpatialReference> srs;
  if (!crs.empty()) srs = spatialReference(crs);
  registerDrivers();
  GdalErrors errors;
  const auto fail = [&](const std::string& what) -> void {
    throwIfInterrupted();
    throw RuntimeError(path + ": " + what + " (GDAL: " + errors.message("no message") + ")");
  };

  GDALDriver* mem = GetGDALDriverManager()->GetDriverByName("MEM");
  GDALDriver* cog = GetGDALDriverManager()->GetDriverByName("COG");
  if (!mem || !cog) fail("GDAL's MEM or COG driver is missing");
  DatasetPtr source(mem->Create("", values.width, values.height, 0, GDT_Float32, nullptr));
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
  if (source->AddBand(GDT_Float32, const_cast<char**>(band_options)) != CE_None)
    fail("cannot hand the values to GDAL");
  double coefficients[6];
  std::copy(std::begin(transform.coefficients), std::end(transform.coefficients), coefficients);
  if (source->SetGeoTransform(coefficients) != CE_None) fail("cannot set the georeferencing");
  if (srs && source->SetSpatialRef(&*srs) != CE_None) fail("cannot set the CRS");
  source->SetMetadataItem("TIFFTAG_SOFTWARE", "gaussmap " GAUSSMAP_VERSION);
  for (const auto& [key, value] : metadata) {
    if (key == kGeoTiffSceneKey && value.size() >= kPngMaxTextBytes) {
      const std::string note = "the scene was not embedded: its JSON is " +
                               std::to_string(value.size()) + " bytes, " +
                               std::to_string(kPngMaxTextBytes) + " or more";
      source->SetMetadataItem(kGeoTiffSceneOmittedKey, note.c_str());
    } else {
      source->SetMetadataItem(key.c_str(), value.c_str());
    }
  }

  // GDAL writes the COG into memory (its overviews' temporary file too), then the bytes go to
  // disk through the atomic writer: nothing GDAL makes can be left beside the output.
  MemoryFile memory;
  const char* cog_options[] = {"COMPRESS=DEFLATE", "PREDICTOR=YES", "RESAMPLING=AVERAGE",
                               "NUM_THREADS=ALL_CPUS", nullptr};
  {
    DatasetPtr written(cog->CreateCopy(memory.name().c_str(), source.get(), FALSE,
                                       const_cast<char**>(cog_options), copyProgress, nullptr));
    if (!written) fail("GDAL could not write the GeoTIFF");
    // Closing writes what is still cached; GDALClose reports a failure only as an error.
    const int before = errors.failures();
    written.reset();
    if (errors.failures() != before) fail("GDAL could not finish the GeoTIFF");
  }
  vsi_l_offset size = 0;
  const GByte* bytes = VSIGetMemFileBuffer(memory.name().c_str(), &size, FALSE);
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
