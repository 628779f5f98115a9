#include "lowering/connectivity.hpp"

#include <algorithm>
#include <cmath>

namespace syn::dsl {
namespace {

// Floyd's algorithm: k distinct values of [0, n) uniformly, sorted into `chosen`. `taken` has
// at least n entries, all false on entry and on return.
void choose_sorted(std::uint32_t n, std::uint32_t k, random_stream& rng, std::vector<bool>& taken,
                   std::vector<std::uint32_t>& chosen) {
  chosen.clear();
  for (std::uint32_t j = n - k; j < n; ++j) {
    auto t = static_cast<std::uint32_t>(rng.below(std::uint64_t{j} + 1));
    if (taken[t]) t = j;
    taken[t] = true;
    chosen.push_back(t);
  }
  for (const std::uint32_t c : chosen) taken[c] = false;
  std::sort(chosen.begin(), chosen.end());
}

// index + offset, when it lies in [0, n).
std::optional<std::uint32_t> shifted(std::uint32_t index, std::int64_t offset, std::uint32_t n) {
  const std::int64_t j = std::int64_t{index} + offset;
  if (j < 0 || j >= std::int64_t{n}) return std::nullopt;
  return static_cast<std::uint32_t>(j);
}

}  // namespace

connection_pairs::connection_pairs(connection_rule rule, std::uint32_t n_pre, std::uint32_t n_post,
                                   double probability, std::uint32_t degree,
                                   std::optional<std::int64_t> self_offset)
    : rule_(rule),
      n_pre_(n_pre),
      n_post_(n_post),
      probability_(probability),
      degree_(degree),
      self_offset_(self_offset) {
  if (rule == connection_rule::indegree) taken_.resize(n_pre);
  if (rule == connection_rule::outdegree) taken_.resize(n_post);
}

// The partner of a neuron that is itself on the other side, if any.
std::optional<std::uint32_t> connection_pairs::post_self(std::uint32_t pre) const {
  return self_offset_ ? shifted(pre, *self_offset_, n_post_) : std::nullopt;
}

std::optional<std::uint32_t> connection_pairs::pre_self(std::uint32_t post) const {
  return self_offset_ ? shifted(post, -*self_offset_, n_pre_) : std::nullopt;
}

void connection_pairs::bernoulli_pres(std::uint32_t post, random_stream& rng,
                                      const emit_pair& emit) const {
  const std::optional<std::uint32_t> self = pre_self(post);
  const auto emit_other = [&](std::uint32_t pre) {
    if (pre != self) emit(pre, post);
  };
  if (probability_ <= 0.0) return;
  if (probability_ >= 1.0) {
    for (std::uint32_t pre = 0; pre < n_pre_; ++pre) emit_other(pre);
    return;
  }
  // The number of pres skipped before the next chosen one is geometric:
  // P(gap >= g) = (1-p)^g, sampled by inversion. A uniform draw is a multiple of 2^-53, so 1 - u
  // is exact, and log (libm's fast one) takes it where log1p(-u) cost four times as much.
  const double log_q = std::log1p(-probability_);
  std::uint32_t pre = 0;
  while (pre < n_pre_) {
    const double gap = std::floor(std::log(1.0 - rng.uniform()) / log_q);
    if (gap >= static_cast<double>(n_pre_ - pre)) return;
    pre += static_cast<std::uint32_t>(gap);
    emit_other(pre++);
  }
}

// Drawn among n - 1 and shifted past `self`, which keeps them uniform and sorted.
void connection_pairs::choose_partners(std::uint32_t n, std::optional<std::uint32_t> self,
                                       random_stream& rng) {
  choose_sorted(self ? n - 1 : n, degree_, rng, taken_, chosen_);
  if (self)
    for (std::uint32_t& c : chosen_) c += c >= *self ? 1 : 0;
}

void connection_pairs::draw(std::uint32_t key, random_stream& rng, const emit_pair& emit) {
  switch (rule_) {
    case connection_rule::all_to_all: {
      const std::optional<std::uint32_t> self = pre_self(key);
      for (std::uint32_t pre = 0; pre < n_pre_; ++pre)
        if (pre != self) emit(pre, key);
      return;
    }
    case connection_rule::one_to_one:
      if (post_self(key) != key) emit(key, key);
      return;
    case connection_rule::probability:
      bernoulli_pres(key, rng, emit);
      return;
    case connection_rule::indegree:
      choose_partners(n_pre_, pre_self(key), rng);
      for (const std::uint32_t pre : chosen_) emit(pre, key);
      return;
    case connection_rule::outdegree:
      choose_partners(n_post_, post_self(key), rng);
      for (const std::uint32_t post : chosen_) emit(key, post);
      return;
  }
}

void connection_pairs::draw_all(std::uint64_t seed, std::uint64_t statement,
                                const emit_pair& emit) {
  for (std::uint32_t key = 0; key < key_count(); ++key) {
    random_stream rng(seed, stream_purpose::connect, statement, key);
    draw(key, rng, emit);
  }
}

}  // namespace syn::dsl
