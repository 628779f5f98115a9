// The two conductance examples show what their headers say, checked from the CSVs that
// `syn run` writes for them as they stand in examples/ (their parameters are repeated here).
//
// shunting_inhibition.syn: a shunt reversing at rest, alone, leaves V exactly at rest; it divides
// a slow EPSC's EPSP by the factor that the linear membrane with a constant shunt gives (closed
// form below; the shunt's slow decay and the sampling make up the tolerance).
//
// depolarising_gaba.syn: GABA_A conductances on a cell resting below their reversal keep V
// between rest and the reversal, bring it close to the reversal (the conductance-weighted mean
// of the reversals), and never fire it; the same input as currents overshoots and fires.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

struct sample {
  double time_ms;
  double v_mV;
};

// v.csv by population (every population here has one neuron).
std::map<std::string, std::vector<sample>> read_v(const fs::path& path) {
  std::map<std::string, std::vector<sample>> v;
  const auto lines = split_lines(read_file(path));
  EXPECT_EQ(lines.at(0), "time_ms,population,index,v_mV");
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = split(lines[i], ',');
    v[f.at(1)].push_back({std::stod(f.at(0)), std::stod(f.at(3))});
  }
  return v;
}

// Rows of spikes.csv by population.
std::map<std::string, int> spike_counts(const fs::path& path) {
  std::map<std::string, int> n;
  const auto lines = split_lines(read_file(path));
  for (std::size_t i = 1; i < lines.size(); ++i) ++n[split(lines[i], ',').at(1)];
  return n;
}

double max_v(const std::vector<sample>& s) {
  return std::max_element(s.begin(), s.end(),
                          [](const sample& a, const sample& b) { return a.v_mV < b.v_mV; })
      ->v_mV;
}

