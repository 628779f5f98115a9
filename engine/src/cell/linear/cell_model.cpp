#include "cell/linear/cell_model.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "numerics/divided_difference.hpp"

namespace syn::detail {

namespace {

constexpr double unlimited = std::numeric_limits<double>::infinity();

// The maximum of h_3 over t in (0, within]. h_3' = h_2(rise, decay) - m h_3 is positive, then
// negative (h_3 is log-concave, a convolution of exponentials), so h_3 rises up to `within` if
// its slope there is positive, and otherwise bisection on its sign converges to the single
// maximum; the peak value is insensitive to the last bits of its time.
double chain3_peak(double rise, double decay, double membrane, double within = unlimited) {
  const auto slope = [&](double t) {
    return chain2(rise, decay, t) - membrane * chain3(rise, decay, membrane, t);
  };
  double lo = 0.0;
  double hi = 1.0 / std::min({rise, decay, membrane});
  while (slope(hi) > 0.0) hi *= 2.0;
  if (within < hi && slope(within) > 0.0) return chain3(rise, decay, membrane, within);
  for (int i = 0; i < 200 && std::nextafter(lo, hi) < hi; ++i) {
    const double mid = 0.5 * (lo + hi);
    (slope(mid) > 0.0 ? lo : hi) = mid;
  }
  return std::max(chain3(rise, decay, membrane, lo), chain3(rise, decay, membrane, hi));
}

// The maximum of h_2 over (0, within]: it rises to its peak, then falls. (The coarse watch's
// windows end before the peaks, which come after the shorter of the two time constants.)
double chain2_peak(double a, double b, double within = unlimited) {
  return chain2(a, b, std::min(within, chain2_peak_time(a, b)));
}

}  // namespace

double psp_peak(const receptor_params& receptor, double membrane_rate) {
  const double decay = 1.0 / receptor.decay;
  if (receptor.rise > 0.0) return chain3_peak(1.0 / receptor.rise, decay, membrane_rate);
  return chain2_peak(decay, membrane_rate);
}

double current_peak(const receptor_params& receptor) {
  if (receptor.rise > 0.0) return chain2_peak(1.0 / receptor.rise, 1.0 / receptor.decay);
  return 1.0;
}

cell_model make_cell_model(const neuron_params& params, const std::vector<receptor_id>& receptors,
                           const std::vector<receptor_params>& receptor_table) {
  cell_model m;
  m.rest = params.rest;
  m.threshold_rel = params.threshold - params.rest;
  m.reset_rel = params.reset.value_or(params.rest) - params.rest;
  m.refractory = params.refractory;
  m.membrane_rate = 1.0 / params.tau_m;
  m.tau_m = params.tau_m;
  m.inv_c = params.capacitance ? 1.0 / *params.capacitance : 1.0;
  m.u_inf = params.bias * params.tau_m * m.inv_c;
  // The coarse watch's window: a quarter of tau_m, or 3/4 of the fastest receptor decay if
  // shorter. Shorter windows cost more watch instants, longer ones more predictions near
  // threshold. MAGIC NUMBERS, found by engine_bench A and B (docs/performance.md).
  m.window = 0.25 * params.tau_m;
  for (const receptor_id id : receptors)
    if (receptor_table[id].kind != kinetics::jump)
      m.window = std::min(m.window, 0.75 * receptor_table[id].decay);
  // Bounds over the window hold a little beyond it, for watch instants that are multiples of it
  // rounded.
  const double span = m.window * (1.0 + 1e-6);
  m.window_decay = std::exp(-m.membrane_rate * span);
  for (const receptor_id id : receptors) {
    const receptor_params& r = receptor_table[id];
    if (r.kind == kinetics::jump) continue;
    receptor_slot s;
    s.receptor = id;
    s.current = m.dim;
    s.has_rise = r.rise > 0.0;
    s.decay_rate = 1.0 / r.decay;
    s.rise_rate = s.has_rise ? 1.0 / r.rise : 0.0;
    s.peak_u_from_current = chain2_peak(s.decay_rate, m.membrane_rate) * m.inv_c;
    s.peak_u_from_rise =
        s.has_rise ? chain3_peak(s.rise_rate, s.decay_rate, m.membrane_rate) * m.inv_c : 0.0;
    s.window_u_from_current = chain2_peak(s.decay_rate, m.membrane_rate, span) * m.inv_c;
    s.window_u_from_rise =
        s.has_rise ? chain3_peak(s.rise_rate, s.decay_rate, m.membrane_rate, span) * m.inv_c : 0.0;
    m.dim += s.has_rise ? 2 : 1;
    m.slots.push_back(s);
  }
  return m;
}

void cell_model::propagate(const double* in, double* out, double dt, double u_target) const {
  double u = u_target + (in[0] - u_target) * chain1(membrane_rate, dt);
  for (const receptor_slot& s : slots) {
    const double current = in[s.current];
    const double rise = s.has_rise ? in[s.current + 1] : 0.0;
    if (current == 0.0 && rise == 0.0) {
      out[s.current] = 0.0;
      if (s.has_rise) out[s.current + 1] = 0.0;
      continue;
    }
    double next_current = current * chain1(s.decay_rate, dt);
    u += current * chain2(s.decay_rate, membrane_rate, dt) * inv_c;
    if (s.has_rise) {
      next_current += rise * chain2(s.rise_rate, s.decay_rate, dt);
      u += rise * chain3(s.rise_rate, s.decay_rate, membrane_rate, dt) * inv_c;
      out[s.current + 1] = rise * chain1(s.rise_rate, dt);
    }
    out[s.current] = next_current;
  }
  out[0] = u;
}

}  // namespace syn::detail
