// Projections (network::project): synapses a rule makes again whenever the simulator builds its
// store, in two passes. A network whose synapses come from projections must simulate exactly as
// the same synapses added one by one with connect() do, bit for bit, on any number of threads:
// drawn and shared weights, constant delays and delays of their own, several projections and
// connect() calls feeding one delay group out of order, multapses, and projections that take
// effect later.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <bit>
#include <memory>
#include <random>
#include <vector>

#include "conductance_closed_forms.hpp"
#include "network_synapses.hpp"
#include "syn/engine/model_error.hpp"
#include "test_networks.hpp"

namespace syn::test {
namespace {

struct listed {
  node_id pre, post;
  double weight, delay;
};

// A rule that makes the synapses of a list, in its order.
class list_rule : public synapse_rule {
 public:
  explicit list_rule(std::vector<listed> synapses) : synapses_(std::move(synapses)) {}
  void make(const wanted& onto, const made& each) const override {
    for (const listed& s : synapses_)
      if (onto(s.post)) each(s.pre, s.post, s.weight, s.delay);
  }

 private:
  std::vector<listed> synapses_;
};

// One batch of synapses onto one population through one receptor: a projection, or the same
// connected one by one.
struct batch {
  std::uint32_t population;
  receptor_id receptor;
  weight_unit unit;
  bool drawn_weights, own_delay;
  double weight, delay, since;
  std::vector<listed> synapses;
};

struct plan {
  std::vector<neuron_params> models;
  std::vector<receptor_params> receptors;
  std::vector<std::uint32_t> sizes;  // of the neuron populations, each its own model
  std::vector<batch> batches;
  // Which batches become projections (the others are connected one by one).
  std::vector<bool> projected;
};

network build(const plan& p, bool use_projections) {
  network net;
  std::vector<population> pops;
  for (std::size_t i = 0; i < p.sizes.size(); ++i)
    pops.push_back(net.add_neurons(fmt::format("p{}", i), net.add_model(p.models[i]), p.sizes[i]));
  for (const receptor_params& r : p.receptors) net.add_receptor(r);
  const population trains = net.add_sources("t", 4, poisson_train{0.3, 0.0, 200.0, 11, 1, 0});
  for (std::size_t b = 0; b < p.batches.size(); ++b) {
    const batch& x = p.batches[b];
    net.take_effect_at(x.since);
    synapse_params s{x.receptor, x.weight, x.unit, x.delay, 0.0, x.own_delay};
    if (use_projections && p.projected[b]) {
      net.project(0, trains.first + trains.size, pops[x.population].first, pops[x.population].size,
                  s, x.drawn_weights, std::make_shared<list_rule>(x.synapses));
      continue;
    }
    for (const listed& l : x.synapses) {
      if (x.drawn_weights) s.weight = l.weight;
      if (x.own_delay) s.delay = l.delay;
      net.connect(l.pre, l.post, s);
    }
  }
  return net;
}

plan random_plan(std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&](double a, double b) {
    return std::uniform_real_distribution<double>(a, b)(rng);
  };
  const auto pick = [&](std::uint32_t n) {
    return std::uniform_int_distribution<std::uint32_t>(0, n - 1)(rng);
  };
  plan p;
  // Refractory periods bound the recurrent excitation.
  neuron_params current_cell = lif();
  current_cell.bias = 60.0;
  current_cell.refractory = 2.0;
  neuron_params conductance_cell = lif();
  conductance_cell.tau_m = 20.0;
  conductance_cell.bias = 100.0;
  conductance_cell.refractory = 2.0;
  p.models = {current_cell, conductance_cell};
  p.sizes = {7, 5};
  p.receptors = {jump_receptor(), current_receptor(0.5, 3.0),
                 current_receptor(0.0, 8.0, effect::inhibitory),
                 conductance_receptor(0.0, 0.3, 2.0), conductance_receptor(-80.0, 0.0, 6.0)};
  const node_id nodes = 7 + 5 + 4;
  const node_id first_post[] = {0, 7};
  // Few delays, so that batches share delay groups.
  const double delays[] = {0.5, 1.0, 1.5};
  for (int b = 0; b < 14; ++b) {
    batch x;
    x.population = pick(2);
    const bool conductance = x.population == 1;
    x.receptor = conductance ? 3 + pick(2) : pick(3);
    x.unit = conductance ? weight_unit::nS : weight_unit::mV;
    x.drawn_weights = pick(2) == 0;
    x.own_delay = pick(3) == 0;
    x.weight = conductance ? uniform(0.5, 4.0) : uniform(0.5, 3.0);
    x.delay = delays[pick(3)];
    x.since = b < 10 ? 0.0 : 40.0 * (b - 9);
    const std::uint32_t size = p.sizes[x.population];
    const std::uint32_t count = 5 + pick(20);
    for (std::uint32_t k = 0; k < count; ++k) {
      // Posts in no particular order, some pairs twice.
      const listed s{
          pick(nodes), first_post[x.population] + pick(size),
          x.drawn_weights ? x.weight * uniform(0.5, 1.5) : x.weight,
          x.own_delay ? static_cast<double>(static_cast<float>(uniform(0.3, 2.0))) : x.delay};
      x.synapses.push_back(s);
      if (pick(6) == 0) x.synapses.push_back(s);
    }
    p.batches.push_back(std::move(x));
    p.projected.push_back(pick(4) != 0);
  }
  return p;
}

struct result {
  std::vector<spike> spikes;
  std::vector<sample> samples;
};

result simulate(const network& net, std::uint32_t threads) {
  simulator sim(net, threads);
  std::vector<node_id> neurons;
  for (node_id n = 0; n < 12; ++n) neurons.push_back(n);
  sim.record_v(neurons, 0.5);
  sim.run(150.0);
  sim.run(300.0);
  return {sim.spikes(), sim.samples()};
}

void expect_identical(const result& a, const result& b) {
  ASSERT_EQ(a.spikes.size(), b.spikes.size());
  for (std::size_t i = 0; i < a.spikes.size(); ++i) {
    ASSERT_EQ(a.spikes[i].node, b.spikes[i].node) << i;
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a.spikes[i].time),
              std::bit_cast<std::uint64_t>(b.spikes[i].time))
        << i;
  }
  ASSERT_EQ(a.samples.size(), b.samples.size());
  for (std::size_t i = 0; i < a.samples.size(); ++i)
    ASSERT_EQ(std::bit_cast<std::uint64_t>(a.samples[i].v),
              std::bit_cast<std::uint64_t>(b.samples[i].v))
        << i;
}

