#pragma once

// Interval arithmetic for bounds that must hold: every result is widened outward by at least one
// ULP at each end, which covers the half-ULP rounding of round-to-nearest (a result of libm's
// exp, within an ULP, is widened by two).

#include <algorithm>
#include <cmath>
#include <limits>

namespace syn::detail {

struct interval {
  double lo = 0.0;
  double hi = 0.0;

  interval() = default;
  interval(double x) : lo(x), hi(x) {}  // NOLINT: a number is the interval of itself
  interval(double l, double h) : lo(l), hi(h) {}

  double magnitude() const { return std::max(std::abs(lo), std::abs(hi)); }
};

inline interval widened(double lo, double hi, int ulps = 1) {
  // |x| 2^-52 is at least an ULP of x, and at most two: subtracting it moves x down by at least
  // one ULP, whichever way it rounds (nextafter, a libm call, cost most of a magnesium-blocked
  // step). The smallest normal number moves 0 and stands for underflow: a subnormal would make
  // every operation slow.
  constexpr double tiny = std::numeric_limits<double>::min();
  for (int i = 0; i < ulps; ++i) {
    lo = lo - (std::abs(lo) * 0x1p-52 + tiny);
    hi = hi + (std::abs(hi) * 0x1p-52 + tiny);
  }
  return {lo, hi};
}

inline interval operator+(const interval& x, const interval& y) {
  return widened(x.lo + y.lo, x.hi + y.hi);
}
inline interval operator-(const interval& x, const interval& y) {
  return widened(x.lo - y.hi, x.hi - y.lo);
}
inline interval operator*(const interval& x, const interval& y) {
  const double a = x.lo * y.lo, b = x.lo * y.hi, c = x.hi * y.lo, d = x.hi * y.hi;
  return widened(std::min(std::min(a, b), std::min(c, d)), std::max(std::max(a, b), std::max(c, d)));
}
inline interval operator*(double x, const interval& y) {
  return x >= 0.0 ? widened(x * y.lo, x * y.hi) : widened(x * y.hi, x * y.lo);
}
inline interval operator*(const interval& x, double y) { return y * x; }
inline interval& operator+=(interval& x, const interval& y) { return x = x + y; }

// The smallest interval holding both.
inline interval hull(const interval& x, const interval& y) {
  return {std::min(x.lo, y.lo), std::max(x.hi, y.hi)};
}
inline bool contains(const interval& outer, const interval& inner) {
  return outer.lo <= inner.lo && inner.hi <= outer.hi;
}

}  // namespace syn::detail
