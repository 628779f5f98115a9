// The engine against an independent 50-digit reference for conductance synapses
// (conductance_reference.hpp) on random and hand-built single-neuron scenarios, and the reference
// itself against closed forms, against the current-based reference and against itself at a finer
// resolution.

#include "conductance_reference.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "reference_agreement.hpp"
#include "reference_neuron.hpp"
#include "reference_scenario.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace syn {
namespace {

using reference::real;
namespace cref = conductance_reference;
using namespace test_scenarios;
using test_scenarios::connection;  // not syn::connection

receptor_params kinetic_receptor(double rise, double decay, double reversal,
                                 effect sign = effect::from_reversal) {
  receptor_params r;
  r.rise = rise;
  r.decay = decay;
  r.reversal = reversal;
  r.sign = sign;
  return r;
}

cref::result reference_run(const scenario& s, const cref::options& opt = {}) {
  return cref::simulate(to_cell(s), s.duration, sample_times(s), opt);
}

receptor_params random_receptor(draw& d, const neuron_params& n, bool conductances) {
  receptor_params r;
  switch (d.integer(0, conductances ? 4 : 3)) {
    case 0:
      r.kind = kinetics::jump;
      break;
    case 1:
      r.decay = pick_tau(d, n.tau_m);
      break;
    case 2: {
      const double a = pick_tau(d, n.tau_m), b = pick_tau(d, n.tau_m);
      r.rise = std::min(a, b);
      r.decay = std::max(a, b);
      if (r.rise == r.decay) r.rise = r.decay * d.uniform(0.05, 0.95);
      break;
    }
    case 3:
      r.rise = r.decay = pick_tau(d, n.tau_m);
      break;
    default:  // rise and decay nearly equal: relative differences down to 1e-12
      r.decay = pick_tau(d, n.tau_m);
      r.rise = r.decay * (1 - std::pow(10.0, -d.integer(3, 12)));
  }
  const double e = d.uniform(0, 1);
  r.sign = e < 0.4 ? effect::excitatory : e < 0.65 ? effect::inhibitory : effect::from_reversal;
  if (conductances || r.sign == effect::from_reversal || d.chance(0.5)) {
    // Reversals from -90 to +20 mV; 10% at rest (shunting).
    r.reversal = d.chance(0.1) ? n.rest : d.uniform(-90, 20);
  }
  return r;
}

// A short random scenario; with `conductances`, about half the synapses on kinetic receptors are
// conductances of 0.01 to 1000 times the leak.
scenario make_scenario(std::uint64_t index, bool conductances = true) {
  draw d(0xc0dd0000 + index);
  scenario s;
  s.name = std::to_string(index);
  s.duration = d.uniform(10, 50);
  neuron_params& n = s.neuron;
  const bool exact_refractory_end = draw_threshold_and_refractoriness(d, n, 25, 32, 192);
  const double theta = n.threshold - n.rest;
  n.tau_m = d.log_uniform(2, 40);
  if (conductances || d.chance(0.75)) n.capacitance = d.uniform(50, 500);
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
  for (int i = 0; i < receptor_count; ++i) {
    s.receptors.push_back(random_receptor(d, n, conductances));
  }

  const bool dyadic = exact_refractory_end || d.chance(0.3);
  const int source_count = d.integer(1, 4);
  const int input_count = d.integer(3, 30);
  const double leak = n.capacitance ? *n.capacitance / n.tau_m : 0;  // nS
  for (int i = 0; i < source_count; ++i) {
    connection c;
    c.receptor = static_cast<std::uint32_t>(d.integer(0, receptor_count - 1));
    const receptor_params& r = s.receptors[c.receptor];
    c.delay = d.integer(1, 8) / 4.0;
    if (d.chance(0.5)) c.distance = d.uniform(0, 500);
    const double amplitude = theta * d.log_uniform(0.05, 1.5);  // mV, peak PSP at the soma
    c.weight = amplitude;
    if (r.kind == kinetics::current && n.capacitance) {
      const int unit = d.integer(0, conductances ? 3 : 1);
      if (unit == 1) {
        c.unit = weight_unit::pA;
        c.weight = amplitude / (rough_psp(n.tau_m, r) / *n.capacitance);
      } else if (unit >= 2) {
        c.unit = weight_unit::nS;
        // Without refractoriness, strong excitation would fire thousands of times.
        c.weight = leak * d.log_uniform(0.01, n.refractory > 0 ? 1000 : 3);
      }
    }
    s.connections.push_back(c);
  }
  add_input_times(d, s, input_count, 1, 3, dyadic);
  add_simultaneous_input(d, s, dyadic);
  if (exact_refractory_end) add_refractory_end_jumps(d, s, 2);
  // Every 3 to 10 ms, never a multiple of 1/20 ms: no sample on the 1/1024 ms input grid.
  s.sample_step = d.integer(300, 1000);
  if (s.sample_step % 5 == 0) ++s.sample_step;
  return s;
}

// --- The reference against closed forms ---------------------------------------------------

neuron_params cell_params(double tau_m = 10, double capacitance = 100) {
  neuron_params n;
  n.rest = -70;
  n.threshold = -40;
  n.tau_m = tau_m;
  n.capacitance = capacitance;
  return n;
}

// A conductance g switched on at t_on and never decaying: V relaxes exponentially to
// V_inf = (g_L rest + g E) / (g_L + g) with time constant C / (g_L + g).
TEST(conductance_reference_self_test, constant_conductance_relaxes_exponentially) {
  const double t_on = 2;
  for (double ratio : {0.01, 1.0, 1000.0}) {
    for (double reversal : {-90.0, -70.0, 20.0}) {
      neuron_params n = cell_params();
      n.threshold = 30;  // out of reach
      n.v0 = -65;
      const receptor_params step =
          kinetic_receptor(0, std::numeric_limits<double>::infinity(), reversal);
      const double g = ratio * 10;  // g_L = 100 pF / 10 ms = 10 nS
      const reference::cell c{n, {step}, {{0, g, weight_unit::nS, 0}}, {{t_on, 0}}};
      const std::vector<double> times{0, 1, 2, 2.001, 2.1, 3, 7.5, 20};
      const auto out = cref::simulate(c, 20, times);
      ASSERT_EQ(out.samples.size(), times.size());
      const real u_on = 5 * exp(real(-t_on) / 10);
      const real total = real(10) + g;
      const real u_inf = g * real(reversal + 70) / total;
      for (std::size_t k = 0; k < times.size(); ++k) {
        const real t = times[k];
        const real expected =
            t < t_on ? real(-70 + 5 * exp(-t / 10))
                     : real(-70 + u_inf + (u_on - u_inf) * exp(-(t - t_on) * total / 100));
        EXPECT_LT(gap(out.samples[k].v, expected), 1e-38)
            << "ratio " << ratio << " reversal " << reversal << " t " << times[k];
      }
      EXPECT_TRUE(out.spikes.empty());
      EXPECT_FALSE(out.ill_conditioned);
    }
  }
}

TEST(conductance_reference_self_test, constant_conductance_fires_at_the_closed_form_times) {
  // g = 2 g_L towards +20 mV: u_inf = 60 mV above rest; threshold 15, reset -5, refractory 2.
  neuron_params n = cell_params();
  n.threshold = -55;
  n.reset = -75;
  n.refractory = 2;
  const receptor_params step = kinetic_receptor(0, std::numeric_limits<double>::infinity(), 20);
  const reference::cell c{n, {step}, {{0, 20, weight_unit::nS, 0}}, {{1, 0}}};
  const auto out = cref::simulate(c, 30);
  const real tau = real(100) / 30, u_inf = 60;
  const real first = 1 + tau * log(u_inf / (u_inf - 15));
  const real period = 2 + tau * log((u_inf + 5) / (u_inf - 15));
  ASSERT_EQ(out.spikes.size(), 9u);
  for (std::size_t k = 0; k < out.spikes.size(); ++k) {
    EXPECT_LT(gap(out.spikes[k], first + period * k), 1e-38) << k;
  }
  EXPECT_FALSE(out.ill_conditioned);
}

// Brette (2006): with conductance inputs on exponential kernels sharing one decay tau and no
// currents, between inputs (x from the last one, G and B the summed g/C and g (E - rest)/C then)
//   u(x) = exp(-P(x)) [u(0) + B tau (S(z0) - exp(-s x / tau) exp(z0 - zx) S(zx))],
// P(x) = x/tau_m + z0 - zx, z0 = G tau, zx = z0 exp(-x/tau), s = 1 - tau/tau_m, and
// S(z) = sum_k z^k / (s (s+1) ... (s+k)), the series of the lower incomplete gamma function
// gamma(s, z) = z^s exp(-z) S(z).
real incomplete_gamma_series(const real& s, const real& z) {
  real term = 1 / s, sum = term;
  for (int k = 1; k < 10000; ++k) {
    term *= z / (s + k);
    sum += term;
    if (k > z && abs(term) < abs(sum) * real("1e-60")) break;
  }
  return sum;
}

struct conductance_input {
  double time;
  double weight;  // nS
  double reversal;
};

real brette_v(const neuron_params& n, double tau, const std::vector<conductance_input>& inputs,
              const real& t) {
  const real s = 1 - real(tau) / n.tau_m;
  real now = 0, u = real(n.v0.value_or(n.rest)) - n.rest, g = 0, b = 0;
  const auto free = [&](const real& x) {
    if (g == 0) return real(u * exp(-x / n.tau_m));
    const real z0 = g * tau, zx = z0 * exp(-x / tau);
    const real phase = x / n.tau_m + z0 - zx;
    return real(exp(-phase) *
                (u + b * tau *
                         (incomplete_gamma_series(s, z0) -
                          exp(-s * x / tau + z0 - zx) * incomplete_gamma_series(s, zx))));
  };
  for (const conductance_input& in : inputs) {
    if (in.time > t) break;
    const real x = in.time - now;
    u = free(x);
    g = g * exp(-x / tau) + real(in.weight) / *n.capacitance;
    b = b * exp(-x / tau) + real(in.weight) * (real(in.reversal) - n.rest) / *n.capacitance;
    now = in.time;
  }
  return n.rest + free(t - now);
}

reference::cell brette_cell(const neuron_params& n, double tau,
                            const std::vector<conductance_input>& inputs) {
  reference::cell c{n, {}, {}, {}};
  for (std::uint32_t i = 0; i < inputs.size(); ++i) {
    c.receptors.push_back(kinetic_receptor(0, tau, inputs[i].reversal));
    c.synapses.push_back({i, inputs[i].weight, weight_unit::nS, 0});
    c.inputs.push_back({inputs[i].time, i});
  }
  return c;
}

TEST(conductance_reference_self_test, single_time_constant_matches_brette_2006) {
  // Excitation towards 0 mV and inhibition towards -80 mV, on either side of tau_m (s = 0.7 and
  // s = -1.5), the conductances up to 45 times the leak. S(z0) grows like exp(z0) and cancels
  // in the closed form: z0 = G tau stays below 15 so that 40 of its digits are left.
  for (double tau : {3.0, 25.0}) {
    const double scale = tau == 3 ? 1 : 0.12;
    std::vector<conductance_input> inputs{{1, 20, 0},       {1.5, 5, -80}, {4, 300, 0},
                                          {4.25, 150, -80}, {9, 3, 0},     {15, 50, -80}};
    for (conductance_input& in : inputs) in.weight *= scale;
    neuron_params n = cell_params();
    n.threshold = 40;  // out of reach
    n.v0 = -68;
    std::vector<double> times;
    for (int k = 0; k <= 60; ++k) times.push_back(k * 0.5);
    const auto out = cref::simulate(brette_cell(n, tau, inputs), 30, times);
    ASSERT_EQ(out.samples.size(), times.size());
    for (std::size_t k = 0; k < times.size(); ++k) {
      EXPECT_LT(gap(out.samples[k].v, brette_v(n, tau, inputs, times[k])), 1e-30)
          << "tau " << tau << " t " << times[k];
    }
  }
}

TEST(conductance_reference_self_test, single_time_constant_crossing_matches_brette_2006) {
  neuron_params n = cell_params();
  n.threshold = -64;
  const double tau = 3;
  const std::vector<conductance_input> inputs{{1, 10, 0}, {2, 10, -80}, {3, 20, 0}};
  const auto out = cref::simulate(brette_cell(n, tau, inputs), 10);
  ASSERT_FALSE(out.spikes.empty());
  // The first crossing by bisection on the closed form, between the inhibitory input and the
  // last one.
  real lo = 2, hi = 3;
  ASSERT_LT(brette_v(n, tau, inputs, lo), n.threshold);
  ASSERT_GE(brette_v(n, tau, inputs, hi), n.threshold);
  for (int i = 0; i < 140; ++i) {
    const real mid = (lo + hi) / 2;
    (brette_v(n, tau, inputs, mid) < n.threshold ? lo : hi) = mid;
  }
  EXPECT_LT(gap(out.spikes[0], lo), 1e-30);
}

// How closely the current-based reference can be trusted on a scenario: it writes V with
// divided differences of exponentials, which lose 2 log10(1/d) of its 50 digits when a kernel time
// constant is a relative d away from tau_m (but not equal to it).
double current_reference_accuracy(const scenario& s) {
  double d = 1;
  for (const receptor_params& r : s.receptors) {
    if (r.kind == kinetics::jump) continue;
    for (double tau : {r.rise, r.decay}) {
      if (tau > 0 && tau != s.neuron.tau_m) d = std::min(d, std::abs(tau / s.neuron.tau_m - 1));
    }
  }
  return std::max(1e-30, 1e-45 / (d * d));
}

TEST(conductance_reference_self_test, agrees_with_the_current_reference_without_conductances) {
  // Mixed mV, pA and jump inputs, bias, refractoriness, distances: the two references share only
  // the weight helpers and must agree to 1e-30, or to what the current-based one has left.
  int compared = 0, near_tau_m = 0;
  double worst = 0;
  for (std::uint64_t i = 0; i < 300; ++i) {
    const scenario s = make_scenario(i, false);
    const reference::cell c = to_cell(s);
    const auto current = reference::simulate(c, s.duration);
    const auto conductance = cref::simulate(c, s.duration);
    if (current.ill_conditioned || conductance.ill_conditioned) continue;
    ++compared;
    const double tolerance = current_reference_accuracy(s);
    near_tau_m += tolerance > 1e-30;
    ASSERT_EQ(current.spikes.size(), conductance.spikes.size()) << describe(s);
    double gaps = gap(current.v_end, conductance.v_end);
    for (std::size_t k = 0; k < current.spikes.size(); ++k) {
      gaps = std::max(gaps, gap(current.spikes[k], conductance.spikes[k]));
    }
    EXPECT_LT(gaps, tolerance) << describe(s);
    if (tolerance == 1e-30) worst = std::max(worst, gaps);
  }
  fmt::print(
      "{} scenarios compared ({} with a time constant near tau_m); elsewhere spikes and final V "
      "within {:.2g}\n",
      compared, near_tau_m, worst);
}

TEST(conductance_reference_self_test, slow_crossings_and_their_aftermath_are_flagged) {
  // A bias that brings V to threshold at 1e-6 mV/ms: the spike's time is ill-conditioned.
  neuron_params n = cell_params();
  n.threshold = -60;
  n.bias = 100.0001;  // u_inf = 10.00001 mV, 1e-5 mV above threshold
  EXPECT_TRUE(cref::simulate({n, {}, {}, {}}, 200).ill_conditioned);

  // At 0.003 mV/ms the crossing itself is fine (3e-12 ms of uncertainty), but a conductance of
  // 1000 times the leak towards -62 mV when refractoriness ends drives V at 800 mV/ms: V is then
  // uncertain by 3e-9 mV, until the conductance has pulled both trajectories together.
  n.bias = 100.3;
  n.reset = -70;
  n.refractory = 1;
  reference::cell c{n, {kinetic_receptor(0, 50, -62)}, {{0, 10000, weight_unit::nS, 0}}, {}};
  const double t_s = cref::simulate(c, 100).spikes.at(0).convert_to<double>();
  c.inputs = {{t_s + 0.5, 0}};
  const auto out = cref::simulate(c, t_s + 3, {t_s - 1, t_s + 0.7, t_s + 1.01, t_s + 2});
  EXPECT_FALSE(out.ill_conditioned);
  ASSERT_EQ(out.samples.size(), 4u);
  EXPECT_FALSE(out.samples[0].ill_conditioned);
  EXPECT_EQ(out.samples[1].v, -70);  // refractory
  EXPECT_FALSE(out.samples[1].ill_conditioned);
  EXPECT_TRUE(out.samples[2].ill_conditioned);
  EXPECT_FALSE(out.samples[3].ill_conditioned);
}

TEST(conductance_reference_self_test, finer_panels_change_nothing) {
  const cref::options fine{.panel_accuracy = 1e-60, .panel_span = 8};
  gaps worst;
  for (std::uint64_t i = 0; i < 100; ++i) {
    const scenario s = make_scenario(i);
    const auto normal = reference_run(s);
    const auto finer = reference_run(s, fine);
    ASSERT_EQ(normal.spikes.size(), finer.spikes.size()) << describe(s);
    worst.widen(normal, finer);
    EXPECT_LT(worst.spike, 1e-35) << describe(s);
    EXPECT_LT(worst.v, 1e-35) << describe(s);
  }
  fmt::print("spikes within {:.2g} ms, samples within {:.2g} mV\n", worst.spike, worst.v);
}

// --- The engine against the reference ----------------------------------------------------

TEST(engine_conductance_reference, random_single_neuron_scenarios) {
  // SYN_CONDUCTANCE_SCENARIO=i runs scenario i alone and prints it.
  check_random_scenarios(
      10000, "SYN_CONDUCTANCE_SCENARIO", [](std::uint64_t i) { return make_scenario(i); },
      [](const scenario& s) { return reference_run(s); });
}

// --- Hand-built scenarios ------------------------------------------------------------------

neuron_params hand_neuron() {
  neuron_params n;
  n.rest = -70;
  n.threshold = -55;
  n.reset = -70;
  n.refractory = 2;
  n.tau_m = 10;
  n.capacitance = 100;  // g_L = 10 nS
  return n;
}

scenario one_input(const receptor_params& r, double weight, double threshold) {
  scenario s;
  s.name = "one conductance input";
  s.neuron = hand_neuron();
  s.neuron.threshold = threshold;
  s.receptors = {r};
  s.connections = {{0, weight, weight_unit::nS, 0, 1, {1}}};
  s.duration = 30;
  s.sample_step = 137;
  return s;
}

// The peak of V (mV) after one conductance input, to ~1e-12 mV: the threshold at which the
// reference stops firing.
double peak_v(const receptor_params& r, double weight) {
  double lo = -70, hi = 20;  // fires at lo, not at hi
  while (hi - lo > 1e-12) {
    const double mid = (lo + hi) / 2;
    (reference_run(one_input(r, weight, mid)).spikes.empty() ? hi : lo) = mid;
  }
  return lo;
}

TEST(conductance_reference_self_test, grazing_maxima_are_flagged) {
  // Just above threshold fires, just below does not; within 1e-9 mV either way the scenario is
  // ill-conditioned.
  const receptor_params r = kinetic_receptor(0.5, 3, 0);
  const double peak = peak_v(r, 30);
  for (double offset : {-1e-11, 1e-11, -1e-6, 1e-6}) {
    const auto out = reference_run(one_input(r, 30, peak + offset));
    EXPECT_EQ(out.spikes.size(), offset < 0 ? 1u : 0u) << offset;
    EXPECT_EQ(out.ill_conditioned.has_value(), std::abs(offset) < 1e-9) << offset;
  }
}

TEST(engine_conductance_reference, grazing_conductance_epsp) {
  // A conductance EPSP whose peak is 1e-7 mV above threshold must fire once; 1e-7 mV below it,
  // never. Exponential, bi-exponential and alpha kernels.
  tally t;
  for (const receptor_params& r :
       {kinetic_receptor(0, 5, 0), kinetic_receptor(0.5, 3, 0), kinetic_receptor(10, 10, 0)}) {
    const double peak = peak_v(r, 30);
    for (const double offset : {-1e-7, 1e-7}) {
      const scenario s = one_input(r, 30, peak + offset);
      const cref::result ref = reference_run(s);
      EXPECT_FALSE(ref.ill_conditioned) << describe(s);
      EXPECT_EQ(ref.spikes.size(), offset < 0 ? 1u : 0u) << describe(s);
      EXPECT_TRUE(agree(s, ref, t)) << "peak " << peak;
    }
  }
  print_tally(t);
}

TEST(engine_conductance_reference, inputs_during_refractoriness) {
  // A jump fires the neuron exactly at 2 ms; until 3.5 ms V is held at reset while an
  // excitatory conductance, an inhibitory one and a current arrive, and a jump (discarded); a
  // jump exactly at 3.5 ms counts. Samples every 0.37 ms fall inside the refractory period.
  scenario s;
  s.name = "inputs during refractoriness";
  s.neuron = hand_neuron();
  s.neuron.refractory = 1.5;
  s.neuron.reset = -72;
  s.receptors = {jump_receptor(effect::excitatory), kinetic_receptor(0.5, 3, 0),
                 kinetic_receptor(0, 8, -85), kinetic_receptor(0, 2, 0, effect::excitatory)};
  s.connections = {{0, 20, weight_unit::mV, 0, 1, {1, 2, 2.5}},
                   {1, 200, weight_unit::nS, 50, 0.5, {2}},
                   {2, 40, weight_unit::nS, 0, 0.25, {2.5}},
                   {3, 300, weight_unit::pA, 0, 0.75, {2.25}}};
  s.neuron.length_constant = 300;
  s.duration = 20;
  s.sample_step = 37;
  const cref::result ref = reference_run(s);
  ASSERT_GE(ref.spikes.size(), 2u);
  EXPECT_EQ(ref.spikes[0], 2);
  EXPECT_EQ(ref.spikes[1], 3.5);
  for (std::size_t k = 0; k < ref.samples.size(); ++k) {
    const double t = sample_times(s)[k];
    if (t >= 2 && t < 3.5) {
      EXPECT_EQ(ref.samples[k].v, -72) << t;
    }
  }
  tally t;
  EXPECT_TRUE(agree(s, ref, t));
  print_tally(t);
}

TEST(engine_conductance_reference, alpha_conductance_with_tau_m) {
  // rise == decay == tau_m: the alpha kernel's time constant is the membrane's.
  scenario s;
  s.name = "alpha conductance, rise = decay = tau_m";
  s.neuron = hand_neuron();
  s.receptors = {kinetic_receptor(10, 10, 0), kinetic_receptor(10, 10, -80)};
  s.connections = {{0, 6, weight_unit::nS, 0, 1, {0, 3, 4, 20, 21, 22, 23}},
                   {1, 4, weight_unit::nS, 0, 2, {5, 25}}};
  s.duration = 60;
  s.sample_step = 233;
  const cref::result ref = reference_run(s);
  EXPECT_FALSE(ref.spikes.empty());
  tally t;
  EXPECT_TRUE(agree(s, ref, t));
  print_tally(t);
}

TEST(engine_conductance_reference, conductance_a_thousand_times_the_leak) {
  // 10 uS towards +20 mV pins V near the reversal: the neuron fires after every refractory
  // period while it lasts. Then 10 uS of shunting inhibition (reversal at rest) under a current,
  // and 10 uS towards -90 mV.
  scenario s;
  s.name = "conductance 1000 times the leak";
  s.neuron = hand_neuron();
  s.neuron.refractory = 1;
  s.receptors = {kinetic_receptor(0, 2, 20), kinetic_receptor(0, 3, -70),
                 kinetic_receptor(0.3, 2, -90), kinetic_receptor(0, 5, 0, effect::excitatory)};
  s.connections = {{0, 10000, weight_unit::nS, 0, 1, {1}},
                   {1, 10000, weight_unit::nS, 0, 1, {20}},
                   {3, 2000, weight_unit::pA, 0, 1, {19.5, 20, 21}},
                   {2, 10000, weight_unit::nS, 0, 1, {30}}};
  s.duration = 40;
  s.sample_step = 123;
  const cref::result ref = reference_run(s);
  EXPECT_GE(ref.spikes.size(), 5u);
  tally t;
  EXPECT_TRUE(agree(s, ref, t));
  print_tally(t);
}

}  // namespace
}  // namespace syn
