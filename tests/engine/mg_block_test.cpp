// The NMDA receptor's magnesium block (Jahr & Stevens 1990) on single neurons, against references
// computed here in long double: the equilibrium under a constant blocked conductance (a root of
// the algebraic equation) and trajectories integrated by classical Runge-Kutta with steps of
// 1e-4 ms, whose error (order dt^4) is far below the tolerances. The 50-digit random-scenario
// comparison is mg_block_reference_test.cpp.

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "conductance_closed_forms.hpp"
#include "test_networks.hpp"

namespace syn::test {
namespace {

constexpr real tau_m = 10, capacitance = 250;  // lif()
constexpr real arrival = 1;                     // one source spike at 0 ms, delay 1 ms

real block(real v, real mg) { return 1 / (1 + mg / 3.57L * std::exp(-0.062L * v)); }

receptor_params blocked(double reversal, double rise, double decay, double mg) {
  receptor_params r = conductance_receptor(reversal, rise, decay);
  r.mg_block = mg;
  return r;
}

// g(t) of one input of peak `weight` nS arriving at `arrival`: a bi-exponential with its peak
// at 1, or a step for decay = step_decay.
std::function<real(real)> conductance_of(real weight, real rise, real decay) {
  if (decay == step_decay) return [=](real t) { return t < arrival ? 0 : weight; };
  const real peak_time = std::log(decay / rise) * decay * rise / (decay - rise);
  const real peak = std::exp(-peak_time / decay) - std::exp(-peak_time / rise);
  return [=](real t) {
    if (t < arrival) return real(0);
    const real s = t - arrival;
    return weight * (std::exp(-s / decay) - std::exp(-s / rise)) / peak;
  };
}

// V from rest + u0 at t = 0 under the membrane equation with a blocked conductance g(t) (and
// bias pA), by Runge-Kutta in long double; `at` receives V at every step's end.
struct trajectory {
  real rest = -70, reversal = 0, mg = 1, bias = 0, u0 = 0;
  std::function<real(real)> g;

