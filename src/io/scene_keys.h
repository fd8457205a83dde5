#pragma once
// The keys a scene file's objects may hold: the parser refuses any other (suggesting the closest),
// and the schema's properties (schema/scene.schema.json) must be these (tests/scene_schema_test).
#include <string_view>
#include <vector>

namespace gaussmap {

inline const std::vector<std::string_view> kSceneKeys{
    "width", "height", "extent", "kernels", "combine",     "normalize", "cutoff", "colormap",
    "range", "scale",  "origin", "name",    "description", "duration",  "fps",    "$schema"};
inline const std::vector<std::string_view> kKernelKeys{
    "x", "y", "sigma_x", "sigma_y", "sigma", "angle_deg", "weight", "cov", "label", "keys"};
inline const std::vector<std::string_view> kKeyKeys{
    "t", "interpolation", "x", "y", "sigma_x", "sigma_y", "sigma", "angle_deg", "weight"};

}  // namespace gaussmap
