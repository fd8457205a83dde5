#include "cli/scene_overrides.h"

#include <array>
#include <charconv>
#include <iostream>
#include <regex>

#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/points_csv.h"
#include "gaussmap/scene_json.h"
#include "io/input_file.h"

namespace gaussmap::cli {
namespace {

std::string joined(const std::vector<std::string_view>& names) {
  std::string out;
  for (auto n : names) out += (out.empty() ? "" : "|") + std::string(n);
  return out;
}

template <class E>
E parseEnum(const std::string& text, const std::string& option) {
  if (auto v = fromString<E>(text)) return *v;
  throw InputError(option + ": unknown value '" + text + "' (expected " + joined(allNames<E>()) +
                   ")");
}

double parseDouble(const std::string& text, const std::string& option) {
  double v = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, v);
  if (ec != std::errc() || ptr != end || !std::isfinite(v))
    throw InputError(option + ": expected a number, got '" + text + "'");
  return v;
}

Extent parseExtent(const std::string& text) {
  std::array<double, 4> v{};
  std::size_t start = 0;
  for (std::size_t k = 0; k < 4; ++k) {
    const std::size_t comma = text.find(',', start);
    if ((comma == std::string::npos) != (k == 3))
      throw InputError("--extent: expected X0,X1,Y0,Y1 (four numbers), got '" + text + "'");
    v[k] = parseDouble(text.substr(start, comma - start), "--extent");
    start = comma + 1;
  }
  return Extent{v[0], v[1], v[2], v[3]};
}

}  // namespace

std::pair<int, int> parseSize(const std::string& text, const std::string& option) {
  std::smatch m;
  if (!std::regex_match(text, m, std::regex(R"((\d{1,9})x(\d{1,9}))")))
    throw InputError(option + ": expected WIDTHxHEIGHT such as 640x480, got '" + text + "'");
  const long long w = std::stoll(m[1]), h = std::stoll(m[2]);
  validateSize(w, h, option);
  return {int(w), int(h)};
}

void SceneOverrides::addTo(CLI::App& app, Which which) {
  app.add_option("--size", size, "Output size WIDTHxHEIGHT; the scene's extent is kept")
      ->type_name("WxH");
  app.add_option("--combine", combine, "How kernels combine: " + joined(allNames<Combine>()))
      ->type_name("MODE");
  app.add_option("--normalize", normalize, "Kernel normalisation: " + joined(allNames<Normalize>()))
      ->type_name("MODE");
  app.add_option("--cutoff", cutoff, "Mahalanobis distance beyond which kernels contribute nothing")
      ->type_name("K");
  app.add_option("--extent", extent,
                 "Positions of the first and last samples (scene units: the points' coordinates "
                 "with --points); e.g. --extent=-180,180,-90,90")
      ->type_name("X0,X1,Y0,Y1");
  if (which == Values) return;
  app.add_option("--colormap", colormap, "Colormap: " + colormapChoices())->type_name("NAME");
  app.add_option("--range", range,
                 "Colour range: auto (data min..max), symmetric ([-m, m], m the largest |value|: "
                 "centres a diverging colormap on 0) or LO:HI (e.g. --range=-1:1)")
      ->type_name("auto|symmetric|LO:HI");
  app.add_option("--scale", scale, "Colour scale: " + joined(allNames<Scale>()))->type_name("S");
  app.add_option("--origin", origin,
                 "PNG row 0 at y0 (upper, as imshow shows an array) or flipped (lower)")
      ->type_name("upper|lower");
}

bool SceneOverrides::empty() const {
  return size.empty() && combine.empty() && normalize.empty() && !cutoff && colormap.empty() &&
         range.empty() && scale.empty() && origin.empty() && extent.empty();
}

void SceneOverrides::applyTo(Scene& scene) const {
  if (!size.empty()) {
    const auto [w, h] = parseSize(size, "--size");
    scene.resize(w, h);
  }
  if (!combine.empty()) scene.combine = parseEnum<Combine>(combine, "--combine");
  if (!normalize.empty()) scene.normalize = parseEnum<Normalize>(normalize, "--normalize");
  if (cutoff) scene.cutoff = *cutoff;
  if (!extent.empty()) scene.extent = parseExtent(extent);
  if (!colormap.empty()) scene.display.colormap = colormap;
  if (!range.empty()) {
    if (const auto from_data = fromString<AutoRange>(range)) {
      scene.display.range.reset();
      scene.display.auto_range = *from_data;
    } else {
      const auto colon = range.find(':', range.front() == '-' ? 1 : 0);
      if (colon == std::string::npos)
        throw InputError("--range: expected auto, symmetric or LO:HI, got '" + range + "'");
      scene.display.range = std::array<double, 2>{parseDouble(range.substr(0, colon), "--range"),
                                                  parseDouble(range.substr(colon + 1), "--range")};
    }
  }
  if (!scale.empty()) scene.display.scale = parseEnum<Scale>(scale, "--scale");
  if (!origin.empty()) scene.display.origin = parseEnum<Origin>(origin, "--origin");
  try {
    validateScene(scene);
  } catch (const InputError& e) {
    throw InputError(std::string("after applying the command-line options: ") + e.what());
  }
}

