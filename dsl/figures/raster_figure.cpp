#include "figures/raster_figure.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "figures/axis_ticks.hpp"
#include "figures/legend.hpp"
#include "figures/svg_document.hpp"

namespace syn::dsl::figures {
namespace {

// A mark is about 40 bytes: 20,000 keep a file under 1 MB. Beyond, at most 16,000 cells of
// about 90 bytes each, 1.5 MB: up to 200 columns × 80 rows (fewer columns for more rows; more
// cells only with more than 16,000 groups, one cell each).
constexpr std::size_t mark_limit = 20000;
constexpr double most_cells = 16000;
constexpr double density_columns = 200;
constexpr double density_rows = 80;
constexpr int rate_bins = 100;

constexpr double raster_bottom = 350;
constexpr double rate_top = 410;
constexpr double rate_bottom = 540;
constexpr double figure_height = 590;

std::size_t spike_count(const raster_group& g) {
  return std::min(g.times.size(), g.indices.size());
}

bool shown(const raster_data& data, const raster_group& g, std::size_t i) {
  return g.indices[i] < g.size && time_window{data.from, data.to}.contains(g.times[i]);
}

double cell_rows(const raster_data& data, double neurons_per_cell) {
  double rows = 0;
  for (const raster_group& g : data.groups) rows += std::ceil(g.size / neurons_per_cell);
  return rows;
}

// The round number of neurons per cell (1, 2, 5, 10, …) that stacks at most density_rows rows
// of cells, or puts each group in one row.
double neurons_per_cell(const raster_data& data) {
  std::uint32_t largest = 1;
  for (const raster_group& g : data.groups) largest = std::max(largest, g.size);
  double neurons = 1;
  for (int k = 0; cell_rows(data, neurons) > density_rows && neurons < largest; ++k)
    neurons = std::array{2.0, 5.0, 10.0}[k % 3] * std::pow(10.0, k / 3);
  return neurons;
}

// Cells of `step` ms × `neurons` rows, each of opacity in proportion to its count; data-n holds
// the count.
void draw_density(svg_document& svg, const raster_data& data, const scale& x, const scale& y,
                  const std::vector<double>& first_row, std::size_t total) {
  const double neurons = neurons_per_cell(data);
  const double step = round_step(
      x.high - x.low,
      static_cast<int>(std::clamp(most_cells / cell_rows(data, neurons), 1.0, density_columns)));
  const auto columns =
      static_cast<std::size_t>(std::max(1.0, std::ceil((x.high - x.low) / step - 1e-9)));
  std::vector<std::vector<std::uint32_t>> counts(data.groups.size());
  std::uint32_t most = 1;
  for (std::size_t gi = 0; gi < data.groups.size(); ++gi) {
    const raster_group& g = data.groups[gi];
    counts[gi].assign(static_cast<std::size_t>(std::ceil(g.size / neurons)) * columns, 0);
    for (std::size_t i = 0; i < spike_count(g); ++i) {
      if (!shown(data, g, i)) continue;
      const auto column = std::min(
          columns - 1, static_cast<std::size_t>(std::max(0.0, (g.times[i] - x.low) / step)));
      const auto row = static_cast<std::size_t>(g.indices[i] / neurons);
      most = std::max(most, ++counts[gi][row * columns + column]);
    }
  }
  for (std::size_t gi = 0; gi < data.groups.size(); ++gi) {
    const raster_group& g = data.groups[gi];
    svg.raw(fmt::format(R"(<g data-population="{}" fill="{}">)", escaped(g.name), colour(gi)));
    for (std::size_t cell = 0; cell < counts[gi].size(); ++cell) {
      const std::uint32_t n = counts[gi][cell];
      if (n == 0) continue;
      const double row = static_cast<double>(cell / columns) * neurons;
      const double t = x.low + static_cast<double>(cell % columns) * step;
      const double top = y(first_row[gi] + row);
      const double bottom = y(first_row[gi] + std::min(row + neurons, static_cast<double>(g.size)));
      svg.raw(fmt::format(
          R"(<rect class="density" x="{}" y="{}" width="{}" height="{}" fill-opacity="{:.3g}" data-n="{}"/>)",
          num(x(t)), num(top), num(x(std::min(t + step, x.high)) - x(t)), num(bottom - top),
          static_cast<double>(n) / most, n));
    }
    svg.raw("</g>");
  }
  svg.note(fmt::format("{} spikes shown as density in cells of {} ms \xC3\x97 {:.0f} neuron{}",
                       grouped(total), tick_label(step, decimals_of(step)), neurons,
                       neurons == 1 ? "" : "s"));
}

// One short vertical line per spike, centred on its row.
void draw_marks(svg_document& svg, const raster_data& data, const scale& x, const scale& y,
                const std::vector<double>& first_row) {
  const double row_height = std::abs(y(1) - y(0));
  const double height = std::clamp(row_height * 0.8, 1.0, 8.0);
  for (std::size_t gi = 0; gi < data.groups.size(); ++gi) {
    const raster_group& g = data.groups[gi];
    svg.raw(fmt::format(R"(<g data-population="{}" stroke="{}">)", escaped(g.name), colour(gi)));
    for (std::size_t i = 0; i < spike_count(g); ++i)
      if (shown(data, g, i))
        svg.raw(fmt::format(R"(<path class="spike" d="M{} {}v{}"/>)", num(x(g.times[i])),
                            num(y(first_row[gi] + g.indices[i] + 0.5) - height / 2), num(height)));
    svg.raw("</g>");
  }
}

// Each group's rate in Hz per neuron, as steps over round bins: the groups the legend names.
void draw_rates(svg_document& svg, const raster_data& data, const scale& x) {
  const double step = round_step(x.high - x.low, rate_bins);
  const auto bins =
      static_cast<std::size_t>(std::max(1.0, std::ceil((x.high - x.low) / step - 1e-9)));
  const std::size_t drawn = std::min(data.groups.size(), legend_rows);
  if (drawn < data.groups.size())
    svg.note(fmt::format("rates of the first {} of {} groups", drawn, data.groups.size()));
  std::vector<std::vector<double>> rates(drawn, std::vector<double>(bins, 0.0));
  double highest = 0;
  for (std::size_t gi = 0; gi < drawn; ++gi) {
    const raster_group& g = data.groups[gi];
    if (g.size == 0) continue;
    for (std::size_t i = 0; i < spike_count(g); ++i)
      if (shown(data, g, i))
        rates[gi][std::min(
            bins - 1, static_cast<std::size_t>(std::max(0.0, (g.times[i] - x.low) / step)))] += 1;
    for (std::size_t b = 0; b < bins; ++b) {
      const double start = x.low + static_cast<double>(b) * step;
      const double width_s = (std::min(start + step, x.high) - start) / 1000;
      rates[gi][b] /= g.size * width_s;
      highest = std::max(highest, rates[gi][b]);
    }
  }
  const scale y = scale_over(0, highest > 0 ? highest * 1.1 : 1, rate_bottom, rate_top);
  for (std::size_t gi = 0; gi < drawn; ++gi) {
    if (data.groups[gi].size == 0) continue;
    std::string points;
    for (std::size_t b = 0; b < bins; ++b) {
      const double start = x.low + static_cast<double>(b) * step;
      const double ry = y(rates[gi][b]);
      points += fmt::format("{}{},{} {},{}", b == 0 ? "" : " ", num(x(start)), num(ry),
                            num(x(std::min(start + step, x.high))), num(ry));
    }
    svg.raw(fmt::format(
        R"(<polyline class="rate" data-population="{}" points="{}" fill="none" stroke="{}" stroke-width="1.5"/>)",
        escaped(data.groups[gi].name), points, colour(gi)));
  }
  svg.text(plot_left + 4, rate_top - 6, "caption",
           fmt::format("population rate in bins of {} ms", tick_label(step, decimals_of(step))));
  draw_axis(svg, y, axis_side::left, plot_left, "rate (Hz)");
  draw_axis(svg, x, axis_side::bottom, rate_bottom, "time (ms)");
}

}  // namespace

std::string raster_svg(const raster_data& data) {
  svg_document svg(data.title, figure_height);
  const scale x = scale_over(data.from, data.to, plot_left, plot_right);
  if (!time_window{data.from, data.to}.has_span()) svg.note("empty time range");

  std::vector<double> first_row;
  double rows = 0;
  std::size_t total = 0;
  std::vector<legend_entry> legend;
  for (std::size_t gi = 0; gi < data.groups.size(); ++gi) {
    const raster_group& g = data.groups[gi];
    first_row.push_back(rows);
    rows += g.size;
    for (std::size_t i = 0; i < spike_count(g); ++i) total += shown(data, g, i);
    legend.push_back({g.is_train ? g.name + " (train)" : g.name, colour(gi)});
  }
  // Row 0 at the top: groups read down in the order they were declared.
  const scale y = rows > 0 ? scale{0, rows, plot_top, raster_bottom}
                           : scale_over(0, 1, plot_top, raster_bottom);
  if (rows == 0) svg.note("no neurons");
  if (total == 0) svg.note("no spikes");

  if (total > mark_limit)
    draw_density(svg, data, x, y, first_row, total);
  else
    draw_marks(svg, data, x, y, first_row);
  // Index i at the middle of its row, where its marks are.
  const scale index{y.low - 0.5, y.high - 0.5, y.from, y.to};
  draw_axis(svg, index, axis_side::left, plot_left, "neuron", true);
  draw_axis(svg, x, axis_side::bottom, raster_bottom, "");
  draw_rates(svg, data, x);
  draw_legend(svg, legend_left, plot_top + 10, legend);
  return svg.finish();
}

}  // namespace syn::dsl::figures
