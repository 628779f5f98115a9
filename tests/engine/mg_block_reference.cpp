#include "mg_block_reference.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <list>
#include <numbers>
#include <stdexcept>
#include <utility>

#include "gauss_legendre.hpp"
#include "reference_event_loop.hpp"

namespace syn::mg_block_reference {

using reference::abs;
using reference::double_zero;
using reference::interpolate;
using reference::real;

namespace {

// exp(y) = 2^(k/512) exp(r), k = round(512 y / ln2), |r| <= ln2/1024: 2^(j/512) from a table,
// 2^(k div 512) exactly, exp(r) from ten Taylor terms (truncation below 1e-34).
quad exp_q(quad y) {
  static constexpr int steps = 512;
  static const quad step = to_quad(log(real(2)) / steps);
  static const quad step_lo =
      to_quad(log(real(2)) / steps - to_real(to_quad(log(real(2)) / steps)));
  static const std::array<quad, steps> table = [] {
    std::array<quad, steps> t;
    for (int j = 0; j < steps; ++j)
      t[static_cast<std::size_t>(j)] = to_quad(exp(log(real(2)) * j / steps));
    return t;
  }();
  static const std::array<quad, 10> inverse_factorial = [] {
    std::array<quad, 10> f;
    real x = 1;
    for (std::size_t n = 0; n < f.size(); ++n) {
      if (n > 0) x /= n;
      f[n] = to_quad(x);
    }
    return f;
  }();
  if (y < -20000) return 0;
  if (y > 20000) throw std::overflow_error("mg_block reference: exp overflows");
  const long k = std::lround(static_cast<double>(y) * (steps / std::numbers::ln2));
  const quad r = (y - quad(k) * step) - quad(k) * step_lo;
  quad p = inverse_factorial.back();
  for (std::size_t n = inverse_factorial.size() - 1; n-- > 0;) p = p * r + inverse_factorial[n];
  const long whole = k >= 0 ? k / steps : -((-k + steps - 1) / steps);  // floor(k / steps)
  const int e = static_cast<int>(whole);
  // 2^e, in two halves so that neither leaves double's range.
  return p * table[static_cast<std::size_t>(k - whole * steps)] * quad(std::ldexp(1.0, e / 2)) *
         quad(std::ldexp(1.0, e - e / 2));
}

const quad& mg_unit() {  // mM
  static const quad q = to_quad(real("3.57"));
  return q;
}
const quad& mg_slope() {  // 1/mV
  static const quad q = to_quad(real("0.062"));
  return q;
}

// The s-stage Gauss–Legendre Runge–Kutta method: nodes c, matrix A (a_ij, the integral from 0
// to c_i of the Lagrange polynomial of node j), weights b, and d = b^T A^-1, which gives the
// step's end from the stages' increments Z = h A K without evaluating f again.
struct tableau {
  std::size_t s;
  reference::gauss_legendre rule;  // c, A and b in 50 digits, and the screen's interpolation
  std::vector<quad> c, d;
  std::vector<std::vector<quad>> a;
  std::vector<double> b_d;
  std::vector<std::vector<double>> a_d;
};

tableau make_tableau(std::size_t n) {
  tableau t{n, reference::make_gauss_legendre(n), {}, {}, {}, {}, {}};
  const std::vector<std::vector<real>>& a = t.rule.integral;
  // d solves A^T d = b, by Gaussian elimination with partial pivoting.
  std::vector<std::vector<real>> m(n, std::vector<real>(n + 1));
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) m[i][j] = a[j][i];
    m[i][n] = t.rule.weight[i];
  }
  for (std::size_t col = 0; col < n; ++col) {
    std::size_t pivot = col;
    for (std::size_t i = col + 1; i < n; ++i) {
      if (abs(m[i][col]) > abs(m[pivot][col])) pivot = i;
    }
    std::swap(m[col], m[pivot]);
    for (std::size_t i = col + 1; i < n; ++i) {
      const real f = m[i][col] / m[col][col];
      for (std::size_t j = col; j <= n; ++j) m[i][j] -= f * m[col][j];
    }
  }
  std::vector<real> d(n);
  for (std::size_t i = n; i-- > 0;) {
    real s = m[i][n];
    for (std::size_t j = i + 1; j < n; ++j) s -= m[i][j] * d[j];
    d[i] = s / m[i][i];
  }
  t.a.assign(n, std::vector<quad>(n));
  t.a_d.assign(n, std::vector<double>(n));
  for (std::size_t i = 0; i < n; ++i) {
    t.c.push_back(to_quad(t.rule.node[i]));
    t.b_d.push_back(t.rule.weight[i].convert_to<double>());
    t.d.push_back(to_quad(d[i]));
    for (std::size_t j = 0; j < n; ++j) {
      t.a[i][j] = to_quad(a[i][j]);
      t.a_d[i][j] = a[i][j].convert_to<double>();
    }
  }
  return t;
}

