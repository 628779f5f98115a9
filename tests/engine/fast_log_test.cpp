// log_below against ln r in 50 digits: never above it, and within its stated 2e-7 below it (and
// 3e-5 of it).
#include "fast_log.hpp"

#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <limits>
#include <random>

namespace syn::detail {
namespace {

using real = boost::multiprecision::cpp_bin_float_50;

void check(double r) {
  if (r < 1.0) return;  // libm's (see hands_the_rest_to_libm)
  const real exact = boost::multiprecision::log(real(r));
  const real got(log_below(r));
  EXPECT_LE(got, exact) << "r = " << r;
  EXPECT_LE(exact - got, 2e-7) << "r = " << r;
  EXPECT_LE(exact - got, 3e-5 * exact + 2e-13) << "r = " << r;
}

TEST(log_below, is_below_ln_and_close_to_it) {
  std::mt19937_64 rng(2027);
  // The bounds' ratios: near 1 for a neuron near its level, up to thousands far from it.
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  for (int i = 0; i < 20000; ++i) {
    check(1.0 + unit(rng));
    check(1.0 + 1e-6 * unit(rng));
    check(std::exp(230.0 * unit(rng)));
  }
  // Every table point and its neighbours, at several powers of two.
  for (const double scale : {1.0, 2.0, 1024.0, 0x1p200}) {
    for (int j = 0; j <= 128; ++j) {
      const double c = scale * (1.0 + j / 128.0);
      check(c);
      check(std::nextafter(c, 0.0));
      check(std::nextafter(c, 1e300));
    }
  }
  check(1.0);
  check(std::nextafter(1.0, 2.0));
  check(9.99e99);
}

TEST(log_below, hands_the_rest_to_libm) {
  EXPECT_EQ(log_below(1e100), std::log(1e100));
  EXPECT_EQ(log_below(0.5), std::log(0.5));
  EXPECT_EQ(log_below(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
  EXPECT_TRUE(std::isnan(log_below(std::numeric_limits<double>::quiet_NaN())));
}

}  // namespace
}  // namespace syn::detail
