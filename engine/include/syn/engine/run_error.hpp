#pragma once

#include <stdexcept>
#include <string>

#include "syn/engine/records.hpp"

namespace syn {

// A run that cannot go on: a neuron driven so hard that, without refractoriness, it would fire
// again within min_interspike_interval of its last spike. The simulator cannot continue after it.
class run_error : public std::runtime_error {
 public:
  run_error(const std::string& message, node_id node, double first, double second)
      : std::runtime_error(message), node_(node), first_(first), second_(second) {}
  node_id node() const { return node_; }
  double first() const { return first_; }    // ms: the spike before
  double second() const { return second_; }  // ms: the one less than 1 ns later

 private:
  node_id node_;
  double first_;
  double second_;
};

inline constexpr double min_interspike_interval = 1e-6;  // ms: one nanosecond

}  // namespace syn
