#pragma once

#include <cstdint>

namespace syn {

using node_id = std::uint32_t;

struct spike {
  double time;  // ms
  node_id node;
  friend bool operator==(const spike&, const spike&) = default;
};

struct sample {
  double time;  // ms
  node_id node;
  double v;  // mV
  friend bool operator==(const sample&, const sample&) = default;
};

// A neuron's membrane potential and its slope at one time (simulator::v_at).
struct membrane_point {
  double v;      // mV
  double slope;  // dV/dt, mV/ms
};

}  // namespace syn