constexpr std::size_t fewest_stages = 4, most_stages = 12;

const tableau& tableau_of(std::size_t s) {
  static const std::vector<tableau> all = [] {
    std::vector<tableau> t;
    for (std::size_t n = fewest_stages; n <= most_stages; ++n) t.push_back(make_tableau(n));
    return t;
  }();
  if (s < fewest_stages || s > most_stages) {
    throw std::invalid_argument("mg_block reference: stages must be 4 to 12");
  }
  return all[s - fewest_stages];
}

// Solves J x = r in place (J s-by-s, partial pivoting), J already factored by `factor`.
struct lu {
  std::vector<std::vector<double>> m;
  std::vector<std::size_t> perm;

  void factor(std::vector<std::vector<double>> j) {
    const std::size_t n = j.size();
    perm.resize(n);
    for (std::size_t i = 0; i < n; ++i) perm[i] = i;
    for (std::size_t col = 0; col < n; ++col) {
      std::size_t pivot = col;
      for (std::size_t i = col + 1; i < n; ++i) {
        if (std::abs(j[i][col]) > std::abs(j[pivot][col])) pivot = i;
      }
      std::swap(j[col], j[pivot]);
      std::swap(perm[col], perm[pivot]);
      for (std::size_t i = col + 1; i < n; ++i) {
        j[i][col] /= j[col][col];
        for (std::size_t k = col + 1; k < n; ++k) j[i][k] -= j[i][col] * j[col][k];
      }
    }
    m = std::move(j);
  }
  std::vector<double> solve(const std::vector<double>& r) const {
    const std::size_t n = m.size();
    std::vector<double> x(n);
    for (std::size_t i = 0; i < n; ++i) {
      double s = r[perm[i]];
      for (std::size_t k = 0; k < i; ++k) s -= m[i][k] * x[k];
      x[i] = s;
    }
    for (std::size_t i = n; i-- > 0;) {
      double s = x[i];
      for (std::size_t k = i + 1; k < n; ++k) s -= m[i][k] * x[k];
      x[i] = s / m[i][i];
    }
    return x;
  }
};

using term = reference::term<quad>;
using synapse_model = reference::synapse_model<quad>;

// Per rate: (q0 + q1 x) exp(-nu x), x from now.
using row = std::array<quad, 2>;

// The conductances of one receptor (over capacitance, 1/ms), with its reversal and block.
struct channel {
  quad e;         // reversal - rest, mV
  quad mg_ratio;  // mg / 3.57 mM, 0 for no block
  quad rest;      // mV: B depends on V itself
  std::vector<row> g;
};

quad block_value(const channel& k, const quad& u) {
  return 1 / (1 + k.mg_ratio * exp_q(-mg_slope() * (u + k.rest)));
}

// What f(x, u) = du/dt needs at one offset x, apart from u:
//   f = beta - gamma u + sum over blocked channels k of g_k B_k(u) (e_k - u).
template <class T>
struct drive {
  T beta = 0, gamma = 0;
  std::vector<T> g;  // by blocked channel
  // d/dx of the same, for the slope of f along a trajectory (maxima)
  T dbeta = 0, dgamma = 0;
  std::vector<T> dg;
};

// exp(-0.062 V) by blocked channel at the latest u of one stage: the stage iteration's last
// corrections are tiny, and exp(-a (u + d)) = exp(-a u) (1 - a d + ...) spares an exponential.
struct block_memo {
  quad u;
  std::vector<quad> e;
};

// u at an offset into a step and what Newton's method on t needs there.
struct point {
  quad u, f;
  quad df;  // d/dx of f along the trajectory
};

struct crossing {
  quad x;  // offset from now
  point at;
};

