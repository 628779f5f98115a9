#pragma once

// Quantities and element names given on the command line (`--from 20ms`, `--only exc[0..9]`),
// read with the language's units and checked as strictly.

#include <optional>
#include <string>
#include <string_view>

#include "run/results_figures.hpp"
#include "semantics/units.hpp"

namespace syn::dsl {

// "20ms", "20 ms" or "0.02 s" as a value of dimension `dim` in engine units; nullopt (with
// `error`) when it is not a number with a unit of that dimension.
std::optional<double> command_line_quantity(std::string_view text, dimension dim,
                                            std::string& error);

// "exc", "exc[3]" or "exc[0..9]"; nullopt (with `error`: what is wrong) when it is none of these.
std::optional<element_filter> command_line_elements(std::string_view text, std::string& error);

}  // namespace syn::dsl
