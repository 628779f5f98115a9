#pragma once

// What a results folder says about its populations and trains (DIR/populations.csv): size,
// when each took effect, its spikes and rate, and the rest and threshold that its figures draw.
// `syn plot DIR` reads it back.

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <string>
#include <variant>
#include <vector>

#include "run/csv_files.hpp"
#include "run/population_statistics.hpp"
#include "semantics/model.hpp"

namespace syn::dsl {

struct population_row {
  std::string name;
  bool is_train = false;
  std::uint32_t size = 0;
  double since = 0.0;  // ms: it took effect then
  double end = 0.0;    // ms: the end of the last run
  std::uint64_t spikes = 0;
  // Hz per neuron or source, over [since, end]; NaN when that span is empty.
  double rate = std::numeric_limits<double>::quiet_NaN();
  double rest = std::numeric_limits<double>::quiet_NaN();       // mV; NaN for a train
  double threshold = std::numeric_limits<double>::quiet_NaN();  // mV; NaN for a train
};

// Every group of `m` in declaration order, with its spikes and rate as the run's statistics
// give them up to `end` (ms), in the same order (none: no spike counted, no rate).
std::vector<population_row> population_rows(const model& m,
                                            const std::vector<population_summary>& counted,
                                            double end);

// Header `population,kind,size,since_ms,end_ms,spikes,rate_Hz,rest_mV,threshold_mV`; kind is
// neurons or train; what is NaN is left empty.
void write_populations_csv(std::string& out, const std::vector<population_row>& rows);
std::variant<std::vector<population_row>, csv_error> read_populations_csv(
    const std::filesystem::path& path);

}  // namespace syn::dsl
