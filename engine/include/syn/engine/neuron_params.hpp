#pragma once

#include <limits>
#include <optional>

namespace syn {

// Units of the whole engine API: time ms, potential mV, current pA, capacitance pF,
// conductance nS, distance um. pA x (ms / pF) = mV, so no conversion factors appear.

inline constexpr double not_set = std::numeric_limits<double>::quiet_NaN();

// The shortest time constant accepted (ms): one nanosecond. Shorter ones are far outside
// neuroscience and would make every rate, and the events they cause, overflow.
inline constexpr double min_time_constant = 1e-6;
// The shortest tau_m of a neuron with conductance synapses (ms): one microsecond. Its V is
// computed in steps of a fraction of the membrane's time constant while a conductance is open.
inline constexpr double min_conductance_tau_m = 1e-3;

// A leaky integrate-and-fire point neuron with linear sub-threshold dynamics:
//   tau_m dV/dt = -(V - rest) + (tau_m / capacitance) (I_syn(t) + bias).
// It spikes when V reaches threshold, then V is held at reset for `refractory`.
struct neuron_params {
  double rest = not_set;                // mV, required
  double threshold = not_set;           // mV, required, above reset
  std::optional<double> reset{};        // mV, default rest
  double refractory = 0.0;              // ms
  double tau_m = not_set;               // ms, required, > 0
  std::optional<double> capacitance{};  // pF, needed by pA and nS weights and by bias
  double bias = 0.0;                    // pA, constant input current
  double length_constant = std::numeric_limits<double>::infinity();  // um
  std::optional<double> v0{};  // mV, initial potential, default rest

  bool operator==(const neuron_params&) const = default;
};

}  // namespace syn
