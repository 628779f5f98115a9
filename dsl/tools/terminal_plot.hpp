#pragma once

// Figures drawn in text, for the REPL's `plot`: membrane-potential traces and rasters, from the
// same data as the SVG figures (`plot ... to "FILE.svg"`).

#include <string>
#include <string_view>

#include "figures/raster_figure.hpp"
#include "figures/trace_figure.hpp"

namespace syn::dsl {

// The marks of the traces, in order: at most this many traces in one plot.
inline constexpr std::string_view plot_marks = "*o+x#";

// The traces over [from, to] in a box `width` columns by `height` rows, trace i drawn with
// plot_marks[i] (a later trace over an earlier one), the first trace's threshold marked with '-'
// and rest with '.', each spike with '!' on the threshold line and each input arrival with '^'
// under the box; the potential axis on the left and the time axis below. Needs 1 to
// plot_marks.size() traces, each with a point.
std::string plot_traces(const figures::traces_data& data, int width = 64, int height = 16);

// A raster over [from, to]: a row per neuron or source, or per band of them when there are more
// than `height` in all (the row says how many), a group's name at its first row; '|' where one
// spiked in that column's time, ':' where several did. Needs at least one group.
std::string plot_raster(const figures::raster_data& data, int width = 64, int height = 16);

}  // namespace syn::dsl
