#include "reference_neuron.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <stdexcept>
#include <utility>

namespace syn::reference {
namespace {

// Screening arithmetic: ~34 digits, so that the huge cancelling coefficients of nearly equal time
// constants still leave V accurate to far below the margins used; every decision that matters is
// then confirmed in `real`.
using quad = __float128;

quad to_quad(const real& x) {
  const double hi = x.convert_to<double>();
  const real rest = x - hi;
  const double mid = rest.convert_to<double>();
  return quad(hi) + quad(mid) + quad((rest - mid).convert_to<double>());
}

quad abs(quad x) { return x < 0 ? -x : x; }

real to_real(quad x) {
  const double hi = static_cast<double>(x);
  const double lo = static_cast<double>(x - hi);
  return real(hi) + real(lo);
}

const real& stop_width() {
  static const real width("1e-40");  // ms; a spike time needs far fewer digits
  return width;
}

// coef * s^power * exp(-s / tau) of the rate table entry `rate`.
struct term {
  real coef;
  int power;
  std::size_t rate;
};

// The distinct time constants of one computation; index 0 is tau_m. Equal values share an index,
// which is what selects the degenerate (t^k exp) closed forms below.
class rate_table {
 public:
  explicit rate_table(double tau_m) { index_of(tau_m); }

  std::size_t index_of(double tau) {
    const auto it = std::find(tau_.begin(), tau_.end(), tau);
    if (it != tau_.end()) return static_cast<std::size_t>(it - tau_.begin());
    tau_.push_back(tau);
    nu_.push_back(1 / real(tau));
    return tau_.size() - 1;
  }
  std::size_t size() const { return tau_.size(); }
  const std::vector<real>& nu() const { return nu_; }
  double min_tau() const { return *std::min_element(tau_.begin(), tau_.end()); }

