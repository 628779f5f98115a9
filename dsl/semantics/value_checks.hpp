#pragma once

// The checks of a single value, which need no names: a quantity in its unit, a plain or whole
// number, a distribution, a word from a list, a connection's weight. Each converts the value to
// the engine's units or reports why it cannot at the value's span, and then returns nullopt.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "semantics/model.hpp"
#include "semantics/units.hpp"
#include "syntax/ast.hpp"

namespace syn::dsl {

// The dimension of `q`'s unit (dims::none without one); nullopt when the unit is unknown, with
// an error at it naming the closest unit.
std::optional<dimension> check_unit(const ast::quantity& q, diagnostics& diags);
// A number with a unit of `expected` (or none, for dims::none), in engine units and within the
// range of its dimension (semantics/value_ranges); `what` names it in messages ("a delay").
std::optional<double> check_quantity(const ast::value& v, dimension expected, const char* what,
                                     diagnostics& diags);
// A number without a unit.
std::optional<double> check_number(const ast::value& v, const char* what, diagnostics& diags);
// A whole number from `least` to 2^32 - 1, in any form a number takes (1e6).
std::optional<std::uint64_t> check_whole_number(const ast::value& v, const char* what,
                                                std::uint64_t least, diagnostics& diags);
// A constant, or uniform(low, high), normal(mean, sd), exponential(mean), of `expected`, each
// parameter within the range of a value (a normal's sd: up to the range's limit).
std::optional<distribution> check_distribution(const ast::value& v, dimension expected,
                                               const char* what, diagnostics& diags);
// A word; one of `allowed` unless that is empty.
std::optional<std::string> check_word(const ast::value& v, const char* what,
                                      const std::vector<std::string>& allowed, diagnostics& diags);
// A connection's weight onto `rec`: a voltage, current or conductance distribution, whose unit
// goes to `unit`.
std::optional<distribution> check_weight(const ast::value& v, const receptor_info& rec,
                                         weight_unit& unit, diagnostics& diags);

}  // namespace syn::dsl
