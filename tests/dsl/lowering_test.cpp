// What the lowering gives the engine beyond what the run shows: populations of one neuron type,
// with the same parameters, share one engine model (so that a spike onto several of them is one
// delivery group); different parameters keep their own.
#include "lowering/lowering.hpp"

#include <gtest/gtest.h>

#include "front_end/front_end.hpp"

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

}  // namespace
}  // namespace syn::dsl
