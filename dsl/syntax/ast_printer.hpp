#pragma once

#include <string>
#include <vector>

#include "syntax/ast.hpp"

namespace syn::dsl {

// Canonical .syn text of statements: parsing it gives the same statements back. Doc comments
// are kept; other comments and layout are not.
std::string print(const ast::statement& statement);
std::string print(const ast::value& value);
std::string print(const std::vector<ast::statement>& statements);

}  // namespace syn::dsl
