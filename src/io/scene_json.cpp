#include "gaussmap/scene_json.h"

#include <algorithm>
#include <cctype>
#include <limits>
#include <new>
#include <nlohmann/json.hpp>
#include <optional>

#include "core/wording.h"
#include "gaussmap/errors.h"
#include "io/input_file.h"
#include "io/scene_keys.h"

namespace gaussmap {
namespace {

using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

std::string typeName(const Json& j) {
  if (j.is_number()) return "a number";
  if (j.is_string()) return "a string";
  if (j.is_boolean()) return "a boolean";
  if (j.is_array()) return "an array";
  if (j.is_object()) return "an object";
  return "null";
}

// The elements of the top-level "kernels" array, converted as the parser completes each.
struct StreamedKernels {
  bool used = false;                 // "kernels" was an array and its elements are here
  std::vector<Kernel> kernels;       // until the first error
  std::optional<std::string> error;  // the first kernel's error, with its path
};

// Reading context: the file name and the JSON path of the value being read.
class Reader {
 public:
  explicit Reader(std::string source) : source_(std::move(source)) {}

  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw InputError(source_ + ": " + path + ": " + what);
  }

  void rejectUnknownKeys(const Json& obj, const std::string& path,
                         const std::vector<std::string_view>& known) const {
    for (const auto& [key, value] : obj.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      const std::string at = path.empty() ? key : path + "." + key;
      const std::string suggestion = closestName(key, known);
      fail(at, "unknown key" +
                   (suggestion.empty() ? std::string() : " (did you mean '" + suggestion + "'?)"));
    }
  }

  double number(const Json& j, const std::string& path) const {
    if (!j.is_number()) fail(path, "must be a number (got " + typeName(j) + ")");
    const double v = j.get<double>();
    if (!std::isfinite(v)) fail(path, "must be a finite number");
    return v;
  }

  std::int64_t integer(const Json& j, const std::string& path) const {
    if (j.is_number_integer()) {
      if (j.is_number_unsigned() && j.get<std::uint64_t>() > std::uint64_t(INT64_MAX))
        fail(path, "is too large");
      return j.get<std::int64_t>();
    }
    const double v = number(j, path);
    if (v != std::floor(v) || std::abs(v) > 9e15)
      fail(path, "must be an integer (got " + j.dump() + ")");
    return std::int64_t(v);
  }

  std::string string(const Json& j, const std::string& path) const {
    if (!j.is_string()) fail(path, "must be a string (got " + typeName(j) + ")");
    return j.get<std::string>();
  }

  template <class E>
  E enumValue(const Json& j, const std::string& path) const {
    const std::string s = string(j, path);
    if (auto v = fromString<E>(s)) return *v;
    std::string names;
    for (auto n : allNames<E>()) names += (names.empty() ? "'" : ", '") + std::string(n) + "'";
    fail(path, "unknown value '" + s + "' (expected one of " + names + ")");
  }

  const Json& array(const Json& j, const std::string& path, std::size_t size) const {
    if (!j.is_array()) fail(path, "must be an array (got " + typeName(j) + ")");
    if (size && j.size() != size)
      fail(path, "must have " + std::to_string(size) + " elements (got " +
                     std::to_string(j.size()) + ")");
    return j;
  }

  std::vector<KernelKey> keys(const Json& j, const std::string& at) const {
    array(j, at, 0);
    std::vector<KernelKey> out;
    for (std::size_t n = 0; n < j.size(); ++n) {
      const Json& o = j[n];
      const std::string path = at + "[" + std::to_string(n) + "]";
      if (!o.is_object()) fail(path, "must be an object (got " + typeName(o) + ")");
      rejectUnknownKeys(o, path, kKeyKeys);
      if (!o.contains("t")) fail(path, "missing required field 't' (the key's time in seconds)");
      KernelKey key;
      key.t = number(o["t"], path + ".t");
      if (o.contains("interpolation"))
        key.interpolation = enumValue<Interpolation>(o["interpolation"], path + ".interpolation");
      if (o.contains("sigma") && (o.contains("sigma_x") || o.contains("sigma_y")))
        fail(path, "give either 'sigma' or 'sigma_x' and 'sigma_y', not both");
      for (int f = 0; f < kAnimatedFieldCount; ++f) {
        const std::string name(toString(AnimatedField(f)));
        if (o.contains(name)) key.values[std::size_t(f)] = number(o[name], path + "." + name);
      }
      if (o.contains("sigma")) {
        key[AnimatedField::SigmaX] = key[AnimatedField::SigmaY] =
            number(o["sigma"], path + ".sigma");
      }
      out.push_back(key);
    }
    return out;
  }