class simulation : public reference::event_loop<quad, simulation> {
 public:
  simulation(const cell& c, double duration, const std::vector<double>& sample_times,
             const options& opt);

 private:
  friend event_loop;

  // One step of length h from offset x0 (from now_) and u0 there.
  struct step {
    bool converged = false;
    quad x0, h, u0, u_end;
    std::vector<double> pos, v, d;  // the screen: offsets, u and u' at 0, nodes, end
    double log_growth = 0;          // integral of df/du over the step
  };

  std::vector<quad> compute_decays(const quad& h) const;
  const std::vector<quad>& node_decays(const quad& h);
  drive<quad> drive_at(const quad& x, const std::vector<quad>& e, bool derivatives) const;
  static drive<double> to_double(const drive<quad>& q);
  template <class T>
  T f_of(const drive<T>& dr, const T& u, double* f_u, block_memo* memo = nullptr) const;
  step take_step(const quad& x0, const quad& h, const quad& u0, const std::vector<quad>& e0,
                 const std::vector<quad>& decays);
  std::vector<quad> decays_at(const quad& x) const;
  point evaluate(const step& from, const quad& x);
  template <class F>
  quad bracketed_zero(F f, const step& from, quad lo, quad hi, quad x, point& last);
  std::optional<crossing> scan(const step& st);
  std::optional<crossing> examine(const step& st, std::size_t k, bool peak);
  crossing locate(const step& st, const quad& lo, const quad& hi);
  void advance_rows(const quad& len);
  void advance_rows(const quad& len, const std::vector<quad>& e);  // e: exp(-nu len) by rate
  std::optional<quad> evolve(const quad& t);
  void receive(const synapse_model& s, std::size_t synapse);
  quad slope_after_reset() const;

  const options& opt_;
  const tableau& tab_;
  std::vector<std::optional<std::size_t>> channel_of_;  // by receptor

  // The state at now_, besides the event loop's.
  std::vector<row> currents_;  // mV/ms, by rate
  std::vector<channel> channels_;
  double step_hint_ = 0;                   // ms: the next step's length to try
  std::list<std::pair<quad, std::vector<quad>>> decay_cache_;  // by step length, stable
};

// The screen's allowance (mV): values nearer threshold are decided by fresh steps.
constexpr double screen_error = 1e-7;

simulation::simulation(const cell& c, double duration, const std::vector<double>& sample_times,
                       const options& opt)
    : event_loop(c, duration, sample_times, opt.limits), opt_(opt), tab_(tableau_of(opt.stages)) {
  channel_of_.resize(c.receptors.size());
  for (const synapse_model& s : synapses_) {
    if (s.what != kind::conductance || channel_of_[s.receptor]) continue;
    const receptor_params& r = c.receptors[s.receptor];
    channel_of_[s.receptor] = channels_.size();
    channels_.push_back({quad(*r.reversal) - rest_, quad(r.mg_block) / mg_unit(), rest_, {}});
  }
  currents_.resize(taus_.size());
  for (channel& k : channels_) k.g.resize(taus_.size());
}

// exp(-nu c_i h) for the nodes and exp(-nu h), by node then rate. The nodes are symmetric,
// c_(s-1-i) = 1 - c_i, which halves the exponentials.
std::vector<quad> simulation::compute_decays(const quad& h) const {
  const std::size_t s = tab_.s, rates = nu_.size();
  std::vector<quad> flat((s + 1) * rates);
  for (std::size_t j = 0; j < rates; ++j) {
    const quad end = exp_q(-nu_[j] * h);
    flat[s * rates + j] = end;
    for (std::size_t i = 0; i < (s + 1) / 2; ++i) {
      const quad e = exp_q(-nu_[j] * h * tab_.c[i]);
      flat[i * rates + j] = e;
      if (s - 1 - i != i) flat[(s - 1 - i) * rates + j] = end / e;
    }
  }
  return flat;
}

// The decays of power-of-two steps, which repeat.
const std::vector<quad>& simulation::node_decays(const quad& h) {
  for (const auto& [len, flat] : decay_cache_) {
    if (len == h) return flat;
  }
  if (decay_cache_.size() >= 8) decay_cache_.pop_front();
  decay_cache_.emplace_back(h, compute_decays(h));
  return decay_cache_.back().second;
}

