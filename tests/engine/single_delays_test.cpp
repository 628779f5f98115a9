// Synapses with delays of their own (distributed delays) are stored one by one, their delay a
// float value (synapse_store's singles): each spike still arrives exactly a delay after it was
// sent, in 16 bytes a synapse at most, and runs split anywhere agree with whole ones. They wait
// in a calendar of buckets (scheduling/single_calendar.hpp), or in the heap where it cannot take
// them: neither rounds an arrival.

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <tuple>
#include <vector>

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
    net.connect(s, cells[i], with_own_delay(synapse(jump, 20.0 + i, weight_unit::mV, delays[i])));
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
        net.connect(src[k], cells[i],
                    with_own_delay(synapse(r, own_weights ? 1.0 + 0.001 * i : 2.0, weight_unit::mV,
                                           1.0 + 0.0078125 * i)));
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
        net.connect(
            src[k], cells[j],
            with_own_delay(synapse(k % 3 ? e : i, 1.0 + 0.25 * (j % 4), weight_unit::mV, delay)));
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

// Sources firing on a grid of 1/4 ms, each to targets of its own through synapses with delays
// of their own (half from a list, each once a source, so that arrivals of different sources
// meet), half of
// them added when the network grows at 40 ms: a jump of 20 mV onto a neuron at rest 15 mV below
// threshold fires it, so each target fires at each arrival, exactly, and nothing else. With a delay
// of 2^-10 ms beside 100 ms the calendar's buckets are wider than the short delay, whose arrivals
// then wait in the heap.
class single_delays_network {
 public:
  explicit single_delays_network(std::vector<double> listed) {
    std::mt19937_64 rng(11);
    std::uniform_int_distribution<int> step(4, 40);
    std::uniform_real_distribution<double> drawn(0.5, 4.0);
    const receptor_id jump = net.add_receptor(jump_receptor());
    const model_id model = net.add_model(lif());
    std::vector<std::vector<double>> trains(sources);
    for (std::vector<double>& train : trains)
      for (double t = 0.25 * step(rng); t < 150.0; t += 0.25 * step(rng)) train.push_back(t);
    const population src = net.add_sources("s", trains);
    const population cells = net.add_neurons("n", model, sources * per_source);
    const auto connect = [&](std::uint32_t k, std::uint32_t j, double since) {
      // Half the delays from the list, half drawn (float values, as the language draws them).
      const double d = j % 2 ? listed[(j / 2 + k) % listed.size()] : static_cast<float>(drawn(rng));
      const node_id target = cells[k * per_source + j];
      synapse_params s = synapse(jump, 20.0, weight_unit::mV, d);
      s.own_delay = j % 2 == 0;
      net.connect(src[k], target, s);
      for (const double t : trains[k])
        if (t >= since) expected.push_back({t + d, target, src[k], d, t});
    };
    for (std::uint32_t k = 0; k < sources; ++k)
      for (std::uint32_t j = 0; j < per_source / 2; ++j) connect(k, j, 0.0);
    net.take_effect_at(grown_at);
    for (std::uint32_t k = 0; k < sources; ++k)
      for (std::uint32_t j = per_source / 2; j < per_source; ++j) connect(k, j, grown_at);
    std::sort(expected.begin(), expected.end());
  }

  // Runs to `end` in steps, checking at each step the deliveries in flight against `expected`;
  // then the spikes.
  void expect_exact_arrivals(std::uint32_t threads, int steps, double end) const {
    simulator sim(net, threads);
    for (int k = 1; k <= steps; ++k) {
      sim.run_until(end * k / steps);
      const double now = sim.time();
      std::vector<std::tuple<double, node_id, double>> flying, due;
      // A source's synapses of one delay share a delay group; the others are singles.
      for (const pending_event& e : sim.pending_events(1u << 20))
        if (e.what == pending_event::kind::delivery)
          flying.insert(flying.end(), e.targets, {e.time, e.node, e.delay});
      for (const arrival& a : expected)
        if (a.sent <= now && a.time > now) due.emplace_back(a.time, a.source, a.delay);
      std::sort(flying.begin(), flying.end());
      std::sort(due.begin(), due.end());
      EXPECT_EQ(flying, due) << "at " << now << " ms, threads " << threads;
    }
    std::vector<std::pair<double, node_id>> fired, arrived;
    for (const spike& s : sim.spikes())
      if (s.node >= net.populations()[1].first) fired.emplace_back(s.time, s.node);
    for (const arrival& a : expected)
      if (a.time <= end) arrived.emplace_back(a.time, a.target);
    std::sort(fired.begin(), fired.end());
    std::sort(arrived.begin(), arrived.end());
    ASSERT_GT(arrived.size(), 2000u);
    EXPECT_EQ(fired, arrived) << "threads " << threads;
  }