 private:
  std::vector<double> tau_;
  std::vector<real> nu_;
};

// The current of one input at time 0, scaled to a unit peak.
std::vector<term> current_kernel(const receptor_params& r, rate_table& rates) {
  const std::size_t decay = rates.index_of(r.decay);
  std::vector<term> k;
  if (r.rise == 0) {
    k = {{real(1), 0, decay}};
  } else if (r.rise == r.decay) {
    k = {{real(1), 1, decay}};
  } else {
    const std::size_t rise = rates.index_of(r.rise);
    k = {{real(1), 0, decay}, {real(-1), 0, rise}};
  }
  const real peak = current_peak(r);
  for (term& t : k) t.coef /= peak;
  return k;
}

// Appends the membrane response to one kernel term, into 1 pF from u = 0:
//   R(s) = integral_0^s exp(-(s - y) mu) c y^n exp(-y la) dy,  mu = 1/tau_m, la = 1/tau.
// With d = mu - la:
//   n = 0: c (exp(-la s) - exp(-mu s)) / d,  or c s exp(-mu s) when d == 0;
//   n = 1: c s exp(-la s) / d - c (exp(-la s) - exp(-mu s)) / d^2,  or c s^2 exp(-mu s) / 2.
void add_response(const term& k, const rate_table& rates, std::vector<term>& out) {
  if (k.rate == 0) {
    out.push_back({k.power == 0 ? k.coef : real(k.coef / 2), k.power + 1, 0});
    return;
  }
  const real d = rates.nu()[0] - rates.nu()[k.rate];
  if (k.power == 0) {
    out.push_back({k.coef / d, 0, k.rate});
    out.push_back({-k.coef / d, 0, 0});
  } else {
    const real d2 = d * d;
    out.push_back({k.coef / d, 1, k.rate});
    out.push_back({-k.coef / d2, 0, k.rate});
    out.push_back({k.coef / d2, 0, 0});
  }
}

// f(x) = c + sum_j (q_j0 + q_j1 x + q_j2 x^2) exp(-nu_j x)
struct expo_poly {
  real c;
  std::vector<std::array<real, 3>> q;
};

struct point {
  real v, d1, d2;  // value and first two derivatives
};

bool is_zero(const std::array<real, 3>& q) { return q[0] == 0 && q[1] == 0 && q[2] == 0; }

// exp(-y), y >= 0, twice as fast as boost's exp, which dominated the run time: y = k ln 2 + r,
// exp(-r) = exp(-r / 256)^256 with a 17th-order Taylor polynomial; relative error < 1e-48.
real exp_neg(const real& y) {
  static const real ln2 = log(real(2));
  static const std::array<real, 18> inverse_factorial = [] {
    std::array<real, 18> f;
    f[0] = 1;
    for (std::size_t i = 1; i < f.size(); ++i) f[i] = f[i - 1] / i;
    return f;
  }();
  const long k = static_cast<long>(floor(y / ln2));
  const real z = ldexp(real(y - k * ln2), -8);
  real s = inverse_factorial.back();
  for (std::size_t i = inverse_factorial.size() - 1; i-- > 0;) s = inverse_factorial[i] - z * s;
  for (int i = 0; i < 8; ++i) s *= s;
  return ldexp(s, -static_cast<int>(k));
}

// exp(-nu_j x) for the membrane row and the nonzero rows q_j (the others are never read).
std::vector<real> decays(const std::vector<std::array<real, 3>>& q, const std::vector<real>& nu,
                         const real& x) {
  std::vector<real> e(nu.size());
  for (std::size_t j = 0; j < nu.size(); ++j) {
    if (j == 0 || !is_zero(q[j])) e[j] = exp_neg(nu[j] * x);
  }
  return e;
}

point evaluate(const expo_poly& p, const std::vector<real>& nu, const real& x,
               const std::vector<real>& e) {
  point r{p.c, 0, 0};
  for (std::size_t j = 0; j < nu.size(); ++j) {
    const auto& q = p.q[j];
    if (is_zero(q)) continue;
    const real f = q[0] + x * (q[1] + x * q[2]);
    const real f1 = q[1] + 2 * x * q[2];
    const real f2 = 2 * q[2];
    r.v += f * e[j];
    r.d1 += (f1 - nu[j] * f) * e[j];
    r.d2 += (f2 - 2 * nu[j] * f1 + nu[j] * nu[j] * f) * e[j];
  }
  return r;
}

point evaluate(const expo_poly& p, const std::vector<real>& nu, const real& x) {
  return evaluate(p, nu, x, decays(p.q, nu, x));
}

// The same function in quad precision, over its nonzero rows only.
struct quad_poly {
  struct value {
    quad v, d1, d2;
  };

  quad c = 0;
  std::vector<std::size_t> rows;
  std::vector<std::array<quad, 3>> q;
  std::vector<quad> nu;
  quad magnitude = 0;  // bound of |c| + sum |terms| on [0, len]: scales the rounding error

  quad_poly(const expo_poly& p, const std::vector<real>& all_nu, quad len) : c(to_quad(p.c)) {
    magnitude = abs(c);
    for (std::size_t j = 0; j < all_nu.size(); ++j) {
      if (is_zero(p.q[j])) continue;
      rows.push_back(j);
      q.push_back({to_quad(p.q[j][0]), to_quad(p.q[j][1]), to_quad(p.q[j][2])});
      nu.push_back(to_quad(all_nu[j]));
      magnitude += abs(q.back()[0]) + len * (abs(q.back()[1]) + len * abs(q.back()[2]));
    }
  }

  // Bounds the function on [0, len] term by term: sup of q x^k exp(-nu x) is at x = k / nu or at
  // len. e_len[i] = exp(-nu_i len).
  quad upper_bound(quad len, const std::vector<quad>& e_len) const {
    static const quad e1 = to_quad(exp(real(-1))), e2 = to_quad(exp(real(-2)));
    quad bound = c;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      bound += q[i][0] * (q[i][0] > 0 ? quad(1) : e_len[i]);
      const quad peak = 1 / nu[i];
      if (q[i][1] > 0) bound += q[i][1] * (peak < len ? peak * e1 : len * e_len[i]);
      if (q[i][2] > 0)
        bound += q[i][2] * (2 * peak < len ? 4 * peak * peak * e2 : len * len * e_len[i]);
    }
    return bound;
  }

