#include "conductance_reference.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <limits>
#include <map>
#include <numbers>
#include <stdexcept>
#include <utility>

#include "gauss_legendre.hpp"
#include "reference_event_loop.hpp"

namespace syn::conductance_reference {
namespace {

using reference::double_zero;
using reference::interpolate;

using cplx = std::complex<double>;
constexpr double inf = std::numeric_limits<double>::infinity();

// exp(-y) for y >= 0, five times as fast as boost's exp, which would dominate the run time:
// y = m ln2/65536 + r with 0 <= r < ln2/65536, so exp(-y) = 2^(-m/65536) exp(-r), exp(-r) by
// ten Taylor terms (truncation below 1e-56) and 2^(-m/65536) from two tables and a shift.
real exp_neg(const real& y) {
  static const real step = log(real(2)) / 65536;
  static const real per_step = 1 / step;
  const auto table = [](int stride) {
    std::array<real, 256> p;
    for (int j = 0; j < 256; ++j) p[static_cast<std::size_t>(j)] = exp(-step * stride * j);
    return p;
  };
  static const std::array<real, 256> coarse = table(256), fine = table(1);
  static const std::array<real, 10> inverse_factorial = [] {
    std::array<real, 10> f;
    f[0] = 1;
    for (std::size_t i = 1; i < f.size(); ++i) f[i] = f[i - 1] / i;
    return f;
  }();
  if (y > 1e6) return 0;  // below 1e-434000: keeps the binary exponent in range
  const long m = real(floor(y * per_step)).convert_to<long>();
  const real r = y - step * m;
  real s = inverse_factorial.back();
  for (std::size_t i = inverse_factorial.size() - 1; i-- > 0;) s = inverse_factorial[i] - r * s;
  s *= coarse[static_cast<std::size_t>((m >> 8) & 255)] * fine[static_cast<std::size_t>(m & 255)];
  return ldexp(s, -static_cast<int>(m >> 16));
}

// exp(y) for y of either sign.
real exp_signed(const real& y) { return y >= 0 ? real(1 / exp_neg(y)) : exp_neg(-y); }

// A Gauss–Legendre rule with its integrals up to the nodes in double, for the screen.
struct rule : reference::gauss_legendre {
  std::vector<std::vector<double>> integral_d;
};

rule make_rule(std::size_t n) {
  rule r{reference::make_gauss_legendre(n), {}};
  for (const std::vector<real>& row : r.integral) {
    r.integral_d.emplace_back();
    for (const real& x : row) r.integral_d.back().push_back(x.convert_to<double>());
  }
  return r;
}

constexpr std::array<std::size_t, 4> rule_sizes{8, 16, 24, 32};

const rule& rule_of(std::size_t n) {
  static const std::array<rule, 4> rules{make_rule(8), make_rule(16), make_rule(24), make_rule(32)};
  return rules[static_cast<std::size_t>(std::find(rule_sizes.begin(), rule_sizes.end(), n) -
                                        rule_sizes.begin())];
}

// u and its first two derivatives at some offset into a panel, and P there.
struct point {
  real v, d1, d2, phase;
};

// Where a quadrature for u starts: an offset into the panel, u and P there.
struct anchor {
  real x, v, phase;
};

// A zero of f on [lo, hi], f(lo) < 0 <= f(hi), from a close guess x: Newton's method, bisection
// whenever a step leaves the bracket or fails to halve it. `at` returns the point f is read from.
template <class F, class At>
real bracketed_zero(F f, At&& at, real lo, real hi, real x, point& last) {
  static const real settled("1e-22");  // a step this small leaves an error of order its square
  static const real width("1e-40");
  for (int i = 0; i < 400 && hi - lo > width; ++i) {
    last = at(x);
    const auto [fx, dfx] = f(last);
    if (fx < 0) {
      lo = x;
    } else {
      hi = x;
    }
    real next = dfx != 0 ? real(x - fx / dfx) : real((lo + hi) / 2);
    if (!(next > lo && next < hi) || abs(next - x) > (hi - lo) / 2) next = (lo + hi) / 2;
    if (abs(next - x) < settled) return next;
    x = next;
  }
  return x;
}

using term = reference::term<real>;
using synapse_model = reference::synapse_model<real>;

// Per rate nu: (q0 + q1 x) exp(-nu x), x from now, for the conductance over capacitance (1/ms)
// and the current over capacitance (mV/ms, conductances' driving force at rest included).
struct row {
  std::array<real, 2> g{}, b{};
  bool has_g() const { return g[0] != 0 || g[1] != 0; }
  bool has_b() const { return b[0] != 0 || b[1] != 0; }
};

struct crossing {
  real x;  // offset into the panel
  point at;
};

class simulation : public reference::event_loop<real, simulation> {
 public:
  simulation(const cell& c, double duration, const std::vector<double>& sample_times,
             const options& opt);

