#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "semantics/model.hpp"
#include "syn/engine/record_sink.hpp"

namespace syn::dsl {

// What a population (or train) did over the time since it took effect.
struct population_summary {
  std::string name;
  std::uint32_t size = 0;
  bool is_train = false;
  std::string type;  // the neuron type (neurons only)
  std::uint64_t spikes = 0;
  std::optional<double> rate_hz;    // spikes per element per second; none over no time
  std::optional<double> cv_isi;     // none: no element with 2 intervals
  std::optional<double> synchrony;  // none: fewer than 2 elements or 2 bins, or no spike
};

// Per-population statistics of every spike (recorded or not), streamed from the simulator's
// batches in O(elements) memory (40 bytes each), as `syn run` keeps no spikes:
// * rate: spikes / size / (end - since), since when the group took effect (group::since);
// * cv_isi: the mean over elements with at least 2 inter-spike intervals of each one's
//   coefficient of variation, sd / mean of its intervals (sd with 1/n, Welford's update);
// * synchrony: Golomb's chi, from spike counts c_i(b) in whole bins of `bin` ms from since
//   (spikes in the partial bin at the end are left out): chi^2 = Var_b(X) / mean_i Var_b(c_i),
//   X(b) = mean_i c_i(b), variances over the bins with 1/B; 1 when all elements fire in the
//   same bins, about 1/sqrt(N) when they fire independently (Golomb 2007, Scholarpedia 2(1):1347).
class population_statistics final : public record_sink {
 public:
  static constexpr double default_bin = 5.0;  // ms

  population_statistics(const model& m, std::vector<node_id> first_node, double bin = default_bin);
  void take(std::span<const spike> spikes) override;
  void take(std::span<const sample>) override {}
  // The statistics of every group, in declaration order, the simulation having reached `end`.
  std::vector<population_summary> summaries(double end) const;

 private:
  struct element {
    double last = 0.0;            // ms: its last spike, in its current bin
    double mean = 0.0;            // of its intervals
    double m2 = 0.0;              // the sum of squared deviations of its intervals
    double count_squares = 0.0;   // sum over its past bins of c_i(b)^2
    std::uint32_t spikes = 0;     // so far
    std::uint32_t bin_count = 0;  // spikes in its current bin (its last spike's)
  };

  struct group_sums {
    std::uint64_t spikes = 0;
    std::uint64_t bin = 0;        // the current bin
    std::uint64_t bin_count = 0;  // the group's spikes in it
    double total_squares = 0.0;   // sum over its past bins of (sum_i c_i(b))^2
    std::uint64_t binned = 0;     // spikes in whole bins
  };

  const model* model_;
  std::vector<node_id> first_node_;
  double bin_;
  std::uint64_t bin_of(double time, std::uint32_t group) const;

  std::vector<element> elements_;  // by node
  std::vector<group_sums> groups_;
};

}  // namespace syn::dsl
