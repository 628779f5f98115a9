#pragma once

#include <cmath>
#include <limits>
#include <tuple>

namespace syn::detail {

// The zero of f in (lo, hi], given f(lo) = f_lo < 0 <= f(hi) = f_hi and a single zero between;
// f(s) returns {value, slope}, or {value, slope, curvature} for Halley's steps (cubic
// convergence: fewer evaluations where the second derivative comes with the first, as for sums
// of exponentials). Newton (or Halley) steps while they stay inside the bracket and at least
// halve the step before, bisection otherwise. A converged Newton iterate is followed by a probe a
// few ULP beyond it, which closes the bracket from the other side. It stops when the bracket spans
// a few ULP of the absolute time now + s, never on a small |f| (that test hangs on steep or flat
// functions), and returns the upper end, where f >= 0.
template <typename F>
double bracketed_newton(F&& f, double lo, double hi, double f_lo, double f_hi, double now) {
  constexpr double eps = std::numeric_limits<double>::epsilon();
  // Start where the chord through the ends crosses zero.
  double s = lo + (hi - lo) * (f_lo / (f_lo - f_hi));
  if (!(s > lo && s < hi)) s = 0.5 * (lo + hi);
  double step_before = hi - lo;
  for (int i = 0; i < 300 && hi - lo > 4.0 * eps * (now + hi); ++i) {
    const auto point = f(s);
    const double value = std::get<0>(point), slope = std::get<1>(point);
    if (value == 0.0) return s;
    (value < 0.0 ? lo : hi) = s;
    double step;
    if constexpr (std::tuple_size_v<decltype(point)> == 3) {
      // Halley: the Newton step over 1 - f f'' / (2 f'^2), as 2 f f' / (2 f'^2 - f f''), one
      // division; near the zero the correction is small, far from it (a denominator below 1/2,
      // f f'' above f'^2) Newton's step is kept, and at a flat point its infinite step bisects.
      const double bend = value * std::get<2>(point), square = slope * slope;
      step = square > 0.0 && bend < square ? 2.0 * value * slope / (2.0 * square - bend)
                                           : value / slope;
    } else {
      step = value / slope;
    }
    const double tiny = 2.0 * eps * (now + s);
    double next = s - step;
    // The converged test comes first: a step below half an ULP of s leaves next == s, which the
    // bracket test would send to bisection, some fifty halvings from the far end.
    if (std::abs(step) < tiny) {
      next = value < 0.0 ? s + tiny : s - tiny;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    } else if (!(next > lo && next < hi) || !(std::abs(2.0 * step) <= step_before)) {
      next = 0.5 * (lo + hi);
    }
    step_before = std::abs(next - s);
    s = next;
  }
  return hi;
}

}  // namespace syn::detail
