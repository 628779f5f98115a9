#include "membrane_reference.hpp"

#include <algorithm>
#include <cmath>

namespace syn::test {

double biexp_peak(double rise, double decay) {
  if (rise == 0) return 1;
  const double t_peak = rise * decay / (decay - rise) * std::log(decay / rise);
  return std::exp(-t_peak / decay) - std::exp(-t_peak / rise);
}

double kernel(double t, double rise, double decay) {
  if (t <= 0) return 0;
  if (rise == 0) return std::exp(-t / decay);
  return (std::exp(-t / decay) - std::exp(-t / rise)) / biexp_peak(rise, decay);
}

double mg_unblocked(double v_mV, double mg_mM) {
  return 1 / (1 + mg_mM / 3.57 * std::exp(-0.062 * v_mV));
}

double psp_peak_per_pA(const cell& c, double rise_ms, double decay_ms) {
  // The membrane's response to kernel(t) pA is the difference of two responses to exponential
  // currents, h(tau) = tau tau_m / (tau - tau_m) (exp(-t/tau) - exp(-t/tau_m)) / C.
  const double tau_m = c.tau_m_ms;
  const auto h = [tau_m](double tau, double t) {
    return tau == 0 ? 0 : tau * tau_m / (tau - tau_m) * (std::exp(-t / tau) - std::exp(-t / tau_m));
  };
  const double scale = 1 / (c.capacitance_pF * biexp_peak(rise_ms, decay_ms));
  const auto psp = [&](double t) { return scale * (h(decay_ms, t) - h(rise_ms, t)); };
  // The PSP has one maximum: the best point of a grid, then golden sections around it.
  const double horizon = 10 * std::max(decay_ms, tau_m), step = horizon / 1e4;
  double best = step;
  for (double t = step; t < horizon; t += step)
    if (psp(t) > psp(best)) best = t;
  double lo = std::max(0.0, best - step), hi = best + step;
  const double ratio = (std::sqrt(5.0) - 1) / 2;
  for (int i = 0; i < 200; ++i) {
    const double a = hi - ratio * (hi - lo), b = lo + ratio * (hi - lo);
    if (psp(a) < psp(b)) {
      lo = a;
    } else {
      hi = b;
    }
  }
  return psp((lo + hi) / 2);
}

namespace {

// dV/dt at (t, v), in mV/ms (pA / pF = mV/ms).
double slope(const cell& c, const std::vector<synaptic_input>& inputs, double t, double v) {
  double current = c.capacitance_pF / c.tau_m_ms * (c.rest_mV - v) + c.bias_pA;
  for (const synaptic_input& in : inputs) {
    const double k = kernel(t - in.arrival_ms, in.rise_ms, in.decay_ms);
    if (k == 0) continue;
    if (in.conductance_nS != 0) {
      const double g =
          in.conductance_nS * k * (in.mg_block_mM > 0 ? mg_unblocked(v, in.mg_block_mM) : 1);
      current += g * (in.reversal_mV - v);
    } else {
      current += in.current_pA * k;
    }
  }
  return current / c.capacitance_pF;
}

double rk4_step(const cell& c, const std::vector<synaptic_input>& inputs, double t, double v,
                double h) {
  const double k1 = slope(c, inputs, t, v);
  const double k2 = slope(c, inputs, t + h / 2, v + h / 2 * k1);
  const double k3 = slope(c, inputs, t + h / 2, v + h / 2 * k2);
  const double k4 = slope(c, inputs, t + h, v + h * k3);
  return v + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
}

}  // namespace

trajectory simulate(const cell& c, const std::vector<synaptic_input>& inputs, double end_ms,
                    double sample_ms, double step_ms) {
  trajectory out;
  double t = 0, v = c.rest_mV, refractory_until = -1;
  // From (t, v) to t_end, at most one step on: held at reset while refractory; a step that
  // crosses threshold is bisected for the spike time.
  const auto advance = [&](double t_end) {
    while (t < t_end) {
      if (t < refractory_until) {
        t = std::min(refractory_until, t_end);
        v = c.reset_mV;
        continue;
      }
      const double next = rk4_step(c, inputs, t, v, t_end - t);
      if (next < c.threshold_mV) {
        t = t_end;
        v = next;
        continue;
      }
      double lo = 0, hi = t_end - t;
      for (int i = 0; i < 60; ++i) {
        const double mid = (lo + hi) / 2;
        (rk4_step(c, inputs, t, v, mid) >= c.threshold_mV ? hi : lo) = mid;
      }
      t += hi;
      out.spikes_ms.push_back(t);
      v = c.reset_mV;
      refractory_until = t + c.refractory_ms;
    }
  };
  const long per_sample = std::lround(sample_ms / step_ms);
  const long steps = std::lround(end_ms / sample_ms) * per_sample;
  out.v_mV.push_back(v);
  for (long i = 1; i <= steps; ++i) {
    advance(static_cast<double>(i) * sample_ms / static_cast<double>(per_sample));
    if (i % per_sample == 0) out.v_mV.push_back(v);
  }
  return out;
}

}  // namespace syn::test