  // At x, with e[i] = exp(-nu_i x) for each nonzero row i.
  value at(quad x, const std::vector<quad>& e) const {
    value r{c, 0, 0};
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const quad f = q[i][0] + x * (q[i][1] + x * q[i][2]);
      const quad f1 = q[i][1] + 2 * x * q[i][2];
      r.v += f * e[i];
      r.d1 += (f1 - nu[i] * f) * e[i];
      r.d2 += (2 * q[i][2] - 2 * nu[i] * f1 + nu[i] * nu[i] * f) * e[i];
    }
    return r;
  }
};

// exp(-y) for 0 <= y <~ 1 by its Taylor series (quad has no exp here without libquadmath).
quad exp_small(quad y) {
  quad term = 1, sum = 1;
  for (int k = 1; k < 80 && abs(term) > quad(1e-36) * sum; ++k) {
    term *= -y / k;
    sum += term;
  }
  return sum;
}

// qp at xa + y for 0 <= y <= one grid step, from e_a[i] = exp(-nu_i xa).
class local_view {
 public:
  local_view(const quad_poly& qp, quad xa, const std::vector<quad>& e_a)
      : qp_(qp), xa_(xa), e_a_(e_a), e_(e_a.size()) {}

  quad_poly::value at(quad y) const {
    for (std::size_t i = 0; i < e_.size(); ++i) e_[i] = e_a_[i] * exp_small(qp_.nu[i] * y);
    return qp_.at(xa_ + y, e_);
  }

 private:
  const quad_poly& qp_;
  quad xa_;
  const std::vector<quad>& e_a_;
  mutable std::vector<quad> e_;
};

// Zero of f on [lo, hi] where f(lo) < 0 <= f(hi): Newton steps, bisection whenever a step leaves
// the bracket or fails to halve it. Stops on the bracket/step width, never on |f|.
template <class T, class F>
T find_zero(F f, T lo, const T& f_lo, T hi, const T& f_hi, const T& width) {
  T x = f_hi > f_lo ? T(lo + (hi - lo) * (-f_lo / (f_hi - f_lo))) : T((lo + hi) / 2);
  if (!(x > lo && x < hi)) x = (lo + hi) / 2;
  for (int i = 0; i < 500 && hi - lo > width; ++i) {
    const auto [fx, dfx] = f(x);
    if (fx < 0) {
      lo = x;
    } else {
      hi = x;
    }
    T next = dfx != 0 ? T(x - fx / dfx) : T((lo + hi) / 2);
    if (!(next > lo && next < hi) || abs(next - x) > (hi - lo) / 2) next = (lo + hi) / 2;
    const bool converged = abs(next - x) < width;
    x = next;
    if (converged) break;
  }
  return x;
}

// Enough for `polish` to settle in one step: the local coordinate then has ~30 correct digits.
const quad quad_width = 1e-14;

// Newton in `real` from a quad estimate x of the zero of f on [lo, hi] (f(lo) < 0 <= f(hi));
// falls back to the bracketed search if a step leaves the bracket.
template <class F>
real polish(F f, real x, const real& lo, const real& hi) {
  static const real settled("1e-22");  // a step this small leaves an error of order its square
  for (int i = 0; i < 8; ++i) {
    const auto [fx, dfx] = f(x);
    if (dfx == 0) break;
    const real step = fx / dfx;
    const real next = x - step;
    if (next < lo || next > hi) break;
    if (abs(step) < settled) return next;
    x = next;
  }
  return find_zero(f, lo, f(lo).first, hi, f(hi).first, stop_width());
}

// f = -V' with f' = -V'': its zero where V' falls through 0 is a maximum of V.
auto descent(const expo_poly& p, const std::vector<real>& nu) {
  return [&p, &nu](const real& x) {
    const point pt = evaluate(p, nu, x);
    return std::pair<real, real>{-pt.d1, -pt.d2};
  };
}

