// What docs/robustness.md promises about results and memory, tried as a careless user would:
// results are never half-written nor mixed with another run's, whether the run is killed,
// interrupted, fills the disk, meets another run in its folder or a symlink in it; memory
// stays flat as a run gets longer, and a model or a run too large for the memory stops with
// exit 3 at the statement to blame.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

// A small run: its results are what the long runs below must leave untouched.
constexpr const char* quick_model = R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population n = LIF
train t = times [1 ms, 2 ms]
connect t -> n via AMPA weight 4 mV delay 1 ms
record spikes
record v of n every 1 ms
run 10 ms
)";

// Long enough (2e7 spikes to write) to be caught while writing; the tests never let it finish.
constexpr const char* long_model = R"(
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population n = LIF
train t = 200 x poisson 1000 Hz
record spikes
record v of n every 0.01 ms
run 100 s
)";

fs::path write_model(const temp_dir& dir, const std::string& name, const char* text) {
  write_file(dir / name, text);
  return dir / name;
}

// Waits (at most a minute) until `ready` holds.
bool eventually(const std::function<bool()>& ready) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (std::chrono::steady_clock::now() < give_up) {
    if (ready()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return false;
}

// The temporary folder a run writes into, if one is there.
std::optional<fs::path> temporary_folder(const fs::path& out) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec))
    if (entry.path().filename().string().starts_with(".syn-run-")) return entry.path();
  return std::nullopt;
}

// True once a run has written some rows into its temporary spikes.csv.
bool writing(const fs::path& out) {
  const std::optional<fs::path> temporary = temporary_folder(out);
  std::error_code ec;
  return temporary && fs::file_size(*temporary / "spikes.csv", ec) > 100 && !ec;
}

struct results {
  std::string spikes, v;
  friend bool operator==(const results&, const results&) = default;
};

results read_results(const fs::path& out) {
  return {read_file(out / "spikes.csv"), read_file(out / "v.csv")};
}

// A folder holding the quick model's results, and the long model beside it.
struct folder_with_results {
  temp_dir dir;
  fs::path quick = write_model(dir, "quick.syn", quick_model);
  fs::path slow = write_model(dir, "long.syn", long_model);
  results before;

  folder_with_results() {
    const syn_result r = run_syn({"run", quick.string(), "--out", "out"}, dir.path());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    before = read_results(dir / "out");
  }
  syn_process start_long(const process_options& more = {}) {
    process_options options = more;
    options.cwd = dir.path();
    return syn_process(SYN_BINARY, {"run", slow.string(), "--out", "out"}, options);
  }
};

