// Sample times on the decimal grid: k * step computed exactly in decimal and rounded once,
// checked against the decimal written out digit by digit and read by strtod (correctly rounded).

#include "recording/decimal_grid.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <limits>
#include <string>

namespace syn::detail {
namespace {

// k * (digits * 10^-places), as a decimal string, by integer arithmetic.
double exact(unsigned long long k, unsigned long long digits, int places) {
  const unsigned long long product = k * digits;
  unsigned long long scale = 1;
  for (int i = 0; i < places; ++i) scale *= 10;
  const std::string text = fmt::format("{}.{:0{}}", product / scale, product % scale, places);
  return std::strtod(text.c_str(), nullptr);
}

TEST(decimal_grid, the_82nd_tenth_is_8_point_2) {
  const decimal_grid grid(0.1);
  EXPECT_EQ(grid.at(82), 8.2);
  EXPECT_NE(82 * 0.1, 8.2);  // what a running product gives
  EXPECT_EQ(fmt::format("{}", grid.at(82)), "8.2");
  EXPECT_EQ(grid.at(0), 0.0);
  EXPECT_EQ(grid.at(3), 0.3);
}

TEST(decimal_grid, every_time_is_the_decimal_rounded_once) {
  struct step_case {
    double step;
    unsigned long long digits;
    int places;
  };
  for (const step_case c : {step_case{0.1, 1, 1}, {0.025, 25, 3}, {0.3, 3, 1}, {1.7, 17, 1},
                            {0.007, 7, 3}, {2.0, 2, 0}, {0.33, 33, 2}, {1e-05, 1, 5}}) {
    const decimal_grid grid(c.step);
    for (unsigned long long k : {1ULL, 2ULL, 3ULL, 7ULL, 82ULL, 999ULL, 123457ULL, 10000001ULL})
      EXPECT_EQ(grid.at(k), exact(k, c.digits, c.places)) << c.step << " x " << k;
  }
}

TEST(decimal_grid, long_steps_and_huge_counts_take_the_exact_decimal_too) {
  // 16 significant digits: k * digits leaves the exact integers of a double at k = 3.
  const double third = 1.0 / 3.0;
  EXPECT_EQ(fmt::format("{}", third), "0.3333333333333333");
  const decimal_grid grid(third);
  for (unsigned long long k : {3ULL, 1000ULL, 5000ULL})
    EXPECT_EQ(grid.at(k), exact(k, 3333333333333333ULL, 16)) << k;
  // Far beyond 2^64 in the product: 10^19 tenths of a millisecond.
  const decimal_grid tenth(0.1);
  EXPECT_EQ(tenth.at(10'000'000'000'000'000'000ULL), 1e18);
}

TEST(decimal_grid, times_beyond_the_largest_double_are_never_reached) {
  // 2 x 1e308 ms overflows: infinity, so a recorder never waits for it at 0 ms.
  const decimal_grid grid(1e308);
  EXPECT_EQ(grid.at(1), 1e308);
  EXPECT_EQ(grid.at(2), std::numeric_limits<double>::infinity());
}

TEST(decimal_grid, first_at_or_after_is_the_least_such_k) {
  const decimal_grid grid(0.1);
  EXPECT_EQ(grid.first_at_or_after(0.0), 0u);
  EXPECT_EQ(grid.first_at_or_after(8.2), 82u);
  EXPECT_EQ(grid.first_at_or_after(std::nextafter(8.2, 9.0)), 83u);
  EXPECT_EQ(grid.first_at_or_after(8.15), 82u);
  EXPECT_EQ(grid.first_at_or_after(0.30000000000000004), 4u);
}

}  // namespace
}  // namespace syn::detail
