#pragma once

#include <cstddef>
#include <cstdint>

#include "semantics/model.hpp"

namespace syn::dsl {

// The synapses that `connect` statement `connection` of `m` creates when lowered with `seed`:
// exactly lower()'s number, without building them. All rules but `with probability` give it by
// arithmetic; that one draws the same pairs from the same streams as lower() and counts them,
// so it takes time in proportion to the count and the posts (no memory).
std::uint64_t synapse_count(const model& m, std::size_t connection, std::uint64_t seed);

}  // namespace syn::dsl
