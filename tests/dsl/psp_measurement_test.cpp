// PSPs measured on the exact trajectory (run/psp_measurement.hpp) against closed forms solved
// here in long double, and a conductance PSP against the 50-digit reference; which inputs count
// as alone.

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "conductance_reference.hpp"
#include "front_end/front_end.hpp"
#include "model_runner.hpp"
#include "run/input_arrivals.hpp"
#include "test_files.hpp"

namespace syn::dsl {
namespace {

// Runs `text` as `syn run --measure` does and returns its summary.
run_summary measured(const std::string& text) {
  syn::test::temp_dir tmp;
  return test::run_model(text, tmp.path() / "out", true);
}

// The first time in [lo, hi] where f changes sign (f(lo) and f(hi) of opposite signs), by
// bisection in long double.
template <typename F>
long double bisect(F f, long double lo, long double hi) {
  const bool lo_sign = f(lo) > 0;
  for (int i = 0; i < 200; ++i) {
    const long double mid = (lo + hi) / 2;
    ((f(mid) > 0) == lo_sign ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

// The shape of psp(t) (t from the arrival, peaking at `peak`), by bisection: the half-width.
template <typename F>
long double half_width(F psp, long double peak, long double horizon) {
  const long double half = psp(peak) / 2;
  const auto above = [&](long double t) { return psp(t) - half; };
  return bisect(above, peak, horizon) - bisect(above, 0.0L, peak);
}

std::string one_input(const std::string& receptor, const std::string& weight,
                      const std::string& times = "[5 ms]") {
  return "receptor R { " + receptor +
         " }\n"
         "neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms; capacitance = 250 pF }\n"
         "population n = LIF\n"
         "train stim = times " +
         times +
         "\n"
         "connect stim -> n via R weight " +
         weight +
         " delay 1 ms\n"
         "run 200 ms\n";
}

const measured_neuron& only_neuron(const run_summary& s) {
  static const measured_neuron none;
  if (!s.psps || s.psps->size() != 1) {
    ADD_FAILURE() << "expected one measured neuron";
    return none;
  }
  return s.psps->front();
}

TEST(psp_measurement, exponential_current_matches_the_closed_form) {
  // PSP ∝ exp(-t/tau_m) - exp(-t/tau_s), peaking at t* = tau_m tau_s / (tau_m - tau_s)
  // ln(tau_m / tau_s), its peak the weight (mV weights are the peak at rest).
  const long double tau_m = 10, tau_s = 2;
  const auto psp = [&](long double t) { return std::exp(-t / tau_m) - std::exp(-t / tau_s); };
  const long double peak = tau_m * tau_s / (tau_m - tau_s) * std::log(tau_m / tau_s);
  const run_summary s = measured(one_input("reversal = 0 mV; decay = 2 ms", "4 mV"));
  const measured_neuron& n = only_neuron(s);
  ASSERT_EQ(n.alone.size(), 1u);
  EXPECT_EQ(n.neuron, "n[0]");
  const measured_psp& p = n.alone[0];
  EXPECT_EQ(p.arrival, 6.0);
  EXPECT_EQ(p.source, "stim[0]");
  EXPECT_EQ(p.receptor, "R");
  EXPECT_NEAR(p.shape.amplitude, 4.0, 1e-9);
  EXPECT_NEAR(p.shape.time_to_peak, static_cast<double>(peak), 1e-9);
  EXPECT_NEAR(p.shape.half_width, static_cast<double>(half_width(psp, peak, 200)), 1e-9);
  EXPECT_EQ(n.overlapping, 0u);
  EXPECT_EQ(n.unfinished, 0u);
}

TEST(psp_measurement, equal_time_constants_give_the_alpha_shape) {
  // tau_s == tau_m: PSP ∝ t exp(-t/tau), peaking at tau.
  const long double tau = 10;
  const auto psp = [&](long double t) { return t * std::exp(-t / tau); };
  const run_summary s = measured(one_input("reversal = 0 mV; decay = 10 ms", "3 mV"));
  const measured_neuron& n = only_neuron(s);
  ASSERT_EQ(n.alone.size(), 1u);
  EXPECT_NEAR(n.alone[0].shape.amplitude, 3.0, 1e-9);
  EXPECT_NEAR(n.alone[0].shape.time_to_peak, 10.0, 1e-9);
  EXPECT_NEAR(n.alone[0].shape.half_width, static_cast<double>(half_width(psp, tau, 150)), 1e-9);
}

TEST(psp_measurement, an_ipsp_is_negative) {
  const long double tau_m = 10, tau_s = 5;
  const auto psp = [&](long double t) { return std::exp(-t / tau_m) - std::exp(-t / tau_s); };
  const long double peak = tau_m * tau_s / (tau_m - tau_s) * std::log(tau_m / tau_s);
  const run_summary s = measured(one_input("reversal = -80 mV; decay = 5 ms", "2 mV"));
  const measured_neuron& n = only_neuron(s);
  ASSERT_EQ(n.alone.size(), 1u);
  EXPECT_NEAR(n.alone[0].shape.amplitude, -2.0, 1e-9);
  EXPECT_NEAR(n.alone[0].shape.time_to_peak, static_cast<double>(peak), 1e-9);
  EXPECT_NEAR(n.alone[0].shape.half_width, static_cast<double>(half_width(psp, peak, 190)), 1e-9);
}

TEST(psp_measurement, a_jump_peaks_at_its_arrival_and_halves_in_tau_m_ln_2) {
  const run_summary s = measured(one_input("kinetics = jump; effect = excitatory", "5 mV"));
  const measured_neuron& n = only_neuron(s);
  ASSERT_EQ(n.alone.size(), 1u);
  EXPECT_NEAR(n.alone[0].shape.amplitude, 5.0, 1e-12);
  EXPECT_EQ(n.alone[0].shape.time_to_peak, 0.0);
  EXPECT_NEAR(n.alone[0].shape.half_width, 10.0 * std::log(2.0), 1e-9);
}

TEST(psp_measurement, a_rise_stage_delays_the_peak) {
  // Bi-exponential current (rise 0.5 ms, decay 2 ms) into tau_m 10 ms: the PSP is a sum of
  // three exponentials, exp(-t/10)/((1/2-1/10)(2-1/10))... written from its impulse response.
  const long double a = 1 / 10.0L, b = 1 / 2.0L, c = 1 / 0.5L;
  const auto psp = [&](long double t) {
    return std::exp(-a * t) / ((b - a) * (c - a)) + std::exp(-b * t) / ((a - b) * (c - b)) +
           std::exp(-c * t) / ((a - c) * (b - c));
  };
  const auto slope = [&](long double t) {
    return -a * std::exp(-a * t) / ((b - a) * (c - a)) -
           b * std::exp(-b * t) / ((a - b) * (c - b)) - c * std::exp(-c * t) / ((a - c) * (b - c));
  };
  const long double peak = bisect(slope, 0.01L, 50.0L);
  const run_summary s = measured(one_input("reversal = 0 mV; rise = 0.5 ms; decay = 2 ms", "4 mV"));
  const measured_neuron& n = only_neuron(s);
  ASSERT_EQ(n.alone.size(), 1u);
  EXPECT_NEAR(n.alone[0].shape.amplitude, 4.0, 1e-9);
  EXPECT_NEAR(n.alone[0].shape.time_to_peak, static_cast<double>(peak), 1e-9);
  EXPECT_NEAR(n.alone[0].shape.half_width, static_cast<double>(half_width(psp, peak, 190)), 1e-9);
}

TEST(psp_measurement, overlapping_inputs_are_counted_not_measured) {
  // 5 and 7 ms overlap (each within the other's PSP); 100 ms is alone (its PSP is over, within
  // 1 % of its amplitude, 52 ms later); 200 ms and 200 ms from two sources arrive together.
  const std::string text =
      "receptor R { reversal = 0 mV; decay = 2 ms }\n"
      "neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }\n"
      "population n = LIF\n"
      "train a = times [5 ms, 7 ms, 100 ms, 200 ms]\n"
      "train b = times [200 ms]\n"
      "connect a -> n via R weight 2 mV delay 1 ms\n"
      "connect b -> n via R weight 2 mV delay 1 ms\n"
      "run 300 ms\n";
  const run_summary s = measured(text);
  const measured_neuron& n = only_neuron(s);
  EXPECT_EQ(n.alone_count, 1u);
  EXPECT_EQ(n.overlapping, 4u);
  EXPECT_EQ(n.unfinished, 0u);
  ASSERT_EQ(n.alone.size(), 1u);
  EXPECT_EQ(n.alone[0].arrival, 101.0);
  // Its baseline is the earlier PSPs' tail, 9 tau_m later: the amplitude is 2 mV within it.
  EXPECT_NEAR(n.alone[0].shape.amplitude, 2.0, 1e-3);
}

TEST(psp_measurement, a_psp_on_a_moving_baseline_is_not_alone) {
  // V starts 10 mV above rest and relaxes: the input at 6 ms rides on a slope of -0.55 mV/ms; at
  // 150 ms the baseline is flat again.
  const run_summary s = measured(
      "receptor R { reversal = 0 mV; decay = 2 ms }\n"
      "neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms; v0 = -60 mV }\n"
      "population n = LIF\n"
      "train a = times [5 ms, 150 ms]\n"
      "connect a -> n via R weight 2 mV delay 1 ms\n"
      "run 300 ms\n");
  const measured_neuron& n = only_neuron(s);
  EXPECT_EQ(n.overlapping, 1u);
  ASSERT_EQ(n.alone.size(), 1u);
  EXPECT_EQ(n.alone[0].arrival, 151.0);
  EXPECT_NEAR(n.alone[0].shape.amplitude, 2.0, 1e-5);
}

TEST(psp_measurement, v_a_is_read_after_the_refractory_period_that_ends_before_the_arrival) {
  // v0 above threshold fires n at 0; its refractory period ends at 2.2 ms, and V relaxes from
  // reset (-60 mV) at -0.97 mV/ms when the jump arrives at 2.5 ms: a moving baseline. Read
  // during the period (R's current makes n's V more than a membrane, so held at the reset
  // throughout), V_a was the reset with slope 0, and that PSP alone, of 1.7 mV.
  const run_summary s = measured(
      "receptor J { reversal = 0 mV; kinetics = jump }\n"
      "receptor R { reversal = 0 mV; decay = 2 ms }\n"
      "neuron LIF { rest = -70 mV; threshold = -55 mV; reset = -60 mV; refractory = 2.2 ms;\n"
      "             tau_m = 10 ms; v0 = -50 mV }\n"
      "population n = LIF\n"
      "train a = times [0.5 ms, 150 ms]\n"
      "train b = times [250 ms]\n"
      "connect a -> n via J weight 2 mV delay 2 ms\n"
      "connect b -> n via R weight 2 mV delay 2 ms\n"
      "run 400 ms\n");
  const measured_neuron& n = only_neuron(s);
  EXPECT_EQ(n.overlapping, 1u);
  ASSERT_EQ(n.alone.size(), 2u);
  EXPECT_EQ(n.alone[0].arrival, 152.0);
  EXPECT_NEAR(n.alone[0].shape.amplitude, 2.0, 1e-9);
  EXPECT_EQ(n.alone[0].shape.time_to_peak, 0.0);
  EXPECT_EQ(n.alone[1].arrival, 252.0);
  EXPECT_NEAR(n.alone[1].shape.amplitude, 2.0, 1e-4);  // on the tail of the jump at 152 ms
}

TEST(psp_measurement, a_psp_not_over_by_the_end_is_unfinished) {
  const run_summary s = measured(
      "receptor R { reversal = 0 mV; decay = 2 ms }\n"
      "neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }\n"
      "population n = LIF\n"
      "train a = times [5 ms]\n"
      "connect a -> n via R weight 2 mV delay 1 ms\n"
      "run 10 ms\n");
  const measured_neuron& n = only_neuron(s);
  EXPECT_EQ(n.alone_count, 0u);
  EXPECT_EQ(n.unfinished, 1u);
}

TEST(psp_measurement, an_input_that_fires_the_neuron_is_not_alone) {
  const run_summary s = measured(one_input("reversal = 0 mV; decay = 2 ms", "25 mV"));
  const measured_neuron& n = only_neuron(s);
  EXPECT_EQ(n.alone_count, 0u);
  EXPECT_EQ(n.overlapping, 1u);
}

TEST(psp_measurement, a_conductance_psp_matches_the_reference) {
  // 20 nS of a reversal at 0 mV, decay 3 ms, on 250 pF and tau_m 10 ms; the 50-digit reference
  // gives V where the measurement put the peak and the half-amplitude crossings.
  const run_summary s = measured(
      "receptor R { reversal = 0 mV; decay = 3 ms }\n"
      "neuron LIF { rest = -70 mV; threshold = -40 mV; tau_m = 10 ms; capacitance = 250 pF }\n"
      "population n = LIF\n"
      "train stim = times [5 ms]\n"
      "connect stim -> n via R weight 20 nS delay 1 ms\n"
      "run 200 ms\n");
  const measured_neuron& n = only_neuron(s);
  ASSERT_EQ(n.alone.size(), 1u);
  const psp_shape& p = n.alone[0].shape;
  EXPECT_GT(p.end, 6.0 + p.half_rise + p.half_width);
  EXPECT_TRUE(n.alone[0].conductance);
  EXPECT_GT(p.amplitude, 1.0);
  conductance_reference::cell c;
  c.neuron.rest = -70;
  c.neuron.threshold = -40;
  c.neuron.tau_m = 10;
  c.neuron.capacitance = 250;
  receptor_params r;
  r.decay = 3;
  r.reversal = 0.0;
  c.receptors.push_back(r);
  c.synapses.push_back({0, 20, weight_unit::nS, 0});
  c.inputs.push_back({6.0, 0});
  const double peak = 6.0 + p.time_to_peak, delta = 1e-6;
  const double t1 = 6.0 + p.half_rise, t2 = t1 + p.half_width;
  ASSERT_LT(t1, peak);
  const auto reference =
      conductance_reference::simulate(c, 100, {t1, peak - delta, peak, peak + delta, t2});
  ASSERT_FALSE(reference.ill_conditioned) << *reference.ill_conditioned;
  const auto v = [&](int i) { return static_cast<double>(reference.samples[i].v); };
  EXPECT_NEAR(v(2) - -70.0, p.amplitude, 1e-11);
  // The peak is a maximum of the reference's V within delta (its curvature makes a peak
  // misplaced by delta show as 1e-13 mV, which 50 digits resolve).
  EXPECT_GT(reference.samples[2].v, reference.samples[1].v);
  EXPECT_GT(reference.samples[2].v, reference.samples[3].v);
  // t_1 and t_2 are where the reference's V crosses half the amplitude (its slope there, about
  // 1 mV/ms, turns 1e-9 ms into 1e-9 mV).
  EXPECT_NEAR(v(0), -70.0 + p.amplitude / 2, 1e-9);
  EXPECT_NEAR(v(4), -70.0 + p.amplitude / 2, 1e-9);
}

TEST(input_arrivals, onto_one_neuron_in_time_order) {
  network net;
  const model_id m = net.add_model({.rest = -70, .threshold = -50, .tau_m = 10});
  const receptor_id r = net.add_receptor({.decay = 2, .reversal = 0});
  const population src = net.add_sources("s", {{1.0}, {2.0}});
  const population cell = net.add_neurons("n", m, 2);
  net.connect(src[0], cell[0], {.receptor = r, .weight = 1, .delay = 3});
  net.connect(src[1], cell[0], {.receptor = r, .weight = 1, .delay = 0.5});
  net.connect(src[1], cell[1], {.receptor = r, .weight = 1, .delay = 0.5});
  const std::vector<spike> spikes{{1.0, src[0]}, {2.0, src[1]}};
  const auto a = input_arrivals(net, cell[0], spikes);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].time, 2.5);
  EXPECT_EQ(a[0].pre, src[1]);
  EXPECT_EQ(a[1].time, 4.0);
  EXPECT_EQ(a[1].pre, src[0]);
  EXPECT_GT(a[1].increment, 0.0);
  // The same, streamed in two batches, and kept to the first `most`.
  arrival_recorder all(net, {cell[0], cell[1]}, 10), first(net, {cell[0]}, 1);
  for (const spike& s : spikes) {
    all.take(std::span<const spike>(&s, 1));
    first.take(std::span<const spike>(&s, 1));
  }
  const auto streamed = all.arrivals_onto(cell[0]);
  ASSERT_EQ(streamed.size(), 2u);
  EXPECT_EQ(streamed[0].time, 2.5);
  EXPECT_EQ(streamed[1].time, 4.0);
  ASSERT_EQ(all.arrivals_onto(cell[1]).size(), 1u);
  EXPECT_EQ(all.arrivals_onto(cell[1])[0].post, cell[1]);
  ASSERT_EQ(first.arrivals_onto(cell[0]).size(), 1u);
  EXPECT_EQ(first.arrivals_onto(cell[0])[0].time, 4.0);  // the first to come: src[0]'s
}

}  // namespace
}  // namespace syn::dsl