class projections_random : public ::testing::TestWithParam<std::uint64_t> {};

TEST_P(projections_random, simulate_as_the_same_synapses_connected_one_by_one) {
  const plan p = random_plan(GetParam());
  const network connected = build(p, false), projected = build(p, true);
  ASSERT_FALSE(projected.projections().empty());
  // The same synapses, in the same order, with the same increments.
  const std::vector<connection> a = all_synapses(connected), b = all_synapses(projected);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].pre, b[i].pre) << i;
    EXPECT_EQ(a[i].post, b[i].post) << i;
    EXPECT_EQ(std::bit_cast<std::uint64_t>(a[i].increment),
              std::bit_cast<std::uint64_t>(b[i].increment))
        << i;
    EXPECT_EQ(a[i].delay, b[i].delay) << i;
  }
  const result one = simulate(connected, 1);
  EXPECT_GT(std::count_if(one.spikes.begin(), one.spikes.end(),
                          [](const spike& s) { return s.node < 12; }),
            20);
  for (const std::uint32_t threads : {1u, 3u}) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    expect_identical(one, simulate(projected, threads));
  }
  const simulator sim(projected);
  EXPECT_EQ(sim.synapse_count(), a.size());
}

INSTANTIATE_TEST_SUITE_P(seeds, projections_random, ::testing::Values(1, 2, 3, 4, 5, 6));

// --- What project() checks ------------------------------------------------------------------

struct small_network {
  network net;
  population cells, trains;
  receptor_id ampa;
  small_network() {
    neuron_params p = lif();
    cells = net.add_neurons("cells", net.add_model(p), 3);
    trains = net.add_sources("t", {{1.0}});
    ampa = net.add_receptor(conductance_receptor(0.0, 0.3, 2.0));
  }
};

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const model_error& e) {
    return e.what();
  }
  return "";
}

TEST(projections, refuse_posts_beyond_one_population_and_onto_sources) {
  small_network s;
  const auto rule = std::make_shared<list_rule>(std::vector<listed>{});
  const synapse_params syn{s.ampa, 1.0, weight_unit::nS, 1.0};
  EXPECT_EQ(error_of([&] { s.net.project(0, 4, 1, 3, syn, false, rule); }),
            "network: a projection onto nodes 1 to 3 reaches beyond population cells");
  EXPECT_EQ(error_of([&] { s.net.project(0, 4, 3, 1, syn, false, rule); }),
            "synapse: node 3 is a spike source; sources cannot receive synapses");
  EXPECT_EQ(error_of([&] { s.net.project(2, 3, 0, 3, syn, false, rule); }),
            "network: unknown node 4");
  EXPECT_TRUE(s.net.projections().empty());
}

TEST(projections, check_each_drawn_conductance_and_a_shared_weight_once) {
  small_network s;
  // 250 pF and a time constant of at least 0.001 ms allow at most 250,000 nS.
  const auto rule = std::make_shared<list_rule>(
      std::vector<listed>{{3, 0, 5.0, 1.0}, {3, 1, 300000.0, 1.0}, {3, 2, 5.0, 1.0}});
  const synapse_params syn{s.ampa, 0.0, weight_unit::nS, 1.0};
  EXPECT_EQ(error_of([&] { s.net.project(3, 1, 0, 3, syn, true, rule); }),
            "synapse: a conductance of 300000 nS on 250 pF makes a membrane time constant "
            "shorter than 0.001 ms");
  synapse_params shared = syn;
  shared.weight = -1.0;
  EXPECT_EQ(error_of([&] { s.net.project(3, 1, 0, 3, shared, false, rule); }),
            "synapse: weight (-1 nS) must be a magnitude, zero or positive; the receptor decides "
            "the sign");
  EXPECT_TRUE(s.net.projections().empty());
  shared.weight = 5.0;
  s.net.project(3, 1, 0, 3, shared, false, rule);
  EXPECT_EQ(simulator(s.net).synapse_count(), 3u);
}

TEST(projections, a_delay_of_its_own_must_be_a_float_value) {
  small_network s;
  const auto rule = std::make_shared<list_rule>(std::vector<listed>{{3, 0, 5.0, 0.1}});
  s.net.project(3, 1, 0, 3, {s.ampa, 5.0, weight_unit::nS, 1.0, 0.0, true}, false, rule);
  EXPECT_EQ(error_of([&] { simulator sim(s.net); }),
            "network: a delay of its own (0.1 ms) must be a float value");
}

}  // namespace
}  // namespace syn::test
