#include "syn/engine/random_stream.hpp"

#include <cmath>

namespace syn {
namespace {

// splitmix64: a bijection of its 64-bit state, so distinct inputs give distinct outputs.
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15u);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
  return z ^ (z >> 31);
}

std::uint64_t mix(std::uint64_t x) { return splitmix64(x); }

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

}  // namespace

random_stream::random_stream(std::uint64_t seed, std::uint64_t purpose, std::uint64_t index) {
  // Chained mixing: for a fixed (seed, purpose) each index gets a distinct key. Four
  // consecutive splitmix64 outputs are never all zero, as xoshiro requires.
  std::uint64_t key = mix(mix(mix(seed) ^ purpose) ^ index);
  for (std::uint64_t& s : state_) s = splitmix64(key);
}

std::uint64_t random_stream::next() {
  const std::uint64_t result = rotl(state_[1] * 5, 7) * 9;
  const std::uint64_t t = state_[1] << 17;
  state_[2] ^= state_[0];
  state_[3] ^= state_[1];
  state_[1] ^= state_[2];
  state_[0] ^= state_[3];
  state_[2] ^= t;
  state_[3] = rotl(state_[3], 45);
  return result;
}

double random_stream::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

double random_stream::uniform(double low, double high) { return low + (high - low) * uniform(); }

std::uint64_t random_stream::below(std::uint64_t n) {
  // Lemire (2019): the high word of x * n, rejecting the few x whose low word falls in the
  // 2^64 mod n values that would over-represent some results.
  unsigned __int128 m = static_cast<unsigned __int128>(next()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = -n % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

double random_stream::normal(double mean, double sd) {
  if (has_spare_) {
    has_spare_ = false;
    return mean + sd * spare_normal_;
  }
  double u, v, s;
  do {
    u = 2.0 * uniform() - 1.0;
    v = 2.0 * uniform() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  const double f = std::sqrt(-2.0 * std::log(s) / s);
  spare_normal_ = v * f;
  has_spare_ = true;
  return mean + sd * (u * f);
}

double random_stream::exponential(double mean) { return -mean * std::log1p(-uniform()); }

}  // namespace syn
