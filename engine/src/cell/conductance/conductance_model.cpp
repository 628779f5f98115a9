#include "cell/conductance/conductance_model.hpp"

#include <algorithm>
#include <cmath>

#include "numerics/divided_difference.hpp"
#include "numerics/fast_exp.hpp"

namespace syn::detail {

namespace {

// The Taylor coefficients of chain2(rise, decay, s) at 0: (-1)^(n+1) h_{n-1}(rise, decay) / n!,
// h_k the complete homogeneous sum of degree k, which has only positive terms: no cancellation
// when the rates nearly coincide, and t e^{-rate t} (the alpha function) when they do.
series chain_coefficients(double rise, double decay) {
  series c{};
  double h = 1.0, decay_power = 1.0, factorial = 1.0;  // h_{n-1}, decay^(n-1), n!
  for (std::uint32_t n = 1; n < c.size(); ++n) {
    factorial *= n;
    c[n] = ((n % 2 == 1) ? h : -h) / factorial;
    decay_power *= decay;
    h = rise * h + decay_power;
  }
  return c;
}

}  // namespace

conductance_model make_conductance_model(const neuron_params& params,
                                         const std::vector<input_port>& ports,
                                         const std::vector<receptor_params>& receptors) {
  conductance_model m;
  const double inv_c = 1.0 / *params.capacitance;  // nS weights need it (network::connect)
  m.rest = params.rest;
  m.threshold_rel = params.threshold - params.rest;
  m.reset_rel = params.reset.value_or(params.rest) - params.rest;
  m.refractory = params.refractory;
  m.leak_rate = 1.0 / params.tau_m;
  m.drive = params.bias * inv_c;
  m.scale = 1.0 + std::abs(m.threshold_rel) + std::abs(m.reset_rel) +
            std::abs(m.drive / m.leak_rate);
  std::vector<double> rates{0.0};
  for (const input_port& p : ports) {
    const receptor_params& r = receptors[p.receptor];
    if (r.kind == kinetics::jump) continue;  // jumps add to V itself
    port_kernel k;
    k.port = p;
    k.g = m.dim;
    k.has_rise = r.rise > 0.0;
    k.decay_rate = 1.0 / r.decay;
    k.rise_rate = k.has_rise ? 1.0 / r.rise : 0.0;
    if (p.conductance) {
      k.to_a = inv_c;
      k.to_b = (*r.reversal - params.rest) * inv_c;
      m.scale += std::abs(*r.reversal - params.rest);
    } else {
      k.to_b = inv_c;
    }
    double power = 1.0, factorial = 1.0;
    for (std::uint32_t n = 0; n < k.from_g.size(); ++n) {
      if (n > 0) {
        factorial *= n;
        power *= k.decay_rate;
      }
      k.from_g[n] = ((n % 2 == 0) ? power : -power) / factorial;
      k.tail_g[n] = power / factorial;
    }
    if (k.has_rise) {
      k.from_x = chain_coefficients(k.rise_rate, k.decay_rate);
      // The larger rate (the rise's, as rise <= decay) bounds the homogeneous sums.
      const double fastest = std::max(k.rise_rate, k.decay_rate);
      double rise_power = 1.0, rise_factorial = 1.0;  // fastest^(n-1), (n-1)!
      for (std::uint32_t n = 1; n < k.tail_x.size(); ++n) {
        if (n > 1) {
          rise_power *= fastest;
          rise_factorial *= n - 1;
        }
        k.tail_x[n] = rise_power / rise_factorial;
      }
    }
    rates.push_back(k.decay_rate);
    if (k.has_rise) rates.push_back(0.5 * k.decay_rate);
    m.dim += k.has_rise ? 2 : 1;
    m.ports.push_back(k);
  }
  std::sort(rates.begin(), rates.end());
  rates.erase(std::unique(rates.begin(), rates.end()), rates.end());
  m.bound_rates = rates;
  const auto bin = [&](double rate) {
    return static_cast<std::uint32_t>(std::lower_bound(rates.begin(), rates.end(), rate) -
                                      rates.begin());
  };
  for (const port_kernel& k : m.ports)
    m.bound_bins.push_back({bin(k.decay_rate), k.has_rise ? bin(0.5 * k.decay_rate) : 0});
  return m;
}

void propagate_kernels(const conductance_model& m, const double* in, double* out, double dt) {
  for (const port_kernel& k : m.ports) {
    const double g = in[k.g];
    if (!k.has_rise) {
      out[k.g] = g == 0.0 ? 0.0 : g * exp_fast(-k.decay_rate * dt);
      continue;
    }
    const double x = in[k.g + 1];
    if (g == 0.0 && x == 0.0) {
      out[k.g] = out[k.g + 1] = 0.0;
      continue;
    }
    out[k.g] = g * exp_fast(-k.decay_rate * dt) + x * chain2(k.rise_rate, k.decay_rate, dt);
    out[k.g + 1] = x * exp_fast(-k.rise_rate * dt);
  }
}

}  // namespace syn::detail
