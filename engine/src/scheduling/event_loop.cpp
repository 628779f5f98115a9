#include "scheduling/event_loop.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <span>
#include <tuple>

#include "syn/engine/model_error.hpp"

namespace syn::detail {

namespace {

// What arrivals from the calendar read is asked for ahead, in three steps, each needing the
// one before: the segment and target index, the target's record, its state. The distances
// were tuned with engine_bench --net B --delays uniform (docs/performance.md, issue 21).
constexpr std::size_t segment_ahead = 16, record_ahead = 8, state_ahead = 4;

std::vector<std::uint32_t> index_neurons(const network& net, shard part, std::uint32_t none) {
  std::vector<std::uint32_t> index(net.node_count(), none);
  for (const population& p : net.populations())
    if (!p.is_source)
      part.each_member(p, [&](std::uint32_t n, std::uint32_t i) { index[p[i]] = n; });
  return index;
}

// By model, the input ports (receptors, as currents or conductances) that actually reach its
// neurons: each model gets state only for those.
std::vector<std::vector<input_port>> ports_by_model(const network& net) {
  const std::vector<model_id> model_of = net.model_by_node();
  std::vector<std::vector<input_port>> used(net.models().size());
  std::pair<model_id, input_port> last{std::numeric_limits<model_id>::max(), {}};
  const auto use = [&](const std::pair<model_id, input_port>& pair) {
    if (pair == last) return;  // connections come in runs onto one model and receptor
    last = pair;
    auto& list = used[pair.first];
    if (std::find(list.begin(), list.end(), pair.second) == list.end()) list.push_back(pair.second);
  };
  for (const connection& c : net.connections()) use({model_of[c.post], c.port()});
  for (const projection& p : net.projections()) use({p.post_model, p.port()});
  for (std::vector<input_port>& list : used) std::sort(list.begin(), list.end());
  return used;
}

}  // namespace

event_loop::event_loop(const network& net, shard part)
    : neuron_index_(index_neurons(net, part, no_neuron)),
      sched_(net, part),
      cells_(sched_, net, ports_by_model(net)),
      trains_(net, part) {
  std::vector<std::vector<input_port>> slots;
  for (model_id m = 0; m < net.models().size(); ++m)
    slots.push_back(cells_.of_model(m, [&](auto& kind) { return kind.slot_ports(m); }));
  sched_.synapses = std::make_unique<synapse_store>(net, slots, neuron_index_);
  sched_.singles_in_flight = single_calendar(sched_.synapses->single_delays());
  double window = never;
  cells_.each([&](auto& kind) { window = std::min(window, kind.watch_window()); });
  sched_.watch.set_window(window);
  horizon_ = never;
  cells_.each([&](auto& kind) { horizon_ = std::min(horizon_, kind.horizon()); });
  cells_.each([&](auto& kind) { kind.set_watch_window(window); });
  for (std::uint32_t s = 0; s < trains_.size(); ++s)
    if (trains_.pending(s) < never)
      sched_.spikes_in_flight.push({trains_.pending(s), s, 0, event_kind::source_spike});
}

double event_loop::next_time() const {
  const event_queue& flying = sched_.spikes_in_flight;
  const double spike_time = flying.empty() ? never : flying.top().time;
  return std::min({sched_.queue.top_time(), spike_time, sched_.singles_in_flight.next_time(),
                   sched_.watch.time()});
}

void event_loop::process_instant(double t) {
  now_ = t;
  if (t == sched_.watch.time()) {
    const std::uint64_t k = sched_.watch.pass();
    cells_.each([&](auto& kind) { kind.window_pass(k, t); });
  }
  while (sched_.queue.top_time() == t) {
    const std::uint32_t n = sched_.queue.top();
    sched_.queue.pop();
    ++sched_.stats.events;
    cells_.of_neuron(n, [&](auto& kind) { kind.handle_event(n, t); });
  }
  event_queue& flying = sched_.spikes_in_flight;
  single_calendar& singles = sched_.singles_in_flight;
  const synapse_store& synapses = *sched_.synapses;
  // The heap's events and the calendar's arrivals at t, merged by the event queue's key.
  for (;;) {
    const bool in_heap = !flying.empty() && flying.top().time == t;
    if (singles.next_time() == t && (!in_heap || precedes(singles.front(), flying.top()))) {
      deliver_single(t);
      continue;
    }
    if (!in_heap) break;
    const event e = flying.top();
    flying.pop();
    ++sched_.stats.events;
    if (e.kind == event_kind::delivery) {
      const delay_group& g = synapses.group(e.aux);
      sched_.stats.deliveries += g.count;
      cells_.of_model(g.model, [&](auto& kind) { kind.deliver(synapses, g, t); });
      continue;
    }
    if (e.kind == event_kind::single_delivery) {
      const single_segment& g = synapses.segment(e.id);
      ++sched_.stats.deliveries;
      cells_.of_model(g.model, [&](auto& kind) { kind.deliver_single(synapses, g, e.aux, t); });
      continue;
    }
    sched_.emit_spike(trains_.node(e.id), t);
    const double next = trains_.advance(e.id);
    if (next < never) flying.push({next, e.id, 0, event_kind::source_spike});
  }
  settle(t);
}

void event_loop::deliver_single(double t) {
  single_calendar& singles = sched_.singles_in_flight;
  const synapse_store& synapses = *sched_.synapses;
  const single_arrival a = singles.front();
  if (const single_arrival* later = singles.ahead(segment_ahead))
    synapses.prefetch_single(later->segment, later->synapse);
  for (const bool state : {false, true})
    if (const single_arrival* later = singles.ahead(state ? state_ahead : record_ahead)) {
      const std::uint32_t n = synapses.single_target(later->synapse);
      const model_id m = synapses.segment(later->segment).model;
      cells_.of_model(m, [&](auto& kind) { kind.prefetch_neuron(m, n, state); });
    }
  singles.pop();
  const single_segment& g = synapses.segment(a.segment);
  ++sched_.stats.events;
  ++sched_.stats.deliveries;
  cells_.of_model(g.model, [&](auto& kind) { kind.deliver_single(synapses, g, a.synapse, t); });
}

// An instant that holds arrivals from the calendar and nothing else (no neuron's event, spike
// from the heap, watch pass nor sample, at or before it) needs none of process_instant's
// merging: these instants, the commonest with delays of one's own, are taken here in a loop of
// their own, the same events in the same order. Only a neuron settled can change the other
// queues (it may fire or be predicted) or the records; the calendar's buffers may grow as it
// takes a bucket.
void event_loop::take_singles(double limit, bool inclusive) {
  const single_calendar& singles = sched_.singles_in_flight;
  const auto others = [&] {
    const event_queue& flying = sched_.spikes_in_flight;
    const double spike_time = flying.empty() ? never : flying.top().time;
    return std::min({sched_.queue.top_time(), spike_time, sched_.watch.time(),
                     recorders_.next_time(), inclusive ? std::nextafter(limit, never) : limit});
  };
  for (double bound = others(); singles.next_time() < bound;) {
    const double t = singles.next_time();
    now_ = t;
    do deliver_single(t);
    while (singles.next_time() == t);
    if (sched_.settle_count == 0) {
      check_memory(t);
      continue;
    }
    settle(t);
    check_memory(t);
    if (sink_ &&
        (sched_.spikes.size() >= record_chunk || recorders_.samples().size() >= record_chunk))
      flush_records();
    bound = others();
  }
}

// After all events at t: every neuron touched is settled by its kind, and the instant's spikes
// are listed by node.
void event_loop::settle(double t) {
  for (const std::uint32_t n : std::span(sched_.to_settle.data(), sched_.settle_count))
    cells_.of_neuron(n, [&](auto& kind) { kind.settle(n, t); });
  sched_.settle_count = 0;
  std::vector<spike>& batch = sched_.batch_spikes;
  std::sort(batch.begin(), batch.end(),
            [](const spike& a, const spike& b) { return a.node < b.node; });
  sched_.spikes.insert(sched_.spikes.end(), batch.begin(), batch.end());
  sched_.stats.spikes += batch.size();
  batch.clear();
}

void event_loop::check_end(double end) const {
  if (!(end >= now_) || !std::isfinite(end))
    throw model_error(
        fmt::format("run: the end ({} ms) must not be before the present ({} ms)", end, now_));
  if (end >= horizon_)
    throw model_error(fmt::format(
        "run: the end ({} ms) is too far for the fastest time constant of a neuron model: runs "
        "end before {} ms",
        end, horizon_));
}

void event_loop::run_until(double end) {
  check_end(end);
  start();
  advance(last_due(end), true);
  end_run(end);
}

void event_loop::start() {
  if (started_) return;
  started_ = true;
  for (std::uint32_t n = 0; n < sched_.neuron_node.size(); ++n)
    cells_.of_neuron(n, [&](auto& kind) { kind.touch(n); });
  process_instant(0.0);
}

void event_loop::advance(double limit, bool inclusive) {
  for (double t = next_time(); inclusive ? t <= limit : t < limit; t = next_time()) {
    if (t == sched_.singles_in_flight.next_time()) {
      take_singles(limit, inclusive);
      t = next_time();
      if (!(inclusive ? t <= limit : t < limit)) break;
    }
    take_samples(t, false);
    process_instant(t);
    check_memory(t);
    if (sink_ &&
        (sched_.spikes.size() >= record_chunk || recorders_.samples().size() >= record_chunk))
      flush_records();
  }
  if (!inclusive) take_samples(limit, false);
}

// A sample that the end takes though due a few ULP after it (v_recorders::take) comes after
// the events at its time, as every sample does: they belong to this run (advance() has taken
// the events up to last_due(end)).
void event_loop::end_run(double end) {
  take_samples(end, true);
  flush_records();
  now_ = end;
  sched_.stats.predictions = 0;
  cells_.each([&](auto& kind) { sched_.stats.predictions += kind.full_searches(); });
}

void event_loop::record_v(std::vector<node_id> neurons, double interval) {
  if (!(interval > 0.0) || !std::isfinite(interval))
    throw model_error(fmt::format("record: sampling interval ({} ms) must be positive", interval));
  // Sample numbers are counted exactly (recording/decimal_grid.hpp).
  if (now_ / interval >= 0x1p53)
    throw model_error(fmt::format(
        "record: sampling interval ({} ms) is too fine to count samples from the present ({} ms)",
        interval, now_));
  // Every part keeps every recorder, with the neurons it holds (the caller has checked that all
  // are neurons): all parts take samples at the same times.
  std::vector<std::uint32_t> indices;
  std::vector<node_id> held;
  for (const node_id node : neurons) {
    if (!holds(node)) continue;
    indices.push_back(neuron_index_[node]);
    held.push_back(node);
  }
  recorders_.add(std::move(indices), std::move(held), interval, now_);
}

void event_loop::take_samples(double limit, bool inclusive) {
  const auto v = [&](std::uint32_t n, double t) { return potential(n, t); };
  while (recorders_.take(limit, inclusive, v, record_chunk)) {
    flush_records();
    check_memory(now_);
  }
}

void event_loop::check_memory(double t) const {
  const single_calendar& singles = sched_.singles_in_flight;
  const std::size_t flying = sched_.spikes_in_flight.size() + singles.size();
  const std::size_t kept =
      sched_.spikes.capacity() * sizeof(spike) + recorders_.samples().capacity() * sizeof(sample);
  const std::size_t in_flight =
      2 * sched_.spikes_in_flight.size() * sizeof(event) + singles.bytes();
  if (in_flight + kept <= max_bytes_) return;
  throw run_error(run_error::reason::memory,
                  fmt::format("{} spikes in flight and {} bytes of records kept at {} ms take "
                              "more than {} bytes",
                              flying, kept, t, max_bytes_),
                  0, static_cast<double>(flying),
                  static_cast<double>(sched_.spikes.size() + recorders_.samples().size()));
}

void event_loop::flush_records() {
  if (!sink_) return;
  sink_->take(std::span<const spike>(sched_.spikes));
  sched_.spikes.clear();
  sink_->take(std::span<const sample>(recorders_.samples()));
  recorders_.samples().clear();
}

double event_loop::v(node_id neuron) {
  if (neuron >= neuron_index_.size() || neuron_index_[neuron] == no_neuron)
    throw model_error(fmt::format("node {} is not a neuron", neuron));
  const double v = potential(neuron_index_[neuron], now_);
  if (!std::isfinite(v)) throw v_recorders::non_finite(neuron, now_);
  return v;
}

membrane_point event_loop::v_at(node_id neuron, double t) {
  if (neuron >= neuron_index_.size() || neuron_index_[neuron] == no_neuron)
    throw model_error(fmt::format("node {} is not a neuron", neuron));
  if (!std::isfinite(t)) throw model_error(fmt::format("v_at: the time ({} ms) is not finite", t));
  if (t < now_) throw model_error(fmt::format("v_at: {} ms is before the present, {} ms", t, now_));
  const std::uint32_t n = neuron_index_[neuron];
  const membrane_point p = cells_.of_neuron(n, [&](auto& kind) { return kind.v_at(n, t); });
  if (!std::isfinite(p.v) || !std::isfinite(p.slope)) throw v_recorders::non_finite(neuron, t);
  return p;
}

namespace {

// How the REPL shows a neuron's queued event.
pending_event::kind shown(pending what) {
  using kind = pending_event::kind;
  switch (what) {
    case pending::refractory_end:
      return kind::refractory_end;
    case pending::crossing:
      return kind::crossing;
    case pending::born:
      return kind::start;
    case pending::recheck:
    case pending::none:
      break;
  }
  return kind::recheck;
}

}  // namespace

std::vector<pending_event> event_loop::pending_events(std::size_t count) const {
  // At one instant, neurons' own events come first, by neuron; then the spikes in flight, in
  // the event queue's order.
  using kind = pending_event::kind;
  struct keyed {
    pending_event event;
    std::tuple<double, int, std::uint32_t, std::uint32_t, std::uint32_t> key;
  };
  std::vector<keyed> all;
  sched_.queue.for_each([&](double t, std::uint32_t n) {
    const pending what = cells_.of_neuron(n, [&](const auto& k) { return k.next_event(n); });
    all.push_back({{shown(what), t, sched_.neuron_node[n]}, {t, 0, n, 0, 0}});
  });
  // Coarsely watched neurons take their bounds again at the next watch instant.
  const double watch = sched_.watch.time();
  for (std::uint32_t n = 0; n < sched_.neuron_node.size(); ++n)
    if (sched_.watch.contains(n))
      all.push_back({{kind::recheck, watch, sched_.neuron_node[n]}, {watch, 0, n, 0, 0}});
  const synapse_store& synapses = *sched_.synapses;
  for (const event& e : sched_.spikes_in_flight) {
    pending_event p{kind::source_spike, e.time, 0};
    if (e.kind == event_kind::delivery) {
      const delay_group& g = synapses.group(e.aux);
      p = {kind::delivery, e.time, e.id, g.count, g.delay};
    } else if (e.kind == event_kind::single_delivery) {
      p = {kind::delivery, e.time, synapses.segment(e.id).node, 1, synapses.single_delay(e.aux)};
    } else {
      p.node = trains_.node(e.id);
    }
    all.push_back({p, {e.time, 1, static_cast<std::uint32_t>(e.kind), e.id, e.aux}});
  }
  sched_.singles_in_flight.for_each([&](const single_arrival& a) {
    const pending_event p{kind::delivery, a.time, synapses.segment(a.segment).node, 1,
                          synapses.single_delay(a.synapse)};
    all.push_back({p,
                   {a.time, 1, static_cast<std::uint32_t>(event_kind::single_delivery), a.segment,
                    a.synapse}});
  });
  count = std::min(count, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(),
                    [](const keyed& a, const keyed& b) { return a.key < b.key; });
  std::vector<pending_event> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(all[i].event);
  return out;
}

}  // namespace syn::detail