drive<quad> simulation::drive_at(const quad& x, const std::vector<quad>& e,
                                 bool derivatives) const {
  drive<quad> dr;
  dr.beta = bias_c_;
  dr.gamma = inv_tau_;
  for (std::size_t j = 0; j < nu_.size(); ++j) {
    const row& q = currents_[j];
    if (q[0] == 0 && q[1] == 0) continue;
    const quad b = q[0] + q[1] * x;
    dr.beta += b * e[j];
    if (derivatives) dr.dbeta += (q[1] - nu_[j] * b) * e[j];
  }
  for (const channel& k : channels_) {
    quad g = 0, dg = 0;
    for (std::size_t j = 0; j < nu_.size(); ++j) {
      const row& q = k.g[j];
      if (q[0] == 0 && q[1] == 0) continue;
      const quad gj = q[0] + q[1] * x;
      g += gj * e[j];
      if (derivatives) dg += (q[1] - nu_[j] * gj) * e[j];
    }
    if (k.mg_ratio == 0) {
      dr.beta += g * k.e;
      dr.gamma += g;
      dr.dbeta += dg * k.e;
      dr.dgamma += dg;
    } else {
      dr.g.push_back(g);
      dr.dg.push_back(dg);
    }
  }
  return dr;
}

drive<double> simulation::to_double(const drive<quad>& q) {
  drive<double> d;
  d.beta = static_cast<double>(q.beta);
  d.gamma = static_cast<double>(q.gamma);
  for (const quad& g : q.g) d.g.push_back(static_cast<double>(g));
  return d;
}

template <class T>
T simulation::f_of(const drive<T>& dr, const T& u, double* f_u, block_memo* memo) const {
  T f = dr.beta - dr.gamma * u;
  double du = -static_cast<double>(dr.gamma);
  std::size_t i = 0;
  // -a (u - memo u), below 1e-9 in size: four terms of exp leave an error below 1e-37.
  quad d = 0;
  const bool reuse =
      memo && !memo->e.empty() && abs(d = -mg_slope() * (static_cast<quad>(u) - memo->u)) < 1e-9;
  if (memo && !reuse) memo->e.assign(dr.g.size(), quad(0));
  if (memo) memo->u = static_cast<quad>(u);
  for (const channel& k : channels_) {
    if (k.mg_ratio == 0) continue;
    const std::size_t index = i;
    const T& g = dr.g[i++];
    if (g == 0) continue;
    T b;
    if constexpr (std::is_same_v<T, quad>) {
      if (memo) {
        quad& e = memo->e[index];
        e = reuse ? quad(e * (1 + d * (1 + d / 2 * (1 + d / 3))))
                  : exp_q(-mg_slope() * (u + k.rest));
        b = 1 / (1 + k.mg_ratio * e);
      } else {
        b = block_value(k, u);
      }
    } else {
      b = 1 / (1 + static_cast<double>(k.mg_ratio) * std::exp(-static_cast<double>(mg_slope()) *
                                                              (u + static_cast<double>(k.rest))));
    }
    const T e = static_cast<T>(k.e);
    f += g * b * (e - u);
    if (f_u) {
      const double bd = static_cast<double>(b);
      du += static_cast<double>(g) *
            (static_cast<double>(mg_slope()) * bd * (1 - bd) * static_cast<double>(e - u) - bd);
    }
  }
  if (f_u) *f_u = du;
  return f;
}

std::vector<quad> simulation::decays_at(const quad& x) const {
  std::vector<quad> e;
  for (const quad& nu : nu_) e.push_back(x == 0 ? quad(1) : exp_q(-nu * x));
  return e;
}