// One run of free membrane evolution: finds the first threshold crossing on (0, len] by a quad
// screen on a grid of a fraction of the smallest time constant, confirmed in `real`.
class scanner {
 public:
  scanner(const std::vector<real>& nu, double min_tau, const options& opt)
      : nu_(nu), opt_(opt), step_(real(min_tau) / opt.samples_per_tau) {
    step_q_ = to_quad(step_);
    for (const real& n : nu) step_decay_.push_back(to_quad(exp_neg(n * step_)));
  }

  struct crossing {
    std::optional<real> x;
    std::optional<std::string> ill_conditioned;
  };

  // p(0) < level. e_len[j] = exp(-nu_j len) for the nonzero rows of p.
  crossing first_crossing(const expo_poly& p, const real& level, const real& len,
                          const std::vector<real>& e_len) const {
    crossing out;
    const quad len_q = to_quad(len);
    const quad_poly qp(p, nu_, len_q);
    const target t{p, qp, level, to_quad(level), qp.magnitude * quad(1e-29) + quad(1e-28)};
    std::vector<quad> e_end;
    for (std::size_t row : qp.rows) e_end.push_back(to_quad(e_len[row]));
    if (qp.upper_bound(len_q, e_end) < t.level_q - quad(1e-6) - t.error) return out;
    std::vector<quad> e(qp.rows.size(), 1), e_prev = e;
    real x_prev = 0;
    quad xq_prev = 0;
    quad_poly::value a = qp.at(0, e);
    for (long i = 1;; ++i) {
      real x = step_ * i;
      quad xq = step_q_ * i;
      const bool last = x >= len;
      for (std::size_t r = 0; r < e.size(); ++r) {
        e[r] = last ? e_end[r] : e[r] * step_decay_[qp.rows[r]];
      }
      if (last) {
        x = len;
        xq = len_q;
      }
      const quad_poly::value b = qp.at(xq, e);
      quad estimate = std::max(a.v, b.v);
      if (a.d1 > 0 && b.d1 < 0) {
        // A maximum inside: where V is concave it lies below both tangent lines.
        const quad h = xq - xq_prev;
        estimate = std::max({estimate, a.v + h * a.d1, b.v - h * b.d1});
      }
      if (estimate >= t.level_q - quad(1e-6) - t.error) {
        examine(t, x_prev, local_view(qp, xq_prev, e_prev), a, x, last ? &e_len : nullptr, b,
                xq - xq_prev, out);
        if (out.x) return out;
      }
      if (last) return out;
      x_prev = x;
      xq_prev = xq;
      e_prev = e;
      a = b;
    }
  }

  // The first local maximum of p on (0, limit]; p(0) = 0 and p rises first (a PSP).
  real first_maximum(const expo_poly& p, double limit) const {
    const quad_poly qp(p, nu_, quad(limit));
    std::vector<quad> e(qp.rows.size(), 1), e_prev = e;
    quad_poly::value a = qp.at(0, e);
    for (long i = 1; step_ * (i - 1) < limit; ++i) {
      for (std::size_t r = 0; r < e.size(); ++r) e[r] *= step_decay_[qp.rows[r]];
      const quad_poly::value b = qp.at(step_q_ * i, e);
      if (b.d1 < 0) {
        const local_view view(qp, step_q_ * (i - 1), e_prev);
        const auto descent_q = [&](quad y) {
          const auto f = view.at(y);
          return std::pair<quad, quad>{-f.d1, -f.d2};
        };
        const quad y = find_zero(descent_q, quad(0), -a.d1, step_q_, -b.d1, quad_width);
        const real lo = step_ * (i - 1);
        const real x = polish(descent(p, nu_), lo + to_real(y), lo, real(step_ * i));
        return evaluate(p, nu_, x).v;
      }
      e_prev = e;
      a = b;
    }
    throw std::logic_error("reference: PSP without a maximum");
  }

