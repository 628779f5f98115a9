#pragma once

#include <stdexcept>
#include <string>

#include "syn/engine/records.hpp"

namespace syn {

// A run that cannot go on: a neuron driven so hard that, without refractoriness, it would fire
// again within min_interspike_interval of its last spike. The simulator cannot continue after it.
class run_error : public std::runtime_error {
 public:
  run_error(const std::string& message, node_id node) : std::runtime_error(message), node_(node) {}
  node_id node() const { return node_; }

 private:
  node_id node_;
};

inline constexpr double min_interspike_interval = 1e-6;  // ms: one nanosecond

}  // namespace syn
