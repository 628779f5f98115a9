#pragma once

// Deterministic random numbers for model construction. Every algorithm here is our own code
// (xoshiro256** seeded by splitmix64, Lemire's bounded integers, Marsaglia's polar method), so
// a given (seed, purpose, index) yields the same numbers with any standard library. The only
// outside arithmetic is IEEE sqrt (exact) and libm's log/log1p/exp, which glibc rounds
// identically on every build; the build uses ISO C++ (-std=c++20), so no FMA contraction.

#include <cstdint>

#include "model.hpp"

namespace syn::dsl {

// What a stream is used for; part of its seed, so that drawing more numbers for one purpose
// (say, a bigger population's v0) never shifts the numbers drawn for another.
enum class stream_purpose : std::uint64_t { v0 = 1, connect = 2, poisson = 3, synapse_values = 4 };

class random_stream {
 public:
  // An independent stream for each (seed, purpose, index), e.g. index = the statement's number.
  random_stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index);
  random_stream(std::uint64_t seed, stream_purpose purpose, std::uint64_t index)
      : random_stream(seed, static_cast<std::uint64_t>(purpose), index) {}

  std::uint64_t next();                     // 64 uniform bits (xoshiro256**)
  double uniform();                         // [0, 1), multiples of 2^-53
  double uniform(double low, double high);  // low + (high - low) * uniform()
  std::uint64_t below(std::uint64_t n);     // unbiased in [0, n); n > 0
  double normal(double mean, double sd);    // Marsaglia polar; keeps the pair's second value
  double exponential(double mean);          // -mean * log1p(-uniform())

  // A value of `d`. Normal draws are magnitudes: a negative draw is redrawn, i.e. the normal is
  // truncated at 0 (for mean < 0 by exact exponential rejection, which cannot stall).
  // Preconditions (the checker's): uniform a <= b; sd >= 0, and mean >= 0 when sd == 0.
  double draw(const distribution& d);
  // As draw, but redrawn while <= 0 (delays). A constant is returned as is (the checker has
  // made it > 0); other shapes must have mass above 0.
  double draw_positive(const distribution& d);

 private:
  double nonnegative_normal(double mean, double sd);

  std::uint64_t state_[4];
  double spare_normal_ = 0.0;  // the polar method's second value, in standard units
  bool has_spare_ = false;
};

}  // namespace syn::dsl
