#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <limits>
#include <span>
#include <utility>
#include <vector>

#include "cell/linear/cell_model.hpp"
#include "cell/linear/mode_basis.hpp"
#include "cell/linear/model_runtime.hpp"
#include "cell/linear/neuron_state.hpp"
#include "cell/linear/threshold_crossing.hpp"
#include "memory/huge_page_allocator.hpp"
#include "numerics/fast_exp.hpp"
#include "scheduling/scheduler.hpp"
#include "synapses/synapse_store.hpp"

namespace syn::detail {

// The current-based linear cell, one kind of neuron dynamics (cell/cell_kinds.hpp): V and the
// receptors' currents are a chain of first-order linear stages (cell_model.hpp), stored in
// eigenmodes when their rates are apart (mode_basis.hpp) or else as the state itself, advanced
// by its propagator; threshold_crossing.hpp predicts the crossings. Every neuron of the network
// has a record here, by neuron index; those of other kinds' models are never used.
//
// This file holds the state and its storage in both forms; delivery.hpp the synaptic events,
// prediction.hpp the threshold test, spikes, predictions and budgets, window_pass.hpp the coarse
// watch's bounds.
class linear_cells {
 public:
  // The linear cell takes every model left (the last kind of the list): currents only.
  static bool accepts(const neuron_params&, const std::vector<input_port>&) { return true; }

  // The kind of `models` (ascending ids), each given state for the receptors in `used` (by
  // model: those that reach its neurons, all as currents).
  linear_cells(scheduler& s, const network& net, const std::vector<model_id>& models,
               const std::vector<std::vector<input_port>>& used)
      : sched_(s),
        local_(net.models().size(), no_model),
        neuron_model_(s.neuron_node.size(), no_model),
        anchor_(s.neuron_node.size(), 0.0),
        neurons_(s.neuron_node.size()) {
    for (const model_id m : models) {
      local_[m] = static_cast<std::uint32_t>(models_.size());
      std::vector<receptor_id> receptors;
      for (const input_port& p : used[m]) receptors.push_back(p.receptor);
      models_.emplace_back(make_cell_model(net.models()[m], receptors, net.receptors()));
      scratch_.resize(std::max<std::size_t>(scratch_.size(), models_.back().cell.dim));
    }
    // f(neuron index, population, element) for each neuron of this kind simulated here.
    const auto each_neuron = [&](auto&& f) {
      for (const population& p : net.populations())
        if (!p.is_source && local_[p.model] != no_model)
          s.part.each_member(p, [&](std::uint32_t n, std::uint32_t i) { f(n, p, i); });
    };
    std::uint64_t offset = 0;
    each_neuron([&](std::uint32_t n, const population& p, std::uint32_t) {
      neuron_model_[n] = local_[p.model];
      const model_runtime& m = models_[local_[p.model]];
      if (others_here(m)) {
        neurons_[n].others[0] = neurons_[n].others[1] = 0.0;
        return;
      }
      neurons_[n].offset = offset;
      offset += m.cell.dim - (m.modes.usable ? 1 : 0);
    });
    state_.assign(offset, 0.0);
    each_neuron([&](std::uint32_t n, const population& p, std::uint32_t i) {
      const model_runtime& m = models_[neuron_model_[n]];
      const double u0 = net.v0(p[i]) - m.cell.rest;
      if (!m.modes.usable) {
        state_[neurons_[n].offset] = u0;
        return;
      }
      // The amplitude of u's own mode at t = 0, and u0 itself, exact, for the first instant.
      neurons_[n].amplitude = u0 - m.cell.u_inf;
      neurons_[n].instant_time = 0.0;
      neurons_[n].instant_u = u0;
      neurons_[n].instant_exact = true;
    });
    // Neurons that take effect later wait, as if refractory, for their start.
    each_neuron([&](std::uint32_t n, const population& p, std::uint32_t i) {
      if (p.born == 0.0) return;
      neurons_[n].refractory = true;
      neurons_[n].set_next(pending::born);
      sched_.queue.set(n, p.born);
      birth_u_.emplace_back(n, net.v0(p[i]) - models_[neuron_model_[n]].cell.rest);
    });
  }

  // The input port of each input slot after 0 of model m (see delay_group).
  std::vector<input_port> slot_ports(model_id m) const {
    std::vector<input_port> ports;
    for (const receptor_slot& s : models_[local_[m]].cell.slots) ports.push_back({s.receptor});
    return ports;
  }

  // The shortest window of its models' coarse watch (never without one), and the watch's, the
  // shortest of all kinds': each model is watched at every stride-th instant.
  double watch_window() const {
    double window = never;
    for (const model_runtime& m : models_)
      if (m.coarse) window = std::min(window, m.cell.window);
    return window;
  }
  void set_watch_window(double window) {
    for (model_runtime& m : models_)
      if (m.coarse) m.stride = std::max<std::uint64_t>(1, std::floor(m.cell.window / window));
  }

