// What the lowering gives the engine beyond what the run shows: populations of one neuron type,
// with the same parameters, share one engine model (so that a spike onto several of them is one
// delivery group); different parameters keep their own. A receptor's latency is added to the
// delay of every connection through it, as decimals for a constant delay (decimal_sum).
#include "lowering/lowering.hpp"
#include "network_synapses.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <string>

#include "front_end/front_end.hpp"
#include "lowering/decimal_sum.hpp"
#include "semantics/reversal_potential.hpp"

namespace syn::dsl {
namespace {

std::optional<lowered> lowered_model(std::string_view text) {
  const source_file file("model.syn", std::string(text));
  front_end front(library_path::from_environment({}));
  front.check_file(file, ".");
  for (const diagnostic& d : front.diags.all()) ADD_FAILURE() << render(d, false);
  if (front.diags.has_errors()) return std::nullopt;
  return lower(front.m, 1, front.diags);
}

TEST(lowering, populations_of_one_neuron_type_share_a_model) {
  const auto out = lowered_model(R"(
neuron LIF { rest = -65 mV; threshold = -50 mV; tau_m = 20 ms }
neuron Slow { rest = -65 mV; threshold = -50 mV; tau_m = 40 ms }
neuron Fast : LIF { tau_m = 10 ms }
population exc = 8 x LIF { v0 = uniform(-65 mV, -50 mV) }
population inh = 2 x LIF
population slow = 3 x Slow
population fast = 4 x Fast
population more = 5 x LIF
)");
  ASSERT_TRUE(out);
  const auto& pops = out->net.populations();
  ASSERT_EQ(pops.size(), 5u);
  EXPECT_EQ(out->net.models().size(), 3u);
  EXPECT_EQ(pops[0].model, pops[1].model);
  EXPECT_EQ(pops[0].model, pops[4].model);
  EXPECT_NE(pops[0].model, pops[2].model);
  EXPECT_NE(pops[0].model, pops[3].model);
  EXPECT_NE(pops[2].model, pops[3].model);
}

TEST(lowering, populations_that_differ_only_in_v0_share_a_model_and_keep_their_v0) {
  // As syn.pynn writes cells that PyNN initialised one by one: a population each.
  const auto out = lowered_model(R"(
neuron LIF { rest = -65 mV; threshold = -50 mV; tau_m = 20 ms; v0 = -60 mV }
population a = 2 x LIF { v0 = -55.5 mV }
population b = LIF
population c = LIF { v0 = -65 mV }
population d = 3 x LIF { v0 = uniform(-65 mV, -50 mV) }
)");
  ASSERT_TRUE(out);
  const network& net = out->net;
  ASSERT_EQ(net.populations().size(), 4u);
  EXPECT_EQ(net.models().size(), 1u);
  EXPECT_FALSE(net.models()[0].v0);
  EXPECT_EQ(net.v0(net.populations()[0][0]), -55.5);
  EXPECT_EQ(net.v0(net.populations()[0][1]), -55.5);
  EXPECT_EQ(net.v0(net.populations()[1][0]), -60.0);
  EXPECT_EQ(net.v0(net.populations()[2][0]), -65.0);
  for (std::uint32_t i = 0; i < 3; ++i) {
    const double v0 = net.v0(net.populations()[3][i]);
    EXPECT_TRUE(v0 >= -65.0 && v0 < -50.0) << v0;
  }
}

TEST(lowering, a_receptor_with_ions_takes_each_neurons_reversal_and_its_sign_follows) {
  // GABA's chloride reversal: about -70 mV with the default 8 mM inside, about -40 mV with the
  // 25 mM of an immature neuron: a current synapse hyperpolarises the first (rest -60 mV) and
  // depolarises the second (rest -60 mV too). AMPA states its reversal: one engine receptor.
  const auto out = lowered_model(R"(
receptor AMPA { ions = [Na+, K+]; reversal = 0 mV; decay = 2 ms }
receptor GABA { ions = [Cl-]; decay = 5 ms }
neuron Adult { rest = -60 mV; threshold = -50 mV; tau_m = 10 ms; capacitance = 100 pF }
neuron Young : Adult { Cl_in = 25 mM }
population a = 2 x Adult
population y = Young
population a2 = Adult
train t = times [1 ms]
connect t -> a via GABA weight 1 mV delay 1 ms
connect t -> y via GABA weight 1 mV delay 1 ms
connect t -> a2 via GABA weight 1 nS delay 1 ms
connect t -> a via AMPA weight 1 mV delay 1 ms
)");
  ASSERT_TRUE(out);
  const auto& receptors = out->net.receptors();
  ASSERT_EQ(receptors.size(), 3u);
  EXPECT_EQ(receptors[0].reversal, 0.0);  // AMPA, first: receptors that state theirs come first
  EXPECT_EQ(receptors[1].reversal, nernst(-1, 8, 110, 310.15));
  EXPECT_EQ(receptors[2].reversal, nernst(-1, 25, 110, 310.15));
  EXPECT_EQ(out->receptor_of, (std::vector<std::uint32_t>{0, 1, 1}));
  const auto& c = all_synapses(out->net);
  ASSERT_EQ(c.size(), 6u);
  EXPECT_EQ(c[0].receptor, 1u);
  EXPECT_LT(c[0].increment, 0.0);  // IPSP on Adult
  EXPECT_EQ(c[2].receptor, 2u);
  EXPECT_GT(c[2].increment, 0.0);  // EPSP on Young
  EXPECT_EQ(c[3].receptor, 1u);    // a2 shares Adult's reversal, as a conductance
  EXPECT_TRUE(c[3].conductance);
  EXPECT_EQ(c[4].receptor, 0u);
}

TEST(lowering, populations_reached_through_their_ions_share_a_model_only_with_their_ions) {
  // Three Cl_in among four populations of one type that GABA reaches: each chloride reversal a
  // port of its own model, not of one shared by all. `free`, which no receptor with ions
  // reaches, shares the first model, and so does `same`, with a's ions; `warm` differs in
  // temperature only, but AMPA states its reversal: the ions do not matter there.
  const auto out = lowered_model(R"(
receptor GABA { ions = [Cl-]; decay = 5 ms }
receptor AMPA { ions = [Na+, K+]; reversal = 0 mV; decay = 2 ms }
neuron N { rest = -60 mV; threshold = -50 mV; tau_m = 10 ms }
population free = N { Cl_in = 4 mM }
population a = N
population b = N { Cl_in = 25 mM }
population c = N { Cl_in = 30 mM }
population same = N
population warm = N { temperature = 300 K }
train t = times [1 ms]
connect t -> a via GABA weight 1 mV delay 1 ms
connect t -> b via GABA weight 1 mV delay 1 ms
connect t -> c via GABA weight 1 mV delay 1 ms
connect t -> same via GABA weight 1 mV delay 1 ms
connect t -> warm via AMPA weight 1 mV delay 1 ms
)");
  ASSERT_TRUE(out);
  const auto& pops = out->net.populations();
  ASSERT_EQ(pops.size(), 7u);  // and the train, last
  EXPECT_EQ(out->net.models().size(), 3u);
  const model_id first = pops[0].model;
  EXPECT_EQ(pops[1].model, first);  // a, its ions the first model's from now on
  EXPECT_NE(pops[2].model, first);  // b
  EXPECT_NE(pops[3].model, first);  // c
  EXPECT_NE(pops[2].model, pops[3].model);
  EXPECT_EQ(pops[4].model, first);  // same
  EXPECT_EQ(pops[5].model, first);  // warm
}

TEST(lowering, receptors_that_state_their_reversal_lower_one_each_in_order) {
  const auto out = lowered_model(R"(
receptor E { ions = [Na+, K+]; reversal = 0 mV; decay = 2 ms }
receptor Unused { reversal = -80 mV; decay = 2 ms }
receptor I { ions = [Cl-]; reversal = -75 mV; decay = 5 ms }
neuron N { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms; Cl_in = 10 mM }
population n = N
train t = times [1 ms]
connect t -> n via I weight 1 mV delay 1 ms
connect t -> n via E weight 1 mV delay 1 ms
)");
  ASSERT_TRUE(out);
  const auto& receptors = out->net.receptors();
  ASSERT_EQ(receptors.size(), 3u);
  EXPECT_EQ(receptors[0].reversal, 0.0);
  EXPECT_EQ(receptors[1].reversal, -80.0);
  EXPECT_EQ(receptors[2].reversal, -75.0);
  EXPECT_EQ(out->receptor_of, (std::vector<std::uint32_t>{0, 1, 2}));
}

TEST(lowering, a_blocked_receptor_may_take_its_reversal_from_its_ions) {
  // NMDA with Na+, K+ and Ca2+ at P_Ca / P_Na = 10 (the GHK root, tested in
  // reversal_potential_test.cpp) keeps its magnesium block on the receptor made for the neuron.
  const auto out = lowered_model(R"(
receptor NMDA { ions = [Na+, K+, Ca2+]; permeability = [1, 1, 10]; rise = 2 ms; decay = 100 ms
                mg_block = 1 mM }
neuron N { rest = -70 mV; threshold = -50 mV; tau_m = 20 ms; capacitance = 200 pF }
population n = N
train t = times [1 ms]
connect t -> n via NMDA weight 1 nS delay 1 ms
)");
  ASSERT_TRUE(out);
  ASSERT_EQ(out->net.receptors().size(), 1u);
  const receptor_params& r = out->net.receptors()[0];
  EXPECT_EQ(r.mg_block, 1.0);
  const std::vector<permeant> ions{{1, 15, 145, 1}, {1, 140, 5, 1}, {2, 1e-4, 2, 10}};
  EXPECT_EQ(r.reversal, ghk(ions, 310.15));
}

// Two connections from one train onto one neuron, through a receptor whose properties are
// `latency`: a constant delay of 0.1 ms, then delays drawn from uniform(1 ms, 2 ms).
std::vector<double> delays_through(const std::string& latency) {
  const auto out = lowered_model(fmt::format(R"(
receptor R {{ reversal = 0 mV; decay = 2 ms {} }}
neuron LIF {{ rest = -65 mV; threshold = -50 mV; tau_m = 20 ms }}
population n = 3 x LIF
train t = times [1 ms]
connect t -> n via R weight 1 mV delay 0.1 ms
connect t -> n via R weight 1 mV delay uniform(1 ms, 2 ms)
)",
                                             latency));
  std::vector<double> delays;
  if (out)
    for (const connection& c : all_synapses(out->net)) delays.push_back(c.delay);
  return delays;
}

TEST(lowering, a_receptor_latency_is_added_to_every_delay_through_it) {
  const auto plain = delays_through("");
  const auto zero = delays_through("; latency = 0 ms");
  const auto slow = delays_through("; latency = 0.2 ms");
  ASSERT_EQ(plain.size(), 6u);
  ASSERT_EQ(slow.size(), 6u);
  // No latency, or 0 ms, changes no delay by a bit.
  EXPECT_EQ(zero, plain);
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(plain[i], 0.1);
    // 0.1 + 0.2 as decimals: the double nearest 0.3, as `delay 0.3 ms` gives, not the binary
    // sum 0.30000000000000004.
    EXPECT_EQ(slow[i], 0.3);
  }
  // The same draws (same seed, same stream), each plus 0.2 ms, kept to float precision as
  // drawn delays are: within a float's step at 2.2 ms of the draw plus 0.2.
  for (std::size_t i = 3; i < 6; ++i) {
    EXPECT_GE(plain[i], 1.0);
    EXPECT_LE(plain[i], 2.0);
    EXPECT_EQ(static_cast<double>(static_cast<float>(slow[i])), slow[i]);
    EXPECT_NEAR(slow[i], plain[i] + 0.2, 2.5e-7);
  }
}

