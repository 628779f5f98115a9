#pragma once

// The language's keywords, read from the grammar's rules (syntax/grammar.hpp), so that the
// parser's hints, the REPL's completion and its :help cannot drift from what the grammar matches.

#include <string>
#include <vector>

namespace syn::dsl {

// The words that start a statement, in the grammar's order.
const std::vector<std::string>& statement_keywords();
// The words never taken as a name or a unit: the statement keywords, then the clause keywords.
const std::vector<std::string>& reserved_words();
// Every keyword the grammar matches anywhere, sorted: the reserved words and those that only
// follow a keyword (autapses, spikes, v), which may still name things.
const std::vector<std::string>& grammar_keywords();

}  // namespace syn::dsl
