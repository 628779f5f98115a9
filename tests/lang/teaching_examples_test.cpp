// The teaching examples show what their headers say (docs/teaching.md walks through them). Each
// test runs the example as it stands in examples/ (its parameters are repeated here) and checks
// its claim from what `syn run` wrote: spike or no spike, counts, times and amplitudes, against
// values computed here independently: the closed-form PSP of a current synapse, or the membrane
// integrated by Runge-Kutta (membrane_reference.hpp) for conductances and for firing cells.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <map>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "membrane_reference.hpp"
#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// Runs examples/NAME with `extra` arguments into a fresh folder; standard output kept.
struct example_run {
  temp_dir tmp;
  syn_result result;
  fs::path out() const { return tmp / "out"; }
};

void run_example(example_run& run, const std::string& name,
                 const std::vector<std::string>& extra = {}) {
  std::vector<std::string> args{"run", (fs::path(SYN_EXAMPLES) / name).string(), "--out",
                                (run.tmp / "out").string()};
  args.insert(args.end(), extra.begin(), extra.end());
  run.result = run_syn(args, run.tmp.path());
  ASSERT_EQ(run.result.exit_code, 0) << run.result.err;
}

// v.csv by population, for one-neuron populations: V at each sample, in time order.
std::map<std::string, std::vector<double>> read_v(const fs::path& out) {
  std::map<std::string, std::vector<double>> v;
  const auto lines = split_lines(read_file(out / "v.csv"));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = split(lines[i], ',');
    v[f.at(1)].push_back(std::stod(f.at(3)));
  }
  return v;
}

// spikes.csv: each population's spikes as (index, time), in time order.
struct spike {
  int index;
  double time_ms;
};
std::map<std::string, std::vector<spike>> read_spikes(const fs::path& out) {
  std::map<std::string, std::vector<spike>> spikes;
  const auto lines = split_lines(read_file(out / "spikes.csv"));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto f = split(lines[i], ',');
    spikes[f.at(1)].push_back({std::stoi(f.at(2)), std::stod(f.at(0))});
  }
  return spikes;
}

std::vector<double> times_of(const std::vector<spike>& spikes) {
  std::vector<double> t;
  for (const spike& s : spikes) t.push_back(s.time_ms);
  return t;
}

// A number field of a population in `--summary json` output.
double population_field(const std::string& json, const std::string& population,
                        const std::string& field) {
  const auto at = json.find(fmt::format("{{\"name\":\"{}\"", population));
  if (at == std::string::npos) throw std::runtime_error("no population " + population);
  std::smatch m;
  const std::string rest = json.substr(at, json.find('}', at) - at);
  if (!std::regex_search(rest, m, std::regex(fmt::format("\"{}\":([-0-9.e+]+)", field))))
    throw std::runtime_error(fmt::format("no {} for {} in {}", field, population, rest));
  return std::stod(m[1]);
}

// The amplitudes of the PSPs measured alone onto NEURON, from `--summary json --measure`.
std::vector<double> alone_amplitudes(const std::string& json, const std::string& neuron) {
  const auto at = json.find(fmt::format("{{\"neuron\":\"{}\"", neuron));
  if (at == std::string::npos) throw std::runtime_error("no PSPs of " + neuron);
  const std::string rest = json.substr(at, json.find("{\"neuron\"", at + 1) - at);
  std::vector<double> amplitudes;
  static const std::regex amplitude("\"amplitude_mV\":([-0-9.e+]+)");
  for (auto it = std::sregex_iterator(rest.begin(), rest.end(), amplitude);
       it != std::sregex_iterator(); ++it)
    amplitudes.push_back(std::stod((*it)[1]));
  return amplitudes;
}

double max_of(const std::vector<double>& v) { return *std::max_element(v.begin(), v.end()); }
double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

// The same trajectory, sample by sample, within `tolerance` mV.
void expect_same_trace(const std::vector<double>& actual, const std::vector<double>& expected,
                       double tolerance, const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i)
    ASSERT_NEAR(actual[i], expected[i], tolerance) << what << " at sample " << i;
}

void expect_same_spikes(const std::vector<double>& actual, const std::vector<double>& expected,
                        const std::string& what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (std::size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], 1e-6) << what << " spike " << i;
}

