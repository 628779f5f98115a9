// Speed and memory of the engine on the reference networks of Brette et al. 2007 (J Comput
// Neurosci 23:349), built with the C++ API as in /work/shared/peers/brian2_bench.py:
//   A  benchmark 4: voltage jumps, +0.25 mV excitatory, 2.25 mV inhibitory;
//   B  benchmark 2 (CUBA): exponential currents, tau 5 ms / 10 ms, jumps of 16.2 pA / 90 pA
//      (1.62 mV / 9 mV in Brian's current variable ge = I tau_m / C, with C = 200 pF);
//   C  benchmark 1 (COBA): exponential conductances, 6 nS reversing at 0 mV (tau 5 ms) and
//      67 nS at -80 mV (tau 10 ms), rest -60 mV below threshold: 1000 Poisson sources at 100 Hz
//      kick the network during its first 50 ms (p = 0.02, 6 nS); it then sustains itself.
//      With --mg MM the excitatory conductance has NMDA's magnesium block (a nonlinear membrane
//      equation; the activity differs, so compare events per second).
//      With --delays uniform every synapse of A, B or C has a delay of its own, drawn from
//      U(0.1 ms, 2 ms) as a float value (as the language draws them), instead of 0.1 ms: the
//      engine then sends each spike to each synapse alone (synapse_store's singles).
// Common: N LIF neurons (80 % excitatory), tau_m 20 ms, C 200 pF, reset -60 mV, refractory 5 ms,
// delay 0.1 ms, V0 ~ U(-60 mV, -50 mV); in A and B rest -49 mV lies above threshold -50 mV, so
// activity is self-sustained without external drive.
//
// Connectivity is Bernoulli over all ordered pairs, autapses included, with p = 0.02 * 4000 / N
// (p = 0.02 at the default N; ~80 excitatory + ~20 inhibitory inputs per neuron at any N), as
// the peers draw it, so that the same --n compares like with like.
//
// Usage: engine_bench [--net A|B|C] [--n N] [--T seconds] [--seed S] [--mg MM] [--threads N]
//                     [--delays constant|uniform]

#include <fmt/format.h>

#include <chrono>
#include <ctime>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>

#include "syn/engine/model_error.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace {

struct options {
  char net = 'A';
  std::uint32_t n = 4000;
  double seconds = 1.0;
  std::uint64_t seed = 1234;
  double mg = 0.0;  // mM
  std::uint32_t threads = 1;
  bool drawn_delays = false;
};

options parse_options(int argc, char** argv) {
  options o;
  for (int i = 1; i < argc; ++i) {
    const std::string_view flag = argv[i];
    if (i + 1 >= argc) throw std::invalid_argument(fmt::format("{} needs a value", flag));
    const std::string value = argv[++i];
    if (flag == "--net" && (value == "A" || value == "B" || value == "C")) {
      o.net = value[0];
    } else if (flag == "--n") {
      o.n = static_cast<std::uint32_t>(std::stoul(value));
    } else if (flag == "--T") {
      o.seconds = std::stod(value);
    } else if (flag == "--seed") {
      o.seed = std::stoull(value);
    } else if (flag == "--mg") {
      o.mg = std::stod(value);
    } else if (flag == "--delays" && (value == "constant" || value == "uniform")) {
      o.drawn_delays = value == "uniform";
    } else if (flag == "--threads") {
      o.threads = static_cast<std::uint32_t>(std::stoul(value));
    } else {
      throw std::invalid_argument(fmt::format("bad option {} {}", flag, value));
    }
  }
  // p = 80 / N must be a probability.
  if (o.n < 80) throw std::invalid_argument("--n must be at least 80");
  if (!(o.seconds > 0.0)) throw std::invalid_argument("--T must be positive");
  return o;
}

// Peak resident set size, from the kernel's high-water mark; in MB.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.starts_with("VmHWM:")) return std::stod(line.substr(6)) / 1024.0;
  return 0.0;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

