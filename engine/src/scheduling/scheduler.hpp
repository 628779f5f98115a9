#pragma once

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "memory/huge_page_allocator.hpp"
#include "parallel/shard.hpp"
#include "scheduling/coarse_watch.hpp"
#include "scheduling/event_queue.hpp"
#include "scheduling/neuron_queue.hpp"
#include "scheduling/single_calendar.hpp"
#include "syn/engine/network.hpp"
#include "syn/engine/run_error.hpp"
#include "syn/engine/simulator.hpp"
#include "synapses/synapse_store.hpp"

namespace syn::detail {

constexpr double never = std::numeric_limits<double>::infinity();

// t + dt, but strictly after t even where dt is below t's rounding: a neuron or a spike can
// never schedule a consequence at the instant being processed.
inline double after(double t, double dt) {
  const double next = t + dt;
  return next > t ? next : std::nextafter(t, never);
}

// What a neuron's one event in the neuron queue is for. born: a neuron added to a growing
// network, held until it takes effect (see network::take_effect_at), then started from its v0.
enum class pending : std::uint8_t { none, refractory_end, crossing, recheck, born };

// What the event loop shares with the cell kinds (cell/cell_kinds.hpp), all by (local) neuron
// index: the part of the network simulated here, each neuron's pending event, the neurons to
// settle at the end of the instant, the coarse watch, and the way out for spikes. A kind keeps
// its neurons' state and decides; this keeps time.
struct scheduler {
  scheduler(const network& net, shard held)
      : part(held),
        neuron_node(held.size(net.neuron_count())),
        last_spike(neuron_node.size(), -never),
        to_settle(neuron_node.size()),
        queue(static_cast<std::uint32_t>(neuron_node.size())),
        watch(static_cast<std::uint32_t>(neuron_node.size())) {
    for (const population& p : net.populations())
      if (!p.is_source)
        part.each_member(p, [&](std::uint32_t n, std::uint32_t i) { neuron_node[n] = p[i]; });
  }

  // n is to be settled at the end of the instant; its kind calls this at most once an instant.
  void settle_later(std::uint32_t n) { to_settle[settle_count++] = n; }

  // n fires at t: recorded and sent along its synapses. Its kind has taken its pending event
  // and its watch away, and resets it afterwards.
  void fire(std::uint32_t n, double t) {
    if (t - last_spike[n] < min_interspike_interval)
      throw run_error(fmt::format("node {} fired at {} ms and again at {} ms, less than 1 ns "
                                  "later: its drive is too strong for its refractory period",
                                  neuron_node[n], last_spike[n], t),
                      neuron_node[n], last_spike[n], t);
    last_spike[n] = t;
    ++stats.neuron_spikes;
    emit_spike(neuron_node[n], t);
  }

  // node's spike at t: recorded, and sent along the synapses held here.
  void emit_spike(node_id node, double t) {
    batch_spikes.push_back({t, node});
    if (!sends_at_exchanges) send(node, t);
  }

  void send(node_id node, double t) {
    for (const delay_group& g : synapses->groups_of(node)) {
      if (!synapses->carries(g, t)) continue;
      spikes_in_flight.push(
          {after(t, g.delay), node, synapses->group_index(g), event_kind::delivery});
      // Its target list, read when the spike arrives, is fetched now: a list is a few lines,
      // too short for the hardware to see a stream in it.
      const auto targets = synapses->targets_of(g);
      constexpr std::size_t per_line = 64 / sizeof(std::uint32_t), lines = 16;
      for (std::size_t i = 0; i < std::min(targets.size(), per_line * lines); i += per_line)
        __builtin_prefetch(&targets[i]);
    }
    for (const single_segment& g : synapses->segments_of(node)) {
      if (g.since > t) continue;
      const std::uint32_t segment = synapses->segment_index(g);
      for (std::uint32_t i = g.begin; i < g.begin + g.count; ++i) {
        const single_arrival a{after(t, synapses->single_delay(i)), segment, i};
        if (!singles_in_flight.add(t, a))
          spikes_in_flight.push({a.time, segment, i, event_kind::single_delivery});
      }
    }
  }

  shard part;
  // In a split network its own spikes go out with the others' at the epoch's end
  // (parallel/epoch_loop.hpp), not as they are emitted.
  bool sends_at_exchanges = false;
  huge_page_vector<node_id> neuron_node;  // by local index
  huge_page_vector<double> last_spike;
  // Neurons to settle at the end of the instant: the first settle_count, each at most once.
  std::vector<std::uint32_t> to_settle;
  std::size_t settle_count = 0;
  neuron_queue queue;
  coarse_watch watch;
  std::unique_ptr<synapse_store> synapses;
  event_queue spikes_in_flight;
  // Most single deliveries: those the calendar cannot take are in spikes_in_flight.
  single_calendar singles_in_flight;
  std::vector<spike> batch_spikes;  // the instant's, sorted by node when it ends
  std::vector<spike> spikes;
  run_stats stats;
};

}  // namespace syn::detail
