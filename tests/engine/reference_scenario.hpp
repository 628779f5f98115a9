#pragma once

// What the reference tests (reference_test.cpp, conductance_reference_test.cpp,
// mg_block_reference_test.cpp) share: random single-neuron scenarios, drawn by hand-mapped uniform
// draws so that they do not depend on the standard library's distributions, and the steps that
// build them; their description for a failure's report, their run on the engine, their lowering
// to the current-based reference's cell, and a parallel map over scenario numbers.

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "reference_neuron.hpp"
#include "reference_result.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace syn::test_scenarios {

class draw {
 public:
  explicit draw(std::uint64_t seed) : engine_(seed) {}
  double uniform(double lo, double hi) {
    return lo + (hi - lo) * static_cast<double>(engine_() >> 11) * 0x1p-53;
  }
  double log_uniform(double lo, double hi) { return std::exp(uniform(std::log(lo), std::log(hi))); }
  // In [lo, hi]; the modulo bias is irrelevant here.
  int integer(int lo, int hi) {
    return lo + static_cast<int>(engine_() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform(0, 1) < p; }

 private:
  std::mt19937_64 engine_;
};

struct connection {
  std::uint32_t receptor = 0;
  double weight = 0;
  weight_unit unit = weight_unit::mV;
  double distance = 0;
  double delay = 1;
  std::vector<double> times;  // source spike times
};

struct scenario {
  std::string name;
  neuron_params neuron;
  std::vector<receptor_params> receptors;
  std::vector<connection> connections;
  double duration = 0;
  int sample_step = 0;  // V sampled every sample_step / 100 ms; 0: not sampled
};

inline receptor_params jump_receptor(effect sign, std::optional<double> reversal = std::nullopt) {
  receptor_params r;
  r.kind = kinetics::jump;
  r.sign = sign;
  r.reversal = reversal;
  return r;
}

inline std::string optional_text(const std::optional<double>& x) {
  return x ? fmt::format("{:.17g}", *x) : std::string("unset");
}

inline std::string describe(const scenario& s) {
  static constexpr const char* unit_names[] = {"mV", "pA", "nS"};
  static constexpr const char* effect_names[] = {"from_reversal", "excitatory", "inhibitory"};
  const neuron_params& n = s.neuron;
  std::string out =
      s.sample_step == 0
          ? fmt::format("scenario {} (duration {:.17g} ms)\n", s.name, s.duration)
          : fmt::format("scenario {} (duration {:.17g} ms, V sampled every {} ms)\n", s.name,
                        s.duration, s.sample_step / 100.0);
  out += fmt::format(
      "  neuron: rest {:.17g} threshold {:.17g} reset {} refractory {:.17g} tau_m {:.17g} "
      "capacitance {} bias {:.17g} length_constant {:.17g} v0 {}\n",
      n.rest, n.threshold, optional_text(n.reset), n.refractory, n.tau_m,
      optional_text(n.capacitance), n.bias, n.length_constant, optional_text(n.v0));
  for (std::size_t i = 0; i < s.receptors.size(); ++i) {
    const receptor_params& r = s.receptors[i];
    out += fmt::format("  receptor {}: {} rise {:.17g} decay {:.17g} reversal {} effect {}{}\n", i,
                       r.kind == kinetics::jump ? "jump" : "current", r.rise, r.decay,
                       optional_text(r.reversal), effect_names[static_cast<int>(r.sign)],
                       r.mg_block == 0 ? "" : fmt::format(" mg_block {:.17g}", r.mg_block));
  }
  for (std::size_t i = 0; i < s.connections.size(); ++i) {
    const connection& c = s.connections[i];
    out += fmt::format(
        "  source {}: receptor {} weight {:.17g} {} distance {:.17g} delay {:.17g} times "
        "[{:.17g}]\n",
        i, c.receptor, c.weight, unit_names[static_cast<int>(c.unit)], c.distance, c.delay,
        fmt::join(c.times, ", "));
  }
  return out;
}

// The scenario as the current-based reference's cell.
inline reference::cell to_cell(const scenario& s) {
  reference::cell c{s.neuron, s.receptors, {}, {}};
  for (std::uint32_t i = 0; i < s.connections.size(); ++i) {
    const connection& k = s.connections[i];
    c.synapses.push_back({k.receptor, k.weight, k.unit, k.distance});
    for (double t : k.times) c.inputs.push_back({t + k.delay, i});
  }
  return c;
}

// The scenario on the engine: its neuron's spikes, and its V samples when it has a sampling step.
struct engine_result {
  std::vector<double> spikes;
  std::vector<sample> samples;
};

inline engine_result run_on_engine(const scenario& s) {
  network net;
  const model_id model = net.add_model(s.neuron);
  std::vector<receptor_id> receptors;
  for (const receptor_params& r : s.receptors) receptors.push_back(net.add_receptor(r));
  const node_id cell = net.add_neurons("cell", model, 1).first;
  std::vector<std::vector<double>> times;
  for (const connection& c : s.connections) times.push_back(c.times);
  const node_id first_source = net.add_sources("inputs", times).first;
  for (std::uint32_t i = 0; i < s.connections.size(); ++i) {
    const connection& c = s.connections[i];
    net.connect(first_source + i, cell,
                {receptors[c.receptor], c.weight, c.unit, c.delay, c.distance});
  }
  simulator sim(net);
  if (s.sample_step != 0) sim.record_v({cell}, s.sample_step / 100.0);
  sim.run(s.duration);
  engine_result out;
  for (const spike& sp : sim.spikes())
    if (sp.node == cell) out.spikes.push_back(sp.time);
  out.samples = sim.samples();
  return out;
}

// A time constant that is often exactly tau_m or a hair away from it (the degenerate cases).
inline double pick_tau(draw& d, double tau_m) {
  if (d.chance(0.2)) return tau_m;
  if (d.chance(0.15)) {
    const double offset = std::pow(10.0, -d.integer(3, 12));
    return tau_m * (d.chance(0.5) ? 1 + offset : 1 - offset);
  }
  return d.log_uniform(0.3, 30);
}

// Roughly the PSP peak (mV) of a 1 pA peak current into 1 pF, to size pA weights: the
// kernel's area filtered by the membrane.
inline double rough_psp(double tau_m, const receptor_params& r) {
  const double area = r.rise == 0 ? r.decay
                      : r.rise == r.decay
                          ? std::exp(1.0) * r.decay
                          : (r.decay - r.rise) / reference::current_peak(r).convert_to<double>();
  return tau_m * area / (tau_m + area);
}

inline std::string spike_list(const std::vector<double>& spikes) {
  return fmt::format("[{:.17g}]", fmt::join(spikes, ", "));
}

template <class Number>
std::vector<double> to_double(const std::vector<Number>& spikes) {
  std::vector<double> out;
  for (const Number& t : spikes) out.push_back(reference::to_double(t));
  return out;
}

// What simulator::record_v samples: k * step / 100 rounded once, which IEEE division of exact
// integers is.
inline std::vector<double> sample_times(const scenario& s) {
  std::vector<double> out;
  if (s.sample_step == 0) return out;
  for (int k = 0;; ++k) {
    const double t = static_cast<double>(k * s.sample_step) / 100;
    if (t > s.duration) return out;
    out.push_back(t);
  }
}

// Rest, a threshold 5 to `span` mV above it, most often a reset, and a refractory period: 10% of
// the time a multiple of 1/64 ms from shortest/64 to longest/64, whose end double arithmetic has
// exactly (then returns true), otherwise 65% of the time 0.5 to 5 ms.
inline bool draw_threshold_and_refractoriness(draw& d, neuron_params& n, double span, int shortest,
                                              int longest) {
  n.rest = d.uniform(-80, -60);
  n.threshold = n.rest + d.uniform(5, span);
  if (d.chance(0.7)) n.reset = n.threshold - d.uniform(1, span);
  const bool exact_refractory_end = d.chance(0.1);
  if (exact_refractory_end) {
    n.refractory = d.integer(shortest, longest) / 64.0;
  } else if (d.chance(0.65)) {
    n.refractory = d.uniform(0.5, 5);
  }
  return exact_refractory_end;
}

// With a capacitance, 40% of the time a bias that alone would hold V at 0.3 to `highest` times
// the threshold's height above rest (or, 15% of those, below rest); half the time a finite
// length constant.
inline void draw_bias_and_length_constant(draw& d, neuron_params& n, double highest) {
  const double theta = n.threshold - n.rest;
  if (n.capacitance && d.chance(0.4)) {
    const double u_inf =
        d.chance(0.85) ? theta * d.uniform(0.3, highest) : -theta * d.uniform(0.1, 1);
    n.bias = u_inf * *n.capacitance / n.tau_m;
  }
  if (d.chance(0.5)) n.length_constant = d.uniform(100, 1000);
}

// `count` source spikes on random sources: 60% of them anywhere up to `margin` ms before the
// end of the run (net of the delay), the others up to `max_gap` ms after the one before. Times
// on a 1/1024 ms grid when `dyadic`: with delays on 1/4 ms every arrival is exact in double,
// which allows exactly coincident inputs and inputs exactly at the end of refractoriness.
inline void add_input_times(draw& d, scenario& s, int count, double margin, double max_gap,
                            bool dyadic) {
  const int source_count = static_cast<int>(s.connections.size());
  double last = 0;
  for (int i = 0; i < count; ++i) {
    connection& c = s.connections[static_cast<std::size_t>(d.integer(0, source_count - 1))];
    const double latest = std::max(0.0, s.duration - c.delay - margin);
    double t =
        d.chance(0.6) ? d.uniform(0, latest) : std::min(last + d.uniform(0, max_gap), latest);
    if (dyadic) t = std::floor(t * 1024) / 1024;
    c.times.push_back(t);
    last = t;
  }
}

// With dyadic times and two sources or more, half the time an input on the second source arriving
// at exactly the same instant as the first source's first.
inline void add_simultaneous_input(draw& d, scenario& s, bool dyadic) {
  if (!dyadic || s.connections.size() < 2 || !d.chance(0.5)) return;
  const connection& a = s.connections[0];
  connection& b = s.connections[1];
  if (!a.times.empty() && a.times[0] + a.delay - b.delay >= 0) {
    b.times.push_back(a.times[0] + a.delay - b.delay);
  }
}

// A jump that must fire at its arrival (on the 1/1024 ms grid, `earliest` ms or later), one
// discarded inside the refractory period, and one exactly at its end, which counts.
inline void add_refractory_end_jumps(draw& d, scenario& s, int earliest) {
  const neuron_params& n = s.neuron;
  s.receptors.push_back(jump_receptor(effect::excitatory));
  connection c;
  c.receptor = static_cast<std::uint32_t>(s.receptors.size() - 1);
  c.weight = 4 * (n.threshold - std::min(n.rest, n.reset.value_or(n.rest)));
  c.delay = d.integer(1, 8) / 4.0;
  const double arrival =
      d.integer(earliest * 1024, static_cast<int>(s.duration / 2) * 1024) / 1024.0;
  for (double t : {arrival, arrival + n.refractory / 2, arrival + n.refractory}) {
    if (t - c.delay >= 0) c.times.push_back(t - c.delay);
  }
  s.connections.push_back(c);
}

// f(i) for i in [first, last), on every hardware thread.
template <typename R, typename F>
std::vector<R> in_parallel(std::uint64_t first, std::uint64_t last, F f) {
  std::vector<R> out(last - first);
  const std::uint64_t workers = std::max(1u, std::thread::hardware_concurrency());
  {
    std::vector<std::jthread> threads;
    for (std::uint64_t w = 0; w < workers; ++w) {
      threads.emplace_back([&, w] {
        for (std::uint64_t i = first + w; i < last; i += workers) out[i - first] = f(i);
      });
    }
  }
  return out;
}

}  // namespace syn::test_scenarios
