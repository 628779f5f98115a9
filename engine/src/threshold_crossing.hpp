#pragma once

#include <cmath>
#include <cstdint>
#include <vector>

#include "cell_model.hpp"

namespace syn::detail {

// Lower bounds of logarithms for times that may come early (rechecks), at a fraction of a
// logarithm's cost. The (2,2) Pade approximant z (6 + 3z) / (6 + 6z + z^2) of ln(1 + z) is a
// two-point Gauss quadrature of ln(1 + z) = z int_0^1 dx / (1 + zx), whose integrand has a
// positive fourth derivative: it is below ln(1 + z) for z >= 0 (and not above 0 for z in
// (-1, 0]), by 0.1 % at z = 1 and 9 % at z = 9. Near ln(1 + z) for the small z of a neuron
// near its level.
inline double log1p_below(double z) { return z * (6.0 + 3.0 * z) / (6.0 + z * (6.0 + z)); }

// ln(r) = 2 ln(sqrt r): within 0.05 % up to r = 3 and 1 % up to r = 10; a logarithm beyond
// 1e100 (and for infinity).
inline double log_below(double r) {
  return r < 1e100 ? 2.0 * log1p_below(std::sqrt(r) - 1.0) : std::log(r);
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
  // u below `threshold`. Unless `exact`, a recheck at a time before which no crossing can
  // happen may be returned. Without `search`, what needs the full search is left unknown.
  crossing_prediction predict(const cell_model& model, const double* state, double now, bool exact,
                              double threshold, bool search = true);
  std::uint64_t full_searches() const { return full_searches_; }

 private:
  struct mode {
    double rate;
    double a;
  };
  // Rates closer than this (relative) leave the exponential-sum form to the general search.
  static constexpr double separation = 0.1;

  double upper_bound(const cell_model& model, const double* y) const;
  bool collect_modes(const cell_model& model);
  int sign_changes(double gap, bool now_below) const;
  int slope_sign_changes() const;
  double single_zero(double gap, double now);
  void merge_modes();
  void prepare(const cell_model& model);
  void prepare_modes();
  double value(int level, double s);
  double refine(int level, double lo, double hi, double f_lo, double f_hi);
  void roots(int level, const std::vector<double>& partition, std::vector<double>& out);

  const cell_model* model_ = nullptr;
  double threshold_ = 0.0;
  double now_ = 0.0;
  double horizon_ = 0.0;
  std::vector<double> y0_;     // homogeneous state: u - u_inf, then the currents
  std::vector<double> y_;      // scratch: state propagated to the evaluation point
  std::vector<double> rates_;  // mu_k, the rate eliminated between level k and k + 1
  std::vector<mode> modes_;
  // The modes merged by rate, and each level's coefficients on them, when the rates are apart.
  bool use_modes_ = false;
  std::vector<double> distinct_rates_;
  std::vector<double> distinct_amplitudes_;
  std::vector<double> level_modes_;
  std::vector<double> coeff_;   // c_k, row k of (levels + 1) x dim
  std::vector<double> offset_;  // d_k
  std::vector<std::vector<double>> level_roots_;
  double slope_ = 0.0;  // f_k'(s) of the last value() call
  std::uint64_t full_searches_ = 0;
};

}  // namespace syn::detail
