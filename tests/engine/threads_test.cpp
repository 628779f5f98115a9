// A network split over threads (simulator(net, threads)) gives the same spikes and samples, bit
// for bit, as on one: each network here is simulated on 1 thread and on 2, 3, 4 and 7 (more
// parts than some populations have neurons), and every record compared by its bits. The networks
// are small and random: every kind of cell and kernel, refractory periods hit by inputs, explicit,
// regular and Poisson sources, constant and drawn delays, growth between runs, runs split anywhere.

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <functional>
#include <random>
#include <span>
#include <string>
#include <vector>

#include "conductance_closed_forms.hpp"
#include "syn/engine/record_sink.hpp"
#include "syn/engine/run_error.hpp"
#include "test_networks.hpp"

namespace syn::test {
namespace {

constexpr std::array<std::uint32_t, 4> split_counts{2, 3, 4, 7};

// --- Bit equality ---------------------------------------------------------------------------

std::uint64_t bits(double x) { return std::bit_cast<std::uint64_t>(x); }

bool same_bits(const spike& a, const spike& b) {
  return bits(a.time) == bits(b.time) && a.node == b.node;
}
bool same_bits(const sample& a, const sample& b) {
  return bits(a.time) == bits(b.time) && a.node == b.node && bits(a.v) == bits(b.v);
}
bool same_bits(double a, double b) { return bits(a) == bits(b); }
std::string shown(const spike& s) { return describe(s); }
std::string shown(const sample& s) { return describe(s); }
std::string shown(double x) { return fmt::format("{}", x); }
bool same_bits(const pending_event& a, const pending_event& b) {
  return a.what == b.what && bits(a.time) == bits(b.time) && a.node == b.node &&
         a.targets == b.targets && bits(a.delay) == bits(b.delay);
}
std::string shown(const pending_event& e) {
  return fmt::format("event(kind {}, t={}, node={}, targets={}, delay={})",
                     static_cast<int>(e.what), e.time, e.node, e.targets, e.delay);
}

// The records of two runs, the same to the last bit (-0 is not 0), reported at the first
// difference.
template <class Record>
::testing::AssertionResult identical(const std::vector<Record>& a, const std::vector<Record>& b) {
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i)
    if (!same_bits(a[i], b[i]))
      return ::testing::AssertionFailure()
             << fmt::format("record {} differs: {} vs {}", i, shown(a[i]), shown(b[i]));
  if (a.size() != b.size())
    return ::testing::AssertionFailure() << fmt::format("{} vs {} records", a.size(), b.size());
  return ::testing::AssertionSuccess();
}

// --- Running one network on several thread counts -------------------------------------------

// What a run produced, and what was read from the simulator between its runs.
struct outcome {
  std::vector<spike> spikes;
  std::vector<sample> samples;
  std::vector<double> probes;  // v(), v_at() and the like
  std::string error;           // a run_error's message
};

using script = std::function<void(simulator&, outcome&)>;

outcome simulate(const network& net, std::uint32_t threads, const script& run) {
  simulator sim(net, threads);
  EXPECT_EQ(sim.threads(), threads);
  outcome out;
  try {
    run(sim, out);
  } catch (const run_error& e) {
    out.error = fmt::format("{} ({}, node {}, {}, {})", e.what(), static_cast<int>(e.why()),
                            e.node(), e.first(), e.second());
  }
  out.spikes = sim.spikes();
  out.samples = sim.samples();
  return out;
}

// The outcome on one thread, after checking that every split gives the same.
outcome expect_same_on_threads(const network& net, const script& run,
                               std::span<const std::uint32_t> counts = split_counts) {
  outcome one = simulate(net, 1, run);
  for (const std::uint32_t threads : counts) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    const outcome split = simulate(net, threads, run);
    EXPECT_TRUE(identical(one.spikes, split.spikes)) << "spikes";
    EXPECT_TRUE(identical(one.samples, split.samples)) << "samples";
    EXPECT_TRUE(identical(one.probes, split.probes)) << "probes";
    EXPECT_EQ(one.error, split.error);
  }
  return one;
}

std::vector<node_id> neurons_of(const network& net) {
  std::vector<node_id> neurons;
  for (node_id n = 0; n < net.node_count(); ++n)
    if (net.is_neuron(n)) neurons.push_back(n);
  return neurons;
}

std::uint64_t neuron_spikes(const outcome& o, const network& net) {
  return static_cast<std::uint64_t>(std::count_if(
      o.spikes.begin(), o.spikes.end(), [&](const spike& s) { return net.is_neuron(s.node); }));
}

std::vector<double> spike_times_of(const outcome& o, node_id node) {
  std::vector<double> times;
  for (const spike& s : o.spikes)
    if (s.node == node) times.push_back(s.time);
  return times;
}

