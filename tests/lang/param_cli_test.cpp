// Params from the command line: `--set NAME=VALUE` on `syn run` and `syn check` (its errors point
// into the argument and exit with 2), and `syn sweep`, whose runs must each be what `syn run
// --set` of its value writes, and whose table, sweep.csv and progress lines report each
// population's rate from all its spikes.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// A jump of w on a neuron 15 mV below threshold: it fires at the input's arrival (1 ms + d) when
// w reaches 15 mV, and not below.
constexpr const char* jump_model = R"(param w = 15 mV
param d = 2 ms
receptor Jump { kinetics = jump; effect = excitatory }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population p = LIF
train t = times [1 ms]
connect t -> p via Jump weight w delay d
record spikes
run 10 ms
)";

// Two populations driven by Poisson sources through w; only `a` is recorded, so that the rates
// of `b` must come from spikes no file holds.
constexpr const char* poisson_model = R"(param w = 2 mV
param n_b = 7
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; refractory = 2 ms }
population a = 5 x LIF
population b = n_b x LIF
train bg = 40 x poisson 50 Hz
connect bg -> a via AMPA weight w delay 1 ms with probability 0.5
connect bg -> b via AMPA weight w delay 1 ms with probability 0.5
record spikes of a
run 300 ms
)";

// The same network recording every spike, to count `b`'s.
std::string recording_all(std::string model) {
  model.replace(model.find("record spikes of a"), 18, "record spikes");
  return model;
}

fs::path write_model(const temp_dir& dir, std::string_view text,
                     std::string_view name = "model.syn") {
  const fs::path path = dir / name;
  write_file(path, text);
  return path;
}

// The rows of a spikes.csv, each population's count.
std::map<std::string, std::uint64_t> spike_counts(const fs::path& spikes_csv) {
  std::map<std::string, std::uint64_t> counts;
  const auto lines = split_lines(read_file(spikes_csv));
  for (std::size_t i = 1; i < lines.size(); ++i) ++counts[split(lines[i], ',')[1]];
  return counts;
}

TEST(param_cli, set_replaces_a_params_value_in_run) {
  temp_dir dir;
  write_model(dir, jump_model);
  const syn_result declared = run_syn({"run", "model.syn", "--out", "declared"}, dir.path());
  ASSERT_EQ(declared.exit_code, 0) << declared.err;
  EXPECT_EQ(read_file(dir / "declared/spikes.csv"), "time_ms,population,index\n1,t,0\n3,p,0\n");
  // Below threshold: the neuron stays silent; a later arrival moves its spike.
  const syn_result lower =
      run_syn({"run", "model.syn", "--out", "lower", "--set", "w=14.9mV"}, dir.path());
  ASSERT_EQ(lower.exit_code, 0) << lower.err;
  EXPECT_EQ(read_file(dir / "lower/spikes.csv"), "time_ms,population,index\n1,t,0\n");
  // The value as one argument with a space, and in another unit of the same kind.
  const syn_result later = run_syn(
      {"run", "model.syn", "--out", "later", "--set", "d=4 ms", "--set", "w=0.015 V"}, dir.path());
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(read_file(dir / "later/spikes.csv"), "time_ms,population,index\n1,t,0\n5,p,0\n");
}

