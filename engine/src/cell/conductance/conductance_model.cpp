#include "cell/conductance/conductance_model.hpp"

#include <algorithm>
#include <cmath>

#include "cell/conductance/blocked_step.hpp"
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

// A rate of which all `rates` are multiples no larger than max_multiple (within rounding), the
// largest it can be; 0 when there is none.
double common_rate_of(const std::vector<double>& rates) {
  if (rates.empty()) return 0.0;
  const double slowest = *std::min_element(rates.begin(), rates.end());
  for (std::uint32_t k = 1; k <= max_multiple; ++k) {
    const double rate = slowest / k;
    const bool fits = std::all_of(rates.begin(), rates.end(), [&](double r) {
      const double m = std::round(r / rate);
      return m <= max_multiple && std::abs(r - m * rate) <= 4e-16 * r;
    });
    if (fits) return rate;
  }
  return 0.0;
}

// The coefficients of (1 - w)^m.
std::array<double, max_multiple + 1> binomial_row(std::uint32_t m) {
  std::array<double, max_multiple + 1> c{};
  c[0] = 1.0;
  for (std::uint32_t k = 1; k <= m; ++k) c[k] = -c[k - 1] * (m - k + 1) / k;
  return c;
}

void set_budget(conductance_model& m) {
  m.budget_scale = m.scale;
  m.blocked = false;
  for (const port_kernel& k : m.ports) {
    m.budget_scale += k.reversal_rel;
    m.blocked = m.blocked || k.blocked;
  }
  m.drift = std::abs(m.drive) / m.scale;
}

// The expansion in w (taylor_step.hpp), where the ports' rates have a common rate: the rate, the
// largest multiple and each port's rows in w.
void plan_w(conductance_model& m) {
  m.common_rate = 0.0;
  m.largest_multiple = 0;
  std::vector<double> kernel_rates;
  bool alpha = false;
  for (const port_kernel& k : m.ports) {
    kernel_rates.push_back(k.decay_rate);
    if (k.has_rise) kernel_rates.push_back(k.rise_rate);
    alpha = alpha || (k.has_rise && k.rise_rate == k.decay_rate);
  }
  const double common = alpha ? 0.0 : common_rate_of(kernel_rates);
  const auto multiple = [&](double rate) {
    return static_cast<std::uint32_t>(std::round(rate / common));
  };
  if (common > 0.0) {
    for (port_kernel& k : m.ports) {
      const std::uint32_t m_decay = multiple(k.decay_rate);
      k.in_w_from_g = binomial_row(m_decay);
      m.largest_multiple = std::max(m.largest_multiple, m_decay);
      if (!k.has_rise) continue;
      const std::uint32_t m_rise = multiple(k.rise_rate);
      if (m_rise == m_decay) {  // rates within rounding of each other: no polynomial
        m.largest_multiple = 0;
        break;
      }
      const auto rise_row = binomial_row(m_rise);
      for (std::uint32_t j = 0; j <= max_multiple; ++j)
        k.in_w_from_x[j] = (k.in_w_from_g[j] - rise_row[j]) / (k.rise_rate - k.decay_rate);
      m.largest_multiple = std::max(m.largest_multiple, m_rise);
    }
    if (m.largest_multiple > 0) m.common_rate = common;
  }
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
  // Not the bias's level, bias tau_m / C, which grows without bound with tau_m while V stays
  // between reset and threshold (or, below, is u itself).
  m.scale = 1.0 + std::abs(m.threshold_rel) + std::abs(m.reset_rel);
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
    k.area_g = r.decay;
    k.area_x = k.has_rise ? r.rise * r.decay : 0.0;
    if (p.conductance) {
      k.to_a = inv_c;
      k.to_b = (*r.reversal - params.rest) * inv_c;
      k.reversal_rel = std::abs(*r.reversal - params.rest);
      k.blocked = r.mg_block > 0.0;
      if (k.blocked) k.block_offset = std::log(r.mg_block / mg_half_block) - mg_slope * params.rest;
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
  plan_w(m);
  set_budget(m);
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

const conductance_model& conductance_model::view(std::uint64_t open) const {
  for (const auto& [set, view] : views_)
    if (set == open) return *view;
  auto view = std::make_unique<conductance_model>();
  view->rest = rest;
  view->threshold_rel = threshold_rel;
  view->reset_rel = reset_rel;
  view->refractory = refractory;
  view->leak_rate = leak_rate;
  view->drive = drive;
  view->scale = scale;
  view->dim = dim;
  for (std::size_t i = 0; i < ports.size(); ++i)
    if ((open >> i) & 1) view->ports.push_back(ports[i]);
  plan_w(*view);
  set_budget(*view);
  views_.emplace_back(open, std::move(view));
  return *views_.back().second;
}

void propagate_kernels(const conductance_model& m, const double* in, double* out, double dt) {
  for (const port_kernel& k : m.ports) {
    const double g = in[k.g];
    const double x = k.has_rise ? in[k.g + 1] : 0.0;
    if (g == 0.0 && x == 0.0) {
      out[k.g] = 0.0;
      if (k.has_rise) out[k.g + 1] = 0.0;
      continue;
    }
    double next_g = g * exp_fast(-k.decay_rate * dt), next_x = 0.0;
    if (k.has_rise) {
      next_g += x * chain2(k.rise_rate, k.decay_rate, dt);
      next_x = x * exp_fast(-k.rise_rate * dt);
    }
    // A kernel whose whole future (its integral, |g| / decay + |x| / (rise decay)) can move u by
    // less than 2^-60 of u (through a) and of the model's potentials (through b) is spent: it
    // becomes exactly 0, and no longer limits the steps (a receptor of 1e-6 ms would otherwise
    // keep them at nanoseconds until its conductance underflows).
    const double future = std::abs(next_g) * k.area_g + std::abs(next_x) * k.area_x;
    if (future * k.to_a <= 0x1p-60 && future * std::abs(k.to_b) <= 0x1p-60 * m.scale)
      next_g = next_x = 0.0;
    out[k.g] = next_g;
    if (k.has_rise) out[k.g + 1] = next_x;
  }
}

}  // namespace syn::detail