// --- Random networks ------------------------------------------------------------------------

// What the networks' synapses are made of.
enum class family {
  currents,      // jumps and currents: single-exponential, rise/decay, alpha, decay == tau_m
  conductances,  // nS weights through reversal potentials, with some jumps
  mg_block,      // NMDA's magnesium block beside AMPA
  mixed,         // all of them, onto models of both kinds
};

std::string family_name(family f) {
  switch (f) {
    case family::currents:
      return "currents";
    case family::conductances:
      return "conductances";
    case family::mg_block:
      return "mg_block";
    case family::mixed:
      break;
  }
  return "mixed";
}

constexpr double total = 60.0;  // ms

// One way a synapse may be made: a receptor and a range of weights in one unit.
struct synapse_kind {
  receptor_id receptor;
  weight_unit unit;
  double low, high;
};

// Three populations of 1 to 6 neurons of two or three models (refractory or not, reset below
// rest, bias), explicit sources spiking together on a 0.5 ms grid, two regular trains in step
// and Poisson sources; each neuron takes 3 to 6 inputs from sources or neurons, with constant
// delays (dyadic ones, so that arrivals coincide, and others) or delays of their own drawn as
// floats, as the language draws them.
network random_network(std::uint64_t seed, family f) {
  std::mt19937_64 rng(seed);
  const auto uniform = [&](double a, double b) {
    return std::uniform_real_distribution<double>(a, b)(rng);
  };
  const auto pick = [&](std::size_t n) {
    return std::uniform_int_distribution<std::size_t>(0, n - 1)(rng);
  };
  network net;

  std::vector<model_id> models;
  for (int m = 0; m < 3; ++m) {
    neuron_params p = lif();
    p.tau_m = std::array{10.0, 5.0, 20.0}[pick(3)];
    p.refractory = std::array{0.0, 0.5, 2.0}[pick(3)];
    p.reset = p.rest - uniform(0.0, 5.0);
    p.bias = uniform(0.0, 120.0);  // up to u_inf = 9.6 mV at tau_m = 20 ms: fires with input
    models.push_back(net.add_model(p));
  }

  std::vector<synapse_kind> currents, conductances;
  const auto add = [&](std::vector<synapse_kind>& to, const receptor_params& r, weight_unit unit,
                       double low, double high) {
    to.push_back({net.add_receptor(r), unit, low, high});
  };
  add(currents, jump_receptor(), weight_unit::mV, 3.0, 9.0);
  add(currents, jump_receptor(effect::inhibitory), weight_unit::mV, 1.0, 4.0);
  add(currents, current_receptor(0.0, 3.0), weight_unit::pA, 200.0, 700.0);
  add(currents, current_receptor(0.5, 2.0), weight_unit::mV, 2.0, 7.0);
  add(currents, current_receptor(2.0, 2.0), weight_unit::mV, 2.0, 7.0);  // alpha
  add(currents, current_receptor(0.0, 10.0, effect::inhibitory), weight_unit::mV, 0.5, 2.0);
  add(currents, current_receptor(5.0, 10.0), weight_unit::mV, 2.0, 6.0);  // decay == tau_m
  if (f != family::currents) {
    add(conductances, conductance_receptor(0.0, 0.3, 2.0), weight_unit::nS, 3.0, 12.0);
    add(conductances, conductance_receptor(-80.0, 0.0, 6.0), weight_unit::nS, 2.0, 8.0);
    add(conductances, jump_receptor(), weight_unit::mV, 3.0, 9.0);
  }
  if (f == family::mg_block || f == family::mixed) {
    receptor_params nmda = conductance_receptor(0.0, 2.0, 30.0);
    nmda.mg_block = 1.0;
    add(conductances, nmda, weight_unit::nS, 1.0, 4.0);
  }

  std::vector<node_id> neurons;
  std::vector<bool> conductance_cell;  // by neuron, in `neurons` order
  for (int p = 0; p < 3; ++p) {
    const std::uint32_t size = std::array{1u, 2u, 3u, 5u, 6u}[pick(5)];
    const population pop = net.add_neurons(fmt::format("p{}", p), models[p], size);
    // The model decides the kind of cell: conductance synapses onto one make all its neurons
    // conductance cells.
    const bool conductance =
        f == family::conductances || f == family::mg_block || (f == family::mixed && p != 1);
    for (std::uint32_t i = 0; i < size; ++i) {
      neurons.push_back(pop[i]);
      conductance_cell.push_back(conductance);
      net.set_v0(pop[i], -70.0 + uniform(0.0, 12.0));
    }
  }

  std::vector<std::vector<double>> times(3);
  for (std::vector<double>& train : times)
    for (int k = 0; k < 10; ++k) train.push_back(0.5 * static_cast<double>(pick(120)));
  times[1].insert(times[1].end(), times[0].begin(), times[0].begin() + 4);  // together
  std::vector<node_id> sources;
  const auto add_all = [&](const population& p) {
    for (std::uint32_t i = 0; i < p.size; ++i) sources.push_back(p[i]);
  };
  add_all(net.add_sources("explicit", times));
  add_all(net.add_sources("regular", 2, regular_train{1.0, 4.0, total}));
  add_all(net.add_sources("poisson", 3, poisson_train{0.04, 0.0, total, seed, 1, 0}));

  for (std::size_t post = 0; post < neurons.size(); ++post) {
    const std::vector<synapse_kind>& kinds = conductance_cell[post] ? conductances : currents;
    const std::size_t inputs = 3 + pick(4);
    for (std::size_t k = 0; k < inputs; ++k) {
      const node_id pre =
          pick(2) == 0 ? sources[pick(sources.size())] : neurons[pick(neurons.size())];
      const synapse_kind& s = kinds[pick(kinds.size())];
      double delay = 0.0;
      switch (pick(3)) {
        case 0:
          delay = std::array{0.5, 1.0, 1.5}[pick(3)];
          break;
        case 1:
          delay = std::array{0.3, 0.7, 2.1}[pick(3)];
          break;
        default:
          delay = static_cast<float>(uniform(0.3, 3.0));
      }
      net.connect(pre, neurons[post],
                  synapse(s.receptor, uniform(s.low, s.high), s.unit, delay, uniform(0.0, 100.0)));
    }
  }
  return net;
}

