#include "front_end/front_end.hpp"

#include <algorithm>

#include "lowering/resource_limits.hpp"
#include "syntax/parser.hpp"

namespace syn::dsl {

namespace fs = std::filesystem;

namespace {

// What the loader runs on each library it reads: the checker, as on a model file, except that a
// library imported by name holds declarations only, named after it.
void check_library(library& lib, const fs::path& dir, std::optional<span> imported_at,
                   library_loader& loader, diagnostics& diags) {
  checker check(lib.decls, diags, dir, loader, imported_at, imported_at ? lib.name : std::string());
  for (const ast::statement& s : lib.statements) check.check(s);
  lib.names = check.declarations();
}

}  // namespace

front_end::front_end(library_path path)
    : loader(std::move(path), check_library), check(m, diags, {}, loader) {}

void front_end::check_file(const source_file& file, const fs::path& base_dir) {
  check_statements(file.name(), parse(file, diags), base_dir);
}

void front_end::check_statements(const std::string& file_name,
                                 const std::vector<ast::statement>& statements,
                                 const fs::path& base_dir) {
  loader.enter(file_name);
  check.set_base_dir(base_dir);
  check.expect_params(statements);
  for (const ast::statement& s : statements) check.check(s);
  check.report_unused_settings();
}

bool front_end::check_statement(const ast::statement& s, const fs::path& base_dir) {
  const std::size_t errors = diags.error_count();
  check.set_base_dir(base_dir);
  check.check(s);
  return diags.error_count() == errors;
}

fit fits(const model& m, double until, diagnostics& diags) {
  return within_limits(m, until, diags);
}

std::optional<lowered> build_network(const model& m, double until, std::uint64_t seed,
                                     diagnostics& diags) {
  if (within_limits(m, until, diags) != fit::yes) return std::nullopt;
  return lower(m, seed, diags);
}

std::optional<model_run> build(const model& m, const run_options& options, diagnostics& diags) {
  const double until = m.now();
  const std::uint64_t seed = options.seed.value_or(m.seed_set ? m.seed : default_seed);
  // Each thread and process makes only the synapses onto its own neurons, from the network's
  // projections, when it builds its store.
  std::optional<lowered> net = build_network(m, until, seed, diags);
  if (!net) return std::nullopt;
  model_run run(m, options, std::move(*net));
  // What the model leaves of the memory holds the spikes in flight (and the REPL's records).
  const double room = memory_budget::of_this_process().bytes - model_bytes(m);
  run.engine().limit_memory(static_cast<std::size_t>(std::clamp(room, 0x1p26, 0x1p62)));
  return run;
}

}  // namespace syn::dsl
