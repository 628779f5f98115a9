#include "figures/trace_figure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "figures/axis_ticks.hpp"
#include "figures/legend.hpp"
#include "figures/svg_document.hpp"

namespace syn::dsl::figures {
namespace {

constexpr double plot_bottom = 400;
constexpr double figure_height = 450;
// More points than this per pixel column draw nothing more, only a larger file.
constexpr double points_per_column = 4;

struct point {
  double t, v;
};

// The finite samples, in time order.
std::vector<point> samples_of(const trace_data& trace) {
  std::vector<point> points;
  for (std::size_t i = 0; i < std::min(trace.times.size(), trace.v.size()); ++i)
    if (std::isfinite(trace.times[i]) && std::isfinite(trace.v[i]))
      points.push_back({trace.times[i], trace.v[i]});
  return points;
}

// The samples within [from, to] and, where there are, the one before and the one after, so that
// the line reaches the plot's edges (the clip path cuts what lies beyond).
std::vector<point> window_of(const std::vector<point>& points, double from, double to) {
  const auto before = [](const point& p, double t) { return p.t < t; };
  const auto after = [](double t, const point& p) { return t < p.t; };
  auto first = std::lower_bound(points.begin(), points.end(), from, before);
  auto last = std::upper_bound(points.begin(), points.end(), to, after);
  if (first != points.begin() && first != points.end()) --first;
  if (last != points.end() && last != points.begin()) ++last;
  return first < last ? std::vector<point>(first, last) : std::vector<point>{};
}

// V at time t, linear between samples, the nearest sample's outside them.
double interpolated_v(const std::vector<point>& points, double t) {
  const auto next = std::lower_bound(points.begin(), points.end(), t,
                                     [](const point& p, double time) { return p.t < time; });
  if (next == points.begin()) return next->v;
  if (next == points.end()) return points.back().v;
  const point& a = *(next - 1);
  const point& b = *next;
  return b.t > a.t ? a.v + (b.v - a.v) * (t - a.t) / (b.t - a.t) : b.v;
}

// Each pixel column's first, lowest, highest and last point, in time order.
std::vector<point> thinned(const std::vector<point>& points, const scale& x) {
  std::vector<point> kept;
  for (std::size_t start = 0; start < points.size();) {
    const double column = std::floor(x(points[start].t));
    std::size_t end = start, low = start, high = start;
    for (; end < points.size() && std::floor(x(points[end].t)) == column; ++end) {
      if (points[end].v < points[low].v) low = end;
      if (points[end].v > points[high].v) high = end;
    }
    std::vector<std::size_t> picks = {start, low, high, end - 1};
    std::sort(picks.begin(), picks.end());
    picks.erase(std::unique(picks.begin(), picks.end()), picks.end());
    for (const std::size_t i : picks) kept.push_back(points[i]);
    start = end;
  }
  return kept;
}

// The distinct finite values of a field over the traces shown, each drawn once as a dashed line.
std::vector<double> levels(const traces_data& data, std::size_t shown, double trace_data::*field) {
  std::vector<double> values;
  for (std::size_t ti = 0; ti < shown; ++ti)
    if (std::isfinite(data.traces[ti].*field)) values.push_back(data.traces[ti].*field);
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return values;
}

void draw_levels(svg_document& svg, const std::vector<double>& values, std::string_view name,
                 const scale& y) {
  for (const double value : values) {
    svg.raw(fmt::format(
        R"(<path class="{}" d="M{} {}H{}" stroke="#777" stroke-dasharray="6 4" fill="none"/>)",
        name, num(plot_left), num(y(value)), num(plot_right)));
    const std::string label =
        values.size() == 1 ? std::string(name) : fmt::format("{} {} mV", name, num(value));
    svg.text(plot_right - 4, y(value) - 4, "line-label", label, "end", R"(fill="#555")");
  }
}

}  // namespace

std::string traces_svg(const traces_data& data) {
  svg_document svg(data.title, figure_height);
  const scale x = scale_over(data.from, data.to, plot_left, plot_right);
  const time_window window{data.from, data.to};
  if (!window.has_span()) svg.note("empty time range");
  if (data.traces.empty()) svg.note("no traces");
  const std::size_t shown = std::min(data.traces.size(), legend_rows);
  if (shown < data.traces.size())
    svg.note(fmt::format("the first {} of {} traces", shown, data.traces.size()));

  std::vector<std::vector<point>> samples, drawn;
  double low = INFINITY, high = -INFINITY;
  for (std::size_t ti = 0; ti < shown; ++ti) {
    samples.push_back(samples_of(data.traces[ti]));
    drawn.push_back(window.valid() ? window_of(samples.back(), x.low, x.high)
                                   : std::vector<point>{});
    for (const point& p : drawn.back()) {
      low = std::min(low, p.v);
      high = std::max(high, p.v);
    }
  }
  const std::vector<double> thresholds = levels(data, shown, &trace_data::threshold);
  const std::vector<double> rests = levels(data, shown, &trace_data::rest);
  for (const std::vector<double>* values : {&thresholds, &rests})
    for (const double value : *values) {
      low = std::min(low, value);
      high = std::max(high, value);
    }
  const double pad = std::isfinite(high - low) ? 0.05 * (high - low) : 0;
  const scale y = scale_over(low - pad, high + pad, plot_bottom, plot_top);

  svg.raw(fmt::format(
      R"(<clipPath id="plot-area"><rect x="{}" y="{}" width="{}" height="{}"/></clipPath>)",
      num(plot_left), num(plot_top), num(plot_right - plot_left), num(plot_bottom - plot_top)));
  draw_levels(svg, thresholds, "threshold", y);
  draw_levels(svg, rests, "rest", y);

  std::vector<legend_entry> legend;
  const double most_points = points_per_column * (plot_right - plot_left);
  svg.raw(R"x(<g clip-path="url(#plot-area)" fill="none" stroke-width="1.5">)x");
  for (std::size_t ti = 0; ti < shown; ++ti) {
    const trace_data& trace = data.traces[ti];
    std::vector<point> points = drawn[ti];
    if (static_cast<double>(points.size()) > most_points) {
      points = thinned(points, x);
      svg.note(
          fmt::format("{}: {} points drawn as {} (the first, lowest, highest and last of "
                      "each pixel column)",
                      trace.label, grouped(drawn[ti].size()), grouped(points.size())));
    }
    std::string coordinates;
    for (const point& p : points)
      coordinates +=
          fmt::format("{}{},{}", coordinates.empty() ? "" : " ", num(x(p.t)), num(y(p.v)));
    svg.raw(fmt::format(R"(<polyline class="trace" data-label="{}" points="{}" stroke="{}"/>)",
                        escaped(trace.label), coordinates, colour(ti)));
    legend.push_back({trace.label, colour(ti)});
  }
  svg.raw("</g>");

  bool any_spike = false, any_input = false;
  for (std::size_t ti = 0; ti < shown; ++ti) {
    const trace_data& trace = data.traces[ti];
    const double spike_y = std::isfinite(trace.threshold) ? y(trace.threshold) : plot_top;
    for (const double t : trace.spikes) {
      if (!window.contains(t)) continue;
      any_spike = true;
      svg.raw(fmt::format(R"(<circle class="spike-marker" cx="{}" cy="{}" r="3" fill="{}"/>)",
                          num(x(t)), num(spike_y), colour(ti)));
    }
    if (samples[ti].empty()) continue;
    for (const double t : trace.inputs) {
      if (!window.contains(t)) continue;
      any_input = true;
      svg.raw(fmt::format(R"(<path class="arrival" d="M{} {}l-4 7h8z" fill="{}"/>)", num(x(t)),
                          num(std::clamp(y(interpolated_v(samples[ti], t)), plot_top, plot_bottom)),
                          colour(ti)));
    }
  }
  if (any_spike) legend.push_back({"spike", palette.back(), legend_mark::dot});
  if (any_input) legend.push_back({"input arrival", palette.back(), legend_mark::triangle});

  draw_axis(svg, y, axis_side::left, plot_left, "V (mV)");
  draw_axis(svg, x, axis_side::bottom, plot_bottom, "time (ms)");
  draw_legend(svg, legend_left, plot_top + 10, legend);
  return svg.finish();
}

}  // namespace syn::dsl::figures
