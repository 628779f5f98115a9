// Conductance synapses (weights in nS) on single neurons, against closed forms derived here: a
// step conductance (V relaxes exponentially to V_inf with the combined time constant), Brette
// 2006's single-time-constant solution (the incomplete gamma function), a shunt dividing a
// current's PSP; and the physiology every conductance must show: V never passes a reversal, a
// shunt at rest makes no PSP of its own, an EPSP shrinks as V nears its reversal.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "conductance_closed_forms.hpp"
#include "test_networks.hpp"

namespace syn::test {
namespace {

constexpr double arrival = 1.0;  // one source spike at 0 ms, delay 1 ms

TEST(conductance_step, relaxes_to_the_equilibrium_with_the_combined_time_constant) {
  network net;
  const node_id n = add_neuron(net, lif());
  const receptor_id r = net.add_receptor(conductance_receptor(-40, 0, step_decay));
  net.connect(add_source(net), n, synapse(r, 20.0, weight_unit::nS, 1.0));
  simulator sim(net);
  sim.record_v({n}, 0.25);
  sim.run(60.0);
  // u_inf = 20 * 30 / 45 = 13.3 mV: below threshold, no spike.
  const relaxation step = relaxation::of(20, -40, arrival, 0);
  expect_samples_near(
      samples_of(sim, n), [&](real t) { return rest + (t < arrival ? 0 : step.u(t)); }, 1e-11);
  EXPECT_TRUE(spike_times(sim, n).empty());
}

TEST(conductance_step, fires_at_the_closed_form_time_and_again_after_refractoriness) {
  neuron_params p = lif();
  p.refractory = 2.0;
  network net;
  const node_id n = add_neuron(net, p);
  const receptor_id r = net.add_receptor(conductance_receptor(0, 0, step_decay));
  net.connect(add_source(net), n, synapse(r, 20.0, weight_unit::nS, 1.0));
  simulator sim(net);
  sim.run(60.0);
  // u_inf = 20 * 70 / 45 = 31.1 mV above theta = 15: each period restarts from reset = rest.
  const relaxation first = relaxation::of(20, 0, arrival, 0);
  const real rise = first.crossing(15) - arrival;
  const auto times = spike_times(sim, n);
  ASSERT_GE(times.size(), 5u);
  for (std::size_t k = 0; k < times.size(); ++k)
    EXPECT_NEAR(times[k], arrival + rise + k * (rise + 2), 1e-10) << "spike " << k;
}

TEST(conductance_step, a_thousand_times_the_leak_stays_exact_and_stable) {
  neuron_params p = lif();
  p.refractory = 5.0;
  network net;
  const node_id quiet = add_neuron(net, lif());
  const node_id firing = add_neuron(net, p);
  const node_id s = add_source(net);
  // 25,000 nS: the membrane's time constant falls from 10 ms to 10 us.
  net.connect(s, quiet,
              synapse(net.add_receptor(conductance_receptor(-60, 0, step_decay)), 25000.0,
                      weight_unit::nS, 1.0));
  net.connect(s, firing,
              synapse(net.add_receptor(conductance_receptor(-20, 0, step_decay)), 25000.0,
                      weight_unit::nS, 1.0));
  simulator sim(net);
  sim.record_v({quiet}, 0.001);
  sim.run(30.0);
  const relaxation settle = relaxation::of(25000, -60, arrival, 0);
  expect_samples_near(
      samples_of(sim, quiet), [&](real t) { return rest + (t < arrival ? 0 : settle.u(t)); },
      1e-10);
  const relaxation drive = relaxation::of(25000, -20, arrival, 0);
  const real rise = drive.crossing(15) - arrival;
  const auto times = spike_times(sim, firing);
  ASSERT_EQ(times.size(), 6u);
  for (std::size_t k = 0; k < times.size(); ++k)
    EXPECT_NEAR(times[k], arrival + rise + k * (rise + 5), 1e-10) << "spike " << k;
}

TEST(conductance_step, inputs_during_refractoriness_open_conductances_jumps_are_lost) {
  neuron_params p = lif();
  p.refractory = 5.0;
  network net;
  const node_id n = add_neuron(net, p);
  const receptor_id jump = net.add_receptor(jump_receptor());
  const receptor_id step = net.add_receptor(conductance_receptor(0, 0, step_decay));
  net.connect(add_source(net, {0.0, 3.0}), n, synapse(jump, 20.0, weight_unit::mV, 1.0));
  net.connect(add_source(net, {2.0}), n, synapse(step, 20.0, weight_unit::nS, 1.0));
  simulator sim(net);
  sim.record_v({n}, 0.5);
  sim.run(12.0);
  // The jump fires at 1 ms; the conductance opens at 3 ms, the second jump (4 ms) is lost; from
  // 6 ms V rises from reset under the open conductance.
  const relaxation after = relaxation::of(20, 0, 6.0, 0);
  const auto times = spike_times(sim, n);
  ASSERT_EQ(times.size(), 2u);
  EXPECT_EQ(times[0], 1.0);
  EXPECT_NEAR(times[1], after.crossing(15), 1e-10);
  for (const sample& x : samples_of(sim, n)) {
    if (x.time > 1.0 && x.time < 6.0) {
      EXPECT_EQ(x.v, -70.0) << describe(x);
    } else if (x.time >= 6.0 && x.time < times[1]) {
      EXPECT_NEAR(x.v, static_cast<double>(rest + after.u(x.time)), 1e-11) << describe(x);
    }
  }
}

TEST(conductance_exponential, matches_brette_2006_single_time_constant_solution) {
  for (const auto& [g, e, tau] :
       {std::tuple{10.0, 0.0, 5.0}, {250.0, 0.0, 5.0}, {100.0, -80.0, 8.0}, {40.0, -70.0, 2.0}}) {
    SCOPED_TRACE(fmt::format("g {} nS, reversal {} mV, tau {} ms", g, e, tau));
    network net;
    neuron_params p = lif();
    p.threshold = 10.0;  // never reached: the whole PSP is seen
    const node_id n = add_neuron(net, p);
    net.connect(add_source(net), n,
                synapse(net.add_receptor(conductance_receptor(e, 0, tau)), g, weight_unit::nS,
                        1.0));
    simulator sim(net);
    sim.record_v({n}, 0.2);
    sim.run(60.0);
    expect_samples_near(
        samples_of(sim, n), [&](real t) { return rest + brette_2006(g, e, tau, t - arrival); },
        1e-11);
  }
}

TEST(conductance_shunt, divides_a_current_psp_by_the_larger_membrane_rate) {
  network net;
  const node_id plain = add_neuron(net, lif());
  const node_id shunted = add_neuron(net, lif());
  const receptor_id current = net.add_receptor(current_receptor(0, 5));
  const receptor_id shunt = net.add_receptor(conductance_receptor(-70, 0, step_decay));
  const node_id s = add_source(net);
  for (const node_id n : {plain, shunted})
    net.connect(s, n, synapse(current, 100.0, weight_unit::pA, 1.0));
  // At rest the shunt's driving force is 0: it opens at 0.5 ms and V does not move.
  net.connect(s, shunted, synapse(shunt, 50.0, weight_unit::nS, 0.5));
  simulator sim(net);
  sim.record_v({plain, shunted}, 0.1);
  sim.run(40.0);
  // g_L + g = 75 nS: tau_m 10 ms becomes 250 / 75 = 10/3 ms.
  expect_samples_near(
      samples_of(sim, shunted),
      [](real t) { return rest + exp_current_psp(100, 250, 5, 10.0L / 3, t - arrival); }, 1e-11);
  double plain_peak = -1e9, shunted_peak = -1e9;
  for (const sample& x : samples_of(sim, plain)) plain_peak = std::max(plain_peak, x.v);
  for (const sample& x : samples_of(sim, shunted)) shunted_peak = std::max(shunted_peak, x.v);
  EXPECT_LT(shunted_peak - rest, 0.6 * (plain_peak - rest));
}

TEST(conductance_physiology, v_never_passes_a_reversal_however_strong_the_input) {
  struct bound_case {
    double rest, reversal;
  };
  // GABA_A onto a spiny neuron resting below chloride's reversal (depolarising, yet never past
  // -75 mV), AMPA far above threshold's side, and GABA_A below rest.
  for (const auto& [cell_rest, reversal] :
       {bound_case{-80, -75}, bound_case{-70, 0}, bound_case{-60, -80}}) {
    SCOPED_TRACE(fmt::format("rest {} mV, reversal {} mV", cell_rest, reversal));
    neuron_params p = lif();
    p.rest = cell_rest;
    p.threshold = 30.0;  // above every reversal: only the reversal can bound V
    network net;
    const node_id n = add_neuron(net, p);
    std::vector<double> times;
    for (int k = 0; k < 100; ++k) times.push_back(0.5 * k);
    net.connect(add_source(net, times), n,
                synapse(net.add_receptor(conductance_receptor(reversal, 1, 8)), 200.0,
                        weight_unit::nS, 1.0));
    simulator sim(net);
    sim.record_v({n}, 0.05);
    sim.run(80.0);
    double nearest = cell_rest;
    for (const sample& x : samples_of(sim, n)) {
      if (reversal > cell_rest) {
        EXPECT_LE(x.v, reversal) << describe(x);
        EXPECT_GE(x.v, cell_rest) << describe(x);
      } else {
        EXPECT_GE(x.v, reversal) << describe(x);
        EXPECT_LE(x.v, cell_rest) << describe(x);
      }
      if (std::abs(x.v - reversal) < std::abs(nearest - reversal)) nearest = x.v;
    }
    // 200 nS every 0.5 ms on a 25 nS leak: V comes within a few per cent of the reversal.
    EXPECT_LT(std::abs(nearest - reversal), 0.05 * std::abs(reversal - cell_rest));
  }
}

TEST(conductance_physiology, an_epsp_shrinks_as_rest_nears_the_reversal) {
  std::vector<double> peaks;
  for (const double cell_rest : {-70.0, -40.0, -10.0}) {
    neuron_params p = lif();
    p.rest = cell_rest;
    p.threshold = 30.0;
    network net;
    const node_id n = add_neuron(net, p);
    net.connect(add_source(net), n,
                synapse(net.add_receptor(conductance_receptor(0, 0, 5)), 5.0, weight_unit::nS,
                        1.0));
    simulator sim(net);
    sim.record_v({n}, 0.05);
    sim.run(40.0);
    double peak = 0;
    for (const sample& x : samples_of(sim, n)) peak = std::max(peak, x.v - cell_rest);
    peaks.push_back(peak);
  }
  // Small conductances: nearly proportional to the driving force, 70 : 40 : 10.
  EXPECT_GT(peaks[0], peaks[1]);
  EXPECT_GT(peaks[1], peaks[2]);
  EXPECT_NEAR(peaks[1] / peaks[0], 40.0 / 70.0, 0.02);
  EXPECT_NEAR(peaks[2] / peaks[0], 10.0 / 70.0, 0.01);
}

TEST(conductance_kinds, current_only_and_conductance_models_share_one_network) {
  network net;
  const node_id current_cell = add_neuron(net, lif());
  const node_id conductance_cell = add_neuron(net, lif());
  const receptor_id r = net.add_receptor(conductance_receptor(0, 0, 5));
  const node_id s = add_source(net);
  // The same receptor, as a current on one neuron and as a conductance and a current on the
  // other.
  net.connect(s, current_cell, synapse(r, 100.0, weight_unit::pA, 1.0));
  net.connect(s, conductance_cell, synapse(r, 100.0, weight_unit::pA, 1.0));
  net.connect(s, conductance_cell, synapse(r, 10.0, weight_unit::nS, 1.0));
  simulator sim(net);
  sim.record_v({current_cell, conductance_cell}, 0.25);
  sim.run(40.0);
  expect_samples_near(
      samples_of(sim, current_cell),
      [](real t) { return rest + exp_current_psp(100, 250, 5, 10, t - arrival); }, 1e-12);
  // The conductance adds its own EPSP: V is higher than the current's alone after arrival.
  const auto both = samples_of(sim, conductance_cell);
  const auto one = samples_of(sim, current_cell);
  ASSERT_EQ(both.size(), one.size());
  for (std::size_t i = 0; i < both.size(); ++i)
    if (both[i].time > arrival) {
      EXPECT_GT(both[i].v, one[i].v) << describe(both[i]);
    }
}

}  // namespace
}  // namespace syn::test
