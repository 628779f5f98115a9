// The engine against an independent high-precision reference for NMDA's magnesium block
// (mg_block_reference.hpp) on random, grazing and hand-built single-neuron scenarios, and the
// reference itself against the linear conductance reference, an algebraic steady state, a block
// so strong that it removes the synapse, and itself at a higher order and a finer tolerance.

#include "mg_block_reference.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

#include "conductance_reference.hpp"
#include "reference_agreement.hpp"
#include "reference_neuron.hpp"
#include "reference_scenario.hpp"

namespace syn {
namespace {

using reference::real;
namespace mref = mg_block_reference;
using mref::quad;
using namespace test_scenarios;
using test_scenarios::connection;  // not syn::connection

receptor_params kinetic_receptor(double rise, double decay, double reversal, double mg = 0) {
  receptor_params r;
  r.rise = rise;
  r.decay = decay;
  r.reversal = reversal;
  r.mg_block = mg;
  return r;
}

mref::result reference_run(const scenario& s, const mref::options& opt = {}) {
  return mref::simulate(to_cell(s), s.duration, sample_times(s), opt);
}

// An NMDA-like receptor: slow, mostly bi-exponential, its reversal near 0 mV or (a quarter of
// the time) well below rest, blocked by 0.1 to 2 mM of magnesium.
receptor_params nmda_like(draw& d) {
  receptor_params r;
  const int shape = d.integer(0, 4);
  if (shape <= 2) {
    r.rise = d.log_uniform(0.5, 5);
    r.decay = d.log_uniform(2 * r.rise, 80);
  } else if (shape == 3) {
    r.decay = d.log_uniform(2, 50);
  } else {
    r.rise = r.decay = d.log_uniform(1, 20);
  }
  r.reversal = d.chance(0.75) ? d.uniform(-5, 5) : d.uniform(-90, -20);
  r.mg_block = d.uniform(0.1, 2);
  return r;
}

// AMPA-like, GABA-like (both conductances), a current receptor or a jump.
receptor_params other_receptor(draw& d, const neuron_params& n) {
  receptor_params r;
  switch (d.integer(0, 3)) {
    case 0:
      r.rise = d.chance(0.5) ? 0 : d.uniform(0.1, 0.5);
      r.decay = d.uniform(1, 5);
      r.reversal = d.uniform(-5, 5);
      break;
    case 1:
      r.rise = d.chance(0.5) ? 0 : d.uniform(0.2, 1);
      r.decay = d.uniform(3, 20);
      r.reversal = d.chance(0.2) ? n.rest : d.uniform(-90, -70);
      break;
    case 2:
      r.rise = d.chance(0.5) ? 0 : d.uniform(0.2, 2);
      r.decay = d.uniform(2, 20);
      r.sign = d.chance(0.7) ? effect::excitatory : effect::inhibitory;
      break;
    default:
      r.kind = kinetics::jump;
      r.sign = d.chance(0.7) ? effect::excitatory : effect::inhibitory;
  }
  return r;
}

// A short random scenario with one or two blocked receptors among unblocked conductances,
// currents and jumps, sized to bring V near threshold often. Without `blocked`, the same
// scenario with every mg_block 0.
scenario make_scenario(std::uint64_t index, bool blocked = true) {
  draw d(0x3a9b0000 + index);
  scenario s;
  s.name = std::to_string(index);
  s.duration = d.uniform(5, 15);
  neuron_params& n = s.neuron;
  const bool exact_refractory_end = draw_threshold_and_refractoriness(d, n, 20, 32, 192);
  const double theta = n.threshold - n.rest;
  n.tau_m = d.log_uniform(5, 30);
  n.capacitance = d.uniform(50, 500);
  draw_bias_and_length_constant(d, n, 1.2);
  const double v0 = d.uniform(0, 1);
  if (v0 < 0.4) {
    n.v0 = d.uniform(n.reset.value_or(n.rest) - 5, n.threshold - 0.01);
  } else if (v0 < 0.45) {
    n.v0 = n.threshold;
  }

  const int blocked_count = d.chance(0.3) ? 2 : 1;
  for (int i = 0; i < blocked_count; ++i) s.receptors.push_back(nmda_like(d));
  const int other_count = d.integer(0, 2);
  for (int i = 0; i < other_count; ++i) s.receptors.push_back(other_receptor(d, n));
  if (!blocked) {
    for (receptor_params& r : s.receptors) r.mg_block = 0;
  }

  const bool dyadic = exact_refractory_end || d.chance(0.3);
  const int receptor_count = static_cast<int>(s.receptors.size());
  const int source_count = d.integer(1, 4);
  const double leak = *n.capacitance / n.tau_m;  // nS
  for (int i = 0; i < source_count; ++i) {
    connection c;
    // Every blocked receptor has a source.
    c.receptor =
        static_cast<std::uint32_t>(i < blocked_count ? i : d.integer(0, receptor_count - 1));
    const receptor_params& r = s.receptors[c.receptor];
    c.delay = d.integer(1, 8) / 4.0;
    if (d.chance(0.5)) c.distance = d.uniform(0, 300);
    if (r.kind == kinetics::jump) {
      c.weight = theta * d.log_uniform(0.05, 1);
    } else if (r.reversal) {
      // Blocked at rest to a few percent, NMDA needs several times the leak to matter; without
      // refractoriness, strong excitation would fire hundreds of times.
      c.weight = leak * (c.receptor < static_cast<std::uint32_t>(blocked_count)
                             ? d.log_uniform(0.5, n.refractory > 0 ? 50 : 8)
                             : d.log_uniform(0.05, 5));
      c.unit = weight_unit::nS;
    } else {
      c.unit = weight_unit::pA;
      c.weight = theta * d.log_uniform(0.05, 1) / (rough_psp(n.tau_m, r) / *n.capacitance);
    }
    s.connections.push_back(c);
  }
  add_input_times(d, s, d.integer(2, 12), 0.5, 2, dyadic);
  add_simultaneous_input(d, s, dyadic);
  if (exact_refractory_end) add_refractory_end_jumps(d, s, 1);
  // Every 1 to 4 ms, never a multiple of 1/20 ms: no sample on the 1/1024 ms input grid.
  s.sample_step = d.integer(100, 400);
  if (s.sample_step % 5 == 0) ++s.sample_step;
  return s;
}

// --- The reference against independent computations --------------------------------------

TEST(mg_block_reference_self_test, without_a_block_agrees_with_the_linear_reference) {
  // The same scenarios with every mg_block 0: the equation is linear, and the 50-digit
  // integrating-factor reference (conductance_reference.hpp) computes it by other means.
  int compared = 0;
  double worst_spike = 0, worst_v = 0;
  const auto pairs = in_parallel<std::pair<mref::result, conductance_reference::result>>(
      0, 200, [](std::uint64_t i) {
        const scenario s = make_scenario(i, false);
        return std::pair{reference_run(s),
                         conductance_reference::simulate(to_cell(s), s.duration, sample_times(s))};
      });
  for (std::uint64_t i = 0; i < pairs.size(); ++i) {
    const scenario s = make_scenario(i, false);
    const auto& [ours, linear] = pairs[i];
    if (ours.ill_conditioned || linear.ill_conditioned) continue;
    ++compared;
    ASSERT_EQ(ours.spikes.size(), linear.spikes.size()) << describe(s);
    for (std::size_t k = 0; k < ours.spikes.size(); ++k) {
      worst_spike = std::max(worst_spike, gap(ours.spikes[k], mref::to_quad(linear.spikes[k])));
    }
    ASSERT_EQ(ours.samples.size(), linear.samples.size());
    for (std::size_t k = 0; k < ours.samples.size(); ++k) {
      worst_v = std::max(worst_v, gap(ours.samples[k].v, mref::to_quad(linear.samples[k].v)));
    }
    worst_v = std::max(worst_v, gap(ours.v_end, mref::to_quad(linear.v_end)));
    EXPECT_LT(worst_spike, 1e-20) << describe(s);
    EXPECT_LT(worst_v, 1e-20) << describe(s);
  }
  EXPECT_GT(compared, 190);
  fmt::print("{} scenarios compared: spikes within {:.2g} ms, V within {:.2g} mV\n", compared,
             worst_spike, worst_v);
}

neuron_params cell_params() {
  neuron_params n;
  n.rest = -70;
  n.threshold = -50;
  n.reset = -70;
  n.refractory = 2;
  n.tau_m = 10;
  n.capacitance = 100;  // g_L = 10 nS
  return n;
}

real block_real(double mg, const real& v) {
  return 1 / (1 + real(mg) / real("3.57") * exp(-real("0.062") * v));
}

// The first V* above rest at which the leak (10 nS) balances a constant blocked conductance g
// towards `reversal` above rest, g_L (V* - rest) = g B(V*) (E - V*), by a scan and bisection in
// 50 digits; and the rate balance'(V*) / C (1/ms) at which V settles there.
std::pair<real, real> balance_point(double mg, double g, double reversal) {
  const auto balance = [&](const real& v) {  // pA: C dV/dt = -balance
    return real(10 * (v + 70) - g * block_real(mg, v) * (reversal - v));
  };
  real lo = -70, hi = -70;
  while (balance(hi) < 0) {
    lo = hi;
    hi += real("0.01");
  }
  for (int i = 0; i < 200; ++i) {
    const real mid = (lo + hi) / 2;
    (balance(mid) < 0 ? lo : hi) = mid;
  }
  const real rate = (balance(lo + real("1e-20")) - balance(lo)) / real("1e-20") / 100;
  return {lo, rate};
}

reference::cell constant_blocked_cell(double mg, double g, double reversal, double threshold) {
  neuron_params n = cell_params();
  n.threshold = threshold;
  const receptor_params r =
      kinetic_receptor(0, std::numeric_limits<double>::infinity(), reversal, mg);
  return {n, {r}, {{0, g, weight_unit::nS, 0}}, {{1, 0}}};
}

TEST(mg_block_reference_self_test,
     constant_blocked_conductance_settles_where_the_currents_balance) {
  // A blocked conductance g switched on at 1 ms and never decaying, towards E above rest: V rises
  // from rest to the first V* above it where the currents balance, and stays.
  for (double mg : {0.2, 1.0, 2.0}) {
    for (double ratio : {0.5, 5.0, 50.0}) {
      for (double reversal : {0.0, -30.0}) {
        const double g = ratio * 10;
        const auto [v_star, rate] = balance_point(mg, g, reversal);
        // Long enough for exp(-100) of the distance to V*.
        const double end = 1 + 100 / rate.convert_to<double>();
        const auto out =
            mref::simulate(constant_blocked_cell(mg, g, reversal, 40), end, {0.5, end});
        ASSERT_EQ(out.samples.size(), 2u);
        EXPECT_EQ(static_cast<double>(out.samples[0].v), -70);
        EXPECT_LT(gap(out.samples[1].v, mref::to_quad(v_star)), 1e-20)
            << "mg " << mg << " g " << g << " reversal " << reversal << " V* "
            << v_star.convert_to<double>();
        EXPECT_TRUE(out.spikes.empty());
      }
    }
  }
}

TEST(mg_block_reference_self_test, slow_crossings_are_flagged) {
  // V creeps up to V*: a threshold 1e-5 mV below it is crossed at about rate * 1e-5 mV/ms, too
  // slowly for double precision to place the spike within 1e-9 ms; 1 mV below, it is not (and V
  // fires again after each refractory period).
  const auto [v_star, rate] = balance_point(1, 50, 0);
  const double v = v_star.convert_to<double>();
  const auto near = mref::simulate(constant_blocked_cell(1, 50, 0, v - 1e-5), 400);
  ASSERT_FALSE(near.spikes.empty());
  ASSERT_TRUE(near.ill_conditioned);
  EXPECT_NE(near.ill_conditioned->find("crosses threshold at"), std::string::npos)
      << *near.ill_conditioned;
  const auto clear = mref::simulate(constant_blocked_cell(1, 50, 0, v - 1), 400);
  ASSERT_FALSE(clear.spikes.empty());
  EXPECT_FALSE(clear.ill_conditioned) << *clear.ill_conditioned;
}

TEST(mg_block_reference_self_test, an_overwhelming_block_removes_the_synapse) {
  // With 1e20 mM of magnesium, B(V) < 1e-19 below 0 mV: the blocked synapses pass nothing
  // visible, and the runs match the same scenarios without them.
  int compared = 0;
  gaps worst;
  for (std::uint64_t i = 0; i < 40; ++i) {
    scenario blocked = make_scenario(i);
    scenario without = blocked;
    without.connections.clear();
    for (receptor_params& r : blocked.receptors) {
      if (r.mg_block > 0) r.mg_block = 1e20;
    }
    for (const connection& c : blocked.connections) {
      if (blocked.receptors[c.receptor].mg_block == 0) without.connections.push_back(c);
    }
    const auto a = reference_run(blocked), b = reference_run(without);
    if (a.ill_conditioned || b.ill_conditioned) continue;
    ++compared;
    ASSERT_EQ(a.spikes.size(), b.spikes.size()) << describe(blocked);
    worst.widen(a, b);
    EXPECT_LT(std::max(worst.spike, worst.v), 1e-12) << describe(blocked);
  }
  EXPECT_GT(compared, 35);
  fmt::print("{} scenarios compared: spikes and V within {:.2g}\n", compared,
             std::max(worst.spike, worst.v));
}

TEST(mg_block_reference_self_test, a_higher_order_and_a_finer_tolerance_change_nothing) {
  const mref::options finer{.stages = 11, .step_accuracy = 1e-28};
  const auto pairs =
      in_parallel<std::pair<mref::result, mref::result>>(0, 100, [&](std::uint64_t i) {
        const scenario s = make_scenario(i);
        return std::pair{reference_run(s), reference_run(s, finer)};
      });
  gaps worst;
  for (std::uint64_t i = 0; i < pairs.size(); ++i) {
    const auto& [normal, fine] = pairs[i];
    const scenario s = make_scenario(i);
    ASSERT_EQ(normal.spikes.size(), fine.spikes.size()) << describe(s);
    EXPECT_EQ(normal.ill_conditioned.has_value(), fine.ill_conditioned.has_value()) << describe(s);
    worst.widen(normal, fine);
    EXPECT_LT(worst.spike, 1e-20) << describe(s);
    EXPECT_LT(worst.v, 1e-20) << describe(s);
  }
  fmt::print("spikes within {:.2g} ms, samples within {:.2g} mV\n", worst.spike, worst.v);
}

// --- The engine against the reference ----------------------------------------------------

TEST(engine_mg_block_reference, random_single_neuron_scenarios) {
  // SYN_MG_BLOCK_SCENARIO=i runs scenario i alone and prints it.
  check_random_scenarios(
      2000, "SYN_MG_BLOCK_SCENARIO", [](std::uint64_t i) { return make_scenario(i); },
      [](const scenario& s) { return reference_run(s); });
}

// --- Grazing and hand-built scenarios --------------------------------------------------------

// One blocked conductance input at 1 ms on a cell that a bias may hold depolarised.
scenario one_input(const receptor_params& r, double weight, double bias, double threshold) {
  scenario s;
  s.name = "one blocked input";
  s.neuron = cell_params();
  s.neuron.threshold = threshold;
  s.neuron.bias = bias;
  s.neuron.v0 = -70 + bias / 10;  // at its resting equilibrium: u_inf = bias / g_L
  s.receptors = {r};
  s.connections = {{0, weight, weight_unit::nS, 0, 1, {0}}};
  s.duration = 40;
  s.sample_step = 137;
  return s;
}

// The peak of V (mV) after the input, to ~1e-13 mV: the threshold at which the reference stops
// firing, by bisection.
double peak_v(const receptor_params& r, double weight, double bias) {
  double lo = -70 + bias / 10 + 1e-3, hi = 0;  // fires at lo, not at hi
  while (hi - lo > 1e-13) {
    const double mid = (lo + hi) / 2;
    const scenario s = one_input(r, weight, bias, mid);
    (mref::simulate(to_cell(s), s.duration).spikes.empty() ? hi : lo) = mid;
  }
  return lo;
}

struct grazing_case {
  receptor_params receptor;
  double weight, bias, peak;
};

TEST(engine_mg_block_reference, grazing_maxima) {
  // Random blocked EPSPs, some on a depolarised cell; the threshold 1e-6 mV below the peak
  // fires once, 1e-6 mV above never, and the engine agrees; within 1e-11 mV the reference
  // declares the case ill-conditioned.
  constexpr std::uint64_t count = 8;
  const auto cases = in_parallel<grazing_case>(0, count, [](std::uint64_t i) {
    draw d(0x67a2000 + i);
    receptor_params r = nmda_like(d);
    r.reversal = d.uniform(-5, 5);
    const double bias = d.chance(0.5) ? 0.0 : d.uniform(50, 150);  // pA: 5 to 15 mV
    const double weight = d.log_uniform(5, 100);
    return grazing_case{r, weight, bias, peak_v(r, weight, bias)};
  });
  tally t;
  for (const grazing_case& g : cases) {
    for (const double offset : {-1e-6, 1e-6, -1e-11, 1e-11}) {
      const scenario s = one_input(g.receptor, g.weight, g.bias, g.peak + offset);
      const mref::result ref = reference_run(s);
      if (std::abs(offset) < 1e-9) {
        EXPECT_TRUE(ref.ill_conditioned) << describe(s);
        continue;
      }
      EXPECT_FALSE(ref.ill_conditioned) << describe(s);
      EXPECT_EQ(ref.spikes.size(), offset < 0 ? 1u : 0u) << describe(s);
      EXPECT_TRUE(agree(s, ref, t)) << "peak " << g.peak;
    }
  }
  print_tally(t);
}

TEST(engine_mg_block_reference, nmda_detects_coincidence) {
  // The same NMDA input: at rest, the block holds its EPSP below threshold; on a cell
  // depolarised to -55 mV by a bias (which alone stays 5 mV below threshold), the block
  // lifts and the cell fires.
  const receptor_params nmda = kinetic_receptor(2, 50, 0, 1);
  tally t;
  const scenario rest = one_input(nmda, 12, 0, -50);
  const scenario depolarised = one_input(nmda, 12, 150, -50);
  const mref::result at_rest = reference_run(rest), lifted = reference_run(depolarised);
  EXPECT_TRUE(at_rest.spikes.empty());
  EXPECT_FALSE(lifted.spikes.empty());
  EXPECT_TRUE(agree(rest, at_rest, t));
  EXPECT_TRUE(agree(depolarised, lifted, t));
  // Unblocked, the same conductance fires the cell at rest as well.
  receptor_params open = nmda;
  open.mg_block = 0;
  const scenario unblocked = one_input(open, 12, 0, -50);
  const mref::result free = reference_run(unblocked);
  EXPECT_FALSE(free.spikes.empty());
  EXPECT_TRUE(agree(unblocked, free, t));
  print_tally(t);
}

}  // namespace
}  // namespace syn
