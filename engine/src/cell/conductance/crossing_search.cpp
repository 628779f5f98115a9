#include "cell/conductance/crossing_search.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <tuple>

#include "cell/linear/threshold_crossing.hpp"
#include "numerics/bracketed_newton.hpp"

namespace syn::detail {

namespace {

using coefficients = std::array<double, max_degree + 1>;

// Binomial coefficients up to max_degree, exact in double.
constexpr auto binomials = [] {
  std::array<std::array<double, max_degree + 1>, max_degree + 1> c{};
  for (std::uint32_t n = 0; n <= max_degree; ++n) {
    c[n][0] = 1.0;
    for (std::uint32_t k = 1; k <= n; ++k) c[n][k] = c[n - 1][k - 1] + (k < n ? c[n - 1][k] : 0);
  }
  return c;
}();

// Their inverses, so that the conversion to Bernstein form multiplies instead of dividing.
constexpr auto inverse_binomials = [] {
  auto c = binomials;
  for (auto& row : c)
    for (double& x : row)
      if (x != 0.0) x = 1.0 / x;
  return c;
}();

class search {
 public:
  search(const taylor_step& step, double threshold, double now)
      : step_(step), level_(threshold), band_(threshold - peak_tolerance), now_(now) {}

  std::optional<double> run() {
    // On [0, 1]: p(v) = q(v / extent), q's power coefficients scaled by extent^n, then the
    // Bernstein coefficients b_i = sum_{n <= i} C(i, n) / C(N, n) q_n.
    const std::uint32_t degree = step_.degree;
    coefficients q{}, b{};
    double power = 1.0;
    for (std::uint32_t n = 0; n <= degree; ++n) {
      q[n] = step_.coefficient[n] * power * inverse_binomials[degree][n];
      power *= step_.extent;
    }
    for (std::uint32_t i = 0; i <= degree; ++i) {
      double sum = 0.0;
      for (std::uint32_t n = 0; n <= i; ++n) sum += binomials[i][n] * q[n];
      b[i] = sum;
    }
    return on(b, 0.0, 1.0, 0);
  }

 private:
  std::optional<double> on(const coefficients& b, double l, double r, int depth) const {
    const std::uint32_t degree = step_.degree;
    const auto top = std::max_element(b.begin(), b.begin() + degree + 1);
    if (*top < band_) return std::nullopt;
    bool rising = true, falling = true;
    for (std::uint32_t i = 0; i < degree; ++i) {
      if (b[i + 1] < b[i]) rising = false;
      if (b[i + 1] > b[i]) falling = false;
    }
    // The interval's ends in time.
    const double start = at(l), end = at(r);
    if (falling) return b[0] >= band_ ? std::optional(start) : std::nullopt;
    if (rising) return b[degree] >= level_ ? std::optional(crossing(start, end)) : std::nullopt;
    constexpr double eps = std::numeric_limits<double>::epsilon();
    if (end - start <= 4.0 * eps * (now_ + end) || depth >= 200) return start;
    // de Casteljau at the middle: the left half's coefficients, then the right half's.
    coefficients left{}, right{}, work = b;
    for (std::uint32_t k = 0; k <= degree; ++k) {
      left[k] = work[0];
      right[degree - k] = work[degree - k];
      for (std::uint32_t i = 0; i + k < degree; ++i) work[i] = 0.5 * (work[i] + work[i + 1]);
    }
    const double middle = 0.5 * (l + r);
    if (const auto s = on(left, l, middle, depth + 1)) return s;
    return on(right, middle, r, depth + 1);
  }

  // The time of the point x of [0, 1] (x extent in the step's variable).
  double at(double x) const { return x == 1.0 ? step_.length : step_.time(x * step_.extent); }

  // The one crossing of threshold on [lo, hi] (times), where p rises.
  double crossing(double lo, double hi) const {
    const double f_lo = step_.value(lo) - level_, f_hi = step_.value(hi) - level_;
    if (f_lo >= 0.0) return lo;
    if (f_hi < 0.0) return hi;  // rounding: the Bernstein end said it reached
    return bracketed_newton(
        [&](double s) { return std::tuple(step_.value(s) - level_, step_.slope(s)); }, lo, hi,
        f_lo, f_hi, now_);
  }

  const taylor_step& step_;
  double level_, band_, now_;
};

}  // namespace

std::optional<double> first_firing(const taylor_step& step, double threshold_rel, double now) {
  return search(step, threshold_rel, now).run();
}

}  // namespace syn::detail
