#include "figure/figure.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "figure/raster.h"
#include "figure/ticks.h"
#include "gaussmap/colormap.h"
#include "gaussmap/image_io.h"

namespace gaussmap::figure {
namespace {

// Sizes in pixels (SVG user units), chosen for a figure about 1100 pixels wide: readable on a
// slide without scaling, as matplotlib's defaults are at 150 dpi.
constexpr double kPlotLongSide = 800;
constexpr double kPlotShortSideMin = 60;
constexpr double kTickFont = 20, kLabelFont = 22, kTitleFont = 28, kContourFont = 18;
constexpr double kTickLength = 8, kFrameWidth = 1.5, kContourWidth = 2.2, kKernelWidth = 1.6;
constexpr double kPad = 24;  // outer margin
constexpr double kBarGap = 30, kBarWidth = 34;
// DejaVu Sans: digits and capitals are 0.73 em tall; a baseline 0.365 em below a line centres
// them on it.
constexpr double kCapHeight = 0.73;
const Rgb8 kInk{34, 34, 34};
const Rgb8 kWhite{255, 255, 255};

enum class Anchor { Start, Middle, End };

struct TextItem {
  std::string text;
  double x = 0, y = 0;  // the anchor point on the baseline
  double size = kTickFont;
  Anchor anchor = Anchor::Start;
  bool vertical = false;  // turned 90 degrees counterclockwise, reading upwards
  Rgb8 colour = kInk;
  std::optional<Rgb8> halo;  // a soft outline that keeps it readable over the heat map
};

struct LineItem {
  std::vector<Point> points;
  Rgb8 colour = kInk;
  double width = kFrameWidth;
  bool closed = false;
  double dash = 0;
  bool clip = false;  // to the plot area
};

TextItem makeText(std::string s, double x, double y, double size, Anchor anchor = Anchor::Start,
                  bool vertical = false) {
  TextItem t;
  t.text = std::move(s);
  t.x = x;
  t.y = y;
  t.size = size;
  t.anchor = anchor;
  t.vertical = vertical;
  return t;
}

LineItem makeLine(std::vector<Point> points, Rgb8 colour, double width, bool closed = false,
                  double dash = 0, bool clip = false) {
  LineItem l;
  l.points = std::move(points);
  l.colour = colour;
  l.width = width;
  l.closed = closed;
  l.dash = dash;
  l.clip = clip;
  return l;
}

struct Rect {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

struct Layout {
  int width = 0, height = 0;
  Rect plot, bar;
  ValueMapping mapping;
  const Colormap* colormap = nullptr;
  // Scene coordinates at the plot's edges (cell edges: samples sit at the cells' centres).
  double x_left = 0, x_right = 1, y_top = 0, y_bottom = 1;
  std::vector<LineItem> lines;  // drawn in order, over the heat map and colorbar
  std::vector<TextItem> texts;  // drawn last
  std::vector<PlacedTick> x_ticks, y_ticks, bar_ticks;  // as labelled

