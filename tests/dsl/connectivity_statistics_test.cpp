// The random connection rules at the scale of a real network (1000 x 1000, fixed seeds): counts
// within 4 sigma, and degree distributions against the binomial by chi-square at the 0.1 %
// level, so that a biased or correlated draw fails while any sound generator passes.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <vector>

#include "lowering/connectivity.hpp"

namespace syn::dsl {
namespace {

constexpr std::uint32_t n = 1000;

struct degrees {
  std::vector<int> in = std::vector<int>(n);
  std::vector<int> out = std::vector<int>(n);
  std::uint64_t total = 0;
};

degrees connect(connection_rule rule, double p, std::uint32_t k,
                std::optional<std::int64_t> self_offset = {}) {
  degrees d;
  std::vector<bool> seen(std::size_t{n} * n);
  connection_pairs pairs(rule, n, n, p, k, self_offset);
  pairs.draw_all(2024, 0, [&](std::uint32_t pre, std::uint32_t post) {
    EXPECT_FALSE(seen[std::size_t{pre} * n + post]) << "twice: " << pre << "->" << post;
    seen[std::size_t{pre} * n + post] = true;
    if (self_offset) {
      EXPECT_NE(std::int64_t{post}, pre + *self_offset) << "autapse " << pre;
    }
    ++d.out[pre];
    ++d.in[post];
    ++d.total;
  });
  return d;
}

double binomial_pmf(int trials, double p, int k) {
  return std::exp(std::lgamma(trials + 1.0) - std::lgamma(k + 1.0) - std::lgamma(trials - k + 1.0) +
                  k * std::log(p) + (trials - k) * std::log1p(-p));
}

// Pearson's chi-square of `counts` (one per neuron) against Binomial(trials, p), values pooled
// into bins expecting at least 5 neurons each. Returns the statistic and its degrees of freedom.
std::pair<double, int> chi_square(const std::vector<int>& counts, int trials, double p) {
  std::vector<int> observed(trials + 1);
  for (const int c : counts) ++observed.at(c);
  const double size = static_cast<double>(counts.size());
  std::vector<std::pair<double, double>> bins;  // expected, observed
  double expected = 0.0, seen = 0.0;
  for (int k = 0; k <= trials; ++k) {
    expected += size * binomial_pmf(trials, p, k);
    seen += observed[k];
    if (expected >= 5.0) {
      bins.emplace_back(expected, seen);
      expected = seen = 0.0;
    }
  }
  bins.back().first += expected;  // the thin upper tail joins the last bin
  bins.back().second += seen;
  double statistic = 0.0;
  for (const auto& [e, o] : bins) statistic += (o - e) * (o - e) / e;
  return {statistic, static_cast<int>(bins.size()) - 1};
}

// The chi-square value exceeded with probability 0.1 % (Wilson-Hilferty).
double chi_square_critical(int df) {
  const double z = 3.0902, h = 2.0 / (9.0 * df);
  return df * std::pow(1.0 - h + z * std::sqrt(h), 3);
}

void expect_binomial(const std::vector<int>& counts, int trials, double p) {
  const double mean = trials * p, variance = trials * p * (1 - p);
  double sum = 0.0, squares = 0.0;
  for (const int c : counts) sum += c;
  const double m = sum / static_cast<double>(counts.size());
  for (const int c : counts) squares += (c - m) * (c - m);
  const double s2 = squares / static_cast<double>(counts.size() - 1);
  const double size = static_cast<double>(counts.size());
  EXPECT_NEAR(m, mean, 4 * std::sqrt(variance / size));
  EXPECT_NEAR(s2, variance, 4 * variance * std::sqrt(2 / (size - 1)));  // normal approximation
  const auto [statistic, df] = chi_square(counts, trials, p);
  EXPECT_GT(df, 10);
  EXPECT_LT(statistic, chi_square_critical(df)) << df << " degrees of freedom";
}

TEST(connectivity_statistics, probability_count_and_degrees_are_binomial) {
  const double p = 0.1;
  const degrees d = connect(connection_rule::probability, p, 0);
  const double pairs = double{n} * n;
  EXPECT_NEAR(static_cast<double>(d.total), p * pairs, 4 * std::sqrt(pairs * p * (1 - p)));
  expect_binomial(d.in, n, p);
  expect_binomial(d.out, n, p);
}

TEST(connectivity_statistics, probability_without_autapses_draws_from_the_others) {
  const double p = 0.1;
  const degrees d = connect(connection_rule::probability, p, 0, 0);
  const double pairs = double{n} * (n - 1);
  EXPECT_NEAR(static_cast<double>(d.total), p * pairs, 4 * std::sqrt(pairs * p * (1 - p)));
  expect_binomial(d.in, n - 1, p);
  expect_binomial(d.out, n - 1, p);
}

TEST(connectivity_statistics, indegree_is_exact_and_outdegrees_binomial) {
  const std::uint32_t k = 100;
  const degrees d = connect(connection_rule::indegree, 0, k);
  EXPECT_EQ(d.total, std::uint64_t{n} * k);
  EXPECT_TRUE(std::all_of(d.in.begin(), d.in.end(), [&](int c) { return c == int{k}; }));
  // Each post picks a given pre with probability k / n, independently of the other posts.
  expect_binomial(d.out, n, double{k} / n);
}

TEST(connectivity_statistics, outdegree_is_exact_and_indegrees_binomial) {
  const std::uint32_t k = 100;
  const degrees d = connect(connection_rule::outdegree, 0, k, 0);
  EXPECT_EQ(d.total, std::uint64_t{n} * k);
  EXPECT_TRUE(std::all_of(d.out.begin(), d.out.end(), [&](int c) { return c == int{k}; }));
  // Without autapses each pre picks a given other post with probability k / (n - 1).
  expect_binomial(d.in, n - 1, double{k} / (n - 1));
}

}  // namespace
}  // namespace syn::dsl