// std.receptors' kinetics (rise, decay in ms) and reversals.
constexpr double ampa_rise = 0.2, ampa_decay = 2;
constexpr double gaba_a_rise = 0.5, gaba_a_decay = 5, gaba_a_reversal = -75;

// ---- epsp_size.syn -----------------------------------------------------------------------------

const cell epsp_size_cell{.rest_mV = -70,
                          .threshold_mV = -55,
                          .reset_mV = -70,
                          .refractory_ms = 2,
                          .tau_m_ms = 10,
                          .capacitance_pF = 100};

TEST(epsp_size, the_epsp_grows_with_the_current_and_fires_the_cell_past_threshold) {
  const double per_pA = psp_peak_per_pA(epsp_size_cell, ampa_rise, ampa_decay);
  EXPECT_NEAR(per_pA, 0.01726, 5e-6);  // the header's figure
  example_run run;
  run_example(run, "epsp_size.syn", {"--measure", "--summary", "json"});
  const std::string& json = run.result.out;
  // `small`: 100 pA at 11 ms, the cell at rest: the closed-form peak. (The second input, at
  // 111 ms, sits on the first's last 2e-5 mV.)
  const auto small = alone_amplitudes(json, "small[0]");
  ASSERT_EQ(small.size(), 2u);
  EXPECT_NEAR(small[0], 100 * per_pA, 1e-6);
  // `swept`: 500 pA, five times the EPSP.
  const auto swept = alone_amplitudes(json, "swept[0]");
  ASSERT_EQ(swept.size(), 2u);
  EXPECT_NEAR(swept[0], 5 * small[0], 1e-6);
  EXPECT_LT(swept[0], 15);
  // `large`: 1000 pA would peak 17.3 mV above rest: it fires on each input's rise, when the
  // membrane integrated here crosses threshold.
  ASSERT_GT(1000 * per_pA, 15);
  std::vector<synaptic_input> inputs;
  for (double arrival : {11.0, 111.0})
    inputs.push_back(
        {.arrival_ms = arrival, .rise_ms = ampa_rise, .decay_ms = ampa_decay, .current_pA = 1000});
  const auto spikes = read_spikes(run.out());
  expect_same_spikes(times_of(spikes.at("large")),
                     simulate(epsp_size_cell, inputs, 200, 0.1).spikes_ms, "large");
  EXPECT_FALSE(spikes.contains("small"));
  EXPECT_FALSE(spikes.contains("swept"));
}

TEST(epsp_size, a_sweep_of_the_weight_fires_from_the_threshold_current_on) {
  // Threshold (15 mV above rest) is reached from w = 15 mV / per_pA = 869 pA on; 2 % on either
  // side the cell fires never or at each of the two inputs (10 Hz).
  const double w_threshold = 15 / psp_peak_per_pA(epsp_size_cell, ampa_rise, ampa_decay);
  temp_dir tmp;
  const syn_result r =
      run_syn({"sweep", (fs::path(SYN_EXAMPLES) / "epsp_size.syn").string(), "--set",
               fmt::format("w={:.3f}pA,{:.3f}pA", 0.98 * w_threshold, 1.02 * w_threshold), "--out",
               (tmp / "sweep").string()},
              tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = split_lines(read_file(tmp / "sweep/sweep.csv"));
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0], "w_pA,small_rate_Hz,large_rate_Hz,swept_rate_Hz");
  EXPECT_EQ(split(rows[1], ',').at(3), "0");
  EXPECT_EQ(split(rows[2], ',').at(3), "10");
}

// ---- temporal_summation.syn and spatial_summation.syn ------------------------------------------

const cell summation_cell{.rest_mV = -70,
                          .threshold_mV = -55,
                          .reset_mV = -75,
                          .refractory_ms = 2,
                          .tau_m_ms = 10,
                          .capacitance_pF = 250};

// Inputs of `mV` each (the peak of one PSP at rest) arriving at these times.
std::vector<synaptic_input> epsps(double mV, const std::vector<double>& arrivals) {
  const double pA = mV / psp_peak_per_pA(summation_cell, ampa_rise, ampa_decay);
  std::vector<synaptic_input> inputs;
  for (double t : arrivals)
    inputs.push_back(
        {.arrival_ms = t, .rise_ms = ampa_rise, .decay_ms = ampa_decay, .current_pA = pA});
  return inputs;
}

