#pragma once

// V of a conductance cell between events (conductance_model.hpp): u' = b(s) - a(s) u, where a and
// b are sums of exponentials (and of t e^{-t/tau} terms) with Taylor coefficients known in closed
// form, so u's follow from the recurrence (n + 1) u_{n+1} = b_n - sum_j a_j u_{n-j}.
//
// The remainder, rigorously: p, the polynomial of degree N, leaves the residual
// rho = b - a p - p', whose coefficients below N vanish; r = u - p obeys r' = -a r + rho with
// r(0) = 0, and a >= 1/tau_m > 0 (conductances are never negative), so
//   |r(s)| <= int_0^s |rho| <= s^(N+1) / (N+1) * [Tb_N + sum_k |u_k| Ta_{N-k}],
// Ta_m (Tb_m) bounding sum_{j>=m} |a_j| s^(j-m) (the same of b) over the step: each exponential
// c e^{-r s} contributes at most |c| r^m / m! e^{r s}, each chain term |x| rise^(m-1) / (m-1)!
// e^{rise s}. Rounding aside, the polynomial is within `error` of u on the whole step.
//
// Where every kernel rate is a small multiple m_k of one rate r (conductance_model::common_rate),
// the same equation in w = 1 - e^{-r s} has polynomial coefficients: e^{-m r s} = (1 - w)^m, and
// r (1 - w) du/dw = B(w) - A(w) u with A, B of degree M = the largest multiple. In v = w / c,
// with A_k, B_k scaled by c^k and f = c / r, its coefficients follow from a recurrence of M + 2
// terms, (n + 1) U_{n+1} = c n U_n + f (B_n - sum_{k <= M} A_k U_{n-k}), instead of a sum over
// all of them. The remainder: the residual B - A p - (1 - c v) p' / f of the degree-N polynomial p
// has coefficients only from N to N + M (res_n, finitely many, computed); e = u - p obeys
// (1 - c v) e' / f = -A e + res, and A = a > 0, so
// |e(v)| <= int_0^v f |res| / (1 - c x) dx <= f / (1 - c v) sum_n |res_n| v^(n+1) / (n+1).

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "cell/conductance/conductance_model.hpp"

namespace syn::detail {

// u over one step as a polynomial p(v) = sum coefficient[n] v^n of v = s (time since the step's
// start) or, with a common rate r, v = w / c, w = 1 - e^{-r s} (c, the w of the longest step
// tried, keeps the coefficients near u's size however slow r is); within `error` of u for every
// s in [0, length], v in [0, extent].
struct taylor_step {
  series coefficient{};
  std::uint32_t degree = 0;
  double rate = 0.0;  // 0: v = s
  double w_unit = 1.0;  // c
  double extent = 0.0;
  double length = 0.0;
  double error = 0.0;

  double variable(double s) const { return rate == 0.0 ? s : -std::expm1(-rate * s) / w_unit; }
  double time(double v) const { return rate == 0.0 ? v : -std::log1p(-w_unit * v) / rate; }
  double polynomial(double v) const {
    double p = coefficient[degree];
    for (std::uint32_t n = degree; n-- > 0;) p = p * v + coefficient[n];
    return p;
  }
  double derivative(double v) const {
    double p = degree * coefficient[degree];
    for (std::uint32_t n = degree; n-- > 1;) p = p * v + n * coefficient[n];
    return p;
  }
  double value(double s) const { return polynomial(variable(s)); }
  // u at the step's end, s = length (v = extent exactly).
  double end_value() const { return polynomial(extent); }
  // du/ds.
  double slope(double s) const {
    const double v = variable(s);
    return rate == 0.0 ? derivative(v) : derivative(v) * rate * (1.0 - w_unit * v) / w_unit;
  }
};

// The step from u (V - rest) and a kernel state, as long as its error allows, up to `limit` ms.
taylor_step expand(const conductance_model& m, double u, const double* kernels, double limit);

// u after dt ms with no kernel open (open_ports 0): it relaxes in closed form towards
// bias / g_L.
double relax(const conductance_model& m, double u, double dt);

// u after dt ms from u and a kernel state, which is brought forward too.
double advance_state(const conductance_model& m, double u, double* kernels, double dt);

// u' at u with a kernel state.
double slope_at(const conductance_model& m, double u, const double* kernels);

// A few ULP of the potentials at stake in a step from u0: threshold and reset, u itself, and the
// reversals of the conductances open (m being the view of the open ports: a port added to a
// growing network leaves the past unchanged).
inline double step_tolerance(const conductance_model& m, double u0) {
  return 0x1p-51 * std::max(m.budget_scale, std::abs(u0));
}

}  // namespace syn::detail
