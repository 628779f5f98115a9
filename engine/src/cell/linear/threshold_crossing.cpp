// Exact, lossless prediction of the next threshold crossing.
//
// Between inputs the state y (u - u_inf, then each receptor's current I and rise stage x) obeys
// the linear system y' = A y, and f_0(s) = V(now + s) - threshold = c_0 . y(s) + d_0 is a sum of
// exponential modes, one per eigenvalue -mu of A plus the constant d_0 = u_inf - (threshold -
// rest); coinciding rates give t^j e^{-mu t} modes. Nothing below needs those modes explicitly:
// with near-equal rates their coefficients are huge and cancel, so everything is evaluated
// through the state propagator, which is exact at and near coinciding rates.
//
// Why no crossing is missed (Rolle's theorem, the argument behind Descartes' rule for sums of
// exponentials): for any rate mu, g = e^{mu s} f has the zeros of f, and g' = e^{mu s} (f' + mu f).
// So between two consecutive zeros of f_{k+1} = f_k' + mu_k f_k, the function e^{mu_k s} f_k is
// monotone: f_k has at most one zero there, and it has one exactly when f_k changes sign across
// that interval (or vanishes at its end). Taking mu_0 = 0 (removes the constant), mu_1 = 1/tau_m
// and then the rates of the receptor stages that carry a non-zero state, the last level f_{L-1}
// is a single mode c e^{-mu s} without zeros: (D + mu_{L-1}) annihilates it by Cayley-Hamilton.
// Descending, the zeros of each level partition [0, H] into intervals on which the level below
// is monotone, until level 0 gives the first crossing. Each zero is refined by bracketed Newton
// until its bracket is a few ULP of the absolute time wide (never on |f| < eps, which hangs).
// Extra partition points (spurious zeros from rounding) never hide a zero; a missed partition
// point can only hide zeros whose size is at the rounding level of V itself.
//
// A maximum of V within peak_tolerance below threshold counts as reaching it: level 1 is f_0'
// (mu_0 = 0), so its zeros are V's extrema, and the walk over level 0 stops at the first maximum
// whose value is that close. The shortcuts that answer without the walk are taken only where
// no such maximum can come first: never reaching threshold - peak_tolerance at all, or (the
// single-zero paths) at most one extremum, or a crossing too steep for one (steep()).
//
// A prediction that is not asked to be exact may instead return the time before which V surely
// stays below threshold; the caller predicts again then, unless an input came first.
//
// The search covers a window [0, H], H = min(32 slowest, 600 fastest) of the time constants of
// the modes present: long enough for the slow transients to decay, short enough that no mode
// underflows to an exact 0 at H (e^-600 = 3e-261), which would fake a zero there (the reference
// test found crossings lost that way). If V could still reach threshold after H (its upper
// bound there is not negative), the caller is asked to predict again at H, so no window limits
// what is found.
#include "cell/linear/threshold_crossing.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <utility>

#include "numerics/bracketed_newton.hpp"
#include "numerics/fast_exp.hpp"

