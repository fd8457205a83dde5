#include "core/points_csv.h"

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/errors.h"

namespace gaussmap {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
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

}  // namespace

std::vector<Kernel> parsePointsCsv(std::string_view text, const std::string& source_name,
                                   const PointKernelShape& shape) {
  std::vector<Kernel> kernels;
  std::vector<std::string> header;
  int weight_index = -1;  // -1: third column when present
  std::size_t line_number = 0;
  std::size_t pos = 0;
  bool first_content_line = true;
  while (pos <= text.size()) {
    const std::size_t newline = text.find('\n', pos);
    const std::string_view line =
        text.substr(pos, newline == std::string_view::npos ? text.size() - pos : newline - pos);
    pos = newline == std::string_view::npos ? text.size() + 1 : newline + 1;
    ++line_number;
    if (trim(line).empty() || trim(line).front() == '#') continue;
    const auto fields = splitFields(line);
    const std::string where = source_name + ":" + std::to_string(line_number);
    if (first_content_line) {
      first_content_line = false;
      if (!parseNumber(fields[0])) {  // a header line names the columns
        for (auto f : fields) header.emplace_back(f);
        if (!shape.weight_column.empty()) {
          for (std::size_t k = 0; k < header.size(); ++k)
            if (header[k] == shape.weight_column) weight_index = int(k);
          if (weight_index < 0)
            throw InputError(where + ": no column named '" + shape.weight_column +
                             "' in the header");
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
        throw InputError(where + ": expected a finite number in column " +
                         std::to_string(column + 1) + " (" + what + "), got '" +
                         std::string(fields[column]) + "'");
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
  return kernels;
}

std::vector<Kernel> loadPointsCsv(const std::string& path, const PointKernelShape& shape) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(path + ": cannot open the points file (" + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  return parsePointsCsv(text.str(), path, shape);
}

}  // namespace gaussmap
