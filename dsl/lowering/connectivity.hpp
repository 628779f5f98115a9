#pragma once

// Which (pre, post) pairs a connection rule creates. Indices are 0-based within the pre and
// post ranges. The pairs are drawn one neuron at a time, each from a stream of its own, so that
// a process can build the synapses onto its neurons alone and get what a whole build gets: the
// key neuron is the post, except with `outdegree`, where it is the pre. For key neuron k the
// pairs, and their order, depend only on the rule, k and k's stream.
//
// * all_to_all: post j gets every pre, in ascending order.
// * one_to_one: post j gets pre j; the caller guarantees n_pre == n_post.
// * probability: post j gets each pre independently with probability `probability`, in
//   ascending order. Gaps between chosen pres are drawn from the geometric distribution, so the
//   cost grows with the number of synapses, not with n_pre. p <= 0 creates none, p >= 1 all.
// * indegree k: post j gets k distinct pres drawn uniformly, in ascending order; the caller
//   guarantees k <= n_pre.
// * outdegree k: pre i gets k distinct posts drawn uniformly, in ascending order; the caller
//   guarantees k <= n_post.
//
// Autapses are allowed by default, as in NEST and Brian2. With `self_offset` set, post j and
// pre i are the same neuron when j == i + *self_offset, and such pairs are never emitted:
// all_to_all, one_to_one and probability drop them from what they would emit otherwise (same
// stream, same draws); indegree and outdegree draw their k partners among the others, so the
// caller guarantees k <= n - 1 for a neuron on both sides.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "lowering/random_stream.hpp"
#include "semantics/model.hpp"

namespace syn::dsl {

class connection_pairs {
 public:
  using emit_pair = std::function<void(std::uint32_t pre, std::uint32_t post)>;

  connection_pairs(connection_rule rule, std::uint32_t n_pre, std::uint32_t n_post,
                   double probability, std::uint32_t degree,
                   std::optional<std::int64_t> self_offset);

  // Whether the key neurons are the pres (outdegree) or the posts (every other rule).
  bool keyed_by_pre() const { return rule_ == connection_rule::outdegree; }
  std::uint32_t key_count() const { return keyed_by_pre() ? n_pre_ : n_post_; }

  // The pairs of key neuron `key`, partners in ascending order, drawn from `rng` alone.
  void draw(std::uint32_t key, random_stream& rng, const emit_pair& emit);
  // The pairs of every key neuron in ascending order, each from its stream (seed, connect,
  // statement, key): lower()'s pairs, in its order.
  void draw_all(std::uint64_t seed, std::uint64_t statement, const emit_pair& emit);

 private:
  void bernoulli_pres(std::uint32_t post, random_stream& rng, const emit_pair& emit) const;
  // k distinct partners among n, none of them `self` when given, sorted into chosen_.
  void choose_partners(std::uint32_t n, std::optional<std::uint32_t> self, random_stream& rng);
  std::optional<std::uint32_t> post_self(std::uint32_t pre) const;
  std::optional<std::uint32_t> pre_self(std::uint32_t post) const;

  connection_rule rule_;
  std::uint32_t n_pre_, n_post_;
  double probability_;
  std::uint32_t degree_;
  std::optional<std::int64_t> self_offset_;
  std::vector<bool> taken_;  // Floyd's scratch: one per candidate, all false between draws
  std::vector<std::uint32_t> chosen_;
};

}  // namespace syn::dsl