 private:
  struct target {
    const expo_poly& p;
    const quad_poly& qp;
    const real& level;
    quad level_q;
    quad error;  // bound of the quad rounding error of V
  };

  // Decides what the screen flagged on [xa, xb] (local coordinate y = x - xa, width h): quad
  // locates, `real` decides whenever quad cannot.
  void examine(const target& t, const real& xa, const local_view& view, const quad_poly::value& a,
               const real& xb, const std::vector<real>* e_b, const quad_poly::value& b, quad h,
               crossing& out) const {
    point last{};  // the latest evaluation in `real`, near the zero once polished
    const auto above = [&](const real& x) {
      last = evaluate(t.p, nu_, x);
      return std::pair<real, real>{last.v - t.level, last.d1};
    };
    const auto above_q = [&](quad y) {
      const auto f = view.at(y);
      return std::pair<quad, quad>{f.v - t.level_q, f.d1};
    };
    bool crosses = b.v >= t.level_q;
    if (abs(b.v - t.level_q) <= t.error) {
      crosses = (e_b ? evaluate(t.p, nu_, xb, *e_b) : evaluate(t.p, nu_, xb)).v >= t.level;
    }
    if (crosses) {
      const quad y =
          a.v < t.level_q && b.v >= t.level_q
              ? find_zero(above_q, quad(0), a.v - t.level_q, h, b.v - t.level_q, quad_width)
              : h;
      const real x = polish(above, xa + to_real(y), xa, xb);
      settle(x, last.d1, out);
      return;
    }
    if (!(a.d1 > 0 && b.d1 < 0)) return;
    const auto descent_q = [&](quad y) {
      const auto f = view.at(y);
      return std::pair<quad, quad>{-f.d1, -f.d2};
    };
    const quad ym = find_zero(descent_q, quad(0), -a.d1, h, -b.d1, quad_width);
    const quad vm_q = view.at(ym).v;
    if (vm_q < t.level_q - quad(opt_.grazing_tolerance) - t.error) return;
    const real xm = polish(descent(t.p, nu_), xa + to_real(ym), xa, xb);
    const real vm = evaluate(t.p, nu_, xm).v;
    if (abs(vm - t.level) < opt_.grazing_tolerance && !out.ill_conditioned) {
      out.ill_conditioned = fmt::format("a maximum of V is {:.3g} mV from threshold",
                                        (vm - t.level).convert_to<double>());
    }
    if (vm < t.level) return;
    const quad y =
        a.v < t.level_q && vm_q >= t.level_q
            ? find_zero(above_q, quad(0), a.v - t.level_q, ym, vm_q - t.level_q, quad_width)
            : ym;
    const real x = polish(above, xa + to_real(y), xa, xm);
    settle(x, last.d1, out);
  }

  void settle(const real& x, const real& slope, crossing& out) const {
    out.x = x;
    if (slope < opt_.slope_tolerance && !out.ill_conditioned) {
      out.ill_conditioned =
          fmt::format("V crosses threshold at only {:.3g} mV/ms", slope.convert_to<double>());
    }
  }

  const std::vector<real>& nu_;
  const options& opt_;
  real step_;
  quad step_q_;
  std::vector<quad> step_decay_;
};

// The membrane response to all current inputs so far, G(now + x) = sum_j P_j(x) exp(-nu_j x):
// each input contributes its closed-form response R(t - t_input) times its scale.
struct current_response {
  std::vector<std::array<real, 3>> p;

  real at_now() const {
    real s = 0;
    for (const auto& q : p) s += q[0];
    return s;
  }
  // P_j(x) <- P_j(x + len) exp(-nu_j len)
  void advance(const real& len, const std::vector<real>& e) {
    for (std::size_t j = 0; j < p.size(); ++j) {
      auto& q = p[j];
      if (is_zero(q)) continue;
      q[0] = (q[0] + len * (q[1] + len * q[2])) * e[j];
      q[1] = (q[1] + 2 * len * q[2]) * e[j];
      q[2] = q[2] * e[j];
    }
  }
  void add(const real& scale, const std::vector<term>& response) {
    for (const term& t : response) p[t.rate][static_cast<std::size_t>(t.power)] += scale * t.coef;
  }
};