struct random_case {
  family kind;
  std::uint64_t seed;
};

class threads_random : public ::testing::TestWithParam<random_case> {};

std::string random_case_name(const ::testing::TestParamInfo<random_case>& info) {
  return fmt::format("{}_{}", family_name(info.param.kind), info.param.seed);
}

// Samples of every neuron on a grid that meets the explicit spikes and the regular trains.
void record_all(simulator& sim, const network& net) { sim.record_v(neurons_of(net), 0.25); }

TEST_P(threads_random, one_run_gives_the_same_spikes_and_samples) {
  const network net = random_network(GetParam().seed, GetParam().kind);
  const outcome one = expect_same_on_threads(net, [&](simulator& sim, outcome&) {
    record_all(sim, net);
    sim.run(total);
  });
  EXPECT_GT(neuron_spikes(one, net), 5u);
  EXPECT_EQ(one.samples.size(), neurons_of(net).size() * (4 * 60 + 1));
}

// Runs ending anywhere (at awkward lengths, exactly at spike times, at absolute ends) on several
// threads agree with one whole run on one: neither the split nor the runs change anything.
TEST_P(threads_random, runs_split_anywhere_give_what_one_run_on_one_thread_does) {
  const network net = random_network(GetParam().seed, GetParam().kind);
  const outcome whole = simulate(net, 1, [&](simulator& sim, outcome&) {
    record_all(sim, net);
    sim.run(total);
  });
  ASSERT_GT(neuron_spikes(whole, net), 5u);
  std::vector<double> ends;
  for (std::size_t k = 0; k < whole.spikes.size(); k += 7) ends.push_back(whole.spikes[k].time);
  for (double t = 0.37; t < total; t += 3.1) ends.push_back(t);
  std::sort(ends.begin(), ends.end());
  ends.push_back(total);
  const script pieces = [&](simulator& sim, outcome&) {
    record_all(sim, net);
    for (const double end : ends)
      if (end >= sim.time()) sim.run_until(end);
  };
  for (const std::uint32_t threads : {1u, 3u, 4u}) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    const outcome split = simulate(net, threads, pieces);
    EXPECT_TRUE(identical(whole.spikes, split.spikes));
    EXPECT_TRUE(identical(whole.samples, split.samples));
  }
}

// Between runs (an empty one first): V and its slope read, a recorder added for some neurons at
// a finer grid.
TEST_P(threads_random, what_is_read_and_recorded_between_runs_is_the_same) {
  const network net = random_network(GetParam().seed, GetParam().kind);
  const std::vector<node_id> neurons = neurons_of(net);
  const std::vector<node_id> some(neurons.begin(), neurons.begin() + neurons.size() / 2 + 1);
  const outcome one = expect_same_on_threads(net, [&](simulator& sim, outcome& out) {
    sim.record_v({neurons.back(), neurons.front()}, 0.5);
    sim.run(0.0);
    for (const double duration : {7.0, 13.3, 20.0}) {
      sim.run(duration);
      for (const node_id n : neurons) {
        out.probes.push_back(sim.v(n));
        const membrane_point p = sim.v_at(n, sim.time() + 0.01);
        out.probes.push_back(p.v);
        out.probes.push_back(p.slope);
      }
      if (duration == 7.0) sim.record_v(some, 0.1);
    }
  });
  EXPECT_EQ(one.probes.size(), 3 * 3 * neurons.size());
  EXPECT_GT(one.samples.size(), 2 * 81u + some.size() * 333);
}