// Runs examples/NAME into a fresh folder and returns that folder.
fs::path run_example(const temp_dir& tmp, const std::string& name) {
  const syn_result r = run_syn(
      {"run", (fs::path(SYN_EXAMPLES) / name).string(), "--out", (tmp / "out").string()},
      tmp.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return tmp / "out";
}

// The peak of exp(-t/decay) - exp(-t/rise), which the receptor's kernel is divided by.
double biexp_peak(double rise, double decay) {
  const double t = rise * decay / (decay - rise) * std::log(decay / rise);
  return std::exp(-t / decay) - std::exp(-t / rise);
}

// The peak depolarisation of a membrane (capacitance c_pF, time constant tau_ms, every
// conductance in it constant) driven from rest by the current
// i_pA (exp(-t/decay) - exp(-t/rise)) / biexp_peak(rise, decay):
// V(t) - rest = i / (c n) [h(decay) - h(rise)], h(tau) = tau tau_m / (tau - tau_m)
// (exp(-t/tau) - exp(-t/tau_m)), maximised on a 1 us grid (the peak is flat there to 1e-9).
double linear_epsp_peak(double c_pF, double tau_ms, double i_pA, double rise, double decay) {
  const auto h = [tau_ms](double tau, double t) {
    return tau * tau_ms / (tau - tau_ms) * (std::exp(-t / tau) - std::exp(-t / tau_ms));
  };
  const double scale = i_pA / (c_pF * biexp_peak(rise, decay));
  double peak = 0;
  for (int k = 1; k <= 500000; ++k) {
    const double t = k * 1e-3;
    peak = std::max(peak, scale * (h(decay, t) - h(rise, t)));
  }
  return peak;
}

TEST(shunting_inhibition, the_shunt_alone_leaves_v_exactly_at_rest) {
  temp_dir tmp;
  const auto v = read_v(run_example(tmp, "shunting_inhibition.syn") / "v.csv");
  ASSERT_EQ(v.at("shunt_alone").size(), 2001u);  // every 0.1 ms for 200 ms
  for (const sample& s : v.at("shunt_alone")) EXPECT_EQ(s.v_mV, -70.0) << "at " << s.time_ms;
}

TEST(shunting_inhibition, divides_the_epsp_by_the_linear_membranes_factor) {
  // The example: rest -70 mV, tau_m 10 ms, 200 pF (g_L 20 nS); a 100 pA EPSC with rise 2 ms and
  // decay 100 ms; a 20 nS shunt, open since 1 ms, decaying with 10 s.
  const double rest = -70, c = 200, tau_m = 10, g_l = 20, g_shunt = 20;
  const double plain = linear_epsp_peak(c, tau_m, 100, 2, 100);
  // With the shunt held at 20 nS the membrane's time constant is C / (g_L + g_shunt) = 5 ms.
  const double shunted = linear_epsp_peak(c, c / (g_l + g_shunt), 100, 2, 100);
  const double factor = plain / shunted;
  // 4.1832 mV / 2.3000 mV = 1.819: nearly (g_L + g_shunt) / g_L = 2, the limit of a slow EPSC.
  EXPECT_NEAR(factor, 1.819, 0.001);

  temp_dir tmp;
  const auto v = read_v(run_example(tmp, "shunting_inhibition.syn") / "v.csv");
  const double plain_peak = max_v(v.at("epsp")) - rest;
  const double shunted_peak = max_v(v.at("shunted_epsp")) - rest;
  // The plain cell has no conductance: the closed form is its V, sampled every 0.1 ms near a
  // peak where V'' is -0.004 mV/ms^2, so the highest sample is within 1e-5 mV of it.
  EXPECT_NEAR(plain_peak, plain, 1e-4);
  // The shunt has lost 0.3 % by the shunted peak (28 ms after it opened, decaying with 10 s),
  // which raises that peak by about 0.1 % (2.3025 mV): 1 % holds both it and the factor.
  EXPECT_NEAR(shunted_peak, shunted, 0.01 * shunted);
  EXPECT_NEAR(plain_peak / shunted_peak, factor, 0.01 * factor);
}

TEST(depolarising_gaba, the_conductance_stays_between_rest_and_reversal_and_never_fires) {
  // std.neurons MSN (rest -80 mV, tau_m 12 ms, 100 pF) and std.receptors GABA_A (reversal
  // -75 mV, rise 0.5 ms, decay 5 ms), 50 Poisson inputs at 100 Hz of 3 nS from 11 ms to 211 ms
  // (after their 1 ms delay).
  const double rest = -80, reversal = -75, g_l = 100.0 / 12, g = 3, rise = 0.5, decay = 5;
  temp_dir tmp;
  const fs::path out = run_example(tmp, "depolarising_gaba.syn");
  const auto v = read_v(out / "v.csv");
  const auto& cell = v.at("conductance");
  ASSERT_EQ(cell.size(), 2501u);  // every 0.1 ms for 250 ms
  for (const sample& s : cell) {
    EXPECT_LE(s.v_mV, reversal) << "at " << s.time_ms;
    EXPECT_GE(s.v_mV, rest) << "at " << s.time_ms;
  }
  // Close to the reversal: within 10 % of the 5 mV from rest to it.
  EXPECT_GE(max_v(cell), reversal - 0.1 * (reversal - rest));
  // Once the conductance has settled (from 60 ms, ten membrane time constants of the driven
  // cell), its mean is the inputs' rate times the kernel's area: 50 x 0.1 / ms x 3 nS x
  // (decay - rise) / biexp_peak = 97 nS, and V's mean the conductance-weighted mean of the
  // reversals, -75.40 mV. The count of inputs in the window varies by 4 % (Poisson), which
  // moves V's mean by 0.015 mV: 0.1 mV holds it for any seed.
  const double g_mean = 50 * 0.1 * g * (decay - rise) / biexp_peak(rise, decay);
  const double v_mean = (g_l * rest + g_mean * reversal) / (g_l + g_mean);
  EXPECT_NEAR(v_mean, -75.40, 0.005);
  double sum = 0;
  int n = 0;
  for (const sample& s : cell)
    if (s.time_ms >= 60 && s.time_ms < 210) sum += s.v_mV, ++n;
  EXPECT_NEAR(sum / n, v_mean, 0.1);

  const auto spikes = spike_counts(out / "spikes.csv");
  EXPECT_FALSE(spikes.contains("conductance"));
  // The same inputs as 15 pA currents (their current at rest) overshoot the reversal and fire.
  EXPECT_GT(max_v(v.at("current")), reversal);
  EXPECT_GE(spikes.contains("current") ? spikes.at("current") : 0, 10);
}

}  // namespace
}  // namespace syn::test
