#include "run/input_arrivals.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace syn::dsl {

input_map::input_map(const network& net, std::span<const node_id> neurons)
    : shortest_delay_(std::numeric_limits<double>::infinity()) {
  std::vector<node_id> sorted(neurons.begin(), neurons.end());
  std::sort(sorted.begin(), sorted.end());
  const auto traced = [&](node_id post) {
    return std::binary_search(sorted.begin(), sorted.end(), post);
  };
  net.each_synapse(traced, [&](const connection& c, double since) {
    by_pre_[c.pre].push_back({c.post, c.receptor, c.conductance, c.increment, c.delay, since});
    shortest_delay_ = std::min(shortest_delay_, c.delay);
  });
}

double input_map::arrive(double time, double delay) {
  const double t = time + delay;
  return t > time ? t : std::nextafter(time, std::numeric_limits<double>::infinity());
}

namespace {

void sort_by_time(std::vector<input_arrival>& arrivals) {
  std::stable_sort(arrivals.begin(), arrivals.end(), [](const auto& a, const auto& b) {
    return a.time != b.time ? a.time < b.time
           : a.pre != b.pre ? a.pre < b.pre
                            : a.receptor < b.receptor;
  });
}

}  // namespace

arrival_recorder::arrival_recorder(const network& net, std::vector<node_id> neurons,
                                   std::size_t most)
    : inputs_(net, neurons), most_(most) {
  for (const node_id n : neurons) by_neuron_[n];
}

void arrival_recorder::take(std::span<const spike> spikes) {
  for (const spike& s : spikes)
    inputs_.arrivals_of(s, [&](const input_arrival& a) {
      std::vector<input_arrival>& kept = by_neuron_[a.post];
      if (kept.size() < most_) kept.push_back(a);
    });
}

std::vector<input_arrival> arrival_recorder::arrivals_onto(node_id neuron) const {
  const auto it = by_neuron_.find(neuron);
  if (it == by_neuron_.end()) return {};
  std::vector<input_arrival> arrivals = it->second;
  sort_by_time(arrivals);
  return arrivals;
}

std::vector<input_arrival> input_arrivals(const network& net, node_id neuron,
                                          std::span<const spike> spikes) {
  const input_map inputs(net, std::span<const node_id>(&neuron, 1));
  std::vector<input_arrival> arrivals;
  for (const spike& s : spikes)
    inputs.arrivals_of(s, [&](const input_arrival& a) { arrivals.push_back(a); });
  sort_by_time(arrivals);
  return arrivals;
}

}  // namespace syn::dsl
