#pragma once

// Part of linear_cells.hpp (included at its end): synaptic events, each added to its target's state
// and charged against its budget.

namespace syn::detail {

// A synaptic event at synapse i of a segment of singles.
inline void linear_cells::deliver_single(const synapse_store& synapses, const single_segment& g,
                                         std::uint32_t i, double t) {
  model_runtime& m = models_[local_[g.model]];
  // Jumps read grow[0] and, into a membrane alone, decay[0] (see note_input()).
  if (m.modes.usable && (g.slot == 0 || m.membrane_only))
    m.at_with_gains(t);
  else if (m.modes.usable)
    m.at_for_receptor(t, g.slot);
  deliver_one(synapses.single_target(i), m, g.slot, synapses.single_increment(g, i), t);
}

// Every synaptic event: the input is added to the target's state (no exponential is computed
// per event; see mode_basis.hpp), and an excitatory one is charged its peak effect against
// the target's budget. Only when the budget is spent is the target re-predicted, after all
// events of the instant. Inhibition can only delay a crossing: a predicted one is demoted to
// a recheck, and nothing else needs doing.
inline void linear_cells::deliver(const synapse_store& synapses, const delay_group& g, double t) {
  const auto targets = synapses.targets_of(g);
  model_runtime& m = models_[local_[g.model]];
  if (m.modes.usable) m.at_with_gains(t);
  if (g.uniform() && m.modes.usable) {
    if (g.slot == 0) {
      deliver_jumps(targets, m, g.increment, t);
    } else {
      deliver_currents(targets, m, g.slot, g.increment, t);
    }
    return;
  }
  const bool state_too = !m.modes.usable || (g.slot != 0 && !others_here(m));
  if (g.uniform()) {
    for (std::size_t i = 0; i < targets.size(); ++i) {
      prefetch(neurons_.data(), state_.data(), targets, i, state_too);
      deliver_one(targets[i], m, g.slot, g.increment, t);
    }
    return;
  }
  const auto increments = synapses.increments_of(g);
  for (std::size_t i = 0; i < targets.size(); ++i) {
    prefetch(neurons_.data(), state_.data(), targets, i, state_too);
    deliver_one(targets[i], m, g.slot, increments[i], t);
  }
}

// deliver_one for a projection of voltage jumps with one weight onto a mode-form model, the
// commonest case, with what does not change from target to target worked out once.
inline void linear_cells::deliver_jumps(std::span<const std::uint32_t> targets, model_runtime& m,
                                        double w, double t) {
  if (m.membrane_only && m.rising) {
    if (w < 0.0) {
      deliver_rising<false>(targets, m, w, t);
    } else {
      deliver_rising<true>(targets, m, w, t);
    }
    return;
  }
  const double amplitude = w * m.grow[0];
  const double charge = w * m.peak[0];
  for_each_open_target(targets, t, [&](std::uint32_t n, neuron_state& ns) {
    add_jump(ns, m, m.epoch, t, w, amplitude);
    note_input(n, ns, m, w, charge);  // a jump's window peak is its peak
  });
}

// body(n, its state) for each target not refractory at t (jumps into it would be lost).
template <typename F>
inline void linear_cells::for_each_open_target(std::span<const std::uint32_t> targets, double t,
                                               F&& body) {
  neuron_state* const line = neurons_.data();
  for (std::size_t i = 0; i < targets.size(); ++i) {
    prefetch(line, nullptr, targets, i, false);
    const std::uint32_t n = targets[i];
    neuron_state& ns = line[n];
    if (!refractory_at(ns, t)) body(n, ns);
  }
}

// deliver_jumps onto rising membrane-only neurons (benchmark 4's), with the weight's sign and
// the model's epoch fixed for the loop (see sync()).
template <bool excitatory>
inline void linear_cells::deliver_rising(std::span<const std::uint32_t> targets, model_runtime& m,
                                         double w, double t) {
  const double amplitude = w * m.grow[0];
  const std::uint64_t epoch = m.epoch;
  for_each_open_target(targets, t, [&, epoch](std::uint32_t n, neuron_state& ns) {
    add_jump(ns, m, epoch, t, w, amplitude);
    watch_rising<excitatory>(n, ns);
  });
}

// deliver_one for a projection with one weight into a receptor of a mode-form model (which
// has currents, so is not membrane-only): the increments of the modes it excites are worked
// out once, u's apart from the others (in the record or the state vector).
inline void linear_cells::deliver_currents(std::span<const std::uint32_t> targets, model_runtime& m,
                                           std::uint32_t slot, double w, double t) {
  const mode_basis::impulse& in = m.modes.impulses[slot];
  double u_increment = 0.0;
  std::array<std::uint32_t, 3> other{};  // index after the neuron's offset
  std::array<double, 3> increment{};
  std::uint32_t others = 0;
  for (std::uint32_t j = 0; j < in.count; ++j) {
    const double x = w * m.gain[slot][j];
    if (in.stage[j] == 0) {
      u_increment = x;
    } else {
      other[others] = in.stage[j] - 1;
      increment[others++] = x;
    }
  }
  const auto loop = [&]<bool excitatory, bool here>() {
    // What does not change from target to target in locals (see deliver_rising()).
    const double charge = w * m.peak[slot];
    const double window_charge = w * m.window_peak[slot];
    const std::uint64_t epoch = m.epoch;
    neuron_state* const line = neurons_.data();
    double* const state_start = state_.data();
    for (std::size_t i = 0; i < targets.size(); ++i) {
      prefetch(line, state_start, targets, i, !here);
      const std::uint32_t n = targets[i];
      neuron_state& ns = line[n];
      sync(ns, m, epoch, t);
      ns.amplitude += u_increment;
      double* a = here ? ns.others : state_start + ns.offset;
      a[other[0]] += increment[0];  // a receptor excites one mode besides u's, or two
      for (std::uint32_t j = 1; j < others; ++j) a[other[j]] += increment[j];
      if (ns.refractory) continue;  // currents keep flowing; the end of it re-predicts
      account<excitatory>(n, ns, ns.coarse ? window_charge : charge);
    }
  };
  const bool here = others_here(m);
  if (w > 0.0) {
    here ? loop.template operator()<true, true>() : loop.template operator()<true, false>();
  } else {
    here ? loop.template operator()<false, true>() : loop.template operator()<false, false>();
  }
}

inline void linear_cells::deliver_one(std::uint32_t n, model_runtime& m, std::uint32_t slot,
                                      double w, double t) {
  neuron_state& ns = neurons_[n];
  if (slot == 0 && refractory_at(ns, t)) return;  // jumps during refractoriness are lost
  add_input(n, ns, m, slot, w, t);
  if (ns.refractory) return;  // currents keep flowing; the end of it re-predicts
  note_input(n, ns, m, w, w * (ns.coarse ? m.window_peak[slot] : m.peak[slot]));
}

}  // namespace syn::detail