// One Gauss–Legendre step: the stage increments Z solve Z = h A F(u0 + Z), by Newton's method in
// double until it settles, then by the same iteration with the residual in __float128 (each such
// iteration gains the fifteen or so digits the double Jacobian is good for).
simulation::step simulation::take_step(const quad& x0, const quad& h, const quad& u0,
                                       const std::vector<quad>& e0, const std::vector<quad>& flat) {
  const std::size_t s = tab_.s, rates = nu_.size();
  std::vector<drive<quad>> dq;
  std::vector<drive<double>> dd;
  std::vector<quad> e(rates);
  for (std::size_t i = 0; i <= s; ++i) {
    for (std::size_t j = 0; j < rates; ++j) e[j] = e0[j] * flat[i * rates + j];
    dq.push_back(drive_at(x0 + (i < s ? h * tab_.c[i] : h), e, false));
    dd.push_back(to_double(dq.back()));
  }
  step st;
  st.x0 = x0;
  st.h = h;
  st.u0 = u0;
  const double h_d = static_cast<double>(h), u0_d = static_cast<double>(u0);
  std::vector<double> z(s, 0.0), fd(s), fu(s), r(s);
  lu jac;
  const auto factor = [&] {
    std::vector<std::vector<double>> j(s, std::vector<double>(s));
    for (std::size_t i = 0; i < s; ++i) {
      for (std::size_t k = 0; k < s; ++k) j[i][k] = (i == k) - h_d * tab_.a_d[i][k] * fu[k];
    }
    jac.factor(std::move(j));
  };
  const double scale = 1 + std::abs(u0_d);
  bool settled = false;
  for (int it = 0; it < 30 && !settled; ++it) {
    for (std::size_t i = 0; i < s; ++i) fd[i] = f_of(dd[i], u0_d + z[i], &fu[i]);
    for (std::size_t i = 0; i < s; ++i) {
      double a = 0;
      for (std::size_t k = 0; k < s; ++k) a += tab_.a_d[i][k] * fd[k];
      r[i] = z[i] - h_d * a;
    }
    factor();
    const std::vector<double> dz = jac.solve(r);
    double largest = 0;
    for (std::size_t i = 0; i < s; ++i) {
      z[i] -= dz[i];
      largest = std::max(largest, std::abs(dz[i]));
      if (!std::isfinite(z[i])) return st;
    }
    settled = largest < 1e-13 * scale;
  }
  if (!settled) return st;
  std::vector<quad> zq(z.begin(), z.end()), fq(s);
  std::vector<block_memo> memo(s);
  settled = false;
  for (int it = 0; it < 6 && !settled; ++it) {
    for (std::size_t i = 0; i < s; ++i) fq[i] = f_of<quad>(dq[i], u0 + zq[i], nullptr, &memo[i]);
    for (std::size_t i = 0; i < s; ++i) {
      quad a = 0;
      for (std::size_t k = 0; k < s; ++k) a += tab_.a[i][k] * fq[k];
      r[i] = static_cast<double>(zq[i] - h * a);
    }
    const std::vector<double> dz = jac.solve(r);
    double largest = 0;
    for (std::size_t i = 0; i < s; ++i) {
      zq[i] -= dz[i];
      largest = std::max(largest, std::abs(dz[i]));
    }
    settled = largest < 1e-31 * scale;
  }
  if (!settled) return st;
  st.converged = true;
  st.u_end = u0;
  for (std::size_t i = 0; i < s; ++i) st.u_end += tab_.d[i] * zq[i];
  st.pos.push_back(static_cast<double>(x0));
  st.v.push_back(u0_d);
  // u' at the step's start, from the drive at x0 itself.
  st.d.push_back(f_of(to_double(drive_at(x0, e0, false)), u0_d, nullptr));
  for (std::size_t i = 0; i < s; ++i) {
    st.pos.push_back(static_cast<double>(x0 + h * tab_.c[i]));
    st.v.push_back(static_cast<double>(u0 + zq[i]));
    st.d.push_back(f_of(dd[i], st.v.back(), nullptr));
    st.log_growth += h_d * tab_.b_d[i] * fu[i];
  }
  st.pos.push_back(static_cast<double>(x0 + h));
  st.v.push_back(static_cast<double>(st.u_end));
  st.d.push_back(f_of(dd[s], st.v.back(), nullptr));
  return st;
}

// u at offset x within the step `from` (x0 < x <= x0 + h), by a fresh step from its start, with
// f and its derivative along the trajectory there.
point simulation::evaluate(const step& from, const quad& x) {
  const std::vector<quad> e0 = decays_at(from.x0);
  point p;
  if (x == from.x0) {
    p.u = from.u0;
  } else {
    const step st = take_step(from.x0, x - from.x0, from.u0, e0, compute_decays(x - from.x0));
    if (!st.converged) throw std::logic_error("mg_block reference: a partial step fails");
    p.u = st.u_end;
  }
  const drive<quad> dr = drive_at(x, decays_at(x), true);
  double f_u = 0;
  p.f = f_of<quad>(dr, p.u, &f_u);
  // df/dx along the trajectory = partial f/partial x + f_u f; the partial from the drive's
  // derivatives (double is enough: it only steers Newton's method).
  double f_x = static_cast<double>(dr.dbeta) - static_cast<double>(dr.dgamma * p.u);
  std::size_t i = 0;
  for (const channel& k : channels_) {
    if (k.mg_ratio == 0) continue;
    const double dg = static_cast<double>(dr.dg[i++]);
    const double b = static_cast<double>(block_value(k, p.u));
    f_x += dg * b * static_cast<double>(k.e - p.u);
  }
  p.df = f_x + f_u * static_cast<double>(p.f);
  return p;
}

