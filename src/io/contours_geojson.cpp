#include "gaussmap/contours_geojson.h"

#include <cstdio>

#include "gaussmap/errors.h"
#include "io/atomic_file.h"

namespace gaussmap {
namespace {

// Nine significant digits: a thousandth of a sample on grids up to 1e5 samples wide, and files
// a third the size of shortest-round-trip doubles.
void appendNumber(std::string& out, double v, int digits = 9) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
  out += buffer;
}

}  // namespace

std::string contoursToGeoJson(const std::vector<Contour>& contours) {
  std::string out = "{\"type\": \"FeatureCollection\", \"features\": [";
  bool first = true;
  for (const Contour& contour : contours) {
    for (const ContourLine& line : contour.lines) {
      out += first ? "\n" : ",\n";
      first = false;
      out += "{\"type\": \"Feature\", \"properties\": {\"level\": ";
      appendNumber(out, contour.level, 17);
      if (contour.mass) {
        out += ", \"mass\": ";
        appendNumber(out, *contour.mass, 17);
      }
      if (contour.sigma) {
        out += ", \"sigma\": ";
        appendNumber(out, *contour.sigma, 17);
      }
      out += line.closed ? ", \"closed\": true}" : ", \"closed\": false}";
      out += ", \"geometry\": {\"type\": \"LineString\", \"coordinates\": [";
      for (std::size_t k = 0; k < line.points.size(); ++k) {
        out += k == 0 ? "[" : ", [";
        appendNumber(out, line.points[k][0]);
        out += ", ";
        appendNumber(out, line.points[k][1]);
        out += "]";
      }
      out += "]}}";
    }
  }
  out += "\n]}\n";
  return out;
}

void writeContoursGeoJson(const std::string& path, const std::vector<Contour>& contours) {
  const std::string text = contoursToGeoJson(contours);
  writeTextFileAtomically(path, text);
}

}  // namespace gaussmap
