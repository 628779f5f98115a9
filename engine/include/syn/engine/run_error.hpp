#pragma once

#include <stdexcept>
#include <string>

#include "syn/engine/records.hpp"

namespace syn {

// A run that cannot go on; the simulator cannot continue after it. Why:
// - runaway: a neuron driven so hard that, without refractoriness, it would fire again within
//   min_interspike_interval of its last spike (first() and second() are the two spikes);
// - non_finite: a neuron's membrane potential is no longer a finite number (at first());
// - memory: the spikes in flight (first(): how many) and the spikes and samples kept (second())
//   took more memory than the simulator was allowed.
class run_error : public std::runtime_error {
 public:
  enum class reason { runaway, non_finite, memory };

  run_error(const std::string& message, node_id node, double first, double second)
      : run_error(reason::runaway, message, node, first, second) {}
  run_error(reason why, const std::string& message, node_id node, double first, double second = 0.0)
      : std::runtime_error(message), why_(why), node_(node), first_(first), second_(second) {}
  reason why() const { return why_; }
  node_id node() const { return node_; }
  double first() const { return first_; }    // ms: the spike before; the time V went non-finite
  double second() const { return second_; }  // ms: the one less than 1 ns later; records kept

 private:
  reason why_;
  node_id node_;
  double first_;
  double second_;
};

inline constexpr double min_interspike_interval = 1e-6;  // ms: one nanosecond

}  // namespace syn
