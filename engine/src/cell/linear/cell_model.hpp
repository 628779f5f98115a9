#pragma once

#include <cstdint>
#include <vector>

#include "syn/engine/network.hpp"

namespace syn::detail {

// A receptor's synaptic current on one neuron model, as a chain of one or two first-order
// stages feeding the membrane: [rise stage x ->] current I -> membrane u.
struct receptor_slot {
  receptor_id receptor = 0;
  std::uint32_t current = 0;   // index of I in the state vector
  bool has_rise = false;       // then x is at current + 1
  double decay_rate = 0.0;     // 1/ms
  double rise_rate = 0.0;      // 1/ms, when has_rise
  double peak_u_from_current;  // max over t of u's response to a unit I, mV
  double peak_u_from_rise;     // max over t of u's response to a unit x, mV
  // The same maxima over t in [0, window] only (cell_model::window).
  double window_u_from_current = 0.0;
  double window_u_from_rise = 0.0;
  std::uint32_t input() const { return has_rise ? current + 1 : current; }
};

// A neuron model lowered for simulation. The state vector of a neuron holds
//   [u = V - rest, then for each slot: I (and x)],
// and evolves linearly: u' = -membrane_rate (u - u_inf) + inv_c sum I,
// I' = -decay_rate I + x, x' = -rise_rate x. Jump inputs add to u directly.
struct cell_model {
  double rest;
  double threshold_rel;  // threshold - rest
  double reset_rel;      // reset - rest
  double refractory;
  double membrane_rate;  // 1 / tau_m
  double tau_m;          // ms: bounds multiply by it, a division shorter
  double inv_c;          // 1 / capacitance; 1 when only mV weights are used (they cancel C)
  double u_inf;          // bias * tau_m / C: the potential the bias alone settles at
  std::vector<receptor_slot> slots;
  std::uint32_t dim = 1;
  // ms: the span of the coarse watch (see make_cell_model), and e^{-window / tau_m},
  // for bounds over that span. Shorter than every decay, so the PSPs still rise at its end.
  double window = 0.0;
  double window_decay = 1.0;

  // out = state after dt; `in` and `out` may alias.
  void propagate(const double* in, double* out, double dt, double u_target) const;
};

cell_model make_cell_model(const neuron_params& params, const std::vector<receptor_id>& receptors,
                           const std::vector<receptor_params>& receptor_table);

// Peak over t > 0 of the membrane response (with inv_c = 1) to a unit impulse into the first
// stage of a receptor: the normalisation of mV weights.
double psp_peak(const receptor_params& receptor, double membrane_rate);
// Peak of the receptor current for a unit impulse into its first stage: normalises pA weights.
double current_peak(const receptor_params& receptor);

}  // namespace syn::detail
