#pragma once

// Figures of a results folder's CSV files: the raster of spikes.csv and the traces of v.csv,
// with the rest, threshold and sizes of populations.csv where it is there. `syn plot DIR` draws
// them, and so does a run for its `record ... plot "FILE"` statements.

#include <cstdint>
#include <filesystem>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "figures/raster_figure.hpp"
#include "figures/trace_figure.hpp"
#include "run/population_table.hpp"

namespace syn::dsl {

// Elements [first, last] of the population or train `name`.
struct element_filter {
  std::string name;
  std::uint32_t first = 0;
  std::uint32_t last = std::numeric_limits<std::uint32_t>::max();
};

// What a figure shows: the elements (none: all of them) over a time window (ms; unset: from
// the start, to the end of the run, or of the data when no populations.csv says).
struct figure_selection {
  std::vector<element_filter> elements;
  std::optional<double> from;
  std::optional<double> to;
};

// Why [from, to] (ms) cannot be a figure's time window: nullopt when it can.
std::optional<std::string> window_problem(double from, double to);

// At most this many traces in one figure: more would not be told apart.
inline constexpr std::size_t max_traces = 8;

using element_key = std::pair<std::string, std::uint32_t>;  // population, index

// An error reading a file: its path, and where and why.
struct results_error {
  std::filesystem::path file;
  csv_error error;
  std::string message() const;
};

// The raster of `spikes_csv`. `populations` (possibly empty) gives the groups' order, sizes and
// the end of the run.
std::variant<figures::raster_data, results_error> raster_of(
    const std::filesystem::path& spikes_csv, const std::vector<population_row>& populations,
    const figure_selection& selection);

// The populations and trains the rows of `spikes_csv` and `v_csv` name (where given), in order
// of first appearance: those `--only` may name when no populations.csv says. Rows that cannot be
// read are left for raster_of and traces_of to report.
std::vector<std::string> names_in(const std::optional<std::filesystem::path>& spikes_csv,
                                  const std::optional<std::filesystem::path>& v_csv);

// The traces of the first max_traces neurons of `v_csv` in `selection` (the figure's title says
// how many more there were). Each trace's spikes are those of `spikes` where it holds the
// element, else of `spikes_csv` when there is one; its input arrivals those of `inputs`.
struct trace_sources {
  std::optional<std::filesystem::path> spikes_csv;
  std::map<element_key, std::vector<double>> spikes;
  std::map<element_key, std::vector<double>> inputs;
};
std::variant<figures::traces_data, results_error> traces_of(
    const std::filesystem::path& v_csv, const trace_sources& sources,
    const std::vector<population_row>& populations, const figure_selection& selection);

}  // namespace syn::dsl