// A zero of f on [lo, hi], f(lo) < 0 <= f(hi), from a close guess x: Newton's method, bisection
// whenever a step leaves the bracket or fails to halve it. f reads a point of the step `from`.
template <class F>
quad simulation::bracketed_zero(F f, const step& from, quad lo, quad hi, quad x, point& last) {
  const quad settled = 1e-24;  // ms: a step this small leaves an error of order its square
  for (int i = 0; i < 300 && hi - lo > 1e-30; ++i) {
    last = evaluate(from, x);
    const auto [fx, dfx] = f(last);
    if (fx < 0) {
      lo = x;
    } else {
      hi = x;
    }
    quad next = dfx != 0 ? quad(x - fx / dfx) : quad((lo + hi) / 2);
    if (!(next > lo && next < hi) || abs(next - x) > (hi - lo) / 2) next = (lo + hi) / 2;
    if (abs(next - x) < settled) return next;
    x = next;
  }
  return x;
}

// The first pair of neighbouring screen points between which V may reach threshold.
std::optional<crossing> simulation::scan(const step& st) {
  constexpr double margin = 1e-6 + screen_error;  // mV
  return reference::first_crossing(st.pos, st.v, st.d, level_d_, margin,
                                   [&](std::size_t k, bool peak) { return examine(st, k, peak); });
}

std::optional<crossing> simulation::examine(const step& st, std::size_t k, bool peak) {
  const std::size_t last = st.pos.size() - 1;
  const auto at = [&](std::size_t i) {
    return i == 0 ? st.x0 : i == last ? quad(st.x0 + st.h) : quad(st.x0 + st.h * tab_.c[i - 1]);
  };
  const quad lo = at(k), hi = at(k + 1);
  bool crosses = st.v[k + 1] > level_d_;
  if (std::abs(st.v[k + 1] - level_d_) <= screen_error) {
    crosses = (k + 1 == last ? st.u_end : evaluate(st, hi).u) >= level_;
  }
  if (crosses) return locate(st, lo, hi);
  if (!peak) return std::nullopt;
  const double x0 = static_cast<double>(st.x0), h = static_cast<double>(st.h);
  const double guess =
      double_zero([&](double x) { return interpolate(tab_.rule, st.d, (x - x0) / h); }, st.pos[k],
                  st.pos[k + 1]);
  point last_point;
  const quad xm = bracketed_zero(
      [](const point& p) {
        return std::pair<quad, quad>{-p.f, -p.df};
      },
      st, lo, hi, quad(guess), last_point);
  const quad vm = evaluate(st, xm).u;
  if (abs(vm - level_) < limits_.grazing_tolerance + sigma_) {
    flag(fmt::format("a maximum of V is {:.3g} mV from threshold",
                     static_cast<double>(vm - level_)));
  }
  if (vm < level_) return std::nullopt;
  return locate(st, lo, xm);
}

// The crossing on (lo, hi], where u(lo) < threshold <= u(hi).
crossing simulation::locate(const step& st, const quad& lo, const quad& hi) {
  const double x0 = static_cast<double>(st.x0), h = static_cast<double>(st.h);
  const double guess =
      double_zero([&](double x) { return interpolate(tab_.rule, st.v, (x - x0) / h) - level_d_; },
                  static_cast<double>(lo), static_cast<double>(hi));
  crossing c;
  c.x = bracketed_zero(
      [&](const point& p) {
        return std::pair<quad, quad>{p.u - level_, p.f};
      },
      st, lo, hi, quad(guess), c.at);
  return c;
}

void simulation::advance_rows(const quad& len) {
  if (len != 0) advance_rows(len, decays_at(len));
}

