#pragma once

#include <cstdint>
#include <limits>

namespace syn {

// Trains generated while the simulation runs: the simulator holds only the next spike of each
// source, so a train's length costs no memory. Both are half-open, spiking at t < stop.

// Spikes at start + k * interval, k = 0, 1, ... (a product, so no rounding accumulates).
struct regular_train {
  double start = 0.0;     // ms, >= 0
  double interval = 0.0;  // ms, > 0
  double stop = std::numeric_limits<double>::infinity();
};

// Exponential intervals of mean 1 / rate from `start`. Source i of a population draws from
// random_stream(seed, purpose, first_index + i), so its spikes do not depend on how long the
// simulation runs or on the other sources.
struct poisson_train {
  double rate = 0.0;   // spikes per ms, >= 0
  double start = 0.0;  // ms, >= 0
  double stop = std::numeric_limits<double>::infinity();
  std::uint64_t seed = 0;
  std::uint64_t purpose = 0;
  std::uint64_t first_index = 0;
};

}  // namespace syn
