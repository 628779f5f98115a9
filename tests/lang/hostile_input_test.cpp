// Input that could hang `syn`, fill its memory or make it print what it should not, run as a
// user runs it: FIFOs and devices where files are expected, files that are not Syn or spike
// files, control characters that a terminal would obey, lines of megabytes. Each run is bounded
// in time, so that a hang fails its test.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

constexpr unsigned bound_seconds = 20;

fs::path make_fifo(const temp_dir& dir, const std::string& name) {
  const fs::path path = dir / name;
  fs::create_directories(path.parent_path());
  if (::mkfifo(path.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + path.string());
  return path;
}

TEST(hostile_input, a_fifo_is_refused_wherever_a_file_is_read) {
  const temp_dir dir;
  make_fifo(dir, "fifo.syn");
  make_fifo(dir, "fifo.csv");
  make_fifo(dir, "lib/cells.syn");
  write_file(dir / "train.syn", "train t = file \"fifo.csv\"\n");
  write_file(dir / "by_file.syn", "import \"fifo.syn\" as f\n");
  write_file(dir / "by_name.syn", "import lib.cells\n");
  // Each prints `WHERE: error: WHAT: it is a FIFO, not a regular file` first.
  const struct {
    std::vector<std::string> args;
    std::string input;
    int exit_code;
    std::string where;
    std::string what;
  } cases[] = {
      {{"check", "fifo.syn"}, "", 2, "syn", "cannot read 'fifo.syn'"},
      {{"run", "fifo.syn"}, "", 2, "syn", "cannot read 'fifo.syn'"},
      {{"check", "train.syn"}, "", 1, "train.syn:1:16", "cannot read spikes from 'fifo.csv'"},
      {{"check", "by_file.syn"}, "", 1, "by_file.syn:1:9", "cannot read library 'fifo.syn'"},
      {{"check", "by_name.syn"}, "", 1, "by_name.syn:1:8", "cannot read library 'lib/cells.syn'"},
      {{"doc", "fifo.syn"}, "", 1, "syn", "cannot read 'fifo.syn'"},
      {{"repl"}, ":load fifo.syn\n", 1, "<input>:1:1", "cannot read 'fifo.syn'"},
      {{"repl", "fifo.syn"}, "", 1, "<input>:1:1", "cannot read 'fifo.syn'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(fmt::format("syn {} <<< {}", fmt::join(c.args, " "), c.input));
    const syn_result r = run_syn_bounded(c.args, c.input, bound_seconds, dir.path());
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_EQ(split_lines(r.err).at(0),
              fmt::format("{}: error: {}: it is a FIFO, not a regular file", c.where, c.what));
  }
}

TEST(hostile_input, a_history_file_that_is_a_fifo_is_not_read) {
  // History is read on a terminal only: `script` gives the REPL one (util-linux, in every
  // Debian). libedit would block on the FIFO before the first prompt.
  const temp_dir dir;
  const fs::path fifo = make_fifo(dir, "history");
  ::setenv("SYN_HISTORY", fifo.c_str(), 1);
  process_options options;
  options.cwd = dir.path();
  options.input = ":quit\n";
  options.time_limit_seconds = bound_seconds;
  const syn_result r =
      syn_process("/usr/bin/script", {"-qec", std::string(SYN_BINARY) + " repl", "/dev/null"},
                  options)
          .wait();
  ::unsetenv("SYN_HISTORY");
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("syn> "), std::string::npos) << r.out;
}

TEST(hostile_input, a_device_is_refused_before_it_is_read) {
  const temp_dir dir;
  const syn_result r = run_syn_bounded({"check", "/dev/zero"}, "", bound_seconds, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "syn: error: cannot read '/dev/zero': it is a character device, not a regular "
            "file\n");
}

// The fixtures of the cases that import or replay a file that is not Syn nor a spike file hold
// SECRET on each line: none of it may be printed.
TEST(hostile_input, a_file_read_for_a_model_that_is_not_syn_is_never_shown) {
  for (const char* name : {"libraries/import_not_a_library.syn", "libraries/import_settings.syn",
                           "trains/replay_not_spikes.syn"}) {
    SCOPED_TRACE(name);
    const syn_result r = run_syn_bounded({"check", name}, "", bound_seconds, SYN_LANG_CASES);
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.out, "");
    EXPECT_EQ(r.err.find("SECRET"), std::string::npos) << r.err;
  }
}

// Given as a model, such a file is reported at its first statement only: that line is shown,
// and none after it.
TEST(hostile_input, a_model_that_is_not_syn_shows_no_line_after_its_first_error) {
  const std::string shown =
      "libraries/not_a_library.txt:1:1: error: expected a statement: receptor, neuron, "
      "population, train, connect, record, run, param, import, from, library or NAME = VALUE\n"
      "  root:$6$SECRET-LINE-1$Kx9q:19000:0:99999:7:::\n"
      "  ^~~~\n";
  const syn_result check =
      run_syn_bounded({"check", "libraries/not_a_library.txt"}, "", bound_seconds, SYN_LANG_CASES);
  EXPECT_EQ(check.exit_code, 1);
  EXPECT_EQ(check.err, shown + "syn: 1 error in libraries/not_a_library.txt\n");
  const syn_result load = run_syn_bounded({"repl"}, ":load libraries/not_a_library.txt\n",
                                          bound_seconds, SYN_LANG_CASES);
  EXPECT_EQ(load.exit_code, 1);
  EXPECT_EQ(load.err, shown);
}

