// simulator::v_at: V and its slope ahead of the present, as the neuron evolves untouched, for
// both kinds of cell; nothing in the run changes by asking.

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "syn/engine/model_error.hpp"
#include "syn/engine/simulator.hpp"

namespace syn {
namespace {

struct one_input {
  network net;
  node_id neuron;
};

// One input at 1 ms onto a LIF (tau_m 10 ms, 250 pF): a current of 4 mV (decay 2 ms), or a
// conductance of 20 nS towards 0 mV (decay 3 ms).
one_input make(bool conductance) {
  one_input o;
  const model_id m =
      o.net.add_model({.rest = -70, .threshold = -40, .tau_m = 10, .capacitance = 250});
  const receptor_id r = o.net.add_receptor({.decay = conductance ? 3.0 : 2.0, .reversal = 0});
  const population s = o.net.add_sources("s", {{0.5}});
  o.neuron = o.net.add_neurons("n", m, 1)[0];
  o.net.connect(s[0], o.neuron,
                {.receptor = r,
                 .weight = conductance ? 20.0 : 4.0,
                 .unit = conductance ? weight_unit::nS : weight_unit::mV,
                 .delay = 0.5});
  return o;
}

TEST(v_at, of_a_current_psp_is_its_closed_form_and_slope) {
  one_input o = make(false);
  simulator sim(o.net);
  sim.run_until(1.0);
  // u = A (e^{-s/10} - e^{-s/2}), A = 4 / peak of the bracket (at s* = 2.5 ln 5).
  const double peak_time = 2.5 * std::log(5.0);
  const double a = 4 / (std::exp(-peak_time / 10) - std::exp(-peak_time / 2));
  for (const double s : {0.0, 0.3, peak_time, 7.0, 40.0}) {
    const membrane_point p = sim.v_at(o.neuron, 1.0 + s);
    EXPECT_NEAR(p.v, -70 + a * (std::exp(-s / 10) - std::exp(-s / 2)), 1e-12) << s;
    EXPECT_NEAR(p.slope, a * (-std::exp(-s / 10) / 10 + std::exp(-s / 2) / 2), 1e-12) << s;
  }
  EXPECT_EQ(sim.v_at(o.neuron, 1.0).v, sim.v(o.neuron));
  EXPECT_THROW(sim.v_at(o.neuron, 0.5), model_error);      // the past
  EXPECT_THROW(sim.v_at(o.neuron + 5, 2.0), model_error);  // no such neuron
  try {
    sim.v_at(o.neuron, std::nan(""));
    ADD_FAILURE() << "v_at(NaN) taken";
  } catch (const model_error& e) {
    EXPECT_NE(std::string(e.what()).find("is not finite"), std::string::npos) << e.what();
  }
}

TEST(v_at, slope_of_a_conductance_psp_is_the_derivative_of_its_v) {
  one_input o = make(true);
  simulator sim(o.net);
  sim.run_until(1.0);
  // V's derivative by a central difference (error h^2 V''' / 6, about 1e-9 here) against the
  // slope, which comes from the same Taylor steps.
  const double h = 1e-4;
  for (const double t : {1.2, 3.0, 6.5, 20.0}) {
    const double difference = (sim.v_at(o.neuron, t + h).v - sim.v_at(o.neuron, t - h).v) / (2 * h);
    EXPECT_NEAR(sim.v_at(o.neuron, t).slope, difference, 1e-7) << t;
  }
}

TEST(v_at, changes_nothing_in_the_run) {
  for (const bool conductance : {false, true}) {
    one_input a = make(conductance), b = make(conductance);
    simulator plain(a.net), asked(b.net);
    plain.record_v({a.neuron}, 0.25);
    asked.record_v({b.neuron}, 0.25);
    plain.run_until(1.0);
    asked.run_until(1.0);
    for (const double t : {30.0, 1.5, 80.0, 2.0}) asked.v_at(b.neuron, t);
    plain.run_until(50.0);
    asked.run_until(50.0);
    EXPECT_EQ(plain.samples(), asked.samples()) << conductance;
  }
}

TEST(v_at, looking_ahead_between_samples_changes_none_of_a_conductance_with_a_rise) {
  // A rise stage gives V's steps nonzero rates; inputs every 3 ms keep the steps changing.
  // Looking far ahead, then sampling earlier, must leave every sample's bits as they were.
  const auto make_rising = [] {
    one_input o;
    const model_id m = o.net.add_model(
        {.rest = -70, .threshold = -55, .refractory = 2, .tau_m = 10, .capacitance = 250});
    const receptor_id r = o.net.add_receptor({.rise = 1.0, .decay = 3.0, .reversal = 0});
    std::vector<double> times;
    for (int k = 0; k < 30; ++k) times.push_back(0.5 + 3.0 * k + 0.1 * (k % 4));
    const population s = o.net.add_sources("s", {times});
    o.neuron = o.net.add_neurons("n", m, 1)[0];
    o.net.connect(s[0], o.neuron,
                  {.receptor = r, .weight = 15.0, .unit = weight_unit::nS, .delay = 0.5});
    return o;
  };
  one_input a = make_rising(), b = make_rising();
  simulator plain(a.net), asked(b.net);
  plain.record_v({a.neuron}, 0.01);
  asked.record_v({b.neuron}, 0.01);
  for (double t = 0.7; t < 95.0; t += 0.7) {
    for (const double ahead : {40.0, 0.3, 7.0, 0.05}) asked.v_at(b.neuron, t + ahead);
    plain.run_until(t);
    asked.run_until(t);
  }
  ASSERT_GT(plain.samples().size(), 9000u);
  EXPECT_EQ(plain.samples(), asked.samples());
  EXPECT_FALSE(plain.spikes().empty());
  EXPECT_EQ(plain.spikes(), asked.spikes());
}

}  // namespace
}  // namespace syn
