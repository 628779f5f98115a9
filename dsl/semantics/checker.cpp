#include "semantics/checker.hpp"

#include <fmt/format.h>

#include <cctype>

namespace syn::dsl {

namespace {

// The statement's first word, where an error about the statement as a whole points.
span keyword_span(const ast::statement& s) {
  const std::string_view text = s.where.file->text();
  std::uint32_t end = s.where.begin;
  while (end < s.where.end &&
         (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
    ++end;
  return {s.where.file, s.where.begin, end};
}

// The name a receptor, neuron, population or train statement declares.
const ast::identifier* declared_name(const ast::statement& s) {
  if (const auto* d = std::get_if<ast::receptor_decl>(&s.s)) return &d->name;
  if (const auto* d = std::get_if<ast::neuron_decl>(&s.s)) return &d->name;
  if (const auto* d = std::get_if<ast::population_decl>(&s.s)) return &d->name;
  if (const auto* d = std::get_if<ast::train_decl>(&s.s)) return &d->name;
  return nullptr;
}

}  // namespace

void checker::check(const ast::statement& written) {
  ++statements_;
  const std::size_t first = diags_.size();
  std::vector<param_use> uses;
  std::vector<unknown_word> unknown;
  const std::optional<ast::statement> substituted = with_params(written, uses, unknown);
  const ast::statement& s = substituted ? *substituted : written;
  if (ast::simulates(s) && imported_at_) {
    const span k = keyword_span(s);
    const auto at = imported_at_->file->at(imported_at_->begin);
    diags_.error(k,
                 fmt::format("a library holds only declarations, but this file is imported and "
                             "has a '{}' statement",
                             std::string_view(k.file->text()).substr(k.begin, k.end - k.begin)),
                 fmt::format("it is imported at {}:{}:{}; simulate in the file that imports it",
                             imported_at_->file->name(), at.line, at.column));
    return;
  }
  const std::size_t errors = diags_.error_count();
  std::visit(
      [&](const auto& st) {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, ast::receptor_decl>)
          receptor(st);
        else if constexpr (std::is_same_v<T, ast::neuron_decl>)
          neuron(st);
        else if constexpr (std::is_same_v<T, ast::population_decl>)
          population(st);
        else if constexpr (std::is_same_v<T, ast::train_decl>)
          train(st);
        else if constexpr (std::is_same_v<T, ast::connect_stmt>)
          connect(st, s.where);
        else if constexpr (std::is_same_v<T, ast::record_stmt>)
          record(st);
        else if constexpr (std::is_same_v<T, ast::run_stmt>)
          run(st);
        else if constexpr (std::is_same_v<T, ast::assign_stmt>)
          assign(st);
        else if constexpr (std::is_same_v<T, ast::param_stmt>)
          param(st);
        else if constexpr (std::is_same_v<T, ast::library_stmt>)
          header(s, st);
        else if constexpr (std::is_same_v<T, ast::import_stmt>)
          import(st);
        else
          from_import(st);
      },
      s.s);
  // A declaration that failed without an error of its own rests on one reported before (a
  // library not found): its name then raises no more errors either.
  const ast::identifier* name = declared_name(s);
  if (name && diags_.error_count() == errors && !names_.find(name->text))
    unresolved_.insert(name->text);
  explain_params(first, uses, unknown);
}

void checker::header(const ast::statement& s, const ast::library_stmt& h) {
  if (statements_ > 1) {
    diags_.error(keyword_span(s), "the `library` line must be the first statement of its file",
                 "move it above the imports and declarations");
    return;
  }
  if (!parse_version(h.version))
    diags_.error(h.version_span, fmt::format("'{}' is not a version", h.version),
                 "a version is whole numbers separated by dots, as in \"1.2.0\"");
}

}  // namespace syn::dsl