  Kernel kernel(const Json& j, const std::string& at) const {
    if (!j.is_object()) fail(at, "must be an object (got " + typeName(j) + ")");
    rejectUnknownKeys(j, at, kKernelKeys);
    Kernel k;
    for (const char* required : {"x", "y"})
      if (!j.contains(required)) fail(at, "missing required field '" + std::string(required) + "'");
    k.x = number(j["x"], at + ".x");
    k.y = number(j["y"], at + ".y");
    if (j.contains("weight")) k.weight = number(j["weight"], at + ".weight");
    if (j.contains("label")) k.label = string(j["label"], at + ".label");
    if (j.contains("keys")) k.keys = keys(j["keys"], at + ".keys");

    const bool has_sigma = j.contains("sigma");
    const bool has_axes = j.contains("sigma_x") || j.contains("sigma_y");
    if (j.contains("cov")) {
      if (has_sigma || has_axes || j.contains("angle_deg"))
        fail(at, "give either 'cov' or sigmas and 'angle_deg', not both");
      const Json& rows = array(j["cov"], at + ".cov", 2);
      Covariance c;
      array(rows[0], at + ".cov[0]", 2);
      array(rows[1], at + ".cov[1]", 2);
      c.xx = number(rows[0][0], at + ".cov[0][0]");
      c.xy = number(rows[0][1], at + ".cov[0][1]");
      const double yx = number(rows[1][0], at + ".cov[1][0]");
      c.yy = number(rows[1][1], at + ".cov[1][1]");
      if (c.xy != yx) fail(at + ".cov", "must be symmetric (cov[0][1] != cov[1][0])");
      if (!(c.xx > 0 && c.yy > 0 && c.det() > 0))
        fail(at + ".cov", "must be positive definite (got " + j["cov"].dump() + ")");
      k.setCovariance(c);
      return k;
    }
    if (has_sigma && has_axes) fail(at, "give either 'sigma' or 'sigma_x' and 'sigma_y', not both");
    if (has_sigma) {
      k.sigma_x = k.sigma_y = number(j["sigma"], at + ".sigma");
      if (!(k.sigma_x > 0)) fail(at + ".sigma", "must be > 0 (got " + j["sigma"].dump() + ")");
    } else {
      for (const char* required : {"sigma_x", "sigma_y"})
        if (!j.contains(required))
          fail(at, "missing required field '" + std::string(required) +
                       "' (or give 'sigma' for both, or 'cov')");
      k.sigma_x = number(j["sigma_x"], at + ".sigma_x");
      k.sigma_y = number(j["sigma_y"], at + ".sigma_y");
    }
    if (j.contains("angle_deg")) k.angle_deg = number(j["angle_deg"], at + ".angle_deg");
    return k;
  }

