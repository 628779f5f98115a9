#pragma once

#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "syntax/ast.hpp"
#include "syntax/keywords.hpp"
#include "syntax/source_file.hpp"

namespace syn::dsl {

// Parses every statement of `file`. A syntax error is reported to `diags` and parsing resumes
// at the next statement, so one pass reports the errors of several statements; but when the
// first statement fails, its error alone is reported and nothing is returned.
std::vector<ast::statement> parse(const source_file& file, diagnostics& diags);

}  // namespace syn::dsl
