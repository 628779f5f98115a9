#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "semantics/model.hpp"
#include "syn/engine/records.hpp"

namespace syn::dsl {

// The population or train a node belongs to, and its index there, as the outputs name it.
struct node_names {
  const model* m;
  std::vector<node_id> first_node;  // by group

  std::size_t group_of(node_id node) const {
    const auto it = std::upper_bound(first_node.begin(), first_node.end(), node);
    return static_cast<std::size_t>(it - first_node.begin()) - 1;
  }
  std::pair<const std::string*, std::uint32_t> element_of(node_id node) const {
    const std::size_t g = group_of(node);
    return {&m->groups[g].name, node - first_node[g]};
  }
};

}  // namespace syn::dsl
