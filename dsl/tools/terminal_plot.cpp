#include "tools/terminal_plot.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace syn::dsl {

std::string plot_traces(const std::vector<std::vector<plot_point>>& traces, double threshold,
                        double rest, int width, int height) {
  double low = std::min(threshold, rest), high = std::max(threshold, rest);
  double t0 = traces.front().front().time, t1 = t0;
  for (const std::vector<plot_point>& points : traces) {
    for (const plot_point& p : points) {
      low = std::min(low, p.v);
      high = std::max(high, p.v);
    }
    t0 = std::min(t0, points.front().time);
    t1 = std::max(t1, points.back().time);
  }
  const double pad = 0.05 * (high - low) + 1e-9;
  low -= pad;
  high += pad;
  const auto row_of = [&](double v) {
    return std::clamp(static_cast<int>(std::lround((high - v) / (high - low) * (height - 1))), 0,
                      height - 1);
  };
  const auto column_of = [&](double t) {
    return t1 > t0 ? std::clamp(static_cast<int>(std::lround((t - t0) / (t1 - t0) * (width - 1))),
                                0, width - 1)
                   : 0;
  };
  std::vector<std::string> grid(static_cast<std::size_t>(height),
                                std::string(static_cast<std::size_t>(width), ' '));
  for (int c = 0; c < width; ++c) {
    grid[static_cast<std::size_t>(row_of(rest))][static_cast<std::size_t>(c)] = '.';
    grid[static_cast<std::size_t>(row_of(threshold))][static_cast<std::size_t>(c)] = '-';
  }
  // Consecutive points joined by a vertical run, so that a jump reads as one.
  for (std::size_t trace = 0; trace < traces.size(); ++trace) {
    const std::vector<plot_point>& points = traces[trace];
    for (std::size_t i = 0; i < points.size(); ++i) {
      const int c = column_of(points[i].time), r = row_of(points[i].v);
      const int from = i == 0 ? r : row_of(points[i - 1].v);
      for (int k = std::min(from, r); k <= std::max(from, r); ++k)
        grid[static_cast<std::size_t>(k)][static_cast<std::size_t>(c)] = plot_marks[trace];
    }
  }
  std::string out;
  for (int r = 0; r < height; ++r) {
    const double v = high - (high - low) * r / (height - 1);
    std::string label;
    if (r == row_of(threshold)) label = "threshold";
    if (r == row_of(rest)) label = "rest";
    out += fmt::format("{:>9.2f} |{}| {}\n", v, grid[static_cast<std::size_t>(r)], label);
  }
  out += fmt::format("{:>9} +{}+\n", "mV", std::string(static_cast<std::size_t>(width), '-'));
  out += fmt::format("{:>11}{:<{}}{} ms\n", "", fmt::format("{}", t0), width - 6,
                     fmt::format("{}", t1));
  return out;
}

}  // namespace syn::dsl
