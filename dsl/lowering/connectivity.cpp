#include "lowering/connectivity.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace syn::dsl {
namespace {

void bernoulli_pairs(std::uint32_t n_pre, std::uint32_t n_post, double p, random_stream& rng,
                     const std::function<void(std::uint32_t, std::uint32_t)>& emit) {
  const std::uint64_t total = std::uint64_t{n_pre} * n_post;
  if (p <= 0.0 || total == 0) return;
  if (p >= 1.0) {
    for (std::uint64_t i = 0; i < total; ++i)
      emit(static_cast<std::uint32_t>(i / n_post), static_cast<std::uint32_t>(i % n_post));
    return;
  }
  // The number of pairs skipped before the next created one is geometric:
  // P(gap >= g) = (1-p)^g, sampled by inversion. A uniform draw is a multiple of 2^-53, so 1 - u
  // is exact, and log (libm's fast one) takes it where log1p(-u) cost four times as much.
  const double log_q = std::log1p(-p);
  std::uint64_t i = 0;
  for (;;) {
    const double gap = std::floor(std::log(1.0 - rng.uniform()) / log_q);
    if (gap >= static_cast<double>(total - i)) return;
    i += static_cast<std::uint64_t>(gap);
    emit(static_cast<std::uint32_t>(i / n_post), static_cast<std::uint32_t>(i % n_post));
    if (++i == total) return;
  }
}

// Floyd's algorithm: k distinct values of [0, n) uniformly, sorted into `chosen`. `taken` has
// n entries, all false on entry and on return.
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

// k distinct partners among n, none of them `self` when given: drawn among n - 1 and shifted
// past it, which keeps them uniform and sorted.
void choose_partners(std::uint32_t n, std::uint32_t k, std::optional<std::uint32_t> self,
                     random_stream& rng, std::vector<bool>& taken,
                     std::vector<std::uint32_t>& chosen) {
  choose_sorted(self ? n - 1 : n, k, rng, taken, chosen);
  if (self)
    for (std::uint32_t& c : chosen) c += c >= *self ? 1 : 0;
}

// index + offset, when it lies in [0, n).
std::optional<std::uint32_t> shifted(std::uint32_t index, std::int64_t offset, std::uint32_t n) {
  const std::int64_t j = std::int64_t{index} + offset;
  if (j < 0 || j >= std::int64_t{n}) return std::nullopt;
  return static_cast<std::uint32_t>(j);
}

}  // namespace

void for_each_pair(connection_rule rule, std::uint32_t n_pre, std::uint32_t n_post,
                   double probability, std::uint32_t degree,
                   std::optional<std::int64_t> self_offset, random_stream& rng,
                   const std::function<void(std::uint32_t pre, std::uint32_t post)>& emit) {
  // The partner of a neuron that is itself on the other side, if any.
  const auto post_self = [&](std::uint32_t pre) {
    return self_offset ? shifted(pre, *self_offset, n_post) : std::nullopt;
  };
  const auto pre_self = [&](std::uint32_t post) {
    return self_offset ? shifted(post, -*self_offset, n_pre) : std::nullopt;
  };
  const auto emit_other = [&](std::uint32_t pre, std::uint32_t post) {
    if (post_self(pre) != post) emit(pre, post);
  };
  switch (rule) {
    case connection_rule::all_to_all:
      for (std::uint32_t pre = 0; pre < n_pre; ++pre)
        for (std::uint32_t post = 0; post < n_post; ++post) emit_other(pre, post);
      return;
    case connection_rule::one_to_one:
      for (std::uint32_t i = 0; i < n_pre; ++i) emit_other(i, i);
      return;
    case connection_rule::probability:
      bernoulli_pairs(n_pre, n_post, probability, rng, emit_other);
      return;
    case connection_rule::indegree: {
      std::vector<bool> taken(n_pre);
      std::vector<std::uint32_t> chosen;
      for (std::uint32_t post = 0; post < n_post; ++post) {
        choose_partners(n_pre, degree, pre_self(post), rng, taken, chosen);
        for (const std::uint32_t pre : chosen) emit(pre, post);
      }
      return;
    }
    case connection_rule::outdegree: {
      std::vector<bool> taken(n_post);
      std::vector<std::uint32_t> chosen;
      for (std::uint32_t pre = 0; pre < n_pre; ++pre) {
        choose_partners(n_post, degree, post_self(pre), rng, taken, chosen);
        for (const std::uint32_t post : chosen) emit(pre, post);
      }
      return;
    }
  }
}

}  // namespace syn::dsl