  // What the event loop calls (cell/cell_kinds.hpp), all by neuron index.
  // n is to be settled at the end of the instant (once, however often it is touched).
  void touch(std::uint32_t n) {
    neuron_state& ns = neurons_[n];
    if (ns.touched) return;
    ns.touched = true;
    sched_.settle_later(n);
  }
  // n's own event at t: its refractory period ends, it starts, or its prediction comes due
  // (prediction.hpp).
  void handle_event(std::uint32_t n, double t);
  // A spike reaching the synapses of group g, or synapse i of segment g, at t (delivery.hpp).
  void deliver(const synapse_store& synapses, const delay_group& g, double t);
  void deliver_single(const synapse_store& synapses, const single_segment& g, std::uint32_t i,
                      double t);
  // After all events at t: n's threshold tested, and n fires or is predicted (prediction.hpp).
  void settle(std::uint32_t n, double t);
  // Watch instant number k, at t: its models due take their watched neurons' bounds again
  // (window_pass.hpp).
  void window_pass(std::uint64_t k, double t);
  // V of n at t, mV.
  double v(std::uint32_t n, double t) {
    const cell_model& m = model_of(n).cell;
    if (refractory_at(neurons_[n], t)) return m.rest + m.reset_rel;
    state_at(n, t, scratch_.data());
    return m.rest + scratch_[0];
  }
  // V of n at t and its slope, u' = -membrane_rate (u - u_inf) + inv_c sum I, from the state.
  membrane_point v_at(std::uint32_t n, double t) {
    const cell_model& m = model_of(n).cell;
    if (refractory_at(neurons_[n], t)) return {m.rest + m.reset_rel, 0.0};
    state_at(n, t, scratch_.data());
    double currents = 0.0;
    for (const receptor_slot& s : m.slots) currents += scratch_[s.current];
    return {m.rest + scratch_[0], -m.membrane_rate * (scratch_[0] - m.u_inf) + m.inv_c * currents};
  }
  pending next_event(std::uint32_t n) const { return neurons_[n].what_next(); }
  std::uint64_t full_searches() const { return crossing_.full_searches(); }
  // Asks the cache for the record of n (of model m), or for its state vector, whose place the
  // record holds (the record then asked for some arrivals earlier); a model whose neurons keep
  // their state in the record is told apart without reading it. Inlined by force, as
  // prefetch() below.
  [[gnu::always_inline]] void prefetch_neuron(model_id m, std::uint32_t n, bool state) const {
    if (!state)
      __builtin_prefetch(&neurons_[n]);
    else if (!others_here(models_[local_[m]]))
      __builtin_prefetch(state_.data() + neurons_[n].offset);
  }
  // The time from which a run would take epoch numbers past the bits a record keeps (ms).
  double horizon() const {
    double end = never;
    for (const model_runtime& m : models_)
      if (m.modes.usable)
        end = std::min(end, m.modes.epoch_start(std::uint64_t{1} << neuron_state::epoch_bits));
    return end;
  }

 private:
  static constexpr std::uint32_t no_model = std::numeric_limits<std::uint32_t>::max();

  model_runtime& model_of(std::uint32_t n) { return models_[neuron_model_[n]]; }

  // Mode form: whether m's neurons keep the amplitudes after u's in their records.
  static bool others_here(const model_runtime& m) {
    return m.modes.usable && m.modes.dim - 1 <= neuron_state::room;
  }

  // Propagator form: n's state, at `anchor_`.
  double* state_of(std::uint32_t n) { return state_.data() + neurons_[n].offset; }

  // Mode form: the amplitudes of the modes after u's of a neuron of model m.
  double* others(neuron_state& ns, const model_runtime& m) {
    return others_here(m) ? ns.others : state_.data() + ns.offset;
  }
  const double* others(const neuron_state& ns, const model_runtime& m) const {
    return others_here(m) ? ns.others : state_.data() + ns.offset;
  }

  // Mode form: the amplitude of the mode of stage k of a neuron of model m.
  double& amplitude(neuron_state& ns, const model_runtime& m, std::uint32_t k) {
    return k == 0 ? ns.amplitude : others(ns, m)[k - 1];
  }

  // Mode form: carries n's amplitudes into the epoch of m's current instant.
  void roll(neuron_state& ns, const model_runtime& m) {
    const std::uint64_t gap = m.epoch - ns.epoch();
    for (std::uint32_t k = 0; k < m.modes.dim; ++k) {
      const double factor =
          gap == 1 ? m.carry[k]
                   : exp_fast(-m.modes.rates[k] *
                              (m.modes.epoch_start(m.epoch) - m.modes.epoch_start(ns.epoch())));
      amplitude(ns, m, k) *= factor;
      if (k == 0 && m.membrane_only && m.rising) ns.budget *= factor;  // an amplitude too
    }
    ns.set_epoch(m.epoch);
  }

