// The reference networks of Brette et al. 2007 (J Comput Neurosci 23:349) at growing N, through
// the pipeline a user runs: the model is written as .syn text, then parsed, checked, lowered and
// run with the syn::dsl calls behind `syn run` (front_end/front_end.cpp), timing build and
// simulation apart. Networks as in /work/shared/peers/common.py, so rows compare with
// brian2_bench.py:
//   A  benchmark 4: voltage jumps, +0.25 mV excitatory, 2.25 mV inhibitory;
//   B  benchmark 2 (CUBA): exponential currents, tau 5 ms / 10 ms, 16.2 pA / 90 pA, C = 200 pF.
// Common: N LIF neurons, the first 80 % excitatory; tau_m 20 ms, rest -49 mV above threshold
// -50 mV (self-sustained), reset -60 mV, refractory 5 ms, delay 0.1 ms, V0 ~ U(-60, -50) mV;
// Bernoulli connectivity over all ordered pairs, autapses included, p = 0.02 * 4000 / N.
//
// Each case runs in a forked child, so its peak RSS (from wait4) is its own and a case that
// exhausts memory fails alone.
//
// Usage: network_bench [--net A|B|all] [--N 4000,40000,400000] [--T seconds] [--seed S] [--print]

#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "front_end/front_end.hpp"
#include "syn/engine/simulator.hpp"

namespace {

struct options {
  std::vector<char> nets = {'A', 'B'};
  std::vector<std::uint32_t> sizes = {4000, 40000, 400000};
  std::optional<double> seconds;  // else default_seconds(N)
  std::uint64_t seed = 1234;
  bool print = false;  // print the models instead of running them
};

// Biological time when --T is not given: 10 s as in the papers at N = 4,000; shorter above, as
// the work per biological second grows with N (80 N synapses).
double default_seconds(std::uint32_t n) {
  if (n <= 4000) return 10.0;
  if (n <= 40000) return 1.0;
  return 0.5;
}

template <typename T>
T number(std::string_view text, std::string_view flag) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(fmt::format("{} takes a number, not '{}'", flag, text));
  return value;
}

options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (flag == "--print") {
      o.print = true;
      continue;
    }
    if (i + 1 >= argc) throw std::invalid_argument(fmt::format("{} needs a value", flag));
    const std::string value = argv[++i];
    if (flag == "--net" && (value == "A" || value == "B" || value == "all")) {
      o.nets = value == "all" ? std::vector<char>{'A', 'B'} : std::vector<char>{value[0]};
    } else if (flag == "--N") {
      o.sizes.clear();
      for (std::size_t begin = 0; begin <= value.size();) {
        const std::size_t end = std::min(value.find(',', begin), value.size());
        const auto n =
            number<std::uint64_t>(std::string_view(value).substr(begin, end - begin), flag);
        // p = 80 / N must be a probability; the language's limit is 1e8 neurons.
        if (n < 80 || n > 100'000'000) throw std::invalid_argument("--N must be 80 to 1e8");
        o.sizes.push_back(static_cast<std::uint32_t>(n));
        begin = end + 1;
      }
    } else if (flag == "--T") {
      o.seconds = number<double>(value, flag);
      if (!(*o.seconds > 0.0)) throw std::invalid_argument("--T must be positive");
    } else if (flag == "--seed") {
      o.seed = number<std::uint64_t>(value, flag);
    } else {
      throw std::invalid_argument(fmt::format("bad option {} {}", flag, value));
    }
  }
  return o;
}

struct case_spec {
  char net;
  std::uint32_t n;
  double seconds;
  std::uint64_t seed;
};

