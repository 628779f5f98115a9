// `mpirun -np K syn run`: the network over K processes (each with its threads) writes the same
// output folder, byte for byte, as one process does; errors are reported once, with the exit code
// of one process. Skipped where mpirun or MPI is missing (tests/engine/without_mpi_test.cpp checks
// the refusal of a syn built without MPI).

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "syn_runner.hpp"
#include "test_files.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// `mpirun -np K --oversubscribe syn ARGS...` (more processes than cores: the tests run on two).
syn_result mpirun(int processes, std::vector<std::string> args, const fs::path& cwd) {
  std::vector<std::string> argv{"-np", std::to_string(processes), "--oversubscribe"};
  if (geteuid() == 0) argv.push_back("--allow-run-as-root");  // Open MPI refuses root otherwise
  argv.push_back(SYN_BINARY);
  argv.insert(argv.end(), args.begin(), args.end());
  process_options options;
  options.cwd = cwd;
  options.time_limit_seconds = 120;
  // Under LeakSanitizer (the sanitizer build), what Open MPI leaves allocated is not syn's leak:
  // suppressed by library, which needs whole stacks (Open MPI is built without frame pointers,
  // which the fast unwinder follows).
  const char* lsan = std::getenv("LSAN_OPTIONS");
  const std::string ours =
      std::string("suppressions=") + SYN_OPEN_MPI_LEAKS + ":fast_unwind_on_malloc=0";
  if (!lsan || std::string(lsan).find(ours) == std::string::npos)
    setenv("LSAN_OPTIONS", ((lsan ? std::string(lsan) + ":" : "") + ours).c_str(), 1);
  return syn_process(SYN_MPIRUN, argv, options).wait();
}

bool have_mpirun() { return std::string(SYN_MPIRUN).size() > 0 && fs::exists(SYN_MPIRUN); }

// Every file of a results folder, by name.
std::vector<std::pair<std::string, std::string>> folder(const fs::path& dir) {
  std::vector<std::pair<std::string, std::string>> files;
  for (const fs::directory_entry& e : fs::directory_iterator(dir))
    files.emplace_back(e.path().filename().string(), read_file(e.path()));
  std::sort(files.begin(), files.end());
  return files;
}

// Drawn connections, drawn weights and delays, Poisson sources, traced neurons with their
// inputs marked, samples of neurons on every process, and two runs.
constexpr const char* mixed_model = R"(
receptor AMPA { reversal = 0 mV; rise = 0.5 ms; decay = 2 ms }
receptor GABA { reversal = -80 mV; decay = 5 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; reset = -75 mV; refractory = 2 ms; tau_m = 10 ms;
             capacitance = 200 pF; v0 = uniform(-70 mV, -56 mV) }
population exc = 40 x LIF
population inh = 10 x LIF
train bg = 30 x poisson 40 Hz
connect bg -> exc via AMPA weight normal(3 mV, 1 mV) delay uniform(0.5 ms, 2 ms) with probability 0.3
connect bg -> inh via AMPA weight 4 mV delay 1 ms with indegree 5
connect exc -> inh via AMPA weight 300 pA delay 0.7 ms with probability 0.2
connect inh -> exc via GABA weight 2 nS delay 1.2 ms with outdegree 6
connect exc -> exc via AMPA weight 0.5 mV delay uniform(1 ms, 3 ms) with indegree 4
record spikes plot "raster.svg"
record v of exc[0..5], inh[2] every 0.5 ms plot "v.svg"
run 150 ms
run 50 ms
)";

class mpi : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_mpirun()) GTEST_SKIP() << "no mpirun on this machine";
    if (!SYN_MPI_BUILT) GTEST_SKIP() << "syn built without MPI";
  }
};

