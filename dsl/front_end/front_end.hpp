#pragma once

// The one way from text to a running network, as clox's interpret(): a file (or the REPL's
// statements, one at a time) parsed and checked into a model, then the model built within the
// resource limits onto the engine. `syn run`, `syn check`, `syn doc`, the REPL, the fuzzer, the
// benchmark and the tests all go through here.

#include <cstdint>
#include <filesystem>
#include <optional>

#include "diagnostics/diagnostics.hpp"
#include "lowering/lowering.hpp"
#include "lowering/resource_limits.hpp"
#include "run/model_run.hpp"
#include "semantics/checker.hpp"
#include "semantics/library_loader.hpp"
#include "semantics/model.hpp"
#include "syntax/ast.hpp"
#include "syntax/source_file.hpp"

namespace syn::dsl {

// A model and what checking statements into it keeps: the loader (which owns the text of every
// library loaded, which spans in the model and the diagnostics point into) and the checker's
// names and imports. Diagnostics collect in `diags` until the caller renders them.
struct front_end {
  explicit front_end(library_path path);
  front_end(const front_end&) = delete;
  front_end& operator=(const front_end&) = delete;

  // Every statement of `file` checked into the model, as `syn run` and `syn check` read a model
  // file: imports and file trains relative to `base_dir`; the file takes part in import cycles.
  // Settings given to the checker before (check.set_params) that no param took are errors.
  void check_file(const source_file& file, const std::filesystem::path& base_dir);
  // The same for the statements of a file named `file_name`, parsed already.
  void check_statements(const std::string& file_name, const std::vector<ast::statement>& statements,
                        const std::filesystem::path& base_dir);
  // The incremental form (the REPL): one statement checked into the model as it stands, relative
  // to `base_dir`; false when it has an error, and then it added nothing to the model but for
  // a failed import, which binds its name so that its uses raise no more errors (the REPL
  // rebuilds the model without it).
  bool check_statement(const ast::statement& s, const std::filesystem::path& base_dir);

  library_loader loader;
  diagnostics diags;
  model m;
  checker check;
};

// Whether running `m` to `until` (ms) stays within the resource limits and this machine's
// memory; each estimate over its limit is an error at the statement that causes it.
fit fits(const model& m, double until, diagnostics& diags);
// The engine network of `m` to run until `until`, within the limits; nullopt (with diagnostics)
// when a limit or the engine refuses it.
std::optional<lowered> build_network(const model& m, double until, std::uint64_t seed,
                                     diagnostics& diags);
// A simulation of `m` ready to run its `run` statements: built as build_network() builds it, with
// the seed of `options`, else the model's. It refers to `m` and must not outlive it.
std::optional<model_run> build(const model& m, const run_options& options, diagnostics& diags);

}  // namespace syn::dsl
