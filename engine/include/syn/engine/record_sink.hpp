#pragma once

#include <span>

#include "syn/engine/records.hpp"

namespace syn {

// Where a run's spikes and samples go as it produces them (simulator::stream_to). With a sink
// the simulator keeps neither, so its memory does not grow with the length of a run. Batches
// come in order and each continues the one before: spikes in (time, node) order, samples in
// (time, recorder, listed) order. An exception thrown here (a write error) ends the run.
class record_sink {
 public:
  virtual ~record_sink() = default;
  virtual void take(std::span<const spike> spikes) = 0;
  virtual void take(std::span<const sample> samples) = 0;
};

}  // namespace syn
