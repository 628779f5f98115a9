#pragma once

// Closed forms for conductance synapses on lif() (test_networks.hpp), shared by the conductance
// behaviour tests: a constant conductance (a step, or a decay far longer than a test's run) and
// Brette 2006's single-time-constant solution. Derived here, in long double; none reuses the
// engine's formulas.

#include <cmath>

#include "test_networks.hpp"

namespace syn::test {

// lif(): rest -70 mV, threshold -55 mV, tau_m 10 ms, C 250 pF, so g_L = 25 nS.
constexpr real g_leak = 25, capacitance = 250, rest = -70;
// A decay this long makes a conductance a step over the tests' runs (a relative change of 1e-13
// in 100 ms, far below the tolerances).
constexpr double step_decay = 1e15;

inline receptor_params conductance_receptor(double reversal, double rise, double decay) {
  receptor_params r;
  r.rise = rise;
  r.decay = decay;
  r.reversal = reversal;
  return r;
}

// A constant conductance g (reversal e) and constant drive from t0 on, on a membrane of leak
// rate `leak` (1/ms) at u0 = V - rest: u' = b - a u with a = leak + g/C and
// b = drive + g (e - rest)/C, so u = u_inf + (u0 - u_inf) e^{-a (t - t0)}, u_inf = b / a.
struct relaxation {
  real a, b, t0, u0;
  static relaxation of(real g, real e, real t0, real u0, real leak = g_leak / capacitance,
                       real drive = 0) {
    return {leak + g / capacitance, drive + g * (e - rest) / capacitance, t0, u0};
  }
  real u_inf() const { return b / a; }
  real u(real t) const { return u_inf() + (u0 - u_inf()) * std::exp(-a * (t - t0)); }
  // When u reaches theta (between u0 and u_inf).
  real crossing(real theta) const { return t0 + std::log((u_inf() - u0) / (u_inf() - theta)) / a; }
};

// Brette 2006: a conductance c C e^{-s/tau} (c = g/C) from s = 0 on a neuron at rest (lif()),
// a0 = 1/tau_m, A(s) = a0 s + c tau (1 - e^{-s/tau}), y = c tau e^{-s/tau}:
//   u(s) = e^{-A(s)} c (e - rest) tau e^{c tau} (c tau)^(a0 tau - 1)
//          [gamma(k, c tau) - gamma(k, y(s))],   k = 1 - a0 tau,
// gamma the lower incomplete gamma function, here by its series (k > 0).
inline real lower_gamma(real k, real x) {
  real sum = 0, term = 1;  // term = (-x)^n / n!
  for (int n = 0; n < 400; ++n) {
    sum += term / (n + k);
    term *= -x / (n + 1);
    if (std::abs(term) < 1e-30L) break;
  }
  return std::pow(x, k) * sum;
}

inline real brette_2006(real g, real e, real tau, real s) {
  if (s <= 0) return 0;
  const real c = g / capacitance, a0 = g_leak / capacitance, k = 1 - a0 * tau;
  const real ct = c * tau, y = ct * std::exp(-s / tau);
  const real area = a0 * s + ct * (-std::expm1(-s / tau));
  return std::exp(-area) * c * (e - rest) * tau * std::exp(ct) * std::pow(ct, a0 * tau - 1) *
         (lower_gamma(k, ct) - lower_gamma(k, y));
}

}  // namespace syn::test