  // `streamed`: the kernels the parser read one by one (when "kernels" was an array), in place
  // of the DOM's; their first error is thrown where the DOM's kernels would have been read, so
  // the order of the messages does not depend on the order of the fields in the file.
  Scene scene(const Json& j, StreamedKernels& streamed) const {
    if (!j.is_object()) fail("(top level)", "must be an object (got " + typeName(j) + ")");
    rejectUnknownKeys(j, "", kSceneKeys);
    for (const char* required : {"width", "height", "kernels"})
      if (!j.contains(required))
        fail("(top level)", "missing required field '" + std::string(required) + "'");
    Scene s;
    const std::int64_t w = integer(j["width"], "width");
    const std::int64_t h = integer(j["height"], "height");
    try {
      validateSize(w, h, "width, height");
    } catch (const InputError& e) {
      throw InputError(source_ + ": " + e.what());
    }
    s.width = int(w);
    s.height = int(h);
    if (j.contains("extent")) {
      const Json& e = array(j["extent"], "extent", 4);
      s.extent = Extent{number(e[0], "extent[0]"), number(e[1], "extent[1]"),
                        number(e[2], "extent[2]"), number(e[3], "extent[3]")};
    }
    if (streamed.used) {
      if (streamed.error) throw InputError(*streamed.error);
      s.kernels = std::move(streamed.kernels);
    } else {
      const Json& kernels = array(j["kernels"], "kernels", 0);
      s.kernels.reserve(kernels.size());
      for (std::size_t i = 0; i < kernels.size(); ++i)
        s.kernels.push_back(kernel(kernels[i], "kernels[" + std::to_string(i) + "]"));
    }
    if (j.contains("combine")) s.combine = enumValue<Combine>(j["combine"], "combine");
    if (j.contains("normalize")) s.normalize = enumValue<Normalize>(j["normalize"], "normalize");
    if (j.contains("cutoff")) s.cutoff = number(j["cutoff"], "cutoff");
    if (j.contains("colormap")) s.display.colormap = string(j["colormap"], "colormap");
    if (j.contains("range")) {
      const Json& r = j["range"];
      if (r.is_string()) {
        const auto from_data = fromString<AutoRange>(r.get<std::string>());
        if (!from_data)
          fail("range", "must be \"auto\", \"symmetric\" or [lo, hi] (got \"" +
                            r.get<std::string>() + "\")");
        s.display.auto_range = *from_data;
      } else {
        if (!r.is_array())
          fail("range", "must be \"auto\", \"symmetric\" or [lo, hi] (got " + typeName(r) + ")");
        array(r, "range", 2);
        s.display.range = std::array<double, 2>{number(r[0], "range[0]"), number(r[1], "range[1]")};
      }
    }
    if (j.contains("scale")) s.display.scale = enumValue<Scale>(j["scale"], "scale");
    if (j.contains("origin")) s.display.origin = enumValue<Origin>(j["origin"], "origin");
    if (j.contains("$schema")) s.schema = string(j["$schema"], "$schema");
    if (j.contains("name")) s.name = string(j["name"], "name");
    if (j.contains("description")) s.description = string(j["description"], "description");
    if (j.contains("duration")) s.duration = number(j["duration"], "duration");
    if (j.contains("fps")) s.fps = number(j["fps"], "fps");
    try {
      validateScene(s);
    } catch (const InputError& e) {
      throw InputError(source_ + ": " + e.what());
    }
    return s;
  }

 private:
  std::string source_;
};

// 1-based line and column of a byte offset.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view text, std::size_t offset);

// A SAX handler that builds the scene's JSON as a DOM except for the elements of the top-level
// "kernels" array: each is built alone and converted to a Kernel as soon as it is complete, then
// dropped. Memory is the kernels', not a DOM's of them (a DOM takes about 600 bytes a kernel),
// and the text is read once. Duplicate keys, which a DOM silently resolves to the last value,
// are refused with their path.
class SceneSax {
 public:
  SceneSax(std::string_view text, const std::string& source, const Reader& reader,
           StreamedKernels& kernels)
      : text_(text), source_(source), reader_(reader), kernels_(kernels) {}

  Json root;

  bool null() { return scalar(Json(nullptr)); }
  bool boolean(bool v) { return scalar(Json(v)); }
  bool number_integer(Json::number_integer_t v) { return scalar(Json(v)); }
  bool number_unsigned(Json::number_unsigned_t v) { return scalar(Json(v)); }
  bool number_float(Json::number_float_t v, const Json::string_t&) { return scalar(Json(v)); }
  bool string(Json::string_t& v) { return scalar(Json(std::move(v))); }
  bool binary(Json::binary_t&) { return true; }  // JSON text has no binary values

