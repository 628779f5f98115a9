// `syn run --threads N` writes the same folder for every N (SPEC §4): every example is run on 1
// and 3 threads (and on 2 and 4 for a few), the long ones shortened, and the files compared byte
// for byte; then the option's usage errors, the summary line, a runtime error and the spikes
// streamed to standard output.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// Examples that run for seconds, shortened: a param set on the command line, or a copy whose
// `run` line is replaced.
struct shortening {
  std::vector<std::string> settings;
  std::string run_line;
  std::string shorter;
};

const std::map<std::string, shortening>& shortenings() {
  static const std::map<std::string, shortening> all{
      {"brette_benchmark4.syn", {{}, "\nrun 10 s\n", "\nrun 1 s\n"}},
      {"brette_coba.syn", {{}, "\nrun 1 s\n", "\nrun 200 ms\n"}},
      {"brette_cuba.syn", {{"--set", "duration=1s"}, "", ""}},
  };
  return all;
}

// Also run on 2 and 4 threads: networks of every kind of cell and receptor.
bool on_more_splits(const std::string& example) {
  return example == "brunel_sr.syn" || example == "ei_balance.syn" ||
         example == "nmda_coincidence.syn" || example == "stdlib_circuit.syn";
}

// Each file of a folder by name, with its bytes.
std::map<std::string, std::string> files_of(const fs::path& folder) {
  std::map<std::string, std::string> files;
  if (!fs::is_directory(folder)) return files;
  for (const auto& entry : fs::directory_iterator(folder))
    files[entry.path().filename().string()] = read_file(entry.path());
  return files;
}

// Two texts the same byte for byte, or the first line where they differ.
::testing::AssertionResult same_text(const std::string& a, const std::string& b) {
  if (a == b) return ::testing::AssertionSuccess();
  const std::vector<std::string> x = split_lines(a), y = split_lines(b);
  for (std::size_t i = 0; i < std::min(x.size(), y.size()); ++i)
    if (x[i] != y[i])
      return ::testing::AssertionFailure()
             << fmt::format("line {} differs:\n  {}\n  {}", i + 1, x[i], y[i]);
  return ::testing::AssertionFailure() << fmt::format("{} vs {} lines", x.size(), y.size());
}

class threads_example : public ::testing::TestWithParam<std::string> {};

TEST_P(threads_example, writes_the_same_files_on_every_number_of_threads) {
  temp_dir tmp;
  fs::path model = fs::path(SYN_EXAMPLES) / GetParam();
  std::vector<std::string> settings;
  if (const auto it = shortenings().find(GetParam()); it != shortenings().end()) {
    settings = it->second.settings;
    if (!it->second.run_line.empty()) {
      std::string text = read_file(model);
      const std::size_t at = text.find(it->second.run_line);
      ASSERT_NE(at, std::string::npos) << "the example's run line has changed";
      text.replace(at, it->second.run_line.size(), it->second.shorter);
      model = tmp / GetParam();
      write_file(model, text);
    }
  }
  const auto run_on = [&](unsigned threads) {
    const fs::path out = tmp / fmt::format("out{}", threads);
    std::vector<std::string> args{"run", model.string(), "--out",     out.string(),
                                  "-I",  SYN_EXAMPLES,   "--threads", std::to_string(threads)};
    args.insert(args.end(), settings.begin(), settings.end());
    const syn_result r = run_syn(args, tmp.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return files_of(out);
  };
  const std::map<std::string, std::string> one = run_on(1);
  ASSERT_TRUE(one.contains("spikes.csv") || one.contains("v.csv"));
  std::vector<unsigned> splits{3};
  if (on_more_splits(GetParam())) splits = {2, 3, 4};
  for (const unsigned threads : splits) {
    SCOPED_TRACE(fmt::format("{} threads", threads));
    const std::map<std::string, std::string> split = run_on(threads);
    for (const auto& [name, text] : one) {
      ASSERT_TRUE(split.contains(name)) << name;
      EXPECT_TRUE(same_text(text, split.at(name))) << name;
    }
    EXPECT_EQ(one.size(), split.size());
  }
}

INSTANTIATE_TEST_SUITE_P(examples, threads_example, ::testing::ValuesIn(syn_files_in(SYN_EXAMPLES)),
                         [](const auto& p) { return test_name_of(p.param); });

// Three neurons driven by a train, exciting each other with a delay of 2 ms; the smallest delay
// is the train's, 0.5 ms.
constexpr const char* small_model = R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population n = 3 x LIF
train t = times [1 ms, 2 ms, 5 ms]
connect t -> n via AMPA weight 10 mV delay 0.5 ms
connect n -> n via AMPA weight 2 mV delay 2 ms
record spikes
record v of n every 0.5 ms
run 20 ms
)";

