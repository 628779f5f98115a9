#pragma once

#include <cstdint>
#include <vector>

#include "parallel/shard.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/random_stream.hpp"

namespace syn::detail {

// The spike sources' trains, generated one spike ahead: a source holds its pending spike time
// and what it needs to draw the next (a counter, or its own random stream). Those of one part of
// the network (see shard), by local index.
class source_trains {
 public:
  source_trains(const network& net, shard part);

  std::uint32_t size() const { return static_cast<std::uint32_t>(sources_.size()); }
  node_id node(std::uint32_t s) const { return sources_[s].node; }
  // The time of source s's pending spike; infinity when its train is over.
  double pending(std::uint32_t s) const { return sources_[s].time; }
  // Moves source s on to its next spike and returns its time (infinity when none is left).
  double advance(std::uint32_t s);

 private:
  struct source {
    network::source_train::kind shape;
    node_id node;
    std::uint32_t rule;    // index into times_, regular_ or poisson_
    std::uint32_t stream;  // index into streams_, for Poisson trains
    std::uint64_t count;   // spikes emitted so far
    double time;
  };
  double draw(std::uint32_t s);

  // Copies, so that the simulator does not depend on the network staying alive.
  std::vector<source> sources_;
  std::vector<std::vector<double>> times_;
  std::vector<regular_train> regular_;
  std::vector<poisson_train> poisson_;
  std::vector<random_stream> streams_;
};

}  // namespace syn::detail
