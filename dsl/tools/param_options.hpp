#pragma once

// The --set options of `syn run`, `syn check` and `syn sweep`: each argument read as a source of
// its own, named `<command line>`, so that an error about it shows it with a caret.

#include <memory>
#include <string>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "semantics/param_settings.hpp"
#include "syntax/source_file.hpp"

namespace syn::dsl {

inline constexpr const char* command_line_source = "<command line>";

class param_options {
 public:
  // A source for `argument`, kept as long as this object (spans into it are).
  const source_file& source(std::string argument);
  // Reads each NAME=VALUE into `settings`; false (with errors in `diags`) when one is not of that
  // form or a name is set twice.
  bool read(const std::vector<std::string>& arguments, diagnostics& diags);
  // Whether every error in `diags` is about an argument (an error of usage, exit code 2) rather
  // than about the model.
  static bool only_argument_errors(const diagnostics& diags);

  std::vector<param_setting> settings;

 private:
  std::vector<std::unique_ptr<source_file>> sources_;
};

}  // namespace syn::dsl