fs::path write_model(const temp_dir& dir, std::string_view text) {
  const fs::path path = dir / "model.syn";
  write_file(path, text);
  return path;
}

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

constexpr const char* threads_usage = "syn: error: --threads needs a whole number from 1 to 1024";

TEST(threads_option, needs_a_whole_number_from_1_to_1024) {
  temp_dir dir;
  const std::string model = write_model(dir, small_model).string();
  for (const std::string bad : {"0", "x", "1025", "-1", "3.0", "2x", "", "99999999999"}) {
    SCOPED_TRACE(fmt::format("--threads '{}'", bad));
    const syn_result r = run_syn({"run", model, "--threads", bad}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err), threads_usage);
    EXPECT_FALSE(fs::exists(dir / "syn-out"));
  }
  const syn_result missing = run_syn({"run", model, "--threads"}, dir.path());
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_EQ(first_line(missing.err), threads_usage);
  // The largest is accepted, and changes nothing either.
  const syn_result most = run_syn({"run", model, "--threads", "1024", "--out", "most"}, dir.path());
  ASSERT_EQ(most.exit_code, 0) << most.err;
  const syn_result one = run_syn({"run", model, "--threads", "1", "--out", "one"}, dir.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(files_of(dir / "one"), files_of(dir / "most"));
}

TEST(threads_option, is_for_syn_run_only) {
  temp_dir dir;
  const std::string model = write_model(dir, small_model).string();
  for (const std::string command : {"check", "graph"}) {
    SCOPED_TRACE(command);
    const syn_result r = run_syn({command, model, "--threads", "2"}, dir.path());
    EXPECT_EQ(r.exit_code, 2);
    EXPECT_EQ(first_line(r.err), "syn: error: --threads is for syn run");
    EXPECT_EQ(r.out, "");
  }
}

// The summary's second line on several threads: how often they exchanged spikes, and the
// smallest delay that bounds their epochs; none on one thread.
TEST(threads_option, the_summary_says_how_often_the_threads_exchange_spikes) {
  temp_dir dir;
  const std::string model = write_model(dir, small_model).string();
  const syn_result split = run_syn({"run", model, "--threads", "3"}, dir.path());
  ASSERT_EQ(split.exit_code, 0) << split.err;
  const std::vector<std::string> lines = split_lines(split.err);
  ASSERT_GE(lines.size(), 2u);
  static const std::regex summary(
      R"(^syn: 3 threads, (\d+) exchanges of spikes, at most 0\.5 ms apart \(the smallest delay\)$)");
  std::smatch m;
  ASSERT_TRUE(std::regex_match(lines[1], m, summary)) << lines[1];
  // The train's spikes at 1, 2 and 5 ms fall in three epochs at least, none longer than 0.5 ms.
  EXPECT_GE(std::stoul(m[1]), 3u);
  const syn_result one = run_syn({"run", model, "--threads", "1"}, dir.path());
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_EQ(one.err.find("threads"), std::string::npos) << one.err;
}

