// syn run --measure and --summary json end to end: the JSON parses (Python's json module reads
// it) and holds what the run did, measuring changes no spike, and each output goes where
// --help says.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// `single` gets inputs alone and together; `net` is a recurrent network on Poisson input.
constexpr const char* model = R"(seed = 5
receptor AMPA { reversal = 0 mV; decay = 2 ms }
receptor GABA { reversal = -80 mV; decay = 5 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; refractory = 2 ms; tau_m = 10 ms }
population single = LIF
population net = 40 x LIF { v0 = uniform(-70 mV, -56 mV) }
train stim = times [5 ms, 60 ms, 62 ms]
train inh = times [250 ms]
train bg = 20 x poisson 80 Hz
connect stim -> single via AMPA weight 4 mV delay 1 ms
connect inh -> single via GABA weight 1 mV delay 1 ms
connect bg -> net via AMPA weight 4 mV delay 1 ms with probability 0.3
connect net -> net via AMPA weight 1 mV delay uniform(1 ms, 2 ms) with probability 0.1
record spikes
run 400 ms
)";

// Runs python3 on `script` with the file `json` as its argument; its standard output, or
// nothing when python3 is missing.
std::optional<std::string> python(const temp_dir& dir, const std::string& script,
                                  const fs::path& json) {
  if (std::system("python3 -c '' 2>/dev/null") != 0) return std::nullopt;
  write_file(dir / "check.py", script);
  const std::string command = "python3 '" + (dir / "check.py").string() + "' '" + json.string() +
                              "' > '" + (dir / "python.out").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  std::string out = read_file(dir / "python.out");
  if (status != 0) ADD_FAILURE() << "python3 failed:\n" << out;
  return out;
}

