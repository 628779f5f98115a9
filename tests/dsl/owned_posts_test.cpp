// The synapses of the projections onto some neurons only, as each thread or MPI process of a
// split run makes them when it builds its store: for the round-robin split over P = 2, 3 and 4
// (node n to n % P), each part gets exactly the whole build's synapses onto its neurons, with the
// same pres, receptors, weights and delays, in the same relative order, for every rule, with drawn
// weights and delays and without autapses. And since draws are keyed by the neuron they are for, a
// neuron's v0 and the synapses onto it do not change when its population grows.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "front_end/front_end.hpp"
#include "lowering/lowering.hpp"
#include "network_synapses.hpp"

namespace syn::dsl {
namespace {

struct checked {
  front_end front{library_path::from_environment({})};
};

void check(checked& c, const std::string& text) {
  c.front.check_file(source_file("model.syn", text), ".");
  for (const diagnostic& d : c.front.diags.all()) ADD_FAILURE() << render(d, false);
}

bool same(const connection& a, const connection& b) {
  return a.pre == b.pre && a.post == b.post && a.receptor == b.receptor &&
         a.conductance == b.conductance && a.increment == b.increment && a.delay == b.delay;
}

// Every rule, on overlapping slices of one population (without autapses) and between
// populations, with drawn weights and delays; GABA takes its reversal from each population's
// ions, so its engine receptors are made as connections reach them.
constexpr std::string_view network = R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms; latency = 0.5 ms }
receptor GABA { ions = [Cl-]; decay = 5 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 200 pF }
neuron Young : LIF { Cl_in = 25 mM }
population a = 37 x LIF { v0 = uniform(-70 mV, -56 mV) }
train t = 11 x poisson 5 Hz
population b = 23 x Young
connect a[0..29] -> a[5..36] via AMPA weight normal(1 mV, 0.5 mV) delay uniform(1 ms, 3 ms) without autapses
connect a -> a via AMPA weight 0.5 mV delay exponential(2 ms) with probability 0.2 without autapses
connect a[3..30] -> a[0..27] via GABA weight uniform(1 pA, 9 pA) delay 1 ms with indegree 6 without autapses
connect a -> a via AMPA weight 20 pA delay normal(2 ms, 1 ms) with outdegree 7 without autapses
connect a[1..23] -> b via GABA weight 2 nS delay uniform(0.5 ms, 1 ms) one_to_one
connect t -> b via AMPA weight exponential(1 mV) delay 1.5 ms with probability 0.3
connect t -> a via AMPA weight 1 mV delay uniform(1 ms, 2 ms)
connect b -> a via GABA weight normal(3 pA, 1 pA) delay 2 ms with outdegree 5
connect b -> b via AMPA weight 1 mV delay uniform(1 ms, 2 ms) with indegree 22 without autapses
)";

TEST(owned_posts, each_part_of_a_round_robin_split_gets_the_whole_builds_synapses_onto_it) {
  checked c;
  check(c, std::string(network));
  ASSERT_FALSE(c.front.diags.has_errors());
  const std::optional<lowered> whole = lower(c.front.m, 7, c.front.diags);
  ASSERT_TRUE(whole);
  const std::vector<connection> all = all_synapses(whole->net);
  for (const std::uint32_t parts : {2u, 3u, 4u}) {
    std::size_t held = 0;
    for (std::uint32_t part = 0; part < parts; ++part) {
      SCOPED_TRACE(testing::Message() << "part " << part << " of " << parts);
      const auto owns = [&](node_id n) { return n % parts == part; };
      std::vector<connection> expected;
      for (const connection& s : all)
        if (owns(s.post)) expected.push_back(s);
      std::vector<connection> got;
      whole->net.each_synapse(owns, [&](const connection& s, double) { got.push_back(s); });
      ASSERT_EQ(got.size(), expected.size());
      for (std::size_t i = 0; i < got.size(); ++i)
        ASSERT_TRUE(same(got[i], expected[i]))
            << "synapse " << i << ": " << got[i].pre << "->" << got[i].post << " "
            << got[i].increment << " after " << got[i].delay << " ms, the whole build's "
            << expected[i].pre << "->" << expected[i].post << " " << expected[i].increment
            << " after " << expected[i].delay << " ms";
      held += got.size();
    }
    EXPECT_EQ(held, all.size());
  }
}

// The synapses onto each post of `posts`, in the order built.
std::vector<std::vector<connection>> onto(const lowered& out, node_id first, std::uint32_t posts) {
  std::vector<std::vector<connection>> by_post(posts);
  for (const connection& s : all_synapses(out.net))
    if (s.post >= first && s.post < first + posts) by_post[s.post - first].push_back(s);
  return by_post;
}

TEST(owned_posts, a_neurons_draws_do_not_depend_on_its_populations_size) {
  const auto model_with = [](int size) {
    return fmt::format(R"(
receptor AMPA {{ reversal = 0 mV; decay = 2 ms }}
neuron LIF {{ rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }}
population pre = 50 x LIF
population post = {} x LIF {{ v0 = normal(-60 mV, 3 mV) }}
connect pre -> post via AMPA weight normal(1 mV, 0.3 mV) delay uniform(1 ms, 2 ms) with probability 0.1
connect pre -> post via AMPA weight uniform(1 mV, 2 mV) delay 1 ms with indegree 4
)",
                       size);
  };
  checked small, large;
  check(small, model_with(20));
  check(large, model_with(45));
  ASSERT_FALSE(small.front.diags.has_errors() || large.front.diags.has_errors());
  const std::optional<lowered> a = lower(small.front.m, 3, small.front.diags);
  const std::optional<lowered> b = lower(large.front.m, 3, large.front.diags);
  ASSERT_TRUE(a && b);
  const auto by_post_a = onto(*a, a->first_node[1], 20), by_post_b = onto(*b, b->first_node[1], 20);
  std::size_t synapses = 0;
  for (std::uint32_t j = 0; j < 20; ++j) {
    EXPECT_EQ(a->net.v0(a->first_node[1] + j), b->net.v0(b->first_node[1] + j)) << j;
    ASSERT_EQ(by_post_a[j].size(), by_post_b[j].size()) << j;
    for (std::size_t i = 0; i < by_post_a[j].size(); ++i)
      EXPECT_TRUE(same(by_post_a[j][i], by_post_b[j][i])) << j;
    synapses += by_post_a[j].size();
  }
  EXPECT_GT(synapses, 20u * 4u);  // the indegree's, and some of the probability's
}

}  // namespace
}  // namespace syn::dsl