INSTANTIATE_TEST_SUITE_P(
    , threads_random,
    ::testing::Values(random_case{family::currents, 1}, random_case{family::currents, 2},
                      random_case{family::currents, 3}, random_case{family::conductances, 4},
                      random_case{family::conductances, 5}, random_case{family::mg_block, 6},
                      random_case{family::mg_block, 7}, random_case{family::mixed, 8},
                      random_case{family::mixed, 9}),
    random_case_name);

// Every neuron fires at 2 ms and is held at reset for 3 ms while jumps (discarded), currents and
// conductances (kept) arrive, one jump exactly as the period ends (it counts).
TEST(threads, inputs_during_refractory_periods) {
  network net;
  neuron_params p = lif();
  p.refractory = 3.0;
  p.reset = -75.0;
  const population current_cells = net.add_neurons("a", net.add_model(p), 5);
  const population conductance_cells = net.add_neurons("b", net.add_model(p), 4);
  const receptor_id jump = net.add_receptor(jump_receptor());
  const receptor_id exp_current = net.add_receptor(current_receptor(0.0, 4.0));
  const receptor_id ampa = net.add_receptor(conductance_receptor(0.0, 0.5, 3.0));
  const population src =
      net.add_sources("s", {{1.0}, {1.5, 3.0, 4.0, 5.0, 9.0}, {1.5, 3.0, 4.0, 7.0}});
  for (const population& cells : {current_cells, conductance_cells})
    for (std::uint32_t i = 0; i < cells.size; ++i) {
      net.connect(src[0], cells[i], synapse(jump, 20.0, weight_unit::mV, 1.0));
      net.connect(src[1], cells[i], synapse(jump, 5.0, weight_unit::mV, 1.0));
    }
  for (std::uint32_t i = 0; i < current_cells.size; ++i) {
    net.connect(src[2], current_cells[i], synapse(exp_current, 300.0, weight_unit::pA, 1.0));
    net.connect(current_cells[i], conductance_cells[(i + 1) % conductance_cells.size],
                synapse(jump, 6.0, weight_unit::mV, 0.5));
  }
  for (std::uint32_t i = 0; i < conductance_cells.size; ++i)
    net.connect(src[2], conductance_cells[i], synapse(ampa, 12.0, weight_unit::nS, 1.0));
  const std::vector<node_id> neurons = neurons_of(net);
  const outcome one = expect_same_on_threads(net, [&](simulator& sim, outcome&) {
    sim.record_v(neurons, 0.25);
    sim.run(20.0);
  });
  // Each neuron's first spike at 2 ms; held at reset until 5 ms, the jump then counts.
  for (const node_id n : neurons) {
    SCOPED_TRACE(fmt::format("node {}", n));
    ASSERT_FALSE(spike_times_of(one, n).empty());
    EXPECT_EQ(spike_times_of(one, n).front(), 2.0);
    for (const sample& s : one.samples)
      if (s.node == n && s.time > 2.0 && s.time < 5.0) {
        EXPECT_EQ(s.v, -75.0) << "at " << s.time;
      } else if (s.node == n && s.time == 5.0) {
        EXPECT_GT(s.v, -75.0 + 4.9);
      }
  }
}

