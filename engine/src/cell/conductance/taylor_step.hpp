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

#include <cstdint>

#include "cell/conductance/conductance_model.hpp"

namespace syn::detail {

// u's Taylor polynomial over one step, p(s) = sum coefficient[n] s^n, within `error` of u for
// every s in [0, length].
struct taylor_step {
  series coefficient{};
  std::uint32_t degree = 0;
  double length = 0.0;
  double error = 0.0;

  double value(double s) const {
    double v = coefficient[degree];
    for (std::uint32_t n = degree; n-- > 0;) v = v * s + coefficient[n];
    return v;
  }
  double slope(double s) const {
    double v = degree * coefficient[degree];
    for (std::uint32_t n = degree; n-- > 1;) v = v * s + n * coefficient[n];
    return v;
  }
};

// The step from u (V - rest) and a kernel state, as long as its error allows, up to `limit` ms.
taylor_step expand(const conductance_model& m, double u, const double* kernels, double limit);

// u after dt ms from u and a kernel state, which is brought forward too.
double advance_state(const conductance_model& m, double u, double* kernels, double dt);

// a(0) and b(0) of a state: u' = b - a u.
struct rates_now {
  double a;
  double b;
};
rates_now rates_at(const conductance_model& m, const double* kernels);

}  // namespace syn::detail
