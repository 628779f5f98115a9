#pragma once

// The ions a receptor may list (`ions = [Na+, K+]`): those whose concentrations a neuron holds.

#include <span>
#include <string>
#include <string_view>
#include <variant>

#include "semantics/ion_environment.hpp"

namespace syn::dsl {

struct ion {
  const char* symbol;   // as written: K+, Ca2+
  const char* element;  // K, Ca
  int charge;
  double ion_environment::*inside;
  double ion_environment::*outside;
  const char* inside_name;  // the neuron properties: K_in, K_out
  const char* outside_name;
};

std::span<const ion> known_ions();

struct ion_error {
  std::string message;
  std::string hint;
};

// The ion `word` names, or why it names none: an element Syn has no concentrations of, or a
// known element with the wrong charge (Cl+), each message naming the ion.
std::variant<const ion*, ion_error> read_ion(std::string_view word);

// "K+, Na+, Cl-, Ca2+", for hints.
std::string known_ion_list();

}  // namespace syn::dsl
