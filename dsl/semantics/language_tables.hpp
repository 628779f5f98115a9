#pragma once

// The properties the language knows, with their units and meaning: the checker validates
// against these tables, and the REPL's :help is generated from them.

#include <span>

#include "semantics/units.hpp"

namespace syn::dsl {

struct property_info {
  const char* name;
  dimension dim;     // dims::none for words and lists
  const char* what;  // one line for :help
};

std::span<const property_info> neuron_properties();
std::span<const property_info> receptor_properties();

}  // namespace syn::dsl
