#include "figures/sweep_figure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "figures/axis_ticks.hpp"
#include "figures/legend.hpp"
#include "figures/svg_document.hpp"

namespace syn::dsl::figures {
namespace {

constexpr double plot_bottom = 400;
constexpr double figure_height = 450;

}  // namespace

std::string sweep_svg(const sweep_data& data) {
  svg_document svg(fmt::format("rate against {}", data.parameter), figure_height);
  // Each series is drawn in the order of the values, whatever order the runs came in.
  std::vector<std::size_t> order;
  double low = INFINITY, high = -INFINITY, highest_rate = 0, lowest_rate = 0;
  for (std::size_t i = 0; i < data.values.size(); ++i) {
    if (!std::isfinite(data.values[i])) continue;
    order.push_back(i);
    low = std::min(low, data.values[i]);
    high = std::max(high, data.values[i]);
  }
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return data.values[a] < data.values[b]; });
  for (const sweep_series& series : data.series)
    for (const double rate : series.rates)
      if (std::isfinite(rate)) {
        highest_rate = std::max(highest_rate, rate);
        lowest_rate = std::min(lowest_rate, rate);
      }
  if (order.empty()) svg.note("no runs");
  if (data.series.empty()) svg.note("no populations");

  const double pad = order.size() > 1 ? 0.04 * (high - low) : 0;
  const scale x = scale_over(low - pad, high + pad, plot_left, plot_right);
  const scale y =
      scale_over(lowest_rate, highest_rate > 0 ? highest_rate * 1.1 : 1, plot_bottom, plot_top);

  std::vector<legend_entry> legend;
  for (std::size_t si = 0; si < data.series.size(); ++si) {
    const sweep_series& series = data.series[si];
    std::string line, points;
    for (const std::size_t i : order) {
      if (i >= series.rates.size() || !std::isfinite(series.rates[i])) continue;
      const double px = x(data.values[i]), py = y(series.rates[i]);
      line += fmt::format("{}{},{}", line.empty() ? "" : " ", num(px), num(py));
      points += fmt::format(R"(<circle class="point" cx="{}" cy="{}" r="3.5"/>)", num(px), num(py));
    }
    svg.raw(fmt::format(
        R"(<g data-population="{0}" fill="{1}"><polyline class="series" points="{2}" fill="none" stroke="{1}" stroke-width="1.5"/>{3}</g>)",
        escaped(series.name), colour(si), line, points));
    legend.push_back({series.name, colour(si)});
  }

  const std::string label =
      data.unit.empty() ? data.parameter : fmt::format("{} ({})", data.parameter, data.unit);
  draw_axis(svg, y, axis_side::left, plot_left, "rate (Hz)");
  draw_axis(svg, x, axis_side::bottom, plot_bottom, label);
  draw_legend(svg, legend_left, plot_top + 10, legend);
  return svg.finish();
}

}  // namespace syn::dsl::figures
