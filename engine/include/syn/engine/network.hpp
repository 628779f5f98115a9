#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "syn/engine/neuron_params.hpp"
#include "syn/engine/receptor_params.hpp"
#include "syn/engine/records.hpp"
#include "syn/engine/spike_train.hpp"
#include "syn/engine/synapse_rule.hpp"

namespace syn {

using model_id = std::uint32_t;
using receptor_id = std::uint32_t;

enum class weight_unit {
  mV,  // peak of the PSP at the soma on a neuron at rest
  pA,  // peak of the synaptic current (the current jump for single-exponential kinetics)
  nS,  // peak conductance, acting through the driving force reversal - V (a conductance synapse)
};

// "mV", "pA" or "nS".
const char* unit_name(weight_unit unit);

struct synapse_params {
  receptor_id receptor = 0;
  double weight = 0.0;  // magnitude in `unit`, never negative: the receptor decides the sign
  weight_unit unit = weight_unit::mV;
  double delay = not_set;  // ms, > 0
  double distance = 0.0;   // um from the soma; attenuates by exp(-distance / length_constant)
  // The delay is this synapse's own (drawn from a distribution): when it is a float value, the
  // synapse keeps it beside its target (8 bytes in all) and each spike reaches it on its own;
  // otherwise the synapses of one presynaptic node with one delay share a delay group.
  bool own_delay = false;
};

// A population of neurons or of spike sources: a contiguous range of node ids. Node ids follow
// declaration order, which is also the tie order of simultaneous spikes.
struct population {
  std::string name;
  bool is_source = false;
  model_id model = 0;  // neurons only
  node_id first = 0;
  std::uint32_t size = 0;
  std::uint32_t first_index = 0;  // among neurons, or among sources
  double born = 0.0;              // ms: when it takes effect (network::take_effect_at)
  node_id operator[](std::uint32_t i) const { return first + i; }
};

// What a connection feeds on its target: a receptor's current (weights in mV or pA, and jumps)
// or its conductance (weights in nS). Both may reach one neuron through the same receptor.
struct input_port {
  receptor_id receptor = 0;
  bool conductance = false;
  auto operator<=>(const input_port&) const = default;
};

// One connection as stored before the simulator groups them: the sign (currents only),
// normalisation and attenuation are already folded into `increment`, added to the receptor's
// first state variable (or to V for jump kinetics) when a spike arrives; for a conductance, in
// nS, with the kernel's peak normalised to 1.
struct connection {
  node_id pre;
  node_id post;
  receptor_id receptor;
  bool conductance;  // here, in the receptor's padding: a connection stays 32 bytes
  bool own_delay;    // synapse_params::own_delay
  double increment;
  double delay;
  input_port port() const { return {receptor, conductance}; }
};

// The synapses that a rule makes from a range of nodes onto a range of one population's neurons,
// with one receptor, unit and distance (network::project): the network keeps the rule, not its
// synapses, and each() has it make them, as the connections connect() would have added.
struct projection {
  node_id pre_first = 0;
  std::uint32_t pre_count = 0;
  node_id post_first = 0;
  std::uint32_t post_count = 0;
  model_id post_model = 0;
  receptor_id receptor = 0;
  bool conductance = false;
  bool drawn_weights = false;     // each synapse's weight is the rule's; else `increment` is each's
  bool own_delay = false;         // each synapse's delay is the rule's, a float value; else `delay`
  double increment = 0.0;         // a connection's, when the weights are not drawn
  double sign_attenuation = 0.0;  // a drawn weight's increment: sign_attenuation * weight * scale
  double scale = 0.0;
  double delay = 0.0;
  double since = 0.0;       // when it takes effect (network::take_effect_at)
  std::uint64_t after = 0;  // how many connections connect() had added before it
  std::shared_ptr<const synapse_rule> rule;

  input_port port() const { return {receptor, conductance}; }
  // f(const connection&) for each synapse onto a post for which `onto` holds, in the rule's order.
  template <typename F>
  void each(const synapse_rule::wanted& onto, F&& f) const {
    rule->make(onto, [&](node_id pre, node_id post, double weight, double d) {
      f(connection{pre, post, receptor, conductance, own_delay,
                   drawn_weights ? sign_attenuation * weight * scale : increment,
                   own_delay ? d : delay});
    });
  }
};

// Describes a network. Every call validates its arguments and throws model_error with a
// message in user terms; nothing is half-added.
class network {
 public:
  // A model's neurons are simulated by one kind of cell, which every input port that will ever
  // reach any of them decides: a conductance connected onto one makes them all conductance
  // cells, from 0 ms. Neurons that only currents reach are exact in closed form in a model of
  // their own (the language's lowering gives them one).
  model_id add_model(const neuron_params& params);
  receptor_id add_receptor(const receptor_params& params);

  // Both return the new population by value: the network may move its own copies.
  population add_neurons(std::string name, model_id model, std::uint32_t count);
  // One source per inner vector; its spike times in ms, in any order, each >= 0.
  population add_sources(std::string name, std::vector<std::vector<double>> spike_times);
  // `count` sources, each generating its own train while the simulation runs.
  population add_sources(std::string name, std::uint32_t count, const regular_train& train);
  population add_sources(std::string name, std::uint32_t count, const poisson_train& train);

