#include "synapses/synapse_store.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <limits>
#include <numeric>

#include "syn/engine/model_error.hpp"

namespace syn::detail {

synapse_store::synapse_store(const network& net, const std::vector<std::vector<input_port>>& slots,
                             const std::vector<std::uint32_t>& neuron_index) {
  // Synapses name their target's model and receptor slot in 16 bits each.
  if (slots.size() > UINT16_MAX) throw model_error("network: too many neuron models");
  for (const std::vector<input_port>& ports : slots)
    if (ports.size() >= UINT16_MAX) throw model_error("network: too many receptors");
  const auto& connections = net.connections();
  const std::uint32_t nodes = net.node_count();
  // Only the synapses onto the neurons simulated here: the others' targets have no index.
  const auto kept = [&](const connection& c) {
    return neuron_index[c.post] != std::numeric_limits<std::uint32_t>::max();
  };
  size_ = static_cast<std::uint64_t>(std::count_if(connections.begin(), connections.end(), kept));
  // Groups index the targets and increments in 32 bits.
  if (size_ > UINT32_MAX)
    throw model_error(fmt::format("network: {} synapses, more than the {} a network can hold",
                                  size_, UINT32_MAX));

  // Each connection's target model and slot, looked up once per run of connections onto one
  // model and port (they come in such runs).
  const std::vector<model_id> model_of = net.model_by_node();
  std::vector<std::uint32_t> model_slot(connections.size());
  std::pair<model_id, input_port> run_key{std::numeric_limits<model_id>::max(), {}};
  std::uint32_t run_slot = 0;
  for (std::uint64_t i = 0; i < connections.size(); ++i) {
    const connection& c = connections[i];
    const std::pair<model_id, input_port> key{model_of[c.post], c.port()};
    if (key != run_key) {
      const auto& ports = slots[key.first];
      const auto slot = std::find(ports.begin(), ports.end(), key.second);
      run_key = key;
      run_slot = (key.first << 16) |
                 static_cast<std::uint32_t>(slot == ports.end() ? 0 : slot - ports.begin() + 1);
    }
    model_slot[i] = run_slot;
  }

  // When each connection takes effect, where that is not 0 for all.
  std::vector<double> since;
  for (std::uint64_t i = 0; i < connections.size(); ++i)
    if (const double t = net.effect_time(i); t > 0.0 || !since.empty()) {
      since.resize(connections.size(), 0.0);
      since[i] = t;
    }
  const auto since_of = [&](std::uint64_t i) { return since.empty() ? 0.0 : since[i]; };

  // Counting sort by presynaptic node, then order each row by (delay, model, slot, effect time,
  // target); equal keys keep the order in which they were connected.
  std::vector<std::uint64_t> row(nodes + 1, 0);
  for (const connection& c : connections)
    if (kept(c)) ++row[c.pre + 1];
  std::partial_sum(row.begin(), row.end(), row.begin());
  std::vector<std::uint64_t> order(size_);
  {
    std::vector<std::uint64_t> fill(row.begin(), row.end() - 1);
    for (std::uint64_t i = 0; i < connections.size(); ++i)
      if (kept(connections[i])) order[fill[connections[i].pre]++] = i;
  }
  group_begin_.assign(nodes + 1, 0);
  segment_begin_.assign(nodes + 1, 0);
  targets_.reserve(size_);
  std::vector<std::uint64_t> singles;  // of the row: connections alone with their delay
  for (std::uint32_t node = 0; node < nodes; ++node) {
    group_begin_[node] = static_cast<std::uint32_t>(groups_.size());
    segment_begin_[node] = static_cast<std::uint32_t>(segments_.size());
    const auto first = order.begin() + static_cast<std::ptrdiff_t>(row[node]);
    const auto last = order.begin() + static_cast<std::ptrdiff_t>(row[node + 1]);
    // Rows usually come sorted already (a projection connects its targets in order), and the
    // check costs a fraction of a sort.
    const auto sort_by = [&](auto key) {
      const auto less = [&](std::uint64_t a, std::uint64_t b) { return key(a) < key(b); };
      if (!std::is_sorted(first, last, less)) std::stable_sort(first, last, less);
    };
    // The effect time joins the key only where it varies: the sort is most of the build.
    if (since.empty()) {
      sort_by([&](std::uint64_t i) {
        return std::tuple(connections[i].delay, model_slot[i], connections[i].post);
      });
    } else {
      sort_by([&](std::uint64_t i) {
        return std::tuple(connections[i].delay, model_slot[i], since[i], connections[i].post);
      });
    }
    // Synapses with delays of their own (a drawn delay, a float value) apart, each its own
    // event: by the synapse, not by how many share its delay here, so that a network split over
    // threads or processes makes the same ones singles in every part (parallel/epoch_loop.hpp).
    const auto grouped = std::stable_partition(first, last, [&](std::uint64_t i) {
      const connection& c = connections[i];
      return !(c.own_delay && static_cast<double>(static_cast<float>(c.delay)) == c.delay);
    });
    singles.assign(grouped, last);
    for (auto run = first; run != grouped;) {
      const connection& head = connections[*run];
      const std::uint32_t ms = model_slot[*run];
      auto end = run;
      bool uniform = true;
      while (end != grouped && connections[*end].delay == head.delay && model_slot[*end] == ms &&
             since_of(*end) == since_of(*run)) {
        uniform = uniform && connections[*end].increment == head.increment;
        ++end;
      }
      groups_.push_back(
          {head.delay, uniform ? head.increment : std::numeric_limits<double>::quiet_NaN(),
           static_cast<std::uint32_t>(targets_.size()),
           static_cast<std::uint32_t>(increments_.size()), static_cast<std::uint32_t>(end - run),
           static_cast<std::uint16_t>(ms >> 16), static_cast<std::uint16_t>(ms & 0xffff)});
      if (!since.empty()) group_since_.push_back(since_of(*run));
      for (auto it = run; it != end; ++it) {
        targets_.push_back(neuron_index[connections[*it].post]);
        if (!uniform) increments_.push_back(connections[*it].increment);
      }
      run = end;
    }
    // The row's singles in segments by model, slot and effect time, each in order of delay.
    std::stable_sort(singles.begin(), singles.end(), [&](std::uint64_t a, std::uint64_t b) {
      return std::pair(model_slot[a], since_of(a)) < std::pair(model_slot[b], since_of(b));
    });
    for (auto run = singles.begin(); run != singles.end();) {
      auto end = run;
      bool uniform = true;
      while (end != singles.end() && model_slot[*end] == model_slot[*run] &&
             since_of(*end) == since_of(*run)) {
        uniform = uniform && connections[*end].increment == connections[*run].increment;
        ++end;
      }
      const std::uint32_t ms = model_slot[*run];
      segments_.push_back(
          {uniform ? connections[*run].increment : std::numeric_limits<double>::quiet_NaN(),
           since_of(*run), node, static_cast<std::uint32_t>(single_targets_.size()),
           static_cast<std::uint32_t>(single_increments_.size()),
           static_cast<std::uint32_t>(end - run), static_cast<std::uint16_t>(ms >> 16),
           static_cast<std::uint16_t>(ms & 0xffff)});
      for (auto it = run; it != end; ++it) {
        single_targets_.push_back(neuron_index[connections[*it].post]);
        single_delays_.push_back(static_cast<float>(connections[*it].delay));
        if (!uniform) single_increments_.push_back(connections[*it].increment);
      }
      run = end;
    }
    singles.clear();
  }
  if (groups_.size() > UINT32_MAX) throw model_error("network: too many delay groups");
  groups_.shrink_to_fit();
  increments_.shrink_to_fit();
  group_since_.shrink_to_fit();
  group_begin_[nodes] = static_cast<std::uint32_t>(groups_.size());
  segment_begin_[nodes] = static_cast<std::uint32_t>(segments_.size());
  segments_.shrink_to_fit();
  single_targets_.shrink_to_fit();
  single_delays_.shrink_to_fit();
  single_increments_.shrink_to_fit();
  targets_.shrink_to_fit();
}

std::uint64_t synapse_store::bytes() const {
  return increments_.capacity() * sizeof(double) + targets_.capacity() * sizeof(std::uint32_t) +
         groups_.capacity() * sizeof(delay_group) +
         group_begin_.capacity() * sizeof(std::uint32_t) +
         group_since_.capacity() * sizeof(double) +
         segment_begin_.capacity() * sizeof(std::uint32_t) +
         segments_.capacity() * sizeof(single_segment) +
         single_targets_.capacity() * sizeof(std::uint32_t) +
         single_delays_.capacity() * sizeof(float) + single_increments_.capacity() * sizeof(double);
}

}  // namespace syn::detail