TEST(temporal_summation, close_together_the_epsps_fire_the_cell_spread_out_they_do_not) {
  example_run run;
  run_example(run, "temporal_summation.syn");
  const auto v = read_v(run.out());
  const auto spikes = read_spikes(run.out());
  // One 6 mV EPSP at 2 ms.
  const auto alone = simulate(summation_cell, epsps(6, {2}), 40, 0.1);
  expect_same_trace(v.at("alone"), alone.v_mV, 1e-6, "alone");
  EXPECT_NEAR(max_of(v.at("alone")) - summation_cell.rest_mV, 6, 1e-3);
  // Three, 1.5 ms apart: the third fires the cell.
  const auto summed = simulate(summation_cell, epsps(6, {2, 3.5, 5}), 40, 0.1);
  ASSERT_EQ(summed.spikes_ms.size(), 1u);
  EXPECT_GT(summed.spikes_ms[0], 5);
  expect_same_spikes(times_of(spikes.at("summed")), summed.spikes_ms, "summed");
  // The same three 8 ms apart: their sum peaks at 11.2 mV.
  const auto spread = simulate(summation_cell, epsps(6, {2, 10, 18}), 40, 0.1);
  EXPECT_TRUE(spread.spikes_ms.empty());
  EXPECT_NEAR(max_of(spread.v_mV) - summation_cell.rest_mV, 11.2, 0.05);
  expect_same_trace(v.at("spread"), spread.v_mV, 1e-6, "spread");
  EXPECT_FALSE(spikes.contains("spread"));
  EXPECT_FALSE(spikes.contains("alone"));
}

TEST(spatial_summation, three_synapses_fire_the_cell_near_the_soma_and_not_far_out) {
  // 6 mV each at the soma, attenuated by exp(-X / 200 um) from X um out.
  example_run run;
  run_example(run, "spatial_summation.syn");
  const auto v = read_v(run.out());
  const auto spikes = read_spikes(run.out());
  const auto one = simulate(summation_cell, epsps(6, {5}), 40, 0.1);
  expect_same_trace(v.at("one"), one.v_mV, 1e-6, "one");
  const double near_mV = 3 * 6 * std::exp(-20.0 / 200);
  const double far_mV = 3 * 6 * std::exp(-300.0 / 200);
  ASSERT_GT(near_mV, 15);
  const auto near = simulate(summation_cell, epsps(near_mV, {5}), 40, 0.1);
  expect_same_spikes(times_of(spikes.at("near")), near.spikes_ms, "near");
  const auto far = simulate(summation_cell, epsps(far_mV, {5}), 40, 0.1);
  expect_same_trace(v.at("far"), far.v_mV, 1e-6, "far");
  // Sampled every 0.1 ms, the peak is within 1e-3 mV of the closed form's.
  EXPECT_NEAR(max_of(v.at("far")) - summation_cell.rest_mV, far_mV, 1e-3);
  EXPECT_LT(far_mV, 6);
  EXPECT_FALSE(spikes.contains("far"));
  EXPECT_FALSE(spikes.contains("one"));
}

// ---- ipsp.syn ----------------------------------------------------------------------------------

