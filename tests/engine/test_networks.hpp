#pragma once

// Builders and independent references shared by the engine behaviour tests. The references are
// closed forms derived here (or quadrature of the defining convolution), evaluated in long double;
// none of them reuses the engine's formulas.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/quadrature/gauss.hpp>
#include <cmath>
#include <optional>
#include <string>
#include <vector>

#include "syn/engine/model_error.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace syn::test {

using real = long double;

// The neuron most tests use: theta = threshold - rest = 15 mV, reset = rest, no refractoriness.
inline neuron_params lif() {
  neuron_params p;
  p.rest = -70.0;
  p.threshold = -55.0;
  p.tau_m = 10.0;
  p.capacitance = 250.0;
  return p;
}

inline receptor_params jump_receptor(effect sign = effect::excitatory) {
  receptor_params r;
  r.kind = kinetics::jump;
  r.sign = sign;
  return r;
}

// rise 0: single exponential; rise == decay: alpha function; else bi-exponential.
inline receptor_params current_receptor(double rise, double decay,
                                        effect sign = effect::excitatory) {
  receptor_params r;
  r.rise = rise;
  r.decay = decay;
  r.sign = sign;
  return r;
}

inline synapse_params synapse(receptor_id receptor, double weight, weight_unit unit, double delay,
                              double distance = 0.0) {
  return {
      .receptor = receptor, .weight = weight, .unit = unit, .delay = delay, .distance = distance};
}

// The same synapse with a delay of its own, as the language makes a drawn delay.
inline synapse_params with_own_delay(synapse_params s) {
  s.own_delay = true;
  return s;
}

// One neuron of its own model.
inline node_id add_neuron(network& net, const neuron_params& params) {
  return net.add_neurons("n", net.add_model(params), 1).first;
}

// One source; by default a single spike at 0 ms.
inline node_id add_source(network& net, std::vector<double> times = {0.0}) {
  return net.add_sources("s", {std::move(times)}).first;
}

inline std::vector<double> spike_times(const simulator& sim, node_id node) {
  std::vector<double> times;
  for (const spike& s : sim.spikes())
    if (s.node == node) times.push_back(s.time);
  return times;
}

// Two simulations' spikes, the same to the last bit.
inline void expect_same_spikes(const simulator& a, const simulator& b) {
  ASSERT_EQ(a.spikes().size(), b.spikes().size());
  for (std::size_t k = 0; k < a.spikes().size(); ++k) {
    EXPECT_EQ(a.spikes()[k].time, b.spikes()[k].time) << "spike " << k;
    EXPECT_EQ(a.spikes()[k].node, b.spikes()[k].node) << "spike " << k;
  }
}

inline std::vector<sample> samples_of(const simulator& sim, node_id node) {
  std::vector<sample> out;
  for (const sample& s : sim.samples())
    if (s.node == node) out.push_back(s);
  return out;
}

// A receptor kernel, as the parameter of parametrised tests.
struct kernel_case {
  const char* name;
  bool jump;
  double rise;
  double decay;
};

inline std::string kernel_case_name(const ::testing::TestParamInfo<kernel_case>& info) {
  return info.param.name;
}

// --- Independent references ---------------------------------------------------------------

// Synaptic current normalised to a peak of i0 (pA), t ms after the input: i0 e^{-t/decay} for
// rise 0, the alpha function i0 (t/decay) e^{1 - t/decay} for rise == decay, else
// c (e^{-t/decay} - e^{-t/rise}). The difference is written with expm1 (and the peak time with
// log1p) so that it stays exact as rise -> decay.
struct current_kernel {
  real i0;
  real rise;
  real decay;

  real operator()(real t) const {
    if (t < 0) return 0;
    if (rise == 0) return i0 * std::exp(-t / decay);
    if (rise == decay) return i0 * (t / decay) * std::exp(1 - t / decay);
    const real rate_gap = (decay - rise) / (rise * decay);  // 1/rise - 1/decay
    const auto shape = [&](real s) { return -std::exp(-s / decay) * std::expm1(-s * rate_gap); };
    const real r = (decay - rise) / rise;
    const real peak_time = decay * std::log1p(r) / r;  // ln(decay/rise) / (1/rise - 1/decay)
    return i0 * shape(t) / shape(peak_time);
  }
};

