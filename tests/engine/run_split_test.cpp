// Splitting a run into several calls, however awkwardly, and simulating twice must give
// bit-identical spikes and samples: the engine's state may not depend on where runs end.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "test_networks.hpp"

namespace syn::test {
namespace {

constexpr double total = 200.0;   // ms
constexpr double interval = 0.3;  // ms; 200 is not a multiple, so no sample sits on the end
constexpr std::uint64_t seed = 20240607;

// 50 neurons of three models (refractoriness, reset below rest, bias, dendritic attenuation),
// 20 Poisson sources, every receptor kind and weight unit, some delays on a dyadic grid so that
// deliveries coincide with each other and with run boundaries.
network random_network(std::uint64_t rng_seed) {
  std::mt19937_64 rng(rng_seed);
  const auto uniform = [&](double a, double b) {
    return std::uniform_real_distribution<double>(a, b)(rng);
  };
  network net;

  neuron_params regular = lif();
  regular.refractory = 2.0;
  regular.reset = -72.0;
  regular.length_constant = 300.0;
  neuron_params fast = lif();
  fast.tau_m = 5.0;
  fast.refractory = 1.0;
  fast.bias = 200.0;  // u_inf = 4 mV
  neuron_params driven = lif();
  driven.rest = -65.0;
  driven.threshold = -50.0;
  driven.tau_m = 20.0;
  driven.bias = 150.0;  // u_inf = 12 mV: fires only with input
  const model_id models[] = {net.add_model(regular), net.add_model(fast), net.add_model(driven)};

  receptor_params ampa = current_receptor(0.2, 2.0, effect::from_reversal);
  ampa.reversal = 0.0;
  receptor_params gaba = current_receptor(0.0, 8.0, effect::from_reversal);
  gaba.reversal = -80.0;
  receptor_params slow = current_receptor(3.0, 3.0);
  receptor_params membrane_matched = current_receptor(0.0, 10.0);  // == tau_m of `regular`
  const receptor_id jump_e = net.add_receptor(jump_receptor(effect::excitatory));
  const receptor_id jump_i = net.add_receptor(jump_receptor(effect::inhibitory));
  const receptor_id r_ampa = net.add_receptor(ampa);
  const receptor_id r_gaba = net.add_receptor(gaba);
  const receptor_id r_slow = net.add_receptor(slow);
  const receptor_id r_matched = net.add_receptor(membrane_matched);

  std::vector<node_id> neurons;
  for (int p = 0; p < 3; ++p) {
    const population pop = net.add_neurons(fmt::format("pop{}", p), models[p], p == 0 ? 30 : 10);
    for (std::uint32_t i = 0; i < pop.size; ++i) neurons.push_back(pop[i]);
  }
  for (node_id n : neurons) net.set_v0(n, net.model_of(n).rest + uniform(0.0, 14.0));

  std::vector<std::vector<double>> trains(20);
  for (auto& train : trains) {
    for (double t = std::exponential_distribution<double>(0.03)(rng); t < total;
         t += std::exponential_distribution<double>(0.03)(rng))
      train.push_back(t);
    train.push_back(std::round(uniform(0.0, total) * 4.0) / 4.0);  // on the 0.25 ms grid
  }
  const population sources = net.add_sources("bg", trains);

  for (node_id post : neurons) {
    for (int k = 0; k < 10; ++k) {
      const bool from_source = k < 4;
      const node_id pre = from_source
                              ? sources[static_cast<std::uint32_t>(uniform(0, sources.size))]
                              : neurons[static_cast<std::size_t>(uniform(0, neurons.size()))];
      const double delay =
          k % 2 == 0 ? 0.25 * (1 + static_cast<int>(uniform(0, 8))) : uniform(0.1, 3.0);
      const double distance = uniform(0.0, 200.0);
      switch (static_cast<int>(uniform(0, 6))) {
        case 0:
          net.connect(pre, post, synapse(jump_e, uniform(2.0, 6.0), weight_unit::mV, delay));
          break;
        case 1:
          net.connect(pre, post, synapse(jump_i, uniform(1.0, 4.0), weight_unit::mV, delay));
          break;
        case 2:
          net.connect(pre, post,
                      synapse(r_ampa, uniform(2.0, 10.0), weight_unit::nS, delay, distance));
          break;
        case 3:
          net.connect(pre, post, synapse(r_gaba, uniform(0.5, 3.0), weight_unit::mV, delay));
          break;
        case 4:
          net.connect(pre, post, synapse(r_slow, uniform(100.0, 400.0), weight_unit::pA, delay));
          break;
        default:
          net.connect(pre, post,
                      synapse(r_matched, uniform(2.0, 8.0), weight_unit::mV, delay, distance));
          break;
      }
    }
  }
  return net;
}

struct outcome {
  std::vector<spike> spikes;
  std::vector<sample> samples;
};

std::vector<node_id> neurons_of(const network& net) {
  std::vector<node_id> neurons;
  for (node_id n = 0; n < net.node_count(); ++n)
    if (net.is_neuron(n)) neurons.push_back(n);
  return neurons;
}

// Runs to `total` in pieces of `piece` ms (the last one whatever remains), ending at each of
// `stops` on the way.
outcome simulate(const network& net, double piece, const std::vector<double>& stops = {}) {
  simulator sim(net);
  sim.record_v(neurons_of(net), interval);
  for (double stop : stops) sim.run(stop - sim.time());
  while (sim.time() + piece < total) sim.run(piece);
  sim.run(total - sim.time());
  return {sim.spikes(), sim.samples()};
}

class run_split : public ::testing::Test {
 protected:
  void SetUp() override {
    whole_ = simulate(net_, total);
    std::size_t neuron_spikes = 0;
    for (const spike& s : whole_.spikes) neuron_spikes += net_.is_neuron(s.node);
    // Enough recurrent activity for run boundaries to fall between causally linked events.
    ASSERT_GT(neuron_spikes, 200u);
  }
  void expect_same_as_whole(const outcome& split) {
    EXPECT_TRUE(same_records(whole_.spikes, split.spikes));
    EXPECT_TRUE(same_records(whole_.samples, split.samples));
  }

