// The engine against an independent 50-digit reference (reference_neuron.hpp) on random
// single-neuron scenarios, and the reference itself against closed forms.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <vector>

#include "random_scenario_count.hpp"
#include "reference_neuron.hpp"
#include "reference_scenario.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace syn {
namespace {

using reference::real;
using namespace test_scenarios;
using test_scenarios::connection;  // not syn::connection

// Excitatory unless a reversal potential is given.
receptor_params current_receptor(double rise, double decay,
                                 std::optional<double> reversal = std::nullopt) {
  receptor_params r;
  r.rise = rise;
  r.decay = decay;
  r.reversal = reversal;
  if (!reversal) r.sign = effect::excitatory;
  return r;
}

receptor_params random_receptor(draw& d, const neuron_params& n) {
  receptor_params r;
  switch (d.integer(0, 3)) {
    case 0:
      r.kind = kinetics::jump;
      break;
    case 1:
      r.decay = pick_tau(d, n.tau_m);
      break;
    case 2: {
      double a = pick_tau(d, n.tau_m), b = pick_tau(d, n.tau_m);
      if (d.chance(0.15)) b = a * (1 - std::pow(10.0, -d.integer(3, 12)));
      if (a == b) b = a * d.uniform(0.05, 0.95);
      r.rise = std::min(a, b);
      r.decay = std::max(a, b);
      break;
    }
    default:
      r.rise = r.decay = pick_tau(d, n.tau_m);
  }
  const double e = d.uniform(0, 1);
  r.sign = e < 0.4 ? effect::excitatory : e < 0.65 ? effect::inhibitory : effect::from_reversal;
  if (r.sign == effect::from_reversal || d.chance(0.5)) {
    if (d.chance(0.01)) {
      r.reversal = n.rest;  // shunting: no effect
    } else {
      r.reversal = d.chance(0.7) ? n.rest + d.uniform(10, 80) : n.rest - d.uniform(2, 30);
    }
  }
  return r;
}

scenario make_scenario(std::uint64_t index) {
  draw d(0x5eed0000 + index);
  scenario s;
  s.name = fmt::format("{}", index);
  s.duration = d.uniform(50, 200);
  neuron_params& n = s.neuron;
  const bool exact_refractory_end = draw_threshold_and_refractoriness(d, n, 25, 16, 320);
  const double theta = n.threshold - n.rest;
  n.tau_m = d.log_uniform(2, 40);
  if (d.chance(0.75)) n.capacitance = d.uniform(50, 500);
  draw_bias_and_length_constant(d, n, 1.6);
  const double v0 = d.uniform(0, 1);
  if (v0 < 0.3) {
    n.v0 = d.uniform(n.reset.value_or(n.rest) - 5, n.threshold - 0.01);
  } else if (v0 < 0.4) {
    n.v0 = n.threshold;
  } else if (v0 < 0.5) {
    n.v0 = n.threshold + d.uniform(0, 5);
  }

  const int receptor_count = d.integer(1, 3);
  for (int i = 0; i < receptor_count; ++i) s.receptors.push_back(random_receptor(d, n));

  const bool dyadic = exact_refractory_end || d.chance(0.3);
  const int source_count = d.integer(1, 4);
  const int input_count = d.integer(5, 40);
  for (int i = 0; i < source_count; ++i) {
    connection c;
    c.receptor = static_cast<std::uint32_t>(d.integer(0, receptor_count - 1));
    const receptor_params& r = s.receptors[c.receptor];
    c.delay = d.integer(1, 8) / 4.0;
    if (d.chance(0.5)) c.distance = d.uniform(0, 500);
    const double amplitude = theta * d.log_uniform(0.05, 1.5);  // mV, peak PSP at the soma
    c.weight = amplitude;
    if (r.kind == kinetics::current && n.capacitance) {
      const int unit = d.integer(0, 2);
      const double psp = rough_psp(n.tau_m, r) / *n.capacitance;
      // (2: mV; nS weights are conductances, in the conductance reference test.)
      if (unit == 1) {
        c.unit = weight_unit::pA;
        c.weight = amplitude / psp;
      }
    }
    s.connections.push_back(c);
  }
  add_input_times(d, s, input_count, 1, 3, dyadic);
  add_simultaneous_input(d, s, dyadic);
  if (exact_refractory_end) add_refractory_end_jumps(d, s, 4);
  return s;
}

// --- The reference against closed forms -------------------------------------------------------

neuron_params lif(double reset, double refractory) {
  neuron_params n;
  n.rest = -70;
  n.threshold = -60;
  n.reset = reset;
  n.refractory = refractory;
  n.tau_m = 10;
  n.capacitance = 100;
  return n;
}

TEST(reference_self_test, dc_drive_fires_at_the_closed_form_times) {
  // u_inf = tau_m bias / C = 20 mV above rest, threshold 15 mV above, reset 5 mV below rest:
  // first spike tau ln(u_inf / (u_inf - 15)), then every refractory + tau ln(25 / 5).
  reference::cell c;
  c.neuron = lif(-75, 2);
  c.neuron.threshold = -55;
  c.neuron.capacitance = 250;
  c.neuron.bias = 500;
  const auto out = reference::simulate(c, 100);
  const real first = 10 * log(real(4)), period = 2 + 10 * log(real(5));
  ASSERT_EQ(out.spikes.size(), 5u);
  for (std::size_t k = 0; k < out.spikes.size(); ++k) {
    EXPECT_LT(abs(out.spikes[k] - (first + period * k)), real("1e-35")) << k;
  }
  EXPECT_FALSE(out.ill_conditioned);
}

TEST(reference_self_test, psp_peaks_match_closed_forms) {
  const receptor_params exp2 = current_receptor(0, 2), exp10 = current_receptor(0, 10),
                        alpha10 = current_receptor(10, 10);
  // tau_s = 2, tau_m = 10: u(t) = 2.5 (exp(-t/10) - exp(-t/2)), maximal at t = 2.5 ln 5.
  const real t_peak = real(2.5) * log(real(5));
  const real expected = real(2.5) * (exp(-t_peak / 10) - exp(-t_peak / 2));
  EXPECT_LT(abs(reference::psp_peak(10, exp2) - expected), real("1e-35"));
  // tau_s = tau_m: u(t) = t exp(-t/tau), peak tau / e.
  EXPECT_LT(abs(reference::psp_peak(10, exp10) - 10 / exp(real(1))), real("1e-35"));
  // Alpha with tau = tau_m, current (e/tau) t exp(-t/tau): u(t) = (e/tau) t^2/2 exp(-t/tau),
  // peak 2 tau / e at t = 2 tau.
  EXPECT_LT(abs(reference::psp_peak(10, alpha10) - 20 / exp(real(1))), real("1e-35"));
}

TEST(reference_self_test, degenerate_forms_are_limits_of_the_general_ones) {
  const auto relative = [](const real& a, const real& b) { return abs(a / b - 1); };
  const double near = 10 * (1 + 1e-12);
  const receptor_params exp10 = current_receptor(0, 10), exp_near = current_receptor(0, near);
  EXPECT_LT(relative(reference::psp_peak(10, exp_near), reference::psp_peak(10, exp10)), 1e-11);
  const receptor_params alpha10 = current_receptor(10, 10),
                        alpha_near = current_receptor(near, near);
  EXPECT_LT(relative(reference::psp_peak(10, alpha_near), reference::psp_peak(10, alpha10)), 1e-11);
  // A bi-exponential with rise -> decay tends to the alpha function, also when decay = tau_m.
  for (double decay : {3.0, 10.0}) {
    const receptor_params alpha = current_receptor(decay, decay);
    const receptor_params bi = current_receptor(decay * (1 - 1e-12), decay);
    EXPECT_LT(relative(reference::psp_peak(10, bi), reference::psp_peak(10, alpha)), 1e-11);
  }
  const receptor_params rise_m = current_receptor(10, 20), rise_near = current_receptor(near, 20);
  EXPECT_LT(relative(reference::psp_peak(10, rise_near), reference::psp_peak(10, rise_m)), 1e-11);
}

TEST(reference_self_test, biexponential_current_peak_is_a_maximum) {
  const receptor_params r = current_receptor(0.5, 4);
  const real t = log(real(8)) * 4 * real(0.5) / real(3.5);
  const real slope = -exp(-t / 4) / 4 + exp(-t / real(0.5)) / real(0.5);
  EXPECT_LT(abs(slope), real("1e-45"));
  EXPECT_LT(abs(reference::current_peak(r) - (exp(-t / 4) - exp(-t / real(0.5)))), real("1e-45"));
}

TEST(reference_self_test, exponential_psp_crosses_threshold_at_the_closed_form_time) {
  // 50 pA exponential current (tau 2 ms) at t = 5 into 100 pF: u(s) = 0.5 * 2.5 (e^-s/10 - e^-s/2)
  // is below threshold (10 mV); the same input with weight in mV set to 15 crosses it.
  reference::cell c{lif(-70, 0), {current_receptor(0, 2)}, {{0, 15, weight_unit::mV, 0}}, {{5, 0}}};
  const auto out = reference::simulate(c, 40);
  ASSERT_EQ(out.spikes.size(), 1u);
  const real scale = 15 / reference::psp_peak(10, c.receptors[0]);
  const auto u = [&](const real& s) { return scale * real(2.5) * (exp(-s / 10) - exp(-s / 2)); };
  real lo = 0, hi = real(2.5) * log(real(5));  // rising flank
  for (int i = 0; i < 200; ++i) {
    const real mid = (lo + hi) / 2;
    (u(mid) < 10 ? lo : hi) = mid;
  }
  EXPECT_LT(abs(out.spikes[0] - (5 + lo)), real("1e-35"));

  c.synapses[0] = {0, 50, weight_unit::pA, 0};
  EXPECT_TRUE(reference::simulate(c, 40).spikes.empty());
}

TEST(reference_self_test, current_keeps_flowing_during_refractoriness) {
  // A 50 pA exponential current (tau 4) from t = 1; a jump fires the neuron at t = 2; refractory
  // until 7; then u(t) = e^{-(t-7)/10} (0 - G(7)) + G(t), G(t) = 0.5 R(t - 1),
  // R(s) = (e^{-s/4} - e^{-s/10}) / (1/10 - 1/4).
  const receptor_params current = current_receptor(0, 4), jump = jump_receptor(effect::excitatory);
  reference::cell c{lif(-70, 5),
                    {current, jump},
                    {{0, 50, weight_unit::pA, 0}, {1, 20, weight_unit::mV, 0}},
                    {{1, 0}, {2, 1}}};
  const auto g = [](const real& t) {
    const real s = t - 1;
    return real(0.5) * (exp(-s / 4) - exp(-s / 10)) / (real(1) / 10 - real(1) / 4);
  };
  const auto out = reference::simulate(c, 12);
  ASSERT_EQ(out.spikes.size(), 1u);
  EXPECT_EQ(out.spikes[0], 2);
  const real expected = -70 + exp(real(-0.5)) * -g(7) + g(12);
  EXPECT_LT(abs(out.v_end - expected), real("1e-40"));
  EXPECT_EQ(reference::simulate(c, 5).v_end, -70);
}

TEST(reference_self_test, jumps_inside_refractoriness_are_discarded_and_its_end_counts) {
  // Starts at threshold: spikes at 0, refractory 2 ms. Jumps at 1 (discarded), 2 (counts),
  // 3 (discarded), 4 (counts).
  neuron_params n = lif(-70, 2);
  n.v0 = n.threshold;
  reference::cell c{n,
                    {jump_receptor(effect::excitatory)},
                    {{0, 30, weight_unit::mV, 0}},
                    {{1, 0}, {2, 0}, {3, 0}, {4, 0}}};
  const auto out = reference::simulate(c, 10);
  EXPECT_EQ(to_double(out.spikes), (std::vector<double>{0, 2, 4}));
}

TEST(reference_self_test, simultaneous_inputs_are_summed_before_the_test) {
  const receptor_params exc = jump_receptor(effect::excitatory);
  const receptor_params inh = jump_receptor(effect::from_reversal, -80);  // below rest
  reference::cell c{lif(-70, 0),
                    {exc, inh},
                    {{0, 12, weight_unit::mV, 0}, {1, 5, weight_unit::mV, 0}},
                    {{3, 0}, {3, 1}}};
  EXPECT_TRUE(reference::simulate(c, 10).spikes.empty());
  c.inputs.pop_back();
  EXPECT_EQ(to_double(reference::simulate(c, 10).spikes), (std::vector<double>{3}));
}

TEST(reference_self_test, weights_follow_units_signs_and_attenuation) {
  neuron_params n = lif(-70, 0);
  n.length_constant = 200;
  const real attenuation = exp(real(-0.5));  // 100 um
  const receptor_params ampa = current_receptor(0.5, 3, 0), gaba = current_receptor(0, 8, -75);
  const receptor_params jump = jump_receptor(effect::inhibitory);
  const auto near = [](const real& a, const real& b) { return abs(a - b) < real("1e-40"); };
  EXPECT_TRUE(near(
      reference::input_scale(n, ampa, {0, 2, weight_unit::mV, 100}) * reference::psp_peak(10, ampa),
      2 * attenuation));
  EXPECT_TRUE(near(reference::input_scale(n, ampa, {0, 30, weight_unit::pA, 0}), real(30) / 100));
  EXPECT_TRUE(
      near(reference::input_scale(n, gaba, {0, 2, weight_unit::pA, 100}), -2 * attenuation / 100));
  // Conductances are conductance_reference's.
  EXPECT_THROW(reference::input_scale(n, gaba, {0, 2, weight_unit::nS, 100}),
               std::invalid_argument);
  EXPECT_TRUE(
      near(reference::input_scale(n, jump, {0, 3, weight_unit::mV, 100}), -3 * attenuation));
}

TEST(reference_self_test, grazing_maxima_are_flagged) {
  // An mV weight fixes the PSP peak: just above threshold fires, just below does not; within
  // 1e-9 mV of threshold either way the scenario is ill-conditioned.
  reference::cell c{lif(-70, 0), {current_receptor(1, 5)}, {{0, 0, weight_unit::mV, 0}}, {{2, 0}}};
  for (double rel : {1e-11, -1e-11, 1e-6, -1e-6}) {
    c.synapses[0].weight = 10 * (1 + rel);
    const auto out = reference::simulate(c, 50);
    EXPECT_EQ(out.spikes.size(), rel > 0 ? 1u : 0u) << rel;
    EXPECT_EQ(out.ill_conditioned.has_value(), std::abs(rel) < 1e-10) << rel;
  }
}

TEST(reference_self_test, sampling_is_fine_enough) {
  // Eight times denser screening finds the same spikes in random scenarios.
  const reference::options dense{.samples_per_tau = 64};
  for (std::uint64_t i = 0; i < 200; ++i) {
    const scenario s = make_scenario(i);
    const auto cell = to_cell(s);
    const auto normal = reference::simulate(cell, s.duration);
    const auto fine = reference::simulate(cell, s.duration, dense);
    ASSERT_EQ(normal.spikes.size(), fine.spikes.size()) << describe(s);
    for (std::size_t k = 0; k < normal.spikes.size(); ++k) {
      EXPECT_LT(abs(normal.spikes[k] - fine.spikes[k]), real("1e-20")) << describe(s);
    }
  }
}

// --- The engine against the reference -----------------------------------------------------------

// The references take nearly all the time and are independent: spread them over the cores.
std::vector<reference::result> references(std::uint64_t first, std::uint64_t last) {
  return in_parallel<reference::result>(first, last, [](std::uint64_t i) {
    const scenario s = make_scenario(i);
    return reference::simulate(to_cell(s), s.duration);
  });
}

TEST(engine_reference, random_single_neuron_scenarios) {
  constexpr std::uint64_t count = random_scenario_count(10000);
  constexpr double tolerance = 1e-9;  // ms
  constexpr int max_failures = 5;
  // SYN_REFERENCE_SCENARIO=i runs scenario i alone and prints it.
  const char* only = std::getenv("SYN_REFERENCE_SCENARIO");
  const std::uint64_t first = only ? std::strtoull(only, nullptr, 10) : 0;
  const std::uint64_t last = only ? first + 1 : count;

  const std::vector<reference::result> refs = references(first, last);
  int failures = 0;
  std::uint64_t run = 0, ill = 0, with_spikes = 0, reference_spike_total = 0;
  for (std::uint64_t i = first; i < last && failures < max_failures; ++i, ++run) {
    const scenario s = make_scenario(i);
    const reference::result& ref = refs[i - first];
    const std::vector<double> expected = to_double(ref.spikes);
    const std::vector<double> actual = run_on_engine(s).spikes;
    if (only) {
      fmt::print("{}reference {}\nengine    {}\nill-conditioned: {}\n", describe(s),
                 spike_list(expected), spike_list(actual), ref.ill_conditioned.value_or("no"));
    }
    with_spikes += !expected.empty();
    reference_spike_total += expected.size();
    if (ref.ill_conditioned) {
      ++ill;
      continue;
    }
    std::size_t agree = 0;  // leading spikes that match
    while (agree < std::min(expected.size(), actual.size()) &&
           std::abs(expected[agree] - actual[agree]) <= tolerance) {
      ++agree;
    }
    if (agree < expected.size() || agree < actual.size()) {
      ++failures;
      ADD_FAILURE() << describe(s) << "first difference at spike " << agree << "\nreference "
                    << spike_list(expected) << "\nengine    " << spike_list(actual);
    }
  }
  fmt::print("{} scenarios, {} with neuron spikes, {} reference spikes, {} ill-conditioned\n", run,
             with_spikes, reference_spike_total, ill);
  EXPECT_LT(static_cast<double>(ill), 0.01 * static_cast<double>(run));
}

}  // namespace
}  // namespace syn
