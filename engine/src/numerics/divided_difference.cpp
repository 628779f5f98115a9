#include "numerics/divided_difference.hpp"

#include <algorithm>
#include <cmath>

namespace syn::detail {

double phi1(double z) { return z == 0.0 ? 1.0 : std::expm1(z) / z; }

double chain1(double a, double t) { return std::exp(-a * t); }

double chain2(double a, double b, double t) {
  // Factor out the slower exponential so that phi1 only sees arguments <= 0.
  const double slow = std::min(a, b);
  const double fast = std::max(a, b);
  return t * std::exp(-slow * t) * phi1(-(fast - slow) * t);
}

namespace {

// exp[0, p, q] for q <= p <= 0 (divided difference of exp).
double dd3_exp_origin(double p, double q) {
  if (q > -1.0) {
    // Taylor series about the midpoint m: exp[z] = e^m sum_k h_k(z - m) / (k + 2)!, with h_k the
    // complete homogeneous symmetric polynomials. |z - m| <= 1/2, so 20 terms reach 1e-19.
    const double m = 0.5 * q;
    const double w1 = -m, w2 = p - m, w3 = q - m;
    double h1 = 1.0, h2 = 1.0, h3 = 1.0;  // h_k over {w1}, {w1, w2}, {w1, w2, w3}
    double factorial = 2.0;               // (k + 2)!
    double sum = 1.0 / factorial;
    for (int k = 1; k <= 20; ++k) {
      h1 *= w1;
      h2 = h1 + w2 * h2;
      h3 = h2 + w3 * h3;
      factorial *= k + 2;
      sum += h3 / factorial;
    }
    return std::exp(m) * sum;
  }
  // Spread >= 1: the recurrence exp[0,p,q] = (exp[0,p] - exp[p,q]) / -q loses at most a few bits
  // (both terms are positive and their difference is at least e^q / 2 * |q|).
  const double dd_0p = phi1(p);                    // exp[0, p] = e^0 phi1(p - 0)
  const double dd_pq = std::exp(p) * phi1(q - p);  // exp[p, q] = e^p phi1(q - p)
  return (dd_0p - dd_pq) / -q;
}

}  // namespace

double chain3(double a, double b, double c, double t) {
  double r[3] = {a, b, c};
  std::sort(r, r + 3);
  return t * t * std::exp(-r[0] * t) * dd3_exp_origin(-(r[1] - r[0]) * t, -(r[2] - r[0]) * t);
}

double chain2_peak_time(double a, double b) {
  if (a == b) return 1.0 / a;
  // d/dt h_2 = 0  <=>  t = ln(a / b) / (a - b), written with log1p for nearby rates.
  const double slow = std::min(a, b);
  const double fast = std::max(a, b);
  const double ratio_minus_one = (fast - slow) / slow;
  return std::log1p(ratio_minus_one) / (fast - slow);
}

}  // namespace syn::detail
