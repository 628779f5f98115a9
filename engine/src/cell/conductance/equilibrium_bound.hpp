#pragma once

// The cheap certain test of a conductance cell: free from a state, does u stay below
// threshold - peak_tolerance (the band's edge, L) for ever?
//
// u' = b(s) - a(s) u, with a > 0: wherever u = L, u' = f(s) = b(s) - a(s) L. If f < 0 for all
// s >= 0 and u(0) < L, u can never come up to L (it would have to arrive there rising). f is a
// sum of exponentials: the leak and bias give a constant, each port k (g e^{-decay s} +
// x chain2(rise, decay, s)) with k = to_b - L to_a; a positive x term is bounded above by
// x k 2 / (e decay) e^{-decay s / 2} (chain2 <= s e^{-decay s}, s e^{-c s} <= 1 / (e c)), a
// negative one by 0. The bound F(s) = sum_i c_i e^{-r_i s}, rates ascending from r_0 = 0, has at
// most as many zeros on (0, inf) as its partial sums c_0, c_0 + c_1, ... have sign changes (the
// rule of signs for y = e^{-s} in (0, 1), Laguerre's form): when they are all negative, so is
// F (F(0) is the last of them, F(inf) the first), and with it f, everywhere.

#include <algorithm>

#include "cell/conductance/blocked_step.hpp"
#include "cell/conductance/conductance_model.hpp"
#include "cell/linear/threshold_crossing.hpp"

namespace syn::detail {

// `c`: room for the model's bound_rates.size() coefficients.
inline bool stays_below(const conductance_model& m, double u, const double* kernels, double* c) {
  const double edge = m.threshold_rel - peak_tolerance;
  if (!(u < edge)) return false;
  std::fill(c, c + m.bound_rates.size(), 0.0);
  c[0] = m.drive - edge * m.leak_rate;
  for (std::size_t i = 0; i < m.ports.size(); ++i) {
    const port_kernel& p = m.ports[i];
    // A blocked port at u = L: B(L), a constant (blocked_step.hpp).
    const double k = (p.to_b - edge * p.to_a) * (p.blocked ? block_at(p, edge) : 1.0);
    c[m.bound_bins[i][0]] += k * kernels[p.g];
    if (p.has_rise) {
      const double x = k * kernels[p.g + 1];
      if (x > 0.0) c[m.bound_bins[i][1]] += x * (2.0 / (2.718281828459045 * p.decay_rate));
    }
  }
  double partial = 0.0;
  for (std::size_t i = 0; i < m.bound_rates.size(); ++i) {
    partial += c[i];
    if (!(partial < 0.0)) return false;
  }
  return true;
}

}  // namespace syn::detail