TEST(decimal_sum, adds_the_decimals_that_doubles_print_as_and_rounds_once) {
  EXPECT_EQ(decimal_sum(0.1, 0.2), 0.3);
  EXPECT_EQ(decimal_sum(150.0, 1.1), 151.1);
  EXPECT_EQ(decimal_sum(1e-7, 1.0), 1.0000001);
  EXPECT_EQ(decimal_sum(9.99, 0.01), 10.0);
  EXPECT_EQ(decimal_sum(1e9, 1e-9), 1000000000.000000001);
  EXPECT_EQ(decimal_sum(0.7, 0.0), 0.7);
  EXPECT_EQ(decimal_sum(0.0, 0.7), 0.7);
  // Against integer arithmetic: p·10^-3 + q·10^-2 is (p + 10 q)·10^-3, read by strtod.
  for (int p = 0; p < 400; p += 7)
    for (int q = 0; q < 300; q += 11) {
      const double a = std::strtod(fmt::format("{}e-3", p).c_str(), nullptr);
      const double b = std::strtod(fmt::format("{}e-2", q).c_str(), nullptr);
      const double sum = std::strtod(fmt::format("{}e-3", p + 10 * q).c_str(), nullptr);
      EXPECT_EQ(decimal_sum(a, b), sum) << a << " + " << b;
    }
}

}  // namespace
}  // namespace syn::dsl