  Point toPlot(const Point& p) const {
    return {plot.x0 + (p[0] - x_left) / (x_right - x_left) * plot.width(),
            plot.y0 + (p[1] - y_top) / (y_bottom - y_top) * plot.height()};
  }
};

Rgb8 haloFor(Rgb8 c) {
  const double luminance = 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b;
  return luminance > 110 ? Rgb8{0, 0, 0} : kWhite;
}

std::string contourLabel(const Contour& c) {
  char buffer[64];
  if (c.sigma) {
    std::snprintf(buffer, sizeof buffer, "%gσ", *c.sigma);
  } else if (c.mass) {
    std::snprintf(buffer, sizeof buffer, "%g%%", *c.mass * 100);
  } else {
    std::snprintf(buffer, sizeof buffer, "%.3g", c.level);
    std::string s = buffer;
    if (!s.empty() && s[0] == '-') s.replace(0, 1, "−");
    return s;
  }
  return buffer;
}

double maxWidth(Font& font, const TickSet& set, double size) {
  double w = 0;
  for (const Tick& t : set.ticks) w = std::max(w, font.width(t.label, size));
  return w;
}

Layout makeLayout(const FigureInput& in, Font& font) {
  Layout L;
  const SampleGrid grid = in.scene.grid();
  const SampleWindow& w = in.window;
  const auto sceneX = [&](double i) { return grid.extent().x0 + i * grid.indexStepX(); };
  const auto sceneY = [&](double j) { return grid.extent().y0 + j * grid.indexStepY(); };
  L.x_left = sceneX(w.i0 - 0.5);
  L.x_right = sceneX(w.i0 + w.width - 0.5);
  const double y_first = sceneY(w.j0 - 0.5), y_last = sceneY(w.j0 + w.height - 0.5);
  const bool upper = in.scene.display.origin == Origin::Upper;
  L.y_top = upper ? y_first : y_last;
  L.y_bottom = upper ? y_last : y_first;
  L.mapping = resolveValueMapping(in.scene.display, in.values.pixels);
  L.colormap = findColormap(in.scene.display.colormap);

  // The heat map at its true aspect, its longer side kPlotLongSide.
  const double aspect = std::abs(L.x_right - L.x_left) / std::abs(L.y_bottom - L.y_top);
  double pw = kPlotLongSide, ph = kPlotLongSide;
  if (aspect >= 1)
    ph = std::max(kPlotShortSideMin, std::round(kPlotLongSide / aspect));
  else
    pw = std::max(kPlotShortSideMin, std::round(kPlotLongSide * aspect));

  const TickSet xt = linearTicks(L.x_left, L.x_right, std::clamp(int(pw / 100), 3, 8));
  const TickSet yt = linearTicks(L.y_top, L.y_bottom, std::clamp(int(ph / 100), 3, 8));
  const TickSet ct = colorbarTicks(L.mapping);
  const std::string bar_label =
      in.options.colorbar_label ? *in.options.colorbar_label : defaultColorbarLabel(in.scene);

  const double ylabels_w = maxWidth(font, yt, kTickFont);
  const double left = std::round(kPad + kLabelFont + 10 + ylabels_w + 6 + kTickLength);
  double top = kPad + 6;
  if (!in.options.title.empty()) top += kTitleFont + 16;
  if (!ct.multiplier.empty() || !yt.multiplier.empty()) top = std::max(top, kPad + kTickFont + 14);
  top = std::round(top);
  L.plot = {left, top, left + pw, top + ph};
  L.bar = {L.plot.x1 + kBarGap, top, L.plot.x1 + kBarGap + kBarWidth, L.plot.y1};
  const double bar_labels_x = L.bar.x1 + kTickLength + 6;
  const double bar_title_x = bar_labels_x + maxWidth(font, ct, kTickFont) + 14 + 0.76 * kLabelFont;
  L.width = int(std::ceil(bar_label.empty() ? bar_labels_x + maxWidth(font, ct, kTickFont) + kPad
                                            : bar_title_x + 0.24 * kLabelFont + kPad));
  const double xtick_baseline = L.plot.y1 + kTickLength + 6 + kCapHeight * kTickFont;
  const double xlabel_baseline = xtick_baseline + 0.27 * kTickFont + 12 + 0.76 * kLabelFont;
  L.height = int(std::ceil(xlabel_baseline + 0.24 * kLabelFont + kPad));

  // Overlays first, clipped to the plot: contours, then the kernels' ellipses.
  for (const Contour& contour : in.overlays.contours) {
    const ContourLine* longest = nullptr;
    for (const ContourLine& line : contour.lines) {
      LineItem item = makeLine({}, in.overlays.contour_colour, kContourWidth, line.closed, 0, true);
      for (const Point& p : line.points) item.points.push_back(L.toPlot(p));
      L.lines.push_back(std::move(item));
      if (!longest || line.points.size() > longest->points.size()) longest = &line;
    }
    if (longest) {
      // The label beside the line's rightmost point (leftmost when that leaves the plot).
      Point right = L.toPlot(longest->points[0]), leftmost = right;
      for (const Point& p : longest->points) {
        const Point q = L.toPlot(p);
        if (q[0] > right[0]) right = q;
        if (q[0] < leftmost[0]) leftmost = q;
      }
      TextItem label = makeText(contourLabel(contour), right[0] + 6,
                                right[1] + 0.365 * kContourFont, kContourFont);
      if (label.x + font.width(label.text, kContourFont) > L.plot.x1 - 4) {
        label.x = leftmost[0] - 6;
        label.y = leftmost[1] + 0.365 * kContourFont;
        label.anchor = Anchor::End;
      }
      label.colour = in.overlays.contour_colour;
      label.halo = haloFor(in.overlays.contour_colour);
      L.texts.push_back(std::move(label));
    }
  }
  for (const Kernel& kernel : in.overlays.kernels) {
    LineItem item = makeLine({}, in.overlays.contour_colour, kKernelWidth, true, 7, true);
    for (const Point& p : kernelEllipse(kernel)) item.points.push_back(L.toPlot(p));
    L.lines.push_back(std::move(item));
  }

  // The frame and the ticks.
  const Rect& p = L.plot;
  L.lines.push_back(
      makeLine({{p.x0, p.y0}, {p.x1, p.y0}, {p.x1, p.y1}, {p.x0, p.y1}}, kInk, kFrameWidth, true));
  for (const Tick& t : xt.ticks) {
    const double x = L.toPlot({t.value, 0})[0];
    L.lines.push_back(makeLine({{x, p.y1}, {x, p.y1 + kTickLength}}, kInk, kFrameWidth));
    L.texts.push_back(makeText(t.label, x, xtick_baseline, kTickFont, Anchor::Middle));
    L.x_ticks.push_back({x, t.label});
  }
  for (const Tick& t : yt.ticks) {
    const double y = L.toPlot({0, t.value})[1];
    L.lines.push_back(makeLine({{p.x0, y}, {p.x0 - kTickLength, y}}, kInk, kFrameWidth));
    L.texts.push_back(
        makeText(t.label, p.x0 - kTickLength - 6, y + 0.365 * kTickFont, kTickFont, Anchor::End));
    L.y_ticks.push_back({y, t.label});
  }
  if (!xt.multiplier.empty())
    L.texts.push_back(makeText(xt.multiplier, p.x1, xlabel_baseline, kTickFont, Anchor::End));
  if (!yt.multiplier.empty())
    L.texts.push_back(makeText(yt.multiplier, p.x0, p.y0 - 10, kTickFont, Anchor::Start));
  L.texts.push_back(makeText("x", (p.x0 + p.x1) / 2, xlabel_baseline, kLabelFont, Anchor::Middle));
  L.texts.push_back(makeText("y", p.x0 - kTickLength - 6 - ylabels_w - 10 - 0.24 * kLabelFont,
                             (p.y0 + p.y1) / 2, kLabelFont, Anchor::Middle, true));
  if (!in.options.title.empty())
    L.texts.push_back(makeText(in.options.title, (p.x0 + p.x1) / 2, kPad + 0.76 * kTitleFont,
                               kTitleFont, Anchor::Middle));

  // The colorbar: contour levels across it, its frame, ticks on the colour scale.
  const Rect& b = L.bar;
  const auto barY = [&](double value) { return b.y1 - L.mapping.position(value) * b.height(); };
  for (const Contour& contour : in.overlays.contours)
    L.lines.push_back(makeLine({{b.x0, barY(contour.level)}, {b.x1, barY(contour.level)}},
                               in.overlays.contour_colour, kContourWidth));
  L.lines.push_back(
      makeLine({{b.x0, b.y0}, {b.x1, b.y0}, {b.x1, b.y1}, {b.x0, b.y1}}, kInk, kFrameWidth, true));
  double last_label_y = 1e300;
  for (auto it = ct.ticks.begin(); it != ct.ticks.end(); ++it) {
    const double pos = L.mapping.position(it->value);
    if (pos < -1e-9 || pos > 1 + 1e-9) continue;
    const double y = barY(it->value);
    const bool major = !it->label.empty();
    L.lines.push_back(makeLine({{b.x1, y}, {b.x1 + (major ? kTickLength : kTickLength * 0.55), y}},
                               kInk, kFrameWidth));
    // Labels closer than a line apart (sqrt's top) keep the lower one.
    if (major && last_label_y - y >= kTickFont * 1.1) {
      L.texts.push_back(makeText(it->label, bar_labels_x, y + 0.365 * kTickFont, kTickFont));
      L.bar_ticks.push_back({y, it->label});
      last_label_y = y;
    }
  }
  if (!ct.multiplier.empty())
    L.texts.push_back(makeText(ct.multiplier, b.x0, b.y0 - 10, kTickFont, Anchor::Start));
  if (!bar_label.empty())
    L.texts.push_back(
        makeText(bar_label, bar_title_x, (b.y0 + b.y1) / 2, kLabelFont, Anchor::Middle, true));
  return L;
}

// --- PNG ---

// The value at fractional sample (fi, fj) of the values, bilinear, clamped at the border.
double bilinear(const FloatImage& v, double fi, double fj) {
  fi = std::clamp(fi, 0.0, double(v.width - 1));
  fj = std::clamp(fj, 0.0, double(v.height - 1));
  const int i0 = std::min(int(fi), std::max(0, v.width - 2)),
            j0 = std::min(int(fj), std::max(0, v.height - 2));
  const int i1 = std::min(i0 + 1, v.width - 1), j1 = std::min(j0 + 1, v.height - 1);
  const double u = fi - i0, w = fj - j0;
  return (1 - w) * ((1 - u) * v.at(i0, j0) + u * v.at(i1, j0)) +
         w * ((1 - u) * v.at(i0, j1) + u * v.at(i1, j1));
}

void drawHeatMap(RgbImage& image, const Layout& L, const FigureInput& in) {
  const FloatImage& v = in.values;
  const Rect& p = L.plot;
  const bool lower = in.scene.display.origin == Origin::Lower;
  // Samples per pixel; more than one averages k x k bilinear samples per pixel.
  const int k = int(std::ceil(std::max(v.width / p.width(), v.height / p.height())));
  for (int py = int(p.y0); py < int(p.y1); ++py)
    for (int px = int(p.x0); px < int(p.x1); ++px) {
      double sum = 0;
      for (int sy = 0; sy < k; ++sy)
        for (int sx = 0; sx < k; ++sx) {
          const double u = (px - p.x0 + (sx + 0.5) / k) / p.width();
          const double t = (py - p.y0 + (sy + 0.5) / k) / p.height();
          const double fi = u * v.width - 0.5;
          const double fj_shown = t * v.height - 0.5;
          sum += bilinear(v, fi, lower ? v.height - 1 - fj_shown : fj_shown);
        }
      image.at(px, py) = colorAt(*L.colormap, L.mapping.position(sum / (k * k)));
    }
  const Rect& b = L.bar;
  for (int py = int(b.y0); py < int(b.y1); ++py) {
    const Rgb8 c = colorAt(*L.colormap, 1 - (py + 0.5 - b.y0) / b.height());
    for (int px = int(b.x0); px < int(b.x1); ++px) image.at(px, py) = c;
  }
}

void drawText(Raster& raster, Font& font, const TextItem& t) {
  const TextMask mask = font.render(t.text, t.size);
  const double advance = font.width(t.text, t.size);
  const double shift = t.anchor == Anchor::Start    ? 0
                       : t.anchor == Anchor::Middle ? advance / 2
                                                    : advance;
  // Mask pixel (u, v) to the image: along the text, and down from its top.
  const auto place = [&](int u, int v) -> std::array<int, 2> {
    if (!t.vertical)
      return {int(std::lround(t.x - shift)) + u, int(std::lround(t.y)) - mask.baseline + v};
    return {int(std::lround(t.x)) - mask.baseline + v, int(std::lround(t.y + shift)) - u};
  };
  const auto alphaAt = [&](int u, int v) -> double {
    if (u < 0 || v < 0 || u >= mask.width || v >= mask.height) return 0;
    return mask.alpha[std::size_t(v) * mask.width + u] / 255.0;
  };
  if (t.halo) {
    constexpr int r = 2;
    for (int v = -r; v < mask.height + r; ++v)
      for (int u = -r; u < mask.width + r; ++u) {
        double a = 0;
        for (int dv = -r; dv <= r; ++dv)
          for (int du = -r; du <= r; ++du)
            if (du * du + dv * dv <= r * r + 1) a = std::max(a, alphaAt(u + du, v + dv));
        const auto [x, y] = place(u, v);
        raster.blend(x, y, *t.halo, 0.55 * a);
      }
  }
  for (int v = 0; v < mask.height; ++v)
    for (int u = 0; u < mask.width; ++u) {
      const auto [x, y] = place(u, v);
      raster.blend(x, y, t.colour, alphaAt(u, v));
    }
}

// --- SVG ---

std::string base64(const std::string& bytes) {
  static const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t k = 0; k < bytes.size(); k += 3) {
    const unsigned n =
        (unsigned(static_cast<unsigned char>(bytes[k])) << 16) |
        (k + 1 < bytes.size() ? unsigned(static_cast<unsigned char>(bytes[k + 1])) << 8 : 0) |
        (k + 2 < bytes.size() ? unsigned(static_cast<unsigned char>(bytes[k + 2])) : 0);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += k + 1 < bytes.size() ? table[(n >> 6) & 63] : '=';
    out += k + 2 < bytes.size() ? table[n & 63] : '=';
  }
  return out;
}

std::string escapeXml(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // Control characters are not allowed in XML 1.0 text.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') out += c;
    }
  }
  return out;
}

