#pragma once

// A model that fails to check, build or run: the diagnostics as `syn` prints them
// (FILE:LINE:COL: error: MESSAGE, the source line, a caret), raised in Python as syn.ModelError,
// which reads the position and message back from the first error.

#include <stdexcept>
#include <string>

namespace syn::python {

struct model_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace syn::python
