#pragma once

#include <cstdint>

#include "scheduling/scheduler.hpp"

namespace syn::detail {

// What every synaptic event reads and writes of its target, in one cache line: with two modes
// besides u's (a current-based neuron with two receptors, as in CUBA), their amplitudes too, so
// that an event waits for memory once, not twice.
struct alignas(64) neuron_state {
  // Excitation, in mV of PSP peak, the neuron can absorb before its pending event (or, with
  // none pending, the claim that it never fires) may be wrong.
  // Membrane-only rising models: instead, the amplitude limit of watch().
  double budget = 0.0;
  // Mode form: the amplitude of u's own mode, which every input changes, kept here rather than
  // with the others so that a jump needs nothing else.
  double amplitude = 0.0;
  // Mode form: u at the instant being processed, kept exact as the propagator form keeps it (a
  // jump to exactly threshold fires): either u itself (`instant_exact`: set at v0, a crossing
  // or a reset, plus the jumps since) or the sum of the instant's jumps (0 without any). The
  // amplitude of u's mode holds neither until the next instant, so that u before them is at
  // hand.
  double instant_time = -1.0;
  double instant_u = 0.0;
  double instant_amplitude = 0.0;  // the instant's change of u's amplitude, not yet added
  // The rest of its state: the amplitudes of the modes after u's, here when its model has room
  // for them (linear_cells::others_here), or where they are in the kind's state vector, as is
  // all of it in the propagator form.
  static constexpr std::uint32_t room = 2;
  union {
    double others[room];
    std::uint64_t offset = 0;
  };
  // Mode form: the epoch of the stored amplitudes, in 48 bits (runs end before linear_cells'
  // horizon, where epochs would reach 2^48), read and written apart from the flags: a load that
  // spans bytes just stored narrower waits for them to reach the cache.
  std::uint32_t epoch_low = 0;
  std::uint16_t epoch_high = 0;
  std::uint8_t next : 3 = static_cast<std::uint8_t>(pending::none);  // a `pending`
  std::uint8_t rechecks : 3 = 0;  // rechecks since excitation last spent the budget
  bool instant_exact : 1 = false;
  bool refractory : 1 = false;
  bool touched : 1 = false;
  // Watched coarsely (see window_pass.hpp): no event pending, the budget holds until the next
  // watch instant, and inputs are charged their effect over a window, not their peak.
  bool coarse : 1 = false;

  static constexpr int epoch_bits = 48;
  std::uint64_t epoch() const { return epoch_low | std::uint64_t{epoch_high} << 32; }
  void set_epoch(std::uint64_t e) {
    epoch_low = static_cast<std::uint32_t>(e);
    epoch_high = static_cast<std::uint16_t>(e >> 32);
  }
  pending what_next() const { return static_cast<pending>(next); }
  void set_next(pending p) { next = static_cast<std::uint8_t>(p); }
};
static_assert(sizeof(neuron_state) == 64);

}  // namespace syn::detail