  bool start_object(std::size_t) { return open(Json::object(), false); }
  bool start_array(std::size_t) {
    // The top-level object's "kernels" array is streamed; any other array is kept.
    const bool kernels =
        stack_.size() == 1 && stack_.back().value->is_object() && key_ == "kernels";
    return open(Json::array(), kernels);
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(Json::string_t& k) {
    Open& top = stack_.back();
    if (top.value->contains(k))
      throw InputError(source_ + ": " + (top.path.empty() ? "(top level)" : top.path) +
                       ": duplicate key '" + k + "' (each key may appear once)");
    object_element_ = &(*top.value)[k];
    key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& e) {
    std::string what = e.what();
    if (const auto* syntax = dynamic_cast<const nlohmann::detail::parse_error*>(&e)) {
      // nlohmann reports the byte just past the problem; point at the last byte read.
      const std::size_t offset = syntax->byte > 0 ? syntax->byte - 1 : 0;
      const auto [line, column] = lineColumn(text_, offset);
      const auto pos = what.find("syntax error");
      if (pos != std::string::npos) what = what.substr(pos);
      throw InputError(source_ + ":" + std::to_string(line) + ":" + std::to_string(column) +
                       ": JSON " + what);
    }
    // E.g. out_of_range 406 for 1e999: nlohmann refuses numbers beyond a double.
    const auto pos = what.find("] ");
    if (pos != std::string::npos) what = what.substr(pos + 2);
    throw InputError(source_ + ": JSON " + what + " (numbers must be finite)");
  }

 private:
  struct Open {
    Json* value;
    std::string path;      // of this value: "kernels[3].cov"
    bool kernels = false;  // the streamed "kernels" array (its elements are not kept in it)
  };

  // The path of the value about to be placed, and where it goes.
  std::string childPath() const {
    if (stack_.empty()) return "";
    const Open& top = stack_.back();
    if (top.value->is_array())
      return top.path + "[" + std::to_string(top.kernels ? kernel_index_ : top.value->size()) + "]";
    return top.path.empty() ? key_ : top.path + "." + key_;
  }

  Json* place(Json&& v) {
    if (stack_.empty()) {
      root = std::move(v);
      return &root;
    }
    Open& top = stack_.back();
    if (top.kernels) {
      kernel_ = std::move(v);
      return &kernel_;
    }
    if (top.value->is_array()) {
      top.value->push_back(std::move(v));
      return &top.value->back();
    }
    *object_element_ = std::move(v);
    return object_element_;
  }

  bool scalar(Json&& v) {
    place(std::move(v));
    if (!stack_.empty() && stack_.back().kernels) finishKernel();
    return true;
  }

  bool open(Json&& container, bool kernels) {
    std::string path = childPath();
    Json* value = place(std::move(container));
    stack_.push_back(Open{value, std::move(path), kernels});
    if (kernels) kernels_.used = true;
    return true;
  }

  bool close() {
    stack_.pop_back();
    if (!stack_.empty() && stack_.back().kernels) finishKernel();
    return true;
  }

  void finishKernel() {
    const std::size_t index = kernel_index_++;
    if (!kernels_.error) {  // after the first error the rest only need to be well-formed
      try {
        kernels_.kernels.push_back(
            reader_.kernel(kernel_, "kernels[" + std::to_string(index) + "]"));
      } catch (const InputError& e) {
        kernels_.error = e.what();
        kernels_.kernels = {};
      }
    }
    kernel_ = Json();
  }

  std::string_view text_;
  const std::string& source_;
  const Reader& reader_;
  StreamedKernels& kernels_;
  std::vector<Open> stack_;
  Json* object_element_ = nullptr;  // where an object's next value goes
  std::string key_;                 // that value's key
  Json kernel_;                     // the kernel being read
  std::size_t kernel_index_ = 0;
};

// 1-based line and column of a byte offset.
std::pair<std::size_t, std::size_t> lineColumn(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < std::min(offset, text.size()); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

}  // namespace

std::string closestName(std::string_view word, const std::vector<std::string_view>& candidates) {
  auto distance = [](std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t k = 0; k <= b.size(); ++k) row[k] = k;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diagonal = row[0];
      row[0] = i;
      for (std::size_t k = 1; k <= b.size(); ++k) {
        const std::size_t up = row[k];
        // Via unsigned char: tolower of a negative char (UTF-8 bytes) is undefined.
        const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                          std::tolower(static_cast<unsigned char>(b[k - 1]));
        row[k] = std::min({row[k] + 1, row[k - 1] + 1, diagonal + (same ? 0 : 1)});
        diagonal = up;
      }
    }
    return row[b.size()];
  };
  std::string best;
  std::size_t best_distance = std::numeric_limits<std::size_t>::max();
  for (auto c : candidates) {
    const std::size_t d = distance(word, c);
    if (d < best_distance) {
      best_distance = d;
      best = c;
    }
  }
  // Only suggest when the word is plausibly a typo of the candidate.
  if (best_distance <= std::max<std::size_t>(2, word.size() / 3)) return best;
  // Or a shortened name ("angle" for "angle_deg"): the shortest candidate it begins.
  auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = char(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string prefix = lower(word);
  best.clear();
  if (prefix.size() >= 3)
    for (auto c : candidates)
      if (lower(c).rfind(prefix, 0) == 0 && (best.empty() || c.size() < best.size())) best = c;
  return best;
}

Scene parseScene(std::string_view json_text, const std::string& source_name) {
  const Reader reader(source_name);
  StreamedKernels kernels;
  try {
    SceneSax sax(json_text, source_name, reader, kernels);
    // Syntax errors and duplicate keys throw from the handler, so a false return cannot happen
    // without one; checked all the same rather than reading a half-built scene.
    if (!Json::sax_parse(json_text.begin(), json_text.end(), &sax))
      throw InputError(source_name + ": JSON syntax error");
    return reader.scene(sax.root, kernels);
  } catch (const std::bad_alloc&) {
    throw RuntimeError(
        source_name + ": out of memory reading the scene (" + std::to_string(json_text.size()) +
        " bytes, " + counted(static_cast<long long>(kernels.kernels.size()), "kernel") + " read)");
  }
}

Scene loadScene(const std::string& path) {
  return parseScene(readInputFile(path, "scene file"), inputSourceName(path));
}

std::string sceneToJson(const Scene& s) {
  OrderedJson j;
  if (!s.schema.empty()) j["$schema"] = s.schema;
  if (!s.name.empty()) j["name"] = s.name;
  if (!s.description.empty()) j["description"] = s.description;
  j["width"] = s.width;
  j["height"] = s.height;
  if (s.extent) j["extent"] = {s.extent->x0, s.extent->x1, s.extent->y0, s.extent->y1};
  j["combine"] = toString(s.combine);
  j["normalize"] = toString(s.normalize);
  if (s.cutoff) j["cutoff"] = *s.cutoff;
  j["colormap"] = s.display.colormap;
  if (s.display.range)
    j["range"] = {(*s.display.range)[0], (*s.display.range)[1]};
  else
    j["range"] = toString(s.display.auto_range);
  j["scale"] = toString(s.display.scale);
  j["origin"] = toString(s.display.origin);
  if (s.duration) j["duration"] = *s.duration;
  if (s.fps) j["fps"] = *s.fps;
  OrderedJson kernels = OrderedJson::array();
  for (const Kernel& k : s.kernels) {
    OrderedJson o;
    if (!k.label.empty()) o["label"] = k.label;
    o["x"] = k.x;
    o["y"] = k.y;
    if (k.cov) {
      o["cov"] = {{k.cov->xx, k.cov->xy}, {k.cov->xy, k.cov->yy}};
    } else {
      o["sigma_x"] = k.sigma_x;
      o["sigma_y"] = k.sigma_y;
      o["angle_deg"] = k.angle_deg;
    }
    o["weight"] = k.weight;
    if (!k.keys.empty()) {
      OrderedJson keys = OrderedJson::array();
      for (const KernelKey& key : k.keys) {
        OrderedJson jk;
        jk["t"] = key.t;
        if (key.interpolation != Interpolation::Linear)
          jk["interpolation"] = toString(key.interpolation);
        for (int f = 0; f < kAnimatedFieldCount; ++f)
          if (key.values[std::size_t(f)])
            jk[std::string(toString(AnimatedField(f)))] = *key.values[std::size_t(f)];
        keys.push_back(std::move(jk));
      }
      o["keys"] = std::move(keys);
    }
    kernels.push_back(std::move(o));
  }
  j["kernels"] = std::move(kernels);
  return j.dump(2) + "\n";
}

}  // namespace gaussmap
