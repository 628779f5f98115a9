#pragma once

// The engine's deterministic random streams, with the distributions of the language on top.

#include <cstdint>

#include "semantics/model.hpp"
#include "syn/engine/random_stream.hpp"

namespace syn::dsl {

// What a stream is used for; part of its seed, so that drawing more numbers for one purpose
// (say, a bigger population's v0) never shifts the numbers drawn for another.
enum class stream_purpose : std::uint64_t { v0 = 1, connect = 2, poisson = 3, synapse_values = 4 };

class random_stream : public syn::random_stream {
 public:
  using syn::random_stream::random_stream;
  random_stream(std::uint64_t seed, stream_purpose purpose, std::uint64_t index)
      : syn::random_stream(seed, static_cast<std::uint64_t>(purpose), index) {}
  random_stream(std::uint64_t seed, stream_purpose purpose, std::uint64_t index,
                std::uint64_t element)
      : syn::random_stream(seed, static_cast<std::uint64_t>(purpose), index, element) {}

  // A value of `d`, as drawn: signed quantities such as v0 take it as it is.
  // Preconditions (the checker's): uniform a <= b; sd >= 0.
  double draw(const distribution& d);
  // As draw, but redrawn while < 0 (weights, which are magnitudes), or while <= 0 (delays): the
  // distribution truncated at 0. The checker has put a constant, a uniform's low end and a
  // normal's mean inside the bound, so at least half of all draws are kept.
  double draw_magnitude(const distribution& d);
  double draw_positive(const distribution& d);
};

}  // namespace syn::dsl