// u = V - rest, t ms after a current starting on a neuron at rest:
//   u(t) = (1/C) int_0^t e^{-(t-s)/tau_m} I(s) ds,
// by composite 20-point Gauss-Legendre quadrature on pieces of at most 0.5 ms (the integrand is
// entire and varies on scales >= 0.1 ms here, so this is exact to long double rounding). It
// needs no closed form, so it also covers the near-degenerate time constants.
inline real quadrature_psp(const current_kernel& current, real capacitance, real tau_m, real t) {
  if (t <= 0) return 0;
  const auto integrand = [&](real s) { return std::exp(-(t - s) / tau_m) * current(s); };
  const int pieces = static_cast<int>(std::ceil(t / 0.5L));
  real sum = 0;
  for (int i = 0; i < pieces; ++i)
    sum += boost::math::quadrature::gauss<real, 20>::integrate(integrand, t * i / pieces,
                                                               t * (i + 1) / pieces);
  return sum / capacitance;
}

// Exponential current i0 e^{-t/tau_s} into the membrane: solving u' = -u/tau_m + I/C from 0,
//   u = (i0/C) (e^{-t/tau_s} - e^{-t/tau_m}) / (1/tau_m - 1/tau_s)
//     = (i0/C) e^{-t/tau_m} (1 - e^{-t d}) / d,   d = 1/tau_s - 1/tau_m,
// written with expm1 so that it is exact as tau_s -> tau_m, where it becomes (i0/C) t e^{-t/tau_m}.
inline real exp_current_psp(real i0, real capacitance, real tau_s, real tau_m, real t) {
  if (t <= 0) return 0;
  const real d = (tau_m - tau_s) / (tau_s * tau_m);
  const real growth = d == 0 ? t : -std::expm1(-t * d) / d;
  return i0 / capacitance * std::exp(-t / tau_m) * growth;
}

// Alpha current i0 (t/tau) e^{1 - t/tau}: with k = i0 e / (C tau) and a = 1/tau_m - 1/tau,
//   u = k e^{-t/tau_m} int_0^t s e^{a s} ds = k (e^{-t/tau} (t/a - 1/a^2) + e^{-t/tau_m} / a^2),
// and k t^2/2 e^{-t/tau_m} for tau == tau_m. Ill-conditioned for tau close to (not equal to)
// tau_m: use quadrature_psp there.
inline real alpha_current_psp(real i0, real capacitance, real tau, real tau_m, real t) {
  if (t <= 0) return 0;
  const real k = i0 * std::exp(1.0L) / (capacitance * tau);
  if (tau == tau_m) return k * t * t / 2 * std::exp(-t / tau_m);
  const real a = 1 / tau_m - 1 / tau;
  return k * (std::exp(-t / tau) * (t / a - 1 / (a * a)) + std::exp(-t / tau_m) / (a * a));
}

// Bi-exponential current c (e^{-t/decay} - e^{-t/rise}) with peak i0: by linearity the difference
// of two exponential responses. Ill-conditioned for rise close to decay: use quadrature_psp there.
inline real biexp_current_psp(real i0, real capacitance, real rise, real decay, real tau_m,
                              real t) {
  const real peak_time = std::log(decay / rise) / (1 / rise - 1 / decay);
  const real c = i0 / (std::exp(-peak_time / decay) - std::exp(-peak_time / rise));
  return exp_current_psp(c, capacitance, decay, tau_m, t) -
         exp_current_psp(c, capacitance, rise, tau_m, t);
}

// Bisects f on [lo, hi], f(lo) < 0 <= f(hi), until the bracket is two adjacent long doubles;
// returns its upper end (the first point found with f >= 0).
template <class F>
real bisect(F f, real lo, real hi) {
  for (;;) {
    const real mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) return hi;
    (f(mid) < 0 ? lo : hi) = mid;
  }
}

