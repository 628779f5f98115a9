#pragma once

// An independent, slow, high-precision reference for one neuron whose conductance synapses may
// carry NMDA's magnesium block (SPEC §1):
//   C dV/dt = -g_L (V - rest) + I_syn(t) + bias + sum_k g_k(t) B_k(V) (E_k - V),   g_L = C / tau_m,
//   B_k(V) = 1 / (1 + mg_k / 3.57 exp(-0.062 V))  (V in mV, mg in mM; B_k = 1 when mg_k = 0).
// The block makes the equation nonlinear in V, so conductance_reference.hpp's integrating factor
// no longer applies. Here V is integrated by an s-stage implicit Gauss–Legendre Runge–Kutta
// (collocation) method of order 2s in __float128 (113-bit significand, about 34 digits), with
// each step's length set by step doubling; the kernels g_k(t) and I_syn(t) are closed forms and
// inputs end steps. A threshold crossing or a maximum near threshold found on a step's stages is
// settled by Newton's method on t, reading V(t) from a fresh step from the step's start to t.
// Nothing here expands V in a Taylor series, which is what the engine does.
//
// __float128 rather than the 50-digit type of the other references: each step solves a nonlinear
// system with many exponentials, which in 50 digits would put 2,000 scenarios far beyond the
// test's time budget, while 34 digits still leave V and spike times accurate to about 1e-22,
// thirteen orders below the 1e-9 the engine is held to.

#include <vector>

#include "reference_neuron.hpp"
#include "reference_result.hpp"

namespace syn::mg_block_reference {

using reference::cell;
using reference::quad;

struct options {
  std::size_t stages = 8;        // s, from 4 to 12: the method's order is 2s
  double step_accuracy = 1e-24;  // mV: the error a step may leave, by step doubling
  reference::conditioning limits = {};
};

using sample = reference::sample<quad>;
using result = reference::sampled_result<quad>;

// Simulates [0, duration]: events at exactly `duration` still happen. `sample_times` ascending,
// within [0, duration]. A receptor's decay may be infinite here (a constant kernel).
result simulate(const cell& c, double duration, const std::vector<double>& sample_times = {},
                const options& opt = {});

using reference::to_quad;
using reference::to_real;

}  // namespace syn::mg_block_reference
