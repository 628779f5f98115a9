#pragma once

#include <boost/heap/d_ary_heap.hpp>
#include <cstdint>
#include <tuple>

namespace syn::detail {

// Spikes in flight: a source's next spike, and one entry per (spike, delay group) delivered to
// the group's targets when it arrives (or per synapse with a delay of its own). Neurons' own events
// are in neuron_queue; at one instant they are all handled before these, so a refractory period
// ending at t lets a jump arriving at t count, and a crossing predicted for t counts before
// same-time inputs are added. A single delivery reaches one synapse with a delay of its own
// (synapse_store's singles); most wait in single_calendar instead, and take their turn by the
// same key.
enum class event_kind : std::uint8_t { source_spike, delivery, single_delivery };

struct event {
  double time;
  std::uint32_t id;   // source index; presynaptic node for a delivery; segment for a single
  std::uint32_t aux;  // delay group of a delivery; the synapse for a single; 0 for a source
  event_kind kind;
};

// The full key (time, kind, id, aux) is a total order on the events that can be pending
// together, so the order in which simultaneous inputs are summed does not depend on the heap's
// internals or on how the run is split: runs are bit-identical.
struct event_later {
  bool operator()(const event& a, const event& b) const {
    return std::tie(a.time, a.kind, a.id, a.aux) > std::tie(b.time, b.kind, b.id, b.aux);
  }
};

// Not mutable: entries are never moved once pushed, and the heap lives in one vector.
using event_queue =
    boost::heap::d_ary_heap<event, boost::heap::arity<4>, boost::heap::compare<event_later>>;

}  // namespace syn::detail
