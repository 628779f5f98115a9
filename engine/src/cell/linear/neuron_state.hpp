#pragma once

#include <cstdint>

#include "scheduling/scheduler.hpp"

namespace syn::detail {

// What every synaptic event reads and writes of its target, in one cache line.
struct alignas(64) neuron_state {
  // Excitation, in mV of PSP peak, the neuron can absorb before its pending event (or, with
  // none pending, the claim that it never fires) may be wrong.
  // Membrane-only rising models: instead, the amplitude limit of watch().
  double budget = 0.0;
  // Mode form: the amplitude of u's own mode, which every input changes, kept here rather than
  // in the state vector so that a jump touches one line; the other modes are in the vector.
  double amplitude = 0.0;
  // Of its state in the kind's state vector: all of it (propagator form), or the amplitudes of
  // the modes after u's.
  std::uint64_t offset = 0;
  std::uint64_t epoch = 0;  // mode form: the epoch of the stored amplitudes
  // Mode form: u at the instant being processed, kept exact as the propagator form keeps it (a
  // jump to exactly threshold fires): either u itself (`instant_exact`: set at v0, a crossing
  // or a reset, plus the jumps since) or the sum of the instant's jumps (0 without any). The
  // amplitude of u's mode holds neither until the next instant, so that u before them is at
  // hand.
  double instant_time = -1.0;
  double instant_u = 0.0;
  double instant_amplitude = 0.0;  // the instant's change of u's amplitude, not yet added
  bool instant_exact = false;
  pending next = pending::none;
  bool refractory = false;
  bool touched = false;
  std::uint8_t rechecks = 0;  // rechecks since excitation last spent the budget
  // Watched coarsely (see window_pass.hpp): no event pending, the budget holds until the next
  // watch instant, and inputs are charged their effect over a window, not their peak.
  bool coarse = false;
};

}  // namespace syn::detail
