#include "lowering/synapse_count.hpp"

#include <algorithm>
#include <optional>

#include "lowering/connectivity.hpp"

namespace syn::dsl {

std::uint64_t synapse_count(const model& m, std::size_t connection, std::uint64_t seed) {
  const connection_info& c = m.connections[connection];
  const std::uint64_t n_pre = c.pre.size(), n_post = c.post.size();
  // As lower(): post j is pre i itself when j == i + offset.
  std::optional<std::int64_t> offset;
  if (!c.autapses && c.pre.group == c.post.group)
    offset = std::int64_t{c.pre.first} - std::int64_t{c.post.first};
  // The pres whose own neuron is among the posts: the pairs that `without autapses` drops.
  const auto selves = [&]() -> std::uint64_t {
    if (!offset) return 0;
    const std::int64_t first = std::max<std::int64_t>(0, -*offset);
    const std::int64_t last = std::min<std::int64_t>(n_pre, std::int64_t(n_post) - *offset);
    return last > first ? static_cast<std::uint64_t>(last - first) : 0;
  };
  switch (c.rule) {
    case connection_rule::all_to_all:
      return n_pre * n_post - selves();
    case connection_rule::one_to_one:
      return offset == 0 ? 0 : n_pre;
    case connection_rule::indegree:
      return n_post * c.degree;
    case connection_rule::outdegree:
      return n_pre * c.degree;
    case connection_rule::probability:
      break;
  }
  connection_pairs pairs(c.rule, c.pre.size(), c.post.size(), c.probability, c.degree, offset);
  std::uint64_t count = 0;
  pairs.draw_all(seed, connection, [&](std::uint32_t, std::uint32_t) { ++count; });
  return count;
}

}  // namespace syn::dsl