TEST(results, a_run_killed_while_writing_leaves_the_previous_results_whole) {
  folder_with_results f;
  syn_process run = f.start_long();
  ASSERT_TRUE(eventually([&] { return writing(f.dir / "out"); }));
  run.signal(SIGKILL);
  EXPECT_EQ(run.wait().exit_code, 128 + SIGKILL);
  EXPECT_EQ(read_results(f.dir / "out"), f.before);
  // The next run into the folder removes what the killed one left.
  ASSERT_TRUE(temporary_folder(f.dir / "out"));
  const syn_result again = run_syn({"run", f.quick.string(), "--out", "out"}, f.dir.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_FALSE(temporary_folder(f.dir / "out"));
  EXPECT_EQ(read_results(f.dir / "out"), f.before);
}

TEST(results, an_interrupted_run_removes_what_it_wrote) {
  for (const int signal : {SIGINT, SIGTERM}) {
    folder_with_results f;
    syn_process run = f.start_long();
    ASSERT_TRUE(eventually([&] { return writing(f.dir / "out"); }));
    run.signal(signal);
    EXPECT_EQ(run.wait().exit_code, 128 + signal);
    EXPECT_FALSE(temporary_folder(f.dir / "out")) << "signal " << signal;
    EXPECT_EQ(read_results(f.dir / "out"), f.before);
  }
}

// A sweep's runs are written inside its temporary folder, each into a temporary folder of its
// own: a signal removes them all, the finished runs with the one under way.
TEST(results, an_interrupted_sweep_removes_what_it_wrote) {
  folder_with_results f;
  write_model(f.dir, "long_sweep.syn", (std::string("param w = 1 mV\n") + long_model).c_str());
  process_options options;
  options.cwd = f.dir.path();
  syn_process sweep(SYN_BINARY, {"sweep", "long_sweep.syn", "--set", "w=1mV,2mV", "--out", "out"},
                    options);
  // Writing the first run's spikes: out/.syn-run-X/w=1mV/.syn-run-Y/spikes.csv.
  ASSERT_TRUE(eventually([&] {
    const std::optional<fs::path> sweeping = temporary_folder(f.dir / "out");
    return sweeping && writing(*sweeping / "w=1mV");
  }));
  sweep.signal(SIGINT);
  EXPECT_EQ(sweep.wait().exit_code, 128 + SIGINT);
  EXPECT_FALSE(temporary_folder(f.dir / "out"));
  EXPECT_EQ(read_results(f.dir / "out"), f.before);
}

TEST(results, a_full_disk_stops_the_run_and_leaves_the_previous_results_whole) {
  // Files may not grow past 64 kB: writes beyond fail as on a full disk (EFBIG for ENOSPC).
  folder_with_results f;
  process_options small_files;
  small_files.file_size_limit = 64 * 1024;
  syn_process run = f.start_long(small_files);
  const syn_result r = run.wait();
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("syn: error: cannot write 'out/"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  EXPECT_FALSE(temporary_folder(f.dir / "out"));
  EXPECT_EQ(read_results(f.dir / "out"), f.before);
}

TEST(results, a_second_run_into_a_folder_in_use_is_refused) {
  folder_with_results f;
  syn_process first = f.start_long();
  ASSERT_TRUE(eventually([&] { return writing(f.dir / "out"); }));
  const syn_result second = run_syn({"run", f.quick.string(), "--out", "out"}, f.dir.path());
  EXPECT_EQ(second.exit_code, 3);
  EXPECT_EQ(second.err,
            "syn: error: another syn run is writing into 'out'; wait for it to end or choose "
            "another folder with --out\n");
  first.signal(SIGTERM);
  first.wait();
  EXPECT_EQ(read_results(f.dir / "out"), f.before);
  // Once the first has gone, the folder is free.
  const syn_result third = run_syn({"run", f.quick.string(), "--out", "out"}, f.dir.path());
  EXPECT_EQ(third.exit_code, 0) << third.err;
}

TEST(results, a_hang_up_that_syn_was_told_to_ignore_stays_ignored) {
  // `nohup syn run ... &`: the run goes on when its terminal closes.
  folder_with_results f;
  struct sigaction ignore {
  }, before{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGHUP, &ignore, &before);
  syn_process run = f.start_long();  // inherits the ignored SIGHUP
  sigaction(SIGHUP, &before, nullptr);
  ASSERT_TRUE(eventually([&] { return writing(f.dir / "out"); }));
  run.signal(SIGHUP);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(temporary_folder(f.dir / "out"));
  run.signal(SIGTERM);
  EXPECT_EQ(run.wait().exit_code, 128 + SIGTERM);
}

TEST(results, a_closed_spike_stream_ends_the_stream_not_the_run) {
  // `syn run --spikes - | head`: the files get every spike all the same.
  temp_dir dir;
  const fs::path model = write_model(dir, "many.syn", R"(train t = 100 x poisson 1000 Hz
record spikes
run 2 s
)");
  process_options options;
  options.cwd = dir.path();
  options.reader_gone = true;
  const syn_result r =
      syn_process(SYN_BINARY, {"run", model.string(), "--out", "out", "--spikes", "-"}, options)
          .wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::string spikes = read_file(dir / "out/spikes.csv");
  EXPECT_GT(std::count(spikes.begin(), spikes.end(), '\n'), 150'000) << r.err;
}

// `syn ... 2>&1 | head -c1`: with both streams gone, a command ends as it would have (the last
// lines of `syn run` once threw and aborted it, exit 134, and so did `syn sweep`'s, see
// param_cli_test.cpp), and leaves nothing of its own.
TEST(results, commands_whose_reader_has_gone_end_as_they_would_have) {
  temp_dir dir;
  const fs::path model = write_model(dir, "m.syn", R"(train t = 100 x poisson 1000 Hz
record spikes
run 200 ms
)");
  process_options options;
  options.cwd = dir.path();
  options.merge = true;
  options.reader_gone = true;
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"run", "m.syn", "--out", "out", "--spikes", "-"},
        {"run", "m.syn", "--out", "out", "--measure"}, {"graph", "m.syn"},
        {"doc", "std.receptors"}, {"--help"}}) {
    const syn_result r = syn_process(SYN_BINARY, args, options).wait();
    // Those that print only their standard output (doc, --help) end by SIGPIPE, as `cat` does.
    const int ends = args[0] == "run" || args[0] == "graph" ? 0 : 128 + SIGPIPE;
    EXPECT_EQ(r.exit_code, ends) << fmt::format("{}", fmt::join(args, " "));
  }
  std::vector<std::string> names;
  for (const auto& e : fs::recursive_directory_iterator(dir.path()))
    names.push_back(fs::relative(e.path(), dir.path()).string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"m.syn", "out", "out/.syn-outputs",
                                             "out/populations.csv", "out/spikes.csv"}));
}

