#pragma once

#include <stdexcept>

namespace syn {

// A network description the engine cannot run (a missing parameter, a weight unit the
// receptor cannot carry, a non-positive delay, ...). The message names the offending value
// in user terms; callers such as the language front end add the source position.
class model_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace syn