TEST(threads_option, without_synapses_there_is_no_smallest_delay_to_state) {
  temp_dir dir;
  const std::string model = write_model(dir, R"(
neuron Pacer { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 250 pF; bias = 400 pA }
population p = 4 x Pacer
record spikes
record v of p every 0.1 ms
run 100 ms
)")
                                .string();
  const syn_result r = run_syn({"run", model, "--threads", "2"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(
      std::regex_match(lines[1], std::regex(R"(^syn: 2 threads, \d+ exchanges of spikes$)")))
      << lines[1];
}

TEST(threads_option, a_tiny_smallest_delay_is_said_to_leave_the_threads_waiting) {
  temp_dir dir;
  std::string text = small_model;
  text.replace(text.find("delay 2 ms"), 10, "delay 0.005 ms");
  const std::string model = write_model(dir, text).string();
  const syn_result r = run_syn({"run", model, "--threads", "2"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = split_lines(r.err);
  ASSERT_GE(lines.size(), 2u);
  EXPECT_TRUE(std::regex_match(
      lines[1], std::regex(R"(^syn: 2 threads, \d+ exchanges of spikes, at most 0\.005 ms apart )"
                           R"(\(the smallest delay\): so short an epoch leaves the threads )"
                           R"(waiting on each other$)")))
      << lines[1];
}

// Three neurons driven so hard that they fire at the same instants less than 1 ns apart, each
// in another part on 3 threads: the error names the first, as on one thread.
TEST(threads_option, a_runaway_neuron_is_reported_alike_on_every_number_of_threads) {
  temp_dir dir;
  const std::string model = write_model(dir, R"(
neuron Calm { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 250 pF }
neuron Wild { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 1 pF; bias = 100000 nA }
receptor AMPA { reversal = 0 mV; decay = 2 ms }
population calm = 5 x Calm
population wild = 3 x Wild
train bg = 4 x poisson 100 Hz
connect bg -> calm via AMPA weight 5 mV delay 1 ms
record spikes
record v of calm every 0.5 ms
run 50 ms
)")
                                .string();
  for (const std::string threads : {"1", "2", "3", "4"}) {
    SCOPED_TRACE(threads + " threads");
    const syn_result r = run_syn({"run", model, "--threads", threads}, dir.path());
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_TRUE(r.err.starts_with("syn: error: wild[0] fired at ")) << r.err;
    EXPECT_EQ(split_lines(r.err).size(), 1u) << r.err;
  }
}

// Random draws of every kind, a seed from the command line, the spikes on standard output.
TEST(threads_option, spikes_streamed_to_standard_output_are_the_same) {
  temp_dir dir;
  const std::string model = write_model(dir, R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms }
receptor GABA { reversal = -80 mV; rise = 0.5 ms; decay = 5 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; refractory = 1 ms; v0 = uniform(-70 mV, -56 mV) }
population exc = 40 x LIF
population inh = 10 x LIF
train bg = 20 x poisson 50 Hz
connect bg -> exc via AMPA weight normal(4 mV, 1 mV) delay uniform(1 ms, 2 ms) with probability 0.3
connect exc -> inh via AMPA weight 3 mV delay 1 ms with indegree 8
connect inh -> exc via GABA weight 2 mV delay 0.5 ms with probability 0.5
record spikes
run 300 ms
)")
                                .string();
  const auto spikes_on = [&](const std::string& threads) {
    const syn_result r =
        run_syn({"run", model, "--seed", "11", "--spikes", "-", "--threads", threads}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  const std::string one = spikes_on("1");
  ASSERT_GT(split_lines(one).size(), 100u);
  EXPECT_EQ(read_file(dir / "syn-out" / "spikes.csv"), one);
  for (const std::string threads : {"2", "3", "4"}) {
    SCOPED_TRACE(threads + " threads");
    EXPECT_TRUE(same_text(one, spikes_on(threads)));
  }
}

}  // namespace
}  // namespace syn::test
