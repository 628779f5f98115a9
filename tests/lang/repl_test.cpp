// The REPL (SPEC §5) driven as users drive it: through a pipe (no prompts, one output block per
// input, exit code 1 when an input failed) and on a pseudo-terminal (prompt, history recall,
// completion, Ctrl-C). A session saved with :save and run with `syn run` gives its spikes.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <random>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

syn_result repl(std::string_view input, const fs::path& cwd = {}) {
  return run_syn_with_input(SYN_BINARY, {"repl"}, input, cwd);
}

constexpr const char* cell = R"(receptor J { kinetics = jump; effect = excitatory }
neuron LIF {
  rest = -70 mV; threshold = -50 mV; tau_m = 10 ms
}
)";

TEST(repl_pipe, statements_and_commands_print_one_block_each_without_prompts) {
  const syn_result r = repl(std::string(cell) + R"(population n = 2 x LIF
train t = times [1 ms, 2 ms]
connect t -> n via J weight 12 mV delay 1 ms
run 5 ms
print n[1].v
time
spikes of n last 1
queue
)");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  // Jumps of 12 mV at 2 and 3 ms: -70 + 12 e^-0.1 + 12 > -50, so both fire at 3 ms, and are
  // back at rest.
  EXPECT_EQ(r.out,
            "t = 5 ms: 4 spikes since 0 ms\n"
            "  1 ms  t[0]\n  2 ms  t[0]\n  3 ms  n[0]\n  3 ms  n[1]\n"
            "n[1].v = -70 mV\n"
            "t = 5 ms\n"
            "3 ms  n[1]\n"
            "nothing is pending\n");
}

TEST(repl_pipe, a_block_may_span_lines_until_its_braces_close) {
  const syn_result r =
      repl("neuron A {\n  rest = -70 mV\n  threshold = -50 mV\n  tau_m = 10 ms\n}\nshow A\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("neuron A\n  rest             -70 mV\n  threshold        -50 mV\n"),
            std::string::npos)
      << r.out;
}

