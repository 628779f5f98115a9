#include "synapse_store.hpp"

#include <algorithm>
#include <numeric>

#include "syn/engine/model_error.hpp"

namespace syn::detail {

synapse_store::synapse_store(const network& net, const std::vector<cell_model>& models,
                             const std::vector<std::uint32_t>& neuron_index) {
  // Synapses name their target's model and receptor slot in 16 bits each.
  if (models.size() > UINT16_MAX) throw model_error("network: too many neuron models");
  for (const cell_model& m : models)
    if (m.slots.size() >= UINT16_MAX) throw model_error("network: too many receptors");
  const auto& connections = net.connections();
  const std::uint32_t nodes = net.node_count();

  // Counting sort by presynaptic node, then order each row by (delay, target); equal keys keep
  // the order in which they were connected.
  std::vector<std::uint64_t> row(nodes + 1, 0);
  for (const connection& c : connections) ++row[c.pre + 1];
  std::partial_sum(row.begin(), row.end(), row.begin());
  std::vector<std::uint64_t> order(connections.size());
  {
    std::vector<std::uint64_t> fill(row.begin(), row.end() - 1);
    for (std::uint64_t i = 0; i < connections.size(); ++i) order[fill[connections[i].pre]++] = i;
  }
  synapses_.reserve(connections.size());
  group_begin_.assign(nodes + 1, 0);
  for (std::uint32_t node = 0; node < nodes; ++node) {
    group_begin_[node] = static_cast<std::uint32_t>(groups_.size());
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(row[node]);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(row[node + 1]);
    std::stable_sort(first, last, [&](std::uint64_t a, std::uint64_t b) {
      const connection& x = connections[a];
      const connection& y = connections[b];
      return std::tie(x.delay, x.post) < std::tie(y.delay, y.post);
    });
    for (auto it = first; it != last; ++it) {
      const connection& c = connections[*it];
      if (groups_.size() == group_begin_[node] || groups_.back().delay != c.delay)
        groups_.push_back({c.delay, synapses_.size(), synapses_.size()});
      const std::uint32_t target = neuron_index[c.post];
      const model_id model = net.population_of(c.post).model;
      const receptor_slot* slot = models[model].slot_of(c.receptor);
      const auto slot_number = slot ? slot - models[model].slots.data() + 1 : 0;
      synapses_.push_back({c.increment, target, static_cast<std::uint16_t>(model),
                           static_cast<std::uint16_t>(slot_number)});
      groups_.back().end = synapses_.size();
    }
  }
  if (groups_.size() > UINT32_MAX) throw model_error("network: too many delay groups");
  group_begin_[nodes] = static_cast<std::uint32_t>(groups_.size());
}

std::uint64_t synapse_store::bytes() const {
  return synapses_.capacity() * sizeof(synapse) + groups_.capacity() * sizeof(delay_group) +
         group_begin_.capacity() * sizeof(std::uint32_t);
}

}  // namespace syn::detail
