#pragma once

// The n-point Gauss–Legendre rule on [0, 1] in 50 digits, with what the conductance references'
// double-precision screens need: interpolation between its nodes, the search for the first
// interval where V may reach threshold, and a double-precision root finder.

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <optional>
#include <vector>

#include "reference_neuron.hpp"

namespace syn::reference {

// P_0(x) .. P_n(x), Legendre polynomials.
inline std::vector<real> legendre(std::size_t n, const real& x) {
  std::vector<real> p(n + 1);
  p[0] = 1;
  if (n > 0) p[1] = x;
  for (std::size_t k = 2; k <= n; ++k) {
    p[k] = ((2 * k - 1) * x * p[k - 1] - (k - 1) * p[k - 2]) / k;
  }
  return p;
}

struct gauss_legendre {
  std::vector<real> node, weight;  // ascending nodes in (0, 1), weights summing to 1
  // integral[i][j]: the integral from 0 to node i of the Lagrange polynomial of node j, so that
  // integrals of an integrand up to each node follow from its values at the nodes (the matrix
  // of the Gauss–Legendre Runge–Kutta method).
  std::vector<std::vector<real>> integral;
  std::vector<double> at;           // the screen's points: 0, the nodes, 1
  std::vector<double> barycentric;  // weights of the barycentric interpolation through `at`
};

inline gauss_legendre make_gauss_legendre(std::size_t n) {
  static const real pi = acos(real(-1));
  std::vector<real> xi, w;  // on [-1, 1]
  for (std::size_t k = n; k >= 1; --k) {
    real x = cos(pi * (k - real(0.25)) / (n + real(0.5)));
    real dp;
    for (int i = 0; i < 100; ++i) {
      const std::vector<real> p = legendre(n, x);
      dp = n * (x * p[n] - p[n - 1]) / (x * x - 1);
      const real dx = p[n] / dp;
      x -= dx;
      if (abs(dx) < real("1e-48")) break;
    }
    xi.push_back(x);
    w.push_back(2 / ((1 - x * x) * dp * dp));
  }
  gauss_legendre r;
  for (std::size_t i = 0; i < n; ++i) {
    r.node.push_back((1 + xi[i]) / 2);
    r.weight.push_back(w[i] / 2);
  }
  // The Lagrange polynomial of node j is sum_k (2k+1)/2 w_j P_k(x_j) P_k(x) (Gauss exactness),
  // and the integral of P_k from -1 is (P_{k+1} - P_{k-1}) / (2k+1), or x + 1 for k = 0.
  std::vector<std::vector<real>> p;
  for (const real& x : xi) p.push_back(legendre(n, x));
  r.integral.assign(n, std::vector<real>(n));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      real s = xi[i] + 1;
      for (std::size_t k = 1; k < n; ++k) s += p[j][k] * (p[i][k + 1] - p[i][k - 1]);
      r.integral[i][j] = w[j] / 4 * s;
    }
  }
  std::vector<real> at{0};
  at.insert(at.end(), r.node.begin(), r.node.end());
  at.push_back(1);
  std::vector<real> lambda;
  real largest = 0;
  for (std::size_t k = 0; k < at.size(); ++k) {
    real prod = 1;
    for (std::size_t m = 0; m < at.size(); ++m) {
      if (m != k) prod *= at[k] - at[m];
    }
    lambda.push_back(1 / prod);
    largest = std::max(largest, real(abs(lambda.back())));
  }
  for (std::size_t k = 0; k < at.size(); ++k) {
    r.at.push_back(at[k].convert_to<double>());
    r.barycentric.push_back((lambda[k] / largest).convert_to<double>());
  }
  return r;
}

// The screen's interpolant through `values` at r.at, at t in [0, 1].
inline double interpolate(const gauss_legendre& r, const std::vector<double>& values, double t) {
  double num = 0, den = 0;
  for (std::size_t k = 0; k < r.at.size(); ++k) {
    const double d = t - r.at[k];
    if (d == 0) return values[k];
    const double c = r.barycentric[k] / d;
    num += c * values[k];
    den += c;
  }
  return num / den;
}

// The screen's first crossing: each pair of neighbouring points k, k + 1 (offsets `pos`, with u
// and u' there in double) between which u may reach `level` by `margin`, in order, goes to
// examine(k, peak), peak when u' turns from rising to falling between them, until it finds one.
template <class Examine>
auto first_crossing(const std::vector<double>& pos, const std::vector<double>& v,
                    const std::vector<double>& d, double level, double margin, Examine examine)
    -> decltype(examine(std::size_t{0}, false)) {
  for (std::size_t k = 0; k + 1 < pos.size(); ++k) {
    const bool peak = d[k] > 0 && d[k + 1] <= 0;
    double estimate = std::max(v[k], v[k + 1]);
    if (peak) {
      // Where V is concave, its maximum lies below both tangent lines.
      const double w = pos[k + 1] - pos[k];
      estimate = std::max({estimate, v[k] + w * d[k], v[k + 1] - w * d[k + 1]});
    }
    if (estimate < level - margin) continue;
    if (auto c = examine(k, peak)) return c;
  }
  return std::nullopt;
}

// A zero of f on [lo, hi] by false position (Illinois); the end nearer zero if f keeps its sign.
template <class F>
double double_zero(F f, double lo, double hi) {
  double f_lo = f(lo), f_hi = f(hi);
  if ((f_lo < 0) == (f_hi < 0)) return std::abs(f_lo) < std::abs(f_hi) ? lo : hi;
  int side = 0;
  for (int i = 0; i < 200 && hi - lo > 1e-15 * (std::abs(lo) + std::abs(hi)); ++i) {
    double x = hi - f_hi * (hi - lo) / (f_hi - f_lo);
    if (!(x > lo && x < hi)) x = (lo + hi) / 2;
    const double fx = f(x);
    if (fx == 0) return x;
    if ((fx < 0) == (f_hi < 0)) {
      hi = x;
      f_hi = fx;
      if (side == 1) f_lo /= 2;
      side = 1;
    } else {
      lo = x;
      f_lo = fx;
      if (side == -1) f_hi /= 2;
      side = -1;
    }
  }
  return (lo + hi) / 2;
}

}  // namespace syn::reference