TEST_F(mpi, any_number_of_processes_and_threads_writes_the_same_folder) {
  temp_dir dir;
  write_file(dir / "model.syn", mixed_model);
  const syn_result alone =
      run_syn({"run", "model.syn", "--out", "alone", "--threads", "1"}, dir.path());
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  const auto expected = folder(dir / "alone");
  // spikes, samples, the populations' table, two figures, and the list of what syn wrote
  ASSERT_EQ(expected.size(), 6u);
  const std::pair<int, const char*> runs[] = {{1, "1"}, {2, "1"}, {3, "1"}, {4, "1"}, {2, "2"}};
  for (const auto& [processes, threads] : runs) {
    const std::string out = "out" + std::to_string(processes) + "x" + threads;
    const syn_result r =
        mpirun(processes, {"run", "model.syn", "--out", out, "--threads", threads}, dir.path());
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    EXPECT_EQ(folder(dir / out), expected) << processes << " processes of " << threads;
  }
}

TEST_F(mpi, an_example_network_gives_the_same_spikes) {
  temp_dir dir;
  const std::string model = std::string(SYN_EXAMPLES) + "/brette_cuba.syn";
  const std::vector<std::string> args{"run", model, "--set", "duration=300ms", "--threads", "1"};
  std::vector<std::string> alone_args = args;
  alone_args.insert(alone_args.end(), {"--out", "alone"});
  const syn_result alone = run_syn(alone_args, dir.path());
  ASSERT_EQ(alone.exit_code, 0) << alone.err;
  std::vector<std::string> split_args = args;
  split_args.insert(split_args.end(), {"--out", "split"});
  const syn_result split = mpirun(3, split_args, dir.path());
  ASSERT_EQ(split.exit_code, 0) << split.err;
  EXPECT_EQ(read_file(dir / "split" / "spikes.csv"), read_file(dir / "alone" / "spikes.csv"));
  // Process 0 reports for all: the same synapse and spike counts (the synapses' bytes differ:
  // each process groups its own).
  const auto counts = [](const std::string& err) {
    const std::string line = split_lines(err).at(0);
    return line.substr(0, line.find(" (")) + line.substr(line.find(", 300 ms"), 30);
  };
  EXPECT_EQ(counts(split.err), counts(alone.err));
  EXPECT_NE(split.err.find("syn: 3 processes"), std::string::npos) << split.err;
}

TEST_F(mpi, a_model_error_is_reported_once_with_exit_code_1) {
  temp_dir dir;
  write_file(dir / "bad.syn", "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 mV }\n");
  const syn_result r = mpirun(2, {"run", "bad.syn"}, dir.path());
  EXPECT_NE(r.exit_code, 0);
  const std::string all = r.out + r.err;
  const std::string error = "bad.syn:1:60: error: tau_m must be a time";
  ASSERT_NE(all.find(error), std::string::npos) << all;
  EXPECT_EQ(all.find(error, all.find(error) + 1), std::string::npos) << all;
}

TEST_F(mpi, a_runaway_neuron_stops_every_process_with_exit_code_3) {
  temp_dir dir;
  // 100 uA into 1 pF: threshold again after 0.15 ns, less than the 1 ns allowed; one of three
  // neurons, held by one process.
  write_file(dir / "runaway.syn", R"(
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 1 pF }
neuron Wild { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 1 pF; bias = 100000 nA }
population calm = 2 x LIF
population wild = Wild
record spikes
run 10 ms
)");
  const syn_result alone = run_syn({"run", "runaway.syn", "--threads", "1"}, dir.path());
  ASSERT_EQ(alone.exit_code, 3) << alone.err;
  const syn_result r = mpirun(3, {"run", "runaway.syn"}, dir.path());
  EXPECT_NE(r.exit_code, 0);
  const std::string message = split_lines(alone.err).at(0);
  ASSERT_NE(r.err.find(message), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(message, r.err.find(message) + 1), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir / "syn-out" / "spikes.csv"));
}

TEST_F(mpi, measure_is_refused) {
  temp_dir dir;
  write_file(dir / "model.syn", mixed_model);
  const syn_result r = mpirun(2, {"run", "model.syn", "--measure"}, dir.path());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("syn: error: --measure measures in one process: run it without mpirun"),
            std::string::npos)
      << r.err;
}

}  // namespace
}  // namespace syn::test
