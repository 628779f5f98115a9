#pragma once

// V of a conductance cell with a magnesium-blocked port (NMDA; Jahr & Stevens 1990) between
// events. In u = V - rest, with the unblocked ports in a and b as in taylor_step.hpp,
//   u' = b(s) - a(s) u + sum_p q_p(s) B_p(u) (e_p - u),
//   B_p(u) = 1 / (1 + mg_p / 3.57 mM e^{-k (u + rest)}),
// q_p = g_p / C, e_p = E_p - rest, k = 0.062 / mV: nonlinear in u, so neither the recurrence of
// taylor_step.hpp nor its remainder bound (which needs u' linear in u) applies.
//
// The polynomial: u's Taylor coefficients at the step's start still follow from those before
// them, through the series of each B_p and of C_p = B_p (1 - B_p): B = 1 / (1 + e^w) with
// w = ln(mg_p / 3.57 mM) - k (u + rest) gives B' = k C u', so n B_n = k sum_{j=1..n} j u_j C_{n-j}
// and C_n = B_n - sum_{j=0..n} B_j B_{n-j}; then of B_p (e_p - u). No exponential grows with n,
// and B_0 = 1 / (1 + e^w), 1 - B_0 = 1 / (1 + e^{-w}) stay finite for any w.
//
// The remainder, rigorously, by Taylor's theorem in Lagrange's form: on [0, h],
//   |u(s) - p(s)| <= |u_{N+1}(xi)| s^{N+1},
// u_{N+1}(xi) the (N+1)-th coefficient of the solution's expansion at some xi in [0, h], which is
// the same recurrence started from the kernels at xi and from u(xi). The kernels at any point of
// [0, h] lie in intervals known in closed form (g e^{-decay s} + x chain2(s), chain2 between 0
// and min(s, 1 / (e decay)); x e^{-rise s}), and u(xi) lies in an enclosure U proved by
// Picard's theorem: if u(0) + [0, h] F([0, h], U) lies within U, F being u' evaluated in
// interval arithmetic over the kernels' intervals and U, the solution stays in U on [0, h]. The
// recurrence run in interval arithmetic (outward rounded) from U and those intervals then bounds
// u_{N+1}(xi) whatever xi is. h is shortened until the bound is within the step's tolerance.
//
// So the step is a taylor_step like any other, within `error` of u on its whole length, and the
// crossing search (crossing_search.hpp) needs nothing more. equilibrium_bound.hpp's test still
// holds: where u equals a fixed level L, B_p(L) is a constant, so u' there is again a sum of
// exponentials in s.

#include <cmath>

#include "cell/conductance/conductance_model.hpp"
#include "cell/conductance/taylor_step.hpp"

namespace syn::detail {

// Jahr & Stevens 1990: B(V) = 1 / (1 + [Mg] / mg_half_block e^{-mg_slope V}).
inline constexpr double mg_slope = 0.062;       // 1/mV
inline constexpr double mg_half_block = 3.57;   // mM

// B_p(u) of a blocked port: 0 where e^w overflows, 1 where it underflows.
inline double block_at(const port_kernel& p, double u) {
  return 1.0 / (1.0 + std::exp(p.block_offset - mg_slope * u));
}

// The step from u (V - rest) and a kernel state of a model with blocked ports, at most `reach`
// ms long (shorter where the remainder needs it).
taylor_step expand_blocked(const conductance_model& m, double u0, const double* kernels,
                           double reach);

}  // namespace syn::detail
