#include "cell/conductance/taylor_step.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "numerics/fast_exp.hpp"

namespace syn::detail {

namespace {

// Steps are kept to at most this many of the state's fastest time scales (its largest a and its
// fastest active kernel): longer ones need high degrees and sum terms far larger than u,
// whose rounding would then count.
constexpr double span_limit = 1.5;

// 1 / n: the recurrence's divisions, each on its critical path, become multiplications.
constexpr auto inverse = [] {
  series r{};
  for (std::uint32_t n = 1; n < r.size(); ++n) r[n] = 1.0 / n;
  return r;
}();

}  // namespace

rates_now rates_at(const conductance_model& m, const double* k) {
  rates_now r{m.leak_rate, m.drive};
  for (const port_kernel& p : m.ports) {
    r.a += p.to_a * k[p.g];
    r.b += p.to_b * k[p.g];
  }
  return r;
}

taylor_step expand(const conductance_model& m, double u0, const double* k, double limit) {
  // The longest step worth trying.
  double a_max = m.leak_rate, fastest = 0.0;
  for (const port_kernel& p : m.ports) {
    const double g = k[p.g], x = p.has_rise ? k[p.g + 1] : 0.0;
    if (g == 0.0 && x == 0.0) continue;
    fastest = std::max(fastest, p.has_rise ? std::max(p.rise_rate, p.decay_rate) : p.decay_rate);
    // g peaks at most at g + x / (e decay) (chain2 <= s e^{-decay s}).
    a_max += p.to_a * (g + x / (2.718281828459045 * p.decay_rate));
  }
  const double reach = std::min(limit, span_limit / (a_max + fastest));
  // A few ULP of the potentials at stake.
  const double tolerance = 0x1p-51 * std::max(m.scale, std::abs(u0));

  taylor_step st;
  series a{}, b{};
  series& u = st.coefficient;
  u[0] = u0;
  a[0] = m.leak_rate;
  b[0] = m.drive;
  std::uint32_t degree = max_degree;
  double reach_power = 1.0;  // reach^n
  for (std::uint32_t n = 0; n < max_degree; ++n) {
    if (n > 0) {
      a[n] = 0.0;
      b[n] = 0.0;
    }
    for (const port_kernel& p : m.ports) {
      double g = k[p.g] * p.from_g[n];
      if (p.has_rise) g += k[p.g + 1] * p.from_x[n];
      a[n] += p.to_a * g;
      b[n] += p.to_b * g;
    }
    // u[n]'s term last: the rest does not wait for it.
    double sum = b[n];
    for (std::uint32_t j = 1; j <= n; ++j) sum -= a[j] * u[n - j];
    u[n + 1] = (sum - a[0] * u[n]) * inverse[n + 1];
    const double last = std::abs(u[n]) * reach_power;
    reach_power *= reach;
    if (n >= 1 && std::abs(u[n + 1]) * reach_power + last <= 0.25 * tolerance) {
      degree = n + 1;
      break;
    }
  }
  st.degree = degree;

  // The remainder's bound over [0, reach], K reach^(N+1), then the step it allows.
  series ta{};
  double tb = degree == 0 ? m.drive : 0.0;
  ta[0] = m.leak_rate;
  for (const port_kernel& p : m.ports) {
    const double g = std::abs(k[p.g]), x = p.has_rise ? std::abs(k[p.g + 1]) : 0.0;
    if (g == 0.0 && x == 0.0) continue;
    const double grow_g = g * exp_fast(p.decay_rate * reach);
    const double grow_x =
        x == 0.0 ? 0.0 : x * exp_fast(std::max(p.rise_rate, p.decay_rate) * reach);
    const double to_a = p.to_a, to_b = std::abs(p.to_b);
    for (std::uint32_t j = 0; j <= degree; ++j) {
      const double tail = grow_g * p.tail_g[j] + grow_x * (j == 0 ? reach : p.tail_x[j]);
      ta[j] += to_a * tail;
      if (j == degree) tb += to_b * tail;
    }
  }
  double sum = tb;
  for (std::uint32_t j = 0; j <= degree; ++j) sum += std::abs(u[j]) * ta[degree - j];
  const double factor = sum / static_cast<double>(degree + 1);
  double power = 1.0;
  for (std::uint32_t j = 0; j <= degree; ++j) power *= reach;
  st.length = reach;
  st.error = factor * power;
  if (st.error > tolerance) {
    st.length = 0.999 * std::pow(tolerance / factor, 1.0 / static_cast<double>(degree + 1));
    st.error = tolerance;
  }
  return st;
}

double advance_state(const conductance_model& m, double u, double* kernels, double dt) {
  while (dt > 0.0) {
    const taylor_step st = expand(m, u, kernels, dt);
    const double h = st.length >= dt ? dt : st.length;
    u = st.value(h);
    propagate_kernels(m, kernels, kernels, h);
    dt = h == dt ? 0.0 : dt - h;
  }
  return u;
}

}  // namespace syn::detail
