// A network that grows (network::take_effect_at): neurons added later start then from their v0,
// sources fire from then on, connections carry only spikes emitted from then on. References are
// closed forms and the same trains generated without a start.

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "test_networks.hpp"

namespace syn::test {
namespace {

TEST(growth, a_neuron_added_later_starts_from_its_v0_then_and_decays_to_rest) {
  network net;
  neuron_params p = lif();
  p.v0 = -60.0;
  add_neuron(net, lif());
  net.take_effect_at(15.0);
  const node_id late = add_neuron(net, p);
  simulator sim(net);
  sim.run(15.0);
  sim.record_v({late}, 1.0);
  sim.run(10.0);
  const std::vector<sample> v = samples_of(sim, late);
  ASSERT_EQ(v.size(), 11u);
  for (const sample& s : v) {
    const real expected = -70.0L + 10.0L * std::exp(-(static_cast<real>(s.time) - 15.0L) / 10.0L);
    EXPECT_NEAR(s.v, static_cast<double>(expected), 1e-12) << "at " << s.time << " ms";
  }
  EXPECT_EQ(v.front().v, -60.0);  // exactly v0 at its start
}

TEST(growth, a_neuron_added_later_ignores_nothing_it_could_receive_and_fires_on_arrival) {
  network net;
  const receptor_id jump = net.add_receptor(jump_receptor());
  const node_id stim = add_source(net, {5.0, 20.0});
  net.take_effect_at(15.0);
  const node_id late = add_neuron(net, lif());
  net.connect(stim, late, synapse(jump, 20.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(30.0);
  // The spike at 5 ms was emitted before the connection took effect.
  EXPECT_EQ(spike_times(sim, late), std::vector<double>{21.0});
}

TEST(growth, a_connection_added_later_carries_only_spikes_emitted_from_then_on) {
  network net;
  const receptor_id jump = net.add_receptor(jump_receptor());
  const node_id stim = add_source(net, {1.0, 9.5, 10.0, 12.0});
  const node_id n = add_neuron(net, lif());
  net.take_effect_at(10.0);
  // A spike emitted at exactly 10 ms counts; one emitted at 9.5 ms and in flight does not.
  net.connect(stim, n, synapse(jump, 20.0, weight_unit::mV, 2.0));
  simulator sim(net);
  sim.run(20.0);
  EXPECT_EQ(spike_times(sim, n), (std::vector<double>{12.0, 14.0}));
}

TEST(growth, connections_taking_effect_at_0_change_nothing) {
  const auto build = [](bool explicit_zero) {
    network net;
    const receptor_id r = net.add_receptor(current_receptor(0.5, 3.0));
    const node_id s = net.add_sources("s", 3, poisson_train{0.2, 0.0, 1e9, 7, 1, 0}).first;
    const node_id n = net.add_neurons("n", net.add_model(lif()), 4).first;
    if (explicit_zero) {
      net.take_effect_at(3.0);  // then back: what counts is the time when connecting
      net.take_effect_at(0.0);
    }
    for (node_id i = 0; i < 3; ++i)
      for (node_id j = 0; j < 4; ++j)
        net.connect(s + i, n + j, synapse(r, 6.0, weight_unit::mV, 1.0));
    return net;
  };
  simulator a(build(false)), b(build(true));
  a.run(500.0);
  b.run(500.0);
  ASSERT_GT(a.spikes().size(), 10u);
  ASSERT_EQ(a.spikes().size(), b.spikes().size());
  for (std::size_t i = 0; i < a.spikes().size(); ++i) {
    EXPECT_EQ(a.spikes()[i].time, b.spikes()[i].time);
    EXPECT_EQ(a.spikes()[i].node, b.spikes()[i].node);
  }
}

TEST(growth, trains_added_later_skip_their_earlier_spikes_and_keep_their_grid) {
  network net;
  const node_id times_now = add_source(net, {1.0, 16.0, 17.5});
  const node_id regular_now = net.add_sources("r", 1, regular_train{0.3, 0.7, 100.0}).first;
  net.take_effect_at(16.0);
  const node_id times_late = add_source(net, {1.0, 16.0, 17.5});
  const node_id regular_late = net.add_sources("r", 1, regular_train{0.3, 0.7, 100.0}).first;
  const node_id poisson_late =
      net.add_sources("p", 1, poisson_train{0.5, 2.0, 100.0, 3, 1, 0}).first;
  simulator sim(net);
  sim.run(100.0);
  const auto from_16 = [&](node_id source) {
    std::vector<double> kept;
    for (const double t : spike_times(sim, source))
      if (t >= 16.0) kept.push_back(t);
    return kept;
  };
  EXPECT_EQ(spike_times(sim, times_late), (std::vector<double>{16.0, 17.5}));
  // The same products start + k interval as the train that started at 0.
  EXPECT_EQ(spike_times(sim, regular_late), from_16(regular_now));
  EXPECT_EQ(spike_times(sim, times_late), from_16(times_now));
  const std::vector<double> poisson = spike_times(sim, poisson_late);
  ASSERT_FALSE(poisson.empty());
  EXPECT_GE(poisson.front(), 16.0);
}

TEST(growth, an_effect_time_must_be_finite_and_not_negative) {
  network net;
  EXPECT_THROW(net.take_effect_at(-1.0), model_error);
  EXPECT_THROW(net.take_effect_at(std::nan("")), model_error);
  EXPECT_THROW(net.take_effect_at(INFINITY), model_error);
}

}  // namespace
}  // namespace syn::test
