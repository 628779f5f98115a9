#pragma once

#include <optional>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "semantics/model.hpp"
#include "syn/engine/network.hpp"

namespace syn::dsl {

// The engine network of a checked model: populations and trains become node ranges in
// declaration order, random draws (v0, connectivity, weights, delays, Poisson trains) come from
// streams derived from the seed, one per statement, so editing one statement leaves the
// others' draws alone.
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
