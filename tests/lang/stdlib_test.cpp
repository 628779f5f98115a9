// The standard library (SPEC §3) as a user imports it. Every file checks without a warning, and
// no receptor warns on a neuron (its stated reversal is within 20 mV of what its ions give).
// Every receptor, imported into a model of its own, gives one input a PSP whose sign on a neuron
// resting at -70 mV matches a table kept here, independent of the library's text, which starts
// exactly at the input's arrival plus the receptor's latency (tens of ms or more for a
// metabotropic receptor, none for an ionotropic one) and decays back to rest. NMDA's magnesium
// block scales its PSP at rest by B(-70 mV) against the unblocked receptor's. Every neuron type
// fires once on each input of a strong train, is held at its reset while refractory and stays below
// threshold and above the lower of rest and reset. Declarations are found by scanning the files, so
// a new one is tested without being listed, and a receptor missing from the table fails.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <map>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// What a depolarising (+1) or hyperpolarising (-1) PSP each receptor gives a neuron at -70 mV,
// from the physiology: cation channels, D1 and M1 excite; Cl- and K+ channels and D2 inhibit.
const std::map<std::string, int> expected_sign = {
    {"AMPA", +1},           {"NMDA", +1},        {"NMDA_unblocked", +1},  {"nACh", +1},
    {"Serotonin_5HT3", +1}, {"Dopamine_D1", +1}, {"Muscarinic_M1", +1},   {"GABA_A", -1},
    {"GABA_B", -1},         {"Glycine", -1},     {"Serotonin_5HT1A", -1}, {"Dopamine_D2", -1}};

// A declaration of the standard library: std.receptors and AMPA.
struct declaration {
  std::string module;
  std::string name;
};

void PrintTo(const declaration& d, std::ostream* os) { *os << d.module << '.' << d.name; }

std::string last_part(const std::string& module) { return module.substr(module.rfind('.') + 1); }

std::vector<fs::path> stdlib_files() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(SYN_STDLIB))
    if (entry.is_regular_file() && entry.path().extension() == ".syn")
      files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Every line whose first word is `keyword` (receptor, neuron) declares the name after it.
std::vector<declaration> declared(const std::string& keyword) {
  std::vector<declaration> found;
  for (const fs::path& file : stdlib_files()) {
    for (const std::string& line : split_lines(read_file(file))) {
      std::istringstream words(line);
      std::string first, name;
      if (words >> first >> name && first == keyword)
        found.push_back({"std." + file.stem().string(), name.substr(0, name.find_first_of(":{"))});
    }
  }
  return found;
}

std::vector<std::string> names_of(const std::vector<declaration>& decls) {
  std::vector<std::string> names;
  for (const declaration& d : decls) names.push_back(d.name);
  return names;
}

struct sample {
  double time_ms;
  double v_mV;
};

std::vector<sample> read_v(const fs::path& path) {
  std::vector<sample> samples;
  const auto lines = split_lines(read_file(path));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const auto fields = split(lines[i], ',');
    samples.push_back({std::stod(fields.at(0)), std::stod(fields.at(3))});
  }
  return samples;
}

// The word of a parameter row of `syn doc` ("    kind  metabotropic"), "" when there is none.
std::string doc_word(const std::string& doc, const std::string& property) {
  for (const std::string& line : split_lines(doc)) {
    std::istringstream words(line);
    std::string name, value;
    if (line.starts_with("    ") && words >> name >> value && name == property) return value;
  }
  return "";
}

// A parameter row of `syn doc` ("    reset  -60 mV  (from Base)", "    reset  rest  (default)"),
// indented four spaces where the doc comment's lines are indented two, in mV or ms.
double doc_value(const std::string& doc, const std::string& property) {
  static const std::map<std::string, double> scale = {
      {"mV", 1.0}, {"V", 1e3}, {"ms", 1.0}, {"s", 1e3}, {"us", 1e-3}};
  for (const std::string& line : split_lines(doc)) {
    if (!line.starts_with("    ")) continue;
    std::istringstream words(line);
    std::string name, value, unit;
    if (!(words >> name >> value) || name != property) continue;
    if (value == "rest") return doc_value(doc, "rest");
    words >> unit;
    return std::stod(value) * scale.at(unit);
  }
  throw std::runtime_error(fmt::format("no {} in:\n{}", property, doc));
}

TEST(stdlib_files, each_checks_cleanly_without_warnings) {
  const auto files = stdlib_files();
  ASSERT_FALSE(files.empty()) << "no .syn files in " << SYN_STDLIB;
  for (const fs::path& file : files) {
    SCOPED_TRACE(file.string());
    const syn_result r = run_syn({"check", file.string()});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  }
}