// Neurons, sources and connections added at 15 and 30 ms (network::take_effect_at), simulated
// in the runs between those times with a recorder added at each.
TEST(threads, a_network_grown_between_runs) {
  network net;
  neuron_params p = lif();
  p.refractory = 1.0;
  const model_id m = net.add_model(p);
  const receptor_id jump = net.add_receptor(jump_receptor());
  const receptor_id alpha = net.add_receptor(current_receptor(1.0, 1.0));
  const receptor_id ampa = net.add_receptor(conductance_receptor(0.0, 0.3, 2.0));
  const population first = net.add_neurons("first", m, 4);
  const population noise = net.add_sources("noise", 3, poisson_train{0.1, 0.0, 1e9, 5, 1, 0});
  const population stim = net.add_sources("stim", {{2.0, 9.0, 17.5}, {2.0, 31.0}});
  for (std::uint32_t i = 0; i < first.size; ++i) {
    net.connect(noise[i % noise.size], first[i], synapse(jump, 8.0, weight_unit::mV, 1.0));
    net.connect(stim[i % 2], first[i],
                synapse(jump, 9.0, weight_unit::mV, static_cast<float>(1.0 + 0.1 * i)));
  }
  net.take_effect_at(15.0);
  neuron_params q = p;
  q.v0 = -60.0;
  const population later = net.add_neurons("later", net.add_model(q), 5);
  const population beat = net.add_sources("beat", 2, regular_train{0.0, 3.0});
  for (std::uint32_t i = 0; i < later.size; ++i) {
    net.connect(first[i % first.size], later[i], synapse(alpha, 6.0, weight_unit::mV, 0.7));
    net.connect(later[i], first[(i + 1) % first.size], synapse(jump, 4.0, weight_unit::mV, 1.5));
    net.connect(beat[i % 2], later[i], synapse(ampa, 15.0, weight_unit::nS, 0.5));
  }
  net.take_effect_at(30.0);
  const population more = net.add_sources("more", 2, poisson_train{0.2, 0.0, 1e9, 6, 2, 0});
  for (std::uint32_t i = 0; i < later.size; ++i) {
    net.connect(more[i % 2], later[i], synapse(ampa, 10.0, weight_unit::nS, 1.0));
    net.connect(later[i], later[(i + 2) % later.size],
                synapse(ampa, 8.0, weight_unit::nS, static_cast<float>(0.4 + 0.3 * i)));
  }
  const outcome one = expect_same_on_threads(net, [&](simulator& sim, outcome&) {
    sim.record_v({first[0], first[3]}, 0.5);
    sim.run_until(15.0);
    sim.record_v({later[4], later[0], first[1]}, 0.25);
    sim.run_until(30.0);
    sim.record_v({later[2]}, 0.1);
    sim.run_until(50.0);
  });
  std::uint64_t later_spikes = 0;
  for (const spike& s : one.spikes)
    if (s.node >= later.first && s.node < later.first + later.size) {
      EXPECT_GE(s.time, 15.0);
      ++later_spikes;
    }
  EXPECT_GT(later_spikes, 5u);
  EXPECT_GT(neuron_spikes(one, net), later_spikes + 5);
}

// A model whose smallest delay is tiny still runs, in thousands of short epochs.
TEST(threads, a_tiny_smallest_delay_makes_short_epochs_and_changes_nothing) {
  network net = random_network(12, family::mixed);
  const std::vector<node_id> neurons = neurons_of(net);
  net.connect(neurons[0], neurons[1],
              synapse(net.add_receptor(jump_receptor()), 1.0, weight_unit::mV, 0.01));
  simulator probe(net, 2);
  EXPECT_EQ(probe.epoch_length(), 0.01);
  const std::array<std::uint32_t, 2> counts{2, 3};
  const outcome one = expect_same_on_threads(
      net,
      [&](simulator& sim, outcome&) {
        record_all(sim, net);
        sim.run(20.0);
        // An epoch holds at most one of the samples 0.25 ms apart.
        if (sim.threads() > 1) {
          EXPECT_GE(sim.stats().epochs, 20.0 / 0.25 - 1);
        }
      },
      counts);
  EXPECT_GT(neuron_spikes(one, net), 5u);
}

// More parts than neurons: parts with no neuron at all, or only sources.
TEST(threads, more_threads_than_neurons) {
  network net;
  neuron_params p = lif();
  p.bias = 100.0;
  const population cells = net.add_neurons("n", net.add_model(p), 2);
  const receptor_id r = net.add_receptor(current_receptor(0.5, 2.0));
  const population src = net.add_sources("s", {{1.0, 3.0, 3.5, 4.0}, {2.0, 3.0}});
  const population beat = net.add_sources("beat", 1, regular_train{0.5, 2.0, 30.0});
  // Delays that are no floats.
  for (std::uint32_t i = 0; i < 2; ++i) {
    net.connect(src[i], cells[i], synapse(r, 9.0, weight_unit::mV, 1.1));
    net.connect(beat[0], cells[i], synapse(r, 7.0, weight_unit::mV, 0.6));
    net.connect(cells[i], cells[1 - i], synapse(r, 5.0, weight_unit::mV, 2.1));
  }
  const std::array<std::uint32_t, 4> counts{3, 5, 7, 16};
  const outcome one = expect_same_on_threads(
      net,
      [&](simulator& sim, outcome&) {
        sim.record_v({cells[1], cells[0]}, 0.1);
        sim.run(30.0);
      },
      counts);
  EXPECT_GT(neuron_spikes(one, net), 3u);
  EXPECT_EQ(one.samples.size(), 2u * 301);
}

// --- The queue ------------------------------------------------------------------------------

