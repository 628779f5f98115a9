#pragma once

// What the two conductance references (conductance_reference.hpp, mg_block_reference.hpp) share:
// when they call a spike or a sample ill-conditioned, and what a run returns, in the number type
// of each (the 50-digit `real`, or __float128).

#include <optional>
#include <string>
#include <vector>

#include "reference_neuron.hpp"

namespace syn::reference {

using quad = __float128;

inline double to_double(const real& x) { return x.convert_to<double>(); }
inline double to_double(quad x) { return static_cast<double>(x); }

inline quad abs(quad x) { return x < 0 ? -x : x; }

// To __float128 and back, exactly to its precision: as sums of doubles.
inline quad to_quad(const real& x) {
  const double hi = x.convert_to<double>();
  const real rest = x - hi;
  const double mid = rest.convert_to<double>();
  return quad(hi) + quad(mid) + quad((rest - mid).convert_to<double>());
}

inline real to_real(quad x) {
  const double hi = static_cast<double>(x);
  const quad rest = x - hi;
  const double mid = static_cast<double>(rest);
  return real(hi) + real(mid) + real(static_cast<double>(rest - mid));
}

template <class Number>
Number to_number(const real& x);
template <>
inline real to_number<real>(const real& x) {
  return x;
}
template <>
inline quad to_number<quad>(const real& x) {
  return to_quad(x);
}

// When double precision cannot be expected to reproduce what the reference computes.
struct conditioning {
  double grazing_tolerance = 1e-9;  // mV: a maximum this close to threshold is ill-conditioned
  double timing_tolerance = 1e-9;   // ms: a spike this close to an input or the run's end
  // mV: what double arithmetic may get wrong in V. A crossing whose slope turns this (plus what
  // an earlier spike's timing error has left in V) into more than timing_tolerance is
  // ill-conditioned: with no earlier error, slopes below 1e-5 mV/ms, as in reference_neuron.
  double potential_error = 1e-14;
  // mV: a sample that an earlier spike's timing error may have moved by more is ill-conditioned.
  double sample_tolerance = 1e-10;
};

template <class Number>
struct sample {
  Number v;  // mV, after every event at the sample's time
  bool ill_conditioned = false;
};

template <class Number>
struct sampled_result {
  std::vector<Number> spikes;           // ms
  std::vector<sample<Number>> samples;  // one per requested time
  Number v_end;                         // mV, at the end of the run
  // Why double precision cannot be expected to reproduce the spikes (the first reason found).
  std::optional<std::string> ill_conditioned;
};

}  // namespace syn::reference
