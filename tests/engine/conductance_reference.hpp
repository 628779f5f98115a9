#pragma once

// An independent, slow, 50-digit reference for one neuron with conductance synapses (SPEC §1):
//   C dV/dt = -g_L (V - rest) + I_syn(t) + bias + sum_k g_k(t) (E_k - V),   g_L = C / tau_m.
// Weights in nS make conductances with a peak of `weight` (attenuated by distance); mV, pA and
// jump inputs make I_syn exactly as reference_neuron.hpp does, whose weight helpers it reuses.
//
// Between events V is written with its integrating factor, u = V - rest, a = 1/tau_m + g/C:
//   u(t) = exp(-P(t)) u(s) + integral_s^t exp(-(P(t) - P(y))) b(y) dy,   P(t) = integral_s^t a,
// where P is in closed form for exponential, bi-exponential and alpha kernels, and the integral
// is taken by Gauss–Legendre quadrature on panels sized by an analytic error bound (Trefethen,
// Approximation Theory and Approximation Practice, theorem 19.3). Threshold crossings are located
// on the quadrature nodes in double, then settled by Newton's method in 50 digits. Nothing here
// expands V in a Taylor series, which is what the engine does.

#include <vector>

#include "reference_neuron.hpp"
#include "reference_result.hpp"

namespace syn::conductance_reference {

using reference::cell;
using reference::real;

struct options {
  // mV: the quadrature error allowed per panel. Smaller means more, shorter panels.
  double panel_accuracy = 1e-46;
  // A panel spans at most this many of its fastest time constants (including the effective
  // membrane time constant C / (g_L + g)), so that the screen for crossings resolves V.
  double panel_span = 16;
  reference::conditioning limits = {};
};

using sample = reference::sample<real>;
using result = reference::sampled_result<real>;

// Simulates [0, duration]: events at exactly `duration` still happen. `sample_times` ascending,
// within [0, duration]. A receptor's decay may be infinite here (a constant kernel), which the
// engine refuses: the self-tests use it for a conductance constant by construction.
result simulate(const cell& c, double duration, const std::vector<double>& sample_times = {},
                const options& opt = {});

}  // namespace syn::conductance_reference
