#include "tools/terminal_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace syn::dsl {
namespace {

// The column of time t in a box of `width` columns over [t0, t1].
int column_of(double t, double t0, double t1, int width) {
  if (!(t1 > t0)) return 0;
  return std::clamp(static_cast<int>(std::lround((t - t0) / (t1 - t0) * (width - 1))), 0,
                    width - 1);
}

std::string time_axis(double t0, double t1, int width, int indent) {
  const std::string from = fmt::format("{}", t0);
  return fmt::format("{:>{}}{:<{}}{} ms\n", "", indent, from,
                     std::max(width - 6, static_cast<int>(from.size()) + 1), fmt::format("{}", t1));
}

}  // namespace

std::string plot_traces(const figures::traces_data& data, int width, int height) {
  const figures::trace_data& first = data.traces.front();
  const double threshold = first.threshold, rest = first.rest;
  const bool lines = !std::isnan(threshold) && !std::isnan(rest);
  double low = lines ? std::min(threshold, rest) : first.v.front();
  double high = lines ? std::max(threshold, rest) : first.v.front();
  for (const figures::trace_data& trace : data.traces)
    for (const double v : trace.v) {
      low = std::min(low, v);
      high = std::max(high, v);
    }
  const double t0 = data.from, t1 = data.to;
  const double pad = 0.05 * (high - low) + 1e-9;
  low -= pad;
  high += pad;
  const auto row_of = [&](double v) {
    return std::clamp(static_cast<int>(std::lround((high - v) / (high - low) * (height - 1))), 0,
                      height - 1);
  };
  const auto cell = [](std::vector<std::string>& grid, int r, int c) -> char& {
    return grid[static_cast<std::size_t>(r)][static_cast<std::size_t>(c)];
  };
  std::vector<std::string> grid(static_cast<std::size_t>(height),
                                std::string(static_cast<std::size_t>(width), ' '));
  if (lines)
    for (int c = 0; c < width; ++c) {
      cell(grid, row_of(rest), c) = '.';
      cell(grid, row_of(threshold), c) = '-';
    }
  // Consecutive points joined by a vertical run, so that a jump reads as one.
  std::string inputs(static_cast<std::size_t>(width), ' ');
  for (std::size_t trace = 0; trace < data.traces.size(); ++trace) {
    const figures::trace_data& t = data.traces[trace];
    for (std::size_t i = 0; i < t.times.size(); ++i) {
      const int c = column_of(t.times[i], t0, t1, width), r = row_of(t.v[i]);
      const int from = i == 0 ? r : row_of(t.v[i - 1]);
      for (int k = std::min(from, r); k <= std::max(from, r); ++k)
        cell(grid, k, c) = plot_marks[trace];
    }
    if (!std::isnan(t.threshold))
      for (const double s : t.spikes)
        cell(grid, row_of(t.threshold), column_of(s, t0, t1, width)) = '!';
    for (const double a : t.inputs)
      inputs[static_cast<std::size_t>(column_of(a, t0, t1, width))] = '^';
  }
  std::string out;
  for (int r = 0; r < height; ++r) {
    const double v = high - (high - low) * r / (height - 1);
    std::string label;
    if (lines && r == row_of(threshold)) label = "threshold";
    if (lines && r == row_of(rest)) label = "rest";
    out += fmt::format("{:>9.2f} |{}| {}\n", v, grid[static_cast<std::size_t>(r)], label);
  }
  out += fmt::format("{:>9} +{}+\n", "mV", std::string(static_cast<std::size_t>(width), '-'));
  if (inputs.find('^') != std::string::npos) out += fmt::format("{:>9}  {}  inputs\n", "", inputs);
  out += time_axis(t0, t1, width, 11);
  return out;
}

std::string plot_raster(const figures::raster_data& data, int width, int height) {
  std::uint64_t rows = 0;
  for (const figures::raster_group& g : data.groups) rows += g.size;
  // Each text row shows `band` neurons; a group starts on a row of its own.
  const std::uint64_t band = std::max<std::uint64_t>(1, (rows + height - 1) / height);
  std::size_t label_width = 0;
  for (const figures::raster_group& g : data.groups)
    label_width = std::max(label_width, g.name.size());
  label_width = std::min<std::size_t>(std::max<std::size_t>(label_width, 4), 16);
  std::string out;
  for (const figures::raster_group& g : data.groups) {
    const std::uint64_t group_rows = std::max<std::uint64_t>(1, (g.size + band - 1) / band);
    std::vector<std::vector<int>> counts(group_rows,
                                         std::vector<int>(static_cast<std::size_t>(width)));
    for (std::size_t i = 0; i < g.times.size(); ++i)
      ++counts[g.indices[i] / band]
              [static_cast<std::size_t>(column_of(g.times[i], data.from, data.to, width))];
    for (std::uint64_t r = 0; r < group_rows; ++r) {
      std::string line(static_cast<std::size_t>(width), ' ');
      for (int c = 0; c < width; ++c) {
        const int n = counts[r][static_cast<std::size_t>(c)];
        line[static_cast<std::size_t>(c)] = n == 0 ? ' ' : n == 1 ? '|' : ':';
      }
      const std::uint64_t low = r * band, high = std::min<std::uint64_t>(g.size, low + band) - 1;
      const std::string index =
          low == high ? fmt::format("{}", low) : fmt::format("{}-{}", low, high);
      const std::string name = r == 0 ? g.name.substr(0, label_width) : "";
      out += fmt::format("{:>{}} {:>9} |{}|\n", name, label_width, index, line);
    }
  }
  out += fmt::format("{:>{}} +{}+\n", "", label_width + 10,
                     std::string(static_cast<std::size_t>(width), '-'));
  out += time_axis(data.from, data.to, width, static_cast<int>(label_width) + 12);
  return out;
}

}  // namespace syn::dsl
