#pragma once

// An independent, slow, 50-digit reference for one leaky integrate-and-fire neuron (SPEC §1)
// with current synapses only (weights in mV or pA, jump inputs); conductance_reference.hpp adds
// conductances (weights in nS).
// It shares only the parameter structs with the engine: the membrane potential between events is
// written as explicit convolution integrals of the receptor kernels (closed forms, including the
// degenerate equal-time-constant limits), and threshold crossings are found by dense sampling
// plus bisection-safeguarded Newton in multiprecision.

#include <boost/multiprecision/cpp_bin_float.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "syn/engine/network.hpp"

namespace syn::reference {

using real = boost::multiprecision::cpp_bin_float_50;

struct synapse {
  std::uint32_t receptor = 0;
  double weight = 0.0;  // magnitude in `unit`
  weight_unit unit = weight_unit::mV;
  double distance = 0.0;  // um
};

struct input {
  double time = 0.0;  // arrival at the neuron, ms
  std::uint32_t synapse = 0;
};

struct cell {
  neuron_params neuron;  // v0 unset means rest
  std::vector<receptor_params> receptors;
  std::vector<synapse> synapses;
  std::vector<input> inputs;  // any order
};

struct options {
  double samples_per_tau = 8;       // screening grid: samples per smallest time constant
  double grazing_tolerance = 1e-9;  // mV: a maximum this close to threshold is ill-conditioned
  double slope_tolerance = 1e-5;    // mV/ms: a crossing this slow is ill-conditioned
  double timing_tolerance = 1e-9;   // ms: a spike this close to a jump input or the run's end
};

struct result {
  std::vector<real> spikes;  // ms
  real v_end;                // mV, at the end of the run
  // Why double precision cannot be expected to reproduce the spikes (the first reason found).
  std::optional<std::string> ill_conditioned;
};

// Simulates [0, duration]: events at exactly `duration` still happen.
result simulate(const cell& c, double duration, const options& opt = {});

// Peak of the receptor's current kernel before normalisation (current kinetics).
real current_peak(const receptor_params& r);

// Peak PSP (mV) of a current kernel scaled to a 1 pA peak, into 1 pF, on a neuron at rest.
real psp_peak(double tau_m, const receptor_params& r);

// Signed, attenuated size of one input: the jump of V (mV) for jump kinetics, otherwise the peak
// current over capacitance (pA/pF = mV/ms). Weights in mV or pA: nS weights are conductances.
real input_scale(const neuron_params& n, const receptor_params& r, const synapse& s);

}  // namespace syn::reference
