#include "gaussmap/points_csv.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <new>
#include <span>
#include <string>

#include "gaussmap/errors.h"
#include "io/input_file.h"

namespace gaussmap {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> splitFields(std::string_view line) {
  std::vector<std::string_view> fields;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = line.find(',', start);
    fields.push_back(trim(line.substr(start, comma - start)));
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return fields;
}

std::optional<double> parseNumber(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool isNameStart(unsigned char c) {
  return std::isalpha(c) || c == '_' || c >= 0x80;
}

// A column name: begins with a letter or '_' (or a non-ASCII byte, for UTF-8 names), then
// letters, digits, '_', '-', '.', spaces, parentheses and '/' ("x", "score_2", "x (m)"); and is
// not a number's spelling ("inf", "nan").
bool isName(std::string_view s) {
  if (s.empty() || !isNameStart(static_cast<unsigned char>(s.front())) || parseNumber(s))
    return false;
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (!(isNameStart(c) || std::isdigit(c) || c == '-' || c == '.' || c == ' ' || c == '(' ||
          c == ')' || c == '/'))
      return false;
  }
  return true;
}

// A field as a message shows it: control characters as \xNN (so that nothing in a file reaches
// the terminal as an escape sequence), cut to about 60 bytes on a UTF-8 boundary.
std::string quoted(std::string_view field) {
  constexpr std::size_t kMaxShown = 60;
  std::size_t shown = std::min(field.size(), kMaxShown);
  while (shown < field.size() && shown > 0 &&
         (static_cast<unsigned char>(field[shown]) & 0xC0) == 0x80)
    --shown;
  std::string out = "'";
  for (const char ch : field.substr(0, shown)) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || c == '\\') {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02X", c);
      out += hex;
    } else {
      out += ch;
    }
  }
  out += "'";
  if (shown < field.size())
    out += " (cut; the field has " + std::to_string(field.size()) + " bytes)";
  return out;
}

// The fields a row may give: their own names, the option that renames them, and their place
// without a header (-1: only by name).
enum class FieldId { X, Y, Weight, Sigma, SigmaX, SigmaY, AngleDeg };
struct Field {
  std::string_view name;
  std::string PointColumnNames::*renamed;
  const char* option;
  int position;
};
constexpr std::size_t kFieldCount = 7;
const std::array<Field, kFieldCount> kFields{{
    {"x", &PointColumnNames::x, "--x-column", 0},
    {"y", &PointColumnNames::y, "--y-column", 1},
    {"weight", &PointColumnNames::weight, "--weight-column", 2},
    {"sigma", &PointColumnNames::sigma, "--sigma-column", -1},
    {"sigma_x", &PointColumnNames::sigma_x, "--sigma-x-column", 3},
    {"sigma_y", &PointColumnNames::sigma_y, "--sigma-y-column", 4},
    {"angle_deg", &PointColumnNames::angle_deg, "--angle-column", 5},
}};

// Other names of x and y, as GPS exports and map tools write them.
constexpr std::array<std::string_view, 4> kLongitudeNames{"lon", "lng", "long", "longitude"};
constexpr std::array<std::string_view, 2> kLatitudeNames{"lat", "latitude"};

// Header names match without regard to ASCII case ("X", "Weight").
bool sameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char p, char q) {
           return std::tolower(static_cast<unsigned char>(p)) ==
                  std::tolower(static_cast<unsigned char>(q));
         });
}

