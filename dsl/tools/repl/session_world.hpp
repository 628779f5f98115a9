#pragma once

// What a session holds between inputs, shared by the files that define its members.

#include <memory>
#include <optional>
#include <vector>

#include "front_end/front_end.hpp"
#include "tools/repl/session.hpp"

namespace syn::dsl {

// The model, its checker and loader (the front end's), and its simulation.
struct session::world : front_end {
  std::vector<std::unique_ptr<source_file>> sources;
  std::optional<model_run> sim;
  bool stale = true;  // the network changed since `sim` was built
  double now = 0.0;   // ms: where the session is
  world(const library_path& path, const std::vector<param_setting>& params) : front_end(path) {
    check.set_params(params);
  }
};

}  // namespace syn::dsl
