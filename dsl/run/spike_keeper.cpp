#include "run/spike_keeper.hpp"

#include <algorithm>

namespace syn::dsl {

spike_keeper::spike_keeper(std::vector<node_id> nodes) : nodes_(std::move(nodes)) {
  std::sort(nodes_.begin(), nodes_.end());
  nodes_.erase(std::unique(nodes_.begin(), nodes_.end()), nodes_.end());
  times_.resize(nodes_.size());
}

void spike_keeper::take(std::span<const spike> spikes) {
  for (const spike& s : spikes) {
    const auto at = std::lower_bound(nodes_.begin(), nodes_.end(), s.node);
    if (at != nodes_.end() && *at == s.node)
      times_[static_cast<std::size_t>(at - nodes_.begin())].push_back(s.time);
  }
}

std::map<node_id, std::vector<double>> spike_keeper::kept() const {
  std::map<node_id, std::vector<double>> kept;
  for (std::size_t i = 0; i < nodes_.size(); ++i) kept[nodes_[i]] = times_[i];
  return kept;
}

}  // namespace syn::dsl