std::string model_text(const case_spec& c) {
  const bool jumps = c.net == 'A';
  const auto n_exc = static_cast<std::uint32_t>(0.8 * c.n + 0.5);  // round(0.8 N), as common.py
  const double p = 0.02 * 4000.0 / c.n;
  return fmt::format(
      "# Brette et al. 2007, {name}, N = {n}\n"
      "receptor E {{ {exc} }}\n"
      "receptor I {{ {inh} }}\n"
      "neuron LIF {{\n"
      "  rest = -49 mV; threshold = -50 mV; reset = -60 mV\n"
      "  refractory = 5 ms; tau_m = 20 ms; capacitance = 200 pF\n"
      "  v0 = uniform(-60 mV, -50 mV)\n"
      "}}\n"
      "population cells = {n} x LIF\n"
      "connect cells[0..{last_exc}] -> cells via E weight {w_exc} {rule}\n"
      "connect cells[{n_exc}..{last}] -> cells via I weight {w_inh} {rule}\n"
      "seed = {seed}\n"
      "run {ms} ms\n",
      fmt::arg("name", jumps ? "benchmark 4 (A): voltage jumps" : "benchmark 2 (B): CUBA"),
      fmt::arg("n", c.n),
      fmt::arg("exc", jumps ? "kinetics = jump; effect = excitatory"
                            : "effect = excitatory; decay = 5 ms"),
      fmt::arg("inh", jumps ? "kinetics = jump; effect = inhibitory"
                            : "effect = inhibitory; decay = 10 ms"),
      fmt::arg("last_exc", n_exc - 1), fmt::arg("n_exc", n_exc), fmt::arg("last", c.n - 1),
      fmt::arg("w_exc", jumps ? "0.25 mV" : "16.2 pA"),
      fmt::arg("w_inh", jumps ? "2.25 mV" : "90 pA"),
      fmt::arg("rule", fmt::format("delay 0.1 ms with probability {}", p)),
      fmt::arg("seed", c.seed), fmt::arg("ms", c.seconds * 1000.0));
}

// What a child sends back through its pipe: plain data, as parent and child are one binary.
struct result {
  double check_s = 0;   // parse and check
  double lower_s = 0;   // limits and lowering onto the engine's network
  double engine_s = 0;  // simulator construction
  double sim_s = 0;
  std::uint64_t synapses = 0;
  std::uint64_t synapse_bytes = 0;
  std::uint64_t spikes = 0;
  char error[512] = {};
};
// One write of at most PIPE_BUF bytes reaches the reader whole.
static_assert(std::is_trivially_copyable_v<result> && sizeof(result) <= PIPE_BUF);

void set_error(result& r, std::string_view why) {
  *fmt::format_to_n(r.error, sizeof r.error - 1, "{}", why).out = '\0';
}

// Seconds since `start`, which moves to now.
double lap(std::chrono::steady_clock::time_point& start) {
  const auto now = std::chrono::steady_clock::now();
  const double s = std::chrono::duration<double>(now - start).count();
  start = now;
  return s;
}

// parse -> check -> lower -> simulator -> run, as the front end's build() and model_run::run_all
// do; the simulator is built here rather than through model_run to time it apart from lowering.
result run_case(const case_spec& c) {
  result r;
  auto clock = std::chrono::steady_clock::now();
  const syn::dsl::source_file file("network.syn", model_text(c));
  syn::dsl::front_end front(syn::dsl::library_path::from_environment({}));
  front.check_file(file, {});
  const syn::dsl::model& m = front.m;
  syn::dsl::diagnostics& diags = front.diags;
  r.check_s = lap(clock);

  const double until = m.run_ends.empty() ? 0.0 : m.run_ends.back();
  std::optional<syn::dsl::lowered> net;
  if (!diags.has_errors())
    net = syn::dsl::build_network(m, until, m.seed_set ? m.seed : syn::dsl::default_seed, diags);
  if (!net) {
    diags.render(stderr, false);
    set_error(r, "the model was refused (diagnostics above)");
    return r;
  }
  r.lower_s = lap(clock);

  syn::simulator sim(net->net);
  net.reset();  // syn run drops the network once the simulator is built, too
  r.engine_s = lap(clock);

  for (const double end : m.run_ends) sim.run_until(end);
  r.sim_s = lap(clock);
  r.synapses = sim.synapse_count();
  r.synapse_bytes = sim.synapse_bytes();
  r.spikes = sim.stats().spikes;
  return r;
}

