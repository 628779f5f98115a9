#pragma once

#include <cstddef>
#include <cstdint>
#include <exception>
#include <memory>
#include <vector>

#include "parallel/sample_merge.hpp"
#include "scheduling/event_loop.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/process_group.hpp"
#include "syn/engine/record_sink.hpp"
#include "syn/engine/simulator.hpp"

namespace syn::detail {

// A network split into parts (see shard), each simulated by its own event loop on its own
// thread, in epochs no longer than the smallest delay: a spike emitted in an epoch arrives after
// it ends, so each part runs its epoch alone, and the parts exchange the epoch's spikes at its
// end. Each neuron then sees the same inputs at the same instants, added in the same order (the
// event queue's key holds no part-dependent number), as in one loop over the whole network: the
// spikes and samples are the same, bit for bit, whatever the number of parts. With one part
// there are no epochs: the loop runs as it always has.
//
// Over several processes (`group`), each holds `threads` parts of the K * threads, those onto
// whose neurons its network has synapses (dsl/lowering: each process builds its own); the
// epochs' spikes then go to every process, its samples to process 0, which alone keeps or
// streams the records.
class epoch_loop {
 public:
  epoch_loop(const network& net, std::uint32_t threads, process_group* group);

  void record_v(std::vector<node_id> neurons, double interval);
  void stream_to(record_sink* sink);
  void limit_memory(std::size_t bytes);
  void run_until(double end);

  double time() const { return parts_[0]->time(); }
  double next_time() const;
  std::vector<pending_event> pending_events(std::size_t count) const;
  double v(node_id neuron) const;
  membrane_point v_at(node_id neuron, double t) const;
  const std::vector<spike>& spikes() const;
  const std::vector<sample>& samples() const;
  const run_stats& stats() const;
  // Of all processes.
  std::uint64_t synapse_count() const { return synapses_[0]; }
  std::uint64_t synapse_bytes() const { return synapses_[1]; }
  // This process's parts.
  std::uint32_t parts() const { return static_cast<std::uint32_t>(parts_.size()); }
  // The smallest delay, the longest an epoch may be (infinity without synapses).
  double epoch_length() const { return min_delay_; }

 private:
  // What every part does in one step of a run, between two exchanges.
  struct step {
    enum class kind { epoch, last_epoch, deliver_only } what = kind::epoch;
    double limit = 0.0;  // the epoch's end; the run's last event time for the last epoch
  };
  // A part's failure in a step, and where a single loop would have met it: at `time`, after the
  // instant's events when it was met taking a sample, by node among simultaneous ones. The first
  // of a step's failures in that order is the one a single loop would have met first.
  struct failure {
    std::exception_ptr error;
    double time = 0.0;
    bool sampling = false;
    node_id node = 0;
  };
  class one_process;

  event_loop& owner_of(node_id neuron) const;
  step plan(double from, double last) const;
  // One part's share of a step: the other parts' spikes of the last epoch sent along its
  // synapses, then the step.
  void take_step(std::uint32_t part, const step& s, double end);
  // Between steps, on one thread: the step's records merged and passed on, the parts' failures
  // looked at, and the next step planned; false when the run is over.
  bool exchange(step& next, double end, double last);
  // The earliest failure of all processes', on every process, if any.
  bool take_failure(double earliest);
  void adapt_span(double records);
  void take_samples(double limit, bool inclusive);
  void flush_records();
  void sum_stats();

  std::unique_ptr<process_group> own_group_;  // when alone
  process_group* group_;
  std::uint32_t first_part_;  // the global index of this process's first part
  std::uint32_t all_parts_;   // of all processes
  std::vector<std::unique_ptr<event_loop>> parts_;
  std::vector<population> populations_;  // to find a neuron's part
  std::vector<spike> mine_;              // this process's spikes of the last epoch
  process_group::gathered all_;          // ... and every process's, with their numbers
  std::vector<failure> failures_;        // by part, of the present step
  sample_merge samples_merge_;           // process 0's
  bool recording_ = false;
  std::uint64_t synapses_[2] = {0, 0};  // count and bytes, of all processes
  double min_delay_;
  double span_;  // ms: the longest epoch for the records it brings (adapt_span)
  record_sink* sink_ = nullptr;
  std::vector<spike> spikes_;  // merged, unless streamed
  std::vector<sample> samples_;
  run_stats stats_;  // of all processes
};

}  // namespace syn::detail
