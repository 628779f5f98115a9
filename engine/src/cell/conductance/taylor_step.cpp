#include "cell/conductance/taylor_step.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "cell/conductance/blocked_step.hpp"
#include "numerics/divided_difference.hpp"
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

double slope_at(const conductance_model& m, double u, const double* k) {
  double a = m.leak_rate, b = m.drive, blocked = 0.0;
  for (const port_kernel& p : m.ports) {
    if (p.blocked) {
      blocked += k[p.g] * block_at(p, u) * (p.to_b - p.to_a * u);
    } else {
      a += p.to_a * k[p.g];
      b += p.to_b * k[p.g];
    }
  }
  return b - a * u + blocked;
}

namespace {

// The longest step worth trying from u and a kernel state, up to limit: a few of the state's
// fastest time scales (span_limit).
double reach_of(const conductance_model& m, double u, const double* k, double limit) {
  double a_max = m.leak_rate, fastest = 0.0;
  for (const port_kernel& p : m.ports) {
    const double g = k[p.g], x = p.has_rise ? k[p.g + 1] : 0.0;
    if (g == 0.0 && x == 0.0) continue;
    fastest = std::max(fastest, p.has_rise ? std::max(p.rise_rate, p.decay_rate) : p.decay_rate);
    // g peaks at most at g + x / (e decay) (chain2 <= s e^{-decay s}). A blocked port's
    // B(u) (e - u) changes with u at most at 1 + mg_slope |e - u| / 4 (B' <= mg_slope / 4),
    // and by little where B is small: B(u) (1 + mg_slope |e - u|), B taken where u is or at
    // threshold, grows with u, so three times that (the step's remainder decides in the end).
    const double reaction =
        p.blocked ? std::min(1.0 + 0.25 * mg_slope * (p.reversal_rel + m.scale),
                              3.0 * block_at(p, std::max(u, m.threshold_rel)) *
                                  (1.0 + mg_slope * (p.reversal_rel + m.scale + std::abs(u))))
                   : 1.0;
    a_max += reaction * p.to_a * (g + x / (2.718281828459045 * p.decay_rate));
  }
  // And the bias alone moves u by at most a few of the model's potentials: a near-perfect
  // integrator's leak would allow steps of tau_m.
  return std::min(limit, span_limit / (a_max + fastest + m.drift));
}

// 1 - e^{-x} for 0 <= x, to about an ULP, without libm's expm1 (a call that cost a tenth of a
// COBA run): its Taylor series below 1/2 (the first term left out, x^18 / 18!, is below 1e-21
// of it there), and 1 - e^{-x} itself above, where the subtraction loses at most a bit.
double one_minus_exp(double x) {
  if (x >= 0.5) return 1.0 - exp_fast(-x);
  // x (1 - x/2 (1 - x/3 (1 - ...))), to x^17 / 17!.
  double sum = 1.0;
  for (std::uint32_t k = 17; k >= 2; --k) sum = 1.0 - x * inverse[k] * sum;
  return x * sum;
}

// The recurrence in v (taylor_step.hpp) for polynomials A, B of degree `top`, up to the degree
// at which two terms in a row fall below a quarter of the tolerance (v runs up to 1); returns
// that degree. `top` is a template argument so that the sum over A's coefficients unrolls.
template <std::uint32_t top>
std::uint32_t recur(series& u, const std::array<double, max_multiple + 1>& a,
                    const std::array<double, max_multiple + 1>& b, double c, double f,
                    double tolerance) {
  const double leak = f * a[0];
  double cn = 0.0;  // c n
  for (std::uint32_t n = 0; n < max_degree; ++n) {
    // U_{n+1} = U_n grow + push: only one product and one sum wait for U_n.
    double older = n <= top ? b[n] : 0.0;
    if (n >= top) {
      for (std::uint32_t j = top; j >= 1; --j) older -= a[j] * u[n - j];
    } else {
      for (std::uint32_t j = n; j >= 1; --j) older -= a[j] * u[n - j];
    }
    const double grow = (cn - leak) * inverse[n + 1], push = f * older * inverse[n + 1];
    u[n + 1] = u[n] * grow + push;
    cn += c;
    if (n >= 1 && std::abs(u[n + 1]) + std::abs(u[n]) <= 0.25 * tolerance) return n + 1;
  }
  return max_degree;
}

// The expansion in v = w / c, w = 1 - e^{-r s} (r the common rate; taylor_step.hpp).
taylor_step expand_in_w(const conductance_model& m, double u0, const double* k, double reach) {
  const std::uint32_t top = m.largest_multiple;
  const double r = m.common_rate;
  taylor_step st;
  st.rate = r;
  // c: the w of the longest step (at most 1 - e^{-1/2}: see expand_open).
  const double c = one_minus_exp(r * reach);
  const double f = c / r;
  st.w_unit = c;
  // A(w) and B(w), of degree top, in powers of v.
  std::array<double, max_multiple + 1> a{}, b{};
  a[0] = m.leak_rate;
  b[0] = m.drive;
  for (const port_kernel& p : m.ports) {
    const double g = k[p.g], x = p.has_rise ? k[p.g + 1] : 0.0;
    if (g == 0.0 && x == 0.0) continue;
    for (std::uint32_t j = 0; j <= top; ++j) {
      const double in = g * p.in_w_from_g[j] + x * p.in_w_from_x[j];
      a[j] += p.to_a * in;
      b[j] += p.to_b * in;
    }
  }
  double power = 1.0;
  for (std::uint32_t j = 1; j <= top; ++j) {
    power *= c;
    a[j] *= power;
    b[j] *= power;
  }
  const double tolerance = step_tolerance(m, u0);
  series& u = st.coefficient;
  u[0] = u0;
  std::uint32_t degree = 0;
  switch (top) {
    case 1: degree = recur<1>(u, a, b, c, f, tolerance); break;
    case 2: degree = recur<2>(u, a, b, c, f, tolerance); break;
    case 3: degree = recur<3>(u, a, b, c, f, tolerance); break;
    case 4: degree = recur<4>(u, a, b, c, f, tolerance); break;
    case 5: degree = recur<5>(u, a, b, c, f, tolerance); break;
    case 6: degree = recur<6>(u, a, b, c, f, tolerance); break;
    case 7: degree = recur<7>(u, a, b, c, f, tolerance); break;
    default: degree = recur<max_multiple>(u, a, b, c, f, tolerance); break;
  }
  st.degree = degree;
  // The residual's coefficients res_n, n = N .. N + top (taylor_step.hpp).
  std::array<double, max_multiple + 1> residual{};
  for (std::uint32_t i = 0; i <= top; ++i) {
    const std::uint32_t n = degree + i;
    double sum = n <= top ? b[n] : 0.0;
    for (std::uint32_t j = i; j <= top && j <= n; ++j) sum -= a[j] * u[n - j];
    if (i == 0) sum += (c / f) * degree * u[degree];
    residual[i] = std::abs(sum);
  }
  const auto bound = [&](double v) {
    double sum = 0.0, v_power = std::pow(v, degree + 1);
    for (std::uint32_t i = 0; i <= top; ++i) {
      sum += residual[i] * v_power / static_cast<double>(degree + i + 1);
      v_power *= v;
    }
    return sum * f / (1.0 - c * v);
  };
  double extent = 1.0, error = bound(extent);
  for (int tries = 0; error > tolerance && tries < 8; ++tries) {
    extent *= 0.999 * std::pow(tolerance / error, 1.0 / static_cast<double>(degree + 1));
    error = bound(extent);
  }
  st.extent = extent;
  // Unshortened, the step spans the reach exactly (time(1) would round it).
  st.length = extent == 1.0 ? reach : st.time(extent);
  st.error = error;
  return st;
}

// The expansion in s (taylor_step.hpp).
taylor_step expand_in_time(const conductance_model& m, double u0, const double* k,
                           double reach) {
  const double tolerance = step_tolerance(m, u0);

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
    // The oldest coefficients first, in two sums, the newest last: only the last two products
    // wait for the coefficient just computed, so the recurrence's critical path is a few
    // operations per degree instead of the whole sum.
    double even = 0.0, odd = 0.0;
    std::uint32_t j = n;
    for (; j >= 3; j -= 2) {
      even += a[j] * u[n - j];
      odd += a[j - 1] * u[n - j + 1];
    }
    if (j == 2) even += a[2] * u[n - 2];
    const double older = b[n] - (even + odd);
    u[n + 1] = ((n >= 1 ? older - a[1] * u[n - 1] : older) - a[0] * u[n]) * inverse[n + 1];
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
  double tb = 0.0;  // the drive is b_0 alone, and the degree at least 2
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
  st.extent = st.length;
  return st;
}

// expand, given the model's open ports.
taylor_step expand_open(const conductance_model& model, std::uint64_t open, double u0,
                        const double* k, double limit) {
  const conductance_model& m = model.with_open(open);
  // The expansion in w pays where the step spans a small part of the common rate's time scale:
  // u holds e^{-a s}, no polynomial in w, whose series in w converges only like w^n. So its steps
  // are kept to w <= 1 - e^{-1/2}; where that would cut them by more than 4 (a fast receptor
  // setting the common rate while the step is long, the receptor idle), the expansion in s.
  const double reach = reach_of(m, u0, k, limit);
  if (m.blocked) return expand_blocked(m, u0, k, reach);
  const double span = m.common_rate * reach;
  if (span > 0.0 && span <= 2.0)
    return expand_in_w(m, u0, k, span <= 0.5 ? reach : 0.5 / m.common_rate);
  return expand_in_time(m, u0, k, reach);
}

}  // namespace

taylor_step expand(const conductance_model& m, double u0, const double* k, double limit) {
  return expand_open(m, open_ports(m, k), u0, k, limit);
}

// u + (drive - leak u) (1 - e^{-leak dt}) / leak, written with phi1 so that a near-perfect
// integrator (leak -> 0, its level drive / leak far away) loses no digits.
double relax(const conductance_model& m, double u, double dt) {
  return u + (m.drive - m.leak_rate * u) * dt * phi1(-m.leak_rate * dt);
}

double advance_state(const conductance_model& m, double u, double* kernels, double dt) {
  while (dt > 0.0) {
    const std::uint64_t open = open_ports(m, kernels);
    if (open == 0) return relax(m, u, dt);
    const taylor_step st = expand_open(m, open, u, kernels, dt);
    const double h = st.length >= dt ? dt : st.length;
    u = h == st.length ? st.end_value() : st.value(h);
    propagate_kernels(m, kernels, kernels, h);
    dt = h == dt ? 0.0 : dt - h;
  }
  return u;
}

}  // namespace syn::detail
