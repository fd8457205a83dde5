// schema/scene.schema.json says what the parser says: the same keys in every object, the same
// spellings of every enumerated field, the same colormaps. (tests/schema/ validates the scenes
// with it through python3-jsonschema.)
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/animation.h"
#include "gaussmap/colormap.h"
#include "gaussmap/errors.h"
#include "gaussmap/options.h"
#include "gaussmap/scene_json.h"
#include "io/scene_keys.h"

namespace gaussmap {
namespace {

using Json = nlohmann::json;

const Json& schema() {
  static const Json loaded = [] {
    std::ifstream in(std::string(GAUSSMAP_SOURCE_DIR) + "/schema/scene.schema.json");
    return Json::parse(std::string(std::istreambuf_iterator<char>(in), {}));
  }();
  return loaded;
}

std::vector<std::string> sorted(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> propertiesOf(const Json& object) {
  std::vector<std::string> names;
  for (const auto& [name, value] : object.at("properties").items()) names.push_back(name);
  return sorted(names);
}

std::vector<std::string> strings(const std::vector<std::string_view>& names) {
  return sorted(std::vector<std::string>(names.begin(), names.end()));
}

std::vector<std::string> enumOf(const Json& property) {
  return sorted(property.at("enum").get<std::vector<std::string>>());
}

TEST(SceneSchema, EachObjectHasExactlyTheParsersKeysAndNoOthers) {
  const Json& s = schema();
  EXPECT_EQ(s.at("$schema"), "https://json-schema.org/draft/2020-12/schema");
  EXPECT_EQ(propertiesOf(s), strings(kSceneKeys));
  EXPECT_EQ(propertiesOf(s.at("$defs").at("kernel")), strings(kKernelKeys));
  EXPECT_EQ(propertiesOf(s.at("$defs").at("key")), strings(kKeyKeys));
  for (const Json* object : {&s, &s.at("$defs").at("kernel"), &s.at("$defs").at("key")})
    EXPECT_EQ(object->at("additionalProperties"), false);
}

TEST(SceneSchema, EnumeratedFieldsSpellWhatTheParserAccepts) {
  const Json& p = schema().at("properties");
  EXPECT_EQ(enumOf(p.at("combine")), strings(allNames<Combine>()));
  EXPECT_EQ(enumOf(p.at("normalize")), strings(allNames<Normalize>()));
  EXPECT_EQ(enumOf(p.at("scale")), strings(allNames<Scale>()));
  EXPECT_EQ(enumOf(p.at("origin")), strings(allNames<Origin>()));
  EXPECT_EQ(enumOf(p.at("colormap")), strings(colormapNames()));
  EXPECT_EQ(enumOf(p.at("range").at("oneOf").at(0)), strings(allNames<AutoRange>()));
  const Json& key = schema().at("$defs").at("key").at("properties");
  EXPECT_EQ(enumOf(key.at("interpolation")), strings(allNames<Interpolation>()));
}

TEST(SceneSchema, LimitsAreTheParsers) {
  const Json& p = schema().at("properties");
  EXPECT_EQ(p.at("width").at("maximum"), kMaxSide);
  EXPECT_EQ(p.at("height").at("maximum"), kMaxSide);
  EXPECT_EQ(p.at("cutoff").at("maximum"), kMaxCutoff);
  EXPECT_EQ(p.at("fps").at("minimum"), kMinFps);
  EXPECT_EQ(p.at("fps").at("maximum"), kMaxFps);
  const Json& kernel = schema().at("$defs").at("kernel").at("properties");
  EXPECT_EQ(kernel.at("x").at("maximum"), kMaxMagnitude);
  EXPECT_EQ(kernel.at("sigma").at("maximum"), kMaxMagnitude);
  EXPECT_EQ(kernel.at("weight").at("maximum"), kMaxValue);
}

TEST(SceneSchema, ASchemaKeyIsReadAndKeptOnSave) {
  const Scene scene = parseScene(
      R"({"$schema": "../schema/scene.schema.json", "width": 2, "height": 2, "kernels": []})",
      "s.json");
  EXPECT_EQ(scene.schema, "../schema/scene.schema.json");
  const std::string saved = sceneToJson(scene);
  EXPECT_EQ(saved.find("\"$schema\": \"../schema/scene.schema.json\""), saved.find('"'));
  EXPECT_EQ(parseScene(saved, "saved").schema, scene.schema);
  EXPECT_EQ(
      sceneToJson(parseScene(R"({"width": 2, "height": 2, "kernels": []})", "t")).find("$schema"),
      std::string::npos);
}

}  // namespace
}  // namespace gaussmap