namespace syn::detail {

namespace {

constexpr double eps = std::numeric_limits<double>::epsilon();

}  // namespace

// An upper bound of V - threshold over all s >= 0 from the state y (u - u_inf first): every
// impulse response of the chain is non-negative and at most its peak.
double threshold_crossing::upper_bound(const cell_model& m, const double* y) const {
  double bound = m.u_inf - threshold_ + std::max(0.0, y[0]);
  for (const receptor_slot& s : m.slots) {
    bound += std::max(0.0, y[s.current]) * s.peak_u_from_current;
    if (s.has_rise) bound += std::max(0.0, y[s.current + 1]) * s.peak_u_from_rise;
  }
  return bound;
}

// Builds the levels f_k = c_k . y + d_k for the state in y0_.
void threshold_crossing::prepare(const cell_model& m) {
  model_ = &m;
  const std::size_t dim = m.dim;
  y_.resize(dim);

  rates_.assign({0.0, m.membrane_rate});
  for (const receptor_slot& s : m.slots) {
    if (!nonzero(y0_.data(), s)) continue;
    rates_.push_back(s.decay_rate);
    if (s.has_rise && y0_[s.current + 1] != 0.0) rates_.push_back(s.rise_rate);
  }
  const std::size_t levels = rates_.size();
  coeff_.assign((levels + 1) * dim, 0.0);
  offset_.assign(levels + 1, 0.0);
  coeff_[0] = 1.0;
  offset_[0] = m.u_inf - threshold_;
  // c_{k+1} = c_k A + mu_k c_k, d_{k+1} = mu_k d_k; A is the chain's generator.
  for (std::size_t k = 0; k < levels; ++k) {
    const double* c = &coeff_[k * dim];
    double* next = &coeff_[(k + 1) * dim];
    const double mu = rates_[k];
    next[0] = (mu - m.membrane_rate) * c[0];
    for (const receptor_slot& s : m.slots) {
      const std::uint32_t i = s.current;
      next[i] = m.inv_c * c[0] + (mu - s.decay_rate) * c[i];
      if (s.has_rise) next[i + 1] = c[i] + (mu - s.rise_rate) * c[i + 1];
    }
    offset_[k + 1] = mu * offset_[k];
  }
}

// d + sum_j c_j e^{-r_j s} over the distinct rates, with its first and second derivatives.
inline std::array<double, 3> threshold_crossing::exp_sum(double d, const double* c, double s) const {
  double f = d, slope = 0.0, curvature = 0.0;
  for (std::size_t j = 0; j < distinct_rates_.size(); ++j) {
    const double r = distinct_rates_[j];
    const double term = c[j] * exp_fast(-r * s);
    f += term;
    slope -= r * term;
    curvature += r * r * term;
  }
  return {f, slope, curvature};
}

// f_k(s); leaves f_k'(s) = f_{k+1}(s) - mu_k f_k(s) in slope_, and f_k''(s) in curvature_ where
// it comes free (the exponential-sum form), else 0.
double threshold_crossing::value(int level, double s) {
  if (use_modes_) {
    // Three exponentials instead of the propagator's seven transcendental calls.
    const auto [f, slope, curvature] =
        exp_sum(offset_[level], &level_modes_[level * distinct_rates_.size()], s);
    slope_ = slope;
    curvature_ = curvature;
    return f;
  }
  const cell_model& m = *model_;
  m.propagate(y0_.data(), y_.data(), s, 0.0);
  const std::size_t dim = m.dim;
  const double* c = &coeff_[level * dim];
  const double* next = c + dim;
  double f = offset_[level];
  double f_next = offset_[level + 1];
  for (std::size_t i = 0; i < dim; ++i) {
    f += c[i] * y_[i];
    f_next += next[i] * y_[i];
  }
  slope_ = f_next - rates_[level] * f;
  curvature_ = 0.0;
  return f;
}

// The levels in exponential-sum form, from the modes: differentiating a e^{-r s} and adding
// mu_k times it multiplies a by (mu_k - r); the constant follows d_{k+1} = mu_k d_k as before.
void threshold_crossing::prepare_modes() {
  const std::vector<double>& a = distinct_amplitudes_;
  const std::size_t n = distinct_rates_.size();
  const std::size_t levels = rates_.size();
  level_modes_.resize((levels + 1) * n);
  for (std::size_t j = 0; j < n; ++j) level_modes_[j] = a[j];
  for (std::size_t k = 0; k < levels; ++k)
    for (std::size_t j = 0; j < n; ++j)
      level_modes_[(k + 1) * n + j] = (rates_[k] - distinct_rates_[j]) * level_modes_[k * n + j];
  // The sum's rounding is eps times its terms: kept when the terms are within a thousand times
  // V's own scale. Absurd states (a 1e300 pA input, cancelling modes far above V) go to the
  // propagator, which stays accurate there.
  double magnitude = 0.0;
  for (const double c : a) magnitude += std::abs(c);
  const double scale = std::max({std::abs(offset_[0]), std::abs(y0_[0]), 1.0});
  use_modes_ = magnitude <= 1e3 * scale && std::all_of(level_modes_.begin(), level_modes_.end(),
                                                       [](double c) { return std::isfinite(c); });
}

// The single zero of f_k in (lo, hi], given the values at the ends, of opposite signs or the
// upper one zero.
double threshold_crossing::refine(int level, double lo, double hi, double f_lo, double f_hi) {
  const double sign = f_lo < 0.0 ? 1.0 : -1.0;
  const auto f = [&](double s) {
    const double v = sign * value(level, s);
    return std::array{v, sign * slope_, sign * curvature_};
  };
  return bracketed_newton(f, lo, hi, sign * f_lo, sign * f_hi, now_);
}

// All zeros of f_k in [0, H], given the zeros of f_{k+1} (its partition), ascending.
void threshold_crossing::roots(int level, const std::vector<double>& partition,
                               std::vector<double>& out) {
  out.clear();
  if (use_modes_ && two_terms(level, out)) return;
  double a = 0.0;
  double fa = value(level, a);
  if (fa == 0.0) out.push_back(a);
  for (std::size_t i = 0; i <= partition.size(); ++i) {
    const double b = i < partition.size() ? partition[i] : horizon_;
    if (b <= a) continue;
    const double fb = value(level, b);
    if (fb == 0.0) {
      out.push_back(b);
    } else if ((fa < 0.0 && fb > 0.0) || (fa > 0.0 && fb < 0.0)) {
      out.push_back(refine(level, a, b, fa, fb));
    }
    a = b;
    fa = fb;
  }
}

// Exponential-sum form: a level of at most two terms (the deepest levels, and levels whose other
// modes were annihilated) has its zero in closed form, c_i e^{-r_i s} = -c_j e^{-r_j s} (or a
// mode against the constant), as exact as a refined zero and without the Newton steps. Returns
// false for more terms.
bool threshold_crossing::two_terms(int level, std::vector<double>& out) const {
  const std::size_t n = distinct_rates_.size();
  const double* c = &level_modes_[level * n];
  double rate[2] = {0.0, 0.0};  // the constant as a mode of rate 0
  double amplitude[2] = {0.0, 0.0};
  int terms = 0;
  if (offset_[level] != 0.0) amplitude[terms++] = offset_[level];
  for (std::size_t j = 0; j < n; ++j) {
    if (c[j] == 0.0) continue;
    if (terms == 2) return false;
    rate[terms] = distinct_rates_[j];
    amplitude[terms++] = c[j];
  }
  // e^{(rate_1 - rate_0) s} = -amplitude_1 / amplitude_0, rates ascending.
  if (terms < 2 || (amplitude[0] < 0.0) == (amplitude[1] < 0.0)) return true;
  const double s = std::log(-amplitude[1] / amplitude[0]) / (rate[1] - rate[0]);
  if (s >= 0.0 && s <= horizon_) out.push_back(s);
  return true;
}

// V - threshold as gap + sum_j a_j e^{-rate_j s}, when the active rates are far enough apart
// for the coefficients to be accurate (they grow like 1 / (rate_i - rate_j) and cancel): the
// modes summed by rate, rates ascending, each with the sum of its parts' sizes (what rounding
// scales with).
bool threshold_crossing::collect_modes(const cell_model& m) {
  const double* y = y0_.data();
  const double rm = m.membrane_rate;
  distinct_rates_.assign(1, rm);
  distinct_amplitudes_.assign(1, y[0]);
  distinct_sizes_.assign(1, std::abs(y[0]));
  // A handful of modes: kept sorted by insertion.
  const auto add = [&](double rate, double a) {
    std::size_t i = 0;
    while (i < distinct_rates_.size() && distinct_rates_[i] < rate) ++i;
    if (i < distinct_rates_.size() && distinct_rates_[i] == rate) {
      distinct_amplitudes_[i] += a;
      distinct_sizes_[i] += std::abs(a);
      return;
    }
    const auto at = static_cast<std::ptrdiff_t>(i);
    distinct_rates_.insert(distinct_rates_.begin() + at, rate);
    distinct_amplitudes_.insert(distinct_amplitudes_.begin() + at, a);
    distinct_sizes_.insert(distinct_sizes_.begin() + at, std::abs(a));
  };
  for (const receptor_slot& s : m.slots) {
    if (!nonzero(y, s)) continue;
    const double rd = s.decay_rate;
    const bool rise = s.has_rise && y[s.current + 1] != 0.0;
    if (rd == rm || (rise && (s.rise_rate == rm || s.rise_rate == rd))) return false;
    const double a = m.inv_c * y[s.current] / (rd - rm);  // I h_2(rd, rm)
    add(rm, a);
    add(rd, -a);
    if (rise) {  // x h_3(rr, rd, rm), by partial fractions
      const double rr = s.rise_rate;
      const double x = m.inv_c * y[s.current + 1];
      add(rm, x / ((rr - rm) * (rd - rm)));
      add(rd, x / ((rr - rd) * (rm - rd)));
      add(rr, x / ((rd - rr) * (rm - rr)));
    }
  }
  for (std::size_t i = 1; i < distinct_rates_.size(); ++i)
    if (distinct_rates_[i] - distinct_rates_[i - 1] < separation * distinct_rates_[i]) return false;
  return true;
}

// Sign changes of the partial sums gap, gap + a_1, gap + a_1 + a_2, ... (rates ascending): a
// bound on the number of zeros in s > 0 (Laguerre's extension of Descartes' rule of signs).
// The sums are rounded; a sum within its rounding bound has no certain sign, and then -1 sends
// the caller to the general search (a crossing 1 ULP away was once lost to such a sum). The
// last sum is V - threshold now, whose sign `now_below` is known exactly.
int threshold_crossing::sign_changes(double gap, bool now_below) const {
  int changes = 0;
  double sum = gap;
  double magnitude = std::abs(gap);
  bool last_negative = gap < 0.0;
  bool have_last = gap != 0.0;
  for (std::size_t i = 0; i < distinct_rates_.size(); ++i) {
    sum += distinct_amplitudes_[i];
    magnitude += distinct_sizes_[i];
    if (std::abs(sum) <= 16.0 * eps * magnitude) return -1;
    if (have_last && (sum < 0.0) != last_negative) ++changes;
    last_negative = sum < 0.0;
    have_last = true;
  }
  return last_negative == now_below ? changes : -1;
}

// The same for V's slope, -sum_j rate_j a_j e^{-rate_j s}: with at most one change, V has at
// most one extremum, so from below threshold now to gap > 0 it crosses exactly once (a maximum
// at threshold could not come back up to gap, a minimum would be below the start).
int threshold_crossing::slope_sign_changes() const {
  int changes = 0;
  double sum = 0.0;
  double magnitude = 0.0;
  bool last_negative = false;
  bool have_last = false;
  for (std::size_t i = 0; i < distinct_rates_.size(); ++i) {
    sum -= distinct_rates_[i] * distinct_amplitudes_[i];
    magnitude += distinct_rates_[i] * distinct_sizes_[i];
    if (std::abs(sum) <= 16.0 * eps * magnitude) return -1;
    if (have_last && (sum < 0.0) != last_negative) ++changes;
    last_negative = sum < 0.0;
    have_last = true;
  }
  return changes;
}

// Whether V, rising through threshold at single_zero()'s answer s with slope v = zero_slope_,
// and through threshold - peak_tolerance only once (the caller's sign count), had no maximum
// within peak_tolerance below threshold before s. Such a maximum would be followed by a minimum
// m above threshold - peak_tolerance, then the rise to s; with |V''| <= K (every mode at its
// start) and V'(s) = v, V' > 0 on (s - v/K, s], so V(m) <= V(s - v/K) <= threshold - v^2 / (2K):
// impossible when v^2 > 2 K peak_tolerance (taken with a factor 2 to spare for rounding).
bool threshold_crossing::steep() const {
  double curvature = 0.0;
  for (std::size_t j = 0; j < distinct_rates_.size(); ++j)
    curvature += distinct_rates_[j] * distinct_rates_[j] * std::abs(distinct_amplitudes_[j]);
  return zero_slope_ > 0.0 && zero_slope_ * zero_slope_ > 4.0 * curvature * peak_tolerance;
}

// The one zero when V - threshold < 0 now, tends to gap > 0, and has at most one zero.
double threshold_crossing::single_zero(double gap, double now) {
  // The search returns the last point where f >= 0: its slope is kept for steep().
  const auto f = [&](double s) {
    const auto point = exp_sum(gap, distinct_amplitudes_.data(), s);
    if (point[0] >= 0.0) zero_slope_ = point[1];
    return point;
  };
  double lo = 0.0;
  double f_lo = gap;
  for (const double a : distinct_amplitudes_) f_lo += a;
  // f(s) >= gap + N e^{-r s}, N the sum of the negative amplitudes and r the slowest of their
  // rates, which reaches 0 at the upper end; doubled should rounding leave f below 0 there.
  double negative = 0.0;
  double slowest = std::numeric_limits<double>::infinity();
  for (std::size_t j = 0; j < distinct_rates_.size(); ++j) {
    if (distinct_amplitudes_[j] >= 0.0) continue;
    negative += distinct_amplitudes_[j];
    slowest = std::min(slowest, distinct_rates_[j]);
  }
  double hi = std::log(-negative / gap) / slowest;
  if (!(hi > 0.0 && hi < std::numeric_limits<double>::infinity()))
    hi = 1.0 / distinct_rates_.back();
  double f_hi = f(hi)[0];
  while (f_hi < 0.0) {
    lo = hi;
    f_lo = f_hi;
    hi *= 2.0;
    f_hi = f(hi)[0];
  }
  return bracketed_newton(f, lo, hi, f_lo, f_hi, now);
}

crossing_prediction threshold_crossing::search(const cell_model& m, const double* state, double now,
                                               double threshold) {
  using kind = crossing_prediction::kind;
  threshold_ = threshold;
  const double gap = m.u_inf - threshold_;
  const double w0 = state[0] - m.u_inf;

  y0_.assign(state, state + m.dim);
  y0_[0] = w0;
  ++full_searches_;
  use_modes_ = collect_modes(m);
  if (use_modes_) {
    const int changes = sign_changes(gap, state[0] < threshold);
    // The same count for threshold - peak_tolerance, needed only where it may decide.
    const auto near_changes = [&] {
      const bool below = state[0] < threshold - peak_tolerance;
      return below ? sign_changes(gap + peak_tolerance, below) : -1;
    };
    if (changes == 0 && near_changes() == 0) return {};
    if (gap > 0.0 && changes >= 1) {
      const int slope_changes = slope_sign_changes();
      if (slope_changes == 0 || slope_changes == 1) return {kind::crossing, single_zero(gap, now)};
      if (changes == 1 && near_changes() == 1) {
        const double s = single_zero(gap, now);
        if (steep()) return {kind::crossing, s};
      }
    }
  }
  prepare(m);
  if (use_modes_) prepare_modes();
  now_ = now;
  // From the modes present now: a rise stage that has decayed to 0 no longer shortens the
  // window, so rechecks do not pile up behind a very fast one.
  const auto [slowest, fastest] = std::minmax_element(rates_.begin() + 1, rates_.end());
  horizon_ = std::min(32.0 / *slowest, 600.0 / *fastest);
  const int levels = static_cast<int>(rates_.size());
  const bool settled = use_modes_ && settles_early();
  level_roots_.resize(levels + 1);
  level_roots_[levels - 1].clear();
  for (int k = levels - 2; k >= 1; --k) roots(k, level_roots_[k + 1], level_roots_[k]);

  // Level 0: the first interval whose right end reaches threshold holds the crossing.
  const std::vector<double>& partition = level_roots_[1];
  double a = 0.0;
  double fa = value(0, a);
  for (std::size_t i = 0; i <= partition.size(); ++i) {
    const double b = i < partition.size() ? partition[i] : horizon_;
    if (b <= a) continue;
    const double fb = value(0, b);
    if (fb >= 0.0) return {kind::crossing, refine(0, a, b, fa, fb)};
    if (fb >= -peak_tolerance && fb > fa && i < partition.size()) return {kind::crossing, b};
    a = b;
    fa = fb;
  }
  if (settled) return {};  // below threshold at the reach and for ever after
  m.propagate(y0_.data(), y_.data(), horizon_, 0.0);
  if (upper_bound(m, y_.data()) < -peak_tolerance) return {};
  return {kind::recheck, horizon_};
}

// Exponential-sum form: the time after which no level changes sign any more, when it is before
// `horizon_`, becomes the horizon, so that the last intervals the search refines end near the
// zeros rather than tens of time constants away. A level d + sum_j c_j e^{-r_j s} (rates
// ascending) keeps the sign of d once sum_j |c_j| e^{-r_1 s} < |d|; with d = 0 (every level but
// 0), the sign of its slowest mode c_i once sum_{j > i} |c_j| e^{-(r_{i+1} - r_i) s} < |c_i|.
// Each bound is taken 1 % late, far above the rounding of the logarithm. Returns whether
// level 0 stays below zero after the new horizon (then no crossing comes later).
bool threshold_crossing::settles_early() {
  const std::size_t n = distinct_rates_.size();
  const std::size_t levels = rates_.size();
  double reach = 0.0;
  for (std::size_t k = 0; k + 1 < levels; ++k) {
    const double* c = &level_modes_[k * n];
    std::size_t first = 0;
    double lead = offset_[k];
    double rate_gap = distinct_rates_[0];
    if (lead == 0.0) {
      while (first < n && c[first] == 0.0) ++first;
      if (first + 1 >= n) continue;  // one mode or none: no zero
      lead = c[first];
      rate_gap = distinct_rates_[first + 1] - distinct_rates_[first];
      ++first;
    }
    double rest = 0.0;
    for (std::size_t j = first; j < n; ++j) rest += std::abs(c[j]);
    if (rest > std::abs(lead))
      reach = std::max(reach, 1.01 * std::log(rest / std::abs(lead)) / rate_gap);
  }
  if (!(reach < horizon_)) return false;
  horizon_ = std::max(reach, std::numeric_limits<double>::min());
  return offset_[0] < 0.0;
}

}  // namespace syn::detail
