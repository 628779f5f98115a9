#include "lowering/process_share.hpp"

#include <algorithm>
#include <memory>
#include <vector>

namespace syn::dsl {

std::function<bool(node_id)> process_share(const model& m, std::uint32_t rank,
                                           std::uint32_t processes, std::uint32_t threads) {
  // By group: its first node (declaration order, trains included) and first neuron index.
  struct range {
    node_id first_node;
    std::uint64_t first_neuron;
    bool is_train;
  };
  auto ranges = std::make_shared<std::vector<range>>();
  node_id node = 0;
  std::uint64_t neuron = 0;
  for (const group& g : m.groups) {
    ranges->push_back({node, neuron, g.is_train});
    node += g.size;
    if (!g.is_train) neuron += g.size;
  }
  auto traced = std::make_shared<std::vector<node_id>>();
  if (rank == 0)
    for (const figure_request& f : m.figures)
      if (f.voltage)
        for (const element_range& r : f.targets)
          for (std::uint32_t e = r.first; e <= r.last; ++e)
            traced->push_back((*ranges)[r.group].first_node + e);
  std::sort(traced->begin(), traced->end());
  const std::uint64_t parts = std::uint64_t{processes} * threads;
  return [=](node_id n) {
    if (std::binary_search(traced->begin(), traced->end(), n)) return true;
    const auto it = std::upper_bound(ranges->begin(), ranges->end(), n,
                                     [](node_id x, const range& r) { return x < r.first_node; });
    const range& r = *std::prev(it);
    if (r.is_train) return false;
    return (r.first_neuron + (n - r.first_node)) % parts / threads == rank;
  };
}

}  // namespace syn::dsl