void SceneSource::addTo(CLI::App& app) {
  app.add_option("scene", scene_path,
                 "Scene file (JSON; - reads standard input); see README \"The scene file\"")
      ->type_name("SCENE.json");
  auto* points =
      app.add_option("--points", points_path,
                     "Kernels from a CSV of points, one per row; - reads standard input. Columns "
                     "by header name (x, y, weight, sigma, sigma_x, sigma_y, angle_deg; lon and "
                     "lat for x and y), or "
                     "without a header x,y[,weight[,sigma_x[,sigma_y[,angle_deg]]]]. Needs --size")
          ->type_name("FILE.csv");
  app.add_option("--sigma", sigma,
                 "With --points: the sigma (sigma_x) of points whose row gives none")
      ->type_name("S")
      ->needs(points);
  app.add_option("--sigma-y", sigma_y, "With --points: sigma_y of such points (default: --sigma)")
      ->type_name("S")
      ->needs(points);
  app.add_option("--angle", angle, "With --points: angle_deg of points whose row gives none")
      ->type_name("A")
      ->needs(points);
  struct Rename {
    std::string PointColumnNames::*member;
    const char* option;  // --OPTION-column
    const char* field;   // the field's own header name
  };
  const Rename renames[] = {
      {&PointColumnNames::x, "x", "x"},
      {&PointColumnNames::y, "y", "y"},
      {&PointColumnNames::weight, "weight", "weight"},
      {&PointColumnNames::sigma, "sigma", "sigma"},
      {&PointColumnNames::sigma_x, "sigma-x", "sigma_x"},
      {&PointColumnNames::sigma_y, "sigma-y", "sigma_y"},
      {&PointColumnNames::angle_deg, "angle", "angle_deg"},
  };
  for (const auto& [member, option, field] : renames)
    app.add_option(std::string("--") + option + "-column", columns.*member,
                   std::string("With --points: the header name of the column that holds ") + field +
                       " (default: " + field +
                       (std::string_view(field) == "x"   ? ", else lon, lng, long or longitude)"
                        : std::string_view(field) == "y" ? ", else lat or latitude)"
                                                         : ")"))
        ->type_name("NAME")
        ->needs(points);
}

void SceneSource::requireOne() const {
  if (!scene_path.empty() && !points_path.empty())
    throw InputError("give either a scene file or --points, not both");
  if (scene_path.empty() && points_path.empty())
    throw InputError(
        "no scene: give a scene file (SCENE.json, or - for standard input) or "
        "--points FILE.csv");
}

Scene SceneSource::load(const SceneOverrides& overrides) const {
  requireOne();
  if (!scene_path.empty()) {
    Scene scene = loadScene(scene_path);  // validated
    // Validated again only when an option changed it: a scene is checked once per load.
    if (!overrides.empty()) overrides.applyTo(scene);
    return scene;
  }
  if (overrides.size.empty()) throw InputError("--points needs --size WIDTHxHEIGHT");
  if (sigma && !(*sigma > 0)) throw InputError("--sigma: must be > 0");
  if (sigma_y && !(*sigma_y > 0)) throw InputError("--sigma-y: must be > 0");
  const auto [w, h] = parseSize(overrides.size, "--size");
  const PointKernelShape shape{sigma, sigma_y, angle, columns};
  Scene scene;
  scene.width = w;
  scene.height = h;
  scene.name = inputSourceName(points_path);
  std::vector<std::string> unused;
  scene.kernels = loadPointsCsv(points_path, shape, &unused);
  if (!unused.empty()) {
    std::string names;
    for (const std::string& n : unused) names.append(names.empty() ? "'" : ", '").append(n) += '\'';
    std::cerr << "gaussmap: " << scene.name << ": not read: the column"
              << (unused.size() > 1 ? "s " : " ") << names
              << " (a column counts by its name: x, y, weight, sigma, sigma_x, sigma_y, "
                 "angle_deg, or one mapped with --x-column etc.)\n";
  }
  SceneOverrides rest = overrides;
  rest.size.clear();
  rest.applyTo(scene);
  return scene;
}

}  // namespace gaussmap::cli
