#pragma once

// The values of the param `syn sweep` sweeps, from its --set argument: NAME=A..B/K (K values
// evenly spaced from A to B, both included) or NAME=V1,V2,... (those, in that order).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "syntax/ast.hpp"
#include "syntax/source_file.hpp"

namespace syn::dsl {

struct sweep_values {
  ast::identifier name;
  std::string unit;                // as written; "" for a plain number
  std::vector<ast::value> values;  // quantities in `unit`, pointing into the argument
  // Each value as its folder and the table name it: the number in shortest round-trip form,
  // then the unit (0.5mV).
  std::vector<std::string> texts;
};

// The most values a sweep runs: a typo in K would otherwise start a near-endless sweep.
inline constexpr std::size_t max_sweep_values = 10000;

// Whether a --set argument sweeps: its value holds ".." or ",".
bool is_sweep(std::string_view argument);
// nullopt (with errors pointing into `source`) when it is not a sweep of two values or more in
// one unit, each distinct.
std::optional<sweep_values> read_sweep(const source_file& source, diagnostics& diags);

}  // namespace syn::dsl
