#include "semantics/language_tables.hpp"

namespace syn::dsl {

std::span<const property_info> neuron_properties() {
  static constexpr property_info table[] = {
      {"rest", dims::voltage, "resting potential (required)"},
      {"threshold", dims::voltage, "a spike when V reaches it (required)"},
      {"reset", dims::voltage, "V after a spike; default rest"},
      {"refractory", dims::time, "V held at reset after a spike; default 0 ms"},
      {"tau_m", dims::time, "membrane time constant (required)"},
      {"capacitance", dims::capacitance, "needed by pA and nS weights and by bias"},
      {"bias", dims::current, "constant input current; default 0 pA"},
      {"length_constant", dims::length,
       "dendritic attenuation exp(-x / length_constant) of a synapse `at x um`; default none"},
      {"v0", dims::voltage, "V at the start, or a distribution; default rest"},
  };
  return table;
}

std::span<const property_info> receptor_properties() {
  static constexpr property_info table[] = {
      {"transmitter", dims::none, "a word: glutamate, GABA, dopamine, ..."},
      {"kind", dims::none, "ionotropic or metabotropic"},
      {"ions", dims::none, "a list: [Na+, K+]"},
      {"reversal", dims::voltage, "the sign: EPSP on neurons resting below it, IPSP above"},
      {"rise", dims::time, "rise time constant; default 0 ms (a single exponential)"},
      {"decay", dims::time, "decay time constant (required unless kinetics = jump)"},
      {"kinetics", dims::none, "current (default) or jump: an instantaneous jump of V"},
      {"effect", dims::none, "excitatory or inhibitory, instead of a reversal potential"},
  };
  return table;
}

}  // namespace syn::dsl