TEST(param_cli, a_set_of_another_unit_is_refused_pointing_into_the_argument) {
  temp_dir dir;
  write_model(dir, jump_model);
  const syn_result r = run_syn({"run", "model.syn", "--out", "out", "--set", "w=0nS"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "<command line>:1:4: error: w is a voltage (mV, V), but 0 nS is a conductance\n"
            "  w=0nS\n"
            "     ^~\n"
            "hint: w is declared at model.syn:1:7 as 15 mV\n"
            "syn: 1 error in --set\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
  const syn_result graph = run_syn({"graph", "model.syn", "--set", "w=0nS"}, dir.path());
  EXPECT_EQ(graph.exit_code, 2);
  EXPECT_EQ(graph.err, r.err);
  EXPECT_EQ(graph.out, "");
  const syn_result plain = run_syn({"check", "model.syn", "--set", "w=0"}, dir.path());
  EXPECT_EQ(plain.exit_code, 2);
  EXPECT_EQ(plain.err,
            "<command line>:1:3: error: w is a voltage (mV, V), but 0 is a plain number\n"
            "  w=0\n"
            "    ^\n"
            "hint: w is declared at model.syn:1:7 as 15 mV\n"
            "syn: 1 error in --set\n");
}

TEST(param_cli, a_set_of_no_param_suggests_the_closest) {
  temp_dir dir;
  write_model(dir, jump_model);
  const syn_result r = run_syn({"check", "model.syn", "--set", "ww=1mV"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "<command line>:1:1: error: the model declares no param 'ww'\n"
            "  ww=1mV\n"
            "  ^~\n"
            "hint: did you mean 'w'?\n"
            "syn: 1 error in --set\n");
  const syn_result population = run_syn({"check", "model.syn", "--set", "p=1mV"}, dir.path());
  EXPECT_EQ(population.exit_code, 2);
  EXPECT_EQ(population.err,
            "<command line>:1:1: error: 'p' is not a param: it is declared at model.syn:5:12 as "
            "a population\n"
            "  p=1mV\n"
            "  ^\n"
            "hint: --set gives a value to a param, declared as in: param w_inh = 3 mV\n"
            "syn: 1 error in --set\n");
}

TEST(param_cli, malformed_and_repeated_settings_are_refused_before_the_model_is_read) {
  temp_dir dir;
  write_model(dir, jump_model);
  const syn_result r =
      run_syn({"run", "model.syn", "--out", "out", "--set", "w=1mv", "--set", "d", "--set",
               "d=2ms x", "--set", "1d=2ms", "--set", "w=2mV", "--set", "w=3mV"},
              dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "<command line>:1:4: error: unknown unit 'mv'\n"
            "  w=1mv\n"
            "     ^~\n"
            "hint: did you mean 'mV'?\n"
            "<command line>:1:1: error: --set takes NAME=VALUE, as in w_inh=0.5mV\n"
            "  d\n"
            "  ^\n"
            "<command line>:1:7: error: unexpected 'x' after the value\n"
            "  d=2ms x\n"
            "        ^\n"
            "hint: a value is a number and its unit, as in 0.5mV\n"
            "<command line>:1:1: error: '1d' is not a name\n"
            "  1d=2ms\n"
            "  ^~\n"
            "hint: a name is letters, digits and '_', starting with a letter or '_'\n"
            "<command line>:1:1: error: w is set twice\n"
            "  w=3mV\n"
            "  ^\n"
            "hint: it is set first by --set w=2mV\n"
            "syn: 5 errors in --set\n");
  EXPECT_FALSE(fs::exists(dir / "out"));
  const syn_result missing = run_syn({"check", "model.syn", "--set"}, dir.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_TRUE(missing.err.starts_with("syn: error: --set needs NAME=VALUE, as in w_inh=0.5mV\n"))
      << missing.err;
}

TEST(param_cli, a_model_error_with_a_set_value_exits_1_and_names_the_param) {
  temp_dir dir;
  write_model(dir, jump_model);
  const syn_result r = run_syn({"check", "model.syn", "--set", "w=-1mV"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "model.syn:7:32: error: weights are magnitudes and cannot be negative\n"
            "  connect t -> p via Jump weight w delay d\n"
            "                                 ^\n"
            "hint: w is -1 mV (--set), declared at model.syn:1:7\n"
            "syn: 1 error in model.syn\n");
}

// Each folder of a sweep holds what `syn run --set` of its value writes, byte for byte, and the
// rates in sweep.csv, the table and the progress lines are each population's spikes (recorded or
// not) per neuron and second.
TEST(param_cli, each_sweep_run_is_the_run_of_its_value_and_its_rates_count_every_spike) {
  temp_dir dir;
  write_model(dir, poisson_model);
  write_model(dir, recording_all(poisson_model), "all.syn");
  const syn_result sweep = run_syn(
      {"sweep", "model.syn", "--set", "w=1mV..4mV/4", "--set", "n_b=6", "--seed", "3"}, dir.path());
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  const std::vector<std::string> values = {"1mV", "2mV", "3mV", "4mV"};
  const auto csv = split_lines(read_file(dir / "syn-sweep/sweep.csv"));
  ASSERT_EQ(csv.size(), values.size() + 1);
  EXPECT_EQ(csv[0], "w_mV,a_rate_Hz,b_rate_Hz");
  const auto progress = split_lines(sweep.err);
  ASSERT_EQ(progress.size(), values.size() + 1);
  const auto table = split_lines(sweep.out);
  ASSERT_EQ(table.size(), values.size() + 1);
  // Columns separated by spaces: the value as its folder names it, then each rate to 4 digits.
  const auto cells = [](const std::string& line) {
    std::vector<std::string> out;
    for (const std::string& c : split(line, ' '))
      if (!c.empty()) out.push_back(c);
    return out;
  };
  EXPECT_EQ(cells(table[0]), (std::vector<std::string>{"w", "a", "(Hz)", "b", "(Hz)"}));
  double last_rate = -1;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const std::string folder = "w=" + values[i];
    const std::string alone = "alone" + std::to_string(i);
    const syn_result run = run_syn(
        {"run", "model.syn", "--out", alone, "--set", folder, "--set", "n_b=6", "--seed", "3"},
        dir.path());
    ASSERT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(read_file(dir / "syn-sweep" / folder / "spikes.csv"),
              read_file(dir / alone / "spikes.csv"))
        << folder;
    const std::string all = "all" + std::to_string(i);
    ASSERT_EQ(
        run_syn({"run", "all.syn", "--out", all, "--set", folder, "--set", "n_b=6", "--seed", "3"},
                dir.path())
            .exit_code,
        0);
    auto counts = spike_counts(dir / all / "spikes.csv");
    const double a = static_cast<double>(counts["a"]) / 5 / (300 / 1000.0);
    const double b = static_cast<double>(counts["b"]) / 6 / (300 / 1000.0);
    EXPECT_GT(counts["b"], 0u) << folder;
    EXPECT_EQ(csv[i + 1], fmt::format("{},{},{}", i + 1, a, b));
    EXPECT_EQ(cells(table[i + 1]), (std::vector<std::string>{values[i], fmt::format("{:.4g}", a),
                                                             fmt::format("{:.4g}", b)}));
    EXPECT_EQ(progress[i],
              fmt::format("syn: {} of 4: {}, a {:.4g} Hz, b {:.4g} Hz", i + 1, folder, a, b));
    EXPECT_GT(a, last_rate) << "stronger synapses fire the neurons more";
    last_rate = a;
  }
  EXPECT_EQ(progress.back(), "syn: wrote syn-sweep");
  // The figure: per population a group holding one point per value.
  pugi::xml_document svg;
  ASSERT_TRUE(svg.load_file((dir / "syn-sweep/sweep.svg").c_str()));
  for (const char* population : {"a", "b"}) {
    const pugi::xml_node g =
        svg.select_node(fmt::format("//g[@data-population='{}']", population).c_str()).node();
    ASSERT_TRUE(g) << population;
    EXPECT_EQ(g.select_nodes("circle[@class='point']").size(), values.size()) << population;
  }
}

TEST(param_cli, a_sweep_of_listed_values_runs_them_in_order_into_folders_named_as_run) {
  temp_dir dir;
  write_model(dir, jump_model);
  const syn_result sweep = run_syn(
      {"sweep", "model.syn", "--set", "w = 16 mV, 1.5e1mV,14.9mV", "--out", "s"}, dir.path());
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  EXPECT_EQ(read_file(dir / "s/sweep.csv"), "w_mV,p_rate_Hz\n16,100\n15,100\n14.9,0\n");
  EXPECT_EQ(read_file(dir / "s/w=15mV/spikes.csv"), "time_ms,population,index\n1,t,0\n3,p,0\n");
  EXPECT_EQ(read_file(dir / "s/w=14.9mV/spikes.csv"), "time_ms,population,index\n1,t,0\n");
}

TEST(param_cli, a_range_of_plain_numbers_is_spaced_evenly_with_exact_ends) {
  temp_dir dir;
  write_model(dir, R"(param p_connect = 0.5
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
receptor AMPA { reversal = 0 mV; decay = 2 ms }
population p = 2 x LIF
connect p -> p via AMPA weight 1 mV delay 1 ms with probability p_connect
run 1 ms
)");
  const syn_result sweep =
      run_syn({"sweep", "model.syn", "--set", "p_connect=0..1/11"}, dir.path());
  ASSERT_EQ(sweep.exit_code, 0) << sweep.err;
  EXPECT_EQ(read_file(dir / "syn-sweep/sweep.csv"),
            "p_connect,p_rate_Hz\n0,0\n0.1,0\n0.2,0\n0.3,0\n0.4,0\n0.5,0\n0.6,0\n0.7,0\n0.8,0\n"
            "0.9,0\n1,0\n");
}

TEST(param_cli, sweep_errors_point_into_the_argument_and_write_nothing) {
  temp_dir dir;
  write_model(dir, jump_model);
  const auto refused = [&](std::vector<std::string> args, int code, const std::string& err) {
    args.insert(args.begin(), {"sweep", "model.syn", "--out", "out"});
    const syn_result r = run_syn(args, dir.path());
    EXPECT_EQ(r.exit_code, code) << fmt::format("{}", fmt::join(args, " "));
    EXPECT_EQ(r.err, err);
    EXPECT_FALSE(fs::exists(dir / "out"));
  };
  refused({"--set", "ww=0mV..4mV/9"}, 2,
          "<command line>:1:1: error: the model declares no param 'ww'\n"
          "  ww=0mV..4mV/9\n"
          "  ^~\n"
          "hint: did you mean 'w'?\n"
          "syn: 1 error in --set\n");
  refused({"--set", "w=0mV..4mV/1"}, 2,
          "<command line>:1:12: error: K of A..B/K must be a whole number from 2 to 10000, the "
          "number of values\n"
          "  w=0mV..4mV/1\n"
          "             ^\n"
          "hint: as in w_inh=0mV..4mV/9: 0, 0.5, 1, ..., 4 mV\n"
          "syn: 1 error in --set\n");
  refused({"--set", "w=0mV..4V/3"}, 2,
          "<command line>:1:9: error: the values of a sweep are in one unit, but this one is in V "
          "and the first in mV\n"
          "  w=0mV..4V/3\n"
          "          ^\n"
          "hint: write every value in mV\n"
          "syn: 1 error in --set\n");
  refused({"--set", "w=1mV,2"}, 2,
          "<command line>:1:7: error: the values of a sweep are in one unit, but this one is a "
          "plain number and the first in mV\n"
          "  w=1mV,2\n"
          "        ^\n"
          "hint: write every value in mV\n"
          "syn: 1 error in --set\n");
  refused({"--set", "w=0nS..1nS/2"}, 2,
          "<command line>:1:4: error: w is a voltage (mV, V), but 0 nS is a conductance\n"
          "  w=0nS..1nS/2\n"
          "     ^~\n"
          "hint: w is declared at model.syn:1:7 as 15 mV\n"
          "syn: 1 error in --set\n");
  refused({"--set", "w=1mV,1.0mV"}, 2,
          "<command line>:1:7: error: 1mV is listed twice\n"
          "  w=1mV,1.0mV\n"
          "        ^~~~~\n"
          "hint: each value runs once, into a folder of its own\n"
          "syn: 1 error in --set\n");
  refused({"--set", "w=1mV..1mV/3"}, 2,
          "<command line>:1:8: error: the two ends of A..B are equal, so every value would be "
          "the same\n"
          "  w=1mV..1mV/3\n"
          "         ^~~\n"
          "hint: list values with commas, or give two different ends\n"
          "syn: 1 error in --set\n");
  refused({"--set", "w=1mV,2mV", "--set", "d=1ms,2ms"}, 2,
          "<command line>:1:1: error: syn sweep sweeps one param, and another --set already "
          "lists values\n"
          "  d=1ms,2ms\n"
          "  ^~~~~~~~~\n"
          "hint: give the other params one value each\n"
          "syn: 1 error in --set\n");
  // A value the model refuses stops the sweep before any run.
  refused({"--set", "w=1mV,-1mV"}, 1,
          "model.syn:7:32: error: weights are magnitudes and cannot be negative\n"
          "  connect t -> p via Jump weight w delay d\n"
          "                                 ^\n"
          "hint: w is -1 mV (--set), declared at model.syn:1:7\n"
          "syn: 1 error in model.syn with w=-1mV\n");
  refused({"--set", "w=1mV"}, 2,
          "syn: error: syn sweep needs the values of a param: --set NAME=A..B/K (K values from A "
          "to B) or --set NAME=V1,V2,...\n");
}

TEST(param_cli, a_sweep_reports_every_value_the_model_refuses_before_any_run) {
  temp_dir dir;
  write_model(dir, jump_model);
  const syn_result r =
      run_syn({"sweep", "model.syn", "--set", "d=-1ms,1ms,-2ms", "--out", "out"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  const std::string refused =
      "model.syn:7:40: error: delays must be positive\n"
      "  connect t -> p via Jump weight w delay d\n"
      "                                         ^\n"
      "hint: d is {} (--set), declared at model.syn:2:7\n"
      "syn: 1 error in model.syn with d={}\n";
  EXPECT_EQ(r.err, fmt::format(fmt::runtime(refused), "-1 ms", "-1ms") +
                       fmt::format(fmt::runtime(refused), "-2 ms", "-2ms"));
  EXPECT_FALSE(fs::exists(dir / "out"));
}

// `syn sweep ... 2>&1 | head -c1`: the sweep ends as it would have, its results in place, and
// nothing of its own left behind (it once aborted, leaving its temporary folder and half a sweep).
TEST(param_cli, a_sweep_whose_reader_has_gone_still_writes_its_results_and_only_them) {
  temp_dir dir;
  write_model(dir, jump_model);
  process_options options;
  options.cwd = dir.path();
  options.merge = true;
  options.reader_gone = true;
  const syn_result r =
      syn_process(SYN_BINARY, {"sweep", "model.syn", "--set", "w=14mV,15mV,16mV", "--out", "s"},
                  options)
          .wait();
  EXPECT_EQ(r.exit_code, 0);
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir / "s")) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{".syn-outputs", "sweep.csv", "sweep.svg", "w=14mV",
                                             "w=15mV", "w=16mV"}));
  EXPECT_EQ(read_file(dir / "s/sweep.csv"), "w_mV,p_rate_Hz\n14,0\n15,100\n16,100\n");
}

// A sweep's folder holds one sweep: the value folders of an earlier sweep with other values go,
// and a folder of other files is refused rather than mixed in with (`--out .`).
TEST(param_cli, a_sweep_replaces_an_earlier_sweep_and_refuses_a_folder_of_other_files) {
  temp_dir dir;
  write_model(dir, jump_model);
  ASSERT_EQ(run_syn({"sweep", "model.syn", "--set", "w=1mV,2mV", "--out", "s"}, dir.path())
                .exit_code,
            0);
  const syn_result again =
      run_syn({"sweep", "model.syn", "--set", "w=2mV,3mV", "--out", "s"}, dir.path());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir / "s")) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{".syn-outputs", "sweep.csv", "sweep.svg", "w=2mV",
                                             "w=3mV"}));
  EXPECT_EQ(split_lines(read_file(dir / "s/.syn-outputs")),
            (std::vector<std::string>{"w=2mV", "w=3mV", "sweep.csv", "sweep.svg"}));
  // A run into the folder replaces the sweep whole.
  ASSERT_EQ(run_syn({"run", "model.syn", "--out", "s"}, dir.path()).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / "s/w=2mV"));
  EXPECT_FALSE(fs::exists(dir / "s/sweep.csv"));

  fs::create_directories(dir / "notes");
  write_file(dir / "notes/mine.txt", "mine\n");
  const syn_result refused =
      run_syn({"sweep", "model.syn", "--set", "w=1mV,2mV", "--out", "notes"}, dir.path());
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(refused.err,
            "syn: error: 'notes' holds files that no syn run or sweep wrote; syn sweep writes into "
            "a new or empty folder or one of earlier results: choose another with --out\n");
  EXPECT_EQ(fs::directory_iterator(dir / "notes")->path().filename(), "mine.txt");
}