// Each field's column in `header`: by its renamed name (which must be there) or its own (which
// may be missing, except x and y). Columns that name no field go to `unused`.
std::array<int, kFieldCount> headerColumns(const std::vector<std::string>& header,
                                           const PointColumnNames& names, const std::string& where,
                                           std::vector<std::string>* unused) {
  std::array<int, kFieldCount> column{};
  std::vector<bool> used(header.size(), false);
  for (std::size_t k = 0; k < kFieldCount; ++k) {
    const Field& f = kFields[k];
    const std::string& renamed = names.*f.renamed;
    const std::string_view name = renamed.empty() ? f.name : std::string_view(renamed);
    column[k] = -1;
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (!sameName(header[c], name)) continue;
      if (column[k] >= 0)
        throw InputError(where + ": the header names " + quoted(name) + " twice (columns " +
                         std::to_string(column[k] + 1) + " and " + std::to_string(c + 1) + ")");
      column[k] = int(c);
    }
    // Without its own name, x and y are found by the names of longitude and latitude, so a GPS
    // export's "lat,lon" header works as it is (one alias at most: two would be ambiguous).
    if (column[k] < 0 && renamed.empty() && k < 2) {
      const std::span<const std::string_view> aliases =
          k == 0 ? std::span<const std::string_view>(kLongitudeNames)
                 : std::span<const std::string_view>(kLatitudeNames);
      for (std::size_t c = 0; c < header.size(); ++c) {
        if (used[c] || std::none_of(aliases.begin(), aliases.end(),
                                    [&](std::string_view a) { return sameName(header[c], a); }))
          continue;  // a column another field took by name is not an alias
        if (column[k] >= 0)
          throw InputError(where + ": the header has two names for " + quoted(f.name) + ": " +
                           quoted(header[std::size_t(column[k])]) + " and " + quoted(header[c]) +
                           " (choose one with " + f.option + " NAME)");
        column[k] = int(c);
      }
    }
    if (column[k] >= 0) {
      if (used[std::size_t(column[k])])
        throw InputError(where + ": column " + std::to_string(column[k] + 1) + " (" +
                         quoted(header[std::size_t(column[k])]) + ") is given to two fields");
      used[std::size_t(column[k])] = true;
    } else if (!renamed.empty()) {
      throw InputError(where + ": no column named " + quoted(renamed) + " in the header (" +
                       f.option + ")");
    } else if (f.position == 0 || f.position == 1) {
      throw InputError(
          where + ": no column named " + quoted(name) +
          " in the header: name the columns x and y (or lon and lat), or map yours with " +
          f.option + " NAME");
    }
  }
  if (unused)
    for (std::size_t c = 0; c < header.size(); ++c)
      if (!used[c]) unused->push_back(header[c]);
  return column;
}

}  // namespace