  real slope(real t, real u) const {
    return -u / tau_m + bias / capacitance +
           g(t) / capacitance * block(rest + u, mg) * (reversal - rest - u);
  }
  // u after integrating from (t, u) over dt, in steps of at most 1e-4 ms.
  real advance(real t, real u, real dt) const {
    const int steps = std::max(1, static_cast<int>(std::ceil(dt / 1e-4L)));
    const real h = dt / steps;
    for (int i = 0; i < steps; ++i, t += h) {
      const real k1 = slope(t, u), k2 = slope(t + h / 2, u + h / 2 * k1);
      const real k3 = slope(t + h / 2, u + h / 2 * k2), k4 = slope(t + h, u + h * k3);
      u += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
    }
    return u;
  }
  // The first time V reaches `threshold` in [arrival, end], or -1: located on the 1e-4 ms grid,
  // then by bisection on steps from the grid point before.
  real crossing(real threshold, real end) const {
    real t = arrival, u = advance(0, u0, arrival);
    while (t < end) {
      const real next = advance(t, u, 1e-4L);
      if (rest + next >= threshold) {
        real lo = 0, hi = 1e-4L;
        for (int i = 0; i < 80; ++i) {
          const real mid = (lo + hi) / 2;
          (rest + advance(t, u, mid) >= threshold ? hi : lo) = mid;
        }
        return t + hi;
      }
      u = next;
      t += 1e-4L;
    }
    return -1;
  }
};

TEST(mg_block, a_constant_blocked_conductance_settles_where_leak_and_synapse_balance) {
  for (const double mg : {0.3, 1.0, 2.0}) {
    network net;
    neuron_params p = lif();
    p.threshold = 0.0;  // no spike
    const node_id n = add_neuron(net, p);
    const receptor_id r = net.add_receptor(blocked(0, 0, step_decay, mg));
    net.connect(add_source(net), n, synapse(r, 10.0, weight_unit::nS, 1.0));
    simulator sim(net);
    sim.run(400.0);
    // g_L u = g B(V) (e - u): the root by bisection (the left side rises, the right falls).
    const auto balance = [&](real u) {
      return capacitance / tau_m * u - 10 * block(-70 + u, mg) * (70 - u);
    };
    real lo = 0, hi = 70;
    for (int i = 0; i < 200; ++i) (balance((lo + hi) / 2) > 0 ? hi : lo) = (lo + hi) / 2;
    EXPECT_NEAR(sim.v_at(n, 400.0).v, static_cast<double>(-70 + lo), 1e-10) << mg;
  }
}

// One NMDA-like input on a neuron held at rest + u0 by its bias: V's samples against Runge-Kutta.
void expect_trajectory(double u0, double weight, double mg, double threshold) {
  network net;
  neuron_params p = lif();
  p.threshold = threshold;
  p.bias = u0 * capacitance / tau_m;
  p.v0 = -70.0 + u0;
  const node_id n = add_neuron(net, p);
  const receptor_id r = net.add_receptor(blocked(0, 2, 50, mg));
  net.connect(add_source(net), n, synapse(r, weight, weight_unit::nS, 1.0));
  simulator sim(net);
  sim.record_v({n}, 0.5);
  sim.run(60.0);
  trajectory ref;
  ref.mg = mg;
  ref.bias = p.bias;
  ref.u0 = u0;
  ref.g = conductance_of(weight, 2, 50);
  real t = 0, u = u0;
  for (const sample& s : samples_of(sim, n)) {
    u = ref.advance(t, u, s.time - t);
    t = s.time;
    EXPECT_NEAR(s.v, static_cast<double>(-70 + u), 1e-10) << "at " << s.time << " ms";
  }
}

TEST(mg_block, subthreshold_trajectories_agree_with_runge_kutta) {
  expect_trajectory(0, 5, 1, 0);     // at rest: mostly blocked
  expect_trajectory(25, 5, 1, 0);    // depolarised: the block lifts
  expect_trajectory(10, 20, 0.1, 0); // little magnesium
}

TEST(mg_block, the_same_input_gives_a_larger_epsp_on_a_depolarised_cell) {
  // The coincidence detector: the EPSP's size, relative to the unblocked channel's, grows with
  // the potential at which the input arrives.
  const auto peak_epsp = [](double u0, double mg) {
    network net;
    neuron_params p = lif();
    p.threshold = 0.0;
    p.bias = u0 * capacitance / tau_m;
    p.v0 = -70.0 + u0;
    const node_id n = add_neuron(net, p);
    net.connect(add_source(net), n,
                synapse(net.add_receptor(blocked(0, 2, 50, mg)), 2.0, weight_unit::nS, 1.0));
    simulator sim(net);
    sim.record_v({n}, 0.1);
    sim.run(80.0);
    double peak = 0;
    for (const sample& s : samples_of(sim, n)) peak = std::max(peak, s.v - (-70.0 + u0));
    return peak;
  };
  const double at_rest = peak_epsp(0, 1) / peak_epsp(0, 1e-9);
  const double depolarised = peak_epsp(30, 1) / peak_epsp(30, 1e-9);
  EXPECT_LT(at_rest, 0.1);  // B(-70 mV) = 0.05 for 1 mM, B(-40 mV) = 0.23
  EXPECT_GT(depolarised, 0.2);
  EXPECT_GT(depolarised, 3 * at_rest);
}

TEST(mg_block, spikes_at_the_runge_kutta_crossing_time) {
  for (const double u0 : {5.0, 12.0}) {
    network net;
    neuron_params p = lif();
    p.bias = u0 * capacitance / tau_m;
    p.v0 = -70.0 + u0;
    const node_id n = add_neuron(net, p);
    net.connect(add_source(net), n,
                synapse(net.add_receptor(blocked(0, 2, 50, 1)), 100.0, weight_unit::nS, 1.0));
    simulator sim(net);
    sim.run(60.0);
    trajectory ref;
    ref.bias = p.bias;
    ref.u0 = u0;
    ref.g = conductance_of(100, 2, 50);
    const real expected = ref.crossing(-55, 60);
    ASSERT_GT(expected, 0) << u0;
    const auto times = spike_times(sim, n);
    ASSERT_FALSE(times.empty()) << u0;
    EXPECT_NEAR(times[0], static_cast<double>(expected), 1e-9) << u0;
  }
}

TEST(mg_block, almost_no_magnesium_is_the_unblocked_conductance) {
  // The nonlinear step against the linear one, on the same input.
  const auto run = [](double mg) {
    network net;
    neuron_params p = lif();
    const node_id n = add_neuron(net, p);
    receptor_params r = blocked(0, 2, 50, mg);
    net.connect(add_source(net, {0.0, 3.0, 7.0}), n,
                synapse(net.add_receptor(r), 15.0, weight_unit::nS, 1.0));
    simulator sim(net);
    sim.record_v({n}, 0.25);
    sim.run(40.0);
    return samples_of(sim, n);
  };
  const auto unblocked = run(0.0), blocked_a_little = run(1e-17);
  ASSERT_EQ(unblocked.size(), blocked_a_little.size());
  for (std::size_t i = 0; i < unblocked.size(); ++i)
    EXPECT_NEAR(blocked_a_little[i].v, unblocked[i].v, 1e-11) << unblocked[i].time;
}

TEST(mg_block, far_from_rest_or_with_extreme_magnesium_the_run_stays_finite_and_right) {
  // e^{-0.062 V} overflows a double from V = -11.4 V on; B itself stays between 0 and 1.
  struct extreme {
    double rest, mg;
  };
  for (const extreme e : {extreme{-10000, 1}, extreme{9000, 1}, extreme{-70, 1e300}}) {
    network net;
    neuron_params p = lif();
    p.rest = e.rest;
    p.threshold = e.rest + 5000;
    const node_id n = add_neuron(net, p);
    const receptor_id r = net.add_receptor(blocked(e.rest + 60, 2, 50, e.mg));
    net.connect(add_source(net), n, synapse(r, 50.0, weight_unit::nS, 1.0));
    simulator sim(net);
    sim.record_v({n}, 1.0);
    sim.run(40.0);
    trajectory ref;
    ref.rest = e.rest;
    ref.reversal = e.rest + 60;
    ref.mg = e.mg;
    ref.g = conductance_of(50, 2, 50);
    real t = 0, u = 0;
    for (const sample& s : samples_of(sim, n)) {
      u = ref.advance(t, u, s.time - t);
      t = s.time;
      ASSERT_TRUE(std::isfinite(s.v)) << e.rest << " mV, " << e.mg << " mM";
      EXPECT_NEAR(s.v, static_cast<double>(e.rest + u), 1e-10 * std::max(1.0, std::abs(e.rest)))
          << e.rest << " mV, " << e.mg << " mM, at " << s.time << " ms";
    }
  }
}

}  // namespace
}  // namespace syn::test
