// exp_fast against e^x in 50 digits: within one ULP over the range it computes itself, exact
// where e^x is, and libm's own answer outside that range.
#include "numerics/fast_exp.hpp"

#include <gtest/gtest.h>

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <limits>
#include <random>

namespace syn::detail {
namespace {

using real = boost::multiprecision::cpp_bin_float_50;

// |got - e^x| in units of the last place of e^x.
double ulps(double x, double got) {
  const real exact = boost::multiprecision::exp(real(x));
  const double rounded = static_cast<double>(exact);
  const double ulp = std::nextafter(rounded, std::numeric_limits<double>::infinity()) - rounded;
  return static_cast<double>(boost::multiprecision::abs(real(got) - exact) / ulp);
}

TEST(exp_fast, is_within_one_ulp_across_its_range) {
  std::mt19937_64 rng(2026);
  double worst = 0.0;
  const auto check = [&](double x) {
    const double e = ulps(x, exp_fast(x));
    worst = std::max(worst, e);
    EXPECT_LE(e, 1.0) << "x = " << x;
  };
  // The engine's arguments: rate times time, up to 30 in an epoch and far below 0 in a search.
  std::uniform_real_distribution<double> wide(-700.0, 700.0), near(-40.0, 30.0), tiny(-1e-3, 1e-3);
  for (int i = 0; i < 20000; ++i) {
    check(wide(rng));
    check(near(rng));
    check(tiny(rng));
  }
  // Where the reduction changes table entry or power of two.
  for (int k = -2000; k <= 2000; ++k) {
    const double x = k * (std::log(2.0) / 256.0);
    check(x);
    check(std::nextafter(x, 1e9));
    check(std::nextafter(x, -1e9));
  }
  RecordProperty("worst_ulps", std::to_string(worst));
}

TEST(exp_fast, is_exact_at_zero_and_monotone_across_a_table_step) {
  EXPECT_EQ(exp_fast(0.0), 1.0);
  EXPECT_EQ(exp_fast(-0.0), 1.0);
  double x = std::log(2.0) / 256.0 * 3.0 - 1e-13;
  double last = exp_fast(x);
  for (int i = 0; i < 2000; ++i) {
    x = std::nextafter(x, 1.0);
    const double e = exp_fast(x);
    EXPECT_GE(e, last) << "x = " << x;
    last = e;
  }
}

TEST(exp_fast, leaves_extremes_to_libm) {
  for (const double x : {700.5, 709.0, 710.0, -700.5, -745.0, -746.0, 1e300, -1e300})
    EXPECT_EQ(exp_fast(x), std::exp(x)) << x;
  EXPECT_EQ(exp_fast(std::numeric_limits<double>::infinity()),
            std::numeric_limits<double>::infinity());
  EXPECT_EQ(exp_fast(-std::numeric_limits<double>::infinity()), 0.0);
  EXPECT_TRUE(std::isnan(exp_fast(std::numeric_limits<double>::quiet_NaN())));
}

}  // namespace
}  // namespace syn::detail