TEST(results, an_output_that_could_not_be_replaced_is_refused_before_the_run) {
  // A folder where v.csv would be removed: the run that records only spikes is refused at once,
  // and the spikes of the run before stay.
  folder_with_results f;
  fs::remove(f.dir / "out/v.csv");
  fs::create_directories(f.dir / "out/v.csv");
  const fs::path spikes_only =
      write_model(f.dir, "spikes_only.syn", "train t = times [1 ms]\nrecord spikes\nrun 2 ms\n");
  const syn_result r = run_syn({"run", spikes_only.string(), "--out", "out"}, f.dir.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err, "syn: error: cannot write 'out/v.csv': Is a directory\n");
  EXPECT_EQ(read_file(f.dir / "out/spikes.csv"), f.before.spikes);
}

TEST(results, a_symlink_in_the_folder_is_replaced_not_followed) {
  temp_dir dir;
  const fs::path model = write_model(dir, "quick.syn", quick_model);
  write_file(dir / "precious.txt", "not syn's to overwrite\n");
  fs::create_directories(dir / "out");
  fs::create_symlink(dir / "precious.txt", dir / "out/spikes.csv");
  const syn_result r = run_syn({"run", model.string(), "--out", "out"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir / "precious.txt"), "not syn's to overwrite\n");
  EXPECT_FALSE(fs::is_symlink(dir / "out/spikes.csv"));
  EXPECT_TRUE(read_file(dir / "out/spikes.csv").starts_with("time_ms,population,index\n"));
}

TEST(results, a_folder_holds_the_outputs_of_one_run) {
  // A run that records no v leaves no older v.csv beside its spikes.
  folder_with_results f;
  const fs::path spikes_only = write_model(f.dir, "spikes_only.syn", R"(
train t = times [1 ms]
record spikes
run 2 ms
)");
  const syn_result r = run_syn({"run", spikes_only.string(), "--out", "out"}, f.dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(f.dir / "out/spikes.csv"), "time_ms,population,index\n1,t,0\n");
  EXPECT_FALSE(fs::exists(f.dir / "out/v.csv"));
  // The user's own files in the folder stay.
  write_file(f.dir / "out/notes.txt", "mine\n");
  EXPECT_EQ(run_syn({"run", f.quick.string(), "--out", "out"}, f.dir.path()).exit_code, 0);
  EXPECT_EQ(read_file(f.dir / "out/notes.txt"), "mine\n");
}

// SYN_MEMORY for this test only.
class memory_setting {
 public:
  explicit memory_setting(const char* bytes) { ::setenv("SYN_MEMORY", bytes, 1); }
  ~memory_setting() { ::unsetenv("SYN_MEMORY"); }
};

