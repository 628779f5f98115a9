// Single neurons against closed forms derived by hand (see test_networks.hpp): DC drive, PSP
// shapes and peaks for every kernel and weight unit, attenuation, sign rules and summation.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "test_networks.hpp"

namespace syn::test {
namespace {

constexpr double arrival = 1.0;  // every input here: one source spike at 0 ms, delay 1 ms

TEST(dc_drive, fires_at_the_closed_form_time_then_with_period_plus_refractory) {
  neuron_params p = lif();
  p.bias = 500.0;  // u_inf = bias tau_m / C = 20 mV
  p.refractory = 2.0;
  network net;
  const node_id n = add_neuron(net, p);
  simulator sim(net);
  sim.record_v({n}, 0.5);
  sim.run(100.0);

  // u(t) = u_inf (1 - e^{-t/tau_m}) reaches theta at tau_m ln(u_inf / (u_inf - theta)); after
  // each spike the same trajectory restarts from reset = rest once refractoriness ends.
  const real u_inf = 20, theta = 15;
  const real first = 10 * std::log(u_inf / (u_inf - theta));
  const real period = first + 2;
  const auto times = spike_times(sim, n);
  ASSERT_EQ(times.size(), 6u);
  for (std::size_t k = 0; k < times.size(); ++k)
    EXPECT_NEAR(times[k], first + k * period, 1e-10) << "spike " << k;

  std::vector<sample> before_first;
  for (const sample& s : samples_of(sim, n))
    if (s.time < first) before_first.push_back(s);
  expect_samples_near(
      before_first, [&](real t) { return -70 + u_inf * -std::expm1(-t / 10); }, 1e-12);
}

TEST(dc_drive, restarts_from_a_reset_below_rest) {
  neuron_params p = lif();
  p.bias = 500.0;
  p.reset = -75.0;
  p.refractory = 1.5;
  network net;
  const node_id n = add_neuron(net, p);
  simulator sim(net);
  sim.run(60.0);

  // From u_r = reset - rest: u = u_inf + (u_r - u_inf) e^{-t/tau_m} reaches theta after
  // tau_m ln((u_inf - u_r) / (u_inf - theta)).
  const real u_inf = 20, theta = 15, u_r = -5;
  const real first = 10 * std::log(u_inf / (u_inf - theta));
  const real interval = 1.5 + 10 * std::log((u_inf - u_r) / (u_inf - theta));
  const auto times = spike_times(sim, n);
  ASSERT_EQ(times.size(), 3u);
  for (std::size_t k = 0; k < times.size(); ++k)
    EXPECT_NEAR(times[k], first + k * interval, 1e-10) << "spike " << k;
}

// --- mV weights: the PSP peak is the weight, for every kernel ---

class mv_weight : public ::testing::TestWithParam<kernel_case> {};

TEST_P(mv_weight, sets_the_psp_peak_and_shape) {
  const kernel_case k = GetParam();
  const double weight = 4.0;
  network net;
  const node_id n = add_neuron(net, lif());
  const receptor_id r =
      net.add_receptor(k.jump ? jump_receptor() : current_receptor(k.rise, k.decay));
  net.connect(add_source(net), n, synapse(r, weight, weight_unit::mV, 1.0));

  // Jump: weight e^{-t/tau_m}, peaking on arrival; currents: the normalised closed forms.
  std::function<real(real)> psp = [&](real t) { return t < 0 ? 0 : weight * std::exp(-t / 10); };
  double peak_at = arrival;
  if (!k.jump) {
    const mv_psp current_psp(k.rise, k.decay, 250, 10, weight);
    psp = current_psp;
    peak_at += static_cast<double>(current_psp.peak_at);
  }

  simulator sim(net);
  sim.record_v({n}, 0.03);  // off the arrival instant, which would be ambiguous for a jump
  sim.run(peak_at);
  EXPECT_NEAR(sim.v(n), -70.0 + weight, 1e-12);
  sim.run(60.0 - sim.time());
  expect_samples_near(
      samples_of(sim, n), [&](real t) { return -70 + psp(t - arrival); }, 1e-12);
  EXPECT_TRUE(spike_times(sim, n).empty());
}

INSTANTIATE_TEST_SUITE_P(
    kernels, mv_weight,
    ::testing::Values(kernel_case{"jump", true, 0, 0}, kernel_case{"exponential", false, 0, 5},
                      kernel_case{"exponential_slower_than_membrane", false, 0, 20},
                      kernel_case{"biexponential", false, 0.5, 5},
                      kernel_case{"biexponential_slow", false, 2, 30},
                      kernel_case{"alpha", false, 3, 3}),
    kernel_case_name);

// --- pA weights: the current's peak (nS weights: conductance_test.cpp) ---

TEST(pa_weight, exponential_psp_matches_the_closed_form) {
  network net;
  const node_id n = add_neuron(net, lif());
  net.connect(add_source(net), n,
              synapse(net.add_receptor(current_receptor(0, 5)), 100, weight_unit::pA, 1.0));
  simulator sim(net);
  sim.record_v({n}, 0.25);
  sim.run(50.0);
  // (I0/C) (e^{-t/ts} - e^{-t/tm}) / (1/tm - 1/ts), written out literally here.
  const auto psp = [](real t) {
    if (t <= 0) return real{0};
    return 100.0L / 250 * (std::exp(-t / 5) - std::exp(-t / 10)) / (1.0L / 10 - 1.0L / 5);
  };
  expect_samples_near(
      samples_of(sim, n), [&](real t) { return -70 + psp(t - arrival); }, 1e-12);
}

TEST(pa_weight, alpha_and_biexponential_psps_match_their_closed_forms) {
  network net;
  const node_id alpha = add_neuron(net, lif());
  const node_id biexp = add_neuron(net, lif());
  const node_id s = add_source(net);
  net.connect(s, alpha,
              synapse(net.add_receptor(current_receptor(3, 3)), 100, weight_unit::pA, 1.0));
  net.connect(s, biexp,
              synapse(net.add_receptor(current_receptor(0.5, 5)), 100, weight_unit::pA, 1.0));
  simulator sim(net);
  sim.record_v({alpha, biexp}, 0.25);
  sim.run(50.0);
  expect_samples_near(
      samples_of(sim, alpha),
      [](real t) { return -70 + alpha_current_psp(100, 250, 3, 10, t - arrival); }, 1e-12);
  expect_samples_near(
      samples_of(sim, biexp),
      [](real t) { return -70 + biexp_current_psp(100, 250, 0.5, 5, 10, t - arrival); }, 1e-12);
}

TEST(pa_weight, is_the_peak_of_the_current_for_every_kernel) {
  // The current's peak is invisible in V, but the PSP is linear in it: a PSP of a current with peak
  // 100 pA, computed by quadrature of its normalised kernel, must match.
  for (const auto& [rise, decay] : {std::pair{0.0, 5.0}, {0.5, 5.0}, {2.0, 30.0}, {3.0, 3.0}}) {
    SCOPED_TRACE(fmt::format("rise {} decay {}", rise, decay));
    network net;
    const node_id n = add_neuron(net, lif());
    net.connect(
        add_source(net), n,
        synapse(net.add_receptor(current_receptor(rise, decay)), 100, weight_unit::pA, 1.0));
    simulator sim(net);
    sim.record_v({n}, 1.0 / 3);
    sim.run(40.0);
    const current_kernel current{100, rise, decay};
    expect_samples_near(
        samples_of(sim, n),
        [&](real t) { return -70 + quadrature_psp(current, 250, 10, t - arrival); }, 1e-12);
  }
}

// --- Dendritic attenuation ---

TEST(attenuation, scales_every_weight_unit_by_exp_of_minus_distance_over_length_constant) {
  neuron_params p = lif();
  p.length_constant = 200.0;
  const real factor = std::exp(-150.0L / 200);
  network net;
  const node_id jump = add_neuron(net, p);
  const node_id mv = add_neuron(net, p);
  const node_id pa = add_neuron(net, p);
  const node_id unattenuated = add_neuron(net, lif());  // infinite length constant
  const node_id s = add_source(net);
  const receptor_id r_jump = net.add_receptor(jump_receptor());
  const receptor_id r_exp = net.add_receptor(current_receptor(0, 5));
  net.connect(s, jump, synapse(r_jump, 4.0, weight_unit::mV, 1.0, 150.0));
  net.connect(s, mv, synapse(r_exp, 4.0, weight_unit::mV, 1.0, 150.0));
  net.connect(s, pa, synapse(r_exp, 100.0, weight_unit::pA, 1.0, 150.0));
  net.connect(s, unattenuated, synapse(r_jump, 4.0, weight_unit::mV, 1.0, 150.0));

  simulator sim(net);
  sim.record_v({mv, pa}, 0.25);
  sim.run(arrival);
  EXPECT_NEAR(sim.v(jump), -70 + 4 * factor, 1e-12);
  EXPECT_NEAR(sim.v(unattenuated), -66.0, 1e-12);
  sim.run(40.0);
  const mv_psp psp(0, 5, 250, 10, 4);
  expect_samples_near(
      samples_of(sim, mv), [&](real t) { return -70 + factor * psp(t - arrival); }, 1e-12);
  expect_samples_near(
      samples_of(sim, pa),
      [&](real t) { return -70 + factor * exp_current_psp(100, 250, 5, 10, t - arrival); }, 1e-12);
}

// --- Sign rules ---

TEST(sign, same_receptor_excites_below_its_reversal_inhibits_above_and_shunts_at_it) {
  receptor_params r = current_receptor(0, 5, effect::from_reversal);
  r.reversal = -60.0;
  neuron_params below = lif();  // rest -70 < E
  neuron_params above = lif();
  above.rest = -50.0;
  above.threshold = -40.0;
  neuron_params at = lif();
  at.rest = -60.0;
  at.threshold = -45.0;

  network net;
  const receptor_id rid = net.add_receptor(r);
  const node_id s = add_source(net);
  const node_id mv_below = add_neuron(net, below);
  const node_id mv_above = add_neuron(net, above);
  const node_id mv_at = add_neuron(net, at);
  for (node_id n : {mv_below, mv_above, mv_at})
    net.connect(s, n, synapse(rid, 3.0, weight_unit::mV, 1.0));

  simulator sim(net);
  sim.record_v({mv_below, mv_above, mv_at}, 0.25);
  sim.run(40.0);
  const mv_psp psp(0, 5, 250, 10, 3);
  expect_samples_near(
      samples_of(sim, mv_below), [&](real t) { return -70 + psp(t - arrival); }, 1e-12);
  expect_samples_near(
      samples_of(sim, mv_above), [&](real t) { return -50 - psp(t - arrival); }, 1e-12);
  for (const sample& x : samples_of(sim, mv_at)) EXPECT_EQ(x.v, -60.0) << describe(x);
}

TEST(sign, stated_effect_overrides_the_reversal_side) {
  receptor_params r = current_receptor(0, 5, effect::inhibitory);
  r.reversal = 0.0;  // above rest, yet stated inhibitory
  network net;
  const receptor_id rid = net.add_receptor(r);
  const node_id s = add_source(net);
  const node_id mv = add_neuron(net, lif());
  net.connect(s, mv, synapse(rid, 3.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.record_v({mv}, 0.25);
  sim.run(40.0);
  const mv_psp psp(0, 5, 250, 10, 3);
  expect_samples_near(
      samples_of(sim, mv), [&](real t) { return -70 - psp(t - arrival); }, 1e-12);
}

// --- Summation ---

TEST(summation, two_simultaneous_subthreshold_epsps_cross_together) {
  network net;
  const node_id both = add_neuron(net, lif());
  const node_id one = add_neuron(net, lif());
  const receptor_id fast = net.add_receptor(current_receptor(0, 5));
  const receptor_id biexp = net.add_receptor(current_receptor(0.5, 5));
  const node_id a = add_source(net);
  const node_id b = add_source(net);
  net.connect(a, both, synapse(fast, 9.0, weight_unit::mV, 1.0));
  net.connect(b, both, synapse(biexp, 8.0, weight_unit::mV, 1.0));
  net.connect(a, one, synapse(fast, 9.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(50.0);

  const mv_psp pa(0, 5, 250, 10, 9), pb(0.5, 5, 250, 10, 8);
  const auto crossing = first_crossing([&](real t) { return pa(t) + pb(t) - 15; }, 0, 40, 0.01L);
  ASSERT_TRUE(crossing.has_value());
  const auto times = spike_times(sim, both);
  ASSERT_EQ(times.size(), 1u);
  EXPECT_NEAR(times[0], arrival + *crossing, 1e-10);
  EXPECT_TRUE(spike_times(sim, one).empty());
}

TEST(summation, two_subthreshold_epsps_in_succession_cross_between_inputs) {
  network net;
  const node_id twice = add_neuron(net, lif());
  const node_id once = add_neuron(net, lif());
  const receptor_id r = net.add_receptor(current_receptor(0, 5));
  net.connect(add_source(net, {0.0, 2.5}), twice, synapse(r, 9.0, weight_unit::mV, 1.0));
  net.connect(add_source(net, {0.0}), once, synapse(r, 9.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.run(50.0);

  const mv_psp psp(0, 5, 250, 10, 9);
  const auto crossing =
      first_crossing([&](real t) { return psp(t - 1) + psp(t - 3.5) - 15; }, 0, 40, 0.01L);
  ASSERT_TRUE(crossing.has_value());
  // After the second arrival: found by prediction, not by a test on arrival.
  ASSERT_GT(*crossing, 3.5);
  const auto times = spike_times(sim, twice);
  ASSERT_EQ(times.size(), 1u);
  EXPECT_NEAR(times[0], *crossing, 1e-10);
  EXPECT_TRUE(spike_times(sim, once).empty());
}

}  // namespace
}  // namespace syn::test