  // Propagator form: brings n's stored state to t.
  void advance(std::uint32_t n, const model_runtime& m, double t) {
    if (t == anchor_[n]) return;
    double* y = state_of(n);
    m.cell.propagate(y, y, t - anchor_[n], m.cell.u_inf);
    anchor_[n] = t;
  }

  // These three take m's epoch (m being at t) as a value: the delivery loops hold it in a
  // local, since a flag stored through a char type may alias anything and would make the
  // compiler load it again at every target.

  // Mode form: makes t the instant of n's record (a record already at t is in t's epoch).
  void sync(neuron_state& ns, const model_runtime& m, std::uint64_t epoch, double t) {
    if (ns.instant_time == t) return;
    start_instant(ns, m, epoch, t, 0.0, 0.0);
  }

  // Mode form: a jump of w into n at t, whose amplitude at the instant is given.
  void add_jump(neuron_state& ns, const model_runtime& m, std::uint64_t epoch, double t, double w,
                double amplitude) {
    if (ns.instant_time != t) {
      start_instant(ns, m, epoch, t, w, amplitude);
      return;
    }
    ns.instant_u += w;
    ns.instant_amplitude += amplitude;
  }

  // t becomes the instant of n's record, with a jump of w so far (amplitude at the instant
  // given): the last instant's change is added to the amplitudes, which are carried into t's
  // epoch.
  void start_instant(neuron_state& ns, const model_runtime& m, std::uint64_t epoch, double t,
                     double w, double amplitude) {
    ns.amplitude += ns.instant_amplitude;
    ns.instant_amplitude = amplitude;
    ns.instant_u = w;
    ns.instant_time = t;
    ns.instant_exact = false;
    if (ns.epoch() != epoch) roll(ns, m);
  }

  // Adds `w` to input `slot` of n at t (m being at t, in mode form).
  void add_input(std::uint32_t n, neuron_state& ns, model_runtime& m, std::uint32_t slot, double w,
                 double t) {
    if (!m.modes.usable) {
      advance(n, m, t);
      state_of(n)[m.input[slot]] += w;
      return;
    }
    if (slot == 0) {
      add_jump(ns, m, m.epoch, t, w, w * m.grow[0]);
      return;
    }
    sync(ns, m, m.epoch, t);
    const mode_basis::impulse& in = m.modes.impulses[slot];
    for (std::uint32_t i = 0; i < in.count; ++i)
      amplitude(ns, m, in.stage[i]) += w * m.gain[slot][i];
  }

  // The state of n at t into `y` (free evolution: the caller knows about refractoriness).
  // Returns u as the stored state has it, before the instant's exact value replaces it.
  // Invariant: n's stored state is at the present instant (every event up to it applied, none
  // after), so that any t from the present on (a sample's, v_at's look-ahead) reads the free
  // evolution. m.at(t) leaves the model's factors at t, not at the present: whatever uses them
  // (delivery, prediction, window_pass) calls at() with its own instant first.
  double state_at(std::uint32_t n, double t, double* y) {
    return state_at(n, neurons_[n], models_[neuron_model_[n]], t, y);
  }

  double state_at(std::uint32_t n, const neuron_state& ns, model_runtime& m, double t, double* y) {
    if (!m.modes.usable) {
      const double* stored = state_.data() + ns.offset;
      if (t == anchor_[n]) {
        std::copy(stored, stored + m.cell.dim, y);
      } else {
        m.cell.propagate(stored, y, t - anchor_[n], m.cell.u_inf);
      }
      return y[0];
    }
    m.at(t);
    const double* decay = m.decay.data();
    if (ns.epoch() != m.epoch) {
      // Not rolled here, so that reading a state never changes how it is stored.
      const double since = t - m.modes.epoch_start(ns.epoch());
      own_decay_.resize(m.modes.dim);
      for (std::uint32_t k = 0; k < m.modes.dim; ++k)
        own_decay_[k] = exp_fast(-m.modes.rates[k] * since);
      decay = own_decay_.data();
    }
    m.modes.state(ns.amplitude, others(ns, m), decay, y);
    if (ns.instant_time != t) {
      y[0] += ns.instant_amplitude * decay[0];
      return y[0];
    }
    const double stored_u = y[0];
    y[0] = ns.instant_exact ? ns.instant_u : y[0] + ns.instant_u;
    return stored_u;
  }

  // Sets u = V - rest of n to `u` at t, exactly; jumps at t add to it.
  void set_u(std::uint32_t n, double t, double u) {
    neuron_state& ns = neurons_[n];
    model_runtime& m = models_[neuron_model_[n]];
    if (!m.modes.usable) {
      advance(n, m, t);
      state_of(n)[0] = u;
      return;
    }
    m.at(t);
    sync(ns, m, m.epoch, t);
    ns.instant_u = u;
    ns.instant_exact = true;
  }

