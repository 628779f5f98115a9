#include "syn/engine/simulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "cell_model.hpp"
#include "event_queue.hpp"
#include "syn/engine/model_error.hpp"
#include "syn/engine/run_error.hpp"
#include "synapse_store.hpp"
#include "threshold_crossing.hpp"

namespace syn {

using detail::event;
using detail::event_kind;

namespace {

constexpr std::uint32_t no_neuron = std::numeric_limits<std::uint32_t>::max();
constexpr double eps = std::numeric_limits<double>::epsilon();

// t + dt, but strictly after t even where dt is below t's rounding: a neuron or a spike can
// never schedule a consequence at the instant being processed.
double after(double t, double dt) {
  const double next = t + dt;
  return next > t ? next : std::nextafter(t, std::numeric_limits<double>::infinity());
}

std::vector<detail::cell_model> lower_models(const network& net) {
  // Each model gets state only for the receptors that actually reach its neurons.
  std::vector<std::vector<receptor_id>> used(net.models().size());
  for (const connection& c : net.connections()) {
    auto& list = used[net.population_of(c.post).model];
    if (std::find(list.begin(), list.end(), c.receptor) == list.end()) list.push_back(c.receptor);
  }
  std::vector<detail::cell_model> models;
  for (std::size_t m = 0; m < net.models().size(); ++m) {
    std::sort(used[m].begin(), used[m].end());
    models.push_back(detail::make_cell_model(net.models()[m], used[m], net.receptors()));
  }
  return models;
}

std::vector<std::uint32_t> index_neurons(const network& net) {
  std::vector<std::uint32_t> index(net.node_count(), no_neuron);
  for (const population& p : net.populations())
    if (!p.is_source)
      for (std::uint32_t i = 0; i < p.size; ++i) index[p.first + i] = p.first_index + i;
  return index;
}

struct v_recorder {
  std::vector<std::uint32_t> neurons;
  std::vector<node_id> nodes;
  double interval;
  std::uint64_t next = 0;  // k of the next sample, at k * interval
  double next_time() const { return static_cast<double>(next) * interval; }
};

}  // namespace

struct simulator::impl {
  explicit impl(const network& net)
      : models(lower_models(net)),
        neuron_index(index_neurons(net)),
        synapses(net, models, neuron_index) {
    const std::uint32_t neurons = net.neuron_count();
    neuron_node.resize(neurons);
    neuron_model.resize(neurons);
    state_offset.resize(neurons);
    std::uint64_t offset = 0;
    for (const population& p : net.populations()) {
      if (p.is_source) {
        for (std::uint32_t i = 0; i < p.size; ++i) {
          source_node.push_back(p[i]);
          source_times.push_back(net.source_times(p[i]));
        }
        continue;
      }
      for (std::uint32_t i = 0; i < p.size; ++i) {
        const std::uint32_t n = p.first_index + i;
        neuron_node[n] = p[i];
        neuron_model[n] = p.model;
        state_offset[n] = offset;
        offset += models[p.model].dim;
      }
    }
    state.assign(offset, 0.0);
    for (std::uint32_t n = 0; n < neurons; ++n)
      state[state_offset[n]] = net.v0(neuron_node[n]) - models[neuron_model[n]].rest;
    last_update.assign(neurons, 0.0);
    last_spike.assign(neurons, -std::numeric_limits<double>::infinity());
    refractory.assign(neurons, 0);
    prediction.resize(neurons);
    has_prediction.assign(neurons, 0);
    touched_flag.assign(neurons, 0);
    recheck_due.assign(neurons, 0);
    for (std::uint32_t s = 0; s < source_times.size(); ++s)
      if (!source_times[s].empty())
        queue.push({source_times[s][0], s, 0, event_kind::source_spike});
  }

  // Brings neuron n's state to time t (no-op if already there).
  void advance(std::uint32_t n, double t) {
    const double dt = t - last_update[n];
    if (dt == 0.0) return;
    const detail::cell_model& m = models[neuron_model[n]];
    double* y = &state[state_offset[n]];
    m.propagate(y, y, dt, m.u_inf, refractory[n] != 0);
    last_update[n] = t;
  }

  void touch(std::uint32_t n) {
    if (touched_flag[n]) return;
    touched_flag[n] = 1;
    touched.push_back(n);
  }

  void emit_spike(node_id node, double t) {
    batch_spikes.push_back({t, node});
    for (const detail::delay_group& g : synapses.groups_of(node))
      queue.push({after(t, g.delay), node, synapses.group_index(g), event_kind::delivery});
  }

