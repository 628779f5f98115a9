#pragma once

#include <cstdint>
#include <optional>

#include "semantics/model.hpp"
#include "syn/engine/synapse_rule.hpp"

namespace syn::dsl {

// The synapses of one `connect` statement, made again whenever the engine asks: its pairs
// (connection_pairs) and each synapse's weight and delay, drawn from the streams of the key
// neuron (the post, or with `outdegree` the pre; lowering.hpp), so that the synapses onto some
// posts alone are exactly those of the whole statement onto them.
class statement_synapses : public synapse_rule {
 public:
  // pre0 and post0: the node ids of the statement's first pre and post; delay: the fixed delay,
  // the receptor's latency included, unless the statement draws its delays; latency is added to
  // drawn ones.
  statement_synapses(const connection_info& c, std::uint64_t seed, std::uint32_t statement,
                     node_id pre0, node_id post0, double delay, double latency);

  void make(const wanted& onto, const made& each) const override;

 private:
  connection_info c_;
  std::uint64_t seed_;
  std::uint32_t statement_;
  node_id pre0_, post0_;
  double delay_, latency_;
  std::optional<std::int64_t> self_offset_;  // post j is pre i itself when j == i + offset
};

// A drawn delay, the receptor's latency included, to float precision (24 significant bits, 0.1 ns
// at 1 ms): a synapse with a delay of its own then stores it in 4 bytes (the engine's
// synapse_store), and it stays positive and finite.
double drawn_delay(double total);

}  // namespace syn::dsl
