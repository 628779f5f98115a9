// bracketed_newton against zeros known in 50 digits: with Halley's steps (value, slope and
// curvature), with Newton's (value and slope), and through a flat point.
#include "numerics/bracketed_newton.hpp"

#include <gtest/gtest.h>

#include <array>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cmath>
#include <limits>

namespace syn::detail {
namespace {

using real = boost::multiprecision::cpp_bin_float_50;
constexpr double eps = std::numeric_limits<double>::epsilon();

// f(s) = 1 - c e^{-s}, a crossing as the searches meet them: its zero is ln c.
struct decaying {
  double c;
  int calls = 0;
  std::array<double, 3> operator()(double s) {
    ++calls;
    const double e = c * std::exp(-s);
    return {1.0 - e, e, -e};
  }
  double zero() const { return static_cast<double>(boost::multiprecision::log(real(c))); }
};

// The returned s lies within the bracket's tolerance of the zero, on its upper side (f >= 0),
// up to the rounding of f itself.
void expect_at_zero(double got, double zero, double now) {
  EXPECT_NEAR(got, zero, 8.0 * eps * (now + zero)) << "zero " << zero;
}

TEST(bracketed_newton, halley_steps_find_the_zero_to_a_few_ulp) {
  for (const double c : {1.5, 3.0, 10.0, 1e3}) {
    decaying f{c};
    const double hi = 20.0;
    const double got = bracketed_newton(f, 0.0, hi, f(0.0)[0], f(hi)[0], 0.0);
    expect_at_zero(got, f.zero(), 0.0);
    // A handful of evaluations, not a bisection's fifty (the chord of [0, 20] can start far on
    // the flat side: a few bisections, then Halley's cubic steps).
    EXPECT_LE(f.calls, 2 + 12) << "c = " << c;
  }
}

TEST(bracketed_newton, newton_steps_find_the_same_zero) {
  decaying exact{3.0};
  int calls = 0;
  const auto f = [&](double s) {
    ++calls;
    const auto point = exact(s);
    return std::array{point[0], point[1]};
  };
  const double got = bracketed_newton(f, 0.0, 20.0, f(0.0)[0], f(20.0)[0], 0.0);
  expect_at_zero(got, exact.zero(), 0.0);
  EXPECT_LE(calls, 2 + 12);
}

TEST(bracketed_newton, a_flat_point_does_not_stop_it) {
  // The first iterate reports a zero slope, as at an extremum of a level: no step can be taken
  // from there, and the search must still end at the zero.
  decaying exact{3.0};
  int calls = 0;
  const auto f = [&](double s) {
    auto point = exact(s);
    if (++calls == 3) point[1] = 0.0;  // after the two ends, the first iterate
    return point;
  };
  const double got = bracketed_newton(f, 0.0, 20.0, f(0.0)[0], f(20.0)[0], 0.0);
  expect_at_zero(got, exact.zero(), 0.0);
  EXPECT_LE(calls, 2 + 12);
}

}  // namespace
}  // namespace syn::detail
