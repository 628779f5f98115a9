// A neuron without refractoriness under an unphysically strong drive would fire at every
// representable instant; the run stops with an error naming it instead of never finishing.
#include "syn/engine/run_error.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace syn {
namespace {

TEST(run_error, a_runaway_neuron_without_refractoriness_stops_the_run) {
  network net;
  const model_id m = net.add_model({.rest = -70, .threshold = -55, .tau_m = 10, .capacitance = 1});
  const receptor_id r = net.add_receptor({.decay = 2, .sign = effect::excitatory});
  const population& src = net.add_sources("s", {{1.0}});
  const population& cell = net.add_neurons("p", m, 1);
  net.connect(src[0], cell[0],
              {.receptor = r, .weight = 1e300, .unit = weight_unit::pA, .delay = 1});
  simulator sim(net);
  try {
    sim.run(5);
    FAIL() << "expected a run_error";
  } catch (const run_error& e) {
    EXPECT_EQ(e.node(), cell[0]);
    EXPECT_GT(e.first(), 1.0);  // the drive arrives at 1 ms
    EXPECT_LT(e.second() - e.first(), min_interspike_interval);
    EXPECT_NE(std::string(e.what()).find("too strong for its refractory period"),
              std::string::npos);
  }
}

// Inputs far beyond anything physical sum to an infinite V: the run stops naming the neuron
// instead of recording NaN (the language refuses such weights before they get here).
TEST(run_error, a_membrane_potential_that_is_no_longer_finite_stops_the_run) {
  network net;
  const model_id m = net.add_model({.rest = -70, .threshold = -55, .tau_m = 10});
  const receptor_id r = net.add_receptor({.decay = 2, .sign = effect::inhibitory});
  const population& src = net.add_sources("s", {{1.0}, {1.0}});
  const population& cell = net.add_neurons("p", m, 1);
  for (std::uint32_t i = 0; i < 2; ++i)
    net.connect(src[i], cell[0],
                {.receptor = r, .weight = 1.5e308, .unit = weight_unit::mV, .delay = 1});
  simulator sim(net);
  sim.record_v({cell[0]}, 0.5);
  try {
    sim.run(5);
    FAIL() << "expected a run_error";
  } catch (const run_error& e) {
    EXPECT_EQ(e.why(), run_error::reason::non_finite);
    EXPECT_EQ(e.node(), cell[0]);
    EXPECT_EQ(e.first(), 2.0);  // the inputs arrive at 2 ms, where V is sampled
  }
  for (const sample& s : sim.samples()) EXPECT_TRUE(std::isfinite(s.v)) << s.time;
}

TEST(run_error, a_fast_but_finite_rate_is_no_error) {
  // u_inf = 2e5 mV: a spike every ~75 ns, well above the one-nanosecond limit.
  network net;
  const model_id m =
      net.add_model({.rest = -70, .threshold = -55, .tau_m = 1, .capacitance = 1, .bias = 2e5});
  net.add_neurons("p", m, 1);
  simulator sim(net);
  sim.run(0.01);
  EXPECT_GT(sim.spikes().size(), 100u);
}

}  // namespace
}  // namespace syn
