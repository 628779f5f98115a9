#pragma once

// Reversal potentials from ion concentrations: Nernst for one ion, Goldman-Hodgkin-Katz for
// several (docs/language.md, "Ions"). A receptor that lists its ions and states no reversal gets
// its reversal on each neuron from that neuron's concentrations and temperature.

#include <optional>
#include <span>
#include <string>

#include "semantics/ion_environment.hpp"
#include "semantics/model.hpp"

namespace syn::dsl {

// CODATA 2018, exact since the 2019 SI: R = N_A k, F = N_A e.
inline constexpr double gas_constant = 8.31446261815324;  // J / (mol K)
inline constexpr double faraday = 96485.33212331001;      // C / mol

// RT/F in mV at `temperature` (K).
double thermal_voltage(double temperature);

// E = RT/(zF) ln(out/in), mV; concentrations in any one unit.
double nernst(int charge, double inside, double outside, double temperature);

struct permeant {
  int charge;
  double inside;
  double outside;
  double permeability;  // relative
};

// The potential (mV) at which the GHK currents of `ions` sum to zero. Monovalent ions only: the
// closed form RT/F ln((Σ P c_out (cations) + Σ P c_in (anions)) / (Σ P c_in + Σ P c_out)).
// With a divalent ion there is none: bisection of the summed currents, which increase with V,
// between the lowest and the highest of the ions' Nernst potentials, to the last bit.
double ghk(std::span<const permeant> ions, double temperature);

struct computed_reversal {
  double mV;
  std::string how;  // "Nernst, K+: K_in 140 mM, K_out 5 mM, 310.15 K"
};

// The reversal `r`'s ions (all known ions, a permeability each or none) give on a neuron with
// `e`; nullopt when it lists none.
std::optional<computed_reversal> reversal_from_ions(const receptor_info& r,
                                                    const ion_environment& e);

// Whether `r`'s reversal depends on the neuron: it lists ions and states no reversal.
inline bool reversal_per_neuron(const receptor_info& r) {
  return !r.params.reversal && !r.ions.empty();
}

// How far (mV) a stated reversal may lie from the one its ions give before `syn check` warns:
// more than the spread of measured reversals of one receptor (GABA_A's -60 to -80 mV), less than
// a wrong ion (Cl- at 0 mV) or a sign error.
inline constexpr double max_reversal_gap = 20.0;

// `r`'s reversal on a neuron with `e`: stated, or computed from its ions; nullopt for neither.
std::optional<double> reversal_on(const receptor_info& r, const ion_environment& e);

// "-89.1 mV (Nernst, K+: K_in 140 mM, K_out 5 mM, 310.15 K, on Pyramidal)"; `on` "" leaves the
// neuron out.
std::string explained(const computed_reversal& c, const std::string& on);

}  // namespace syn::dsl
