// Synapses with delays of their own (distributed delays) are stored one by one, their delay a
// float value (synapse_store's singles): each spike still arrives exactly a delay after it was
// sent, in 16 bytes a synapse at most, and runs split anywhere agree with whole ones.

#include <gtest/gtest.h>

#include "test_networks.hpp"

namespace syn::test {
namespace {

// Float values, all different: each synapse is a single.
constexpr double delays[] = {0.75, 1.25, 1.5, 2.375, 3.0625};

TEST(single_delays, each_spike_arrives_its_own_delay_after_it_was_sent) {
  network net;
  const receptor_id jump = net.add_receptor(jump_receptor());
  const population cells = net.add_neurons("n", net.add_model(lif()), 5);
  const node_id s = add_source(net, {2.0});
  for (std::uint32_t i = 0; i < cells.size; ++i)
    net.connect(s, cells[i], synapse(jump, 20.0 + i, weight_unit::mV, delays[i]));
  simulator sim(net);
  sim.run(2.8);
  // In flight: one delivery a synapse, with its delay.
  const std::vector<pending_event> pending = sim.pending_events(10);
  ASSERT_EQ(pending.size(), 4u);
  for (std::size_t k = 0; k < pending.size(); ++k) {
    EXPECT_EQ(pending[k].what, pending_event::kind::delivery);
    EXPECT_EQ(pending[k].targets, 1u);
    EXPECT_EQ(pending[k].delay, delays[k + 1]);
    EXPECT_EQ(pending[k].time, 2.0 + delays[k + 1]);
  }
  sim.run(10.0);
  for (std::uint32_t i = 0; i < cells.size; ++i) {
    const auto times = spike_times(sim, cells[i]);
    ASSERT_EQ(times.size(), 1u) << "neuron " << i;
    EXPECT_EQ(times[0], 2.0 + delays[i]) << "neuron " << i;
  }
}

TEST(single_delays, a_delay_of_its_own_that_is_no_float_stays_exact) {
  network net;
  const receptor_id jump = net.add_receptor(jump_receptor());
  const node_id n = add_neuron(net, lif());
  net.connect(add_source(net, {0.0}), n, synapse(jump, 20.0, weight_unit::mV, 0.1));
  simulator sim(net);
  sim.run(1.0);
  const auto times = spike_times(sim, n);
  ASSERT_EQ(times.size(), 1u);
  EXPECT_EQ(times[0], 0.1);
}

// 4 bytes of target and 4 of delay, 8 more for a weight of its own; each presynaptic node costs
// 8 bytes (where its groups and singles begin), and each segment 40.
TEST(single_delays, take_8_bytes_each_with_one_weight_16_with_their_own) {
  for (const bool own_weights : {false, true}) {
    network net;
    const receptor_id r = net.add_receptor(current_receptor(0, 5));
    const population cells = net.add_neurons("n", net.add_model(lif()), 400);
    const population src = net.add_sources("s", 10, poisson_train{.rate = 0.01, .seed = 1});
    for (std::uint32_t k = 0; k < src.size; ++k)
      for (std::uint32_t i = 0; i < cells.size; ++i)
        net.connect(
            src[k], cells[i],
            synapse(r, own_weights ? 1.0 + 0.001 * i : 2.0, weight_unit::mV, 1.0 + 0.0078125 * i));
    simulator sim(net);
    const double per_synapse =
        static_cast<double>(sim.synapse_bytes()) / static_cast<double>(sim.synapse_count());
    EXPECT_LE(per_synapse, own_weights ? 17.0 : 9.0) << "own weights: " << own_weights;
  }
}

TEST(single_delays, runs_split_anywhere_agree_with_one_run) {
  const auto build = [](network& net) {
    neuron_params p = lif();
    p.bias = 360.0;  // u_inf 14.4 mV: a little input makes it fire
    p.refractory = 2.0;
    const population cells = net.add_neurons("n", net.add_model(p), 30);
    const receptor_id e = net.add_receptor(current_receptor(0, 5));
    const receptor_id i = net.add_receptor(current_receptor(0, 10, effect::inhibitory));
    const population src = net.add_sources("p", 10, poisson_train{.rate = 0.05, .seed = 3});
    for (std::uint32_t k = 0; k < src.size; ++k)
      for (std::uint32_t j = 0; j < cells.size; ++j) {
        // Delays of their own, float values: 1 + (k * 31 + j * 17) mod 64 / 32 ms.
        const double delay = 1.0 + static_cast<double>((k * 31 + j * 17) % 64) / 32.0;
        net.connect(src[k], cells[j],
                    synapse(k % 3 ? e : i, 1.0 + 0.25 * (j % 4), weight_unit::mV, delay));
      }
    for (std::uint32_t j = 0; j < cells.size; ++j)
      net.connect(cells[j], cells[(j + 7) % cells.size],
                  synapse(e, 1.5, weight_unit::mV, 0.5 + 0.125 * (j % 5)));
  };
  network whole_net, split_net;
  build(whole_net);
  build(split_net);
  simulator whole(whole_net), split(split_net);
  whole.run(500.0);
  for (int k = 1; k <= 137; ++k) split.run_until(500.0 * k / 137);
  ASSERT_GT(whole.spikes().size(), 100u);
  expect_same_spikes(whole, split);
}

}  // namespace
}  // namespace syn::test
