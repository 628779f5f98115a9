// The chain responses against long-double closed forms away from coinciding rates, and against
// their limits (t e^{-at}, t^2/2 e^{-at}) where rates coincide.
#include "numerics/divided_difference.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace syn::detail {
namespace {

long double textbook2(long double a, long double b, long double t) {
  return (std::exp(-b * t) - std::exp(-a * t)) / (a - b);
}

long double textbook3(long double a, long double b, long double c, long double t) {
  return std::exp(-a * t) / ((b - a) * (c - a)) + std::exp(-b * t) / ((a - b) * (c - b)) +
         std::exp(-c * t) / ((a - c) * (b - c));
}

TEST(chain2, matches_textbook_form_for_distinct_rates) {
  for (const double t : {0.01, 0.5, 3.0, 40.0})
    EXPECT_NEAR(chain2(2.0, 0.1, t), static_cast<double>(textbook2(2.0L, 0.1L, t)),
                1e-15 * std::abs(static_cast<double>(textbook2(2.0L, 0.1L, t))) + 1e-300);
}

TEST(chain2, is_t_exp_at_equal_rates_and_smooth_near_them) {
  const double a = 0.2;
  for (const double t : {0.1, 5.0, 30.0}) {
    const double limit = t * std::exp(-a * t);
    EXPECT_DOUBLE_EQ(chain2(a, a, t), limit);
    for (int k = 1; k <= 15; ++k) {
      const double b = a * (1.0 + std::pow(10.0, -k));
      // The exact value lies between the single exponentials' midpoint forms; the deviation from
      // the limit is first order in (b - a) t.
      EXPECT_NEAR(chain2(a, b, t), limit, limit * (2.0 * (b - a) * t + 1e-14));
      EXPECT_DOUBLE_EQ(chain2(a, b, t), chain2(b, a, t));
    }
  }
}

TEST(chain3, matches_textbook_form_for_distinct_rates) {
  for (const double t : {0.05, 1.0, 7.0, 60.0}) {
    const long double ref = textbook3(3.0L, 0.5L, 0.1L, t);
    EXPECT_NEAR(chain3(3.0, 0.5, 0.1, t), static_cast<double>(ref),
                1e-14 * static_cast<double>(ref));
  }
}

TEST(chain3, is_half_t_squared_exp_at_triple_rate_and_symmetric) {
  const double a = 0.4;
  for (const double t : {0.2, 2.5, 20.0}) {
    const double limit = 0.5 * t * t * std::exp(-a * t);
    EXPECT_NEAR(chain3(a, a, a, t), limit, 1e-15 * limit);
    const double near = chain3(a, a * (1 + 1e-9), a * (1 - 1e-9), t);
    EXPECT_NEAR(near, limit, 1e-12 * limit);
    EXPECT_DOUBLE_EQ(chain3(0.1, a, 2.0, t), chain3(2.0, 0.1, a, t));
  }
}

TEST(chain3, two_equal_rates_match_limit_form) {
  // Rates a, a, c: h_3 = [e^{-ct} - e^{-at} (1 - (c - a) t)] / (c - a)^2.
  const long double a = 0.1L, c = 0.7L;
  for (const double t : {0.5, 3.0, 25.0}) {
    const long double d = c - a;
    const long double ref = (std::exp(-c * t) - std::exp(-a * t) * (1 - d * t)) / (d * d);
    EXPECT_NEAR(chain3(0.1, 0.1, 0.7, t), static_cast<double>(ref),
                1e-13 * static_cast<double>(ref));
  }
}

TEST(chain2_peak_time, solves_the_derivative) {
  EXPECT_DOUBLE_EQ(chain2_peak_time(0.5, 0.5), 2.0);
  const double a = 2.0, b = 0.1;
  EXPECT_NEAR(chain2_peak_time(a, b), std::log(a / b) / (a - b), 1e-15);
}

}  // namespace
}  // namespace syn::detail
