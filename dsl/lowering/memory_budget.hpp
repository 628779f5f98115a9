#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace syn::dsl {

// The memory a run may use: 80 % of the least of the machine's memory, the process's limits
// (ulimit -v and -d) and its control group's, so that a model too large for the machine stops
// with a message instead of being killed by the system, and the rest of the machine goes on.
// SYN_MEMORY (bytes, or with a unit: 512MiB, 8G, 2GB) sets it instead; one that parse_size
// refuses is ignored here, and refused by the command line.
struct memory_budget {
  double bytes;
  std::string source;  // where it comes from, for messages: "80 % of the machine's 23.5 GiB"

  static memory_budget of_this_process();
};

// A size in bytes: a positive number, then a unit or none (bytes). k, M, G and T are binary (as
// are KiB ... TiB), kB, MB, GB and TB decimal; letters in any case. nullopt when it is not one.
std::optional<double> parse_size(std::string_view text);

// Bytes in binary units for messages: 1.5 GiB, 300 MiB, 12 kiB.
std::string bytes_text(double bytes);

}  // namespace syn::dsl