TEST(repl_pipe, a_list_may_span_lines_until_its_bracket_closes) {
  const syn_result r = repl("train t = times [1 ms,\n  2 ms]\nshow t\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("train t: 1 source"), std::string::npos) << r.out;
}

// A call's arguments are on one line; a block or a list left open ends where a line starts a
// statement or a command, which nothing open can hold: the open input is reported there, and
// the lines after it run. An input still open at the end is reported at the end.
TEST(repl_pipe, an_unclosed_bracket_does_not_swallow_the_inputs_after_it) {
  const syn_result r = repl(
      "w = f(1\nrun 1 ms\n"
      "train t = times [1 ms,\nrun 2 ms\n"
      "neuron A {\n  rest = -70 mV\n:reload\ntime\n"
      "neuron B {\n  rest = -70 mV\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out,
            "t = 1 ms: 0 spikes since 0 ms\n"
            "t = 3 ms: 0 spikes since 1 ms\n"
            "t = 3 ms\n");
  EXPECT_EQ(r.err,
            "<input>:1:8: error: expected ',' or ')' in the argument list\n"
            "  w = f(1\n         ^\n"
            "<input>:3:22: error: expected ',' or ']' in the list\n"
            "  train t = times [1 ms,\n                       ^\n"
            "<input>:6:16: error: expected a property (name = value) or '}'\n"
            "    rest = -70 mV\n                 ^\n"
            "hint: the '{' at 5:10 is not closed\n"
            "<input>:7:1: error: nothing was loaded\n"
            "  :reload\n  ^~~~~~~\n"
            "hint: :load FILE first\n"
            "<input>:10:16: error: expected a property (name = value) or '}'\n"
            "    rest = -70 mV\n                 ^\n"
            "hint: the '{' at 9:10 is not closed\n");
}

TEST(repl_pipe, a_command_is_one_line_whatever_brackets_it_holds) {
  const syn_result r = repl(":load missing[1.syn\ntime\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "t = 0 ms\n");
  EXPECT_EQ(split_lines(r.err).at(0),
            "<input>:1:1: error: cannot read 'missing[1.syn': No such file or directory");
}

TEST(repl_pipe, an_error_points_at_its_input_line_and_the_session_goes_on_unchanged) {
  const syn_result r = repl(std::string(cell) + R"(population n = LIF
population n = 3 x LIF
population m = LIF { tau_m = 5 mV }
show n
)");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("<input>:6:12: error: 'n' is already declared\n"
                       "  population n = 3 x LIF\n"
                       "             ^\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("<input>:7:32: error: tau_m must be a time"), std::string::npos) << r.err;
  // n kept its one neuron; m does not exist.
  EXPECT_NE(r.out.find("population n: 1 x LIF, from 0 ms"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("population m"), std::string::npos) << r.out;
}

TEST(repl_pipe, values_beyond_their_range_are_refused_as_in_a_file) {
  const syn_result r = repl(std::string(cell) + R"(population n = LIF { rest = -1e100 mV }
population m = LIF
connect m -> m via J weight 1e306 mV delay 1 ms
run 1 ms
print m[0].v
)");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("<input>:5:29: error: rest must be within ±10,000 mV (10 V)\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("<input>:7:29: error: a weight must be within ±10,000 mV (10 V)\n"),
            std::string::npos)
      << r.err;
  // Neither statement changed the model: m runs alone, at rest.
  EXPECT_NE(r.out.find("m[0].v = -70 mV"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("population n"), std::string::npos) << r.out;
}

TEST(repl_pipe, an_error_is_reported_once_and_not_again_by_the_next_command) {
  const syn_result r = repl(std::string(cell) + "population n = LIF\npopulation n = LIF\ntime\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err,
            "<input>:6:12: error: 'n' is already declared\n  population n = LIF\n             ^\n"
            "hint: a population named 'n' is declared at 5:12\n");
  EXPECT_EQ(r.out, "t = 0 ms\n");
}

TEST(repl_pipe, an_error_is_printed_once_not_again_after_the_next_input) {
  const syn_result r = repl("foo\ntime\nshow t\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "t = 0 ms\n");
  EXPECT_EQ(r.err,
            "<input>:1:1: error: expected a statement: receptor, neuron, population, train, "
            "connect, record, measure, run, param, import, from, library or NAME = VALUE\n"
            "  foo\n  ^~~\n"
            "<input>:3:6: error: nothing is named 't'\n"
            "  show t\n       ^\n"
            "hint: show takes a population, train, neuron type, receptor or param\n");
}

TEST(repl_pipe, a_failed_import_or_a_refused_run_changes_nothing) {
  const temp_dir dir;
  const syn_result r = repl(std::string(cell) + R"(import nosuch
population p = nosuch.LIF
from std.neurons import MSN, Nope
population q = MSN
population a = LIF
record v of a every 0.001 ms
run 200 s
time
:save s.syn
)",
                            dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("<input>:5:8: error: cannot find library 'nosuch'"), std::string::npos)
      << r.err;
  // The failed import bound nothing, and the from-import imported nothing.
  EXPECT_NE(r.err.find("<input>:6:16: error: no library is imported as 'nosuch'"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("<input>:7:30: error: std.neurons declares no 'Nope'"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("<input>:8:16: error: unknown neuron type 'MSN'"), std::string::npos)
      << r.err;
  // The run would sample V 2e8 times: refused, at the record that asks for it.
  EXPECT_NE(r.err.find("<input>:10:21: error: this would create about 200,000,001 samples of V, "
                       "more than the limit of 100,000,000"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.out.find("t = 0 ms\n"), std::string::npos) << r.out;
  const std::string saved = read_file(dir / "s.syn");
  EXPECT_EQ(saved.find("\nrun "), std::string::npos) << saved;
  EXPECT_EQ(saved.find("import"), std::string::npos) << saved;
  EXPECT_NE(saved.find("record v of a every 0.001 ms"), std::string::npos) << saved;
}

TEST(repl_pipe, save_rewrites_file_paths_for_the_saved_file_and_names_import_folders) {
  const temp_dir dir;
  fs::create_directories(dir / "sub" / "lab");
  fs::create_directories(dir / "out");
  write_file(dir / "sub" / "lib.syn", "receptor J { kinetics = jump; effect = excitatory }\n");
  write_file(dir / "sub" / "lab" / "cells.syn",
             "neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }\n");
  write_file(dir / "sub" / "model.syn",
             "import \"lib.syn\" as l\nimport lab.cells\npopulation n = cells.LIF\n"
             "train t = times [1 ms]\nconnect t -> n via l.J weight 25 mV delay 1 ms\n"
             "record spikes\n");
  const syn_result r = run_syn_with_input(SYN_BINARY, {"repl", "sub/model.syn"},
                                          "run 5 ms\n:save out/s.syn\n", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(
      r.out.find(fmt::format("note: some of its imports were found from {}: run it with -I {}",
                             (dir / "sub").string(), (dir / "sub").string())),
      std::string::npos)
      << r.out;
  EXPECT_NE(read_file(dir / "out" / "s.syn").find("import \"../sub/lib.syn\" as l\n"),
            std::string::npos);
  const syn_result file = run_syn({"run", "out/s.syn", "-I", "sub", "--out", "o"}, dir.path());
  ASSERT_EQ(file.exit_code, 0) << file.err;
  EXPECT_EQ(read_file(dir / "o" / "spikes.csv"), "time_ms,population,index\n1,t,0\n2,n,0\n");
}

// Typed statements are relative to the present folder: saved there, their imports need no -I
// (the note named an empty folder).
// Tests may run as root, who writes into a folder without write permission: a path under a
// regular file, or under a missing folder, cannot be written by anyone.
TEST(repl_pipe, save_where_it_cannot_write_says_why_and_claims_nothing) {
  temp_dir dir;
  write_file(dir / "blocker", "a regular file\n");
  std::string input = "seed = 1\n:save blocker/s.syn\n:save missing/s.syn\n";
  std::vector<std::string> errors = {
      "<input>:2:1: error: cannot write 'blocker/s.syn': Not a directory",
      "<input>:3:1: error: cannot write 'missing/s.syn': No such file or directory"};
  if (::geteuid() != 0) {
    fs::create_directory(dir / "read_only");
    fs::permissions(dir / "read_only", fs::perms::owner_read | fs::perms::owner_exec);
    input += ":save read_only/s.syn\n";
    errors.push_back("<input>:4:1: error: cannot write 'read_only/s.syn': Permission denied");
  }
  const syn_result r = repl(input, dir.path());
  std::error_code ec;  // no such folder as root
  fs::permissions(dir / "read_only", fs::perms::owner_all, ec);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "");
  std::vector<std::string> printed;
  for (const std::string& line : split_lines(r.err))
    if (line.starts_with("<input>")) printed.push_back(line);
  EXPECT_EQ(printed, errors) << r.err;
}

TEST(repl_pipe, save_of_typed_imports_into_the_present_folder_adds_no_note) {
  const temp_dir dir;
  const syn_result r =
      repl("import std.receptors\nfrom std.neurons import MSN\n:save s.syn\n", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "saved 2 statements to s.syn\n");
}

TEST(repl_pipe, a_command_without_arguments_refuses_some) {
  // `step 3` stepped once, silently; now it is an error at the argument, and nothing happens.
  const syn_result r = repl("train t = times [1 ms, 2 ms]\nstep 3\ntime now\ntime\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out, "t = 0 ms\n");
  EXPECT_EQ(r.err,
            "<input>:2:6: error: step takes no arguments\n  step 3\n       ^\n"
            "<input>:3:6: error: time takes no arguments\n  time now\n       ^~~\n");
}

TEST(repl_pipe, a_comment_after_a_command_is_no_part_of_its_arguments) {
  // As after a statement: `:save s.syn # c` saves to s.syn, and `spikes # c` lists the spikes.
  const temp_dir dir;
  const syn_result r = repl(std::string(cell) +
                                "population n = LIF  # one\n"
                                "time  # now\nspikes # so far\n:save s.syn # c\n",
                            dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "t = 0 ms\nno spikes\nsaved 3 statements to s.syn\n");
  EXPECT_TRUE(fs::exists(dir / "s.syn"));
}

// A path in double quotes may hold a '#', which otherwise starts a comment.
TEST(repl_pipe, a_quoted_path_may_hold_a_hash) {
  const temp_dir dir;
  fs::create_directory(dir / "run#1");
  write_file(dir / "run#1" / "m.syn", std::string(cell) + "population n = LIF\nrun 2 ms\n");
  const syn_result r =
      repl(":load \"run#1/m.syn\"\ntime\n:save \"run#1/s.syn\"  # a comment\n", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "t = 2 ms: 0 spikes since 0 ms\nt = 2 ms\nsaved 4 statements to run#1/s.syn\n");
  EXPECT_TRUE(fs::exists(dir / "run#1" / "s.syn"));
}

// A receptor's latency in the REPL: `show` lists it, and the spike sent at 1 ms waits its delay
// (1 ms) and the latency (50 ms) in the queue, arriving at 52 ms, where its 25 mV jump fires n.
TEST(repl_pipe, a_receptor_latency_is_shown_and_delays_arrivals) {
  const syn_result r =
      repl(R"(receptor Slow { kinetics = jump; effect = excitatory; latency = 50 ms }
neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }
population n = LIF
train t = times [1 ms]
connect t -> n via Slow weight 25 mV delay 1 ms
show Slow
run 10 ms
queue
run 50 ms
)");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "receptor Slow\n  kinetics  jump\n  effect    excitatory\n  latency   50 ms\n"
            "t = 10 ms: 1 spike since 0 ms\n  1 ms  t[0]\n"
            "52 ms  a spike of t[0] (sent at 1 ms) arrives at 1 synapse\n"
            "t = 60 ms: 1 spike since 10 ms\n  52 ms  n[0]\n");
}

TEST(repl_pipe, show_finds_imported_declarations_by_every_name_they_have) {
  const syn_result r = repl(
      "import std.receptors\nfrom std.neurons import MSN\nshow MSN\n"
      "show receptors.AMPA\nshow std.receptors.GABA_A\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("neuron std.neurons.MSN\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("receptor std.receptors.AMPA\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("receptor std.receptors.GABA_A\n"), std::string::npos) << r.out;
}

TEST(repl_pipe, a_loaded_file_takes_part_in_import_cycles) {
  const temp_dir dir;
  write_file(dir / "m.syn", "import \"lib.syn\" as l\n");
  write_file(dir / "lib.syn", "import \"m.syn\" as m\n");
  const syn_result r = repl(":load m.syn\n", dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("lib.syn:1:9: error: import cycle: m.syn, which imports lib.syn, which "
                       "imports m.syn"),
            std::string::npos)
      << r.err;
}

TEST(repl_pipe, command_errors_point_at_the_offending_part_with_hints) {
  const syn_result r = repl(std::string(cell) + "population p = 2 x LIF\n" +
                            ":lod x.syn\nshow nothing\nprint n.v\nplot v of\n:help nonsense\n"
                            "spikes last 99999999999999999999\nprint p[99999999999999999999].v\n"
                            "queue 99999999999999999999\nprint p[2].v\nplot v of p[0]\n");
  EXPECT_EQ(r.exit_code, 1);
  const auto expect = [&](const std::string& diagnostic) {
    EXPECT_NE(r.err.find(diagnostic), std::string::npos) << diagnostic << "\nin:\n" << r.err;
  };
  expect(
      "<input>:6:1: error: unknown command ':lod'\n  :lod x.syn\n  ^~~~\n"
      "hint: did you mean ':load'?\n");
  expect("<input>:7:6: error: nothing is named 'nothing'\n  show nothing\n       ^~~~~~~\n");
  expect("<input>:8:7: error: unknown population or train 'n' (did you mean 'p'?)\n");
  expect(
      "<input>:9:1: error: usage: plot v of NAME[, NAME...] | plot spikes [of NAME[, "
      "NAME...]], then [from T] [to T] [to \"FILE.svg\"]\n");
  expect("<input>:10:7: error: no help on 'nonsense'\n");
  expect("<input>:11:13: error: spikes: last N needs a whole number up to 4294967295\n");
  expect(
      "<input>:12:7: error: 'p[99999999999999999999]': the index 99999999999999999999 is too "
      "large\n");
  expect("<input>:13:7: error: usage: queue [N], N a whole number from 1\n");
  expect(
      "<input>:14:7: error: p has 2 elements; [2] is out of range\n  print p[2].v\n"
      "        ^~~~\n");
  expect(
      "<input>:15:11: error: no samples of p[0]\n  plot v of p[0]\n            ^~~~\n"
      "hint: record v of p[0] every 0.1 ms, then run\n");
}

TEST(repl_pipe, runs_continue_exactly_where_the_last_stopped) {
  // Three runs give the spikes of one, bit for bit.
  const std::string model = std::string(cell) + R"(population n = LIF { bias = 0 pA }
train t = poisson 2 kHz
connect t -> n via J weight 6 mV delay 0.25 ms
)";
  const syn_result split = repl(model + "run 10 ms\nrun 7.5 ms\nrun 2.5 ms\ntime\nspikes\n");
  const syn_result whole = repl(model + "run 20 ms\ntime\nspikes\n");
  ASSERT_EQ(split.exit_code, 0) << split.err;
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  const auto listing = [](const std::string& out) { return out.substr(out.rfind("t = 20 ms\n")); };
  EXPECT_EQ(listing(split.out), listing(whole.out));
  EXPECT_GT(std::count(split.out.begin(), split.out.end(), '\n'), 40);
}

// The spike rows `spikes` prints, as spikes.csv rows.
std::vector<std::string> session_spikes(const std::string& out) {
  static const std::regex row(R"(^(\S+) ms  (\w+)\[(\d+)\]$)");
  const std::string listing = out.substr(out.rfind("=== spikes ===\n") + 15);
  std::vector<std::string> rows;
  for (const std::string& line : split_lines(listing)) {
    std::smatch m;
    if (std::regex_match(line, m, row))
      rows.push_back(fmt::format("{},{},{}", m[1].str(), m[2].str(), m[3].str()));
  }
  return rows;
}

TEST(repl_pipe, save_writes_a_file_that_syn_run_reproduces_exactly) {
  const temp_dir dir;
  const syn_result r =
      repl(std::string(cell) + R"(receptor A { reversal = 0 mV; rise = 0.5 ms; decay = 3 ms }
seed = 11
population n = 5 x LIF { v0 = uniform(-70 mV, -55 mV) }
train bg = 5 x poisson 200 Hz
connect bg -> n via A weight 4 mV delay 1 ms with probability 0.5
record spikes
run 30 ms
step
step
population late = 2 x LIF
connect n -> late via J weight 15 mV delay 0.7 ms
connect bg -> late via A weight 3 mV delay uniform(0.5 ms, 1.5 ms)
run 12.3 ms
step
run 20 ms
:save session.syn
# === spikes ===
spikes
)",
           dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string marker = "=== spikes ===";
  // The comment line is not echoed; mark where the listing starts.
  const std::string out = r.out.substr(0, r.out.rfind("saved ")) + marker + "\n" +
                          r.out.substr(r.out.find('\n', r.out.rfind("saved ")) + 1);
  const std::vector<std::string> in_session = session_spikes(out);
  ASSERT_GT(in_session.size(), 20u) << r.out;

  const syn_result file = run_syn({"run", "session.syn", "--out", "out"}, dir.path());
  ASSERT_EQ(file.exit_code, 0) << file.err;
  std::vector<std::string> rows = split_lines(read_file(dir / "out" / "spikes.csv"));
  rows.erase(rows.begin());
  EXPECT_EQ(rows, in_session);
}

TEST(repl_pipe, step_advances_to_the_next_event_and_says_what_it_was) {
  const syn_result r = repl(std::string(cell) + R"(population n = LIF
train t = times [1 ms]
connect t -> n via J weight 25 mV delay 1.5 ms
queue
step
step
time
)");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // One line per spike: a source fires, a neuron spikes.
  EXPECT_EQ(r.out,
            "1 ms  t[0] fires\n"
            "t = 1 ms\n  t[0] fires\n"
            "t = 2.5 ms\n  a spike of t[0] (sent at 1 ms) arrives at 1 synapse\n  n[0] spikes\n"
            "t = 2.5 ms\n");
}

TEST(repl_pipe, step_says_once_that_a_neuron_reached_threshold_and_spiked) {
  // Under a bias current of 600 pA into 250 pF, V = -70 + 24 (1 - e^(-t / 10 ms)) mV reaches
  // -50 mV at t = 10 ln 6 ms = 17.9176 ms; the steps before it are the engine's own checks.
  std::string input =
      "neuron B { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms; capacitance = 250 pF; "
      "bias = 600 pA }\npopulation b = B\nrun 1 ms\n";
  for (int i = 0; i < 12; ++i) input += "step\n";
  const syn_result r = repl(input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("t = 17.9175946"), std::string::npos) << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex(R"(\nt = 17\.9175946\d* ms\n  b\[0\] spikes\nt = )")))
      << r.out;
}

TEST(repl_pipe, reset_goes_back_to_0_with_the_same_model_and_seed) {
  const syn_result r = repl(std::string(cell) + R"(population n = LIF
train t = poisson 1 kHz
connect t -> n via J weight 8 mV delay 1 ms
run 50 ms
reset
time
run 50 ms
)");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string first = r.out.substr(0, r.out.find("t = 0 ms: the same model"));
  const std::string second = r.out.substr(r.out.find("t = 0 ms\n") + 9);
  EXPECT_EQ(first, second);
}

TEST(repl_pipe, help_is_generated_from_the_checker_tables) {
  const syn_result r = repl(":help neuron\n:help receptor\n:help units\n:help\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* p : {"rest", "threshold", "reset", "refractory", "tau_m", "capacitance", "bias",
                        "length_constant", "v0", "Cl_in", "temperature", "transmitter", "kinetics",
                        "effect", "decay", "permeability"})
    EXPECT_NE(r.out.find(fmt::format("  {} ", p)), std::string::npos) << p;
  for (const char* u : {"ms", "mV", "pA", "nS", "pF", "um", "Hz"})
    EXPECT_NE(r.out.find(fmt::format("\n  {} ", u)), std::string::npos) << u;
  EXPECT_NE(r.out.find(":reload"), std::string::npos);
}

TEST(repl_pipe, plot_draws_the_recorded_trace_with_threshold_and_rest) {
  const syn_result r = repl(std::string(cell) + R"(population n = LIF
train t = times [1 ms]
connect t -> n via J weight 10 mV delay 1 ms
record v of n every 0.1 ms
run 20 ms
plot v of n[0]
)");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("V of n[0]\n"), std::string::npos);
  EXPECT_NE(r.out.find("| threshold\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("| rest\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find('*'), std::string::npos);
}

TEST(repl_pipe, show_describes_a_train_as_its_statement_does_with_its_interval) {
  const temp_dir dir;
  write_file(dir / "s.csv", "time_ms,population,index\n1,p,0\n2,p,1\n");
  const syn_result r = repl(R"(train t = regular 50 Hz from 10 ms to 200 ms
train p = 3 x poisson 8 Hz
train q = poisson 2 kHz from 5 ms to 7.5 ms
train s = times [1 ms, 2.5 ms]
run 15 ms
train f = file "s.csv"
show t
show p
show q
show s
show f
)",
                            dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto shown = [&](const std::string& name) {
    const std::size_t at = r.out.find("train " + name + ": ");
    return at == std::string::npos ? std::string() : r.out.substr(at, r.out.find('\n', at) - at);
  };
  EXPECT_EQ(shown("t"), "train t: 1 source, regular 50 Hz from 10 ms to 200 ms, added at 0 ms");
  EXPECT_EQ(shown("p"), "train p: 3 sources, poisson 8 Hz, added at 0 ms");
  EXPECT_EQ(shown("q"), "train q: 1 source, poisson 2000 Hz from 5 ms to 7.5 ms, added at 0 ms");
  EXPECT_EQ(shown("s"), "train s: 1 source, times [1 ms, 2.5 ms], added at 0 ms");
  EXPECT_EQ(shown("f"), "train f: 2 sources, file \"s.csv\", added at 15 ms");
}

// What a plot draws inside its box.
std::string plot_marks(const std::string& out) {
  std::string marks;
  for (const std::string& line : split_lines(out)) {
    const std::size_t left = line.find('|'), right = line.rfind('|');
    if (left != std::string::npos && right > left) marks += line.substr(left + 1, right - left - 1);
  }
  return marks;
}

TEST(repl_pipe, plot_of_a_population_draws_each_recorded_neuron_up_to_five_and_says_which) {
  const std::string model = std::string(cell) + R"(population n = 3 x LIF
population m = 8 x LIF
population k = 4 x LIF
train t = times [1 ms]
connect t -> n[0] via J weight 10 mV delay 1 ms
connect t -> n[1] via J weight 5 mV delay 1 ms
record v of n, m every 0.5 ms
record v of k[1..2] every 0.5 ms
run 10 ms
)";
  const syn_result three = repl(model + "plot v of n\n");
  ASSERT_EQ(three.exit_code, 0) << three.err;
  EXPECT_NE(three.out.find("\nV of n[0] (*), n[1] (o), n[2] (+)\n"), std::string::npos)
      << three.out;
  for (const char mark : {'*', 'o', '+'})
    EXPECT_NE(plot_marks(three.out).find(mark), std::string::npos) << mark << "\n" << three.out;

  const syn_result eight = repl(model + "plot v of m\n");
  ASSERT_EQ(eight.exit_code, 0) << eight.err;
  EXPECT_NE(eight.out.find("\nV of m[0] (*), m[1] (o), m[2] (+), m[3] (x), m[4] (#)\n"
                           "the first 5 of the 8 neurons of m; plot v of m[i] for another\n"),
            std::string::npos)
      << eight.out;

  const syn_result some = repl(model + "plot v of k\n");
  ASSERT_EQ(some.exit_code, 0) << some.err;
  EXPECT_NE(some.out.find("\nV of k[1] (*), k[2] (o)\n"
                          "2 of the 4 neurons of k: the others are not recorded\n"),
            std::string::npos)
      << some.out;
  // One neuron, as before: no legend.
  const syn_result one = repl(model + "plot v of n[1]\n");
  EXPECT_NE(one.out.find("\nV of n[1]\n"), std::string::npos) << one.out;
  EXPECT_EQ(plot_marks(one.out).find_first_not_of("*.- "), std::string::npos) << one.out;
}

TEST(repl_pipe, a_recording_s_figure_is_not_drawn_and_the_session_says_so) {
  const temp_dir dir;
  const syn_result r = repl(std::string(cell) +
                                "population p = LIF\nrecord v of p every 1 ms plot \"v.svg\"\n"
                                "run 2 ms\n:save s.syn\n",
                            dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("<input>:6:31: warning: the REPL draws no figure for a recording\n"
                       "  record v of p every 1 ms plot \"v.svg\"\n"
                       "                                ^~~~~~~\n"
                       "hint: plot v of ... to \"FILE.svg\" draws it when you want it\n"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir / "v.svg"));
  // The saved session keeps the clause, which syn run draws.
  EXPECT_NE(read_file(dir / "s.syn").find("plot \"v.svg\""), std::string::npos);
}

TEST(repl_pipe, clear_does_nothing_through_a_pipe) {
  const syn_result r = repl("clear\ntime\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(r.out, "t = 0 ms\n");
}

TEST(repl_pipe, a_model_given_to_repl_is_loaded_first) {
  const temp_dir dir;
  write_file(dir / "m.syn", std::string(cell) + "population n = LIF\nrun 3 ms\n");
  const syn_result r = run_syn_with_input(SYN_BINARY, {"repl", "m.syn"}, "time\n", dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "t = 3 ms: 0 spikes since 0 ms\nt = 3 ms\n");
}

TEST(repl_pipe, bare_syn_is_the_repl) {
  const syn_result r = run_syn_with_input(SYN_BINARY, {}, "time\n");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "t = 0 ms\n");
}

TEST(repl_pipe, random_command_soup_never_crashes) {
  // Bad input never crashes the tool: fixed-seed soups of commands and their arguments, huge
  // numbers and odd selectors included, after a small model that ran; each session ends with
  // exit 0 or 1.
  static const std::vector<std::string> tokens = {"show",
                                                  "print",
                                                  "spikes",
                                                  "plot",
                                                  "time",
                                                  "step",
                                                  "queue",
                                                  "reset",
                                                  "clear",
                                                  ":load",
                                                  ":save",
                                                  ":help",
                                                  "of",
                                                  "last",
                                                  "v",
                                                  "n",
                                                  "n[0]",
                                                  "n[2]",
                                                  "n[9]",
                                                  "n.v",
                                                  "n[1].v",
                                                  "t",
                                                  "t[0]",
                                                  "LIF",
                                                  "J",
                                                  "0",
                                                  "3",
                                                  "-1",
                                                  "99999999999999999999",
                                                  "n[99999999999999999999].v",
                                                  "[",
                                                  "]",
                                                  ".v",
                                                  "neuron",
                                                  "units",
                                                  "commands",
                                                  "\"",
                                                  ":reload",
                                                  "#",
                                                  "run 1 ms",
                                                  "record v of n every 1 ms"};
  std::mt19937 rng(20261127);
  const temp_dir dir;
  for (int i = 0; i < 60; ++i) {
    std::string input = std::string(cell) +
                        "population n = 3 x LIF\ntrain t = times [1 ms]\n"
                        "connect t -> n via J weight 25 mV delay 1 ms\nrun 2 ms\n";
    for (int line = 0; line < 8; ++line) {
      const int n = std::uniform_int_distribution<int>(1, 4)(rng);
      for (int k = 0; k < n; ++k)
        input +=
            tokens[std::uniform_int_distribution<std::size_t>(0, tokens.size() - 1)(rng)] + " ";
      input += "\n";
    }
    const syn_result r = repl(input, dir.path());
    EXPECT_TRUE(r.exit_code == 0 || r.exit_code == 1) << "exit " << r.exit_code << " for:\n"
                                                      << input << "\n"
                                                      << r.err;
  }
}

// ---- a pseudo-terminal -------------------------------------------------------------------------

// `syn repl` on a pty, with its own history file; what it printed is collected as it comes.
class terminal {
 public:
  explicit terminal(const fs::path& home, const fs::path& cwd = {}) {
    pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(126);
      ::setenv("HOME", home.c_str(), 1);
      ::unsetenv("SYN_HISTORY");
      ::setenv("TERM", "xterm", 1);
      ::setenv("NO_COLOR", "1", 1);
      ::execl(SYN_BINARY, SYN_BINARY, "repl", static_cast<char*>(nullptr));
      ::_exit(127);
    }
  }
  ~terminal() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) ::close(master_);
  }
  void type(std::string_view keys) {
    ASSERT_EQ(::write(master_, keys.data(), keys.size()), static_cast<ssize_t>(keys.size()));
  }
  // Reads until `text` has appeared since the last wait, or 10 s pass.
  bool wait_for(std::string_view text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::chrono::steady_clock::now() < deadline) {
      if (const auto at = seen_.find(text, mark_); at != std::string::npos) {
        mark_ = at + text.size();
        return true;
      }
      pollfd p{master_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::read(master_, buffer, sizeof buffer);
      if (n <= 0) break;
      seen_.append(buffer, static_cast<std::size_t>(n));
    }
    return false;
  }
  int finish() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  void interrupt() { ::kill(pid_, SIGINT); }
  const std::string& seen() const { return seen_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  std::string seen_;
  std::size_t mark_ = 0;
};

TEST(repl_terminal, prompts_recalls_history_and_completes_keywords_and_names) {
  const temp_dir home;
  terminal t(home.path());
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type("neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }\r");
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  // Completion of a keyword, then of a name the session declared: the line that results is
  // `population cells = 3 x LIF`, as `show cells` proves below.
  t.type("popul\t");
  ASSERT_TRUE(t.wait_for("ation ")) << t.seen();
  t.type("cells = 3 x LI\t");
  ASSERT_TRUE(t.wait_for("F")) << t.seen();
  t.type("\r");
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  // A library's names complete through the name it was imported as.
  t.type("import std.receptors as r\r");
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type("show r.AM\t");
  ASSERT_TRUE(t.wait_for("PA ")) << t.seen();
  t.type("\r");
  ASSERT_TRUE(t.wait_for("receptor std.receptors.AMPA")) << t.seen();
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type("time\r");
  ASSERT_TRUE(t.wait_for("t = 0 ms")) << t.seen();
  // Up-arrow recalls `time`.
  t.type("\x1b[A\r");
  ASSERT_TRUE(t.wait_for("t = 0 ms")) << t.seen();
  // A block over lines gets the continuation prompt.
  t.type("receptor R {\r");
  ASSERT_TRUE(t.wait_for("...> ")) << t.seen();
  t.type("kinetics = jump; effect = excitatory }\r");
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  // Up recalls the block whole, as one line.
  t.type("\x1b[A");
  ASSERT_TRUE(t.wait_for("receptor R { kinetics = jump; effect = excitatory }")) << t.seen();
  t.type("\r");
  ASSERT_TRUE(t.wait_for("'R' is already declared")) << t.seen();
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type("show cells\r");
  ASSERT_TRUE(t.wait_for("population cells: 3 x LIF")) << t.seen();
  // clear clears the screen, as in a shell.
  t.type("clear\r");
  ASSERT_TRUE(t.wait_for("\x1b[H\x1b[2J")) << t.seen();
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type(":quit\r");
  EXPECT_EQ(t.finish(), 0);
  // The history persists (libedit writes a space as \040), with the completed line in it.
  const std::string history = read_file(home / ".syn_history");
  EXPECT_NE(history.find("\ntime\n"), std::string::npos) << history;
  EXPECT_NE(history.find("population\\040cells\\040=\\0403\\040x\\040LIF"), std::string::npos)
      << history;
  EXPECT_NE(history.find("\nreceptor\\040R\\040{\\040kinetics\\040=\\040jump;"), std::string::npos)
      << history;
}

TEST(repl_terminal, ctrl_c_stops_a_long_run_at_a_consistent_state_and_the_session_goes_on) {
  const temp_dir home;
  terminal t(home.path());
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type("receptor J { kinetics = jump; effect = excitatory }\r");
  t.type("neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }\r");
  t.type("population n = 200 x LIF\r");
  t.type("train bg = 200 x poisson 5 kHz\r");
  t.type("connect bg -> n via J weight 1 mV delay 1 ms\r");
  t.type("run 1000 s\r");
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  t.interrupt();
  ASSERT_TRUE(t.wait_for("interrupted at t = ")) << t.seen();
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type("print n[0].v\r");
  ASSERT_TRUE(t.wait_for("n[0].v = ")) << t.seen();
  t.type(":quit\r");
  EXPECT_EQ(t.finish(), 0);
}

TEST(repl_terminal, reload_rereads_the_edited_file_replays_and_reports_what_changed) {
  const temp_dir home;
  const std::string head = std::string(cell) + "population n = LIF\ntrain t = times [1 ms]\n";
  write_file(home / "m.syn", head + "connect t -> n via J weight 25 mV delay 1 ms\n");
  terminal t(home.path(), home.path());
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type(":load m.syn\r");
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  t.type("run 5 ms\r");
  ASSERT_TRUE(t.wait_for("2 ms  n[0]")) << t.seen();
  ASSERT_TRUE(t.wait_for("syn> ")) << t.seen();
  // Too weak now to fire: the reload replays the 5 ms without n's spike.
  write_file(home / "m.syn", head + "connect t -> n via J weight 5 mV delay 1 ms\n");
  t.type(":reload\r");
  ASSERT_TRUE(t.wait_for("- connect t -> n via J weight 25 mV delay 1 ms")) << t.seen();
  ASSERT_TRUE(t.wait_for("+ connect t -> n via J weight 5 mV delay 1 ms")) << t.seen();
  ASSERT_TRUE(
      t.wait_for("reloaded m.syn: 1 statement added, 1 removed, t = 5 ms (was 5 ms); 1 spikes "
                 "(was 2), the first difference at 2 ms"))
      << t.seen();
  t.type("spikes\r");
  ASSERT_TRUE(t.wait_for("1 ms  t[0]")) << t.seen();
  // A file that no longer checks leaves the session as it was.
  write_file(home / "m.syn", head + "connect t -> n via J weight 5 mV delay\n");
  t.type(":reload\r");
  ASSERT_TRUE(t.wait_for("syn: the session is unchanged")) << t.seen();
  t.type("show n\r");
  ASSERT_TRUE(t.wait_for("population n: 1 x LIF")) << t.seen();
  t.type(":quit\r");
  EXPECT_EQ(t.finish(), 0);
  EXPECT_EQ(t.seen().find("2 ms  n[0]", t.seen().find("reloaded")), std::string::npos);
}

}  // namespace
}  // namespace syn::test
