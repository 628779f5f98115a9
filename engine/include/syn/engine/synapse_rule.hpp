#pragma once

#include <functional>

#include "syn/engine/records.hpp"

namespace syn {

// What makes the synapses of a projection (network::project), on demand and the same ones in the
// same order every time: the simulator has it make them twice, to count them and then to store
// them, so that a build never holds a list of them beside its store.
class synapse_rule {
 public:
  // pre and post as node ids; the weight a magnitude in the projection's unit; the delay in ms.
  using made = std::function<void(node_id pre, node_id post, double weight, double delay)>;
  using wanted = std::function<bool(node_id post)>;

  virtual ~synapse_rule() = default;
  // Makes the synapses onto the posts for which `onto` holds: those onto other posts are not
  // made, and where the rule allows, not drawn either. May be called from several threads at once.
  virtual void make(const wanted& onto, const made& each) const = 0;
};

}  // namespace syn
