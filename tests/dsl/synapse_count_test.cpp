// synapse_count() against what lower() builds: for every rule, with and without autapses, on
// slices that overlap, and for several seeds, the network holds exactly the counted synapses,
// each statement's (consecutive in the network) between its own pre and post ranges.
#include "lowering/synapse_count.hpp"

#include <gtest/gtest.h>

#include <string>

#include "front_end/front_end.hpp"
#include "lowering/lowering.hpp"
#include "network_synapses.hpp"

namespace syn::dsl {
namespace {

void expect_counts_of_lowering(const std::string& connects, std::uint64_t seed) {
  const source_file file("model.syn", R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population a = 40 x LIF
population b = 25 x LIF
train t = 30 x poisson 5 Hz
)" + connects);
  front_end front(library_path::from_environment({}));
  front.check_file(file, ".");
  for (const diagnostic& d : front.diags.all()) ADD_FAILURE() << render(d, false);
  ASSERT_FALSE(front.diags.has_errors());
  const model& m = front.m;
  std::optional<lowered> out = lower(m, seed, front.diags);
  ASSERT_TRUE(out);
  const auto& built = all_synapses(out->net);
  std::uint64_t first = 0;
  for (std::size_t ci = 0; ci < m.connections.size(); ++ci) {
    const connection_info& c = m.connections[ci];
    const std::uint64_t count = synapse_count(m, ci, seed);
    SCOPED_TRACE(testing::Message() << "connect statement " << ci << ", seed " << seed);
    ASSERT_LE(first + count, built.size());
    const node_id pre0 = out->first_node[c.pre.group] + c.pre.first;
    const node_id post0 = out->first_node[c.post.group] + c.post.first;
    for (std::uint64_t i = first; i < first + count; ++i) {
      ASSERT_GE(built[i].pre, pre0);
      ASSERT_LT(built[i].pre, pre0 + c.pre.size());
      ASSERT_GE(built[i].post, post0);
      ASSERT_LT(built[i].post, post0 + c.post.size());
    }
    first += count;
  }
  EXPECT_EQ(first, built.size());
}

TEST(synapse_count, equals_what_lowering_builds_for_every_rule) {
  const std::string connects = R"(
connect t -> a via AMPA weight 1 mV delay 1 ms with probability 0.2
connect a -> a via AMPA weight 1 mV delay 1 ms with probability 0.3 without autapses
connect a[0..19] -> a[10..39] via AMPA weight 1 mV delay 1 ms without autapses
connect a[5..29] -> a[0..24] via AMPA weight 1 mV delay 1 ms with probability 0.5 without autapses
connect a -> b via AMPA weight normal(1 mV, 0.2 mV) delay uniform(1 ms, 2 ms)
connect b[0..9] -> b[5..14] via AMPA weight 1 mV delay 1 ms one_to_one without autapses
connect a[0..24] -> b via AMPA weight 1 mV delay 1 ms one_to_one
connect a -> b via AMPA weight 1 mV delay 1 ms with indegree 7
connect b -> b via AMPA weight 1 mV delay 1 ms with indegree 24 without autapses
connect b -> a via AMPA weight 1 mV delay 1 ms with outdegree 3
connect a -> a via AMPA weight 1 mV delay 1 ms with outdegree 39 without autapses
connect t -> b via AMPA weight 1 mV delay 1 ms with probability 0
connect t -> b via AMPA weight 1 mV delay 1 ms with probability 1
)";
  for (const std::uint64_t seed : {1, 2, 77})
    ASSERT_NO_FATAL_FAILURE(expect_counts_of_lowering(connects, seed));
}

TEST(synapse_count, follows_the_rule_by_arithmetic) {
  const source_file file("model.syn", R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population a = 40 x LIF
connect a -> a via AMPA weight 1 mV delay 1 ms
connect a -> a via AMPA weight 1 mV delay 1 ms without autapses
connect a[0..19] -> a[10..39] via AMPA weight 1 mV delay 1 ms without autapses
connect a[0..9] -> a[1..10] via AMPA weight 1 mV delay 1 ms one_to_one without autapses
connect a -> a via AMPA weight 1 mV delay 1 ms with indegree 6
)");
  front_end front(library_path::from_environment({}));
  front.check_file(file, ".");
  ASSERT_FALSE(front.diags.has_errors());
  EXPECT_EQ(synapse_count(front.m, 0, 1), 40u * 40u);
  EXPECT_EQ(synapse_count(front.m, 1, 1), 40u * 39u);
  // Pres 10..19 are among the posts.
  EXPECT_EQ(synapse_count(front.m, 2, 1), 20u * 30u - 10u);
  EXPECT_EQ(synapse_count(front.m, 3, 1), 10u);
  EXPECT_EQ(synapse_count(front.m, 4, 1), 40u * 6u);
}

}  // namespace
}  // namespace syn::dsl
