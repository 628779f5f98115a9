#pragma once

// A raster plot as SVG: one row per neuron or source (groups stacked in order, one colour
// each), time in ms across, and under it the population rate of each group in Hz, in bins.

#include <cstdint>
#include <string>
#include <vector>

namespace syn::dsl::figures {

struct raster_group {
  std::string name;
  std::uint32_t size = 0;  // rows
  bool is_train = false;
  std::vector<double> times;            // ms, in time order
  std::vector<std::uint32_t> indices;   // one per time, < size
};

struct raster_data {
  std::string title;
  double from = 0.0;  // ms: the time axis
  double to = 0.0;
  std::vector<raster_group> groups;
};

// Too many spikes for one mark each are drawn as a density of cells instead, and the figure
// says so in a note (class "note").
std::string raster_svg(const raster_data& data);

}  // namespace syn::dsl::figures