syn::network build_network(const options& o) {
  syn::network net;
  syn::neuron_params lif;
  lif.rest = o.net == 'C' ? -60.0 : -49.0;
  lif.threshold = -50.0;
  lif.reset = -60.0;
  lif.refractory = 5.0;
  lif.tau_m = 20.0;
  lif.capacitance = 200.0;
  const syn::model_id model = net.add_model(lif);

  syn::receptor_params exc;
  syn::receptor_params inh;
  exc.sign = syn::effect::excitatory;
  inh.sign = syn::effect::inhibitory;
  syn::synapse_params to_exc{.delay = 0.1};
  syn::synapse_params to_inh{.delay = 0.1};
  if (o.net == 'A') {
    exc.kind = inh.kind = syn::kinetics::jump;
    to_exc.weight = 0.25;
    to_inh.weight = 2.25;
  } else if (o.net == 'B') {
    exc.decay = 5.0;
    inh.decay = 10.0;
    to_exc.weight = 16.2;
    to_inh.weight = 90.0;
    to_exc.unit = to_inh.unit = syn::weight_unit::pA;
  } else {
    exc.decay = 5.0;
    inh.decay = 10.0;
    exc.reversal = 0.0;
    exc.mg_block = o.mg;
    inh.reversal = -80.0;
    to_exc.weight = 6.0;
    to_inh.weight = 67.0;
    to_exc.unit = to_inh.unit = syn::weight_unit::nS;
  }
  to_exc.receptor = net.add_receptor(exc);
  to_inh.receptor = net.add_receptor(inh);

  const std::uint32_t n_exc = static_cast<std::uint32_t>(0.8 * o.n + 0.5);
  const syn::population excitatory = net.add_neurons("exc", model, n_exc);
  const syn::population inhibitory = net.add_neurons("inh", model, o.n - n_exc);
  const syn::node_id first = excitatory.first;
  const syn::node_id end = inhibitory.first + inhibitory.size;

  std::mt19937_64 rng(o.seed);
  std::uniform_real_distribution<double> v0(-60.0, -50.0);
  for (syn::node_id i = first; i < end; ++i) net.set_v0(i, v0(rng));

  // Bernoulli(p) over each presynaptic row, drawn as geometric gaps between successive
  // targets: the same distribution as one coin per pair at a fraction of the draws.
  // Drawn delays come from a generator of their own: the connections stay those of the
  // constant delay.
  std::geometric_distribution<std::uint32_t> gap(0.02 * 4000.0 / o.n);
  std::mt19937_64 delay_rng(o.seed + 1);
  std::uniform_real_distribution<double> drawn_delay(0.1, 2.0);
  for (syn::node_id pre = first; pre < end; ++pre) {
    syn::synapse_params synapse = pre < inhibitory.first ? to_exc : to_inh;
    for (std::uint64_t post = first + std::uint64_t{gap(rng)}; post < end; post += 1 + gap(rng)) {
      if (o.drawn_delays) synapse.delay = static_cast<float>(drawn_delay(delay_rng));
      synapse.own_delay = o.drawn_delays;
      net.connect(pre, static_cast<syn::node_id>(post), synapse);
    }
  }
  if (o.net == 'C') {
    const syn::population kick = net.add_sources(
        "kick", 1000, syn::poisson_train{.rate = 0.1, .stop = 50.0, .seed = o.seed});
    for (syn::node_id pre = kick.first; pre < kick.first + kick.size; ++pre)
      for (std::uint64_t post = first + std::uint64_t{gap(rng)}; post < end; post += 1 + gap(rng))
        net.connect(pre, static_cast<syn::node_id>(post), to_exc);
  }
  return net;
}

void run(const options& o) {
  const auto build_start = std::chrono::steady_clock::now();
  const syn::network net = build_network(o);
  syn::simulator sim(net, o.threads);
  const double build_s = seconds_since(build_start);

  const auto run_start = std::chrono::steady_clock::now();
  const std::clock_t run_clock = std::clock();
  sim.run(o.seconds * 1000.0);
  const double sim_s = seconds_since(run_start);
  const double sim_cpu_s = static_cast<double>(std::clock() - run_clock) / CLOCKS_PER_SEC;

  const syn::run_stats& s = sim.stats();
  const auto row = [](std::string_view name, const auto& value) {
    fmt::print("{:<28}{}\n", name, value);
  };
  row("network", fmt::format("{} ({})", o.net,
                             o.net == 'A'   ? "benchmark 4, voltage jumps"
                             : o.net == 'B' ? "benchmark 2, CUBA"
                                            : "benchmark 1, COBA"));
  row("neurons", o.n);
  row("synapses", sim.synapse_count());
  row("biological time (s)", o.seconds);
  row("seed", o.seed);
  if (o.mg > 0.0) row("magnesium block (mM)", o.mg);
  row("delays", o.drawn_delays ? "U(0.1 ms, 2 ms), one a synapse" : "0.1 ms");
  row("threads", o.threads);
  if (o.threads > 1) row("epochs", s.epochs);
  row("build time (s)", fmt::format("{:.3f}", build_s));
  row("simulation time (s)", fmt::format("{:.3f}", sim_s));
  // The processor time of this process's threads: on a shared machine, less disturbed than the
  // wall time by others' load.
  row("simulation CPU time (s)", fmt::format("{:.3f}", sim_cpu_s));
  row("spikes", s.spikes);
  row("spikes/s (wall)", fmt::format("{:.4g}", static_cast<double>(s.spikes) / sim_s));
  row("mean rate (Hz)", fmt::format("{:.3f}", static_cast<double>(s.spikes) / o.n / o.seconds));
  row("synaptic events", s.deliveries);
  row("synaptic events/s (wall)", fmt::format("{:.4g}", static_cast<double>(s.deliveries) / sim_s));
  row("queue events", s.events);
  row("full threshold searches", s.predictions);
  row("coarse watch checks", s.window_checks);
  row("bytes per synapse", fmt::format("{:.2f}", static_cast<double>(sim.synapse_bytes()) /
                                                     static_cast<double>(sim.synapse_count())));
  row("peak RSS (MB)", fmt::format("{:.1f}", peak_rss_mb()));
}

}  // namespace

int main(int argc, char** argv) {
  try {
    run(parse_options(argc, argv));
  } catch (const syn::model_error& e) {
    fmt::print(stderr, "engine_bench: model error: {}\n", e.what());
    return EXIT_FAILURE;
  } catch (const std::exception& e) {
    fmt::print(stderr,
               "engine_bench: {}\nusage: engine_bench [--net A|B|C] [--n N] [--T seconds] "
               "[--seed S] [--mg MM] [--threads N] "
               "[--delays constant|uniform]\n",
               e.what());
    return EXIT_FAILURE;
  }
}
