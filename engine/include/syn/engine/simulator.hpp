#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "syn/engine/network.hpp"
#include "syn/engine/process_group.hpp"
#include "syn/engine/record_sink.hpp"
#include "syn/engine/records.hpp"

namespace syn {

struct run_stats {
  std::uint64_t events = 0;         // queue entries processed (stale predictions included)
  std::uint64_t deliveries = 0;     // synaptic events: one per synapse per presynaptic spike
  std::uint64_t spikes = 0;         // neuron and source spikes
  std::uint64_t neuron_spikes = 0;  // neuron spikes alone
  std::uint64_t predictions = 0;    // threshold predictions that needed more than the cheap bound
  std::uint64_t window_checks = 0;  // neurons' bounds taken again at coarse watch instants
  std::uint64_t epochs = 0;         // exchanges of spikes between threads (none with one)
};

// An event waiting in the simulator's queues, for a front end to show (the REPL's `queue`).
struct pending_event {
  enum class kind {
    source_spike,    // a source's next spike
    delivery,        // a spike of `node` reaching `targets` synapses after `delay`
    crossing,        // neuron `node` is predicted to reach threshold
    recheck,         // neuron `node` re-examines a bound on its next crossing
    refractory_end,  // neuron `node` leaves its refractory period
    start,           // neuron `node` starts (it was added to a growing network)
  } what;
  double time;  // ms
  node_id node;
  std::uint32_t targets = 0;
  double delay = 0.0;
};

// The cores this process may run on (its CPU affinity, which mpirun narrows to one core a
// process), at least 1: as many threads as there are cores keep each busy.
std::uint32_t usable_cores();

// Runs a network without a time step: each neuron is advanced analytically from one event to
// the next and its next threshold crossing is predicted exactly (see threshold_crossing.hpp).
class simulator {
 public:
  // Splits the network over `threads` threads (at least 1) and, with a group, over its processes:
  // the spikes and samples are the same, bit for bit, for any numbers. Each process's `net` then
  // holds every population but only the synapses onto its own neurons (neuron index i belongs to
  // the process rank = i % (size * threads) / threads); spikes(), samples() and streaming are
  // process 0's, and stats() and synapse_count() count all processes.
  explicit simulator(const network& net, std::uint32_t threads = 1, process_group* group = nullptr);
  ~simulator();
  simulator(simulator&&) noexcept;
  simulator& operator=(simulator&&) noexcept;

  // Samples V of `neurons` at t = k * interval (k = 0, 1, ...) for every such t the runs reach,
  // k * interval computed exactly in decimal from the interval as it prints (0.1, not its binary
  // value) and rounded once: the 82nd sample of 0.1 ms is at 8.2 ms, not 8.200000000000001.
  void record_v(std::vector<node_id> neurons, double interval);
  // Sends the spikes and samples to `sink` as they come (those kept so far first), instead of
  // keeping them in spikes() and samples(); null keeps them again. The sink must outlive the
  // runs.
  void stream_to(record_sink* sink);
  // A run whose spikes in flight (one per spike and delay group, or per synapse with a delay of
  // its own) and records kept (spikes() and samples(), when not streamed) take more than `bytes`
  // throws run_error (reason memory) rather than exhaust the machine's memory. Unlimited by
  // default.
  void limit_memory(std::size_t bytes);

  // Advances to time() + duration (ms), processing every event at or before that instant.
  // Splitting a run into several calls gives bit-identical results. Throws run_error when a
  // neuron runs away or its V is no longer finite, or too many spikes are in flight (see
  // run_error.hpp).
  void run(double duration);
  // Advances to the absolute time `end` (ms, not before time()). A front end that knows its run
  // ends exactly (3 x 0.3 ms ends at 0.9, not at 0.3 + 0.3 + 0.3) passes them here. Runs end
  // before 2^48 epochs of the current-based models, an epoch being 30 of a model's fastest time
  // constants (8.4e9 ms with the language's shortest, 1 ns; its runs end by 1e9 ms); model_error
  // for an end at or past.
  void run_until(double end);

  double time() const;
  // The time of the next pending event (infinity when none), and the first `count` pending
  // events in the order they will be processed.
  double next_event_time() const;
  std::vector<pending_event> pending_events(std::size_t count) const;
  double v(node_id neuron) const;  // membrane potential at time(), mV
  // V of `neuron` and its slope at t >= time(), as the neuron evolves when nothing touches it:
  // exact up to the next event that does (an input arriving, its spike, the end of its
  // refractory period), as the samples are. Reset and slope 0 while refractory. For
  // measurements (the PSP's peak and width, found on the trajectory itself); nothing changes.
  membrane_point v_at(node_id neuron, double t) const;
  // What the runs produced, unless streamed (stream_to).
  const std::vector<spike>& spikes() const;    // in (time, node) order
  const std::vector<sample>& samples() const;  // in (time, recorder, listed order)
  const run_stats& stats() const;
  std::uint64_t synapse_count() const;
  std::uint64_t synapse_bytes() const;  // memory of the synapse store
  std::uint32_t threads() const;
  // With several threads, the longest epoch between their exchanges of spikes: the smallest
  // delay (infinity without synapses).
  double epoch_length() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace syn