// The first t in [from, to] with f(t) >= 0: a scan in steps of `step`, then bisection. Only for
// functions whose excursions above 0 are wider than `step` (grazing cases bracket explicitly).
template <class F>
std::optional<real> first_crossing(F f, real from, real to, real step) {
  if (f(from) >= 0) return from;
  for (real lo = from; lo < to; lo += step) {
    const real hi = std::min(lo + step, to);
    if (f(hi) >= 0) return bisect(f, lo, hi);
  }
  return std::nullopt;
}

// The time of the maximum of a unimodal response u with derivative du on (lo, hi): bisection on
// the sign of du, which is positive before the peak and negative after.
template <class F>
real peak_time(F du, real lo, real hi) {
  return bisect([&](real t) { return -du(t); }, lo, hi);
}

// A response of kernel `current` scaled by an mV weight: the peak on a neuron at rest is `weight`.
// u' = I/C - u/tau_m gives the peak of u exactly where I/C = u/tau_m.
struct mv_psp {
  current_kernel current;
  real capacitance;
  real tau_m;
  real weight;
  real peak_at;
  real unit_peak;

  mv_psp(double rise, double decay, real c, real tm, real w)
      : current{1, rise, decay}, capacitance(c), tau_m(tm), weight(w) {
    peak_at = peak_time([&](real t) { return current(t) / capacitance - raw(t) / tau_m; }, 0,
                        10 * (tau_m + decay));
    unit_peak = raw(peak_at);
  }
  // The closed forms where they are well conditioned, quadrature otherwise.
  real raw(real t) const {
    const real rise = current.rise, decay = current.decay;
    if (rise == 0) return exp_current_psp(1, capacitance, decay, tau_m, t);
    const auto near = [](real a, real b) { return a != b && std::fabs(a - b) < 1e-3L * b; };
    if (near(rise, decay) || near(rise, tau_m) || near(decay, tau_m))
      return quadrature_psp(current, capacitance, tau_m, t);
    if (rise == decay) return alpha_current_psp(1, capacitance, decay, tau_m, t);
    return biexp_current_psp(1, capacitance, rise, decay, tau_m, t);
  }
  real operator()(real t) const { return weight * raw(t) / unit_peak; }
  real slope(real t) const {
    return weight * (current(t) / capacitance - raw(t) / tau_m) / unit_peak;
  }
};

// --- Comparing records ----------------------------------------------------------------------

inline std::string describe(const spike& s) {
  return fmt::format("spike(t={}, node={})", s.time, s.node);
}
inline std::string describe(const sample& s) {
  return fmt::format("sample(t={}, node={}, v={})", s.time, s.node, s.v);
}

// Bit-identical records, reported at the first difference rather than as two huge vectors.
template <class Record>
::testing::AssertionResult same_records(const std::vector<Record>& a,
                                        const std::vector<Record>& b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (!(a[i] == b[i]))
      return ::testing::AssertionFailure()
             << fmt::format("record {} differs: {} vs {}", i, describe(a[i]), describe(b[i]));
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << fmt::format("{} vs {} records", a.size(), b.size());
  return ::testing::AssertionSuccess();
}

// Every sample within `tolerance` of expected(time); reports the worst one (NaN counts as worst).
template <class F>
void expect_samples_near(const std::vector<sample>& samples, F expected, double tolerance) {
  ASSERT_FALSE(samples.empty());
  real worst = 0;
  const sample* worst_at = nullptr;
  for (const sample& s : samples) {
    const real error = std::fabs(s.v - expected(s.time));
    if (worst_at == nullptr || !(error <= worst)) {
      worst = error;
      worst_at = &s;
    }
  }
  EXPECT_LE(worst, tolerance) << fmt::format("worst {}, expected v={}", describe(*worst_at),
                                             static_cast<double>(expected(worst_at->time)));
}

// The model_error message of `action`, or a test failure if it throws none.
template <class F>
std::string model_error_of(F action) {
  try {
    action();
  } catch (const model_error& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected a model_error";
  return {};
}

}  // namespace syn::test
