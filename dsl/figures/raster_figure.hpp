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
//
// What a reader (or a test) finds: spikes within [from, to] of a row the group has, each a
// <path class="spike" d="M x y v h"> centred on its row (row 0 at the top, groups stacked in
// order), inside a <g data-population="NAME">; above 20,000 spikes, instead, <rect
// class="density" data-n="COUNT"> cells of round size, opacity in proportion to the count, and a
// note "N spikes shown as density in cells of T ms × K neurons". Under them one <polyline
// class="rate" data-population="NAME"> per group of at least one row: steps in Hz per neuron
// over round bins, stated in a <text class="caption">. Axes are <g class="x-axis"> and <g
// class="y-axis"> (raster first, then rates) holding <text class="tick"> labels and a <text
// class="axis-label">: "neuron", "rate (Hz)", "time (ms)". Legend entries are <text
// class="legend">. Notes say "no spikes", "no neurons" or "empty time range" where it applies.
std::string raster_svg(const raster_data& data);

}  // namespace syn::dsl::figures
