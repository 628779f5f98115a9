#pragma once

// `syn check --explain`: the reversal potential of each receptor on each neuron type a
// connection reaches through it, and where it comes from (stated, or Nernst or
// Goldman-Hodgkin-Katz from the neuron's ions).

#include <string>

#include "semantics/model.hpp"

namespace syn::dsl {

// One line per (receptor, neuron type) a `connect` uses, in the order of first use; a
// population whose ions differ from its type's is a neuron of its own, named after it.
std::string reversal_explanation(const model& m);

}  // namespace syn::dsl
