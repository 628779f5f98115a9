#pragma once

// Part of linear_cells.hpp (included at its end): the coarse watch: neurons whose bounds keep them
// below threshold for a window are watched with no event of their own, and passed over at each
// watch instant.

namespace syn::detail {

// n is watched coarsely from t on, with `budget` of excitation (charged at window_peak) until
// the next watch instant, which comes no later than t + window.
inline void linear_cells::watch_coarsely(std::uint32_t n, double t, double budget) {
  neuron_state& ns = neurons_[n];
  sched_.queue.remove(n);
  ns.set_next(pending::none);
  ns.budget = budget;
  if (ns.coarse) return;
  ns.coarse = true;
  sched_.watch.add(n, t);
}

inline void linear_cells::stop_coarse(neuron_state& ns, std::uint32_t n) {
  if (!ns.coarse) return;
  ns.coarse = false;
  sched_.watch.remove(n);
}

// A watch instant: each coarsely watched neuron of the models due (see model_runtime::stride)
// gets the budget of its state now over its model's window, or stops being watched because it
// can never fire, or is predicted at the end of the instant.
inline void linear_cells::window_pass(std::uint64_t k, double t) {
  for (std::uint32_t id = 0; id < models_.size(); ++id) {
    model_runtime& m = models_[id];
    if (!m.coarse || k % m.stride != 0) continue;
    m.at(t);
    if (m.membrane_only) {
      const double limit = window_limit(m.cell, m.grow[0]);
      watch_pass(id, t, [limit](const neuron_state& ns) {
        return judge_amplitude(limit, ns.amplitude + ns.instant_amplitude);
      });
      continue;
    }
    switch (m.window_peak_of_mode.size()) {
      case 2:
        watch_currents<2>(id, t);
        break;
      case 3:
        watch_currents<3>(id, t);
        break;
      case 4:
        watch_currents<4>(id, t);
        break;
      default:
        watch_pass(id, t, [&](const neuron_state& ns) {
          double* const y = scratch_.data();
          m.modes.state(ns.amplitude + ns.instant_amplitude, others(ns, m), m.decay.data(), y);
          return judge(bound_window(m.cell, y, m.cell.threshold_rel), m.tolerance);
        });
    }
  }
}

// A neuron with currents by its bounds: idle if it can never fire, watched if not within the
// window, else predicted.
inline linear_cells::verdict linear_cells::judge(const window_bounds& b, double tolerance) {
  const double clear = -tolerance - 1e-12 * b.scale;
  if (b.ever < clear) return {verdict::idle, -0.999 * b.ever};
  if (b.window < clear) return {verdict::watched, -0.999 * b.window};
  return {verdict::due, 0.0};
}

// The pass over model `id`'s watched neurons, verdict_of(state) deciding for each.
template <typename F>
inline void linear_cells::watch_pass(std::uint32_t id, double t, F&& verdict_of) {
  const std::uint64_t epoch = models_[id].epoch;
  std::uint64_t checks = 0;
  sched_.watch.for_each([&](std::uint32_t n) {
    if (neuron_model_[n] != id) return;
    neuron_state& ns = neurons_[n];
    // Refractory (membrane-only, predicted from the end of it): its budget holds for a window
    // from there. At the end itself too: a watch instant there is passed over, as it is where
    // the neuron is the only one watched (coarse_watch::add), so that a neuron is looked at the
    // same instants however the network is split (parallel/epoch_loop.hpp).
    if (ns.refractory || t <= ns.instant_time) return;
    if (ns.epoch() != epoch) {
      // As start_instant() would: the last instant's change first, in its own epoch.
      ns.amplitude += ns.instant_amplitude;
      ns.instant_amplitude = 0.0;
      roll(ns, models_[id]);
    }
    ++checks;
    const verdict v = verdict_of(ns);
    if (v.what == verdict::watched) {
      ns.budget = v.budget;
      return;
    }
    stop_coarse(ns, n);
    if (v.what == verdict::idle) {
      ns.budget = v.budget;
    } else {
      touch(n);
    }
  });
  sched_.stats.window_checks += checks;
}

// The pass for a model with currents alone (no rise stages) and `dim` modes, whose modes past
// u's are its currents: bound_window() written out from the amplitudes, the model's constants
// in locals.
template <std::uint32_t dim>
inline void linear_cells::watch_currents(std::uint32_t id, double t) {
  const model_runtime& m = models_[id];
  std::array<double, dim> decay{}, u_weight{}, window_peak{}, peak{};
  for (std::uint32_t k = 0; k < dim; ++k) {
    decay[k] = m.decay[k];
    u_weight[k] = m.modes.u_weight[k];
    window_peak[k] = m.window_peak_of_mode[k];
    peak[k] = m.peak_of_mode[k];
  }
  const double gap = m.cell.u_inf - m.cell.threshold_rel;
  const double relax = m.cell.window_decay;
  const double tolerance = m.tolerance;
  const double* const amplitudes = state_.data();
  const bool here = others_here(m);
  watch_pass(id, t, [&](const neuron_state& ns) {
    const double* others = here ? ns.others : amplitudes + ns.offset;
    double w0 = (ns.amplitude + ns.instant_amplitude) * decay[0];
    double within = 0.0, ever = 0.0;
    for (std::uint32_t k = 1; k < dim; ++k) {
      const double current = others[k - 1] * decay[k];
      w0 += u_weight[k] * current;
      within += std::max(0.0, current) * window_peak[k];
      ever += std::max(0.0, current) * peak[k];
    }
    return judge({gap + std::max(w0, w0 * relax) + within, gap + std::max(0.0, w0) + ever,
                  std::abs(gap) + std::abs(w0) + ever},
                 tolerance);
  });
}

}  // namespace syn::detail
