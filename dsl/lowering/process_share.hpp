#pragma once

#include <cstdint>
#include <functional>

#include "semantics/model.hpp"
#include "syn/engine/records.hpp"

namespace syn::dsl {

// The neurons (by node id) onto which process `rank` of `processes`, each running `threads`
// threads, builds the synapses (lowering_options::owns): neuron index i (among neurons, in
// declaration order) goes to part i % (processes * threads), which is thread part % threads of
// process part / threads, as the engine deals them (engine/src/parallel/shard.hpp). Process 0
// also builds those onto the neurons whose traces it draws (`record v ... plot`), whose inputs
// the traces mark; its simulation ignores synapses onto neurons it does not hold.
std::function<bool(node_id)> process_share(const model& m, std::uint32_t rank,
                                           std::uint32_t processes, std::uint32_t threads);

}  // namespace syn::dsl
