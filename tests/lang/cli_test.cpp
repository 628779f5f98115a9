// The `syn` command line end to end (SPEC §4): output files and their exact formats, sampling of
// v, tie order, continued runs, seeds, options, exit codes and the summary line. Models are
// written into a fresh folder per test, and syn runs there.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <iterator>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// Two neurons: `alone` gets one EPSP and stays below threshold, `summed` three and fires once
// (at 6.2557 ms), then is held at reset for 2 ms.
constexpr const char* summation_model = R"(
receptor AMPA { reversal = 0 mV; rise = 0.2 ms; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; reset = -75 mV; refractory = 2 ms; tau_m = 10 ms }
population alone = LIF
population summed = LIF
train single = times [1 ms]
train burst = times [1 ms, 2.5 ms, 4 ms]
connect single -> alone via AMPA weight 6 mV delay 1 ms
connect burst -> summed via AMPA weight 6 mV delay 1 ms
record spikes
record v of alone, summed every 0.1 ms
run 20 ms
)";

// Every kind of random draw: v0, Poisson sources, probability, weight and delay distributions.
constexpr const char* random_model = R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; v0 = uniform(-70 mV, -56 mV) }
population exc = 50 x LIF
train bg = 20 x poisson 50 Hz
connect bg -> exc via AMPA weight normal(4 mV, 1 mV) delay uniform(1 ms, 2 ms) with probability 0.3
record spikes
record v of exc[0..2] every 1 ms
run 200 ms
)";

fs::path write_model(const temp_dir& dir, std::string_view text,
                     std::string_view name = "model.syn") {
  const fs::path path = dir / name;
  write_file(path, text);
  return path;
}

std::vector<std::vector<std::string>> csv_lines(const fs::path& path) {
  std::vector<std::vector<std::string>> lines;
  for (const std::string& line : split_lines(read_file(path))) lines.push_back(split(line, ','));
  return lines;
}

// SPEC §4: numbers are printed in shortest round-trip form, which is what fmt's "{}" prints.
void expect_shortest_round_trip(const std::string& field) {
  char* end = nullptr;
  const double value = std::strtod(field.c_str(), &end);
  ASSERT_EQ(end, field.c_str() + field.size()) << "not a number: '" << field << "'";
  EXPECT_EQ(fmt::format("{}", value), field);
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

TEST(spikes_csv, has_its_header_and_rows_in_time_order_with_shortest_round_trip_times) {
  temp_dir dir;
  const syn_result r = run_syn({"run", write_model(dir, summation_model).string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = csv_lines(dir / "syn-out/spikes.csv");
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], (std::vector<std::string>{"time_ms", "population", "index"}));
  double previous = 0.0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    SCOPED_TRACE(fmt::format("row {}", i));
    ASSERT_EQ(lines[i].size(), 3u);
    expect_shortest_round_trip(lines[i][0]);
    EXPECT_GE(std::stod(lines[i][0]), previous);
    previous = std::stod(lines[i][0]);
    EXPECT_EQ(lines[i][2], "0");
  }
  // The crossing time to a few ULP (mpmath, 50 digits: 6.25570468336324120170...).
  EXPECT_EQ(lines.back()[1], "summed");
  EXPECT_NEAR(std::stod(lines.back()[0]), 6.2557046833632412017, 4e-15);
}

