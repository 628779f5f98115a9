#pragma once

#include "diagnostics/diagnostics.hpp"
#include "lowering/memory_budget.hpp"
#include "semantics/model.hpp"

namespace syn::dsl {

// What a model may ask for before it is built: beyond these, a typo (`1e9 x LIF`, `every 1 us`
// over hours) would exhaust the machine's memory, its disk or the user's patience instead of
// failing with a message. Within all of them a model fits in a 24 GiB machine's memory, which
// the memory estimate below checks for the machine at hand.
struct limits {
  double nodes = 3e7;  // neurons and spike sources
  double synapses = 2e8;
  // Spikes the trains are expected to generate: they are drawn while the simulation runs and
  // only the recorded ones are kept (on disk), so this bounds work and output.
  double source_spikes = 1e10;
  double samples = 1e8;  // recorded values of V: about 3 GB of v.csv
};

// What building a model takes, in bytes, measured on networks of 10^7 neurons and 2·10^7
// synapses (docs/robustness.md) and rounded up: a neuron or source with its state, queues and
// names, and the run's statistics of its spikes (40 bytes); a synapse in the store, which is all
// a build holds of it (its target; its weight and its delay when drawn; a delay group, or a
// segment of synapses with their own delays, per presynaptic node and statement); a spike time
// held by a `times` or `file` train. The engine counts what a run adds (simulator::limit_memory).
struct memory_costs {
  static constexpr double per_node = 240.0;
  static constexpr double per_synapse = 4.0;
  static constexpr double per_drawn_weight = 8.0;
  static constexpr double per_drawn_delay = 4.0;
  static constexpr double per_group = 48.0;
  static constexpr double per_held_spike = 16.0;
};

enum class fit {
  yes,
  over_a_limit,  // a model error: the same everywhere
  over_memory,   // a run-time error: too large for this machine's memory
};

// Estimates what lowering and running `m` up to `until` would create, and what building it
// takes of memory_budget::of_this_process(); each estimate over its limit is an error at the
// statement that causes it (the first only).
fit within_limits(const model& m, double until, diagnostics& diags, const limits& caps = {});

// The bytes that building `m` takes (memory_costs).
double model_bytes(const model& m);

}  // namespace syn::dsl
