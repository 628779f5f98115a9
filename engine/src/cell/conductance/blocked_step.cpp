#include "cell/conductance/blocked_step.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "numerics/interval.hpp"

namespace syn::detail {

namespace {

// B = 1 / (1 + e^w) and 1 - B = 1 / (1 + e^{-w}), at a number w or over an interval of them
// (B falls as w rises; each within three roundings: exp's, the sum's and the division's).
struct block_values {
  double block, rest;
};
block_values block_of(double w) { return {1.0 / (1.0 + std::exp(w)), 1.0 / (1.0 + std::exp(-w))}; }

struct block_ranges {
  interval block, rest;
};
block_ranges block_of(const interval& w) {
  return {widened(1.0 / (1.0 + std::exp(w.hi)), 1.0 / (1.0 + std::exp(w.lo)), 3),
          widened(1.0 / (1.0 + std::exp(-w.lo)), 1.0 / (1.0 + std::exp(-w.hi)), 3)};
}

template <class T>
using series_of = std::array<T, max_degree + 2>;

// sum_{j = first .. n} w_j x_j y_{n-j}, w_j = j when `weighted`, else 1: the Cauchy products of
// the recurrences.
double cauchy(const series_of<double>& x, const series_of<double>& y, std::uint32_t first,
              std::uint32_t n, bool weighted = false) {
  double sum = 0.0;
  for (std::uint32_t j = first; j <= n; ++j)
    sum += (weighted ? static_cast<double>(j) * x[j] : x[j]) * y[n - j];
  return sum;
}

// The same in interval arithmetic, rounded outward once at the end instead of at each operation:
// k products and their sum are within (k + 1) 2^-52 of the sum of the products' magnitudes
// (two roundings per product, k - 1 in the sum, each at most 2^-53 of a magnitude), widened by
// twice that.
interval cauchy(const series_of<interval>& x, const series_of<interval>& y, std::uint32_t first,
                std::uint32_t n, bool weighted = false) {
  double lo = 0.0, hi = 0.0, magnitude = 0.0;
  for (std::uint32_t j = first; j <= n; ++j) {
    const double w = weighted ? static_cast<double>(j) : 1.0;
    const double xl = w * x[j].lo, xh = w * x[j].hi;
    const interval& b = y[n - j];
    const double p1 = xl * b.lo, p2 = xl * b.hi, p3 = xh * b.lo, p4 = xh * b.hi;
    const double low = std::min(std::min(p1, p2), std::min(p3, p4));
    const double high = std::max(std::max(p1, p2), std::max(p3, p4));
    lo += low;
    hi += high;
    magnitude += std::max(std::abs(low), std::abs(high));
  }
  // The smallest normal number stands for underflow (and, unlike a subnormal, costs nothing).
  const double pad = (n - first + 2) * (0x1p-51 * magnitude + std::numeric_limits<double>::min());
  return {lo - pad, hi + pad};
}

// u's Taylor coefficients (blocked_step.hpp), in double at the step's start or in interval
// arithmetic over a box of the step.
template <class T>
class blocked_series {
 public:
  // The kernels' values g and x, port by port (x unused without a rise), give the series of a,
  // b and each blocked port's q up to `degree`.
  blocked_series(const conductance_model& m, const std::vector<T>& g, const std::vector<T>& x,
                 std::uint32_t degree) {
    a_.fill(T(0.0));
    b_.fill(T(0.0));
    a_[0] = T(m.leak_rate);
    b_[0] = T(m.drive);
    for (std::size_t i = 0; i < m.ports.size(); ++i) {
      const port_kernel& p = m.ports[i];
      if (p.blocked) {
        ports_.push_back({p.block_offset, p.to_b / p.to_a, {}, {}, {}, {}});
        ports_.back().q.fill(T(0.0));
      }
      for (std::uint32_t n = 0; n <= degree; ++n) {
        T kernel = g[i] * p.from_g[n];
        if (p.has_rise) kernel += x[i] * p.from_x[n];
        if (p.blocked) {
          ports_.back().q[n] = p.to_a * kernel;
        } else {
          a_[n] += p.to_a * kernel;
          b_[n] += p.to_b * kernel;
        }
      }
    }
  }

  // From u(0) = u0 (a number, or an interval of values).
  void start(const T& u0) {
    u_[0] = u0;
    for (port& p : ports_) {
      const auto [block, rest] = block_of(p.offset - mg_slope * u0);
      p.block[0] = block;
      p.spread[0] = block * rest;
      p.force[0] = block * (p.reversal - u0);
    }
  }