std::string num(double v) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", v);
  std::string s = buffer;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s == "-0" ? "0" : s;
}

std::string hex(Rgb8 c) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", c.r, c.g, c.b);
  return buffer;
}

std::string imageElement(const Rect& r, const RgbImage& image) {
  return "<image x=\"" + num(r.x0) + "\" y=\"" + num(r.y0) + "\" width=\"" + num(r.width()) +
         "\" height=\"" + num(r.height()) +
         "\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64," +
         base64(encodePng(image)) + "\"/>\n";
}

}  // namespace

std::string defaultColorbarLabel(const Scene& scene) {
  if (scene.combine == Combine::Union) return "probability (union)";
  std::string base = scene.normalize == Normalize::Pdf    ? "density"
                     : scene.normalize == Normalize::Cell ? "mass per cell"
                                                          : "value";
  return scene.combine == Combine::Max ? "max " + base : base;
}

FigureGeometry figureGeometry(const FigureInput& in, Font& font) {
  const Layout L = makeLayout(in, font);
  FigureGeometry g;
  g.width = L.width;
  g.height = L.height;
  g.plot_x0 = L.plot.x0;
  g.plot_y0 = L.plot.y0;
  g.plot_width = L.plot.width();
  g.plot_height = L.plot.height();
  g.bar_x0 = L.bar.x0;
  g.bar_y0 = L.bar.y0;
  g.bar_width = L.bar.width();
  g.bar_height = L.bar.height();
  g.x_ticks = L.x_ticks;
  g.y_ticks = L.y_ticks;
  g.bar_ticks = L.bar_ticks;
  return g;
}

