#pragma once

// `syn repl [MODEL.syn]` and bare `syn` (SPEC §5): a session fed from a terminal, with line
// editing, persistent history and completion (libedit), or from a pipe, without prompts.

#include <string>

#include "semantics/library_loader.hpp"

namespace syn::dsl {

// Runs the REPL on standard input and output; `model` (may be empty) is loaded first. Returns
// the exit code: from a pipe, 1 when any input failed, else 0.
int run_repl(const library_path& path, const std::string& model);

}  // namespace syn::dsl
