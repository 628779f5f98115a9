// The same model and seed give byte-identical spikes.csv: run twice, and with its run split
// into several `run` statements (runs end at absolute times, so splitting changes nothing).

#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "model_runner.hpp"

namespace syn::dsl {
namespace {

// A recurrent network driven by Poisson trains, with random v0, weights, delays and pairs.
std::string network(const std::string& runs) {
  return R"(seed = 11
receptor AMPA { reversal = 0 mV; decay = 3 ms }
receptor GABA { reversal = -80 mV; decay = 8 ms }
neuron LIF { rest = -65 mV; threshold = -50 mV; refractory = 2 ms; tau_m = 20 ms; capacitance = 200 pF }
population exc = 80 x LIF { v0 = uniform(-65 mV, -50 mV) }
population inh = 20 x LIF { v0 = uniform(-65 mV, -50 mV) }
train bg = 50 x poisson 100 Hz
connect bg -> exc via AMPA weight 1.5 mV delay 1 ms with indegree 10
connect bg -> inh via AMPA weight 1.5 mV delay 1 ms with indegree 8
connect exc -> exc via AMPA weight normal(0.5 mV, 0.1 mV) delay uniform(1 ms, 3 ms) with probability 0.1 without autapses
connect exc -> inh via AMPA weight 0.8 mV delay uniform(1 ms, 2 ms) with indegree 8
connect inh -> exc via GABA weight 2 mV delay uniform(1 ms, 2 ms) with probability 0.2
record spikes
)" + runs;
}

std::string spikes_of(const std::string& model) {
  syn::test::temp_dir tmp;
  test::run_model(model, tmp.path() / "out");
  return syn::test::read_file(tmp.path() / "out" / "spikes.csv");
}

TEST(determinism, same_seed_same_bytes_whole_or_split) {
  const std::string once = spikes_of(network("run 1000 ms\n"));
  ASSERT_FALSE(HasFailure());
  // Enough activity that a difference would show: bg fires about 5000 times, the neurons more.
  EXPECT_GT(std::count(once.begin(), once.end(), '\n'), 5000 + 3000);
  EXPECT_NE(once.find(",exc,"), std::string::npos);
  EXPECT_NE(once.find(",inh,"), std::string::npos);
  EXPECT_EQ(spikes_of(network("run 1000 ms\n")), once);
  EXPECT_EQ(spikes_of(network("run 300 ms\nrun 700 ms\n")), once);
  EXPECT_EQ(spikes_of(network("run 0.1 ms; run 299.9 ms; run 700 ms\n")), once);
}

}  // namespace
}  // namespace syn::dsl