  void predict(std::uint32_t n, double t, bool exact) {
    const detail::cell_model& m = models[neuron_model[n]];
    const auto p = crossing.predict(m, &state[state_offset[n]], t, exact);
    using kind = detail::crossing_prediction::kind;
    if (p.what == kind::none) {
      cancel_prediction(n);
      return;
    }
    const event_kind k = p.what == kind::crossing ? event_kind::crossing : event_kind::recheck;
    const event e{after(t, p.after), n, 0, k};
    if (has_prediction[n]) {
      queue.update(prediction[n], e);
    } else {
      prediction[n] = queue.push(e);
      has_prediction[n] = 1;
    }
  }

  void cancel_prediction(std::uint32_t n) {
    if (!has_prediction[n]) return;
    queue.erase(prediction[n]);
    has_prediction[n] = 0;
  }

  // After all events at t: test threshold and predict, for every neuron they changed.
  void settle(double t) {
    for (const std::uint32_t n : touched) {
      touched_flag[n] = 0;
      if (refractory[n]) continue;
      const detail::cell_model& m = models[neuron_model[n]];
      double* y = &state[state_offset[n]];
      if (y[0] < m.threshold_rel) {
        predict(n, t, recheck_due[n] != 0);
        recheck_due[n] = 0;
        continue;
      }
      cancel_prediction(n);
      if (t - last_spike[n] < min_interspike_interval)
        throw run_error(fmt::format("node {} fired at {} ms and again at {} ms, less than 1 ns "
                                    "later: its drive is too strong for its refractory period",
                                    neuron_node[n], last_spike[n], t),
                        neuron_node[n], last_spike[n], t);
      last_spike[n] = t;
      y[0] = m.reset_rel;
      emit_spike(neuron_node[n], t);
      if (m.refractory > 0.0) {
        refractory[n] = 1;
        queue.push({after(t, m.refractory), n, 0, event_kind::refractory_end});
      } else {
        predict(n, t, false);
      }
    }
    touched.clear();
    std::sort(batch_spikes.begin(), batch_spikes.end(),
              [](const spike& a, const spike& b) { return a.node < b.node; });
    spikes.insert(spikes.end(), batch_spikes.begin(), batch_spikes.end());
    stats.spikes += batch_spikes.size();
    batch_spikes.clear();
  }

  void handle(const event& e) {
    const double t = e.time;
    switch (e.kind) {
      case event_kind::refractory_end:
        advance(e.id, t);
        refractory[e.id] = 0;
        touch(e.id);
        break;
      case event_kind::crossing:
      case event_kind::recheck:
        has_prediction[e.id] = 0;
        advance(e.id, t);
        // The prediction put V exactly at threshold here; rounding must not undo it.
        if (e.kind == event_kind::crossing)
          state[state_offset[e.id]] = models[neuron_model[e.id]].threshold_rel;
        else
          recheck_due[e.id] = 1;
        touch(e.id);
        break;
      case event_kind::source_spike: {
        emit_spike(source_node[e.id], t);
        const auto& times = source_times[e.id];
        if (e.aux + 1 < times.size())
          queue.push({times[e.aux + 1], e.id, e.aux + 1, event_kind::source_spike});
        break;
      }
      case event_kind::delivery:
        for (const detail::synapse& s : synapses.synapses_of(synapses.group(e.aux))) {
          ++stats.deliveries;
          // Jump inputs during refractoriness are lost; currents keep accumulating.
          if (s.slot == 0 && refractory[s.target]) continue;
          advance(s.target, t);
          state[state_offset[s.target] + s.slot] += s.increment;
          touch(s.target);
        }
        break;
    }
  }

  void process_instant(double t) {
    now = t;
    while (!queue.empty() && queue.top().time == t) {
      const event e = queue.top();
      queue.pop();
      ++stats.events;
      handle(e);
    }
    settle(t);
  }

  double potential(std::uint32_t n, double t) const {
    const detail::cell_model& m = models[neuron_model[n]];
    if (refractory[n]) return m.rest + m.reset_rel;
    scratch.resize(m.dim);
    m.propagate(&state[state_offset[n]], scratch.data(), t - last_update[n], m.u_inf, false);
    return m.rest + scratch[0];
  }