// Runs `c` in a child process; its peak RSS in MiB goes to `peak_mb`.
result run_in_child(const case_spec& c, double& peak_mb) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error(fmt::format("pipe: {}", std::strerror(errno)));
  std::fflush(stdout);
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error(fmt::format("fork: {}", std::strerror(errno)));
  if (pid == 0) {
    close(fds[0]);
    result r;
    try {
      r = run_case(c);
    } catch (const std::bad_alloc&) {
      set_error(r, "out of memory");
    } catch (const std::exception& e) {
      set_error(r, e.what());
    }
    const bool sent = write(fds[1], &r, sizeof r) == static_cast<ssize_t>(sizeof r);
    _exit(sent ? EXIT_SUCCESS : EXIT_FAILURE);
  }
  close(fds[1]);
  result r;
  const ssize_t got = read(fds[0], &r, sizeof r);
  close(fds[0]);
  int status = 0;
  rusage usage{};
  wait4(pid, &status, 0, &usage);
  peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  if (got != static_cast<ssize_t>(sizeof r)) {
    r = result{};
    set_error(r, WIFSIGNALED(status) ? fmt::format("killed by signal {} ({})", WTERMSIG(status),
                                                   strsignal(WTERMSIG(status)))
                                     : fmt::format("exited with status {}", WEXITSTATUS(status)));
  }
  return r;
}

void print_row(const case_spec& c, const result& r, double peak_mb) {
  if (r.error[0] != '\0') {
    fmt::print("| {} | {} | {:g} | failed: {} |\n", c.net, c.n, c.seconds, r.error);
    return;
  }
  const double build_s = r.check_s + r.lower_s + r.engine_s;
  const double rate = static_cast<double>(r.spikes) / c.n / c.seconds;
  const double events = static_cast<double>(r.spikes) * static_cast<double>(r.synapses) / c.n;
  fmt::print(
      "| {} | {} | {:g} | {} | {:.2f} ({:.2f}/{:.2f}/{:.2f}) | {:.2f} | {} | {:.2f} | "
      "{:.3g} M | {:.1f} | {:.0f} |\n",
      c.net, c.n, c.seconds, r.synapses, build_s, r.check_s, r.lower_s, r.engine_s, r.sim_s,
      r.spikes, rate, events / r.sim_s / 1e6,
      static_cast<double>(r.synapse_bytes) / static_cast<double>(r.synapses), peak_mb);
}

int run(const options& o) {
  std::vector<case_spec> cases;
  for (const char net : o.nets)
    for (const std::uint32_t n : o.sizes)
      cases.push_back({net, n, o.seconds.value_or(default_seconds(n)), o.seed});
  if (o.print) {
    for (const case_spec& c : cases) fmt::print("{}\n", model_text(c));
    return EXIT_SUCCESS;
  }
  fmt::print(
      "| net | N | T (s) | synapses | build s (check/lower/engine) | simulation s | "
      "spikes | rate (Hz) | synaptic events/s | bytes/synapse | peak RSS (MiB) |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|\n");
  bool all_ok = true;
  for (const case_spec& c : cases) {
    double peak_mb = 0;
    const result r = run_in_child(c, peak_mb);
    print_row(c, r, peak_mb);
    std::fflush(stdout);
    all_ok = all_ok && r.error[0] == '\0';
  }
  return all_ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse_options(argc, argv));
  } catch (const std::exception& e) {
    fmt::print(stderr,
               "network_bench: {}\nusage: network_bench [--net A|B|all] [--N 4000,40000,400000] "
               "[--T seconds] [--seed S] [--print]\n",
               e.what());
    return EXIT_FAILURE;
  }
}
