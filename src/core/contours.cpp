#include "gaussmap/contours.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <functional>
#include <numeric>
#include <unordered_map>

#include "gaussmap/errors.h"

namespace gaussmap {
namespace {

// Grid edges by id: the horizontal edge from sample (i, j) to (i+1, j) is 2*(j*W + i), the
// vertical one from (i, j) to (i, j+1) is 2*(j*W + i) + 1.
using EdgeId = std::int64_t;

struct Segment {
  EdgeId a, b;
};

class Tracer {
 public:
  Tracer(const FloatImage& values, double level) : v_(values), level_(level) {}

  std::vector<ContourLine> trace() {
    collectSegments();
    return linkSegments();
  }

 private:
  bool inside(int i, int j) const { return double(v_.at(i, j)) >= level_; }

  EdgeId horizontal(int i, int j) const { return 2 * (EdgeId(j) * v_.width + i); }
  EdgeId vertical(int i, int j) const { return 2 * (EdgeId(j) * v_.width + i) + 1; }

  // Where the level crosses the edge: linear interpolation between its two samples.
  std::array<double, 2> crossing(EdgeId e) const {
    const EdgeId cell = e / 2;
    const int i = int(cell % v_.width), j = int(cell / v_.width);
    const int i2 = e % 2 == 0 ? i + 1 : i, j2 = e % 2 == 0 ? j : j + 1;
    const double a = v_.at(i, j), b = v_.at(i2, j2);
    // One end is >= level and the other below, so a != b and t lies in [0, 1].
    const double t = (level_ - a) / (b - a);
    return {i + t * (i2 - i), j + t * (j2 - j)};
  }

  void add(EdgeId a, EdgeId b) {
    const int index = int(segments_.size());
    segments_.push_back({a, b});
    for (EdgeId e : {a, b}) {
      auto [it, fresh] = by_edge_.try_emplace(e, std::array<int, 2>{index, -1});
      if (!fresh) it->second[1] = index;
    }
  }

  void collectSegments() {
    for (int j = 0; j + 1 < v_.height; ++j) {
      for (int i = 0; i + 1 < v_.width; ++i) {
        // Corners a (i, j), b (i+1, j), c (i+1, j+1), d (i, j+1).
        const int code = (inside(i, j) ? 1 : 0) | (inside(i + 1, j) ? 2 : 0) |
                         (inside(i + 1, j + 1) ? 4 : 0) | (inside(i, j + 1) ? 8 : 0);
        if (code == 0 || code == 15) continue;
        const EdgeId top = horizontal(i, j), bottom = horizontal(i, j + 1);
        const EdgeId left = vertical(i, j), right = vertical(i + 1, j);
        switch (code) {
          case 1:
          case 14:
            add(left, top);
            break;
          case 2:
          case 13:
            add(top, right);
            break;
          case 4:
          case 11:
            add(right, bottom);
            break;
          case 8:
          case 7:
            add(bottom, left);
            break;
          case 3:
          case 12:
            add(left, right);
            break;
          case 6:
          case 9:
            add(top, bottom);
            break;
          case 5:
          case 10: {
            // A saddle: the mean of the corners decides whether the inside corners connect.
            const double centre =
                (double(v_.at(i, j)) + v_.at(i + 1, j) + v_.at(i + 1, j + 1) + v_.at(i, j + 1)) / 4;
            const bool ac_inside = code == 5;
            if ((centre >= level_) == ac_inside) {
              // The diagonal a-c is joined: cut off corners b and d.
              add(top, right);
              add(bottom, left);
            } else {
              add(left, top);
              add(right, bottom);
            }
            break;
          }
          default:
            break;
        }
      }
    }
  }

  // The other segment on edge e, or -1 at the border.
  int neighbour(EdgeId e, int segment) const {
    const auto& pair = by_edge_.at(e);
    return pair[0] == segment ? pair[1] : pair[0];
  }

  // Walks from `segment` out through edge `from`'s far end, appending edges until a border or
  // the start; returns true when it came back round to `stop`.
  bool walk(int segment, EdgeId entry, std::vector<EdgeId>& edges, int stop) {
    for (;;) {
      used_[std::size_t(segment)] = true;
      const Segment& s = segments_[std::size_t(segment)];
      const EdgeId exit = s.a == entry ? s.b : s.a;
      edges.push_back(exit);
      const int next = neighbour(exit, segment);
      if (next < 0) return false;
      if (next == stop) return true;
      if (used_[std::size_t(next)]) return false;
      segment = next;
      entry = exit;
    }
  }

  std::vector<ContourLine> linkSegments() {
    std::vector<ContourLine> lines;
    used_.assign(segments_.size(), false);
    for (int start = 0; start < int(segments_.size()); ++start) {
      if (used_[std::size_t(start)]) continue;
      const Segment& s = segments_[std::size_t(start)];
      std::vector<EdgeId> forward{s.a};
      const bool closed = walk(start, s.a, forward, start);
      std::vector<EdgeId> edges;
      if (closed) {
        edges = std::move(forward);  // ends on s.a again: the ring is closed
      } else {
        // Open: extend backwards from s.a to the other border, then join.
        std::vector<EdgeId> backward;
        const int before = neighbour(s.a, start);
        if (before >= 0 && !used_[std::size_t(before)]) walk(before, s.a, backward, start);
        edges.assign(backward.rbegin(), backward.rend());
        edges.insert(edges.end(), forward.begin(), forward.end());
      }
      ContourLine line;
      line.closed = closed;
      line.points.reserve(edges.size());
      for (EdgeId e : edges) {
        // A crossing exactly on a sample is where two edges meet: one point, not two.
        const std::array<double, 2> p = crossing(e);
        if (line.points.empty() || line.points.back() != p) line.points.push_back(p);
      }
      if (line.points.size() < 2) continue;
      if (closed) line.points.back() = line.points.front();  // exactly equal
      lines.push_back(std::move(line));
    }
    return lines;
  }