  // Samples due strictly before `limit` (or at it, when `inclusive`), in time then recorder order.
  void take_samples(double limit, bool inclusive) {
    for (;;) {
      v_recorder* due = nullptr;
      for (v_recorder& r : recorders) {
        const double t = r.next_time();
        // At the end of a run, k T counts when it is the end up to rounding: `every 0.1 ms` over
        // `run 0.3 ms` samples at 0.30000000000000004 too.
        const bool in = inclusive ? t <= limit + 4.0 * eps * limit : t < limit;
        if (in && (!due || t < due->next_time())) due = &r;
      }
      if (!due) return;
      const double t = due->next_time();
      for (std::size_t i = 0; i < due->neurons.size(); ++i)
        samples.push_back({t, due->nodes[i], potential(due->neurons[i], t)});
      ++due->next;
    }
  }

  void run_until(double end) {
    if (!(end >= now) || !std::isfinite(end))
      throw model_error(
          fmt::format("run: the end ({} ms) must not be before the present ({} ms)", end, now));
    if (!started) {
      started = true;
      for (std::uint32_t n = 0; n < neuron_node.size(); ++n) touch(n);
      process_instant(0.0);
    }
    while (!queue.empty() && queue.top().time <= end) {
      const double t = queue.top().time;
      take_samples(t, false);
      process_instant(t);
    }
    take_samples(end, true);
    now = end;
    stats.predictions = crossing.full_searches();
  }

  std::vector<detail::cell_model> models;
  std::vector<std::uint32_t> neuron_index;  // by node id; no_neuron for sources
  detail::synapse_store synapses;

  // Neurons, by neuron index.
  std::vector<node_id> neuron_node;
  std::vector<std::uint32_t> neuron_model;
  std::vector<std::uint64_t> state_offset;
  std::vector<double> state;
  std::vector<double> last_update;
  std::vector<double> last_spike;
  std::vector<std::uint8_t> refractory;
  std::vector<detail::event_queue::handle_type> prediction;  // its crossing or recheck event
  std::vector<std::uint8_t> has_prediction;
  std::vector<std::uint8_t> touched_flag;
  std::vector<std::uint8_t> recheck_due;  // a recheck fired: this prediction must be exact
  std::vector<std::uint32_t> touched;

  // Sources, by source index.
  std::vector<node_id> source_node;
  std::vector<std::vector<double>> source_times;

  detail::event_queue queue;
  detail::threshold_crossing crossing;
  std::vector<v_recorder> recorders;
  mutable std::vector<double> scratch;
  std::vector<spike> batch_spikes;
  std::vector<spike> spikes;
  std::vector<sample> samples;
  run_stats stats;
  double now = 0.0;
  bool started = false;
};

simulator::simulator(const network& net) : impl_(std::make_unique<impl>(net)) {}
simulator::~simulator() = default;
simulator::simulator(simulator&&) noexcept = default;
simulator& simulator::operator=(simulator&&) noexcept = default;

void simulator::record_v(std::vector<node_id> neurons, double interval) {
  if (!(interval > 0.0) || !std::isfinite(interval))
    throw model_error(fmt::format("record: sampling interval ({} ms) must be positive", interval));
  v_recorder r;
  r.interval = interval;
  for (const node_id node : neurons) {
    if (node >= impl_->neuron_index.size())
      throw model_error(fmt::format("record: unknown node {}", node));
    if (impl_->neuron_index[node] == no_neuron)
      throw model_error(fmt::format("record: node {} is a spike source, not a neuron", node));
    r.neurons.push_back(impl_->neuron_index[node]);
  }
  r.nodes = std::move(neurons);
  r.next = static_cast<std::uint64_t>(std::ceil(impl_->now / interval));
  impl_->recorders.push_back(std::move(r));
}

void simulator::run(double duration) {
  if (!(duration >= 0.0) || !std::isfinite(duration))
    throw model_error(fmt::format("run: duration ({} ms) must be zero or positive", duration));
  impl_->run_until(impl_->now + duration);
}

void simulator::run_until(double end) { impl_->run_until(end); }
double simulator::time() const { return impl_->now; }

double simulator::v(node_id neuron) const {
  if (neuron >= impl_->neuron_index.size() || impl_->neuron_index[neuron] == no_neuron)
    throw model_error(fmt::format("node {} is not a neuron", neuron));
  return impl_->potential(impl_->neuron_index[neuron], impl_->now);
}

const std::vector<spike>& simulator::spikes() const { return impl_->spikes; }
const std::vector<sample>& simulator::samples() const { return impl_->samples; }
const run_stats& simulator::stats() const { return impl_->stats; }
std::uint64_t simulator::synapse_count() const { return impl_->synapses.size(); }
std::uint64_t simulator::synapse_bytes() const { return impl_->synapses.bytes(); }

}  // namespace syn