 private:
  friend event_loop;

  // Sums over the rows at offset x from now, e[a] = exp(-nu x) of active row a.
  struct sums {
    real gamma, beta, phase, dgamma, dbeta;
  };
  // A panel [now, now + h] computed: u at its end, and V on the screen's points in double.
  struct panel {
    const rule* r;
    real h;
    std::vector<real> pos;            // 0, the nodes, h
    std::vector<double> pos_d, v, d;  // the same in double, u and u' there
    real u_end;
    real phase_end;
    std::vector<real> decay_end;  // exp(-nu h) by active row
  };

  void refresh_active();
  sums sums_at(const real& x, const std::vector<real>& e, bool derivatives) const;
  std::array<double, 5> log_bound_terms(double from, double to) const;
  std::size_t nodes_for(double from, double to) const;
  point evaluate(const real& x, const anchor& from) const;
  point evaluate(const real& x) const { return evaluate(x, {0, u_, 0}); }
  // Evaluates near the previous evaluation by integrating from it: Newton's later steps are tiny.
  auto evaluator(const panel& p) const;
  panel compute_panel(const real& h, std::size_t n, const std::vector<const std::vector<real>*>& e);
  const std::vector<real>& cached_decays(int exponent, std::size_t n, std::size_t rate);
  std::optional<crossing> scan(const panel& p);
  std::optional<crossing> examine(const panel& p, std::size_t k, bool peak);
  crossing locate(const panel& p, const real& lo, const real& hi);
  void advance_rows(const real& len, const std::vector<real>& e);
  void advance_rows(const real& len);
  std::optional<real> evolve(const real& t);
  void receive(const synapse_model& s, std::size_t synapse);
  real slope_after_reset() const;

  const options& opt_;
  double inv_tau_d_;
  std::vector<real> inv_nu_, inv_nu2_;  // by rate
  std::vector<real> drive_;             // by synapse, conductances: scale (E - rest), mV/ms

  // The state at now_, besides the event loop's.
  std::vector<row> rows_;