TEST(stdlib_files, declare_exactly_the_receptors_of_the_sign_table) {
  const auto names = names_of(declared("receptor"));
  for (const std::string& name : names)
    EXPECT_TRUE(expected_sign.contains(name))
        << name << " is declared in " << SYN_STDLIB << " but has no sign in expected_sign";
  for (const auto& [name, sign] : expected_sign)
    EXPECT_NE(std::find(names.begin(), names.end(), name), names.end())
        << name << " has a sign in expected_sign but is not declared in " << SYN_STDLIB;
}

TEST(stdlib_files, declare_neuron_types) { EXPECT_FALSE(declared("neuron").empty()); }

class stdlib_receptor : public ::testing::TestWithParam<declaration> {};

TEST_P(stdlib_receptor, gives_a_psp_of_its_sign_that_peaks_at_the_weight_and_decays_to_rest) {
  const declaration& d = GetParam();
  ASSERT_TRUE(expected_sign.contains(d.name)) << d.name << " has no sign in expected_sign";
  const int sign = expected_sign.at(d.name);
  const syn_result doc = run_syn({"doc", fmt::format("{}.{}", d.module, d.name)});
  ASSERT_EQ(doc.exit_code, 0) << doc.err;
  const double latency = doc_value(doc.out, "latency");
  const double decay = doc_value(doc.out, "decay");
  if (doc_word(doc.out, "kind") == "metabotropic") {
    EXPECT_GE(latency, 10.0) << "a second messenger takes tens of ms or more";
    EXPECT_LE(latency, 1000.0);
  } else {
    EXPECT_EQ(latency, 0.0) << "an ionotropic channel opens within a millisecond";
  }
  // A blocked receptor takes conductances; its peak depends on the block (the test below).
  const bool blocked = doc_word(doc.out, "mg_block") != "none";
  // Qualified import. At least 5 s, and 8 decay times after the arrival: the slowest kernels
  // decay to well under 1 %.
  const double run_ms =
      std::max(5000.0, std::ceil((11.0 + latency + 8.0 * decay) / 1000.0) * 1000.0);
  temp_dir dir;
  write_file(dir / "model.syn",
             fmt::format(R"(import {0}
neuron Probe {{ rest = -70 mV; threshold = -50 mV; tau_m = 20 ms; capacitance = 200 pF }}
population n = Probe
train pulse = times [10 ms]
connect pulse -> n via {1}.{2} weight {3} delay 1 ms
record v of n every 0.1 ms
run {4} ms
)",
                         d.module, last_part(d.module), d.name, blocked ? "1 nS" : "2 mV", run_ms));
  const syn_result r = run_syn({"run", "model.syn"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;
  const auto v = read_v(dir / "syn-out/v.csv");
  ASSERT_EQ(v.size(), static_cast<std::size_t>(std::lround(run_ms * 10.0)) + 1);

  // The input arrives at 11 ms plus the latency: V is exactly at rest until then, and has left
  // it 1 ms later.
  const double arrival = 11.0 + latency;
  std::size_t peak = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (v[i].time_ms <= arrival) {
      EXPECT_EQ(v[i].v_mV, -70.0) << "before the input, at " << v[i].time_ms;
    }
    if (std::abs(v[i].v_mV + 70.0) > std::abs(v[peak].v_mV + 70.0)) peak = i;
  }
  const auto after = static_cast<std::size_t>(std::lround((arrival + 1.0) * 10.0));
  EXPECT_NE(v.at(after).v_mV, -70.0) << "no PSP 1 ms after the arrival at " << arrival << " ms";
  const double deviation = v[peak].v_mV + 70.0;
  ASSERT_EQ(deviation > 0 ? +1 : -1, sign)
      << fmt::format("peak {} mV at {} ms", v[peak].v_mV, v[peak].time_ms);
  // A weight in mV is the PSP's peak; the 0.1 ms grid may just miss it.
  if (!blocked) {
    EXPECT_NEAR(std::abs(deviation), 2.0, 0.02);
  }
  for (std::size_t i = peak + 1; i < v.size(); ++i) {
    const double now = (v[i].v_mV + 70.0) * sign;
    const double before = (v[i - 1].v_mV + 70.0) * sign;
    ASSERT_GE(now, -1e-12) << "overshoots rest at " << v[i].time_ms << " ms";
    ASSERT_LE(now, before + 1e-12) << "grows again at " << v[i].time_ms << " ms";
  }
  EXPECT_LT(std::abs(v.back().v_mV + 70.0), 0.01 * std::abs(deviation))
      << "not back to rest after 5 s";
}