  void set_v0(node_id neuron, double v0);
  void connect(node_id pre, node_id post, const synapse_params& synapse);
  // Connects pre_count nodes from pre_first to post_count neurons of one population from
  // post_first through the synapses `rule` makes: their receptor, unit and distance are
  // `synapse`'s, and so are their weight unless `drawn_weights` and their delay unless
  // synapse.own_delay (each then a float value). Checks what it can here: with drawn weights in
  // nS, each synapse's, which has the rule make them all once.
  void project(node_id pre_first, std::uint32_t pre_count, node_id post_first,
               std::uint32_t post_count, const synapse_params& synapse, bool drawn_weights,
               std::shared_ptr<const synapse_rule> rule);

  // What is added after this call takes effect at t (ms, finite, >= 0; 0 until called): its
  // neurons start from their v0 at t and receive nothing before, its sources fire from t on, its
  // connections carry only spikes emitted at t or later. A network can so grow between runs
  // (statements after a `run`, the REPL) and be simulated from 0 in one go.
  void take_effect_at(double t);
  // When connection i (in connections() order) takes effect.
  double effect_time(std::uint64_t connection) const;

  const std::vector<neuron_params>& models() const { return models_; }
  const std::vector<receptor_params>& receptors() const { return receptors_; }
  const std::vector<population>& populations() const { return populations_; }
  // What connect() added, in order.
  const std::vector<connection>& connections() const { return connections_; }
  const std::vector<projection>& projections() const { return projections_; }
  // f(connection, effect time) for every synapse onto a post for which `onto` holds, connect()'s
  // and the projections', in the order they were added.
  template <typename F>
  void each_synapse(const synapse_rule::wanted& onto, F&& f) const {
    std::uint64_t i = 0;
    const auto connected_until = [&](std::uint64_t end) {
      for (; i < end; ++i)
        if (onto(connections_[i].post)) f(connections_[i], effect_time(i));
    };
    for (const projection& p : projections_) {
      connected_until(p.after);
      p.each(onto, [&](const connection& c) { f(c, p.since); });
    }
    connected_until(connections_.size());
  }
  const population& population_of(node_id node) const;
  // The model of every node, by node id (0 for sources): a table for lookups by the million.
  std::vector<model_id> model_by_node() const;
  std::uint32_t node_count() const { return node_count_; }
  std::uint32_t neuron_count() const { return neuron_count_; }
  bool is_neuron(node_id node) const;
  const neuron_params& model_of(node_id neuron) const;
  double v0(node_id neuron) const;
  // A source's train: explicit times (the list), regular or Poisson (the population's rule).
  struct source_train {
    enum class kind : std::uint8_t { times, regular, poisson } shape = kind::times;
    const std::vector<double>* times = nullptr;
    const regular_train* regular = nullptr;
    const poisson_train* poisson = nullptr;
    std::uint32_t element = 0;  // the source's index in its population
  };
  source_train train_of(node_id source) const;

 private:
  void check_room(std::uint64_t count) const;
  population add_population(population pop);
  // A population of sources whose trains the simulator generates; the caller sets the rule.
  population add_generated(std::string name, std::uint32_t count, source_train::kind kind,
                           double start, double stop);
  // What connect() multiplies a weight by, worked out once per run of synapses that share it:
  // scale_of() works it out and keeps it as the last one.
  struct weight_scale {
    std::size_t population = SIZE_MAX;  // of the target
    receptor_id receptor = 0;
    weight_unit unit = weight_unit::mV;
    double distance = 0.0;
    double sign_attenuation = 0.0;  // the receptor's sign times the dendritic attenuation
    double scale = 1.0;             // from PSP or current peak to the first stage's input
    bool fits(std::size_t target, const synapse_params& s) const {
      return population == target && receptor == s.receptor && unit == s.unit &&
             distance == s.distance;
    }
  };
  std::size_t population_index(node_id node);
  const weight_scale& scale_of(std::size_t population, const synapse_params& s);
  void check_magnitudes(const synapse_params& s) const;
  void check_conductance(std::size_t population, double weight, const weight_scale& scale) const;

  std::vector<neuron_params> models_;
  std::vector<receptor_params> receptors_;
  std::vector<population> populations_;
  std::vector<connection> connections_;
  std::vector<projection> projections_;
  std::vector<std::vector<double>> source_times_;  // by source index; empty for generated ones
  std::vector<regular_train> regular_;             // by population index; unused for others
  std::vector<poisson_train> poisson_;             // by population index; unused for others
  std::vector<network::source_train::kind> train_kind_;  // by population index
  std::vector<double> v0_;                               // by node id; NaN: the model's v0
  std::uint32_t node_count_ = 0;
  std::uint32_t neuron_count_ = 0;
  double effect_time_ = 0.0;
  // (first connection, time) where the effect time of connections changes; empty: all at 0.
  std::vector<std::pair<std::uint64_t, double>> connection_times_;
  std::map<std::pair<model_id, receptor_id>, double> psp_peaks_;  // mV-weight normalisation
  std::size_t last_population_ = 0;                               // population_index()'s guess
  weight_scale last_scale_;
};

}  // namespace syn
