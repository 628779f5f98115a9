#include "connectivity.hpp"

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
  // P(gap >= g) = (1-p)^g, sampled by inversion.
  const double log_q = std::log1p(-p);
  std::uint64_t i = 0;
  for (;;) {
    const double gap = std::floor(std::log1p(-rng.uniform()) / log_q);
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

}  // namespace

void for_each_pair(connection_rule rule, std::uint32_t n_pre, std::uint32_t n_post,
                   double probability, std::uint32_t degree, random_stream& rng,
                   const std::function<void(std::uint32_t pre, std::uint32_t post)>& emit) {
  switch (rule) {
    case connection_rule::all_to_all:
      for (std::uint32_t pre = 0; pre < n_pre; ++pre)
        for (std::uint32_t post = 0; post < n_post; ++post) emit(pre, post);
      return;
    case connection_rule::one_to_one:
      for (std::uint32_t i = 0; i < n_pre; ++i) emit(i, i);
      return;
    case connection_rule::probability:
      bernoulli_pairs(n_pre, n_post, probability, rng, emit);
      return;
    case connection_rule::indegree: {
      std::vector<bool> taken(n_pre);
      std::vector<std::uint32_t> chosen;
      for (std::uint32_t post = 0; post < n_post; ++post) {
        choose_sorted(n_pre, degree, rng, taken, chosen);
        for (const std::uint32_t pre : chosen) emit(pre, post);
      }
      return;
    }
    case connection_rule::outdegree: {
      std::vector<bool> taken(n_post);
      std::vector<std::uint32_t> chosen;
      for (std::uint32_t pre = 0; pre < n_pre; ++pre) {
        choose_sorted(n_post, degree, rng, taken, chosen);
        for (const std::uint32_t post : chosen) emit(pre, post);
      }
      return;
    }
  }
}

}  // namespace syn::dsl