TEST(v_csv, has_its_header_and_shortest_round_trip_times_and_voltages) {
  temp_dir dir;
  const syn_result r = run_syn({"run", write_model(dir, summation_model).string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = csv_lines(dir / "syn-out/v.csv");
  // Two neurons, sampled at 0, 0.1, ..., 20 ms.
  ASSERT_EQ(lines.size(), 1u + 2 * 201);
  EXPECT_EQ(lines[0], (std::vector<std::string>{"time_ms", "population", "index", "v_mV"}));
  for (std::size_t i = 1; i < lines.size(); ++i) {
    SCOPED_TRACE(fmt::format("row {}", i));
    ASSERT_EQ(lines[i].size(), 4u);
    expect_shortest_round_trip(lines[i][0]);
    expect_shortest_round_trip(lines[i][3]);
  }
}

// k tenths of a millisecond, as a decimal: what k * 0.1 ms is in exact arithmetic.
std::string tenths(int k) {
  return k % 10 == 0 ? fmt::format("{}", k / 10) : fmt::format("{}.{}", k / 10, k % 10);
}

TEST(v_csv, sample_times_are_k_times_t_in_decimal_rounded_once) {
  // SPEC §4: 82 x 0.1 ms prints as 8.2, not as the binary product 8.200000000000001.
  temp_dir dir;
  const syn_result r = run_syn({"run", write_model(dir, summation_model).string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = csv_lines(dir / "syn-out/v.csv");
  ASSERT_EQ(lines.size(), 1u + 2 * 201);
  for (int k = 0; k <= 200; ++k) {
    EXPECT_EQ(lines[1 + 2 * k][0], tenths(k));
    EXPECT_EQ(lines[2 + 2 * k][0], tenths(k));
  }
  EXPECT_EQ(lines[1 + 2 * 82][0], "8.2");
}

TEST(v_csv, samples_at_k_times_t_through_the_end_of_the_last_run) {
  // Ten steps of 0.1 ms summed give 0.9999999999999999; the contract is k * T, so the last
  // sample is at exactly 1 ms, the end of the second run, and the run boundary adds none.
  temp_dir dir;
  const auto model = write_model(dir, R"(
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population n = LIF
record v of n every 0.1 ms
run 0.5 ms
run 0.5 ms
)");
  const syn_result r = run_syn({"run", model.string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> times, expected;
  for (const auto& row : csv_lines(dir / "syn-out/v.csv")) times.push_back(row[0]);
  times.erase(times.begin());
  for (int k = 0; k <= 10; ++k) expected.push_back(tenths(k));
  EXPECT_EQ(times, expected);
}

TEST(v_csv, holds_reset_while_refractory_then_relaxes_from_it) {
  // A 20 mV jump at 1 ms fires the neuron; V is reset (-75 mV) on [1, 3) and from 3 ms relaxes
  // freely: -70 - 5 exp(-(t - 3) / 10).
  temp_dir dir;
  const auto model = write_model(dir, R"(
receptor J { kinetics = jump; effect = excitatory }
neuron LIF { rest = -70 mV; threshold = -55 mV; reset = -75 mV; refractory = 2 ms; tau_m = 10 ms }
population n = LIF
train kick = times [0.5 ms]
connect kick -> n via J weight 20 mV delay 0.5 ms
record v of n every 0.25 ms
run 6 ms
)");
  const syn_result r = run_syn({"run", model.string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = csv_lines(dir / "syn-out/v.csv");
  ASSERT_EQ(lines.size(), 1u + 25);
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const double t = std::stod(lines[i][0]);
    const double v = std::stod(lines[i][3]);
    const double expected = t < 1 ? -70.0 : t <= 3 ? -75.0 : -70.0 - 5.0 * std::exp(-(t - 3) / 10);
    EXPECT_NEAR(v, expected, 1e-12) << "at " << t << " ms";
  }
}

TEST(spikes_csv, orders_simultaneous_spikes_by_declaration_then_index) {
  // Connections are made in scrambled order, and names are not alphabetical, so neither can
  // produce the expected order by accident.
  temp_dir dir;
  const auto model = write_model(dir, R"(
receptor J { kinetics = jump; effect = excitatory }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population zed = 3 x LIF
train late = 2 x times [2 ms]
population alpha = 2 x LIF
train kick = times [1 ms]
connect kick -> alpha[1] via J weight 20 mV delay 1 ms
connect kick -> zed[2] via J weight 20 mV delay 1 ms
connect kick -> alpha[0] via J weight 20 mV delay 1 ms
connect kick -> zed[0] via J weight 20 mV delay 1 ms
connect kick -> zed[1] via J weight 20 mV delay 1 ms
record spikes
run 5 ms
)");
  const syn_result r = run_syn({"run", model.string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir / "syn-out/spikes.csv"),
            "time_ms,population,index\n"
            "1,kick,0\n"
            "2,zed,0\n2,zed,1\n2,zed,2\n"
            "2,late,0\n2,late,1\n"
            "2,alpha,0\n2,alpha,1\n");
}

TEST(run, a_second_run_continues_where_the_first_stopped) {
  const std::string model = R"(
receptor J { kinetics = jump; effect = excitatory }
neuron LIF { rest = -70 mV; threshold = -55 mV; reset = -75 mV; refractory = 1 ms; tau_m = 10 ms }
population n = LIF
train drive = regular 1 kHz from 0.5 ms to 100 ms
connect drive -> n via J weight 6 mV delay 0.25 ms
record spikes
record v of n every 0.25 ms
)";
  temp_dir dir;
  const auto split_runs = write_model(dir, model + "run 5 ms\nrun 5 ms\n", "split.syn");
  const auto one_run = write_model(dir, model + "run 10 ms\n", "one.syn");
  const syn_result a = run_syn({"run", split_runs.string(), "--out", "split"}, dir.path());
  const syn_result b = run_syn({"run", one_run.string(), "--out", "one"}, dir.path());
  ASSERT_EQ(a.exit_code, 0) << a.err;
  ASSERT_EQ(b.exit_code, 0) << b.err;
  EXPECT_NE(a.err.find(", 10 ms simulated:"), std::string::npos) << a.err;
  EXPECT_EQ(read_file(dir / "split/spikes.csv"), read_file(dir / "one/spikes.csv"));
  EXPECT_EQ(read_file(dir / "split/v.csv"), read_file(dir / "one/v.csv"));
  // The second run did contribute: the neuron fires after 5 ms.
  const auto lines = csv_lines(dir / "split/spikes.csv");
  EXPECT_TRUE(std::any_of(lines.begin() + 1, lines.end(),
                          [](const auto& row) { return row[1] == "n" && std::stod(row[0]) > 5; }));
}

TEST(seed, the_same_seed_gives_byte_identical_outputs_and_another_seed_others) {
  temp_dir dir;
  const auto model = write_model(dir, random_model).string();
  for (const char* out : {"a", "b"})
    ASSERT_EQ(run_syn({"run", model, "--seed", "5", "--out", out}, dir.path()).exit_code, 0);
  ASSERT_EQ(run_syn({"run", model, "--seed", "6", "--out", "c"}, dir.path()).exit_code, 0);
  EXPECT_EQ(read_file(dir / "a/spikes.csv"), read_file(dir / "b/spikes.csv"));
  EXPECT_EQ(read_file(dir / "a/v.csv"), read_file(dir / "b/v.csv"));
  EXPECT_NE(read_file(dir / "a/spikes.csv"), read_file(dir / "c/spikes.csv"));
  EXPECT_NE(read_file(dir / "a/v.csv"), read_file(dir / "c/v.csv"));
}

TEST(seed, the_statement_sets_the_seed_and_the_option_overrides_it) {
  temp_dir dir;
  const auto plain = write_model(dir, random_model, "plain.syn").string();
  const auto seven = write_model(dir, fmt::format("seed = 7\n{}", random_model), "seven.syn");
  const auto three = write_model(dir, fmt::format("seed = 3\n{}", random_model), "three.syn");
  const auto spikes = [&](const std::vector<std::string>& args, const std::string& out) {
    std::vector<std::string> all = args;
    all.insert(all.end(), {"--out", out});
    const syn_result r = run_syn(all, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return read_file(dir / out / "spikes.csv");
  };
  const std::string by_option = spikes({"run", plain, "--seed", "7"}, "option");
  EXPECT_EQ(spikes({"run", seven.string()}, "statement"), by_option);
  EXPECT_EQ(spikes({"run", three.string(), "--seed", "7"}, "override"), by_option);
  // docs/language.md: without either, the seed is 1.
  EXPECT_EQ(spikes({"run", plain}, "default"), spikes({"run", plain, "--seed", "1"}, "one"));
  EXPECT_NE(spikes({"run", three.string()}, "three"), by_option);
}

TEST(trains, a_poisson_train_spikes_only_within_its_interval) {
  temp_dir dir;
  const auto model = write_model(dir, R"(
train w = 5 x poisson 500 Hz from 10 ms to 20 ms
record spikes
run 30 ms
)");
  const syn_result r = run_syn({"run", model.string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = csv_lines(dir / "syn-out/spikes.csv");
  ASSERT_GT(lines.size(), 1u);  // 25 expected
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const double t = std::stod(lines[i][0]);
    EXPECT_TRUE(t >= 10 && t < 20) << t;
  }
}

TEST(options, spikes_dash_prints_the_same_rows_on_standard_output) {
  temp_dir dir;
  const auto model = write_model(dir, summation_model).string();
  const syn_result quiet = run_syn({"run", model, "--out", "quiet"}, dir.path());
  const syn_result r = run_syn({"run", model, "--spikes", "-"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, read_file(dir / "syn-out/spikes.csv"));
  EXPECT_EQ(quiet.out, "");
}

TEST(options, spikes_dash_warns_when_the_model_records_no_spikes) {
  temp_dir dir;
  const auto model = write_model(dir, R"(
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population n = LIF
run 1 ms
)");
  const syn_result r = run_syn({"run", model.string(), "--spikes", "-"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "time_ms,population,index\n");
  EXPECT_EQ(first_line(r.err), fmt::format("syn: warning: {} records no spikes, so --spikes - "
                                           "prints only the header; add `record spikes`",
                                           model.string()));
}

TEST(options, out_names_the_folder_created_for_the_outputs) {
  temp_dir dir;
  const auto model = write_model(dir, summation_model).string();
  const syn_result r = run_syn({"run", model, "--out", "deep/er/out"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "deep/er/out/spikes.csv"));
  EXPECT_TRUE(fs::is_regular_file(dir / "deep/er/out/v.csv"));
  EXPECT_FALSE(fs::exists(dir / "syn-out"));
}

TEST(options, the_default_output_folder_is_syn_out_in_the_current_folder) {
  temp_dir dir;
  const syn_result r = run_syn({"run", write_model(dir, summation_model).string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::is_regular_file(dir / "syn-out/spikes.csv"));
  EXPECT_TRUE(fs::is_regular_file(dir / "syn-out/v.csv"));
}

TEST(errors, a_model_that_fails_to_check_writes_nothing) {
  temp_dir dir;
  const auto model = write_model(dir, "record spikes\nrun 10 mv\n").string();
  const syn_result with_out = run_syn({"run", model, "--out", "out"}, dir.path());
  const syn_result without = run_syn({"run", model}, dir.path());
  EXPECT_EQ(with_out.exit_code, 1);
  EXPECT_EQ(without.exit_code, 1);
  EXPECT_FALSE(fs::exists(dir / "out"));
  EXPECT_FALSE(fs::exists(dir / "syn-out"));
  EXPECT_EQ(with_out.out, "");
}

TEST(errors, usage_errors_exit_2_with_a_message_and_write_nothing) {
  temp_dir dir;
  write_model(dir, summation_model, "m.syn");
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"run", "m.syn", "--frobnicate"}, "unknown option '--frobnicate'"},
      {{"frobnicate", "m.syn"}, "unknown command 'frobnicate'"},
      {{"run", "missing.syn"}, "cannot read 'missing.syn': No such file or directory"},
      {{"run", "m.syn", "--seed", "abc"}, "--seed needs a whole number from 0 to 2^64 - 1"},
      {{"run", "m.syn", "--seed", "-1"}, "--seed needs a whole number from 0 to 2^64 - 1"},
      {{"run", "m.syn", "--seed"}, "--seed needs a whole number from 0 to 2^64 - 1"},
      {{"run", "m.syn", "--out"}, "--out needs a folder"},
      {{"run", "m.syn", "--spikes", "out.csv"}, "--spikes takes '-' (standard output)"},
      {{"run", "m.syn", "other.syn"}, "unexpected argument 'other.syn'"},
      {{"check"}, "syn check needs a model file"},
  };
  for (const auto& [args, message] : cases) {
    SCOPED_TRACE(fmt::format("syn {}", fmt::join(args, " ")));
    const syn_result r = run_syn(args, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err), "syn: error: " + message);
    EXPECT_EQ(r.out, "");
  }
  EXPECT_FALSE(fs::exists(dir / "syn-out"));
}

TEST(errors, an_output_folder_that_cannot_be_created_exits_3) {
  temp_dir dir;
  const auto model = write_model(dir, summation_model).string();
  write_file(dir / "blocker", "a regular file\n");
  const syn_result r = run_syn({"run", model, "--out", "blocker/out"}, dir.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(first_line(r.err),
            "syn: error: cannot create the output folder 'blocker/out': Not a directory");
}

TEST(errors, an_output_file_that_cannot_be_written_exits_3) {
  temp_dir dir;
  const auto model = write_model(dir, summation_model).string();
  fs::create_directories(dir / "out/spikes.csv");  // a folder where the file should go
  const syn_result r = run_syn({"run", model, "--out", "out"}, dir.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(first_line(r.err), "syn: error: cannot write 'out/spikes.csv': Is a directory");
}

TEST(errors, a_misplaced_reserved_word_is_not_called_a_name) {
  // 'at' where a recording ends is not a name chosen badly: no hint says "choose another name".
  temp_dir dir;
  const auto model = write_model(dir,
                                 "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
                                 "population n = LIF\n"
                                 "record v of n at 300 um every 0.1 ms\n"
                                 "run 10 ms every 1 ms\n");
  const syn_result r = run_syn({"check", model.string()}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find(":3:15: error: a recording takes no 'at'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(":4:11: error: expected the end of the statement"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.err.find("reserved word"), std::string::npos) << r.err;
}

TEST(errors, deeply_nested_input_is_an_error_not_a_crash) {
  temp_dir dir;
  const std::string depth(100000, '[');
  const auto model =
      write_model(dir, fmt::format("seed = {}{}\n", depth, std::string(100000, ']')));
  const syn_result r = run_syn({"check", model.string()}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(r.err.starts_with(model.string() + ":1:")) << first_line(r.err);
}

TEST(errors, random_token_soup_never_crashes) {
  // SPEC §4: bad input never crashes the tool. Fixed-seed soups of the language's own tokens,
  // so that a failure reproduces; each must be accepted (0) or refused with an error (1).
  static const std::vector<std::string> tokens = {
      "receptor",  "neuron",  "population",  "train",    "connect",     "record",     "run",
      "import",    "from",    "library",     "seed",     "=",           "{",          "}",
      "[",         "]",       "(",           ")",        ",",           ";",          "\n",
      "->",        "..",      ":",           "x",        "via",         "weight",     "delay",
      "at",        "with",    "probability", "indegree", "outdegree",   "one_to_one", "times",
      "regular",   "poisson", "file",        "to",       "of",          "every",      "spikes",
      "v",         "LIF",     "AMPA",        "p",        "p[0]",        "p[0..2]",    "1",
      "0",         "-3",      "2.5",         "1e999",    "99999999999", "ms",         "mV",
      "Hz",        "pA",      "nS",          "uniform",  "normal",      "\"s.csv\"",  "\"",
      "#",         "é",       "\t",          "reversal", "decay",       "rise",       "rest",
      "threshold", "tau_m",   "kinetics",    "jump"};
  const std::string prelude =
      "receptor AMPA { reversal = 0 mV; decay = 2 ms }\n"
      "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
      "population p = 3 x LIF\n";
  std::mt19937 rng(20240611);
  temp_dir dir;
  for (int i = 0; i < 300; ++i) {
    std::string soup = prelude;
    const int n = std::uniform_int_distribution<int>(1, 30)(rng);
    for (int k = 0; k < n; ++k) {
      soup += tokens[std::uniform_int_distribution<std::size_t>(0, tokens.size() - 1)(rng)];
      soup += (rng() % 4 == 0) ? "" : " ";
    }
    const auto model = write_model(dir, soup);
    const syn_result r = run_syn({"check", model.string()}, dir.path());
    EXPECT_TRUE(r.exit_code == 0 ||
                (r.exit_code == 1 && r.err.find(": error: ") != std::string::npos))
        << "exit " << r.exit_code << " for:\n"
        << soup << "\n"
        << r.err;
  }
}

TEST(commands, help_and_version_exit_0) {
  const syn_result help = run_syn({"--help"});
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_TRUE(help.out.starts_with("syn ")) << help.out;
  EXPECT_NE(help.out.find("usage:"), std::string::npos) << help.out;
  const syn_result version = run_syn({"--version"});
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_EQ(version.out, fmt::format("syn {}\n", SYN_VERSION));
}

TEST(commands, run_without_a_model_runs_the_built_in_demo) {
  // The demo is examples/temporal_summation.syn, built in.
  temp_dir dir;
  const syn_result demo = run_syn({"run", "--out", "demo"}, dir.path());
  const fs::path example = fs::path(SYN_EXAMPLES) / "temporal_summation.syn";
  const syn_result file = run_syn({"run", example.string(), "--out", "file"}, dir.path());
  ASSERT_EQ(demo.exit_code, 0) << demo.err;
  ASSERT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(read_file(dir / "demo/spikes.csv"), read_file(dir / "file/spikes.csv"));
  EXPECT_EQ(read_file(dir / "demo/v.csv"), read_file(dir / "file/v.csv"));
}

TEST(commands, check_writes_no_outputs) {
  temp_dir dir;
  write_model(dir, summation_model, "m.syn");
  const syn_result r = run_syn({"check", "m.syn"}, dir.path());
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "syn: m.syn is fine\n");
  // Nothing beside the model: no syn-out.
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(commands, run_ends_with_a_summary_on_standard_error) {
  temp_dir dir;
  const syn_result r =
      run_syn({"run", write_model(dir, summation_model).string(), "--threads", "1"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // neurons, synapses, simulated time, spikes of neurons, mean rate, events, wall time.
  static const std::regex summary(
      R"(^syn: (\d+) neurons?, (\d+) synapses?(?: \([0-9.]+ bytes each\))?, (\S+) ms simulated: )"
      R"((\d+) spikes? \((\S+) Hz per neuron\), (\d+) events in (\S+) s$)");
  std::smatch m;
  const std::string line = first_line(r.err);
  ASSERT_TRUE(std::regex_match(line, m, summary)) << line;
  EXPECT_EQ(m[1], "2");
  EXPECT_EQ(m[2], "2");
  EXPECT_EQ(m[3], "20");
  EXPECT_EQ(m[4], "1");
  EXPECT_EQ(m[5], "25");  // 1 spike / 2 neurons / 0.02 s
  EXPECT_GT(std::stoul(m[6]), 0u);
  // Then each neuron population's spikes and rate (the trains are not listed).
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_EQ(lines.size(), 4u) << r.err;
  static const std::regex population(R"(^syn:   (\S+) +(\d+) neurons? +(\d+) spikes? +(\S+) Hz$)");
  ASSERT_TRUE(std::regex_match(lines[1], m, population)) << lines[1];
  EXPECT_EQ(m[1], "alone");
  EXPECT_EQ(m[3], "0");
  ASSERT_TRUE(std::regex_match(lines[2], m, population)) << lines[2];
  EXPECT_EQ(m[1], "summed");
  EXPECT_EQ(m[3], "1");
  EXPECT_EQ(m[4], "50");  // 1 spike / 1 neuron / 0.02 s
  EXPECT_EQ(lines[3], "syn: wrote syn-out");
}

TEST(commands, run_on_several_threads_says_how_often_they_exchange_spikes) {
  temp_dir dir;
  const syn_result r =
      run_syn({"run", write_model(dir, summation_model).string(), "--threads", "3"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_EQ(lines.size(), 5u) << r.err;
  // The model's one delay, 1 ms, bounds the epochs.
  static const std::regex threads(
      R"(^syn: 3 threads, (\d+) exchanges of spikes, at most 1 ms apart \(the smallest delay\)$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[1], m, threads)) << lines[1];
  EXPECT_GT(std::stoul(m[1]), 0u);
}

TEST(commands, run_writes_each_population_s_spikes_and_rate_in_populations_csv) {
  temp_dir dir;
  const syn_result r = run_syn({"run", write_model(dir, summation_model).string()}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir.path() / "syn-out" / "populations.csv"),
            "population,kind,size,since_ms,end_ms,spikes,rate_Hz,rest_mV,threshold_mV\n"
            "alone,neurons,1,0,20,0,0,-70,-55\n"
            "summed,neurons,1,0,20,1,50,-70,-55\n"
            "single,train,1,0,20,1,50,,\n"
            "burst,train,1,0,20,3,150,,\n");
}

}  // namespace
}  // namespace syn::test
