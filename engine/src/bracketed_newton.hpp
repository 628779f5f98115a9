#pragma once

#include <cmath>
#include <limits>

namespace syn::detail {

// The zero of f in (lo, hi], given f(lo) < 0 <= f(hi) and a single zero between; f(s) returns
// {value, slope}. Newton steps where they stay inside the bracket and keep halving it,
// bisection otherwise. It stops when the bracket spans a few ULP of the absolute time now + s,
// never on a small |f| (that test hangs on steep or flat functions), and returns the upper end,
// where f >= 0.
template <typename F>
double bracketed_newton(F&& f, double lo, double hi, double now) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  double s = 0.5 * (lo + hi);
  double width_two_steps_ago = hi - lo;
  double width_one_step_ago = hi - lo;
  for (int i = 0; i < 300; ++i) {
    if (hi - lo <= 4.0 * eps * (now + hi)) break;
    const auto [value, slope] = f(s);
    if (value == 0.0) return s;
    (value < 0.0 ? lo : hi) = s;
    double next = s - value / slope;
    const double tiny = 2.0 * eps * (now + s);
    if (std::abs(next - s) < tiny) next = value < 0.0 ? s + tiny : s - tiny;  // close the bracket
    const bool stalled = hi - lo > 0.5 * width_two_steps_ago;
    if (!(next > lo && next < hi) || stalled) next = 0.5 * (lo + hi);
    width_two_steps_ago = width_one_step_ago;
    width_one_step_ago = hi - lo;
    s = next;
  }
  return hi;
}

}  // namespace syn::detail
