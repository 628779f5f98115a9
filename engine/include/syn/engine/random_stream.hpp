#pragma once

// Deterministic random numbers. Every algorithm here is our own code (xoshiro256** seeded by
// splitmix64, Lemire's bounded integers, Marsaglia's polar method), so a given (seed, purpose,
// index) yields the same numbers with any standard library. The only outside arithmetic is IEEE
// sqrt (exact) and libm's log/log1p/exp, which glibc rounds identically on every build; the
// build uses ISO C++ (-std=c++20), so no FMA contraction.

#include <cstdint>

namespace syn {

class random_stream {
 public:
  // An independent stream for each (seed, purpose, index): the purpose says what the numbers
  // are for, so that drawing more for one purpose never shifts those drawn for another.
  random_stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index);
  // One for each (seed, purpose, index, element), say the synapses onto one neuron of one
  // statement, so that a process can draw them alone. The first three parts pick a seed (the
  // first number of their stream), the element an index under it: splitmix64 is a bijection, so
  // for given (seed, purpose, index) distinct elements get distinct keys, and distinct
  // (seed, purpose, index) share a seed only by a 2^-64 chance, as any two keys do.
  random_stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index,
                std::uint64_t element)
      : random_stream(random_stream(seed, purpose, index).next(), purpose, element) {}

  std::uint64_t next();                     // 64 uniform bits (xoshiro256**)
  double uniform();                         // [0, 1), multiples of 2^-53
  double uniform(double low, double high);  // low + (high - low) * uniform()
  std::uint64_t below(std::uint64_t n);     // unbiased in [0, n); n > 0
  double normal(double mean, double sd);    // Marsaglia polar; keeps the pair's second value
  double exponential(double mean);          // -mean * log1p(-uniform())

 private:
  std::uint64_t state_[4];
  double spare_normal_ = 0.0;  // the polar method's second value, in standard units
  bool has_spare_ = false;
};

}  // namespace syn