TEST(ipsp, inhibition_and_a_shunt_each_keep_a_suprathreshold_epsp_from_firing) {
  const cell c{.rest_mV = -65,
               .threshold_mV = -50,
               .reset_mV = -65,
               .refractory_ms = 2,
               .tau_m_ms = 10,
               .capacitance_pF = 100};
  const synaptic_input ampa{.arrival_ms = 20,
                            .rise_ms = ampa_rise,
                            .decay_ms = ampa_decay,
                            .conductance_nS = 20,
                            .reversal_mV = 0};
  const synaptic_input gaba{.arrival_ms = 18,
                            .rise_ms = gaba_a_rise,
                            .decay_ms = gaba_a_decay,
                            .conductance_nS = 30,
                            .reversal_mV = gaba_a_reversal};
  synaptic_input shunt = gaba;
  shunt.reversal_mV = c.rest_mV;

  example_run run;
  run_example(run, "ipsp.syn", {"--measure", "--summary", "json"});
  const auto v = read_v(run.out());
  const auto spikes = read_spikes(run.out());
  const auto epsp = simulate(c, {ampa}, 100, 0.1);
  ASSERT_EQ(epsp.spikes_ms.size(), 1u);
  expect_same_spikes(times_of(spikes.at("epsp")), epsp.spikes_ms, "epsp");

  const auto ipsp = simulate(c, {gaba}, 100, 0.1);
  expect_same_trace(v.at("ipsp"), ipsp.v_mV, 1e-6, "ipsp");
  EXPECT_GT(min_of(v.at("ipsp")), gaba_a_reversal);
  const auto amplitudes = alone_amplitudes(run.result.out, "ipsp[0]");
  ASSERT_EQ(amplitudes.size(), 1u);
  EXPECT_NEAR(amplitudes[0], min_of(ipsp.v_mV) - c.rest_mV, 1e-3);  // -5.6 mV
  EXPECT_NEAR(amplitudes[0], -5.6, 0.01);

  const auto both = simulate(c, {ampa, gaba}, 100, 0.1);
  EXPECT_TRUE(both.spikes_ms.empty());
  EXPECT_NEAR(max_of(both.v_mV), -56.2, 0.05);
  expect_same_trace(v.at("epsp_and_ipsp"), both.v_mV, 1e-6, "epsp_and_ipsp");

  for (double v_mV : v.at("shunt")) ASSERT_EQ(v_mV, c.rest_mV);
  const auto shunted = simulate(c, {ampa, shunt}, 100, 0.1);
  EXPECT_TRUE(shunted.spikes_ms.empty());
  EXPECT_NEAR(max_of(shunted.v_mV), -51.7, 0.05);
  expect_same_trace(v.at("epsp_and_shunt"), shunted.v_mV, 1e-6, "epsp_and_shunt");

  EXPECT_EQ(spikes.size(), 3u);  // the two trains and `epsp`
}

// ---- dopamine.syn ------------------------------------------------------------------------------

TEST(dopamine, d1_excites_and_d2_inhibits_the_same_spiny_neuron) {
  // std.neurons MSN; std.receptors Dopamine_D1 (latency 200 ms, rise 100 ms, decay 500 ms) and
  // Dopamine_D2 (50 ms, 50 ms, 250 ms), 4 mV each, from a release at 300 ms, delay 1 ms.
  const cell msn{.rest_mV = -80,
                 .threshold_mV = -50,
                 .reset_mV = -65,
                 .refractory_ms = 2,
                 .tau_m_ms = 12,
                 .capacitance_pF = 100};
  const auto dopamine = [&msn](double latency, double rise, double decay, double sign) {
    return synaptic_input{.arrival_ms = 301 + latency,
                          .rise_ms = rise,
                          .decay_ms = decay,
                          .current_pA = sign * 4 / psp_peak_per_pA(msn, rise, decay)};
  };
  const synaptic_input d1 = dopamine(200, 100, 500, +1), d2 = dopamine(50, 50, 250, -1);

  example_run run;
  run_example(run, "dopamine.syn", {"--summary", "json"});
  const auto v = read_v(run.out());  // every 0.5 ms
  const auto spikes = read_spikes(run.out());
  // At rest: a 4 mV EPSP through D1 and a 4 mV IPSP through D2, the header's peak times.
  const auto d1_rest = simulate(msn, {d1}, 1500, 0.5, 0.01);
  const auto d2_rest = simulate(msn, {d2}, 1500, 0.5, 0.01);
  expect_same_trace(v.at("d1_rest"), d1_rest.v_mV, 1e-6, "d1_rest");
  expect_same_trace(v.at("d2_rest"), d2_rest.v_mV, 1e-6, "d2_rest");
  EXPECT_NEAR(max_of(v.at("d1_rest")) - msn.rest_mV, 4, 1e-4);
  EXPECT_NEAR(min_of(v.at("d2_rest")) - msn.rest_mV, -4, 1e-4);
  const auto peak_time = [](const std::vector<double>& trace, bool highest) {
    const auto it = highest ? std::max_element(trace.begin(), trace.end())
                            : std::min_element(trace.begin(), trace.end());
    return 0.5 * static_cast<double>(it - trace.begin());
  };
  EXPECT_NEAR(peak_time(v.at("d1_rest"), true), 715, 0.5);
  EXPECT_NEAR(peak_time(v.at("d2_rest"), false), 466, 0.5);
  EXPECT_EQ(population_field(run.result.out, "d1_rest", "spikes"), 0);
  EXPECT_EQ(population_field(run.result.out, "d2_rest", "spikes"), 0);

  // Driven by 270 pA: the spikes of the membrane integrated here, dopamine or not.
  cell driven = msn;
  driven.bias_pA = 270;
  const auto control = simulate(driven, {}, 1500, 0.5, 0.01);
  const auto with_d1 = simulate(driven, {d1}, 1500, 0.5, 0.01);
  const auto with_d2 = simulate(driven, {d2}, 1500, 0.5, 0.01);
  expect_same_spikes(times_of(spikes.at("control")), control.spikes_ms, "control");
  expect_same_spikes(times_of(spikes.at("d1")), with_d1.spikes_ms, "d1");
  expect_same_spikes(times_of(spikes.at("d2")), with_d2.spikes_ms, "d2");
  // The header's numbers: first spike at 31.2 ms, then every 25.8 ms.
  EXPECT_NEAR(control.spikes_ms.at(0), 12 * std::log(32.4 / 2.4), 1e-6);
  EXPECT_NEAR(control.spikes_ms.at(1) - control.spikes_ms.at(0), 2 + 12 * std::log(17.4 / 2.4),
              1e-6);
  // Alike until the dopamine arrives (at 351 ms through D2), then D1 faster and D2 slower.
  const auto count = [](const std::vector<spike>& s, double from, double to) {
    return std::count_if(s.begin(), s.end(),
                         [&](const spike& x) { return x.time_ms >= from && x.time_ms < to; });
  };
  EXPECT_EQ(count(spikes.at("d1"), 0, 351), count(spikes.at("control"), 0, 351));
  EXPECT_EQ(count(spikes.at("d2"), 0, 351), count(spikes.at("control"), 0, 351));
  EXPECT_GT(count(spikes.at("d1"), 351, 1500), count(spikes.at("control"), 351, 1500));
  EXPECT_LT(count(spikes.at("d2"), 351, 1500), count(spikes.at("control"), 351, 1500));
}

