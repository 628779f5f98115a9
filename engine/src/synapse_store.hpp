#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "cell_model.hpp"
#include "syn/engine/network.hpp"

namespace syn::detail {

struct synapse {
  double increment;      // added to the target's input `slot` on arrival
  std::uint32_t target;  // neuron index
  std::uint16_t model;   // the target's cell model
  std::uint16_t slot;    // 0: V itself (jump kinetics), j + 1: the model's receptor slot j
};

struct delay_group {
  double delay;
  std::uint64_t begin;
  std::uint64_t end;
};

// Synapses in compressed rows: by presynaptic node, then by delay, then by target. A spike
// becomes one queue entry per delay group, fanned out to the group's targets on delivery.
class synapse_store {
 public:
  synapse_store(const network& net, const std::vector<cell_model>& models,
                const std::vector<std::uint32_t>& neuron_index);

  std::span<const delay_group> groups_of(node_id node) const {
    return {groups_.data() + group_begin_[node], groups_.data() + group_begin_[node + 1]};
  }
  const delay_group& group(std::uint32_t index) const { return groups_[index]; }
  std::uint32_t group_index(const delay_group& g) const {
    return static_cast<std::uint32_t>(&g - groups_.data());
  }
  std::span<const synapse> synapses_of(const delay_group& g) const {
    return {synapses_.data() + g.begin, synapses_.data() + g.end};
  }
  std::uint64_t size() const { return synapses_.size(); }
  std::uint64_t bytes() const;

 private:
  std::vector<std::uint32_t> group_begin_;  // by node, node_count + 1 entries
  std::vector<delay_group> groups_;
  std::vector<synapse> synapses_;
};

}  // namespace syn::detail
