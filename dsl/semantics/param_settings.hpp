#pragma once

// Params given on the command line (`--set w_inh=0mV`): read from the argument, which is a source
// of its own (`<command line>`), so that an error about it points into it. The checker applies
// them where the model declares the param (semantics/check_params.cpp).

#include <cstdint>
#include <optional>

#include "diagnostics/diagnostics.hpp"
#include "syntax/ast.hpp"
#include "syntax/source_file.hpp"

namespace syn::dsl {

struct param_setting {
  ast::identifier name;
  ast::value value;  // a quantity
};

// The quantity that fills bytes [begin, end) of `source`, spaces around it allowed: a number and
// an optional unit (`0mV`, `0 mV`, `3`). nullopt, with an error pointing into it, otherwise.
std::optional<ast::value> read_quantity(const source_file& source, std::uint32_t begin,
                                        std::uint32_t end, diagnostics& diags);

// The NAME of `source`'s NAME=VALUE, and where VALUE starts (after the '='); nullopt, with an
// error, when the text is not of that form.
struct setting_name {
  ast::identifier name;
  std::uint32_t value_begin;
};
std::optional<setting_name> read_setting_name(const source_file& source, diagnostics& diags);

// NAME=VALUE, VALUE a quantity as read_quantity() reads it.
std::optional<param_setting> read_setting(const source_file& source, diagnostics& diags);

}  // namespace syn::dsl
