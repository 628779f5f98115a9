// The stream against the reference xoshiro256**/splitmix64 (values computed independently),
// and the distributions' moments over 1e5 draws with fixed seeds (bounds of 4+ sigma).

#include "lowering/random_stream.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

namespace syn::dsl {
namespace {

constexpr int draws = 100000;

struct moments {
  double mean = 0.0;
  double sd = 0.0;
  double min = INFINITY;
  double max = -INFINITY;
};

template <typename Draw>
moments sample(Draw draw) {
  std::vector<double> xs(draws);
  for (double& x : xs) x = draw();
  moments m;
  for (const double x : xs) m.mean += x / draws;
  for (const double x : xs) m.sd += (x - m.mean) * (x - m.mean) / (draws - 1);
  m.sd = std::sqrt(m.sd);
  m.min = *std::min_element(xs.begin(), xs.end());
  m.max = *std::max_element(xs.begin(), xs.end());
  return m;
}

distribution make(distribution::kind shape, double a, double b = 0.0) {
  return {.shape = shape, .a = a, .b = b, .where = {}};
}

TEST(random_stream, matches_the_reference_generator_bit_for_bit) {
  random_stream rng(42, stream_purpose::connect, 7);
  EXPECT_EQ(rng.next(), 0xbaf584f97c5455a3u);
  EXPECT_EQ(rng.next(), 0x0e193ef28950799au);
  EXPECT_EQ(rng.uniform(), 0.46317090666846783);
}

TEST(random_stream, is_reproducible) {
  random_stream a(1, stream_purpose::v0, 3), b(1, 1, 3);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next());
}

TEST(random_stream, differs_for_every_seed_purpose_and_index) {
  const std::array<random_stream, 5> variants = {random_stream(1, 1, 0), random_stream(2, 1, 0),
                                                 random_stream(1, 2, 0), random_stream(1, 1, 1),
                                                 random_stream(0, 0, 0)};
  std::vector<std::uint64_t> seen;
  for (random_stream rng : variants)
    for (int i = 0; i < 1000; ++i) seen.push_back(rng.next());
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

TEST(random_stream, a_fourth_key_part_gives_each_element_its_own_stream) {
  // The streams of 2000 elements under two statements and two purposes, and the three-part
  // streams of those statements: no two share a value among their first draws.
  std::vector<std::uint64_t> seen;
  const auto take = [&](random_stream rng) {
    for (int i = 0; i < 8; ++i) seen.push_back(rng.next());
  };
  for (const stream_purpose purpose : {stream_purpose::connect, stream_purpose::synapse_values})
    for (std::uint64_t statement = 0; statement < 2; ++statement) {
      take(random_stream(5, purpose, statement));
      for (std::uint64_t element = 0; element < 2000; ++element)
        take(random_stream(5, purpose, statement, element));
    }
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
  random_stream a(5, stream_purpose::v0, 1, 7), b(5, stream_purpose::v0, 1, 7);
  for (int i = 0; i < 1000; ++i) ASSERT_EQ(a.next(), b.next());
}

TEST(random_stream, uniform_is_in_the_half_open_unit_interval) {
  random_stream rng(5, 0, 0);
  const moments m = sample([&] { return rng.uniform(); });
  EXPECT_GE(m.min, 0.0);
  EXPECT_LT(m.max, 1.0);
  EXPECT_NEAR(m.mean, 0.5, 4 * std::sqrt(1.0 / 12 / draws));
  EXPECT_NEAR(m.sd, std::sqrt(1.0 / 12), 0.005);

  const moments scaled = sample([&] { return rng.uniform(-2.0, 6.0); });
  EXPECT_GE(scaled.min, -2.0);
  EXPECT_LT(scaled.max, 6.0);
  EXPECT_NEAR(scaled.mean, 2.0, 4 * 8 * std::sqrt(1.0 / 12 / draws));
}

TEST(random_stream, below_covers_its_range_uniformly) {
  random_stream rng(6, 0, 0);
  std::array<int, 10> counts{};
  for (int i = 0; i < draws; ++i) ++counts.at(rng.below(10));
  double chi_square = 0.0;
  for (const int c : counts) chi_square += (c - draws / 10.0) * (c - draws / 10.0) / (draws / 10.0);
  EXPECT_LT(chi_square, 40.0);  // 9 degrees of freedom: P(> 40) ~ 1e-5

  EXPECT_EQ(rng.below(1), 0u);
  // A bound just above 2^63 rejects nearly half the raw draws; the top third must still appear.
  const std::uint64_t n = (std::uint64_t{1} << 63) + (std::uint64_t{1} << 62);
  int high = 0;
  for (int i = 0; i < 30000; ++i) {
    const std::uint64_t x = rng.below(n);
    ASSERT_LT(x, n);
    high += x >= (std::uint64_t{1} << 63);
  }
  EXPECT_NEAR(high, 10000, 4 * std::sqrt(30000 * 2.0 / 9));
}

TEST(random_stream, normal_has_its_mean_and_sd) {
  random_stream rng(7, 0, 0);
  const moments m = sample([&] { return rng.normal(3.0, 2.0); });
  EXPECT_NEAR(m.mean, 3.0, 4 * 2.0 / std::sqrt(draws));
  EXPECT_NEAR(m.sd, 2.0, 4 * 2.0 / std::sqrt(2.0 * draws));
}

TEST(random_stream, exponential_has_its_mean) {
  random_stream rng(8, 0, 0);
  const moments m = sample([&] { return rng.exponential(5.0); });
  EXPECT_GE(m.min, 0.0);
  EXPECT_NEAR(m.mean, 5.0, 4 * 5.0 / std::sqrt(draws));
  EXPECT_NEAR(m.sd, 5.0, 0.1);
}

TEST(random_stream, draw_follows_each_shape) {
  random_stream rng(9, 0, 0);
  EXPECT_EQ(rng.draw(make(distribution::kind::constant, 1.5)), 1.5);
  const moments u = sample([&] { return rng.draw(make(distribution::kind::uniform, 1.0, 2.0)); });
  EXPECT_GE(u.min, 1.0);
  EXPECT_LT(u.max, 2.0);
  const moments e = sample([&] { return rng.draw(make(distribution::kind::exponential, 0.5)); });
  EXPECT_NEAR(e.mean, 0.5, 4 * 0.5 / std::sqrt(draws));
  const moments n = sample([&] { return rng.draw(make(distribution::kind::normal, 30.0, 5.0)); });
  EXPECT_NEAR(n.mean, 30.0, 4 * 5.0 / std::sqrt(draws));
}

// E[X | X >= 0] for X ~ N(mean, sd): mean + sd phi(alpha) / (1 - Phi(alpha)), alpha = -mean/sd.
double truncated_mean(double mean, double sd) {
  const double alpha = -mean / sd;
  const double phi = std::exp(-alpha * alpha / 2) / std::sqrt(2 * std::numbers::pi);
  return mean + sd * phi / (0.5 * std::erfc(alpha / std::numbers::sqrt2));
}

TEST(random_stream, signed_quantities_take_the_normal_as_drawn) {
  // v0 = normal(-65 mV, 1 mV): no redraw, so no value is pushed to 0 or above.
  random_stream rng(10, 0, 0);
  const moments m = sample([&] { return rng.draw(make(distribution::kind::normal, -65.0, 1.0)); });
  EXPECT_NEAR(m.mean, -65.0, 4 / std::sqrt(draws));
  EXPECT_NEAR(m.sd, 1.0, 4 / std::sqrt(2.0 * draws));
  EXPECT_LT(m.max, -55.0);
}

TEST(random_stream, magnitudes_are_redrawn_when_negative) {
  random_stream rng(11, 0, 0);
  for (const double mean : {0.0, 0.1, 2.0}) {
    const moments m =
        sample([&] { return rng.draw_magnitude(make(distribution::kind::normal, mean, 1.0)); });
    EXPECT_GE(m.min, 0.0) << "mean " << mean;
    EXPECT_NEAR(m.mean, truncated_mean(mean, 1.0), 0.01) << "mean " << mean;
  }
}

TEST(random_stream, draw_positive_never_gives_zero_or_less) {
  random_stream rng(12, 0, 0);
  EXPECT_EQ(rng.draw_positive(make(distribution::kind::constant, 0.1)), 0.1);
  for (const distribution& d :
       {make(distribution::kind::normal, 0.0, 1.0), make(distribution::kind::normal, 0.5, 2.0),
        make(distribution::kind::uniform, 0.0, 1.0), make(distribution::kind::exponential, 1e-3)}) {
    const moments m = sample([&] { return rng.draw_positive(d); });
    EXPECT_GT(m.min, 0.0);
  }
}

}  // namespace
}  // namespace syn::dsl
