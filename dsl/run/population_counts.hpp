#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "syn/engine/record_sink.hpp"

namespace syn::dsl {

// Every spike counted by group as the engine streams it, recorded or not: a record_sink in front
// of the one that writes the outputs, to which it passes everything on.
class population_counts final : public record_sink {
 public:
  // `first_node`: by group, its first node (groups are consecutive nodes, in order).
  explicit population_counts(std::vector<node_id> first_node);
  void forward_to(record_sink* next) { next_ = next; }
  void take(std::span<const spike> spikes) override;
  void take(std::span<const sample> samples) override;
  std::uint64_t spikes_of(std::uint32_t group) const { return counts_[group]; }

 private:
  std::vector<node_id> first_node_;
  std::vector<std::uint64_t> counts_;  // by group
  record_sink* next_ = nullptr;
};

// A neuron population's firing over a run: its spikes from when it took effect (group::since)
// to the end of the runs so far, per neuron and second.
struct population_rate {
  std::string name;
  std::uint32_t size = 0;
  std::uint64_t spikes = 0;
  double duration_ms = 0.0;  // simulated since it took effect
  double rate_hz = 0.0;      // spikes / size / duration; 0 when the duration is 0
};

}  // namespace syn::dsl
