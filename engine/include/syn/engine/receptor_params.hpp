#pragma once

#include <optional>

#include "syn/engine/neuron_params.hpp"

namespace syn {

enum class kinetics {
  jump,     // delta current: the PSP is a jump of V decaying with tau_m (weights in mV only)
  current,  // exponential (rise 0), bi-exponential (rise < decay) or alpha (rise == decay)
};

// Whether a receptor excites or inhibits: stated, or decided per neuron by comparing the
// reversal potential with the neuron's rest (the same transmitter can do both).
enum class effect { from_reversal, excitatory, inhibitory };

struct receptor_params {
  kinetics kind = kinetics::current;
  double rise = 0.0;                 // ms, 0 for a single exponential, <= decay
  double decay = not_set;            // ms, required for current kinetics, > 0
  std::optional<double> reversal{};  // mV, needed by nS weights and by effect::from_reversal
  effect sign = effect::from_reversal;
  // mM of extracellular Mg2+ blocking the channel, 0 for none: the conductance is scaled by
  // B(V) = 1 / (1 + mg_block / 3.57 mM * exp(-0.062 V/mV)) (Jahr & Stevens 1990, NMDA). Needs
  // weights in nS.
  double mg_block = 0.0;
};

}  // namespace syn