std::vector<Kernel> parsePointsCsv(std::string_view text, const std::string& source_name,
                                   const PointKernelShape& shape,
                                   std::vector<std::string>* unused_columns) {
  // A UTF-8 byte order mark (spreadsheets write one) is not part of the first field.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  std::vector<Kernel> kernels;
  std::vector<std::string> header;
  std::array<int, kFieldCount> column{};  // each field's column; -1: not in the file
  column.fill(-1);
  std::size_t line_number = 0;
  std::size_t pos = 0;
  bool first_content_line = true;
  while (pos <= text.size()) {
    // Lines end with LF, CRLF or a lone CR (old Mac files).
    const std::size_t end = text.find_first_of("\r\n", pos);
    const std::string_view line =
        text.substr(pos, end == std::string_view::npos ? text.size() - pos : end - pos);
    if (end == std::string_view::npos)
      pos = text.size() + 1;
    else
      pos = end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1);
    ++line_number;
    if (trim(line).empty() || trim(line).front() == '#') continue;
    const auto fields = splitFields(line);
    const std::string where = source_name + ":" + std::to_string(line_number);
    const bool first = first_content_line;
    if (first_content_line) {
      first_content_line = false;
      // A header names every column; a first line with anything else is data, and an error
      // when it is not numbers (rather than silently skipped as a header).
      if (std::all_of(fields.begin(), fields.end(), isName)) {
        for (auto f : fields) header.emplace_back(f);
        column = headerColumns(header, shape.columns, where, unused_columns);
        continue;
      }
      for (const Field& f : kFields)
        if (!(shape.columns.*f.renamed).empty())
          throw InputError(where + ": " + f.option + " needs a header line naming the columns");
      for (std::size_t k = 0; k < kFieldCount; ++k)
        if (kFields[k].position >= 0) column[k] = kFields[k].position;
    }
    if (fields.size() < 2)
      throw InputError(where + ": expected at least 2 columns (x,y), got " +
                       std::to_string(fields.size()));
    if (!header.empty() && fields.size() != header.size())
      throw InputError(where + ": expected " + std::to_string(header.size()) +
                       " columns as in the header, got " + std::to_string(fields.size()));
    if (header.empty() && fields.size() > 6)
      throw InputError(where + ": expected 2 to 6 columns (x,y[,weight[,sigma_x[,sigma_y[," +
                       "angle_deg]]]]), got " + std::to_string(fields.size()));
    // The field's value on this row, when its column is there.
    auto value = [&](FieldId id) -> std::optional<double> {
      const int c = column[std::size_t(id)];
      if (c < 0 || std::size_t(c) >= fields.size()) return std::nullopt;
      const auto v = parseNumber(fields[std::size_t(c)]);
      if (!v || !std::isfinite(*v))
        throw InputError(
            where + ": expected a finite number in column " + std::to_string(c + 1) + " (" +
            std::string(kFields[std::size_t(id)].name) + "), got " +
            quoted(fields[std::size_t(c)]) +
            (first ? " (a header line must name every column: letters, digits, _)" : ""));
      return v;
    };
    auto sigma = [&](FieldId id, std::optional<double> v) {
      if (v && !(*v > 0))
        throw InputError(where + ": " + std::string(kFields[std::size_t(id)].name) +
                         " must be > 0, got " +
                         quoted(fields[std::size_t(column[std::size_t(id)])]));
      return v;
    };
    Kernel k;
    k.x = *value(FieldId::X);
    k.y = *value(FieldId::Y);
    if (const auto w = value(FieldId::Weight)) k.weight = *w;
    // Without a header, a 4th column alone is the sigma of both axes; with a 5th, sigma_x.
    const bool positional_round = header.empty() && fields.size() == 4;
    const auto both = sigma(FieldId::Sigma, value(FieldId::Sigma));
    const auto sx =
        sigma(FieldId::SigmaX, positional_round ? std::nullopt : value(FieldId::SigmaX));
    const auto sy = sigma(FieldId::SigmaY, value(FieldId::SigmaY));
    const auto round = positional_round ? sigma(FieldId::SigmaX, value(FieldId::SigmaX)) : both;
    const std::optional<double> sigma_x = sx ? sx : round ? round : shape.sigma_x;
    const std::optional<double> sigma_y = sy              ? sy
                                          : round         ? round
                                          : shape.sigma_y ? shape.sigma_y
                                                          : shape.sigma_x;
    if (!sigma_x || !sigma_y)
      throw InputError(where + ": no sigma for this point: give --sigma, or a sigma (or sigma_x " +
                       "and sigma_y) column");
    k.sigma_x = *sigma_x;
    k.sigma_y = *sigma_y;
    k.angle_deg = value(FieldId::AngleDeg).value_or(shape.angle_deg);
    kernels.push_back(k);
  }
  if (kernels.empty())
    throw InputError(source_name + ": no points (" +
                     (header.empty() ? "no data rows" : "a header line but no data rows") + ")");
  return kernels;
}

std::vector<Kernel> loadPointsCsv(const std::string& path, const PointKernelShape& shape,
                                  std::vector<std::string>* unused_columns) {
  const std::string text = readInputFile(path, "points file");
  const std::string name = inputSourceName(path);
  try {
    return parsePointsCsv(text, name, shape, unused_columns);
  } catch (const std::bad_alloc&) {
    throw RuntimeError(name + ": out of memory reading the points (" + std::to_string(text.size()) +
                       " bytes)");
  }
}

}  // namespace gaussmap