RgbImage figurePng(const FigureInput& in, Font& font) {
  const Layout L = makeLayout(in, font);
  RgbImage image(L.width, L.height, kWhite);
  drawHeatMap(image, L, in);
  Raster raster(image);
  for (const LineItem& line : L.lines) {
    if (line.clip)
      raster.setClip(int(L.plot.x0), int(L.plot.y0), int(L.plot.x1), int(L.plot.y1));
    else
      raster.clearClip();
    raster.strokePolyline(line.points, line.colour, line.width, line.closed, line.dash);
  }
  raster.clearClip();
  for (const TextItem& text : L.texts) drawText(raster, font, text);
  return image;
}

std::string figureSvg(const FigureInput& in, Font& font) {
  const Layout L = makeLayout(in, font);
  std::string s = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  s += "<svg xmlns=\"http://www.w3.org/2000/svg\" "
       "xmlns:xlink=\"http://www.w3.org/1999/xlink\" width=\"" +
       std::to_string(L.width) + "\" height=\"" + std::to_string(L.height) + "\" viewBox=\"0 0 " +
       std::to_string(L.width) + " " + std::to_string(L.height) +
       "\" font-family=\"DejaVu Sans, Bitstream Vera Sans, Verdana, sans-serif\">\n";
  s += "<title>" + escapeXml(in.options.title.empty() ? in.scene.name : in.options.title) +
       "</title>\n";
  s += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n";
  s += "<clipPath id=\"plot\"><rect x=\"" + num(L.plot.x0) + "\" y=\"" + num(L.plot.y0) +
       "\" width=\"" + num(L.plot.width()) + "\" height=\"" + num(L.plot.height()) +
       "\"/></clipPath>\n";
  // The heat map as rendered (one pixel per sample, as the PNG output shows it), and the
  // colorbar's 256 colours, stretched over their rectangles.
  s += imageElement(L.plot,
                    applyColormap(in.values, L.mapping, *L.colormap, in.scene.display.origin));
  RgbImage bar(1, 256);
  for (int k = 0; k < 256; ++k) bar.at(0, k) = colorAt(*L.colormap, 1 - (k + 0.5) / 256);
  s += imageElement(L.bar, bar);
  for (const LineItem& line : L.lines) {
    s += line.closed ? "<polygon" : "<polyline";
    s += " fill=\"none\" stroke=\"" + hex(line.colour) + "\" stroke-width=\"" + num(line.width) +
         "\" stroke-linejoin=\"round\"";
    if (line.dash > 0) s += " stroke-dasharray=\"" + num(line.dash) + "\"";
    if (line.clip) s += " clip-path=\"url(#plot)\"";
    s += " points=\"";
    const std::size_t n =
        line.closed && line.points.size() > 1 && line.points.front() == line.points.back()
            ? line.points.size() - 1
            : line.points.size();
    for (std::size_t k = 0; k < n; ++k) {
      if (k) s += ' ';
      s.append(num(line.points[k][0])).append(",").append(num(line.points[k][1]));
    }
    s += "\"/>\n";
  }
  for (const TextItem& t : L.texts) {
    s += "<text x=\"" + num(t.x) + "\" y=\"" + num(t.y) + "\" font-size=\"" + num(t.size) +
         "\" fill=\"" + hex(t.colour) + "\"";
    if (t.anchor != Anchor::Start)
      s += t.anchor == Anchor::Middle ? " text-anchor=\"middle\"" : " text-anchor=\"end\"";
    if (t.vertical) s += " transform=\"rotate(-90 " + num(t.x) + " " + num(t.y) + ")\"";
    if (t.halo)
      s += " stroke=\"" + hex(*t.halo) +
           "\" stroke-opacity=\"0.55\" stroke-width=\"3\" paint-order=\"stroke\"";
    s.append(">").append(escapeXml(t.text)).append("</text>\n");
  }
  s += "</svg>\n";
  return s;
}

}  // namespace gaussmap::figure
