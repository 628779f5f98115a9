// The coarse watch (cell/linear/window_pass.hpp): neurons with currents whose bounds keep them
// below threshold for a window wait for the next watch instant instead of an event of their
// own. It must lose nothing: crossings after watched stretches, inputs at and between watch
// instants and grazing peaks come out as the closed forms say, and runs split at watch instants
// agree with whole ones.

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "test_networks.hpp"

namespace syn::test {
namespace {

// The window on lif() neurons (tau_m 10 ms) with receptors no faster than 40 ms: tau_m / 4.
constexpr double window = 2.5;  // ms
// A slow EPSC that peaks above threshold long after it arrives: the neuron is watched coarsely
// for several windows first.
constexpr double slow_decay = 40.0;

// A neuron driven by its bias alone (u_inf = 16 mV, 1 mV above threshold) is watched until near
// each crossing, which comes at tau_m ln(u_inf / (u_inf - theta)) after rest, and again that
// long after each refractory period. With a receptor that reaches it (its one input comes after
// the run) it has a current, and is watched by its bounds; without, it is membrane-only, watched
// by its amplitude and predicted from the end of each refractory period as it fires.
void expect_bias_driven_spikes(bool with_current, double refractory, double duration,
                               std::size_t count, bool beside_a_fast_model = false) {
  neuron_params p = lif();
  p.bias = 400.0;
  p.refractory = refractory;
  network net;
  const node_id n = add_neuron(net, p);
  if (beside_a_fast_model) {
    // Its 0.4 ms EPSCs make watch instants every 0.3 ms; n's model is due every eighth.
    const node_id fast = add_neuron(net, lif());
    const receptor_id r = net.add_receptor(current_receptor(0, 0.4));
    net.connect(add_source(net, {1.0, 50.0}), fast, synapse(r, 16.0, weight_unit::mV, 1.0));
  }
  if (with_current)
    net.connect(add_source(net, {duration + 1}), n,
                synapse(net.add_receptor(current_receptor(0, 5)), 1.0, weight_unit::pA, 1.0));
  simulator sim(net);
  sim.run(duration);
  const real first = 10 * std::log(16.0L);
  const auto times = spike_times(sim, n);
  ASSERT_EQ(times.size(), count);
  for (std::size_t k = 0; k < times.size(); ++k)
    EXPECT_NEAR(times[k], first + k * (first + refractory), 1e-9) << "spike " << k;
  EXPECT_GT(sim.stats().window_checks, 0u);
}

TEST(coarse_watch, a_bias_driven_neuron_fires_at_the_closed_form_times) {
  expect_bias_driven_spikes(true, 2.0, 200.0, 6);
}

// Refractory for 20 ms, across eight watch instants and, over 2 s, across epoch boundaries
// (every 300 ms).
TEST(coarse_watch, a_membrane_only_neuron_refractory_across_watch_instants_fires_on_time) {
  expect_bias_driven_spikes(false, 20.0, 2000.0, 42);
}

TEST(coarse_watch, a_neuron_beside_a_faster_model_fires_at_the_closed_form_times) {
  expect_bias_driven_spikes(true, 2.0, 200.0, 6, true);
  expect_bias_driven_spikes(false, 20.0, 2000.0, 42, true);
}

TEST(coarse_watch, inputs_at_and_between_watch_instants_sum_to_the_closed_form_crossing) {
  neuron_params p = lif();
  p.bias = 370.0;  // u_inf = 14.8 mV: below threshold, so small EPSCs can take it there
  network net;
  const node_id n = add_neuron(net, p);
  const receptor_id r = net.add_receptor(current_receptor(0, slow_decay));
  // At 1 ms (watched from then on), exactly at the second watch instant, and between two: the
  // last brings the crossing before the next watch instant, 20 ms.
  const std::vector<std::pair<real, real>> inputs = {{1.0, 10}, {2 * window, 25}, {18.25, 600}};
  for (const auto& [arrival, i0] : inputs)
    net.connect(add_source(net, {static_cast<double>(arrival) - 1}), n,
                synapse(r, static_cast<double>(i0), weight_unit::pA, 1.0));
  simulator sim(net);
  sim.run(2 * window);
  EXPECT_GT(sim.stats().window_checks, 0u);
  sim.run(100.0);

  const auto f = [&](real t) {
    real u = 14.8L * -std::expm1(-t / 10);
    for (const auto& [arrival, i0] : inputs)
      u += exp_current_psp(i0, 250, slow_decay, 10, t - arrival);
    return u - 15;
  };
  const std::optional<real> crossing = first_crossing(f, 0, 100, 0.25);
  ASSERT_TRUE(crossing.has_value());
  ASSERT_GT(*crossing, 18.25);
  ASSERT_LT(*crossing, 8 * window);
  const auto times = spike_times(sim, n);
  ASSERT_FALSE(times.empty());  // and more: the currents outlast the reset
  EXPECT_NEAR(times[0], static_cast<double>(*crossing), 1e-9);
}

TEST(coarse_watch, a_slow_epsc_peaking_a_hair_above_threshold_spikes_and_a_hair_below_does_not) {
  constexpr double hair = 1e-9;  // mV
  network net;
  const node_id above = add_neuron(net, lif());
  const node_id below = add_neuron(net, lif());
  const receptor_id r = net.add_receptor(current_receptor(0, slow_decay));
  const node_id s = add_source(net);
  net.connect(s, above, synapse(r, 15 + hair, weight_unit::mV, 1.0));
  net.connect(s, below, synapse(r, 15 - hair, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(200.0);
  EXPECT_GT(sim.stats().window_checks, 0u);
  EXPECT_EQ(spike_times(sim, above).size(), 1u);
  EXPECT_TRUE(spike_times(sim, below).empty());
}

TEST(coarse_watch, neurons_that_cannot_reach_threshold_are_not_watched) {
  network net;
  const population cells = net.add_neurons("n", net.add_model(lif()), 1000);
  const receptor_id r = net.add_receptor(current_receptor(0, 5));
  const node_id s = add_source(net, {0.0, 10.0, 20.0});
  for (std::uint32_t i = 0; i < cells.size; ++i)
    net.connect(s, cells[i], synapse(r, 5.0, weight_unit::mV, 1.0));  // 15 mV needed
  simulator sim(net);
  sim.run(1000.0);
  EXPECT_EQ(sim.stats().window_checks, 0u);
  EXPECT_LT(sim.stats().events, 10u);
}

TEST(coarse_watch, watched_neurons_show_a_recheck_at_the_next_watch_instant) {
  network net;
  const node_id n = add_neuron(net, lif());
  const receptor_id r = net.add_receptor(current_receptor(0, slow_decay));
  // Peaking at 15.5 mV 18.5 ms after it arrives, it rises 5.3 mV within a window.
  net.connect(add_source(net), n, synapse(r, 15.5, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(2.0);
  EXPECT_EQ(sim.next_event_time(), window);
  const std::vector<pending_event> pending = sim.pending_events(10);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].what, pending_event::kind::recheck);
  EXPECT_EQ(pending[0].time, window);
  EXPECT_EQ(pending[0].node, n);
}

TEST(coarse_watch, runs_ending_at_watch_instants_agree_with_one_run) {
  const auto build = [](network& net) {
    neuron_params p = lif();
    p.bias = 380.0;  // u_inf 15.2 mV: fires on its own, slowly
    p.refractory = 2.0;
    const population cells = net.add_neurons("n", net.add_model(p), 20);
    const receptor_id e = net.add_receptor(current_receptor(0, slow_decay));
    const receptor_id i = net.add_receptor(current_receptor(0, 60, effect::inhibitory));
    const population src = net.add_sources("p", 10, poisson_train{.rate = 0.04, .seed = 7});
    for (std::uint32_t k = 0; k < src.size; ++k)
      for (std::uint32_t j = 0; j < cells.size; ++j)
        if ((k + j) % 3 == 0)
          net.connect(src[k], cells[j], synapse(k % 2 ? e : i, 2.0, weight_unit::mV, 1.0));
  };
  network whole_net, split_net;
  build(whole_net);
  build(split_net);
  simulator whole(whole_net), split(split_net);
  whole.run(300.0);
  for (int k = 0; k < 120; ++k) split.run(window);
  ASSERT_GT(whole.stats().window_checks, 0u);
  ASSERT_GT(whole.spikes().size(), 20u);
  expect_same_spikes(whole, split);
}

// A slow bi-exponential EPSC (rise 5 ms, decay 40 ms) crosses threshold on its rise, 7.8 ms
// after it arrives: watched for the first windows, then predicted.
TEST(coarse_watch, a_slow_biexponential_epsc_crosses_at_the_closed_form_time) {
  network net;
  const node_id n = add_neuron(net, lif());
  const receptor_id r = net.add_receptor(current_receptor(5, slow_decay));
  net.connect(add_source(net, {0.0}), n, synapse(r, 16.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(100.0);
  const mv_psp psp(5, slow_decay, 250, 10, 16.0);
  const real crossing = bisect([&](real t) { return psp(t) - 15; }, 0, psp.peak_at);
  const auto times = spike_times(sim, n);
  ASSERT_EQ(times.size(), 1u);
  EXPECT_NEAR(times[0], static_cast<double>(1 + crossing), 1e-9);
  EXPECT_GT(sim.stats().window_checks, 0u);
}

// Under an EPSC that can never take them to threshold, neurons stop being watched at the next
// watch instant: nothing is pending once the inputs are in, and nothing costs.
TEST(coarse_watch, neurons_whose_input_cannot_take_them_to_threshold_stop_being_watched) {
  neuron_params p = lif();
  p.bias = 350.0;  // u_inf 14 mV
  network net;
  const population cells = net.add_neurons("n", net.add_model(p), 1000);
  const receptor_id r = net.add_receptor(current_receptor(0, 5));
  const node_id s = add_source(net, {0.0});
  for (std::uint32_t i = 0; i < cells.size; ++i)
    net.connect(s, cells[i], synapse(r, 0.5, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(100.0);
  const std::uint64_t checks = sim.stats().window_checks;
  sim.run(10000.0);
  EXPECT_EQ(sim.stats().window_checks, checks);
  EXPECT_TRUE(sim.pending_events(10).empty());
  EXPECT_EQ(sim.next_event_time(), std::numeric_limits<double>::infinity());
  EXPECT_EQ(sim.spikes().size(), 1u);  // the source's
}

}  // namespace
}  // namespace syn::test