TEST(summary_json, parses_and_holds_the_runs_counts_and_measurements) {
  temp_dir dir;
  write_file(dir / "model.syn", model);
  const syn_result r = run_syn(
      {"run", "model.syn", "--summary", "json", "--measure", "--out", "o\"ut\\x"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The text summary stays on standard error, with a line per population.
  EXPECT_NE(r.err.find("syn:   net                40 neurons "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" Hz, CV "), std::string::npos) << r.err;
  write_file(dir / "summary.json", r.out);
  const std::string spikes = read_file(dir / "o\"ut\\x" / "spikes.csv");
  std::size_t net_spikes = 0;
  for (std::size_t at = spikes.find(",net,"); at != std::string::npos;
       at = spikes.find(",net,", at + 1))
    ++net_spikes;
  const auto out = python(dir, R"(import json, sys
d = json.load(open(sys.argv[1]))
net = [p for p in d['populations'] if p['name'] == 'net'][0]
single = d['psps'][0]
print(d['out'], d['neurons'], d['seed'], d['simulated_ms'], net['size'], net['kind'], net['type'],
      net['spikes'], round(net['rate_Hz'] * 0.4 * 40), single['neuron'], single['alone'][0]['source'],
      single['alone'][0]['arrival_ms'], round(float(single['alone'][0]['amplitude_mV']), 6),
      [p['cv_isi'] for p in d['populations'] if p['name'] == 'stim'][0] is not None)
)",
                          dir / "summary.json");
  if (!out) GTEST_SKIP() << "no python3";
  EXPECT_EQ(*out, "o\"ut\\x 41 5 400 40 neurons LIF " + std::to_string(net_spikes) + " " +
                      std::to_string(net_spikes) + " single[0] stim[0] 6 4.0 True\n");
}

TEST(summary_json, and_spikes_dash_both_want_standard_output) {
  temp_dir dir;
  write_file(dir / "model.syn", model);
  const syn_result r =
      run_syn({"run", "model.syn", "--summary", "json", "--spikes", "-"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(
      r.err.starts_with("syn: error: --summary json and --spikes - both write to "
                        "standard output; use one of them"))
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "syn-out"));
  EXPECT_EQ(run_syn({"run", "model.syn", "--summary", "xml"}, dir.path()).exit_code, 2);
}

TEST(measure, changes_no_spike) {
  temp_dir dir;
  write_file(dir / "model.syn", model);
  ASSERT_EQ(run_syn({"run", "model.syn", "--out", "plain"}, dir.path()).exit_code, 0);
  const syn_result r = run_syn({"run", "model.syn", "--measure", "--out", "measured"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string plain = read_file(dir / "plain" / "spikes.csv");
  EXPECT_GT(plain.size(), 2000u);
  EXPECT_EQ(read_file(dir / "measured" / "spikes.csv"), plain);
  // The table on standard output: the EPSP at 6 ms and the IPSP at 251 ms alone, the EPSPs at
  // 61 and 63 ms overlapping.
  EXPECT_TRUE(r.out.starts_with("PSPs of single[0]: 2 alone, 2 overlapping, 0 unfinished\n"))
      << r.out;
  EXPECT_NE(r.out.find("stim[0] via AMPA"), std::string::npos) << r.out;
}

// One input onto `a`, through a delay far below a millisecond, measured over `run`.
std::string tiny_delay_model(const std::string& delay, const std::string& run) {
  return "param w = 6 mV\n"
         "receptor AMPA { reversal = 0 mV; decay = 2 ms }\n"
         "neuron LIF { rest = -70 mV; threshold = -55 mV; refractory = 2 ms; tau_m = 10 ms }\n"
         "population a = LIF\n"
         "train s = times [1 ms]\n"
         "connect s -> a via AMPA weight w delay " +
         delay +
         "\n"
         "record spikes\n"
         "measure psp of a\n"
         "run " +
         run + "\n";
}

TEST(measure, ends_with_delays_below_the_times_rounding) {
  // The probe used to step half the shortest delay at a time, even with nothing coming: a delay
  // below an ULP of the present never advanced it, a nanosecond took 2 * 10^9 steps.
  for (const auto& [delay, run] : {std::pair{"1e-14 ms", "200 ms"}, {"1e-6 ms", "1000 ms"}}) {
    temp_dir dir;
    write_file(dir / "model.syn", tiny_delay_model(delay, run));
    const syn_result r = run_syn_bounded({"run", "model.syn"}, "", 20, dir.path());
    ASSERT_EQ(r.exit_code, 0) << delay << "\n" << r.err;
    EXPECT_TRUE(r.out.starts_with("PSPs of a[0]: 1 alone, 0 overlapping, 0 unfinished\n"))
        << delay << "\n"
        << r.out;
  }
}

TEST(measure, changes_no_sample_of_conductance_cells) {
  // Conductances with rise stages (V's steps have nonzero rates), V sampled every 10 us on a
  // neuron whose PSPs are measured and on one that fires: looking ahead for the PSPs must leave
  // every sample and spike as a plain run has them, to the last bit.
  for (const std::string rise : {"0.5 ms", "1 ms", "3 ms"}) {
    const std::string text =
        "seed = 3\n"
        "receptor AMPA { reversal = 0 mV; rise = " +
        rise +
        "; decay = 3 ms }\n"
        "receptor GABA { reversal = -80 mV; rise = 1 ms; decay = 8 ms }\n"
        "neuron LIF { rest = -70 mV; threshold = -55 mV; refractory = 2 ms;\n"
        "             tau_m = 10 ms; capacitance = 250 pF }\n"
        "population n = 2 x LIF\n"
        "train e = times [5 ms, 40 ms, 41 ms, 120 ms]\n"
        "train i = times [80 ms, 160 ms]\n"
        "train drive = 10 x poisson 50 Hz\n"
        "connect e -> n[0] via AMPA weight 15 nS delay 1 ms\n"
        "connect i -> n[0] via GABA weight 10 nS delay 1 ms\n"
        "connect drive -> n[1] via AMPA weight 20 nS delay 1 ms\n"
        "connect n[1] -> n[0] via AMPA weight 1 nS delay 2 ms\n"
        "record spikes\n"
        "record v of n every 0.01 ms\n"
        "run 200 ms\n";
    temp_dir dir;
    write_file(dir / "plain.syn", text);
    write_file(dir / "measured.syn", text + "measure psp of n[0], n[1]\n");
    ASSERT_EQ(run_syn({"run", "plain.syn", "--out", "plain"}, dir.path()).exit_code, 0) << rise;
    const syn_result r = run_syn({"run", "measured.syn", "--out", "measured"}, dir.path());
    ASSERT_EQ(r.exit_code, 0) << rise << "\n" << r.err;
    EXPECT_NE(r.out.find("PSPs of n[0]: "), std::string::npos) << r.out;
    const std::string v = read_file(dir / "plain" / "v.csv");
    EXPECT_GT(v.size(), 40000u * 20u) << rise;
    EXPECT_TRUE(read_file(dir / "measured" / "v.csv") == v) << rise;
    const std::string spikes = read_file(dir / "plain" / "spikes.csv");
    EXPECT_NE(spikes.find(",n,1"), std::string::npos) << rise;
    EXPECT_EQ(read_file(dir / "measured" / "spikes.csv"), spikes) << rise;
  }
}

TEST(measure, goes_to_standard_error_beside_spikes_dash) {
  temp_dir dir;
  write_file(dir / "model.syn", model);
  const syn_result r = run_syn({"run", "model.syn", "--measure", "--spikes", "-"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("time_ms,population,index\n"));
  EXPECT_EQ(r.out.find("PSPs"), std::string::npos);
  EXPECT_NE(r.err.find("PSPs of single[0]: "), std::string::npos) << r.err;
}

TEST(measure, in_the_repl_shows_the_psps_of_each_run_and_is_saved) {
  temp_dir dir;
  const syn_result r =
      run_syn_with_input(SYN_BINARY, {"repl"},
                         "receptor R { reversal = 0 mV; decay = 2 ms }\n"
                         "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
                         "population n = LIF\n"
                         "train s = times [1 ms, 100 ms, 105 ms, 200 ms]\n"
                         "connect s -> n via R weight 4 mV delay 1 ms\n"
                         "measure psp of n\n"
                         "run 30 ms\n"
                         "run 70 ms\n"
                         "run 50 ms\n"
                         "run 100 ms\n"
                         "run 60 ms\n"
                         ":save saved.syn\n",
                         dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Each PSP is over 52 ms after its arrival: the one from 2 ms is still under way at 30 ms and
  // shown after the run to 100 ms; 101 and 106 ms overlap (both judged by 150 ms); the one from
  // 201 ms spans the end of the run at 250 ms and is shown after the next.
  std::size_t at = 0;
  for (const char* shown :
       {"PSPs of n[0]: 0 alone, 0 overlapping, 0 unfinished\n",
        "PSPs of n[0]: 1 alone, 0 overlapping, 0 unfinished\n", "             2  s[0] via R ",
        "PSPs of n[0]: 1 alone, 2 overlapping, 0 unfinished\n",
        "PSPs of n[0]: 1 alone, 2 overlapping, 0 unfinished\n",
        "PSPs of n[0]: 2 alone, 2 overlapping, 0 unfinished\n", "           201  s[0] via R "}) {
    at = r.out.find(shown, at);
    ASSERT_NE(at, std::string::npos) << shown << "\n" << r.out;
  }
  EXPECT_NE(read_file(dir / "saved.syn").find("measure psp of n\n"), std::string::npos);
}

}  // namespace
}  // namespace syn::test
