#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "cell/linear/cell_model.hpp"

namespace syn::detail {

// Lower bounds of logarithms for times that may come early (rechecks), at a fraction of a
// logarithm's cost. The (2,2) Pade approximant z (6 + 3z) / (6 + 6z + z^2) of ln(1 + z) is a
// two-point Gauss quadrature of ln(1 + z) = z int_0^1 dx / (1 + zx), whose integrand has a
// positive fourth derivative: it is below ln(1 + z) for z >= 0 (and not above 0 for z in
// (-1, 0]), by 0.1 % at z = 1 and 9 % at z = 9. Near ln(1 + z) for the small z of a neuron
// near its level. Taken of z = num / den (den > 0) and multiplied out: one division, the last
// step on the way to the queue, where a quotient first would put two in a row.
inline double log1p_below(double num, double den) {
  return num * (6.0 * den + 3.0 * num) / (den * (6.0 * den + 6.0 * num) + num * num);
}

// ln(r) = 2 ln(sqrt r) for r = num / den: within 0.05 % up to r = 3 and 1 % up to r = 10; a
// logarithm beyond 1e100 (and for infinity). sqrt(r) - 1 = (sqrt(num den) - den) / den: the
// square root comes first, then the one division.
inline double log_below(double num, double den) {
  if (!(num < 1e100 * den)) return std::log(num / den);
  return 2.0 * log1p_below(std::sqrt(num * den) - den, den);
}

// A maximum of V this close below threshold (mV) counts as reaching it (SPEC §1), so that a PSP
// whose peak equals threshold in exact arithmetic fires as a jump of the same size does, whatever
// the rounding of its peak. Far above V's rounding (about 1e-14 mV), far below any physiology.
constexpr double peak_tolerance = 1e-12;

// Whether u = y[0] has reached threshold at an instant: at or above it, or within the peak
// tolerance below it where V does not rise (a maximum: a jump just landed there, or a current
// just turned V down), as SPEC §1 counts it. Rising there, the search finds its maximum or its
// crossing instead.
inline bool reached(const cell_model& m, const double* y) {
  if (y[0] >= m.threshold_rel) return true;
  if (y[0] < m.threshold_rel - peak_tolerance) return false;
  double slope = (m.u_inf - y[0]) * m.membrane_rate;
  for (const receptor_slot& s : m.slots) slope += m.inv_c * y[s.current];
  return slope <= 0.0;
}

// Whether a receptor's state (its current, and its rise stage if it has one) is not all zero.
inline bool nonzero(const double* y, const receptor_slot& s) {
  return y[s.current] != 0.0 || (s.has_rise && y[s.current + 1] != 0.0);
}

// Upper bounds of V - threshold for the free evolution from a state (u - rest first): over the
// model's window (the linear cell's coarse watch) and for ever. Each stage's response is at most
// its maximum over the span (the negative ones are dropped), u's own relaxation at most its value
// at the nearer end. `scale` is the sum of the terms' sizes: the bounds' rounding is far below
// 1e-12 of it.
struct window_bounds {
  double window;
  double ever;
  double scale;
};

inline window_bounds bound_window(const cell_model& m, const double* state, double threshold) {
  const double gap = m.u_inf - threshold;
  const double w0 = state[0] - m.u_inf;
  double window = gap + std::max(w0, w0 * m.window_decay);
  double ever = gap + std::max(0.0, w0);
  double scale = std::abs(gap) + std::abs(w0);
  for (const receptor_slot& sl : m.slots) {
    const double current = std::max(0.0, state[sl.current]);
    window += current * sl.window_u_from_current;
    ever += current * sl.peak_u_from_current;
    scale += current * sl.peak_u_from_current;
    if (sl.has_rise) {
      const double rise = std::max(0.0, state[sl.current + 1]);
      window += rise * sl.window_u_from_rise;
      ever += rise * sl.peak_u_from_rise;
      scale += rise * sl.peak_u_from_rise;
    }
  }
  return {window, ever, scale};
}

struct crossing_prediction {
  // unknown: only the full search could tell, and it was not asked for.
  enum class kind { none, crossing, recheck, unknown } what = kind::none;
  double after = 0.0;  // ms after the state's time: the crossing, or when to predict again
};

// Predicts the first time V reaches threshold if no further input arrives. Lossless: it never
// misses a crossing, however grazing, down to the rounding of V itself (the argument is in the
// .cpp, where the method lives). Holds scratch space so that a prediction allocates nothing.
class threshold_crossing {
 public:
  // When u = V - rest first reaches `threshold` (relative to rest, as the model's threshold_rel
  // or a level below it). `state` is the neuron's state at absolute time `now`, not refractory,
  // u below `threshold`. When `exact`, reaching means u >= threshold or a maximum of u within
  // peak_tolerance below it, and no crossing means u never comes that close; a level is reached
  // at u >= level. Unless `exact`, a recheck at a time before which no crossing can happen may
  // be returned. Without `search`, what needs the full search is left unknown.
  crossing_prediction predict(const cell_model& model, const double* state, double now, bool exact,
                              double threshold, bool search = true) {
    const crossing_prediction p = bound(model, state, exact, threshold);
    if (p.what != crossing_prediction::kind::unknown || !search) return p;
    return this->search(model, state, now, threshold);
  }
  std::uint64_t full_searches() const { return full_searches_; }