// No byte that a terminal would take as a command: C0 controls but tab and newline, DEL, C1
// controls (UTF-8 C2 80 to C2 9F), bytes that are not UTF-8 (these test inputs use only ASCII
// otherwise).
bool terminal_safe(std::string_view text) {
  return std::none_of(text.begin(), text.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return (b < 0x20 && b != '\t' && b != '\n') || b >= 0x7F;
  });
}

TEST(hostile_input, control_characters_are_shown_escaped_with_the_caret_in_place) {
  const temp_dir dir;
  // A terminal title set (OSC ... BEL), a screen cleared by C1's CSI, a byte that is no UTF-8,
  // and the colour red.
  write_file(dir / "m.syn",
             "seed = 1\n"
             "train t = file \"\x1b]0;pwned\x07\xc2\x9b"
             "2J\xff.csv\" junk\n"
             "train u = file \"\x1b[31mred.csv\"\n");
  const syn_result r = run_syn_bounded({"check", "m.syn"}, "", bound_seconds, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(terminal_safe(r.err)) << r.err;
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_GE(lines.size(), 6u) << r.err;
  EXPECT_EQ(lines[0], "m.syn:2:37: error: expected the end of the statement (a newline or ';')");
  EXPECT_EQ(lines[1], "  train t = file \"\\x1b]0;pwned\\x07\\u009b2J\\xff.csv\" junk");
  EXPECT_EQ(lines[2].find('^'), lines[1].find("junk"));
  EXPECT_EQ(lines[3],
            "m.syn:3:16: error: cannot read spikes from '\\x1b[31mred.csv': No such file or "
            "directory");
  EXPECT_EQ(lines[4], "  train u = file \"\\x1b[31mred.csv\"");
}

TEST(hostile_input, syn_doc_shows_doc_comments_escaped_in_both_forms) {
  const temp_dir dir;
  write_file(dir / "lib.syn",
             "library lib version \"1.0\"\n"
             "## a receptor \x1b[31mred\x1b[0m, \xc2\x9b"
             "2J cleared\n"
             "receptor R { kinetics = jump; effect = excitatory }\n");
  for (const char* format : {"text", "md"}) {
    SCOPED_TRACE(format);
    const syn_result r =
        run_syn_bounded({"doc", "lib.syn", "--format", format}, "", bound_seconds, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_TRUE(terminal_safe(r.out)) << r.out;
    EXPECT_NE(r.out.find("a receptor \\x1b[31mred\\x1b[0m, \\u009b2J cleared"), std::string::npos)
        << r.out;
  }
}

TEST(hostile_input, the_repl_shows_file_names_escaped) {
  const temp_dir dir;
  const std::string reset = std::string("\x1b") + 'c';  // ESC c resets a terminal
  write_file(dir / ("m" + reset + ".syn"), "seed = 1\n");
  const syn_result r =
      run_syn_bounded({"repl"}, ":load m" + reset + ".syn\n:reload\n:save s" + reset + ".syn\n",
                      bound_seconds, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(terminal_safe(r.out)) << r.out;
  EXPECT_NE(r.out.find("reloaded m\\x1bc.syn: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("saved 1 statement to s\\x1bc.syn\n"), std::string::npos) << r.out;
}

TEST(hostile_input, a_line_of_megabytes_is_shown_as_a_window_around_the_error) {
  const temp_dir dir;
  std::string items;
  for (int i = 0; i < 1'000'000; ++i) items += "1 ms, ";
  write_file(dir / "m.syn",
             "seed = 1\ntrain t = times [" + items + "2 ms oops, " + items + "3 ms]\n");
  const syn_result r = run_syn_bounded({"check", "m.syn"}, "", bound_seconds, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_EQ(lines.size(), 4u) << r.err.substr(0, 1000);
  EXPECT_EQ(lines[0], "m.syn:2:6000023: error: expected ',' or ']' in the list");
  EXPECT_TRUE(lines[1].starts_with("  …")) << lines[1];
  EXPECT_TRUE(lines[1].ends_with("…")) << lines[1];
  EXPECT_LE(lines[1].size(), 120u);
  // The caret under `oops`, counting '…' as the one column it takes.
  EXPECT_EQ(lines[2].find('^') + 2, lines[1].find("oops"));
  EXPECT_EQ(lines[2].substr(lines[2].find('^')), "^~~~");
}

// Each diagnostic reads only the bytes near it: 50,000 of them on one line of 500 kB took a
// minute when each counted its column and showed its line from the line's start.
TEST(hostile_input, many_errors_on_a_long_line_take_no_longer_than_on_short_lines) {
  const temp_dir dir;
  std::string line;
  for (int i = 0; i < 50'000; ++i) line += "run 1 mss;";
  write_file(dir / "m.syn", "seed = 1\n" + line + "\n");
  const syn_result r = run_syn_bounded({"check", "m.syn"}, "", bound_seconds, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_GE(lines.size(), 5u);
  EXPECT_EQ(lines[lines.size() - 5], "m.syn:2:499997: error: unknown unit 'mss'");
  EXPECT_EQ(lines.back(), "syn: 50000 errors in m.syn");
}

TEST(hostile_input, a_name_of_megabytes_quoted_in_a_message_keeps_its_ends) {
  const temp_dir dir;
  write_file(dir / "m.syn", "seed = 1\nrun 1 " + std::string(1'000'000, 'm') + "s\n");
  const syn_result r = run_syn_bounded({"check", "m.syn"}, "", bound_seconds, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_LT(r.err.size(), 2500u);
  EXPECT_NE(r.err.find("unknown unit 'mmmm"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("m…m"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("mmms'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace syn::test