  const FloatImage& v_;
  double level_;
  std::vector<Segment> segments_;
  std::unordered_map<EdgeId, std::array<int, 2>> by_edge_;
  std::vector<bool> used_;
};

std::string trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::vector<ContourLine> traceContours(const FloatImage& values, double level) {
  if (values.width < 2 || values.height < 2 || !std::isfinite(level)) return {};
  return Tracer(values, level).trace();
}

ContourLevels parseContourLevels(std::string_view text, const std::string& where) {
  const std::string quoted = where + " " + std::string(text);
  ContourLevels levels;
  std::string_view list = text;
  if (const auto colon = text.find(':'); colon != std::string_view::npos) {
    const std::string kind = trimmed(text.substr(0, colon));
    if (kind == "mass") {
      levels.kind = ContourLevelKind::Mass;
    } else if (kind == "sigma") {
      levels.kind = ContourLevelKind::Sigma;
    } else {
      throw InputError(quoted + ": unknown level kind '" + kind +
                       "' (expected values such as 0.001,0.002, mass:0.5,0.9 or sigma:1,2,3)");
    }
    list = text.substr(colon + 1);
  }
  std::size_t pos = 0;
  for (;;) {
    const std::size_t comma = std::min(list.find(',', pos), list.size());
    const std::string item = trimmed(list.substr(pos, comma - pos));
    double number = 0;
    const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), number);
    if (item.empty() || ec != std::errc() || end != item.data() + item.size() ||
        !std::isfinite(number))
      throw InputError(quoted + ": '" + item + "' is not a finite number");
    if (levels.kind == ContourLevelKind::Mass && !(number > 0 && number < 1))
      throw InputError(quoted + ": a mass fraction must lie strictly between 0 and 1 (got " + item +
                       ")");
    if (levels.kind == ContourLevelKind::Sigma && !(number > 0))
      throw InputError(quoted + ": a sigma level must be > 0 (got " + item + ")");
    levels.numbers.push_back(number);
    if (levels.numbers.size() > kMaxContourLevels)
      throw InputError(quoted + ": more than " + std::to_string(kMaxContourLevels) + " levels");
    if (comma == list.size()) break;
    pos = comma + 1;
  }
  return levels;
}

double sigmaMassFraction(double n) {
  return -std::expm1(-n * n / 2);
}

std::vector<double> massLevels(const FloatImage& values, std::span<const double> fractions) {
  double total = 0;
  float largest = 0;
  for (std::size_t k = 0; k < values.pixels.size(); ++k) {
    const float v = values.pixels[k];
    if (v < 0) {
      const int i = int(k % std::size_t(values.width)), j = int(k / std::size_t(values.width));
      throw InputError("mass contour levels need values >= 0, but the sample at (" +
                       std::to_string(i) + ", " + std::to_string(j) +
                       ") is negative; give the levels as values instead");
    }
    total += v;
    largest = std::max(largest, v);
  }
  if (!(total > 0))
    throw InputError("mass contour levels need some positive values; every sample is 0");
  // The values in descending order decide, but sorting them all is O(n log n) (a second for
  // 4 million samples): bins of value give each level's bin in one pass, and only the values of
  // that bin are sorted. The result is the same as sorting everything.
  constexpr int kBins = 1 << 16;
  const auto binOf = [&](float v) {
    return std::min(kBins - 1, int(double(v) / double(largest) * kBins));
  };
  std::vector<double> bin_sums(kBins, 0.0);
  for (float v : values.pixels) bin_sums[std::size_t(binOf(v))] += v;
  std::vector<double> levels;
  for (double p : fractions) {
    const double target = p * total;
    double sum = 0;
    int bin = kBins - 1;
    while (bin > 0 && sum + bin_sums[std::size_t(bin)] < target)
      sum += bin_sums[std::size_t(bin--)];
    std::vector<float> in_bin;
    for (float v : values.pixels)
      if (binOf(v) == bin) in_bin.push_back(v);
    std::sort(in_bin.begin(), in_bin.end(), std::greater<float>());
    double level = in_bin.empty() ? 0.0 : double(in_bin.back());
    for (float v : in_bin) {
      sum += v;
      if (sum >= target) {
        level = v;
        break;
      }
    }
    levels.push_back(level);
  }
  return levels;
}

std::vector<Contour> computeContours(const FloatImage& values, const ContourLevels& levels,
                                     const SampleGrid& grid, int i0, int j0) {
  std::vector<Contour> contours(levels.numbers.size());
  if (levels.kind == ContourLevelKind::Value) {
    for (std::size_t k = 0; k < contours.size(); ++k) contours[k].level = levels.numbers[k];
  } else {
    std::vector<double> fractions;
    for (double n : levels.numbers)
      fractions.push_back(levels.kind == ContourLevelKind::Sigma ? sigmaMassFraction(n) : n);
    const std::vector<double> resolved = massLevels(values, fractions);
    for (std::size_t k = 0; k < contours.size(); ++k) {
      contours[k].level = resolved[k];
      contours[k].mass = fractions[k];
      if (levels.kind == ContourLevelKind::Sigma) contours[k].sigma = levels.numbers[k];
    }
  }
  for (Contour& contour : contours) {
    contour.lines = traceContours(values, contour.level);
    for (ContourLine& line : contour.lines)
      for (auto& p : line.points)
        p = {grid.extent().x0 + (p[0] + i0) * grid.indexStepX(),
             grid.extent().y0 + (p[1] + j0) * grid.indexStepY()};
  }
  return contours;
}

}  // namespace gaussmap
