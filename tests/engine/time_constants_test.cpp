// Time constants equal or nearly equal to each other (synaptic decay vs tau_m, rise vs decay) must
// stay exact: the naive closed forms divide by their difference and lose every digit as it
// vanishes. Sweeps offsets 10^-1 .. 10^-12 on both sides, and exact equality.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "test_networks.hpp"

namespace syn::test {
namespace {

constexpr double arrival = 1.0;     // one source spike at 0 ms, delay 1 ms
constexpr double relative = 1e-12;  // of the PSP's peak, or of the spike time

// A time constant base * (1 + sign 10^-k); sign 0: exactly base.
struct offset {
  int sign;
  int k;
  double of(double base) const { return sign == 0 ? base : base * (1 + sign * std::pow(10.0, -k)); }
};

std::vector<offset> offsets(bool below_only, int from_k = 1) {
  std::vector<offset> all{{0, 0}};
  for (int k = from_k; k <= 12; ++k) {
    all.push_back({-1, k});
    if (!below_only) all.push_back({+1, k});
  }
  return all;
}

std::string offset_name(const ::testing::TestParamInfo<offset>& info) {
  const offset o = info.param;
  return o.sign == 0 ? std::string("equal")
                     : fmt::format("{}_1e_minus_{}", o.sign > 0 ? "plus" : "minus", o.k);
}

// One receptor on lif() (tau_m 10 ms, C 250 pF) from one source spike, through three synapses:
// 100 pA (sub-threshold: V at every sample), a pA weight whose PSP would peak at 22.5 mV (the
// spike time) and 4 mV (the peak). unit_psp(t): the reference response to a current of 1 pA peak.
void expect_kernel_exact(double rise, double decay, const std::function<real(real)>& unit_psp) {
  const current_kernel unit_current{1, rise, decay};
  const real peak_at =
      peak_time([&](real t) { return unit_current(t) / 250 - unit_psp(t) / 10; }, 0, 100);
  const real unit_peak = unit_psp(peak_at);
  const double spiking_weight = static_cast<double>(22.5L / unit_peak);

  network net;
  const receptor_id r = net.add_receptor(current_receptor(rise, decay));
  const node_id s = add_source(net);
  const node_id small = add_neuron(net, lif());
  const node_id spiking = add_neuron(net, lif());
  const node_id mv = add_neuron(net, lif());
  net.connect(s, small, synapse(r, 100.0, weight_unit::pA, 1.0));
  net.connect(s, spiking, synapse(r, spiking_weight, weight_unit::pA, 1.0));
  net.connect(s, mv, synapse(r, 4.0, weight_unit::mV, 1.0));
  simulator sim(net);
  sim.record_v({small}, 0.5);
  sim.run(arrival + static_cast<double>(peak_at));
  EXPECT_NEAR(sim.v(mv), -66.0, 4 * relative) << "mV weight: the peak";
  sim.run(40.0 - sim.time());

  expect_samples_near(
      samples_of(sim, small), [&](real t) { return -70 + 100 * unit_psp(t - arrival); },
      relative * 100 * static_cast<double>(unit_peak));
  // The PSP rises monotonically to its peak, so it crosses once before it.
  const real crossing =
      bisect([&](real t) { return spiking_weight * unit_psp(t) - 15; }, 0, peak_at);
  const auto times = spike_times(sim, spiking);
  ASSERT_FALSE(times.empty());
  EXPECT_NEAR(times[0], arrival + crossing, relative * static_cast<double>(arrival + crossing));
}

class synaptic_decay_near_tau_m : public ::testing::TestWithParam<offset> {};

TEST_P(synaptic_decay_near_tau_m, exponential_current_stays_exact) {
  const double tau_s = GetParam().of(10.0);
  // exp_current_psp is the expm1 form, exactly (1/C) t e^{-t/tau} at tau_s == tau_m.
  expect_kernel_exact(0, tau_s, [&](real t) { return exp_current_psp(1, 250, tau_s, 10, t); });
}

INSTANTIATE_TEST_SUITE_P(offsets, synaptic_decay_near_tau_m, ::testing::ValuesIn(offsets(false)),
                         offset_name);

// Within 1e-10 of tau_m the response is nearly (I0/C) t e^{-t/tau}: to first order in
// d = 1/tau_m - 1/tau_s it differs by (I0/C) e^{-t/tau} t^2 d / 2, at most (I0/C) 2 tau^2 |d| / e^2
// (at t = 2 tau), i.e. 1.08 mV times the relative offset here.
class synaptic_decay_nearly_tau_m : public ::testing::TestWithParam<offset> {};

TEST_P(synaptic_decay_nearly_tau_m, matches_the_degenerate_t_exp_form) {
  const double tau_s = GetParam().of(10.0);
  network net;
  const node_id n = add_neuron(net, lif());
  net.connect(add_source(net), n,
              synapse(net.add_receptor(current_receptor(0, tau_s)), 100, weight_unit::pA, 1.0));
  simulator sim(net);
  sim.record_v({n}, 0.5);
  sim.run(40.0);
  // Peak (I0/C) tau / e = 1.47 mV.
  const auto degenerate = [](real t) { return t <= 0 ? 0 : 100.0L / 250 * t * std::exp(-t / 10); };
  const double drift = 100.0 / 250 * 2 * 10 * 10 * std::abs(1 / tau_s - 0.1) / std::exp(2.0);
  expect_samples_near(
      samples_of(sim, n), [&](real t) { return -70 + degenerate(t - arrival); },
      relative * 1.5 + drift);
}

INSTANTIATE_TEST_SUITE_P(offsets, synaptic_decay_nearly_tau_m,
                         ::testing::ValuesIn(offsets(false, 10)), offset_name);

class alpha_near_tau_m : public ::testing::TestWithParam<offset> {};

TEST_P(alpha_near_tau_m, stays_exact) {
  const double tau = GetParam().of(10.0);
  const current_kernel unit_current{1, tau, tau};
  expect_kernel_exact(tau, tau, [&](real t) {
    return tau == 10.0 ? alpha_current_psp(1, 250, 10, 10, t)
                       : quadrature_psp(unit_current, 250, 10, t);
  });
}

INSTANTIATE_TEST_SUITE_P(offsets, alpha_near_tau_m, ::testing::ValuesIn(offsets(false)),
                         offset_name);

class rise_near_decay : public ::testing::TestWithParam<offset> {};

TEST_P(rise_near_decay, stays_exact_away_from_tau_m) {
  const double rise = GetParam().of(5.0);
  const current_kernel unit_current{1, rise, 5.0};
  expect_kernel_exact(rise, 5.0, [&](real t) { return quadrature_psp(unit_current, 250, 10, t); });
}

TEST_P(rise_near_decay, stays_exact_with_decay_equal_to_tau_m) {
  const double rise = GetParam().of(10.0);
  const current_kernel unit_current{1, rise, 10.0};
  expect_kernel_exact(rise, 10.0, [&](real t) { return quadrature_psp(unit_current, 250, 10, t); });
}

INSTANTIATE_TEST_SUITE_P(offsets, rise_near_decay, ::testing::ValuesIn(offsets(true)), offset_name);

// A neuron's record keeps the epoch of its amplitudes in 48 bits (an epoch lasts 30 of its model's
// fastest time constants): a run that would pass 2^48 epochs is refused before it starts, on one
// thread and on several, and the simulation stays usable.
TEST(epoch_horizon, a_run_past_2_to_the_48_epochs_is_refused) {
  network net;
  const receptor_id r = net.add_receptor(current_receptor(0.0, 1.0));
  const node_id s = add_source(net);
  const node_id n = add_neuron(net, lif());
  net.connect(s, n, synapse(r, 100.0, weight_unit::pA, 1.0));
  const double horizon = 0x1p48 * 30.0;  // ms: 30 decay time constants of 1 ms an epoch
  for (const std::uint32_t threads : {1u, 2u}) {
    simulator sim(net, threads);
    try {
      sim.run_until(horizon);
      ADD_FAILURE() << "a run to the horizon was accepted";
    } catch (const model_error& e) {
      EXPECT_EQ(std::string(e.what()),
                fmt::format("run: the end ({} ms) is too far for the fastest time constant of a "
                            "neuron model: runs end before {} ms",
                            horizon, horizon));
    }
    EXPECT_EQ(sim.time(), 0.0);
    sim.run_until(std::nextafter(100.0, 0.0));
    EXPECT_EQ(sim.time(), std::nextafter(100.0, 0.0));
  }
}

}  // namespace
}  // namespace syn::test
