#pragma once

#include <optional>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "semantics/model.hpp"
#include "syn/engine/network.hpp"

namespace syn::dsl {

// The engine network of a checked model: populations and trains become node ranges in
// declaration order. Random draws come from streams derived from the seed, each keyed by what
// it is for: a neuron's v0 by (population, element); the synapses onto a post of a `connect`
// statement, their pres, weights and delays, by (statement, post), or with `outdegree` those
// from a pre by (statement, pre); a Poisson source by (train, element). Editing one statement
// so leaves the others' draws alone. Each `connect` statement becomes a projection
// (statement_synapses), whose synapses the engine makes when it builds its store: a thread or
// process that makes only those onto its own neurons gets exactly what a whole build makes.
struct lowered {
  network net;
  std::vector<node_id> first_node;  // of each group
  // The model's receptor (m.receptors) behind each engine receptor: one whose reversal follows
  // from its ions becomes one engine receptor per reversal it takes on the neurons it reaches.
  std::vector<std::uint32_t> receptor_of;
};

// Errors the engine finds (a weight it cannot carry, ...) are reported at the statement that
// caused them.
std::optional<lowered> lower(const model& m, std::uint64_t seed, diagnostics& diags);

}  // namespace syn::dsl
