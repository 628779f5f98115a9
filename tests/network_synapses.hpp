#pragma once

#include <vector>

#include "syn/engine/network.hpp"

namespace syn {

// Every synapse of `net`, connect()'s and its projections', in the order they were added.
inline std::vector<connection> all_synapses(const network& net) {
  std::vector<connection> all;
  net.each_synapse([](node_id) { return true; },
                   [&](const connection& c, double) { all.push_back(c); });
  return all;
}

}  // namespace syn