TEST(param_cli, a_sweep_folder_that_cannot_be_written_is_a_runtime_error) {
  temp_dir dir;
  write_model(dir, jump_model);
  write_file(dir / "taken", "a file, not a folder\n");
  const syn_result r =
      run_syn({"sweep", "model.syn", "--set", "w=1mV,2mV", "--out", "taken/sweep"}, dir.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_TRUE(r.err.starts_with("syn: error: ")) << r.err;
  EXPECT_NE(r.err.find("taken/sweep"), std::string::npos) << r.err;
  EXPECT_EQ(r.out, "");
}

TEST(param_cli, set_is_refused_where_no_model_is_checked) {
  for (const std::vector<std::string>& args : {std::vector<std::string>{"repl", "--set", "w=1mV"},
                                               {"plot", "out", "--set", "w=1mV"},
                                               {"doc", "std.receptors", "--set", "w=1mV"}}) {
    const syn_result r = run_syn(args);
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_TRUE(r.err.starts_with("syn: error: --set is for syn run, check, sweep and graph\n"))
        << r.err;
  }
}

// In the REPL a param is a statement: used, shown, refused twice, and saved as written.
TEST(param_cli, the_repl_declares_shows_and_saves_params) {
  temp_dir dir;
  const syn_result r =
      run_syn_with_input(SYN_BINARY, {"repl"},
                         "param w = 15 mV\n"
                         "show w\n"
                         "receptor Jump { kinetics = jump; effect = excitatory }\n"
                         "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
                         "population p = LIF\n"
                         "train t = times [1 ms]\n"
                         "connect t -> p via Jump weight w delay 2 ms\n"
                         "param w = 1 mV\n"
                         "run 5 ms\n"
                         ":save session.syn\n",
                         dir.path());
  EXPECT_EQ(r.exit_code, 1);  // the second declaration
  EXPECT_EQ(r.out,
            "param w = 15 mV\n"
            "t = 5 ms: 2 spikes since 0 ms\n"
            "  1 ms  t[0]\n"
            "  3 ms  p[0]\n"
            "saved 7 statements to session.syn\n");
  EXPECT_EQ(r.err,
            "<input>:8:7: error: 'w' is already declared\n"
            "  param w = 1 mV\n"
            "        ^\n"
            "hint: a param named 'w' is declared at 1:7\n");
  EXPECT_NE(read_file(dir / "session.syn").find("\nparam w = 15 mV\n"), std::string::npos);
}

}  // namespace
}  // namespace syn::test