void simulation::advance_rows(const quad& len, const std::vector<quad>& e) {
  const auto advance = [&](std::vector<row>& rows) {
    for (std::size_t j = 0; j < rows.size(); ++j) {
      row& q = rows[j];
      if (q[0] == 0 && q[1] == 0) continue;
      q[0] = (q[0] + q[1] * len) * e[j];
      q[1] *= e[j];
      // Gone for good: nothing the reference computes can see it.
      if (nu_[j] != 0 && abs(q[0]) + abs(q[1]) / nu_[j] < 1e-45) q = {};
    }
  };
  advance(currents_);
  for (channel& k : channels_) advance(k.g);
}

// Free evolution from now_ to t, step by step. Stops at the first threshold crossing, if any.
// Each step of length h is also taken as two of h/2; their difference, divided by 2^2s - 1
// (Richardson), estimates the error of the two halves, which are kept.
std::optional<quad> simulation::evolve(const quad& t) {
  const double exponent = 1.0 / static_cast<double>(2 * tab_.s + 1);
  const double richardson = std::ldexp(1.0, static_cast<int>(2 * tab_.s)) - 1;
  const std::vector<quad> ones(nu_.size(), quad(1));
  if (step_hint_ == 0) {
    double fastest = static_cast<double>(inv_tau_);
    for (const quad& nu : nu_) fastest = std::max(fastest, static_cast<double>(nu));
    step_hint_ = 0.5 / fastest;
  }
  while (now_ < t) {
    const quad remaining = t - now_;
    // Power-of-two lengths repeat, and with them the kernels' decays at the nodes.
    const quad power = std::ldexp(1.0, std::ilogb(step_hint_));
    const bool last = power >= remaining;
    const quad h = last ? remaining : power;
    const quad half = h / 2;
    const step big = take_step(0, h, u_, ones, node_decays(h));
    const std::vector<quad>& flat = node_decays(half);
    const step first = take_step(0, half, u_, ones, flat);
    step second;
    if (first.converged) {
      const std::vector<quad> e_half(flat.end() - static_cast<long>(nu_.size()), flat.end());
      second = take_step(half, half, first.u_end, e_half, flat);
    }
    const double h_d = static_cast<double>(h);
    if (!big.converged || !first.converged || !second.converged) {
      step_hint_ = h_d / 4;
      if (step_hint_ < 1e-12) throw std::logic_error("mg_block reference: no step converges");
      continue;
    }
    const double ratio =
        static_cast<double>(abs(second.u_end - big.u_end)) / richardson / opt_.step_accuracy;
    const double factor =
        ratio == 0 ? 3.0 : std::clamp(0.9 * std::pow(1 / ratio, exponent), 0.2, 3.0);
    if (ratio > 1) {
      step_hint_ = h_d * factor;
      continue;
    }
    if (!last || h_d * factor < step_hint_) step_hint_ = h_d * factor;
    for (const step* st : std::array<const step*, 2>{&first, &second}) {
      if (auto c = scan(*st)) {
        const double growth = (st == &second ? first.log_growth : 0.0) +
                              st->log_growth * static_cast<double>((c->x - st->x0) / st->h);
        sigma_ *= std::exp(growth);
        advance_rows(c->x);
        now_ += c->x;
        u_ = level_;
        return c->at.f;
      }
    }
    sigma_ *= std::exp(first.log_growth + second.log_growth);
    const std::vector<quad>& whole = node_decays(h);
    advance_rows(h, std::vector<quad>(whole.end() - static_cast<long>(nu_.size()), whole.end()));
    u_ = second.u_end;
    now_ = last ? t : quad(now_ + h);
  }
  return std::nullopt;
}

// u' just after V is set to reset at now_.
quad simulation::slope_after_reset() const {
  const std::vector<quad> ones(nu_.size(), quad(1));
  return f_of<quad>(drive_at(0, ones, false), reset_, nullptr);
}

void simulation::receive(const synapse_model& s, std::size_t) {
  std::vector<row>& rows =
      s.what == kind::current ? currents_ : channels_[*channel_of_[s.receptor]].g;
  for (const term& k : kernels_[s.receptor]) {
    rows[k.rate][static_cast<std::size_t>(k.power)] += s.scale * k.coef;
  }
}

}  // namespace

result simulate(const cell& c, double duration, const std::vector<double>& sample_times,
                const options& opt) {
  return simulation(c, duration, sample_times, opt).run();
}

}  // namespace syn::mg_block_reference
