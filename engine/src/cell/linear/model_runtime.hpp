#pragma once

#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "cell/linear/cell_model.hpp"
#include "cell/linear/mode_basis.hpp"
#include "numerics/fast_exp.hpp"

namespace syn::detail {

// A cell model as the linear cells use it, with the exponentials of the instant in hand.
struct model_runtime {
  cell_model cell;
  mode_basis modes;
  std::vector<double> peak;         // by synapse slot: most u can rise per unit of input
  std::vector<double> window_peak;  // by synapse slot: the same within the model's window
  bool coarse = false;              // whether its neurons may be watched coarsely
  // Without rise stages, mode k > 0 is the current of the slot at stage k, alone: by mode, the
  // most u can rise within the window, and at all, per unit of that current (else empty).
  std::vector<double> window_peak_of_mode;
  std::vector<double> peak_of_mode;
  // Its neurons are watched at every stride-th watch instant: the instants are multiples of the
  // shortest window of all models, and stride of them fit in this model's own.
  std::uint64_t stride = 1;
  std::vector<std::uint32_t> input;  // by synapse slot: the state variable it feeds
  std::vector<double> carry;         // e^{-rate_k L}: amplitudes into the next epoch
  double time = std::numeric_limits<double>::quiet_NaN();  // of `epoch`
  std::uint64_t epoch = 0;
  // The time of grow and decay.
  double factor_time = std::numeric_limits<double>::quiet_NaN();
  std::vector<double> grow;                 // e^{rate_k (factor_time - t_e)}
  std::vector<double> decay;                // e^{-rate_k (factor_time - t_e)}
  std::vector<std::array<double, 3>> gain;  // by slot: gamma * grow of each excited mode
  std::vector<double> gain_time;            // by slot: of its gains

  // Mode form with u alone (jump synapses only): u(t) = u_inf + a e^{-rate (t - t_e)} is known
  // from one amplitude, and is watched by it (see linear_cells::watch()).
  bool membrane_only = false;
  bool rising = false;  // u_inf above threshold: every state is on its way to a crossing
  // mV: below threshold by less than this, settle looks exactly. A thousandth of it exceeds
  // peak_tolerance, so the coarse watch's budgets (0.999 of a clearance) stay out of it.
  double tolerance = 0.0;

  explicit model_runtime(cell_model c) : cell(std::move(c)), modes(make_mode_basis(cell)) {
    membrane_only = modes.usable && cell.dim == 1;
    rising = cell.u_inf > cell.threshold_rel;
    tolerance = 1e-9 * (std::abs(cell.threshold_rel) + std::abs(cell.u_inf) + 1.0);
    // The budget charges an input its peak effect, rounded up a little.
    constexpr double safety = 1.0 + 1e-9;
    peak.push_back(safety);
    window_peak.push_back(safety);
    input.push_back(0);
    for (const receptor_slot& s : cell.slots) {
      peak.push_back(safety * (s.has_rise ? s.peak_u_from_rise : s.peak_u_from_current));
      window_peak.push_back(safety * (s.has_rise ? s.window_u_from_rise : s.window_u_from_current));
      input.push_back(s.input());
    }
    if (!modes.usable) return;
    coarse = cell.dim > 1 || rising;
    if (modes.entries.empty()) {
      window_peak_of_mode.assign(modes.dim, 0.0);
      peak_of_mode.assign(modes.dim, 0.0);
      for (const receptor_slot& s : cell.slots) {
        window_peak_of_mode[s.current] = s.window_u_from_current;
        peak_of_mode[s.current] = s.peak_u_from_current;
      }
    }
    for (const double r : modes.rates) carry.push_back(exp_fast(-r * modes.epoch_length));
    grow.resize(modes.dim);
    decay.resize(modes.dim);
    gain.resize(modes.impulses.size());
    gain_time.assign(modes.impulses.size(), std::numeric_limits<double>::quiet_NaN());
  }

  void at(double t) {
    epoch_at(t);
    if (t == factor_time) return;
    factor_time = t;
    const double since = t - modes.epoch_start(epoch);
    for (std::uint32_t k = 0; k < modes.dim; ++k) {
      grow[k] = exp_fast(modes.rates[k] * since);
      // With u alone, most instants are one neuron's own event, whose prediction waits on the
      // decay: an exponential beside the growth then comes sooner than a division after it;
      // with currents the extra exponentials cost more (docs/performance.md).
      decay[k] = membrane_only ? exp_fast(-modes.rates[k] * since) : 1.0 / grow[k];
    }
  }

  // at(t), and the gains of inputs at t: only instants with deliveries need them.
  void at_with_gains(double t) {
    at(t);
    for (std::size_t j = 0; j < modes.impulses.size(); ++j) {
      if (gain_time[j] == t) continue;
      gain_time[j] = t;
      const mode_basis::impulse& in = modes.impulses[j];
      for (std::uint32_t i = 0; i < in.count; ++i) gain[j][i] = in.gamma[i] * grow[in.stage[i]];
    }
  }

  // What an input into receptor slot `slot` > 0 at t needs, the epoch and the slot's gains,
  // alone: most instants of synapses with delays of their own hold one input, and the modes it
  // does not excite would cost an exponential each. The same values as at_with_gains(t).
  void at_for_receptor(double t, std::uint32_t slot) {
    if (t == factor_time) {
      at_with_gains(t);
      return;
    }
    epoch_at(t);
    if (gain_time[slot] == t) return;
    gain_time[slot] = t;
    const double since = t - modes.epoch_start(epoch);
    const mode_basis::impulse& in = modes.impulses[slot];
    for (std::uint32_t i = 0; i < in.count; ++i)
      gain[slot][i] = in.gamma[i] * exp_fast(modes.rates[in.stage[i]] * since);
  }

 private:
  void epoch_at(double t) {
    if (t == time) return;
    time = t;
    epoch = modes.epoch_of(t);
  }
};

}  // namespace syn::detail