// The REPL's queue: the same events for every split, a spike's synapses with one delay (on
// several parts, of several models and receptors) one delivery with all its targets.
TEST(threads, the_queue_lists_the_same_events_whatever_the_split) {
  network net;
  neuron_params p = lif();
  p.refractory = 2.0;
  p.bias = 400.0;  // u_inf = 16 mV: fires on its own every few ms
  const population driven = net.add_neurons("driven", net.add_model(p), 4);
  const population quiet = net.add_neurons("quiet", net.add_model(lif()), 6);
  const receptor_id jump = net.add_receptor(jump_receptor());
  const receptor_id slow = net.add_receptor(current_receptor(0.0, 5.0));
  const population src = net.add_sources("s", {{1.0}, {1.0, 4.0}});
  for (std::uint32_t i = 0; i < quiet.size; ++i)
    net.connect(src[0], quiet[i], synapse(jump, 2.0, weight_unit::mV, 1.5));
  net.connect(src[0], driven[0], synapse(slow, 2.0, weight_unit::mV, 1.5));
  for (std::uint32_t i = 0; i < 2; ++i)
    net.connect(src[1], driven[i], synapse(jump, 1.0, weight_unit::mV, 0.7));
  for (std::uint32_t i = 0; i < 3; ++i)
    net.connect(driven[i], quiet[2 * i], synapse(slow, 3.0, weight_unit::mV, 2.2));
  net.connect(driven[3], quiet[1], synapse(jump, 1.0, weight_unit::mV, 2.2));
  net.connect(driven[3], quiet[3], synapse(slow, 1.0, weight_unit::mV, 2.2));
  for (const double at : {1.2, 4.3, 9.0}) {
    SCOPED_TRACE(fmt::format("at {} ms", at));
    simulator one(net, 1);
    one.run_until(at);
    const std::vector<pending_event> all = one.pending_events(1000);
    ASSERT_GE(all.size(), 4u);
    for (const std::uint32_t threads : split_counts) {
      SCOPED_TRACE(fmt::format("{} threads", threads));
      simulator split(net, threads);
      split.run_until(at);
      EXPECT_TRUE(identical(all, split.pending_events(1000)));
      EXPECT_TRUE(identical(std::vector(all.begin(), all.begin() + 3), split.pending_events(3)));
      EXPECT_EQ(one.next_event_time(), split.next_event_time());
    }
  }
  // At 1.2 ms the spike of s[0] is on its way to all of `quiet` and to driven[0], s[1]'s to two
  // of `driven`.
  for (const std::uint32_t threads : {1u, 4u}) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    simulator sim(net, threads);
    sim.run_until(1.2);
    std::vector<pending_event> deliveries;
    for (const pending_event& e : sim.pending_events(1000))
      if (e.what == pending_event::kind::delivery) deliveries.push_back(e);
    ASSERT_EQ(deliveries.size(), 2u);
    EXPECT_EQ(deliveries[0].node, src[1]);
    EXPECT_EQ(deliveries[0].time, 1.0 + 0.7);
    EXPECT_EQ(deliveries[0].targets, 2u);
    EXPECT_EQ(deliveries[1].node, src[0]);
    EXPECT_EQ(deliveries[1].time, 2.5);
    EXPECT_EQ(deliveries[1].targets, quiet.size + 1);
    EXPECT_EQ(deliveries[1].delay, 1.5);
  }
}

// --- Failures -------------------------------------------------------------------------------

// The run_error of each split, compared with one thread's (what the records hold after it does
// not matter: the simulator cannot go on, and the REPL undoes the run).
std::string expect_same_failure_on_threads(const network& net, const script& run) {
  const outcome one = simulate(net, 1, run);
  for (const std::uint32_t threads : split_counts) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    EXPECT_EQ(one.error, simulate(net, threads, run).error);
  }
  return one.error;
}

// Two neurons without refractoriness under the same unphysical drive run away at the same
// instants; a single loop meets the first by index (its neuron queue's order), whichever part
// holds it.
TEST(threads, simultaneous_runaways_report_the_first_neuron) {
  network net;
  const model_id m = net.add_model({.rest = -70, .threshold = -55, .tau_m = 10, .capacitance = 1});
  const receptor_id r = net.add_receptor({.decay = 2, .sign = effect::excitatory});
  const population src = net.add_sources("s", {{1.0}});
  const population cells = net.add_neurons("p", m, 6);
  for (const std::uint32_t i : {4u, 2u})
    net.connect(src[0], cells[i],
                {.receptor = r, .weight = 1e300, .unit = weight_unit::pA, .delay = 1});
  const std::string error = expect_same_failure_on_threads(net, [&](simulator& sim, outcome&) {
    sim.record_v({cells[4], cells[0]}, 0.5);
    sim.run(5.0);
  });
  EXPECT_TRUE(error.starts_with(fmt::format("node {} fired at 2", cells[2]))) << error;
}

