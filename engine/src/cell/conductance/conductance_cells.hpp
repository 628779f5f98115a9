#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <span>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cell/conductance/conductance_model.hpp"
#include "cell/conductance/taylor_step.hpp"
#include "memory/huge_page_allocator.hpp"
#include "scheduling/scheduler.hpp"
#include "synapses/synapse_store.hpp"

namespace syn::detail {

// The conductance cell, a kind of neuron dynamics (cell/cell_kinds.hpp) for models that some
// conductance synapse (a weight in nS) reaches: V obeys
//   C V' = -g_L (V - rest) + sum_k g_k(t) (E_k - V) + I(t) + bias,
// linear in V with time-varying coefficients, which has no closed form. Each neuron keeps u =
// V - rest and its kernels' state at its anchor, the time it was last brought forward. Kernels
// move in closed form (conductance_model.hpp); u by Taylor steps with a rigorous remainder
// (taylor_step.hpp), every input bringing its target to the input's time first. After the
// inputs of an instant, a cheap certain bound (equilibrium_bound.hpp) clears most neurons for
// good; the others are searched step by step ahead (crossing_search.hpp) up to a firing, a state
// the bound clears, or a recheck. Any input may bring a crossing earlier (a conductance pulls V
// towards its reversal, wherever V is), so every input is followed by a new test.
//
// Every neuron of the network has a record here, by neuron index; those of other kinds' models
// are never used.
class conductance_cells {
 public:
  // The models that a conductance synapse reaches.
  static bool accepts(const neuron_params&, const std::vector<input_port>& ports) {
    return std::any_of(ports.begin(), ports.end(),
                       [](const input_port& p) { return p.conductance; });
  }

  conductance_cells(scheduler& s, const network& net, const std::vector<model_id>& models,
                    const std::vector<std::vector<input_port>>& used);

  std::vector<input_port> slot_ports(model_id m) const {
    std::vector<input_port> ports;
    for (const port_kernel& p : models_[local_[m]].ports) ports.push_back(p.port);
    return ports;
  }

  // No coarse watch: the bound above is cheap enough to take at every instant.
  double watch_window() const { return std::numeric_limits<double>::infinity(); }
  void set_watch_window(double) {}
  void window_pass(std::uint64_t, double) {}

  void touch(std::uint32_t n) {
    cell& c = neurons_[n];
    if (c.touched) return;
    c.touched = true;
    sched_.settle_later(n);
  }
  void handle_event(std::uint32_t n, double t);

  void deliver(const synapse_store& synapses, const delay_group& g, double t) {
    const conductance_model& m = models_[local_[g.model]];
    const auto targets = synapses.targets_of(g);
    if (g.uniform()) {
      for (const std::uint32_t n : targets) deliver_one(n, m, g.slot, g.increment, t);
      return;
    }
    const auto increments = synapses.increments_of(g);
    for (std::size_t i = 0; i < targets.size(); ++i)
      deliver_one(targets[i], m, g.slot, increments[i], t);
  }
  void deliver_single(const synapse_store& synapses, const single_segment& g, std::uint32_t i,
                      double t) {
    deliver_one(synapses.single_target(i), models_[local_[g.model]], g.slot,
                synapses.single_increment(g, i), t);
  }

  void settle(std::uint32_t n, double t);
  double v(std::uint32_t n, double t) { return potential(cursors_, n, t, false).v; }
  // Its own cursor: looking ahead leaves the samples' where they were.
  membrane_point v_at(std::uint32_t n, double t) { return potential(look_ahead_, n, t, true); }
  pending next_event(std::uint32_t n) const { return neurons_[n].next; }
  // Asks the cache for n's record, or for its kernels, whose place the record holds (the record
  // then asked for some arrivals earlier).
  [[gnu::always_inline]] void prefetch_neuron(model_id, std::uint32_t n, bool state) const {
    if (state)
      __builtin_prefetch(kernels_.data() + neurons_[n].offset);
    else
      __builtin_prefetch(&neurons_[n]);
  }
  std::uint64_t full_searches() const { return searches_; }
  double horizon() const { return never; }  // no epochs

 private:
  static constexpr std::uint32_t no_model = std::numeric_limits<std::uint32_t>::max();

  struct cell {
    double anchor = 0.0;  // ms: the time of u and of the kernel state
    double u = 0.0;       // V - rest; reset while refractory
    std::uint64_t offset = 0;
    std::uint32_t model = no_model;  // index in models_
    std::uint32_t version = 0;  // changes with every input, spike and event (see v())
    pending next = pending::none;
    bool refractory = false;
    bool touched = false;
  };

  // Where v() last left a neuron: samples take whole steps from the anchor, so that the ends of
  // the steps do not depend on which times are sampled (nor on what else samples the neuron),
  // and evaluate the step that holds their time. The cursor keeps the last step's start and the
  // step itself, as long as nothing changed the neuron.
  struct cursor {
    std::uint32_t version = 0;
    double time = 0.0;  // since the anchor
    double u = 0.0;
    std::vector<double> kernels;
    taylor_step step;
  };

  // V at t, and its slope when `slope` (else 0), from n's cursor in `cursors` (moved to t's step).
  membrane_point potential(std::unordered_map<std::uint32_t, cursor>& cursors, std::uint32_t n,
                           double t, bool slope);

  double* kernels_of(const cell& c) { return kernels_.data() + c.offset; }

  // Brings n's state to t (u held while refractory, or when `u_too` is false: the caller sets
  // it).
  void bring(cell& c, double t, bool u_too = true) {
    if (c.anchor == t) return;
    const conductance_model& m = models_[c.model];
    if (c.refractory || !u_too) {
      propagate_kernels(m, kernels_of(c), kernels_of(c), t - c.anchor);
    } else {
      c.u = advance_state(m, c.u, kernels_of(c), t - c.anchor);
    }
    c.anchor = t;
  }

  void deliver_one(std::uint32_t n, const conductance_model& m, std::uint32_t slot, double w,
                   double t) {
    cell& c = neurons_[n];
    ++c.version;
    if (slot == 0) {
      if (c.refractory) return;  // jumps during refractoriness are lost
      bring(c, t);
      c.u += w;
    } else {
      bring(c, t);
      const port_kernel& p = m.ports[slot - 1];
      kernels_of(c)[p.has_rise ? p.g + 1 : p.g] += w;
      if (c.refractory) return;  // the end of the period tests it
    }
    touch(n);
  }

  void spike_now(std::uint32_t n, cell& c, double t);
  void predict(std::uint32_t n, cell& c, double t);
  void schedule(std::uint32_t n, cell& c, pending what, double t) {
    c.next = what;
    if (what == pending::none) {
      sched_.queue.remove(n);
    } else {
      sched_.queue.set(n, t);
    }
  }

  scheduler& sched_;
  std::vector<conductance_model> models_;
  std::vector<std::uint32_t> local_;  // by model id: its index in models_, or no_model
  huge_page_vector<cell> neurons_;         // by neuron index
  huge_page_vector<double> kernels_;
  std::vector<std::pair<std::uint32_t, double>> birth_u_;  // by neuron: u0 of those born later
  std::vector<double> scratch_;                            // a kernel state
  std::vector<double> bins_;  // the equilibrium bound's coefficients, one per rate
  std::unordered_map<std::uint32_t, cursor> cursors_;     // by neuron, of those sampled
  std::unordered_map<std::uint32_t, cursor> look_ahead_;  // by neuron, of those measured
  std::uint64_t searches_ = 0;
};

}  // namespace syn::detail