real sign_of(const neuron_params& n, const receptor_params& r) {
  switch (r.sign) {
    case effect::excitatory:
      return 1;
    case effect::inhibitory:
      return -1;
    case effect::from_reversal:
      break;
  }
  return *r.reversal > n.rest ? 1 : *r.reversal < n.rest ? -1 : 0;
}

// psp_unit: psp_peak(tau_m, r), only read for mV weights on current kinetics.
real scale_of(const neuron_params& n, const receptor_params& r, const synapse& s,
              const real& psp_unit) {
  const real attenuation = std::isinf(n.length_constant)
                               ? real(1)
                               : real(exp(-real(s.distance) / real(n.length_constant)));
  const real size = sign_of(n, r) * attenuation * s.weight;
  if (r.kind == kinetics::jump) return size;
  switch (s.unit) {
    case weight_unit::mV:
      return size / psp_unit;
    case weight_unit::pA:
      return size / *n.capacitance;
    case weight_unit::nS:
      break;
  }
  throw std::invalid_argument(
      "reference: nS weights are conductances, which conductance_reference.hpp simulates");
}

bool needs_psp(const receptor_params& r, const synapse& s) {
  return r.kind == kinetics::current && s.unit == weight_unit::mV;
}

}  // namespace

real current_peak(const receptor_params& r) {
  const real td = r.decay;
  if (r.rise == 0) return 1;
  if (r.rise == r.decay) return td / exp(real(1));
  const real tr = r.rise;
  const real t_peak = log(td / tr) * td * tr / (td - tr);
  return exp(-t_peak / td) - exp(-t_peak / tr);
}

real psp_peak(double tau_m, const receptor_params& r) {
  rate_table rates(tau_m);
  std::vector<term> response;
  for (const term& k : current_kernel(r, rates)) add_response(k, rates, response);
  expo_poly p{0, std::vector<std::array<real, 3>>(rates.size())};
  for (const term& t : response) p.q[t.rate][static_cast<std::size_t>(t.power)] += t.coef;
  const options fine{.samples_per_tau = 32};
  const scanner scan(rates.nu(), rates.min_tau(), fine);
  return scan.first_maximum(p, 200 * std::max({tau_m, r.decay, r.rise}));
}

real input_scale(const neuron_params& n, const receptor_params& r, const synapse& s) {
  return scale_of(n, r, s, needs_psp(r, s) ? psp_peak(n.tau_m, r) : real(0));
}

