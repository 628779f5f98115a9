#pragma once

#include <span>
#include <unordered_map>
#include <vector>

#include "syn/engine/network.hpp"
#include "syn/engine/record_sink.hpp"
#include "syn/engine/records.hpp"

namespace syn::dsl {

// An input reaching a neuron: a presynaptic spike through one synapse, at the spike's time plus
// the synapse's delay (one ULP later when the delay is below the time's rounding, as the engine
// schedules it).
struct input_arrival {
  double time;  // ms
  node_id pre;
  node_id post;
  receptor_id receptor;
  bool conductance;
  double
      increment;  // what it adds (network::connection): signed for a current, nS for a conductance
};

// The synapses onto some neurons, by presynaptic node: which inputs a spike brings them and
// when. Built once from the network (a pass over its connections); then O(synapses onto them).
class input_map {
 public:
  input_map(const network& net, std::span<const node_id> neurons);

  // f(input_arrival) for each synapse onto the neurons that spike `s` feeds: a connection
  // carries the spikes emitted from its effect time on (network::take_effect_at).
  template <typename F>
  void arrivals_of(const spike& s, F&& f) const {
    const auto it = by_pre_.find(s.node);
    if (it == by_pre_.end()) return;
    for (const synapse& y : it->second)
      if (s.time >= y.since)
        f(input_arrival{arrive(s.time, y.delay), s.node, y.post, y.receptor, y.conductance,
                        y.increment});
  }
  // ms: the shortest delay onto the neurons (infinity when nothing reaches them).
  double shortest_delay() const { return shortest_delay_; }

  static double arrive(double time, double delay);

 private:
  struct synapse {
    node_id post;
    receptor_id receptor;
    bool conductance;
    double increment;
    double delay;
    double since;
  };
  std::unordered_map<node_id, std::vector<synapse>> by_pre_;
  double shortest_delay_;
};

// The inputs arriving onto some neurons, collected as a run streams its spikes (a record_sink
// beside the writer, as `syn run` keeps no spike): at most `most` per neuron, the first ones.
class arrival_recorder final : public record_sink {
 public:
  arrival_recorder(const network& net, std::vector<node_id> neurons, std::size_t most);
  void take(std::span<const spike> spikes) override;
  void take(std::span<const sample>) override {}
  // The inputs onto `neuron` so far, in time order (ties by presynaptic node then receptor).
  std::vector<input_arrival> arrivals_onto(node_id neuron) const;

 private:
  input_map inputs_;
  std::unordered_map<node_id, std::vector<input_arrival>> by_neuron_;
  std::size_t most_;
};

// Every input arriving onto `neuron` from `spikes` (a run's, in any order), in time order, ties
// by presynaptic node then receptor: the arrivals a PSP figure marks.
std::vector<input_arrival> input_arrivals(const network& net, node_id neuron,
                                          std::span<const spike> spikes);

}  // namespace syn::dsl