 private:
  static constexpr std::uint32_t sources = 8, per_source = 40;
  static constexpr double grown_at = 40.0;
  struct arrival {
    double time;
    node_id target, source;
    double delay, sent;
    bool operator<(const arrival& o) const {
      return std::tie(time, target, source) < std::tie(o.time, o.target, o.source);
    }
  };
  network net;
  std::vector<arrival> expected;
};

TEST(single_delays, arrive_exactly_in_runs_split_anywhere_and_on_any_number_of_threads) {
  std::vector<double> listed;
  for (int k = 1; k <= 20; ++k) listed.push_back(0.25 * k);
  const single_delays_network net(listed);
  for (const std::uint32_t threads : {1u, 3u}) net.expect_exact_arrivals(threads, 37, 200.0);
}

TEST(single_delays, shorter_than_the_calendars_buckets_arrive_exactly_too) {
  std::vector<double> listed{0x1p-10, 100.0};
  for (int k = 1; k <= 18; ++k) listed.push_back(0.25 * k);
  const single_delays_network net(listed);
  for (const std::uint32_t threads : {1u, 2u}) net.expect_exact_arrivals(threads, 23, 300.0);
}

// Many synapses of their own delays onto each neuron (all different from one source), with currents
// whose sums depend on the order in which same-time inputs are added, and delays spanning more than
// the calendar's ring can reach with buckets narrower than the shortest: the spikes of split runs
// and of 2 and 3 threads are those of one run on one thread, bit for bit.
TEST(single_delays, runs_with_short_and_long_delays_agree_whatever_the_split_and_threads) {
  const auto build = [](network& net) {
    neuron_params p = lif();
    p.bias = 360.0;
    p.refractory = 2.0;
    const population cells = net.add_neurons("n", net.add_model(p), 40);
    const receptor_id e = net.add_receptor(current_receptor(0, 5));
    const receptor_id i = net.add_receptor(current_receptor(0, 10, effect::inhibitory));
    const population src = net.add_sources("p", 10, poisson_train{.rate = 0.05, .seed = 5});
    const double choices[] = {0x1p-10, 0.25, 0.5, 0.75, 1.0, 100.0};
    for (std::uint32_t k = 0; k < src.size; ++k)
      for (std::uint32_t j = 0; j < cells.size; ++j)
        net.connect(src[k], cells[j],
                    with_own_delay(synapse(k % 3 ? e : i, 1.0 + 0.25 * (j % 4), weight_unit::mV,
                                           choices[(k * 7 + j) % 6] + 0x1p-8 * (j / 6))));
    for (std::uint32_t j = 0; j < cells.size; ++j)
      for (std::uint32_t m = 1; m <= 3; ++m)
        net.connect(cells[j], cells[(j + 7 * m) % cells.size],
                    synapse(e, 1.0, weight_unit::mV, choices[(j + m) % 6]));
  };
  network whole_net;
  build(whole_net);
  simulator whole(whole_net);
  whole.run(250.0);
  ASSERT_GT(whole.spikes().size(), 300u);
  for (const std::uint32_t threads : {1u, 2u, 3u}) {
    network split_net;
    build(split_net);
    simulator split(split_net, threads);
    for (int k = 1; k <= 61; ++k) split.run_until(250.0 * k / 61);
    expect_same_spikes(whole, split);
  }
}

}  // namespace
}  // namespace syn::test
