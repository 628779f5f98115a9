#pragma once

#include <cstdint>

#include "syn/engine/network.hpp"

namespace syn::detail {

// One part of a simulation split over threads and processes: the neurons and the sources it
// holds, dealt round robin by their index among neurons (or among sources), so that every
// population is spread evenly. A part numbers its neurons (and sources) densely in the order of
// their global index: "local" indices keep the global order, and with one part they are the
// global ones.
struct shard {
  std::uint32_t index = 0;
  std::uint32_t count = 1;

  bool holds(std::uint32_t global) const { return global % count == index; }
  std::uint32_t local(std::uint32_t global) const { return global / count; }
  // How many of `total` it holds.
  std::uint32_t size(std::uint32_t total) const {
    return total / count + (index < total % count ? 1 : 0);
  }
  // f(local index, element) for each element of `p` that it holds, in order.
  template <typename F>
  void each_member(const population& p, F&& f) const {
    const std::uint64_t first = p.first_index;
    for (std::uint64_t i = (index + count - first % count) % count; i < p.size; i += count)
      f(local(static_cast<std::uint32_t>(first + i)), static_cast<std::uint32_t>(i));
  }
};

}  // namespace syn::detail