// ---- acetylcholine.syn -------------------------------------------------------------------------

TEST(acetylcholine, nicotinic_receptors_make_a_fast_epsp_and_muscarinic_ones_a_slow_one) {
  // std.neurons Pyramidal_L5; std.receptors nACh (rise 0.5 ms, decay 5 ms) and Muscarinic_M1
  // (latency 200 ms, rise 500 ms, decay 2 s), 4 mV each, from a release at 99 ms, delay 1 ms.
  const cell pyramidal{.rest_mV = -70,
                       .threshold_mV = -50,
                       .reset_mV = -70,
                       .refractory_ms = 2,
                       .tau_m_ms = 15,
                       .capacitance_pF = 250};
  const auto input = [&pyramidal](double latency, double rise, double decay) {
    return synaptic_input{.arrival_ms = 100 + latency,
                          .rise_ms = rise,
                          .decay_ms = decay,
                          .current_pA = 4 / psp_peak_per_pA(pyramidal, rise, decay)};
  };
  const synaptic_input nicotinic = input(0, 0.5, 5), muscarinic = input(200, 500, 2000);
  example_run run;
  run_example(run, "acetylcholine.syn");
  const auto v = read_v(run.out());  // every 1 ms
  const auto fast = simulate(pyramidal, {nicotinic}, 4000, 1, 0.01);
  const auto slow = simulate(pyramidal, {muscarinic}, 4000, 1, 0.01);
  const auto both = simulate(pyramidal, {nicotinic, muscarinic}, 4000, 1, 0.01);
  expect_same_trace(v.at("nicotinic"), fast.v_mV, 1e-6, "nicotinic");
  expect_same_trace(v.at("muscarinic"), slow.v_mV, 1e-6, "muscarinic");
  expect_same_trace(v.at("both"), both.v_mV, 1e-6, "both");
  // The header's times: the fast EPSP peaks at 108.8 ms and is gone (0.014 mV) by 200 ms;
  // the slow one has not started by then, peaks at 1.24 s and is 1.34 mV at 4 s.
  const auto peak_at = [](const std::vector<double>& trace) {
    return static_cast<double>(std::max_element(trace.begin(), trace.end()) - trace.begin());
  };
  EXPECT_NEAR(peak_at(v.at("nicotinic")), 109, 0.5);
  EXPECT_NEAR(fast.v_mV.at(200) - pyramidal.rest_mV, 0.014, 0.001);
  EXPECT_EQ(v.at("muscarinic").at(300), pyramidal.rest_mV);
  EXPECT_NEAR(peak_at(v.at("muscarinic")), 1239.5, 1);
  EXPECT_NEAR(max_of(v.at("muscarinic")) - pyramidal.rest_mV, 4, 1e-5);
  EXPECT_NEAR(v.at("muscarinic").back() - pyramidal.rest_mV, 1.34, 0.005);
}