result simulate(const cell& c, double duration, const options& opt) {
  const neuron_params& n = c.neuron;
  const real rest = n.rest;
  // Potentials relative to rest, u = V - rest, as in the membrane equation.
  const real level = real(n.threshold) - rest;
  const real reset = real(n.reset.value_or(n.rest)) - rest;
  const real refractory = n.refractory;
  const real drive = n.bias == 0 ? real(0) : real(real(n.tau_m) * n.bias / *n.capacitance);
  const real end = duration;

  rate_table rates(n.tau_m);
  std::vector<std::vector<term>> response(c.receptors.size());
  std::vector<real> psp_unit(c.receptors.size());
  for (std::size_t r = 0; r < c.receptors.size(); ++r) {
    const receptor_params& rp = c.receptors[r];
    if (rp.kind == kinetics::jump) continue;
    for (const term& k : current_kernel(rp, rates)) add_response(k, rates, response[r]);
    const bool mv = std::any_of(c.synapses.begin(), c.synapses.end(), [&](const synapse& s) {
      return s.receptor == r && needs_psp(rp, s);
    });
    if (mv) psp_unit[r] = psp_peak(n.tau_m, rp);
  }
  std::vector<real> scale;
  for (const synapse& s : c.synapses) {
    scale.push_back(scale_of(n, c.receptors[s.receptor], s, psp_unit[s.receptor]));
  }
  const auto is_jump = [&](const input& in) {
    return c.receptors[c.synapses[in.synapse].receptor].kind == kinetics::jump;
  };

  std::vector<input> inputs = c.inputs;
  std::stable_sort(inputs.begin(), inputs.end(),
                   [](const input& a, const input& b) { return a.time < b.time; });
  const std::vector<real>& nu = rates.nu();
  const scanner scan(nu, rates.min_tau(), opt);

  result out;
  const auto flag = [&](std::string why) {
    if (!out.ill_conditioned) out.ill_conditioned = std::move(why);
  };
  real now = 0;
  real u = real(n.v0.value_or(n.rest)) - rest;
  current_response g{std::vector<std::array<real, 3>>(rates.size())};
  std::optional<real> refractory_until;

  // exact: the spike is at an input's arrival or at t = 0, so double arithmetic has it exactly.
  const auto fire = [&](const real& t, bool exact) {
    out.spikes.push_back(t);
    u = reset;
    if (refractory > 0) refractory_until = t + refractory;
    if (exact) return;
    if (abs(t - end) < opt.timing_tolerance) flag("a spike at the end of the run");
    for (const input& in : inputs) {
      if (!is_jump(in)) continue;
      if (abs(in.time - t) < opt.timing_tolerance) flag("a jump input next to a spike");
      if (abs(in.time - (t + refractory)) < opt.timing_tolerance) {
        flag("a jump input next to the end of refractoriness");
      }
    }
  };
  // Applies every input arriving at inputs[next].time (all before threshold is tested).
  std::size_t next = 0;
  const auto apply_inputs = [&](bool jumps_count) {
    const double t = inputs[next].time;
    bool jumped = false;
    for (; next < inputs.size() && inputs[next].time == t; ++next) {
      const std::uint32_t s = inputs[next].synapse;
      if (!is_jump(inputs[next])) {
        g.add(scale[s], response[c.synapses[s].receptor]);
      } else if (jumps_count) {
        u += scale[s];
        jumped = true;
      }
    }
    return jumped;
  };
  const auto advance = [&](const real& t) {
    const real len = t - now;
    g.advance(len, decays(g.p, nu, len));
    now = t;
  };

  if (u >= level) fire(0, true);
  while (true) {
    const bool has_input = next < inputs.size() && inputs[next].time <= duration;
    const real t_next = has_input ? real(inputs[next].time) : end;
    if (refractory_until) {
      if (*refractory_until <= t_next) {
        advance(*refractory_until);
        u = reset;
        refractory_until.reset();
        continue;
      }
      advance(t_next);
      if (!has_input) break;
      apply_inputs(false);  // jumps during refractoriness are discarded
      continue;
    }
    if (t_next > now) {
      // Free evolution from `now`: u(x) = e^{-mu x}(u - G(now) - drive) + drive + G(now + x).
      expo_poly seg{drive, g.p};
      seg.q[0][0] += u - g.at_now() - drive;
      const real len = t_next - now;
      const std::vector<real> e_len = decays(seg.q, nu, len);
      const auto found = scan.first_crossing(seg, level, len, e_len);
      if (found.ill_conditioned) flag(*found.ill_conditioned);
      if (found.x) {
        advance(now + *found.x);
        fire(now, false);
        continue;
      }
      u = evaluate(seg, nu, len, e_len).v;
      g.advance(len, e_len);
      now = t_next;
    }
    if (!has_input) break;
    if (abs(u - level) < opt.grazing_tolerance) flag("V next to threshold when an input arrives");
    const bool jumped = apply_inputs(true);
    if (jumped && abs(u - level) < opt.grazing_tolerance) {
      flag("a jump input lands V next to threshold");
    }
    if (u >= level) fire(now, true);
  }
  out.v_end = rest + (refractory_until ? reset : u);
  return out;
}

}  // namespace syn::reference
