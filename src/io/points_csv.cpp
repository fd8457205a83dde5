#include "gaussmap/points_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <new>

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

}  // namespace

std::vector<Kernel> parsePointsCsv(std::string_view text, const std::string& source_name,
                                   const PointKernelShape& shape) {
  // A UTF-8 byte order mark (spreadsheets write one) is not part of the first field.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (text.substr(0, kBom.size()) == kBom) text.remove_prefix(kBom.size());
  std::vector<Kernel> kernels;
  std::vector<std::string> header;
  int weight_index = -1;  // -1: third column when present
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
        if (!shape.weight_column.empty()) {
          for (std::size_t k = 0; k < header.size(); ++k)
            if (header[k] == shape.weight_column) weight_index = int(k);
          if (weight_index < 0)
            throw InputError(where + ": no column named " + quoted(shape.weight_column) +
                             " in the header");
        }
        continue;
      }
      if (!shape.weight_column.empty())
        throw InputError(where + ": --weight-column needs a header line naming the columns");
    }
    if (fields.size() < 2)
      throw InputError(where + ": expected at least 2 columns (x,y), got " +
                       std::to_string(fields.size()));
    if (!header.empty() && fields.size() != header.size())
      throw InputError(where + ": expected " + std::to_string(header.size()) +
                       " columns as in the header, got " + std::to_string(fields.size()));
    if (header.empty() && fields.size() > 3)
      throw InputError(where + ": expected 2 or 3 columns (x,y[,weight]), got " +
                       std::to_string(fields.size()));
    auto number = [&](std::size_t column, const char* what) {
      const auto v = parseNumber(fields[column]);
      if (!v || !std::isfinite(*v))
        throw InputError(
            where + ": expected a finite number in column " + std::to_string(column + 1) + " (" +
            what + "), got " + quoted(fields[column]) +
            (first ? " (a header line must name every column: letters, digits, _)" : ""));
      return *v;
    };
    Kernel k;
    k.x = number(0, "x");
    k.y = number(1, "y");
    k.sigma_x = shape.sigma_x;
    k.sigma_y = shape.sigma_y;
    k.angle_deg = shape.angle_deg;
    const std::size_t wcol = weight_index >= 0 ? std::size_t(weight_index) : 2;
    if (wcol < fields.size()) k.weight = number(wcol, "weight");
    kernels.push_back(k);
  }
  if (kernels.empty())
    throw InputError(source_name + ": no points (" +
                     (header.empty() ? "no data rows" : "a header line but no data rows") + ")");
  return kernels;
}

std::vector<Kernel> loadPointsCsv(const std::string& path, const PointKernelShape& shape) {
  const std::string text = readInputFile(path, "points file");
  try {
    return parsePointsCsv(text, path, shape);
  } catch (const std::bad_alloc&) {
    throw RuntimeError(path + ": out of memory reading the points (" + std::to_string(text.size()) +
                       " bytes)");
  }
}

}  // namespace gaussmap
