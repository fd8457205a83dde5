#pragma once
// Contours as GeoJSON (RFC 7946): a FeatureCollection with one LineString feature per line, in
// scene coordinates, properties {"level": value, "mass": fraction, "sigma": n, "closed": bool}
// ("mass" and "sigma" only for levels asked for that way). A closed ring's last position repeats
// its first.
#include <string>
#include <vector>

#include "gaussmap/contours.h"

namespace gaussmap {

std::string contoursToGeoJson(const std::vector<Contour>& contours);
// Written atomically (writeFileAtomically).
void writeContoursGeoJson(const std::string& path, const std::vector<Contour>& contours);

}  // namespace gaussmap