// The peak of the PSP that one input through `receptor` of std.receptors gives a neuron at rest.
double psp_peak(const std::string& receptor, const std::string& weight) {
  temp_dir dir;
  write_file(dir / "model.syn", fmt::format(R"(from std.receptors import {0}
neuron Probe {{ rest = -70 mV; threshold = -50 mV; tau_m = 20 ms; capacitance = 200 pF }}
population n = Probe
train pulse = times [10 ms]
connect pulse -> n via {0} weight {1} delay 1 ms
record v of n every 0.1 ms
run 200 ms
)",
                                            receptor, weight));
  const syn_result r = run_syn({"run", "model.syn"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  double peak = 0.0;
  for (const sample& s : read_v(dir / "syn-out/v.csv")) peak = std::max(peak, s.v_mV + 70.0);
  return peak;
}

// A conductance of 0.02 nS moves V by about 0.1 mV unblocked, so that B(V) and the driving
// force stay within 0.1 % of their values at rest: the blocked peak is the unblocked one times
// B(-70 mV) = 1 / (1 + 1/3.57 · exp(0.062 · 70)) (Jahr & Stevens 1990, 1 mM Mg2+).
TEST(stdlib_nmda, its_magnesium_block_scales_the_psp_at_rest_by_b_of_rest) {
  const double b_rest = 1.0 / (1.0 + 1.0 / 3.57 * std::exp(0.062 * 70.0));
  const double unblocked = psp_peak("NMDA_unblocked", "0.02 nS");
  const double blocked = psp_peak("NMDA", "0.02 nS");
  ASSERT_GT(unblocked, 0.05);
  EXPECT_NEAR(blocked / unblocked, b_rest, 0.005 * b_rest);
}

INSTANTIATE_TEST_SUITE_P(stdlib, stdlib_receptor, ::testing::ValuesIn(declared("receptor")),
                         [](const auto& p) {
                           return fmt::format("{}_{}", last_part(p.param.module), p.param.name);
                         });

class stdlib_neuron : public ::testing::TestWithParam<declaration> {};

TEST_P(stdlib_neuron, fires_on_each_input_of_a_strong_train_and_stays_within_reset_and_threshold) {
  const declaration& d = GetParam();
  const syn_result doc = run_syn({"doc", fmt::format("{}.{}", d.module, d.name)});
  ASSERT_EQ(doc.exit_code, 0) << doc.err;
  const double rest = doc_value(doc.out, "rest");
  const double reset = doc_value(doc.out, "reset");
  const double threshold = doc_value(doc.out, "threshold");
  const double refractory = doc_value(doc.out, "refractory");

  // Unqualified import. A 60 mV jump fires any cell from any V at or above its reset, and
  // inputs 10 ms apart all fall outside the refractory period: one spike per input.
  temp_dir dir;
  write_file(dir / "model.syn", fmt::format(R"(from {0} import {1}
receptor Kick {{ kinetics = jump; effect = excitatory }}
population n = {1}
train drive = regular 100 Hz from 10 ms to 210 ms
connect drive -> n via Kick weight 60 mV delay 1 ms
record spikes of n
record v of n every 0.05 ms
run 250 ms
)",
                                            d.module, d.name));
  const syn_result r = run_syn({"run", "model.syn"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("warning"), std::string::npos) << r.err;

  std::vector<double> spikes;
  for (const std::string& row : split_lines(read_file(dir / "syn-out/spikes.csv")))
    if (row != "time_ms,population,index") spikes.push_back(std::stod(split(row, ',').at(0)));
  ASSERT_EQ(spikes.size(), 20u) << "one spike per input expected";
  for (std::size_t k = 0; k < spikes.size(); ++k)
    EXPECT_NEAR(spikes[k], 11.0 + 10.0 * static_cast<double>(k), 1e-9);

  // Only excitation arrives, so V never falls below the lower of rest and reset, and it is held
  // at reset for the refractory period after each spike. 1e-9 mV covers rounding at rest.
  const auto v = read_v(dir / "syn-out/v.csv");
  ASSERT_FALSE(v.empty());
  for (const sample& s : v) {
    SCOPED_TRACE(fmt::format("at {} ms", s.time_ms));
    if (s.time_ms < spikes.front()) {
      ASSERT_EQ(s.v_mV, rest);
    }
    ASSERT_GE(s.v_mV, std::min(rest, reset) - 1e-9);
    ASSERT_LT(s.v_mV, threshold);
    const bool refractory_now = std::any_of(spikes.begin(), spikes.end(), [&](double t) {
      return t <= s.time_ms && s.time_ms < t + refractory;
    });
    if (refractory_now) {
      ASSERT_NEAR(s.v_mV, reset, 1e-9);
    }
  }
}

// std.ions' neuron types hold only ions (ions_cli_test.cpp tests them).
std::vector<declaration> neurons_with_a_membrane() {
  std::vector<declaration> found = declared("neuron");
  std::erase_if(found, [](const declaration& d) { return d.module == "std.ions"; });
  return found;
}

INSTANTIATE_TEST_SUITE_P(stdlib, stdlib_neuron, ::testing::ValuesIn(neurons_with_a_membrane()),
                         [](const auto& p) {
                           return fmt::format("{}_{}", last_part(p.param.module), p.param.name);
                         });

}  // namespace
}  // namespace syn::test