// One neuron's V becomes infinite at 6 ms, but is sampled only at the first multiple of the
// interval from 6 ms on; another, in another part, runs away at 6.5 ms. Whichever a single loop
// meets first (a sample after 6.5 ms comes after the runaway) is the error on every split.
TEST(threads, the_first_failure_in_time_is_the_one_reported) {
  network net;
  const model_id m = net.add_model({.rest = -70, .threshold = -55, .tau_m = 10, .capacitance = 1});
  const receptor_id exc = net.add_receptor({.decay = 2, .sign = effect::excitatory});
  const receptor_id inh = net.add_receptor({.decay = 2, .sign = effect::inhibitory});
  const population src = net.add_sources("s", {{1.0}, {1.0}, {1.5}});
  const population cells = net.add_neurons("p", m, 2);
  for (const std::uint32_t i : {0u, 1u})
    net.connect(src[i], cells[0],
                {.receptor = inh, .weight = 1.5e308, .unit = weight_unit::mV, .delay = 5});
  net.connect(src[2], cells[1],
              {.receptor = exc, .weight = 1e300, .unit = weight_unit::pA, .delay = 5});
  for (const double interval : {0.75, 1.25, 1.75, 2.5, 3.5, 4.5}) {
    SCOPED_TRACE(fmt::format("sampled every {} ms", interval));
    const std::string error = expect_same_failure_on_threads(net, [&](simulator& sim, outcome&) {
      sim.record_v({cells[0]}, interval);
      sim.run(20.0);
    });
    const double sampled = std::ceil(6.0 / interval) * interval;
    EXPECT_TRUE(error.starts_with(
        sampled < 6.5 ? fmt::format("node {}: V is not a finite number at {} ms", cells[0], sampled)
                      : fmt::format("node {} fired at 6.5 ms", cells[1])))
        << error;
  }
}

// Neurons driven by a bias so strong that they run away at once, the first epoch's samples only
// begun by their parts: the run stops with the runaway, the unfinished samples left unmerged.
TEST(threads, a_failure_ends_the_run_before_unfinished_samples_are_merged) {
  network net;
  net.add_neurons("calm", net.add_model(lif()), 5);
  const population wild = net.add_neurons(
      "wild",
      net.add_model({.rest = -70, .threshold = -55, .tau_m = 10, .capacitance = 1, .bias = 1e8}),
      3);
  const std::vector<node_id> all = neurons_of(net);
  const std::string error = expect_same_failure_on_threads(net, [&](simulator& sim, outcome&) {
    sim.record_v(all, 0.1);
    sim.run(50.0);
  });
  EXPECT_TRUE(error.starts_with(fmt::format("node {} fired at", wild[0]))) << error;
}

// --- Streaming ------------------------------------------------------------------------------

// Keeps what a simulator streams, batch by batch.
class collector : public record_sink {
 public:
  void take(std::span<const spike> s) override {
    spikes.insert(spikes.end(), s.begin(), s.end());
    largest = std::max(largest, s.size());
  }
  void take(std::span<const sample> s) override {
    samples.insert(samples.end(), s.begin(), s.end());
    largest = std::max(largest, s.size());
    ++sample_batches;
  }
  std::vector<spike> spikes;
  std::vector<sample> samples;
  std::size_t largest = 0;  // records in one batch
  std::size_t sample_batches = 0;
};

// Records kept, then streamed (those kept first), then kept again: in order and the same as one
// thread's kept records.
TEST(threads, streamed_records_are_the_same_in_the_same_order) {
  const network net = random_network(10, family::mixed);
  const outcome whole = simulate(net, 1, [&](simulator& sim, outcome&) {
    record_all(sim, net);
    sim.run(total);
  });
  ASSERT_GT(neuron_spikes(whole, net), 5u);
  for (const std::uint32_t threads : {1u, 3u, 4u}) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    simulator sim(net, threads);
    record_all(sim, net);
    collector sink;
    sim.run(10.0);
    sim.stream_to(&sink);
    sim.run(30.0);
    sim.stream_to(nullptr);
    sim.run(total - 40.0);
    EXPECT_GT(sink.sample_batches, 1u);
    std::vector<spike> spikes = sink.spikes;
    spikes.insert(spikes.end(), sim.spikes().begin(), sim.spikes().end());
    std::vector<sample> samples = sink.samples;
    samples.insert(samples.end(), sim.samples().begin(), sim.samples().end());
    EXPECT_TRUE(identical(whole.spikes, spikes));
    EXPECT_TRUE(identical(whole.samples, samples));
  }
}

