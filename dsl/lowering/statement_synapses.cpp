#include "lowering/statement_synapses.hpp"

#include <cmath>
#include <limits>

#include "lowering/connectivity.hpp"
#include "lowering/random_stream.hpp"

namespace syn::dsl {

double drawn_delay(double total) {
  const auto single = static_cast<float>(total);
  if (single > 0.0F && std::isfinite(single)) return single;
  return total > 0.0 && total < 1.0 ? std::numeric_limits<float>::denorm_min()
                                    : std::numeric_limits<float>::max();
}

statement_synapses::statement_synapses(const connection_info& c, std::uint64_t seed,
                                       std::uint32_t statement, node_id pre0, node_id post0,
                                       double delay, double latency)
    : c_(c),
      seed_(seed),
      statement_(statement),
      pre0_(pre0),
      post0_(post0),
      delay_(delay),
      latency_(latency) {
  if (!c.autapses && c.pre.group == c.post.group)
    self_offset_ = std::int64_t{c.pre.first} - std::int64_t{c.post.first};
}

void statement_synapses::make(const wanted& onto, const made& each) const {
  connection_pairs pairs(c_.rule, c_.pre.size(), c_.post.size(), c_.probability, c_.degree,
                         self_offset_);
  const bool by_pre = pairs.keyed_by_pre();
  const bool drawn = c_.delay.shape != distribution::kind::constant;
  for (std::uint32_t k = 0; k < pairs.key_count(); ++k) {
    if (!by_pre && !onto(post0_ + k)) continue;
    // Pairs and values from separate streams: a weight that becomes a distribution does not
    // change which pairs are connected.
    random_stream rng(seed_, stream_purpose::connect, statement_, k);
    random_stream values(seed_, stream_purpose::synapse_values, statement_, k);
    pairs.draw(k, rng, [&](std::uint32_t i, std::uint32_t j) {
      const double weight = values.draw_magnitude(c_.weight);
      const double delay = values.draw_positive(c_.delay);
      // A pre's posts are drawn, with their values, whichever are wanted.
      if (by_pre && !onto(post0_ + j)) return;
      each(pre0_ + i, post0_ + j, weight, drawn ? drawn_delay(delay + latency_) : delay_);
    });
  }
}

}  // namespace syn::dsl
