#pragma once

// Which (pre, post) pairs a connection rule creates. Indices are 0-based within the pre and
// post ranges. The pairs emitted, and their order, depend only on the arguments and the stream.
//
// * all_to_all: every pair, pre-major: (0,0), (0,1), ..., (1,0), ...
// * one_to_one: (i, i) for i < n_pre; the caller guarantees n_pre == n_post.
// * probability: each ordered pair independently with probability `probability`, pre-major.
//   Gaps between created pairs are drawn from the geometric distribution, so the cost grows
//   with the number of synapses, not with n_pre * n_post. p <= 0 creates none, p >= 1 all.
// * indegree k: for each post in ascending order, k distinct pres drawn uniformly, emitted in
//   ascending pre order; the caller guarantees k <= n_pre.
// * outdegree k: for each pre in ascending order, k distinct posts drawn uniformly, emitted in
//   ascending post order; the caller guarantees k <= n_post.
//
// Autapses are allowed by default, as in NEST and Brian2. With `self_offset` set, post j and
// pre i are the same neuron when j == i + *self_offset, and such pairs are never emitted:
// all_to_all, one_to_one and probability drop them from what they would emit otherwise (same
// stream, same draws); indegree and outdegree draw their k partners among the others, so the
// caller guarantees k <= n - 1 for a neuron on both sides.

#include <cstdint>
#include <functional>
#include <optional>

#include "lowering/random_stream.hpp"
#include "semantics/model.hpp"

namespace syn::dsl {

void for_each_pair(connection_rule rule, std::uint32_t n_pre, std::uint32_t n_post,
                   double probability, std::uint32_t degree,
                   std::optional<std::int64_t> self_offset, random_stream& rng,
                   const std::function<void(std::uint32_t pre, std::uint32_t post)>& emit);

}  // namespace syn::dsl