 private:
  // Rates closer than this (relative) leave the exponential-sum form to the general search.
  static constexpr double separation = 0.1;

  // The answers that need no search (inlined: most predictions end here), else unknown.
  static crossing_prediction bound(const cell_model& m, const double* state, bool exact,
                                   double threshold);
  crossing_prediction search(const cell_model& model, const double* state, double now,
                             double threshold);
  double upper_bound(const cell_model& model, const double* y) const;
  bool collect_modes(const cell_model& model);
  int sign_changes(double gap, bool now_below) const;
  int slope_sign_changes() const;
  double single_zero(double gap, double now);
  bool steep() const;
  void prepare(const cell_model& model);
  void prepare_modes();
  bool settles_early();
  // Inlined by force into its two callers, as its two copies were: their floating-point code, and
  // so the searches' answers to the last bit, stay as they were.
  [[gnu::always_inline]] std::array<double, 3> exp_sum(double d, const double* c, double s) const;
  double value(int level, double s);
  double refine(int level, double lo, double hi, double f_lo, double f_hi);
  void roots(int level, const std::vector<double>& partition, std::vector<double>& out);
  bool two_terms(int level, std::vector<double>& out) const;

  const cell_model* model_ = nullptr;
  double threshold_ = 0.0;
  double now_ = 0.0;
  double horizon_ = 0.0;
  std::vector<double> y0_;     // homogeneous state: u - u_inf, then the currents
  std::vector<double> y_;      // scratch: state propagated to the evaluation point
  std::vector<double> rates_;  // mu_k, the rate eliminated between level k and k + 1
  // The modes merged by rate, and each level's coefficients on them, when the rates are apart.
  bool use_modes_ = false;
  std::vector<double> distinct_rates_;
  std::vector<double> distinct_amplitudes_;
  std::vector<double> distinct_sizes_;
  std::vector<double> level_modes_;
  std::vector<double> coeff_;   // c_k, row k of (levels + 1) x dim
  std::vector<double> offset_;  // d_k
  std::vector<std::vector<double>> level_roots_;
  double slope_ = 0.0;       // f_k'(s) of the last value() call
  double curvature_ = 0.0;   // f_k''(s) of the last value() call, or 0
  double zero_slope_ = 0.0;  // V' at single_zero()'s answer
  std::uint64_t full_searches_ = 0;
};

inline crossing_prediction threshold_crossing::bound(const cell_model& m, const double* state,
                                                     bool exact, double threshold) {
  using kind = crossing_prediction::kind;
  const double gap = m.u_inf - threshold;  // the constant part of V - threshold
  const double w0 = state[0] - m.u_inf;
  // One pass over the receptors for what the cheap answers need: upper_bound() of the state
  // (summed in its order), the positive currents of bound (2) below, and whether any is left.
  double bound = gap + std::max(0.0, w0);
  double drive = 0.0;
  double slowest_drive = std::numeric_limits<double>::infinity();
  bool rising_current = false;
  bool membrane_only = true;
  for (const receptor_slot& sl : m.slots) {
    const double current = std::max(0.0, state[sl.current]);
    bound += current * sl.peak_u_from_current;
    drive += current * m.inv_c;
    if (current > 0.0) slowest_drive = std::min(slowest_drive, sl.decay_rate);
    if (sl.has_rise) {
      bound += std::max(0.0, state[sl.current + 1]) * sl.peak_u_from_rise;
      rising_current = rising_current || state[sl.current + 1] > 0.0;
    }
    membrane_only = membrane_only && !nonzero(state, sl);
  }
  if (bound < (exact ? -peak_tolerance : 0.0)) return {};

  if (membrane_only) {
    // V - threshold = w0 e^{-s/tau_m} + gap with w0 + gap < 0: a zero iff gap > 0.
    if (gap <= 0.0) return {};
    return {kind::crossing, std::log1p(-(w0 + gap) / gap) / m.membrane_rate};
  }
  if (!exact && w0 < 0.0) {
    // Most predictions are overturned by the next input, so first cheap ones that can only be
    // early. (1) V - threshold <= w0 e^{-s/tau_m} + P, with P the constant and every positive
    // current at its peak (the negative ones dropped), is below 0 until s = tau_m ln(-w0 / P).
    // e^{earliest / tau_m} = num / den, kept apart so that no division comes before the root.
    double num = -w0;
    double den = bound - std::max(0.0, w0);  // P
    // (2) Without rise stages, no current grows: u' <= -(u - u_inf) / tau_m + C with C the
    // positive currents over the capacitance, so u stays below the solution with C held,
    // which settles at u_inf + C tau_m and reaches the threshold in closed form (or never).
    // The later of the two bounds holds; one logarithm serves both.
    if (!rising_current) {
      // Negative currents decaying no faster than every positive one outweigh as much of them
      // for ever: with r the slowest positive rate, sum_p I_p e^{-r_p s} - sum_n J_n e^{-r_n s}
      // <= (sum_p I_p - sum_n J_n) e^{-r s} when every r_n <= r. Their credit lowers C (the
      // difference rounded up by its size): in a balanced network inhibition often cancels it.
      double credit = 0.0;
      for (const receptor_slot& sl : m.slots)
        if (state[sl.current] < 0.0 && sl.decay_rate <= slowest_drive)
          credit -= state[sl.current] * m.inv_c;
      constexpr double eps = std::numeric_limits<double>::epsilon();
      if (credit > 0.0) drive = std::max(0.0, drive - credit + 8.0 * eps * (drive + credit));
      const double ceiling = m.u_inf + drive * m.tau_m;  // where u would settle
      if (ceiling < threshold) return {};
      // The larger ratio, compared across (both denominators are not negative).
      const double num2 = ceiling - state[0], den2 = ceiling - threshold;
      if (num2 * den > num * den2) {
        num = num2;
        den = den2;
      }
    }
    // Times tau_m rather than over the rate (a division less on the way to the queue): a level
    // below threshold is all the bounds are asked for, so a recheck a rounding late still comes
    // before the threshold.
    const double earliest = log_below(num, den) * m.tau_m;
    if (earliest > 0.0) return {kind::recheck, earliest};
  }
  return {kind::unknown};
}

}  // namespace syn::detail