  // The active rows and their double copies, for the error bound.
  struct row_d {
    double nu, g0, g1, b0, b1;
  };
  std::vector<std::size_t> active_;
  std::vector<row_d> active_d_;
  double gamma_now_d_ = 0, nu_span_ = 0;  // conductance at now_; the fastest significant rate
  int exponent_hint_ = 10;                // log2 of the next panel's length to try first
  // Node decays of power-of-two panels by (log2 of the length, nodes), then by rate.
  std::map<std::pair<int, std::size_t>, std::vector<std::vector<real>>> decay_cache_;
};

// The double screen's error allowance (mV): values nearer threshold are decided in 50 digits.
constexpr double screen_error = 1e-8;

simulation::simulation(const cell& c, double duration, const std::vector<double>& sample_times,
                       const options& opt)
    : event_loop(c, duration, sample_times, opt.limits), opt_(opt) {
  inv_tau_d_ = inv_tau_.convert_to<double>();
  for (double tau : taus_) {
    inv_nu_.push_back(std::isinf(tau) ? real(0) : real(tau));
    inv_nu2_.push_back(inv_nu_.back() * inv_nu_.back());
  }
  drive_.resize(synapses_.size());
  for (std::size_t i = 0; i < synapses_.size(); ++i) {
    if (synapses_[i].what != kind::conductance) continue;
    const reference::synapse& s = c.synapses[i];
    drive_[i] = synapses_[i].scale * (real(*c.receptors[s.receptor].reversal) - rest_);
  }
  rows_.resize(taus_.size());
}

void simulation::refresh_active() {
  active_.clear();
  active_d_.clear();
  gamma_now_d_ = 0;
  nu_span_ = 0;
  const double tau_m = 1 / inv_tau_d_;
  for (std::size_t j = 0; j < rows_.size(); ++j) {
    const row& q = rows_[j];
    if (!q.has_g() && !q.has_b()) continue;
    active_.push_back(j);
    row_d d{nu_[j].convert_to<double>(), q.g[0].convert_to<double>(), q.g[1].convert_to<double>(),
            q.b[0].convert_to<double>(), q.b[1].convert_to<double>()};
    active_d_.push_back(d);
    gamma_now_d_ += d.g0;
    // A row that moves u (or a, relative to the leak) by less than 1e-18 over its lifetime is
    // invisible to the double screen: it need not shorten the panels.
    const double span = d.nu == 0 ? inf : 1 / d.nu;
    const double size = (std::abs(d.g0) + std::abs(d.g1) * span) * tau_m +
                        (std::abs(d.b0) + std::abs(d.b1) * span) * tau_m;
    if (size > 1e-18) nu_span_ = std::max(nu_span_, d.nu);
  }
}

simulation::sums simulation::sums_at(const real& x, const std::vector<real>& e,
                                     bool derivatives) const {
  sums s{0, bias_c_, real(x * inv_tau_), 0, 0};
  for (std::size_t a = 0; a < active_.size(); ++a) {
    const std::size_t j = active_[a];
    const row& q = rows_[j];
    if (q.has_g()) {
      const real g = q.g[0] + q.g[1] * x;
      s.gamma += g * e[a];
      if (nu_[j] == 0) {
        s.phase += x * (q.g[0] + q.g[1] * x / 2);
      } else {
        s.phase +=
            q.g[0] * inv_nu_[j] * (1 - e[a]) + q.g[1] * inv_nu2_[j] * (1 - (1 + nu_[j] * x) * e[a]);
      }
      if (derivatives) s.dgamma += (q.g[1] - nu_[j] * g) * e[a];
    }
    if (q.has_b()) {
      const real b = q.b[0] + q.b[1] * x;
      s.beta += b * e[a];
      if (derivatives) s.dbeta += (q.b[1] - nu_[j] * b) * e[a];
    }
  }
  return s;
}

// The error of an n-point rule on [from, to] for the integrand F(y) = exp(P(y) - P(to)) b(y) is
// at most (L/2) (64/15) M rho^(-2n) / (rho^2 - 1), L = |to - from|, M = max |F| on the Bernstein
// ellipse rho (Trefethen, ATAP theorem 19.3). Returns log((L/2) (64/15) M / (rho^2 - 1)) for each
// rho of `ellipses`, M sampled on the ellipse in complex double arithmetic (P's exponentials of
// exponentials make F grow fast off the real axis, which is what limits the panels).
constexpr std::array<double, 5> ellipses{4, 6, 10, 16, 28};

std::array<double, 5> simulation::log_bound_terms(double from, double to) const {
  const auto f = [&](cplx z) {
    cplx phase = z * inv_tau_d_, drive = bias_c_.convert_to<double>();
    for (const row_d& q : active_d_) {
      if (q.nu == 0) {
        phase += z * (q.g0 + q.g1 * z / 2.0);
        drive += q.b0 + q.b1 * z;
        continue;
      }
      const cplx e = std::exp(-q.nu * z);
      phase += q.g0 / q.nu * (1.0 - e) + q.g1 / (q.nu * q.nu) * (1.0 - (1.0 + q.nu * z) * e);
      drive += (q.b0 + q.b1 * z) * e;
    }
    return std::pair{phase.real(), std::abs(drive)};
  };
  const double phase_end = f(to).first;
  const double half = std::abs(to - from) / 2, middle = (from + to) / 2;
  std::array<double, 5> out;
  for (std::size_t i = 0; i < ellipses.size(); ++i) {
    const double rho = ellipses[i];
    const double major = half * (rho + 1 / rho) / 2, minor = half * (rho - 1 / rho) / 2;
    double worst = -inf;
    for (int k = 0; k <= 16; ++k) {  // F is real on the real axis: half the ellipse will do
      const double theta = std::numbers::pi * k / 16;
      const auto [phase, drive] =
          f(cplx(middle + major * std::cos(theta), minor * std::sin(theta)));
      const double log_f = phase - phase_end + std::log(drive);
      worst = std::max(worst, std::isnan(log_f) ? inf : log_f);
    }
    out[i] = std::log(half * 64 / 15 / (rho * rho - 1)) + worst;
  }
  return out;
}

// The fewest nodes whose error bound on [from, to] meets the accuracy; 0 if none does.
std::size_t simulation::nodes_for(double from, double to) const {
  const double rate = inv_tau_d_ + std::max(gamma_now_d_, 0.0) + nu_span_;
  if (std::abs(to - from) * rate > opt_.panel_span) return 0;
  const std::array<double, 5> terms = log_bound_terms(from, to);
  const double target = std::log(opt_.panel_accuracy);
  for (std::size_t n : rule_sizes) {
    for (std::size_t i = 0; i < ellipses.size(); ++i) {
      if (terms[i] - 2.0 * static_cast<double>(n) * std::log(ellipses[i]) <= target) return n;
    }
  }
  return 0;
}

// u at offset x into the current panel, by a quadrature from `from`:
//   u(x) = exp(-(P(x) - P(a))) u(a) + integral_a^x exp(-(P(x) - P(y))) b(y) dy.
point simulation::evaluate(const real& x, const anchor& from) const {
  std::size_t n = nodes_for(from.x.convert_to<double>(), x.convert_to<double>());
  if (n == 0) n = rule_sizes.back();  // inside an accepted panel: only the span rule can refuse
  const rule& r = rule_of(n);
  const real len = x - from.x;
  std::vector<real> e(active_.size());
  std::vector<real> phase(n), beta(n);
  for (std::size_t i = 0; i < n; ++i) {
    const real y = from.x + len * r.node[i];
    for (std::size_t a = 0; a < active_.size(); ++a) e[a] = exp_neg(nu_[active_[a]] * y);
    const sums s = sums_at(y, e, false);
    phase[i] = s.phase;
    beta[i] = s.beta;
  }
  for (std::size_t a = 0; a < active_.size(); ++a) e[a] = exp_neg(nu_[active_[a]] * x);
  const sums end = sums_at(x, e, true);
  real integral = 0;
  for (std::size_t i = 0; i < n; ++i) {
    integral += r.weight[i] * exp_signed(phase[i] - end.phase) * beta[i];
  }
  point p;
  p.v = exp_signed(from.phase - end.phase) * from.v + len * integral;
  const real a = inv_tau_ + end.gamma;
  p.d1 = end.beta - a * p.v;
  p.d2 = end.dbeta - end.dgamma * p.v - a * p.d1;
  p.phase = end.phase;
  return p;
}

auto simulation::evaluator(const panel& p) const {
  return [this, &p, previous = std::optional<anchor>()](const real& x) mutable {
    const bool near = previous && abs(x - previous->x) < p.h * real("1e-3");
    const point q = evaluate(x, near ? *previous : anchor{0, u_, 0});
    previous = anchor{x, q.v, q.phase};
    return q;
  };
}

const std::vector<real>& simulation::cached_decays(int exponent, std::size_t n, std::size_t rate) {
  auto& by_rate = decay_cache_[{exponent, n}];
  by_rate.resize(rows_.size());
  std::vector<real>& e = by_rate[rate];
  if (e.empty()) {
    const rule& r = rule_of(n);
    const real h = ldexp(real(1), exponent);
    for (const real& t : r.node) e.push_back(exp_neg(nu_[rate] * h * t));
    e.push_back(exp_neg(nu_[rate] * h));
  }
  return e;
}

simulation::panel simulation::compute_panel(const real& h, std::size_t n,
                                            const std::vector<const std::vector<real>*>& decays) {
  panel p;
  p.r = &rule_of(n);
  p.h = h;
  const rule& r = *p.r;
  std::vector<real> e(active_.size());
  std::vector<sums> s;
  for (std::size_t i = 0; i <= n; ++i) {
    const real x = i < n ? real(h * r.node[i]) : h;
    for (std::size_t a = 0; a < active_.size(); ++a) e[a] = (*decays[a])[i];
    s.push_back(sums_at(x, e, false));
    if (i == n) p.decay_end = e;
  }
  const sums& end = s[n];
  std::vector<real> f(n);
  real integral = 0;
  for (std::size_t i = 0; i < n; ++i) {
    f[i] = exp_neg(end.phase - s[i].phase) * s[i].beta;
    integral += r.weight[i] * f[i];
  }
  p.u_end = exp_neg(end.phase) * u_ + h * integral;
  p.phase_end = end.phase;

  // The screen: u at the nodes from the integrals of F's interpolant, in double.
  const double h_d = h.convert_to<double>(), phase_end = end.phase.convert_to<double>();
  const double u_d = u_.convert_to<double>(), start = std::exp(-phase_end) * u_d;
  std::vector<double> f_d(n);
  for (std::size_t i = 0; i < n; ++i) f_d[i] = f[i].convert_to<double>();
  std::vector<real> zero(active_.size(), real(1));
  const sums s0 = sums_at(0, zero, false);
  p.pos.push_back(0);
  p.pos_d.push_back(0);
  p.v.push_back(u_d);
  p.d.push_back((s0.beta - (inv_tau_ + s0.gamma) * u_).convert_to<double>());
  for (std::size_t i = 0; i < n; ++i) {
    double integral_i = 0;
    for (std::size_t j = 0; j < n; ++j) integral_i += r.integral_d[i][j] * f_d[j];
    const double v =
        std::exp(phase_end - s[i].phase.convert_to<double>()) * (start + h_d * integral_i);
    p.pos.push_back(h * r.node[i]);
    p.pos_d.push_back(p.pos.back().convert_to<double>());
    p.v.push_back(v);
    p.d.push_back(s[i].beta.convert_to<double>() -
                  (inv_tau_d_ + s[i].gamma.convert_to<double>()) * v);
  }
  p.pos.push_back(h);
  p.pos_d.push_back(h_d);
  p.v.push_back(p.u_end.convert_to<double>());
  p.d.push_back((end.beta - (inv_tau_ + end.gamma) * p.u_end).convert_to<double>());
  return p;
}

// The first pair of neighbouring screen points between which V may reach threshold.
std::optional<crossing> simulation::scan(const panel& p) {
  constexpr double margin = 1e-6 + screen_error;  // mV
  return reference::first_crossing(p.pos_d, p.v, p.d, level_d_, margin,
                                   [&](std::size_t k, bool peak) { return examine(p, k, peak); });
}

std::optional<crossing> simulation::examine(const panel& p, std::size_t k, bool peak) {
  const std::size_t last = p.pos.size() - 1;
  bool crosses = p.v[k + 1] > level_d_;
  if (std::abs(p.v[k + 1] - level_d_) <= screen_error) {
    crosses = (k + 1 == last ? p.u_end : evaluate(p.pos[k + 1]).v) >= level_;
  }
  if (crosses) return locate(p, p.pos[k], p.pos[k + 1]);
  if (!peak) return std::nullopt;
  const double h = p.h.convert_to<double>();
  const double guess = double_zero([&](double x) { return interpolate(*p.r, p.d, x / h); },
                                   p.pos_d[k], p.pos_d[k + 1]);
  auto at = evaluator(p);
  point last_point;
  const real xm = bracketed_zero(
      [](const point& q) {
        return std::pair<real, real>{-q.d1, -q.d2};
      },
      at, p.pos[k], p.pos[k + 1], real(guess), last_point);
  const real vm = at(xm).v;
  if (abs(vm - level_) < limits_.grazing_tolerance + sigma_) {
    flag(fmt::format("a maximum of V is {:.3g} mV from threshold",
                     (vm - level_).convert_to<double>()));
  }
  if (vm < level_) return std::nullopt;
  return locate(p, p.pos[k], xm);
}

// The crossing on (lo, hi], where u(lo) < threshold <= u(hi).
crossing simulation::locate(const panel& p, const real& lo, const real& hi) {
  const double h = p.h.convert_to<double>();
  const double guess =
      double_zero([&](double x) { return interpolate(*p.r, p.v, x / h) - level_d_; },
                  lo.convert_to<double>(), hi.convert_to<double>());
  crossing c;
  c.x = bracketed_zero(
      [&](const point& q) {
        return std::pair<real, real>{q.v - level_, q.d1};
      },
      evaluator(p), lo, hi, real(guess), c.at);
  return c;
}

void simulation::advance_rows(const real& len, const std::vector<real>& e) {
  for (std::size_t a = 0; a < active_.size(); ++a) {
    const std::size_t j = active_[a];
    for (auto* q : {&rows_[j].g, &rows_[j].b}) {
      (*q)[0] = ((*q)[0] + (*q)[1] * len) * e[a];
      (*q)[1] *= e[a];
      // Gone for good: nothing the reference computes can see it.
      if (nu_[j] != 0 && abs((*q)[0]) + abs((*q)[1]) * inv_nu_[j] < real("1e-60")) *q = {};
    }
  }
}

void simulation::advance_rows(const real& len) {
  if (len == 0) return;
  refresh_active();
  std::vector<real> e;
  for (std::size_t j : active_) e.push_back(exp_neg(nu_[j] * len));
  advance_rows(len, e);
}

// Free evolution from now_ to t, panel by panel. Stops at the first threshold crossing, if any.
std::optional<real> simulation::evolve(const real& t) {
  while (now_ < t) {
    refresh_active();
    const real remaining = t - now_;
    const double rem = remaining.convert_to<double>();
    // Power-of-two panels share their nodes' decays; the last one ends exactly at t.
    int exponent = std::min(exponent_hint_, std::ilogb(rem) + 1);
    std::size_t n = 0;
    bool last = false;
    for (;; --exponent) {
      last = std::ldexp(1.0, exponent) >= rem;
      n = nodes_for(0, last ? rem : std::ldexp(1.0, exponent));
      if (n != 0) break;
      if (exponent < -1000) throw std::logic_error("conductance reference: no panel fits");
    }
    exponent_hint_ = exponent + 1;
    const real h = last ? remaining : ldexp(real(1), exponent);
    std::vector<std::vector<real>> direct;
    std::vector<const std::vector<real>*> decays;
    if (last) {
      const rule& r = rule_of(n);
      for (std::size_t j : active_) {
        std::vector<real> e;
        for (const real& node : r.node) e.push_back(exp_neg(nu_[j] * h * node));
        e.push_back(exp_neg(nu_[j] * h));
        direct.push_back(std::move(e));
      }
      for (const auto& e : direct) decays.push_back(&e);
    } else {
      for (std::size_t j : active_) decays.push_back(&cached_decays(exponent, n, j));
    }
    const panel p = compute_panel(h, n, decays);
    if (auto c = scan(p)) {
      sigma_ *= std::exp(-c->at.phase.convert_to<double>());
      advance_rows(c->x);
      now_ += c->x;
      u_ = level_;
      return c->at.d1;
    }
    sigma_ *= std::exp(-p.phase_end.convert_to<double>());
    advance_rows(h, p.decay_end);
    u_ = p.u_end;
    now_ = last ? t : real(now_ + h);
  }
  return std::nullopt;
}

// u' just after V is set to reset at now_.
real simulation::slope_after_reset() const {
  real gamma = 0, beta = bias_c_;
  for (const row& q : rows_) {
    gamma += q.g[0];
    beta += q.b[0];
  }
  return beta - (inv_tau_ + gamma) * reset_;
}

void simulation::receive(const synapse_model& s, std::size_t synapse) {
  for (const term& k : kernels_[s.receptor]) {
    row& q = rows_[k.rate];
    const auto power = static_cast<std::size_t>(k.power);
    if (s.what == kind::current) {
      q.b[power] += s.scale * k.coef;
    } else {
      q.g[power] += s.scale * k.coef;
      q.b[power] += drive_[synapse] * k.coef;
    }
  }
}

}  // namespace

result simulate(const cell& c, double duration, const std::vector<double>& sample_times,
                const options& opt) {
  return simulation(c, duration, sample_times, opt).run();
}

}  // namespace syn::conductance_reference
