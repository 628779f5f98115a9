#pragma once

// Part of linear_cells.hpp (included at its end): the threshold test at the end of an instant,
// spikes and resets, and the predictions and budgets that tell when a neuron must be looked at
// again.

namespace syn::detail {

// The tuning of the predictions with currents (docs/performance.md has the measurements).
namespace linear_tuning {
// A prediction with currents aims at threshold - margin * (threshold - V): the neuron then
// absorbs excitation worth that margin before it must be predicted again (see deliver()).
// Smaller margins mean more re-predictions, larger ones more rechecks. Under the coarse watch a
// neuron is predicted only within a window of a possible crossing, where a level close to
// threshold pays; without it (the propagator form) the level serves far from threshold too.
// MAGIC NUMBERS, found by engine_bench B (times with the watch, instructions without it).
inline constexpr double margin_watched = 0.02;
inline constexpr double margin = 0.2;
// With currents, a level's recheck is taken only when it comes at least this many membrane
// time constants later: bounds alone could creep up on a crossing for ever, and a recheck soon
// after the present means a crossing may be near, where the exact search is worth its cost (and
// its answer lasts). MAGIC NUMBER, found by engine_bench B's instruction counts.
inline constexpr double soon = 1.0 / 64;
// With currents, rechecks in a row (no excitation having spent the budget between them) before
// the search all the same: a neuron drifting up to a crossing on its own would otherwise take
// some fifteen rechecks for each (tests/engine/regression_test.cpp). MAGIC NUMBER, found by
// engine_bench B's instruction counts.
inline constexpr std::uint8_t search_after_rechecks = 6;
}  // namespace linear_tuning

inline void linear_cells::handle_event(std::uint32_t n, double t) {
  neuron_state& ns = neurons_[n];
  const pending what = ns.what_next();
  ns.set_next(pending::none);
  switch (what) {
    case pending::refractory_end:
      ns.refractory = false;
      set_u(n, t, models_[neuron_model_[n]].cell.reset_rel);
      break;
    case pending::born: {
      ns.refractory = false;
      const auto it = std::lower_bound(birth_u_.begin(), birth_u_.end(), std::pair(n, -never));
      set_u(n, t, it->second);
      break;
    }
    case pending::crossing:
      // V is at threshold now, exactly; jumps at this instant add to it.
      set_u(n, t, models_[neuron_model_[n]].cell.threshold_rel);
      break;
    case pending::recheck:
      // Counted up to the larger limit.
      if (ns.rechecks < linear_tuning::search_after_rechecks) ++ns.rechecks;
      break;
    case pending::none:
      break;
  }
  touch(n);
}

// After all events at t: test threshold and predict.
inline void linear_cells::settle(std::uint32_t n, double t) {
  neuron_state& ns = neurons_[n];
  ns.touched = false;
  if (ns.refractory) return;
  model_runtime& mr = models_[neuron_model_[n]];
  if (mr.membrane_only) {
    settle_membrane(n, ns, mr, t);
    return;
  }
  double* y = scratch_.data();
  const double stored_u = state_at(n, ns, mr, t, y);
  if (reached(mr.cell, y)) {
    spike_now(n, t, y);
  } else {
    predict_currents(n, t, y, ns.rechecks);
  }
  finish_instant(ns, mr, t, stored_u);
}

// settle's body for a membrane-only neuron, the commonest, with state_at() reduced to its
// one-mode case.
inline void linear_cells::settle_membrane(std::uint32_t n, neuron_state& ns, model_runtime& m,
                                          double t) {
  m.at(t);
  const double decay = ns.epoch() == m.epoch
                           ? m.decay[0]
                           : exp_fast(-m.modes.rates[0] * (t - m.modes.epoch_start(ns.epoch())));
  double stored_u = m.cell.u_inf + ns.amplitude * decay;
  double u = stored_u;
  if (ns.instant_time != t) {
    u += ns.instant_amplitude * decay;
    stored_u = u;
  } else if (ns.instant_exact) {
    u = ns.instant_u;
  } else {
    u += ns.instant_u;
  }
  if (reached(m.cell, &u)) {
    spike_now(n, t, &u);
  } else {
    predict_membrane(n, t, u);
  }
  finish_instant(ns, m, t, stored_u);
}

// Mode form, m at t, as n's instant settles: an exact u becomes the change of amplitude that
// gives it, `stored_u` being u without that change.
inline void linear_cells::finish_instant(neuron_state& ns, const model_runtime& m, double t,
                                         double stored_u) {
  if (ns.instant_time == t && ns.instant_exact)
    ns.instant_amplitude = (ns.instant_u - stored_u) * m.grow[0];
}

// n reached threshold at t; y is its state.
inline void linear_cells::spike_now(std::uint32_t n, double t, double* y) {
  neuron_state& ns = neurons_[n];
  const model_runtime& mr = models_[neuron_model_[n]];
  const cell_model& m = mr.cell;
  sched_.queue.remove(n);
  ns.set_next(pending::none);
  stop_coarse(ns, n);
  sched_.fire(n, t);
  if (m.refractory > 0.0 && mr.membrane_only) {
    // Nothing but jumps reaches the neuron, and those before the end of the period are lost:
    // the end, where V is reset exactly (jumps at it add to that), becomes its next instant
    // now, and it is predicted from there, with no event for the end itself.
    const double end = after(t, m.refractory);
    ns.set_epoch(mr.modes.epoch_of(end));
    ns.amplitude = 0.0;
    ns.instant_amplitude = (m.reset_rel - m.u_inf) *
                           exp_fast(m.membrane_rate * (end - mr.modes.epoch_start(ns.epoch())));
    ns.instant_time = end;
    ns.instant_u = m.reset_rel;
    ns.instant_exact = true;
    predict_membrane(n, end, m.reset_rel);
  } else if (m.refractory > 0.0) {
    // V is held at reset; the end of the period sets it there.
    ns.refractory = true;
    ns.set_next(pending::refractory_end);
    sched_.queue.set(n, after(t, m.refractory));
  } else {
    set_u(n, t, m.reset_rel);
    y[0] = m.reset_rel;
    predict(n, t, y);
  }
}

// What an input of weight w (PSP peak `charge` mV) means for n's next prediction.
inline void linear_cells::note_input(std::uint32_t n, neuron_state& ns, const model_runtime& m,
                                     double w, double charge) {
  if (m.membrane_only) {
    watch(n, ns, m, w);
  } else {
    w > 0.0 ? account<true>(n, ns, charge) : account<false>(n, ns, charge);
  }
}

// Membrane-only models: u rises or falls monotonically between inputs, so one comparison
// tells whether n needs looking at. Rising, its crossing time grows with -a: the budget holds
// the amplitude at which the crossing would come at the pending event's time (watched
// coarsely: at the end of the window), and only an input that takes a there can bring the
// crossing before it (inhibition moves a away from it, for free). Falling towards u_inf below
// threshold, n can only fire at an input, when u reaches threshold.
inline void linear_cells::watch(std::uint32_t n, neuron_state& ns, const model_runtime& m,
                                double w) {
  if (m.rising) {
    w < 0.0 ? watch_rising<false>(n, ns) : watch_rising<true>(n, ns);
  } else if (m.cell.u_inf + (ns.amplitude + ns.instant_amplitude) * m.decay[0] >=
             m.cell.threshold_rel - m.tolerance) {
    touch(n);
  }
}

template <bool excitatory>
inline void linear_cells::watch_rising(std::uint32_t n, neuron_state& ns) {
  if (ns.amplitude + ns.instant_amplitude >= ns.budget) {
    touch(n);
  } else if (!excitatory && ns.what_next() == pending::crossing) {
    ns.set_next(pending::recheck);
  }
}

// An event whose PSP peaks at `charge` mV (excitatory) or that inhibits has reached n (see
// deliver()).
template <bool excitatory>
inline void linear_cells::account(std::uint32_t n, neuron_state& ns, double charge) {
  if (excitatory) {
    ns.budget -= charge;
    if (ns.budget < 0.0) {
      ns.rechecks = 0;
      touch(n);
    }
  } else if (ns.what_next() == pending::crossing) {
    ns.set_next(pending::recheck);
  }
}

// Schedules n's next event from its state y at t, and sets its budget.
inline void linear_cells::predict(std::uint32_t n, double t, const double* y) {
  if (models_[neuron_model_[n]].membrane_only) {
    predict_membrane(n, t, y[0]);
  } else {
    predict_currents(n, t, y, 0);
  }
}

// A level below threshold is tried first, by the cheap bounds only: when it holds, the neuron
// can take excitation worth the difference before anything must be predicted again. Unless it
// is never reached or reached no sooner than `soon` (and the rechecks in a row are fewer than
// search_after_rechecks), the crossing is searched for exactly.
inline void linear_cells::predict_currents(std::uint32_t n, double t, const double* y,
                                           std::uint8_t rechecks) {
  const model_runtime& mr = models_[neuron_model_[n]];
  const cell_model& m = mr.cell;
  using kind = crossing_prediction::kind;
  if (mr.coarse) {
    // Never, or not within the window: with no event, until the next watch instant.
    const verdict v = judge(bound_window(m, y, m.threshold_rel), mr.tolerance);
    if (v.what == verdict::idle) {
      schedule(n, t, kind::none, 0.0, v.budget);
      return;
    }
    if (v.what == verdict::watched) {
      watch_coarsely(n, t, v.budget);
      return;
    }
  }
  if (rechecks < linear_tuning::search_after_rechecks) {
    // Never closer than 2e3 peak tolerances: the 0.999 of it given as budget then leaves V
    // more than a peak tolerance below threshold.
    const double below =
        std::max((mr.coarse ? linear_tuning::margin_watched : linear_tuning::margin) *
                     (m.threshold_rel - y[0]),
                 2e3 * peak_tolerance);
    const auto level = crossing_.predict(m, y, t, false, m.threshold_rel - below, false);
    if (level.what == kind::none ||
        (level.what != kind::unknown && level.after >= linear_tuning::soon * m.tau_m)) {
      // The level's own rounding is far below the 0.1 % held back.
      schedule(n, t, level.what == kind::none ? kind::none : kind::recheck, level.after,
               0.999 * below);
      return;
    }
  }
  const auto p = crossing_.predict(m, y, t, true, m.threshold_rel);
  schedule(n, t, p.what, p.after, 0.0);
}

// u(t + s) - u_inf = (u - u_inf) e^{-rate s} reaches threshold at s = ln(1 + z) / rate,
// z = (threshold - u) / (u_inf - threshold). Beyond the window, n is watched coarsely; within
// it, its crossing is scheduled, and the amplitude limit that watch() compares with is the
// present one: any excitation predicts again. (Rechecks at levels below threshold, as with
// currents, cost more here: benchmark 4 in docs/performance.md.)
inline void linear_cells::predict_membrane(std::uint32_t n, double t, double u) {
  using kind = crossing_prediction::kind;
  const model_runtime& mr = models_[neuron_model_[n]];
  const cell_model& m = mr.cell;
  const double gap = m.u_inf - m.threshold_rel;
  if (gap <= 0.0) {
    schedule(n, t, kind::none, 0.0, 0.0);
    return;
  }
  neuron_state& ns = neurons_[n];
  // The limits need no exponential beyond e^{rate (t - t_e)}, which the instant has unless n is
  // still in an older epoch (or, refractory, in a later one).
  const double grow = ns.epoch() == mr.epoch && mr.time == t
                          ? mr.grow[0]
                          : exp_fast(m.membrane_rate * (t - mr.modes.epoch_start(ns.epoch())));
  const double present = (u - m.u_inf) * grow;
  if (const verdict v = judge_amplitude(window_limit(m, grow), present);
      v.what == verdict::watched) {
    watch_coarsely(n, t, v.budget);
    return;
  }
  const double z = (m.threshold_rel - u) / gap;
  schedule(n, t, kind::crossing, std::log1p(z) / m.membrane_rate, 0.0);
  // At the crossing, e^{rate s} = (u_inf - u) / (u_inf - threshold) = 1 + z.
  ns.budget = amplitude_budget(-gap * (1.0 + z) * grow, present);
}

// Membrane-only and rising: the amplitude whose crossing comes at the end of the window, from
// e^{rate (t - t_e)} of the instant.
inline double linear_cells::window_limit(const cell_model& m, double grow) {
  return -(m.u_inf - m.threshold_rel) * grow / m.window_decay;
}

// An amplitude limit, held back from the present amplitude by a hair for its rounding.
inline double linear_cells::amplitude_budget(double limit, double present) {
  return limit - 1e-9 * std::abs(limit - present);
}

// Membrane-only and rising: watched while the amplitude stays below `limit`, else due.
inline linear_cells::verdict linear_cells::judge_amplitude(double limit, double present) {
  const double budget = amplitude_budget(limit, present);
  return present < budget ? verdict{verdict::watched, budget} : verdict{verdict::due, 0.0};
}

inline void linear_cells::schedule(std::uint32_t n, double t, crossing_prediction::kind what,
                                   double in, double budget) {
  neuron_state& ns = neurons_[n];
  stop_coarse(ns, n);
  ns.budget = budget;
  using kind = crossing_prediction::kind;
  if (what == kind::none) {
    sched_.queue.remove(n);
    ns.set_next(pending::none);
    return;
  }
  ns.set_next(what == kind::crossing ? pending::crossing : pending::recheck);
  sched_.queue.set(n, after(t, in));
}

}  // namespace syn::detail