// ---- gaba_development.syn ----------------------------------------------------------------------

// Nernst at 37 degC for chloride (z = -1): E = RT/(zF) ln([out]/[in]), in mV.
double chloride_reversal(double inside_mM, double outside_mM) {
  const double r = 8.314462618, f = 96485.33212, t = 310.15;
  return -1000 * r * t / f * std::log(outside_mM / inside_mM);
}

TEST(gaba_development, gaba_depolarises_and_fires_the_immature_cell_and_hyperpolarises_the_mature) {
  const double immature_reversal = chloride_reversal(25, 110);
  const double mature_reversal = chloride_reversal(8, 110);
  EXPECT_NEAR(immature_reversal, -39.6, 0.05);
  EXPECT_NEAR(mature_reversal, -70.1, 0.05);
  const cell c{.rest_mV = -60,
               .threshold_mV = -50,
               .reset_mV = -60,
               .refractory_ms = 2,
               .tau_m_ms = 20,
               .capacitance_pF = 100};
  // One GABA input at 21 ms, five at 201-221 ms, 10 nS each (rise 0.5 ms, decay 5 ms).
  const auto gaba = [](double reversal) {
    std::vector<synaptic_input> inputs;
    for (double t : {21.0, 201.0, 206.0, 211.0, 216.0, 221.0})
      inputs.push_back({.arrival_ms = t,
                        .rise_ms = 0.5,
                        .decay_ms = 5,
                        .conductance_nS = 10,
                        .reversal_mV = reversal});
    return inputs;
  };
  example_run run;
  run_example(run, "gaba_development.syn", {"--measure", "--summary", "json"});
  const auto v = read_v(run.out());
  const auto spikes = read_spikes(run.out());
  const auto immature = simulate(c, gaba(immature_reversal), 300, 0.1);
  const auto mature = simulate(c, gaba(mature_reversal), 300, 0.1);
  ASSERT_EQ(immature.spikes_ms.size(), 2u);
  expect_same_spikes(times_of(spikes.at("immature")), immature.spikes_ms, "immature");
  EXPECT_TRUE(mature.spikes_ms.empty());
  EXPECT_FALSE(spikes.contains("mature"));
  expect_same_trace(v.at("mature"), mature.v_mV, 1e-6, "mature");
  EXPECT_NEAR(min_of(v.at("mature")), -67.07, 0.005);
  EXPECT_GT(min_of(v.at("mature")), mature_reversal);
  // The single input's PSPs, measured alone: +6.54 and -3.22 mV, in the ratio of the driving
  // forces at rest.
  const auto up = alone_amplitudes(run.result.out, "immature[0]");
  const auto down = alone_amplitudes(run.result.out, "mature[0]");
  ASSERT_EQ(up.size(), 1u);
  ASSERT_EQ(down.size(), 1u);
  const std::vector<double> first_immature(immature.v_mV.begin(), immature.v_mV.begin() + 2000);
  const std::vector<double> first_mature(mature.v_mV.begin(), mature.v_mV.begin() + 2000);
  EXPECT_NEAR(up[0], max_of(first_immature) - c.rest_mV, 1e-3);
  EXPECT_NEAR(down[0], min_of(first_mature) - c.rest_mV, 1e-3);
  EXPECT_NEAR(up[0] / down[0], (immature_reversal - c.rest_mV) / (mature_reversal - c.rest_mV),
              1e-6);
  EXPECT_NEAR(up[0], 6.54, 0.005);
  EXPECT_NEAR(down[0], -3.22, 0.005);
}