  const network net_ = random_network(seed);
  outcome whole_;
};

TEST_F(run_split, two_runs) { expect_same_as_whole(simulate(net_, total, {73.1})); }

TEST_F(run_split, thousand_short_runs) { expect_same_as_whole(simulate(net_, total / 1000)); }

TEST_F(run_split, runs_of_an_awkward_length) { expect_same_as_whole(simulate(net_, 0.37)); }

// Ends on the dyadic grid where deliveries coincide, and on the sampling grid.
TEST_F(run_split, runs_ending_on_delivery_and_sample_times) {
  expect_same_as_whole(simulate(net_, 0.25));
  expect_same_as_whole(simulate(net_, interval));
}

TEST_F(run_split, runs_ending_exactly_at_spike_times) {
  std::vector<double> stops;
  for (const spike& s : whole_.spikes)
    if (net_.is_neuron(s.node) && (stops.empty() || s.time > stops.back())) stops.push_back(s.time);
  stops.resize(std::min<std::size_t>(stops.size(), 50));
  expect_same_as_whole(simulate(net_, total, stops));
}

// Runs of 0.7 and 0.1 ms end at 0.7999999999999999 in binary: the sample at 0.8 ms (on the
// decimal grid) is the end up to rounding, and is taken; the next, 0.9 ms, is not.
TEST(run_ends, a_sample_at_the_end_of_runs_summed_in_binary_is_taken) {
  network net;
  const node_id n = add_neuron(net, lif());
  simulator sim(net);
  sim.record_v({n}, 0.1);
  sim.run(0.7);
  sim.run(0.1);
  ASSERT_LT(sim.time(), 0.8);
  const auto samples = samples_of(sim, n);
  ASSERT_EQ(samples.size(), 9u);
  EXPECT_EQ(samples.back().time, 0.8);
}

TEST_F(run_split, two_simulators_of_the_same_network_agree) {
  expect_same_as_whole(simulate(net_, total));
  expect_same_as_whole(simulate(random_network(seed), total));
}

}  // namespace
}  // namespace syn::test
