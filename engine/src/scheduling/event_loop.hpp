#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <vector>

#include "cell/cell_kinds.hpp"
#include "recording/v_recorders.hpp"
#include "scheduling/scheduler.hpp"
#include "sources/source_trains.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/simulator.hpp"

namespace syn::detail {

// The simulation's time: instant after instant, the coarse watch's pass first, then the neurons'
// own events, then the spikes arriving (SPEC §1's order, README "Scheduler"), then every neuron
// touched is settled by its kind. The kinds (cell/cell_kinds.hpp) hold the neurons' state; the
// scheduler the queues they share. One event loop simulates one part of the network (see shard)
// with the synapses onto its neurons: the spikes of the other parts reach it through send().
class event_loop {
 public:
  event_loop(const network& net, shard part);

  // A whole run, for a loop that simulates the whole network.
  void run_until(double end);
  // Throws model_error unless a run may end at `end`.
  void check_end(double end) const;
  // A run in steps (parallel/epoch_loop.hpp): the first instant, 0, once; then every event
  // before `limit` (or at it, when `inclusive`), with the samples before it when not; then the
  // run's end, its last samples.
  void start();
  bool started() const { return started_; }
  void advance(double limit, bool inclusive);
  void end_run(double end);
  // A spike of `node` at t, sent along the synapses held here: from then on, every spike, this
  // part's too, comes this way, at the epochs' ends.
  void send(node_id node, double t) { sched_.send(node, t); }
  void send_at_exchanges() { sched_.sends_at_exchanges = true; }
  // The latest sample time that a run to `end` takes (v_recorders::last_due).
  double last_due(double end) const { return recorders_.last_due(end); }
  double next_sample_time() const { return recorders_.next_time(); }

  double time() const { return now_; }
  double next_time() const;
  std::vector<pending_event> pending_events(std::size_t count) const;

  void record_v(std::vector<node_id> neurons, double interval);
  void stream_to(record_sink* sink) {
    sink_ = sink;
    flush_records();
  }
  void limit_memory(std::size_t bytes) { max_bytes_ = bytes; }
  double v(node_id neuron);
  membrane_point v_at(node_id neuron, double t);
  const std::vector<spike>& spikes() const { return sched_.spikes; }
  const std::vector<sample>& samples() const { return recorders_.samples(); }
  std::vector<spike>& spikes() { return sched_.spikes; }
  std::vector<sample>& samples() { return recorders_.samples(); }
  const run_stats& stats() const { return sched_.stats; }
  const synapse_store& synapses() const { return *sched_.synapses; }
  // Whether `node` is a neuron of this part.
  bool holds(node_id node) const {
    return node < neuron_index_.size() && neuron_index_[node] != no_neuron;
  }

 private:
  static constexpr std::uint32_t no_neuron = std::numeric_limits<std::uint32_t>::max();
  // Streamed records leave a chunk at a time: a sink call per instant would cost more than many
  // instants.
  static constexpr std::size_t record_chunk = 4096;

  void process_instant(double t);
  // The calendar's earliest arrival, due at t, delivered.
  void deliver_single(double t);
  // Instants of nothing but the calendar's arrivals, up to the next of any other kind or the
  // limit, taken as process_instant would.
  void take_singles(double limit, bool inclusive);
  // Hands the spikes and samples kept so far to the sink, if any.
  void flush_records();
  // Throws run_error (memory) when the spikes in flight and the records kept take more than
  // max_bytes_; the queue's vector may double, so it counts twice, and the calendar counts its
  // buffers.
  void check_memory(double t) const;
  void settle(double t);
  double potential(std::uint32_t n, double t) {
    return cells_.of_neuron(n, [&](auto& kind) { return kind.v(n, t); });
  }
  // Samples due before `limit` (at it too, when `inclusive`), a chunk at a time: a stretch
  // without events may hold a whole run's.
  void take_samples(double limit, bool inclusive);

  // By node id, the local index; no_neuron for sources and for other parts' neurons.
  std::vector<std::uint32_t> neuron_index_;
  scheduler sched_;
  cells cells_;
  source_trains trains_;
  v_recorders recorders_;
  record_sink* sink_ = nullptr;
  std::size_t max_bytes_ = std::numeric_limits<std::size_t>::max();
  double now_ = 0.0;
  bool started_ = false;
  double horizon_;  // ms: the cell kinds' (see check_end)
};

}  // namespace syn::detail