TEST(gaba_development, syn_check_explain_prints_the_two_reversals) {
  temp_dir tmp;
  const syn_result r =
      run_syn({"check", (fs::path(SYN_EXAMPLES) / "gaba_development.syn").string(), "--explain"},
              tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string all = r.out + r.err;
  EXPECT_NE(all.find(fmt::format("reversal = {:.1f} mV", chloride_reversal(25, 110))),
            std::string::npos)
      << all;
  EXPECT_NE(all.find(fmt::format("reversal = {:.1f} mV", chloride_reversal(8, 110))),
            std::string::npos)
      << all;
}

// ---- nmda_coincidence.syn ----------------------------------------------------------------------

TEST(nmda_coincidence, the_same_input_makes_a_small_epsp_at_rest_and_a_large_one_depolarised) {
  // std.receptors NMDA (rise 2 ms, decay 100 ms, reversal 0 mV, 1 mM Mg2+) and NMDA_unblocked,
  // 2 nS at 200 ms, onto rest -70 mV, 100 pF, tau_m 10 ms; `depolarised` with 400 pA.
  const double b_rest = mg_unblocked(-70, 1), b_depolarised = mg_unblocked(-30, 1);
  EXPECT_NEAR(b_rest, 0.044, 0.0005);
  EXPECT_NEAR(b_depolarised, 0.36, 0.005);
  EXPECT_NEAR(b_depolarised / b_rest, 8, 0.2);
  const cell c{.rest_mV = -70,
               .threshold_mV = 0,
               .reset_mV = -70,
               .refractory_ms = 0,
               .tau_m_ms = 10,
               .capacitance_pF = 100};
  cell held = c;
  held.bias_pA = 400;
  const auto nmda = [](double mg) {
    return synaptic_input{.arrival_ms = 200,
                          .rise_ms = 2,
                          .decay_ms = 100,
                          .conductance_nS = 2,
                          .reversal_mV = 0,
                          .mg_block_mM = mg};
  };
  example_run run;
  run_example(run, "nmda_coincidence.syn", {"--measure", "--summary", "json"});
  const auto v = read_v(run.out());
  const auto at_rest = simulate(c, {nmda(1)}, 800, 0.1);
  const auto depolarised = simulate(held, {nmda(1)}, 800, 0.1);
  const auto mg_free = simulate(c, {nmda(0)}, 800, 0.1);
  expect_same_trace(v.at("at_rest"), at_rest.v_mV, 1e-6, "at_rest");
  expect_same_trace(v.at("depolarised"), depolarised.v_mV, 1e-6, "depolarised");
  expect_same_trace(v.at("mg_free"), mg_free.v_mV, 1e-6, "mg_free");
  // The measured amplitudes: the reference's peak above its baseline (V at 200 ms).
  const auto amplitude = [&run](const char* neuron) {
    const auto a = alone_amplitudes(run.result.out, neuron);
    if (a.size() != 1) throw std::runtime_error(fmt::format("{} PSPs of {}", a.size(), neuron));
    return a[0];
  };
  const auto rise = [](const trajectory& t) { return max_of(t.v_mV) - t.v_mV.at(2000); };
  EXPECT_NEAR(depolarised.v_mV.at(2000), -30, 1e-6);
  EXPECT_NEAR(amplitude("at_rest[0]"), rise(at_rest), 1e-3);
  EXPECT_NEAR(amplitude("depolarised[0]"), rise(depolarised), 1e-3);
  EXPECT_NEAR(amplitude("mg_free[0]"), rise(mg_free), 1e-3);
  // The header's numbers.
  EXPECT_NEAR(amplitude("at_rest[0]"), 0.53, 0.005);
  EXPECT_NEAR(amplitude("depolarised[0]"), 1.81, 0.005);
  EXPECT_NEAR(amplitude("mg_free[0]"), 10.19, 0.005);
  EXPECT_NEAR(amplitude("depolarised[0]") / amplitude("at_rest[0]"), 3.4, 0.05);
}

// ---- ei_balance.syn ----------------------------------------------------------------------------

// A PSP of peak P from an exponential current (decay tau_s) on tau_m: P (e^(-t/tau_m) -
// e^(-t/tau_s)) / its peak, of area P (tau_m - tau_s) / its peak. A function, not a lambda: GCC
// evaluated the lambda (implicitly constexpr) at compile time, a million steps a call, and took
// 12 s and 1.5 GB to compile this file.
double area(double peak_mV, double tau_s) {
  const double tau_m = 20;
  double top = 0;
  for (int k = 1; k < 1000000; ++k) {
    const double t = k * 1e-4;
    top = std::max(top, std::exp(-t / tau_m) - std::exp(-t / tau_s));
  }
  return peak_mV * (tau_m - tau_s) / top;
}

TEST(ei_balance, the_header_s_areas_are_those_of_the_psps) {
  EXPECT_NEAR(area(0.8, 5), 25.4, 0.05);
  EXPECT_NEAR(0.7 * area(0.8, 5), 17.8, 0.05);       // the background's 0.7 kHz, in mV
  EXPECT_NEAR(40 * area(0.8, 5) / 1000, 1.0, 0.02);  // mV per Hz of the 40 excitatory inputs
  EXPECT_NEAR(area(6, 10), 240, 0.5);
}

TEST(ei_balance, balanced_it_fires_irregularly_at_a_few_hz) {
  example_run run;
  run_example(run, "ei_balance.syn", {"--summary", "json"});
  for (const char* population : {"exc", "inh"}) {
    const double rate = population_field(run.result.out, population, "rate_Hz");
    EXPECT_GE(rate, 2) << population;
    EXPECT_LE(rate, 10) << population;
    EXPECT_GE(population_field(run.result.out, population, "cv_isi"), 0.5) << population;
    EXPECT_LE(population_field(run.result.out, population, "synchrony"), 0.3) << population;
  }
}

TEST(ei_balance, with_inhibition_weakened_every_neuron_runs_near_its_maximum_rate) {
  example_run run;
  run_example(run, "ei_balance.syn", {"--set", "w_inh=1mV", "--summary", "json"});
  const double max_rate = 1000 / 5.0;  // 1 / refractory
  for (const char* population : {"exc", "inh"}) {
    const double rate = population_field(run.result.out, population, "rate_Hz");
    EXPECT_GE(rate, 0.6 * max_rate) << population;
    EXPECT_LE(rate, max_rate) << population;
    EXPECT_LE(population_field(run.result.out, population, "cv_isi"), 0.1) << population;
  }
  // Every neuron, not just the mean.
  std::map<std::pair<std::string, int>, int> counts;
  for (const auto& [population, spikes] : read_spikes(run.out()))
    for (const spike& s : spikes) ++counts[{population, s.index}];
  ASSERT_EQ(counts.size(), 250u);
  for (const auto& [neuron, n] : counts)
    EXPECT_GE(n, 0.5 * max_rate * 0.5) << neuron.first << "[" << neuron.second << "]";
}

// ---- striatum.syn ------------------------------------------------------------------------------

TEST(striatum, spiny_neurons_fire_less_under_their_interneurons_inhibition) {
  example_run run;
  run_example(run, "striatum.syn", {"--summary", "json"});
  const std::string& json = run.result.out;
  const double inhibited = population_field(json, "spiny", "rate_Hz");
  const double free = population_field(json, "spiny_disinhibited", "rate_Hz");
  EXPECT_GT(population_field(json, "fsi", "rate_Hz"), 20);
  EXPECT_GT(free, 10);
  EXPECT_LT(inhibited, 0.5 * free);
}

TEST(striatum, without_the_interneurons_weight_both_spiny_populations_fire_alike) {
  example_run run;
  run_example(run, "striatum.syn", {"--set", "w_fs=0nS"});
  const auto spikes = read_spikes(run.out());
  const auto& spiny = spikes.at("spiny");
  const auto& disinhibited = spikes.at("spiny_disinhibited");
  ASSERT_EQ(spiny.size(), disinhibited.size());
  EXPECT_GT(spiny.size(), 100u);
  // The 0 nS synapses still take part in V's arithmetic: the same spikes to rounding.
  for (std::size_t i = 0; i < spiny.size(); ++i) {
    EXPECT_EQ(spiny[i].index, disinhibited[i].index) << i;
    EXPECT_NEAR(spiny[i].time_ms, disinhibited[i].time_ms, 1e-9) << i;
  }
}

}  // namespace
}  // namespace syn::test