TEST(memory, a_model_too_large_for_the_memory_is_refused_at_its_statement) {
  temp_dir dir;
  const fs::path model =
      write_model(dir, "big.syn", R"(neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
population small = 1000 x LIF
population large = 10000000 x LIF
record spikes
run 1 ms
)");
  const memory_setting budget("1GiB");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"check", model.string()},
        std::vector<std::string>{"run", model.string(), "--out", "out"}}) {
    const syn_result r = run_syn(args, dir.path());
    EXPECT_EQ(r.exit_code, 3) << args[0];
    EXPECT_NE(r.err.find("big.syn:3:12: error: by this statement the model needs about 2.24 GiB "
                         "of memory, more than the 1 GiB syn may use here"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("hint: that is SYN_MEMORY=1GiB"), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out"));
  }
}

TEST(memory, a_run_whose_spikes_in_flight_outgrow_the_memory_stops_at_its_run) {
  // 100,000 input spikes a second, each waiting 0.5 to 1 s at each of 100 synapses with
  // delays of their own: about 7.5 million spikes in flight, which 100 MB cannot hold.
  folder_with_results f;
  const fs::path model =
      write_model(f.dir, "flight.syn", R"(receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }
train t = 100 x poisson 1000 Hz
population n = 1000 x LIF
connect t -> n via AMPA weight 0.01 mV delay uniform(500 ms, 1000 ms) with outdegree 100
record spikes
run 2000 ms
)");
  const memory_setting budget("100MB");
  const syn_result r = run_syn({"run", model.string(), "--out", "out"}, f.dir.path());
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("flight.syn:7:5: error: this run stopped at "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("spikes in flight (each waits in memory until its delay has passed)"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(read_results(f.dir / "out"), f.before);
}

TEST(memory, a_repl_session_that_outgrows_the_memory_stops_its_run_and_goes_on) {
  // The REPL keeps every spike for `spikes` and `plot`: 10^6 a second here.
  temp_dir dir;
  const memory_setting budget("100MB");
  const syn_result r = run_syn_with_input(SYN_BINARY, {"repl"},
                                          "train t = 1000 x poisson 1000 Hz\n"
                                          "run 1000 s\n"
                                          "reset\n"
                                          "run 1 ms\n"
                                          "time\n",
                                          dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("spikes and samples the session keeps"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("`reset` frees them"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("t = 1 ms"), std::string::npos) << r.out;
}

// Peak memory of a run of `text`.
long peak_kib(const temp_dir& dir, const std::string& text) {
  const fs::path model = dir / "model.syn";
  write_file(model, text);
  process_options options;
  options.cwd = dir.path();
  const syn_result r =
      syn_process(SYN_BINARY, {"run", model.string(), "--out", "out"}, options).wait();
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.max_rss_kib;
}

TEST(memory, stays_flat_as_a_run_gets_ten_times_longer) {
  // 500,000 spikes, then 5,000,000: kept in memory, they would take 72 MB more. A quiet
  // population sampled 100,000 times, then 1,000,000 (no event between the samples): taken in
  // one go, they would take 90 MB more.
  const auto poisson = [](const char* seconds, bool recorded) {
    return std::string("train t = 100 x poisson 1000 Hz\n") + (recorded ? "record spikes\n" : "") +
           "run " + seconds + " s\n";
  };
  const auto quiet = [](const char* ms) {
    return std::string(
               "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
               "population p = 100 x LIF\n"
               "record v of p every 0.1 ms\n"
               "run ") +
           ms + " ms\n";
  };
  const std::pair<std::string, std::string> runs[] = {{poisson("5", true), poisson("50", true)},
                                                      {poisson("5", false), poisson("50", false)},
                                                      {quiet("100"), quiet("1000")}};
  for (const auto& [short_text, long_text] : runs) {
    temp_dir dir;
    const long short_run = peak_kib(dir, short_text);
    const long long_run = peak_kib(dir, long_text);
    EXPECT_LT(long_run, short_run + 16 * 1024)
        << short_text << short_run << " kiB, then " << long_run << " kiB";
  }
}

}  // namespace
}  // namespace syn::test
