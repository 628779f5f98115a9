#include "semantics/value_ranges.hpp"

namespace syn::dsl {

const value_range* range_of(dimension dim) {
  // Each limit is at least 50 times the largest value a real model takes (the hint), and the
  // engine's products of them stay finite by far: the largest, a current times a time constant
  // over a capacitance, is at most 1e21 mV.
  static const value_range table[] = {
      {dims::voltage, 1e4, true, "10,000 mV (10 V)",
       "real membrane and reversal potentials, and PSPs, stay within a few hundred mV"},
      {dims::current, 1e9, true, "1e9 pA (1 mA)",
       "real synaptic and injected currents stay below 100 nA"},
      {dims::conductance, 1e9, false, "1e9 nS (1 S)", "real synaptic conductances stay below 1 uS"},
      {dims::capacitance, 1e6, false, "1e6 pF (1 uF)",
       "a whole neuron's membrane has a few nF at most"},
      {dims::time, max_time, false, "1e9 ms (about 11.6 days)",
       "up to it a double holds milliseconds to 0.1 ns, finer than the shortest time constant "
       "(1 ns)"},
      {dims::rate, 1e3, false, "1e6 Hz (1 MHz)",
       "real neurons fire below 1 kHz; many sources are written N x poisson RATE"},
      {dims::length, 1e6, false, "1e6 um (1 m)",
       "dendrites and their length constants measure a few mm at most"},
      {dims::concentration, 1e4, false, "1e4 mM (10 M)",
       "real ion concentrations stay below 200 mM"},
  };
  for (const value_range& r : table)
    if (r.dim == dim) return &r;
  return nullptr;
}

const value_range* range_of(dimension dim, std::string_view property) {
  // Past 1 M of magnesium every synapse is blocked beyond any use, and B(V) only slows the
  // engine's steps.
  static const value_range mg_block{dims::concentration, 1e3, false, "1000 mM (1 M)",
                                    "physiological Mg2+ is 1-2 mM"};
  if (property == "mg_block" && dim == mg_block.dim) return &mg_block;
  return range_of(dim);
}

}  // namespace syn::dsl
