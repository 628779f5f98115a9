#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "recording/v_recorders.hpp"
#include "syn/engine/records.hpp"

namespace syn::detail {

// The samples of a split simulation in one loop's order (time, recorder, listed order). Every
// part keeps every recorder with the neurons it holds and takes its samples at the same times;
// this replays the recorders' times and whole lists and takes each sample, in turn, from the
// part that holds its neuron.
class sample_merge {
 public:
  // A recorder of `nodes`, owners[i] the part that holds nodes[i] (see v_recorders::add).
  void add(std::vector<node_id> nodes, std::vector<std::uint32_t> owners, double interval,
           double now) {
    recorders_.add(std::move(owners), std::move(nodes), interval, now);
  }

  // Moves the parts' samples due before `limit` (or at it, when `inclusive`) to the end of `out`,
  // in order; `from` holds each part's, which it takes whole.
  void take(double limit, bool inclusive, std::vector<std::vector<sample>*> from,
            std::vector<sample>& out) {
    std::vector<std::size_t> next(from.size(), 0);
    recorders_.take(
        limit, inclusive, [&](std::uint32_t part, double) { return (*from[part])[next[part]++].v; },
        SIZE_MAX);
    std::vector<sample>& merged = recorders_.samples();
    out.insert(out.end(), merged.begin(), merged.end());
    merged.clear();
    for (std::vector<sample>* part : from) part->clear();
  }

 private:
  v_recorders recorders_;
};

}  // namespace syn::detail
