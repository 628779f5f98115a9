// Connection rules: exact pairs for the deterministic rules, counts and per-pair or per-neuron
// frequencies within 4-5 sigma (fixed seeds) for the random ones.

#include "lowering/connectivity.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <utility>
#include <vector>

namespace syn::dsl {
namespace {

using pair_list = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

// The pairs of statement `index` with seed 99, as lower() draws them.
pair_list pairs(connection_rule rule, std::uint32_t n_pre, std::uint32_t n_post, double p = 0,
                std::uint32_t k = 0, std::uint64_t index = 0,
                std::optional<std::int64_t> self_offset = {}) {
  pair_list out;
  connection_pairs(rule, n_pre, n_post, p, k, self_offset)
      .draw_all(99, index,
                [&](std::uint32_t pre, std::uint32_t post) { out.emplace_back(pre, post); });
  return out;
}

// Every pair, grouped by post: (0,0), (1,0), ..., (0,1), ...
pair_list every_pair(std::uint32_t n_pre, std::uint32_t n_post) {
  pair_list out;
  for (std::uint32_t post = 0; post < n_post; ++post)
    for (std::uint32_t pre = 0; pre < n_pre; ++pre) out.emplace_back(pre, post);
  return out;
}

// Every pair, grouped by pre, as `with outdegree` draws them.
pair_list every_pair_by_pre(std::uint32_t n_pre, std::uint32_t n_post) {
  pair_list out;
  for (std::uint32_t pre = 0; pre < n_pre; ++pre)
    for (std::uint32_t post = 0; post < n_post; ++post) out.emplace_back(pre, post);
  return out;
}

TEST(connectivity, all_to_all_emits_every_pair_post_major) {
  EXPECT_EQ(pairs(connection_rule::all_to_all, 3, 4), every_pair(3, 4));
  EXPECT_TRUE(pairs(connection_rule::all_to_all, 0, 4).empty());
}

TEST(connectivity, one_to_one_pairs_equal_indices) {
  EXPECT_EQ(pairs(connection_rule::one_to_one, 3, 3), (pair_list{{0, 0}, {1, 1}, {2, 2}}));
}

TEST(connectivity, probability_zero_and_one_are_exact) {
  EXPECT_TRUE(pairs(connection_rule::probability, 300, 300, 0.0).empty());
  EXPECT_EQ(pairs(connection_rule::probability, 30, 40, 1.0), every_pair(30, 40));
  EXPECT_TRUE(pairs(connection_rule::probability, 0, 40, 0.5).empty());
}

TEST(connectivity, probability_count_is_binomial_and_pairs_are_distinct_in_order) {
  const double p = 0.05, n = 200.0 * 300.0;
  const pair_list got = pairs(connection_rule::probability, 200, 300, p);
  EXPECT_NEAR(static_cast<double>(got.size()), p * n, 4 * std::sqrt(n * p * (1 - p)));
  // Posts ascending, and each post's pres ascending.
  EXPECT_TRUE(std::adjacent_find(got.begin(), got.end(), [](const auto& a, const auto& b) {
                return std::pair(a.second, a.first) >= std::pair(b.second, b.first);
              }) == got.end());
  for (const auto& [pre, post] : got) {
    ASSERT_LT(pre, 200u);
    ASSERT_LT(post, 300u);
  }
}

TEST(connectivity, probability_gives_every_pair_the_same_chance) {
  const double p = 0.3;
  const int repeats = 2000;
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> counts;
  for (int r = 0; r < repeats; ++r)
    for (const auto& pair : pairs(connection_rule::probability, 10, 10, p, 0, r)) ++counts[pair];
  ASSERT_EQ(counts.size(), 100u);  // corners included
  for (const auto& [pair, count] : counts)
    EXPECT_NEAR(count, p * repeats, 5 * std::sqrt(repeats * p * (1 - p)))
        << pair.first << "->" << pair.second;
}

// Checks that each of `n_major` neurons got exactly k distinct partners in ascending order, with
// majors ascending, and returns how often each minor neuron was chosen.
std::vector<int> check_degree(const pair_list& got, bool by_post, std::uint32_t n_major,
                              std::uint32_t n_minor, std::uint32_t k) {
  EXPECT_EQ(got.size(), std::size_t{n_major} * k);
  std::vector<int> used(n_minor);
  for (std::size_t i = 0; i < got.size(); ++i) {
    const auto [major, minor] =
        by_post ? std::pair(got[i].second, got[i].first) : std::pair(got[i].first, got[i].second);
    EXPECT_EQ(major, i / k);
    if (i % k != 0) {
      const std::uint32_t previous = by_post ? got[i - 1].first : got[i - 1].second;
      EXPECT_LT(previous, minor);
    }
    ++used.at(minor);
  }
  return used;
}

TEST(connectivity, indegree_gives_each_post_k_distinct_uniform_pres) {
  const std::uint32_t n_pre = 50, n_post = 2000, k = 10;
  const auto used =
      check_degree(pairs(connection_rule::indegree, n_pre, n_post, 0, k), true, n_post, n_pre, k);
  const double q = double{k} / n_pre;
  for (const int u : used) EXPECT_NEAR(u, n_post * q, 5 * std::sqrt(n_post * q * (1 - q)));
}

TEST(connectivity, outdegree_gives_each_pre_k_distinct_uniform_posts) {
  const std::uint32_t n_pre = 2000, n_post = 50, k = 10;
  const auto used =
      check_degree(pairs(connection_rule::outdegree, n_pre, n_post, 0, k), false, n_pre, n_post, k);
  const double q = double{k} / n_post;
  for (const int u : used) EXPECT_NEAR(u, n_pre * q, 5 * std::sqrt(n_pre * q * (1 - q)));
}

TEST(connectivity, degree_edge_cases) {
  EXPECT_EQ(pairs(connection_rule::outdegree, 3, 4, 0, 4), every_pair_by_pre(3, 4));
  EXPECT_EQ(pairs(connection_rule::indegree, 3, 1, 0, 3), every_pair(3, 1));
  EXPECT_TRUE(pairs(connection_rule::indegree, 3, 5, 0, 0).empty());
}

TEST(connectivity, degree_subsets_are_equally_likely) {
  // Choosing 2 of 4: each of the 6 subsets with probability 1/6.
  const int posts = 6000;
  std::map<std::pair<std::uint32_t, std::uint32_t>, int> subsets;
  std::uint32_t first = 0;
  int seen = 0;
  connection_pairs(connection_rule::indegree, 4, posts, 0, 2, std::nullopt)
      .draw_all(3, 0, [&](std::uint32_t pre, std::uint32_t) {
        if (seen++ % 2 == 0)
          first = pre;
        else
          ++subsets[{first, pre}];
      });
  ASSERT_EQ(subsets.size(), 6u);
  double chi_square = 0.0;
  for (const auto& [subset, count] : subsets)
    chi_square += (count - posts / 6.0) * (count - posts / 6.0) / (posts / 6.0);
  EXPECT_LT(chi_square, 30.0);  // 5 degrees of freedom: P(> 30) ~ 1.5e-5
}

TEST(connectivity, same_stream_gives_same_pairs) {
  for (const connection_rule rule :
       {connection_rule::probability, connection_rule::indegree, connection_rule::outdegree}) {
    const pair_list a = pairs(rule, 40, 60, 0.2, 5, 1);
    EXPECT_EQ(a, pairs(rule, 40, 60, 0.2, 5, 1));
    EXPECT_NE(a, pairs(rule, 40, 60, 0.2, 5, 2));
  }
}

// Without autapses: post j and pre i are the same neuron when j == i + offset.
bool is_autapse(const std::pair<std::uint32_t, std::uint32_t>& pair, std::int64_t offset) {
  return std::int64_t{pair.second} == std::int64_t{pair.first} + offset;
}

pair_list without_autapses(pair_list all, std::int64_t offset) {
  std::erase_if(all, [&](const auto& pair) { return is_autapse(pair, offset); });
  return all;
}

TEST(connectivity, without_autapses_all_to_all_and_probability_drop_only_the_self_pairs) {
  // p[0..9] -> p[0..9]: the diagonal; p[0..9] -> p[5..14]: post j is pre j + 5.
  for (const std::int64_t offset : {0, -5}) {
    EXPECT_EQ(pairs(connection_rule::all_to_all, 10, 10, 0, 0, 0, offset),
              without_autapses(every_pair(10, 10), offset));
    EXPECT_EQ(pairs(connection_rule::probability, 10, 10, 1.0, 0, 0, offset),
              without_autapses(every_pair(10, 10), offset));
    // Same stream, same draws: exactly the pairs made with autapses, less the autapses.
    const pair_list with = pairs(connection_rule::probability, 300, 300, 0.3, 0, 4);
    const pair_list without = pairs(connection_rule::probability, 300, 300, 0.3, 0, 4, offset);
    EXPECT_EQ(without, without_autapses(with, offset));
    EXPECT_LT(without.size(), with.size());  // some autapses were drawn, and dropped
  }
}

TEST(connectivity, without_autapses_one_to_one_keeps_a_shifted_chain) {
  // p[0..8] -> p[1..9]: post j is pre j + 1, never the same neuron.
  EXPECT_EQ(pairs(connection_rule::one_to_one, 9, 9, 0, 0, 0, 1),
            pairs(connection_rule::one_to_one, 9, 9));
  EXPECT_TRUE(pairs(connection_rule::one_to_one, 9, 9, 0, 0, 0, 0).empty());
}

TEST(connectivity, without_autapses_indegree_draws_k_others_uniformly) {
  const std::uint32_t n = 20, posts = 20, k = 5;
  const int repeats = 300;
  std::vector<std::vector<int>> chosen(posts, std::vector<int>(n));
  for (int r = 0; r < repeats; ++r) {
    const pair_list got = pairs(connection_rule::indegree, n, posts, 0, k, r, 0);
    check_degree(got, true, posts, n, k);
    for (const auto& pair : got) {
      ASSERT_FALSE(is_autapse(pair, 0)) << pair.first;
      ++chosen[pair.second][pair.first];
    }
  }
  // Each of the 19 others with probability k / 19 per draw.
  const double q = double{k} / (n - 1);
  for (std::uint32_t post = 0; post < posts; ++post)
    for (std::uint32_t pre = 0; pre < n; ++pre)
      if (pre != post) {
        EXPECT_NEAR(chosen[post][pre], repeats * q, 5 * std::sqrt(repeats * q * (1 - q)));
      }
  // k = n - 1: every other neuron, exactly.
  pair_list others;
  for (std::uint32_t post = 0; post < n; ++post)
    for (std::uint32_t pre = 0; pre < n; ++pre)
      if (pre != post) others.emplace_back(pre, post);
  EXPECT_EQ(pairs(connection_rule::indegree, n, n, 0, n - 1, 0, 0), others);
}

TEST(connectivity, without_autapses_outdegree_on_overlapping_ranges) {
  // p[0..9] -> p[5..14]: pres 5..9 are posts 0..4, pres 0..4 have no self among the posts.
  const std::uint32_t n_pre = 10, n_post = 10, k = 9;
  const pair_list got = pairs(connection_rule::outdegree, n_pre, n_post, 0, k, 3, -5);
  check_degree(got, false, n_pre, n_post, k);
  for (const auto& pair : got) EXPECT_FALSE(is_autapse(pair, -5)) << pair.first;
  // Pres 5..9 have 9 others to choose from, so they reach exactly those.
  const pair_list all = every_pair_by_pre(n_pre, n_post);
  EXPECT_EQ(pair_list(got.begin() + 5 * k, got.end()),
            without_autapses(pair_list(all.begin() + 5 * n_post, all.end()), -5));
}

TEST(connectivity, without_autapses_changes_nothing_when_no_neuron_is_on_both_sides) {
  // p[0..9] -> p[10..19]: post j would be pre j + 10, out of range.
  for (const connection_rule rule :
       {connection_rule::probability, connection_rule::indegree, connection_rule::outdegree})
    EXPECT_EQ(pairs(rule, 10, 10, 0.2, 4, 7, -10), pairs(rule, 10, 10, 0.2, 4, 7));
}

}  // namespace
}  // namespace syn::dsl
