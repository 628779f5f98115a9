#pragma once

#include <cstdio>
#include <string>
#include <vector>

#include "syntax/source_file.hpp"

namespace syn::dsl {

enum class severity { error, warning };

struct diagnostic {
  severity level = severity::error;
  span where;
  std::string message;
  std::string hint;  // empty when there is nothing useful to add
};

// Diagnostics are collected as data and rendered in one place:
//   FILE:LINE:COL: error: MESSAGE
//     the source line
//     ^~~~
//   hint: HINT
class diagnostics {
 public:
  void error(span where, std::string message, std::string hint = {});
  void warning(span where, std::string message, std::string hint = {});
  void append(const diagnostics& other);
  // Gives `hint` to the diagnostics from the `first`-th on that point exactly at `where`: to all
  // of them, or (`over_none`) only to those without a hint. A late pass explains so what an
  // earlier one could not know (that a value came from a param).
  void set_hint(std::size_t first, span where, const std::string& hint, bool over_none = false);

  bool has_errors() const { return errors_ > 0; }
  std::size_t error_count() const { return errors_; }
  std::size_t size() const { return list_.size(); }
  const std::vector<diagnostic>& all() const { return list_; }
  void clear();
  // Drops all but the first n.
  void keep_first(std::size_t n);

  // Orders the diagnostics as a reader meets them: files in the order they were first reported,
  // positions ascending within a file (stable, so one position's diagnostics keep their order).
  void sort_by_position();
  void render(std::FILE* out, bool colour) const;

 private:
  std::vector<diagnostic> list_;
  std::size_t errors_ = 0;
};

std::string render(const diagnostic& d, bool colour);

}  // namespace syn::dsl