// Without synapses there is no smallest delay to bound the epochs: the records they bring do,
// so that a long recording is handed over in batches rather than all at the end.
TEST(threads, without_synapses_the_records_bound_the_epochs) {
  network net;
  std::vector<node_id> neurons;
  for (int m = 0; m < 3; ++m) {
    neuron_params p = lif();
    p.bias = 400.0 + 50.0 * m;
    p.refractory = 0.5 * m;
    const population cells = net.add_neurons(fmt::format("p{}", m), net.add_model(p), 10);
    for (std::uint32_t i = 0; i < cells.size; ++i) {
      neurons.push_back(cells[i]);
      net.set_v0(cells[i], -70.0 + 1.3 * i);
    }
  }
  constexpr double duration = 500.0;
  const outcome whole = simulate(net, 1, [&](simulator& sim, outcome&) {
    sim.record_v(neurons, 0.1);
    sim.run(duration);
  });
  ASSERT_EQ(whole.samples.size(), neurons.size() * 5001);
  ASSERT_GT(neuron_spikes(whole, net), 30 * 20u);
  for (const std::uint32_t threads : {2u, 3u}) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    simulator sim(net, threads);
    EXPECT_TRUE(std::isinf(sim.epoch_length()));
    collector sink;
    sim.stream_to(&sink);
    sim.record_v(neurons, 0.1);
    sim.run(duration);
    EXPECT_TRUE(identical(whole.spikes, sink.spikes));
    EXPECT_TRUE(identical(whole.samples, sink.samples));
    // A tenth of the recording at most in one batch, in many epochs.
    EXPECT_LT(sink.largest, whole.samples.size() / 10);
    EXPECT_GT(sim.stats().epochs, 20u);
  }
}

// --- Inputs arriving together ---------------------------------------------------------------

// The synapses of a spike with one delay onto several neurons are one queue entry (a delay
// group), and so in a part that holds just one of them: were a run of one a single delivery
// there (as synapse_store once made every run of one with a float delay), the event queue would
// order it after every group, and three inputs arriving together at x would be summed in another
// order, (0.2 + 0.3) + 0.1 instead of (0.1 + 0.2) + 0.3: V would differ in its last bit.
TEST(threads, inputs_arriving_together_are_summed_in_one_order) {
  network net;
  neuron_params p = lif();
  p.rest = 0.0;
  p.threshold = 15.0;
  const population cells = net.add_neurons("n", net.add_model(p), 3);  // x, y, z
  const receptor_id jump = net.add_receptor(jump_receptor());
  const population src = net.add_sources("s", {{1.0}, {1.0}, {1.0}});
  // On two threads x and z are one part, y the other: a's synapse onto x is alone in its part.
  for (const std::uint32_t post : {0u, 1u})
    net.connect(src[0], cells[post], synapse(jump, 0.1, weight_unit::mV, 1.0));
  for (const std::uint32_t post : {0u, 2u}) {
    net.connect(src[1], cells[post], synapse(jump, 0.2, weight_unit::mV, 1.0));
    net.connect(src[2], cells[post], synapse(jump, 0.3, weight_unit::mV, 1.0));
  }
  const outcome one = expect_same_on_threads(net, [&](simulator& sim, outcome&) {
    sim.record_v({cells[0]}, 1.0);
    sim.run(3.0);
  });
  ASSERT_EQ(one.samples.size(), 4u);
  EXPECT_NEAR(one.samples[2].v, 0.6, 1e-15);
}
// The same with two inputs into a rise/decay current, in the commonest of networks: a regular
// train onto two neurons with a delay of 0.5 ms, and another source onto one of them with 1 ms;
// their spikes arrive together at 3 ms. Were a run of one a single delivery, every split would
// sum them in another order than one thread, and the neuron's spike at 4.43 ms would move by 2 ULP.
TEST(threads, a_train_onto_two_neurons_and_another_input_sum_in_one_order) {
  network net;
  const population cells = net.add_neurons("n", net.add_model(lif()), 2);
  const receptor_id r = net.add_receptor(current_receptor(0.5, 2.0));
  const population src = net.add_sources("s", {{2.0}});
  const population beat = net.add_sources("beat", 1, regular_train{0.5, 2.0, 30.0});
  net.connect(src[0], cells[1], synapse(r, 9.0, weight_unit::mV, 1.0));
  for (std::uint32_t i = 0; i < 2; ++i)
    net.connect(beat[0], cells[i], synapse(r, 7.0, weight_unit::mV, 0.5));
  const outcome one = expect_same_on_threads(net, [&](simulator& sim, outcome&) {
    sim.record_v({cells[1]}, 0.1);
    sim.run(10.0);
  });
  EXPECT_EQ(one.samples.size(), 101u);
}

}  // namespace
}  // namespace syn::test
