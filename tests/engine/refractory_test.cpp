// Refractoriness and the instant of a spike: V held at reset, jumps discarded but currents kept,
// the boundary instants, a start above threshold, simultaneous inputs.

#include <gtest/gtest.h>

#include <cmath>

#include "test_networks.hpp"

namespace syn::test {
namespace {

// lif() with reset -72 mV, so that the release from reset is visible.
neuron_params refractory_lif(double refractory) {
  neuron_params p = lif();
  p.reset = -72.0;
  p.refractory = refractory;
  return p;
}

TEST(refractory, jump_arriving_during_it_is_discarded) {
  network net;
  const node_id n = add_neuron(net, refractory_lif(4.0));
  const receptor_id jump = net.add_receptor(jump_receptor());
  net.connect(add_source(net, {0.0}), n, synapse(jump, 20.0, weight_unit::mV, 1.0));  // spike at 1
  net.connect(add_source(net, {2.0, 3.999}), n, synapse(jump, 5.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.record_v({n}, 0.25);
  sim.run(20.0);

  EXPECT_EQ(spike_times(sim, n), std::vector<double>{1.0});
  // Rest, reset on [1, 5) (a sample at the spike time included), then free relaxation from reset.
  expect_samples_near(
      samples_of(sim, n),
      [](real t) {
        if (t < 1) return real{-70};
        if (t < 5) return real{-72};
        return -70 - 2 * std::exp(-(t - 5) / 10);
      },
      1e-12);
}

TEST(refractory, current_arriving_during_it_still_flows_and_fires_right_after_it) {
  network net;
  const node_id n = add_neuron(net, refractory_lif(4.0));
  net.connect(add_source(net, {0.0}), n,
              synapse(net.add_receptor(jump_receptor()), 20.0, weight_unit::mV, 1.0));
  net.connect(add_source(net, {1.0}), n,
              synapse(net.add_receptor(current_receptor(0, 5)), 6000.0, weight_unit::pA, 1.0));
  simulator sim(net);
  sim.record_v({n}, 0.25);
  sim.run(20.0);

  // Spike at 1; the current jumps to 6000 pA at 2 and decays; at the release (5 ms) it is
  // I1 = 6000 e^{-3/5} pA and V starts from reset: u = -2 e^{-s/tau_m} + psp of I1, s = t - 5;
  // it crosses 1.6 ms later.
  const real i1 = 6000 * std::exp(-3.0L / 5);
  const auto u = [&](real s) {
    return -2 * std::exp(-s / 10) + exp_current_psp(i1, 250, 5, 10, s);
  };
  const real crossing = 5 + bisect([&](real s) { return u(s) - 15; }, 0, 5);
  const auto times = spike_times(sim, n);
  ASSERT_GE(times.size(), 2u);
  EXPECT_EQ(times[0], 1.0);
  EXPECT_NEAR(times[1], crossing, 1e-10);
  for (const sample& s : samples_of(sim, n)) {
    if (s.time >= 1 && s.time < 5) {
      EXPECT_EQ(s.v, -72.0) << describe(s);
    }
  }
}

TEST(refractory, jump_arriving_exactly_at_its_end_counts) {
  network net;
  const node_id sub = add_neuron(net, refractory_lif(2.0));
  const node_id supra = add_neuron(net, refractory_lif(2.0));
  const receptor_id jump = net.add_receptor(jump_receptor());
  const node_id first = add_source(net, {0.0});
  const node_id at_end = add_source(net, {2.0});  // arrives at 1 + 2 = 3, exactly the end
  for (node_id n : {sub, supra}) net.connect(first, n, synapse(jump, 20.0, weight_unit::mV, 1.0));
  net.connect(at_end, sub, synapse(jump, 5.0, weight_unit::mV, 1.0));
  net.connect(at_end, supra, synapse(jump, 20.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(3.0);
  EXPECT_NEAR(sim.v(sub), -67.0, 1e-12);
  EXPECT_EQ(spike_times(sim, sub), std::vector<double>{1.0});
  EXPECT_EQ(spike_times(sim, supra), (std::vector<double>{1.0, 3.0}));
}

TEST(refractory, samples_hold_reset_throughout) {
  neuron_params p = lif();
  p.bias = 500.0;  // spikes at 13.86 and 32.95 ms, off the sampling grid
  p.reset = -75.0;
  p.refractory = 3.0;
  network net;
  const node_id n = add_neuron(net, p);
  simulator sim(net);
  sim.record_v({n}, 0.1);
  sim.run(50.0);
  const auto times = spike_times(sim, n);
  ASSERT_GE(times.size(), 2u);
  int held = 0;
  for (const sample& s : samples_of(sim, n)) {
    for (double ts : times) {
      if (s.time >= ts && s.time < ts + 3.0) {
        EXPECT_EQ(s.v, -75.0) << describe(s);
        ++held;
      }
    }
  }
  EXPECT_GE(held, 2 * 29);
}

TEST(refractory, starting_at_or_above_threshold_spikes_at_time_zero) {
  neuron_params above = refractory_lif(2.0);
  above.v0 = -50.0;
  network net;
  const node_id at = add_neuron(net, refractory_lif(2.0));
  net.set_v0(at, -55.0);
  const node_id over = add_neuron(net, above);
  const node_id just_below = add_neuron(net, refractory_lif(2.0));
  net.set_v0(just_below, -55.000001);
  simulator sim(net);
  sim.record_v({at, over, just_below}, 0.5);
  sim.run(10.0);
  EXPECT_EQ(spike_times(sim, at), std::vector<double>{0.0});
  EXPECT_EQ(spike_times(sim, over), std::vector<double>{0.0});
  EXPECT_TRUE(spike_times(sim, just_below).empty());
  for (node_id n : {at, over})
    expect_samples_near(
        samples_of(sim, n),
        [](real t) { return t < 2 ? real{-72} : -70 - 2 * std::exp(-(t - 2) / 10); }, 1e-12);
}

TEST(simultaneous_inputs, are_all_applied_before_the_threshold_test) {
  network net;
  const receptor_id exc = net.add_receptor(jump_receptor(effect::excitatory));
  const receptor_id inh = net.add_receptor(jump_receptor(effect::inhibitory));
  // The inhibitory source comes first in node order, and one arrival is made of 0.5 + 0.5.
  const node_id s_inh = add_source(net, {0.0});
  const node_id s_exc = add_source(net, {0.0});
  const node_id s_inh_late = add_source(net, {0.5});
  const node_id exc_first = add_neuron(net, lif());
  const node_id inh_first = add_neuron(net, lif());
  const node_id sum_crosses = add_neuron(net, lif());
  const node_id exc_alone = add_neuron(net, lif());

  // 20 mV alone would cross (theta 15); 20 - 10 does not, 20 - 3 does.
  net.connect(s_exc, exc_first, synapse(exc, 20.0, weight_unit::mV, 1.0));
  net.connect(s_inh, exc_first, synapse(inh, 10.0, weight_unit::mV, 1.0));
  net.connect(s_inh_late, inh_first, synapse(inh, 10.0, weight_unit::mV, 0.5));
  net.connect(s_exc, inh_first, synapse(exc, 20.0, weight_unit::mV, 1.0));
  net.connect(s_exc, sum_crosses, synapse(exc, 20.0, weight_unit::mV, 1.0));
  net.connect(s_inh, sum_crosses, synapse(inh, 3.0, weight_unit::mV, 1.0));
  net.connect(s_exc, exc_alone, synapse(exc, 20.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(1.0);

  EXPECT_TRUE(spike_times(sim, exc_first).empty());
  EXPECT_TRUE(spike_times(sim, inh_first).empty());
  EXPECT_NEAR(sim.v(exc_first), -60.0, 1e-12);
  EXPECT_NEAR(sim.v(inh_first), -60.0, 1e-12);
  EXPECT_EQ(spike_times(sim, sum_crosses), std::vector<double>{1.0});
  EXPECT_EQ(spike_times(sim, exc_alone), std::vector<double>{1.0});
}

}  // namespace
}  // namespace syn::test
