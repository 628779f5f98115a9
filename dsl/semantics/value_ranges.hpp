#pragma once

// How far a quantity may go, per dimension: bounds far beyond any real neuron that keep the
// engine's arithmetic finite, where `weight 1e306 mV` made V NaN and `bias = 1e308 pA` fired a
// neuron at 5e-324 ms. docs/language.md ("Value ranges") gives the reason for each.

#include <string_view>

#include "semantics/units.hpp"

namespace syn::dsl {

struct value_range {
  dimension dim;
  double limit;  // engine units
  // The limit bounds the magnitude (potentials, currents, which are signed); else the value
  // from above only, its sign being refused where it matters (a negative delay, a weight).
  bool two_sided;
  const char* limit_text;  // the limit as messages state it: "10,000 mV (10 V)"
  const char* why;         // the hint of those messages
};

// The range of quantities of `dim`; nullptr for plain numbers, whose checks are their own.
const value_range* range_of(dimension dim);

// The range of the property named `property`, where it has its own (mg_block), else its
// dimension's.
const value_range* range_of(dimension dim, std::string_view property);

// The smallest capacitance (pF): 1 fF, below any neuron's, so that a current divided by it stays
// within the potentials' range.
inline constexpr double min_capacitance = 1e-3;

// The latest time a simulation reaches (ms), the limit of every time: up to it a double holds
// milliseconds to 0.1 ns.
inline constexpr double max_time = 1e9;

}  // namespace syn::dsl
