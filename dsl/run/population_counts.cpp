#include "run/population_counts.hpp"

#include <algorithm>

namespace syn::dsl {

population_counts::population_counts(std::vector<node_id> first_node)
    : first_node_(std::move(first_node)), counts_(first_node_.size(), 0) {}

void population_counts::take(std::span<const spike> spikes) {
  for (const spike& s : spikes) {
    const auto it = std::upper_bound(first_node_.begin(), first_node_.end(), s.node);
    ++counts_[static_cast<std::size_t>(it - first_node_.begin()) - 1];
  }
  if (next_) next_->take(spikes);
}

void population_counts::take(std::span<const sample> samples) {
  if (next_) next_->take(samples);
}

}  // namespace syn::dsl
