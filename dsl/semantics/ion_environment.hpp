#pragma once

// The ion concentrations either side of a neuron's membrane and its temperature, from which the
// reversal potentials of receptors that list their ions follow (semantics/reversal_potential).
// They are neuron properties, inherited and overridden as the others are, but the engine never
// sees them: only the reversal potentials computed from them reach it.

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "semantics/units.hpp"

namespace syn::dsl {

// Defaults: a mammalian neuron at 37 °C, within the ranges of Purves et al., Neuroscience (6th
// ed. 2018, Table 2.1) and Hille, Ion Channels of Excitable Membranes (3rd ed. 2001, Table 1.1);
// E_K -89 mV, E_Na +61 mV, E_Cl -70 mV, E_Ca +132 mV (docs/language.md, "Ions").
struct ion_environment {
  double K_in = 140.0;  // mM
  double K_out = 5.0;
  double Na_in = 15.0;
  double Na_out = 145.0;
  double Cl_in = 8.0;
  double Cl_out = 110.0;
  double Ca_in = 1e-4;  // 100 nM
  double Ca_out = 2.0;
  double temperature = 310.15;  // K

  bool operator==(const ion_environment&) const = default;
};

struct ion_property {
  const char* name;
  dimension dim;     // concentration or temperature
  const char* what;  // one line for :help
  double ion_environment::*field;

  std::string text(const ion_environment& e) const;  // the value with its unit
  bool stated(const ion_environment& e) const { return e.*field != ion_environment{}.*field; }
};

std::span<const ion_property> ion_properties();
const ion_property* find_ion_property(std::string_view name);

}  // namespace syn::dsl