  // u_{n+1}, given u_0 .. u_n.
  const T& next(std::uint32_t n) {
    if (n >= 1) {
      for (port& p : ports_) {
        p.block[n] = (mg_slope / n) * cauchy(u_, p.spread, 1, n, true);
        p.spread[n] = p.block[n] - cauchy(p.block, p.block, 0, n);
        p.force[n] = p.reversal * p.block[n] - cauchy(p.block, u_, 0, n);
      }
    }
    T sum = b_[n] - cauchy(a_, u_, 0, n);
    for (const port& p : ports_) sum += cauchy(p.q, p.force, 0, n);
    u_[n + 1] = sum * (1.0 / (n + 1));
    return u_[n + 1];
  }

  const series_of<T>& coefficients() const { return u_; }

 private:
  struct port {
    double offset;          // w = offset - mg_slope u
    double reversal;        // e_p, mV
    series_of<T> q;         // g_p / C
    series_of<T> block{};   // B_p(u)
    series_of<T> spread{};  // B_p(u) (1 - B_p(u))
    series_of<T> force{};   // B_p(u) (e_p - u)
  };
  series_of<T> a_, b_, u_{};
  std::vector<port> ports_;
};

// Where g and x of each port lie over [0, h] (blocked_step.hpp).
void kernel_ranges(const conductance_model& m, const double* k, double h,
                   std::vector<interval>& g, std::vector<interval>& x) {
  g.clear();
  x.clear();
  for (const port_kernel& p : m.ports) {
    const interval decayed = widened(std::exp(-p.decay_rate * h), 1.0, 2);
    interval gi = interval(k[p.g]) * decayed, xi(0.0);
    if (p.has_rise) {
      const double chain_max = std::min(h, 1.0 / (2.718281828459045 * p.decay_rate));
      gi += interval(k[p.g + 1]) * interval(0.0, chain_max * (1.0 + 0x1p-50));
      xi = interval(k[p.g + 1]) * widened(std::exp(-p.rise_rate * h), 1.0, 2);
    }
    g.push_back(gi);
    x.push_back(xi);
  }
}

// A bound on |u_{N+1}| over [0, h] x (u's enclosure), or infinity when no enclosure was found.
double remainder_coefficient(const conductance_model& m, double u0, const double* k, double h,
                             std::uint32_t degree, double scale) {
  std::vector<interval> g, x;
  kernel_ranges(m, k, h, g, x);
  blocked_series<interval> box(m, g, x, degree + 1);
  // Picard: a guess U, then u0 + [0, h] F(U), until it lies within the guess.
  const interval span(0.0, h);
  box.start(interval(u0));
  interval guess = interval(u0) + span * box.next(0);
  for (int tries = 0; tries < 6; ++tries) {
    const double pad = 0.5 * (guess.hi - guess.lo) + 0x1p-40 * scale;
    guess = {guess.lo - pad, guess.hi + pad};
    box.start(guess);
    const interval reached = interval(u0) + span * box.next(0);
    if (contains(guess, reached)) {
      for (std::uint32_t n = 1; n <= degree; ++n) box.next(n);
      return box.coefficients()[degree + 1].magnitude();
    }
    guess = hull(guess, reached);
  }
  return std::numeric_limits<double>::infinity();
}

}  // namespace

taylor_step expand_blocked(const conductance_model& m, double u0, const double* k, double reach) {
  const double tolerance = step_tolerance(m, u0);
  taylor_step st;
  std::vector<double> g, x;
  for (const port_kernel& p : m.ports) {
    g.push_back(k[p.g]);
    x.push_back(p.has_rise ? k[p.g + 1] : 0.0);
  }
  blocked_series<double> point(m, g, x, max_degree);
  point.start(u0);
  std::uint32_t degree = max_degree;
  double reach_power = 1.0;  // reach^n
  for (std::uint32_t n = 0; n < max_degree; ++n) {
    const double next = point.next(n);
    const double last = std::abs(point.coefficients()[n]) * reach_power;
    reach_power *= reach;
    if (n >= 1 && std::abs(next) * reach_power + last <= 0.25 * tolerance) {
      degree = n + 1;
      break;
    }
  }
  st.coefficient = point.coefficients();
  st.degree = degree;
  // The longest h <= reach whose remainder is within the tolerance: each try shortens h by what
  // the last bound asks for, and the bound of a shorter step (a smaller box) is no larger.
  const double scale = std::max(m.budget_scale, std::abs(u0));
  double h = reach;
  // A finite state ends within a few tries; 64 halvings, for a state that is not, end anyway.
  for (int tries = 0;; ++tries) {
    const double bound = remainder_coefficient(m, u0, k, h, degree, scale);
    const double error = bound * std::pow(h, degree + 1);
    if (error <= tolerance || tries == 64) {
      st.length = st.extent = h;
      st.error = error;
      return st;
    }
    const double shorter =
        std::isfinite(error) ? 0.9 * std::pow(tolerance / error, 1.0 / (degree + 1)) : 0.5;
    h *= tries < 8 ? std::max(shorter, 0.1) : 0.5;
  }
}

}  // namespace syn::detail