  // Refractory at t: flagged, or a membrane-only neuron before the end of its period, which is
  // its next instant (see spike_now()).
  static bool refractory_at(const neuron_state& ns, double t) {
    return ns.refractory || t < ns.instant_time;
  }

  // delivery.hpp
  void deliver_jumps(std::span<const std::uint32_t> targets, model_runtime& m, double w, double t);
  template <typename F>
  void for_each_open_target(std::span<const std::uint32_t> targets, double t, F&& body);
  template <bool excitatory>
  void deliver_rising(std::span<const std::uint32_t> targets, model_runtime& m, double w, double t);
  void deliver_currents(std::span<const std::uint32_t> targets, model_runtime& m,
                        std::uint32_t slot, double w, double t);
  void deliver_one(std::uint32_t n, model_runtime& m, std::uint32_t slot, double w, double t);
  // In networks whose neurons outgrow the caches, every event would wait for memory: the
  // target's line is fetched some events ahead, and its state vector a few events after that
  // (which a jump into a mode-form neuron does not touch, nor any event into a neuron that keeps
  // its amplitudes in its record). Inlined by force: GCC finds a
  // function of prefetches alone pure, and drops the calls to it.
  // The loops pass the arrays' starts, held in locals: a flag stored through a char type may
  // alias anything, and would make the compiler load them again at every event.
  [[gnu::always_inline]] static void prefetch(const neuron_state* line, const double* state_start,
                                              std::span<const std::uint32_t> targets, std::size_t i,
                                              bool state_too) {
    constexpr std::size_t line_ahead = 16, state_ahead = 8;
    if (i + line_ahead < targets.size()) __builtin_prefetch(line + targets[i + line_ahead]);
    if (state_too && i + state_ahead < targets.size())
      __builtin_prefetch(state_start + line[targets[i + state_ahead]].offset);
  }

  // prediction.hpp
  void settle_membrane(std::uint32_t n, neuron_state& ns, model_runtime& m, double t);
  static void finish_instant(neuron_state& ns, const model_runtime& m, double t, double stored_u);
  void spike_now(std::uint32_t n, double t, double* y);
  void note_input(std::uint32_t n, neuron_state& ns, const model_runtime& m, double w,
                  double charge);
  void watch(std::uint32_t n, neuron_state& ns, const model_runtime& m, double w);
  template <bool excitatory>
  void watch_rising(std::uint32_t n, neuron_state& ns);
  template <bool excitatory>
  void account(std::uint32_t n, neuron_state& ns, double charge);
  // What a pass makes of a watched neuron: watched on with a budget, no longer watched because it
  // can never fire (its budget then charged at PSP peaks), or due to be predicted at the end of the
  // instant.
  struct verdict {
    enum { watched, idle, due } what;
    double budget;
  };
  void predict(std::uint32_t n, double t, const double* y);
  void predict_currents(std::uint32_t n, double t, const double* y, std::uint8_t rechecks);
  void predict_membrane(std::uint32_t n, double t, double u);
  static double window_limit(const cell_model& m, double grow);
  static double amplitude_budget(double limit, double present);
  static verdict judge_amplitude(double limit, double present);
  void schedule(std::uint32_t n, double t, crossing_prediction::kind what, double in,
                double budget);

  // window_pass.hpp
  void watch_coarsely(std::uint32_t n, double t, double budget);
  void stop_coarse(neuron_state& ns, std::uint32_t n);
  static verdict judge(const window_bounds& b, double tolerance);
  template <typename F>
  void watch_pass(std::uint32_t id, double t, F&& verdict_of);
  template <std::uint32_t dim>
  void watch_currents(std::uint32_t id, double t);

  scheduler& sched_;
  std::vector<model_runtime> models_;
  std::vector<std::uint32_t> local_;              // by model id: its index in models_, or no_model
  huge_page_vector<std::uint32_t> neuron_model_;  // by neuron: the index in models_ of its model
  huge_page_vector<double> state_;   // mode amplitudes, or the state at `anchor_` (propagator form)
  huge_page_vector<double> anchor_;  // by neuron: the time of its stored state (propagator form)
  huge_page_vector<neuron_state> neurons_;
  std::vector<std::pair<std::uint32_t, double>> birth_u_;  // by neuron: u0 of those born later
  threshold_crossing crossing_;
  std::vector<double> scratch_;  // a state, as large as the largest model's
  std::vector<double> own_decay_;
};

}  // namespace syn::detail

#include "cell/linear/delivery.hpp"
#include "cell/linear/prediction.hpp"
#include "cell/linear/window_pass.hpp"
