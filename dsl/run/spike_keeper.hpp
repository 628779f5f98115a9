#pragma once

#include <map>
#include <span>
#include <vector>

#include "syn/engine/record_sink.hpp"

namespace syn::dsl {

// The spike times of a few nodes, recorded or not, kept as a run streams its spikes (a
// record_sink beside the writer): the spikes a trace figure marks.
class spike_keeper final : public record_sink {
 public:
  explicit spike_keeper(std::vector<node_id> nodes);
  void take(std::span<const spike> spikes) override;
  void take(std::span<const sample>) override {}
  // The times kept, by node.
  std::map<node_id, std::vector<double>> kept() const;

 private:
  std::vector<node_id> nodes_;              // sorted, once each
  std::vector<std::vector<double>> times_;  // by node
};

}  // namespace syn::dsl
