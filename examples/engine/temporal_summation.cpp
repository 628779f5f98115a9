// Temporal summation with the C++ engine API.
//
// One leaky integrate-and-fire neuron receives AMPA-like synaptic input. A single EPSP of 6 mV
// stays well below the 15 mV between rest and threshold; three arriving 1.5 ms apart ride on
// each other's tails (the membrane forgets with tau_m = 10 ms) and reach threshold.
//
// The same network in Syn:
//   receptor AMPA { reversal = 0 mV; rise = 0.2 ms; decay = 2 ms }
//   neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 250 pF }
//   population n1 = LIF
//   train stim = times [1 ms, 2.5 ms, 4 ms]
//   connect stim -> n1 via AMPA weight 6 mV delay 1 ms
//   record spikes; record v of n1 every 0.1 ms
//   run 20 ms

#include <algorithm>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace {

// Every quantity in the engine API is a plain double in fixed units:
// ms, mV, pA, pF, nS (pA x ms / pF = mV, so no conversion factors are needed).
constexpr double rest = -70.0;
constexpr double threshold = -55.0;
constexpr double duration = 20.0;
constexpr double sample_interval = 0.1;
constexpr int trace_width = 45;  // characters from rest to threshold

// A finished run: the simulator holds the spikes and the recorded V.
struct trial {
  syn::simulator sim;
  syn::node_id neuron;
};

// Builds the one-neuron network, driven by a source that spikes at `input_times`, and runs it.
trial simulate(const std::vector<double>& input_times) {
  syn::network net;

  // A neuron model is a set of parameters; populations of neurons refer to it by id. Unset
  // optional parameters take their defaults: reset = rest, refractory = 0 ms, v0 = rest.
  syn::neuron_params lif;
  lif.rest = rest;
  lif.threshold = threshold;
  lif.tau_m = 10.0;
  lif.capacitance = 250.0;
  const syn::model_id lif_model = net.add_model(lif);

  // A receptor fixes the time course of the synaptic current: here a difference of
  // exponentials rising in 0.2 ms and decaying in 2 ms. Its reversal potential (0 mV, above
  // rest) makes it excitatory on this neuron.
  syn::receptor_params ampa;
  ampa.rise = 0.2;
  ampa.decay = 2.0;
  ampa.reversal = 0.0;
  const syn::receptor_id ampa_id = net.add_receptor(ampa);

  // Populations are ranges of node ids; a source population holds one spike train per source.
  const syn::population neuron = net.add_neurons("n1", lif_model, 1);
  const syn::population stim = net.add_sources("stim", {input_times});

  // A weight in mV is the peak of the PSP one input produces on the neuron at rest; the engine
  // scales the current so that the PSP (rise, decay and membrane filtering together) peaks there.
  net.connect(stim[0], neuron[0],
              {.receptor = ampa_id, .weight = 6.0, .unit = syn::weight_unit::mV, .delay = 1.0});

  // The simulator takes a snapshot of the network; nothing is stepped: V is computed in closed
  // form between events, and the threshold crossing is found exactly.
  syn::simulator sim(net);
  sim.record_v({neuron[0]}, sample_interval);
  sim.run(duration);
  return {std::move(sim), neuron[0]};
}

// spikes() lists every spike in time order, the sources' included; keep the neuron's.
std::vector<double> spike_times(const trial& t) {
  std::vector<double> times;
  for (const syn::spike& s : t.sim.spikes())
    if (s.node == t.neuron) times.push_back(s.time);
  return times;
}

double peak_v(const syn::simulator& sim) {
  const auto& samples = sim.samples();
  return std::max_element(samples.begin(), samples.end(), [](const auto& a, const auto& b) {
           return a.v < b.v;
         })->v;
}

// V every 1 ms as a bar from rest to threshold ('|' marks the threshold).
void print_trace(const syn::simulator& sim) {
  const auto column = [](double v) {
    return std::clamp(static_cast<int>((v - rest) / (threshold - rest) * trace_width + 0.5), 0,
                      trace_width);
  };
  const auto& samples = sim.samples();
  for (std::size_t i = 0; i < samples.size(); i += 10) {  // 10 samples of 0.1 ms
    std::string bar(trace_width + 1, ' ');
    std::fill_n(bar.begin(), column(samples[i].v), '#');
    bar[trace_width] = '|';
    fmt::print("  {:5.1f} ms  {:7.2f} mV  {}\n", samples[i].time, samples[i].v, bar);
  }
}

}  // namespace

int main() {
  const trial single = simulate({1.0});
  fmt::print("One input at 1 ms (arrives at 2 ms): {} spikes, highest V = {:.2f} mV "
             "(threshold {} mV)\n",
             spike_times(single).size(), peak_v(single.sim), threshold);

  const trial triple = simulate({1.0, 2.5, 4.0});
  const std::vector<double> spikes = spike_times(triple);
  fmt::print("Three inputs at 1, 2.5 and 4 ms: {} spike(s) at {:.4f} ms\n", spikes.size(),
             fmt::join(spikes, ", "));
  fmt::print("\nV with three inputs (reset to rest at the spike; the current still flowing "
             "lifts V again):\n");
  print_trace(triple.sim);

  // Run as a test: the point of the example must hold.
  return spike_times(single).empty() && spikes.size() == 1 ? EXIT_SUCCESS : EXIT_FAILURE;
}
