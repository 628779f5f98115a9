#include "syn/engine/simulator.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <span>
#include <tuple>

#include "cell/linear/cell_model.hpp"
#include "recording/decimal_grid.hpp"
#include "scheduling/event_queue.hpp"
#include "numerics/fast_exp.hpp"
#include "cell/linear/mode_basis.hpp"
#include "scheduling/neuron_queue.hpp"
#include "sources/source_trains.hpp"
#include "syn/engine/model_error.hpp"
#include "syn/engine/run_error.hpp"
#include "synapses/synapse_store.hpp"
#include "cell/linear/threshold_crossing.hpp"

namespace syn {

using detail::event;
using detail::event_kind;

namespace {

constexpr std::uint32_t no_neuron = std::numeric_limits<std::uint32_t>::max();
constexpr double eps = std::numeric_limits<double>::epsilon();
constexpr double never = std::numeric_limits<double>::infinity();

// A prediction with currents aims at threshold - margin * (threshold - V): the neuron then
// absorbs excitation worth that margin before it must be predicted again (see deliver()).
// Smaller margins mean more re-predictions, larger ones more rechecks. Under the coarse watch a
// neuron is predicted only within a window of a possible crossing, where a level close to
// threshold pays: CUBA, 10 s, engine_bench, 3 runs each, at margins 0.005 / 0.01 / 0.02 / 0.05 /
// 0.1 / 0.2 / 0.5: 0.345-0.365, 0.343-0.348, 0.344-0.349, 0.348-0.360, 0.350-0.379,
// 0.361-0.368, 0.394-0.402 s. Without it (the propagator form) the level serves far from
// threshold too: instructions for 1 s of CUBA without the watch at 0.15 / 0.2 / 0.25 / 0.3:
// 644 / 621 / 625 / 641 M.
constexpr double margin_watched = 0.02;
constexpr double margin = 0.2;
// With currents, a level's recheck is taken only when it comes at least this many membrane
// time constants later: bounds alone could creep up on a crossing for ever, and a recheck soon
// after the present means a crossing may be near, where the exact search is worth its cost (and
// its answer lasts). Instructions for 1 s of exponential currents at 0.005 / 0.01 / 1/64 /
// 0.025 / 0.05: 622 / 616 / 614 / 615 / 628 M (without search_after_rechecks); 711 M when the
// search came after two rechecks in a row instead.
constexpr double soon = 1.0 / 64;
// With currents, rechecks in a row (no excitation having spent the budget between them) before
// the search all the same: a neuron drifting up to a crossing on its own would otherwise take
// some fifteen rechecks for each (tests/engine/regression_test.cpp). Instructions for 1 s of
// exponential currents at 2 / 3 / 4 / 6 / never: 669 / 634 / 622 / 617 / 617 M.
constexpr std::uint8_t search_after_rechecks = 6;

// t + dt, but strictly after t even where dt is below t's rounding: a neuron or a spike can
// never schedule a consequence at the instant being processed.
double after(double t, double dt) {
  const double next = t + dt;
  return next > t ? next : std::nextafter(t, never);
}

std::vector<detail::cell_model> lower_models(const network& net) {
  // Each model gets state only for the receptors that actually reach its neurons.
  const std::vector<model_id> model_of = net.model_by_node();
  std::vector<std::vector<receptor_id>> used(net.models().size());
  std::pair<model_id, receptor_id> last{std::numeric_limits<model_id>::max(), 0};
  for (const connection& c : net.connections()) {
    const std::pair<model_id, receptor_id> pair{model_of[c.post], c.receptor};
    if (pair == last) continue;  // connections come in runs onto one model and receptor
    last = pair;
    auto& list = used[pair.first];
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
  detail::decimal_grid times;
  std::uint64_t next = 0;  // k of the next sample, at times.at(k)
  double next_time() const { return times.at(next); }
};

// born: a neuron added to a growing network, held until it takes effect (see
// network::take_effect_at), then started from its v0.
enum class pending : std::uint8_t { none, refractory_end, crossing, recheck, born };

// What every synaptic event reads and writes of its target, in one cache line.
struct alignas(64) neuron_state {
  // Excitation, in mV of PSP peak, the neuron can absorb before its pending event (or, with
  // none pending, the claim that it never fires) may be wrong.
  // Membrane-only rising models: instead, the amplitude limit of watch().
  double budget = 0.0;
  // Mode form: the amplitude of u's own mode, which every input changes, kept here rather than
  // in the state vector so that a jump touches one line; the other modes are in the vector.
  double amplitude = 0.0;
  // Of its state in the simulator's state vector: all of it (propagator form), or the
  // amplitudes of the modes after u's.
  std::uint64_t offset = 0;
  std::uint64_t epoch = 0;  // mode form: the epoch of the stored amplitudes
  // Mode form: u at the instant being processed, kept exact as the propagator form keeps it (a
  // jump to exactly threshold fires): either u itself (`instant_exact`: set at v0, a crossing
  // or a reset, plus the jumps since) or the sum of the instant's jumps (0 without any). The
  // amplitude of u's mode holds neither until the next instant, so that u before them is at
  // hand.
  double instant_time = -1.0;
  double instant_u = 0.0;
  double instant_amplitude = 0.0;  // the instant's change of u's amplitude, not yet added
  bool instant_exact = false;
  pending next = pending::none;
  bool refractory = false;
  bool touched = false;
  std::uint8_t rechecks = 0;  // rechecks since excitation last spent the budget
  // Watched coarsely (see window_pass()): no event pending, the budget holds until the next
  // watch instant, and inputs are charged their effect over a window, not their peak.
  bool coarse = false;
};

// A cell model as the simulator uses it, with the exponentials of the instant in hand.
struct model_runtime {
  detail::cell_model cell;
  detail::mode_basis modes;
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
  double time = std::numeric_limits<double>::quiet_NaN();  // of the factors below
  std::uint64_t epoch = 0;
  std::vector<double> grow;                 // e^{rate_k (time - t_e)}
  std::vector<double> decay;                // e^{-rate_k (time - t_e)}
  std::vector<std::array<double, 3>> gain;  // by slot: gamma * grow of each excited mode
  double gain_time = std::numeric_limits<double>::quiet_NaN();  // of `gain`

  // Mode form with u alone (jump synapses only): u(t) = u_inf + a e^{-rate (t - t_e)} is known
  // from one amplitude, and is watched by it (see watch()).
  bool membrane_only = false;
  bool rising = false;     // u_inf above threshold: every state is on its way to a crossing
  // mV: below threshold by less than this, settle looks exactly. A thousandth of it exceeds
  // detail::peak_tolerance, so the coarse watch's budgets (0.999 of a clearance) stay out of it.
  double tolerance = 0.0;

  explicit model_runtime(detail::cell_model c) : cell(std::move(c)), modes(make_mode_basis(cell)) {
    membrane_only = modes.usable && cell.dim == 1;
    rising = cell.u_inf > cell.threshold_rel;
    tolerance = 1e-9 * (std::abs(cell.threshold_rel) + std::abs(cell.u_inf) + 1.0);
    // The budget charges an input its peak effect, rounded up a little.
    constexpr double safety = 1.0 + 1e-9;
    peak.push_back(safety);
    window_peak.push_back(safety);
    input.push_back(0);
    for (const detail::receptor_slot& s : cell.slots) {
      peak.push_back(safety * (s.has_rise ? s.peak_u_from_rise : s.peak_u_from_current));
      window_peak.push_back(safety * (s.has_rise ? s.window_u_from_rise : s.window_u_from_current));
      input.push_back(s.input());
    }
    if (!modes.usable) return;
    coarse = cell.dim > 1 || rising;
    if (modes.entries.empty()) {
      window_peak_of_mode.assign(modes.dim, 0.0);
      peak_of_mode.assign(modes.dim, 0.0);
      for (const detail::receptor_slot& s : cell.slots) {
        window_peak_of_mode[s.current] = s.window_u_from_current;
        peak_of_mode[s.current] = s.peak_u_from_current;
      }
    }
    for (const double r : modes.rates) carry.push_back(detail::exp_fast(-r * modes.epoch_length));
    grow.resize(modes.dim);
    decay.resize(modes.dim);
    gain.resize(modes.impulses.size());
  }

  void at(double t) {
    if (t == time) return;
    time = t;
    epoch = modes.epoch_of(t);
    const double since = t - modes.epoch_start(epoch);
    for (std::uint32_t k = 0; k < modes.dim; ++k) {
      grow[k] = detail::exp_fast(modes.rates[k] * since);
      // With u alone, most instants are one neuron's own event, whose prediction waits on the
      // decay: an exponential beside the growth then comes sooner than a division after it
      // (benchmark 4 about 1 % faster); with currents the extra exponentials cost more (CUBA
      // 3.5 % slower).
      decay[k] = membrane_only ? detail::exp_fast(-modes.rates[k] * since) : 1.0 / grow[k];
    }
  }

  // at(t), and the gains of inputs at t: only instants with deliveries need them.
  void at_with_gains(double t) {
    at(t);
    if (gain_time == t) return;
    gain_time = t;
    for (std::size_t j = 0; j < modes.impulses.size(); ++j) {
      const detail::mode_basis::impulse& in = modes.impulses[j];
      for (std::uint32_t i = 0; i < in.count; ++i) gain[j][i] = in.gamma[i] * grow[in.stage[i]];
    }
  }
};

}  // namespace

struct simulator::impl {
  explicit impl(const network& net)
      : neuron_index(index_neurons(net)), queue(net.neuron_count()), trains(net) {
    for (detail::cell_model& m : lower_models(net)) models.emplace_back(std::move(m));
    std::vector<detail::cell_model> cells;
    for (const model_runtime& m : models) {
      cells.push_back(m.cell);
      scratch.resize(std::max<std::size_t>(scratch.size(), m.cell.dim));
    }
    synapses = std::make_unique<detail::synapse_store>(net, cells, neuron_index);
    const std::uint32_t count = net.neuron_count();
    touched.resize(count);
    neuron_node.resize(count);
    neuron_model.resize(count);
    neurons.resize(count);
    anchor.assign(count, 0.0);
    coarse_bits.assign((count + 63) / 64, 0);
    window = never;
    for (const model_runtime& m : models)
      if (m.coarse) window = std::min(window, m.cell.window);
    for (model_runtime& m : models)
      if (m.coarse) m.stride = std::max<std::uint64_t>(1, std::floor(m.cell.window / window));
    std::uint64_t offset = 0;
    for (const population& p : net.populations()) {
      if (p.is_source) continue;
      for (std::uint32_t i = 0; i < p.size; ++i) {
        const std::uint32_t n = p.first_index + i;
        neuron_node[n] = p[i];
        neuron_model[n] = p.model;
        neurons[n].offset = offset;
        offset += models[p.model].cell.dim - (models[p.model].modes.usable ? 1 : 0);
      }
    }
    state.assign(offset, 0.0);
    for (std::uint32_t n = 0; n < count; ++n) {
      const model_runtime& m = models[neuron_model[n]];
      const double u0 = net.v0(neuron_node[n]) - m.cell.rest;
      if (!m.modes.usable) {
        state[neurons[n].offset] = u0;
        continue;
      }
      // The amplitude of u's own mode at t = 0, and u0 itself, exact, for the first instant.
      neurons[n].amplitude = u0 - m.cell.u_inf;
      neurons[n].instant_time = 0.0;
      neurons[n].instant_u = u0;
      neurons[n].instant_exact = true;
    }
    last_spike.assign(count, -never);
    // Neurons that take effect later wait, as if refractory, for their start.
    for (const population& p : net.populations()) {
      if (p.is_source || p.born == 0.0) continue;
      for (std::uint32_t i = 0; i < p.size; ++i) {
        const std::uint32_t n = p.first_index + i;
        neurons[n].refractory = true;
        neurons[n].next = pending::born;
        queue.set(n, p.born);
        birth_u.emplace_back(n, net.v0(p[i]) - models[p.model].cell.rest);
      }
    }
    for (std::uint32_t s = 0; s < trains.size(); ++s)
      if (trains.pending(s) < never)
        spikes_in_flight.push({trains.pending(s), s, 0, event_kind::source_spike});
  }

  double* state_of(std::uint32_t n) { return state.data() + neurons[n].offset; }

  // Mode form: n's amplitude of the mode of stage k.
  double& amplitude(neuron_state& ns, std::uint32_t k) {
    return k == 0 ? ns.amplitude : state[ns.offset + k - 1];
  }

  void touch(std::uint32_t n) {
    neuron_state& ns = neurons[n];
    if (ns.touched) return;
    ns.touched = true;
    touched[touched_count++] = n;
  }

  // Mode form: carries n's amplitudes into the epoch of m's current instant.
  void roll(neuron_state& ns, const model_runtime& m) {
    const std::uint64_t gap = m.epoch - ns.epoch;
    for (std::uint32_t k = 0; k < m.modes.dim; ++k) {
      const double factor =
          gap == 1 ? m.carry[k]
                   : detail::exp_fast(-m.modes.rates[k] * (m.modes.epoch_start(m.epoch) -
                                                           m.modes.epoch_start(ns.epoch)));
      amplitude(ns, k) *= factor;
      if (k == 0 && m.membrane_only && m.rising) ns.budget *= factor;  // an amplitude too
    }
    ns.epoch = m.epoch;
  }

  // Propagator form: brings n's stored state to t.
  void advance(std::uint32_t n, const model_runtime& m, double t) {
    if (t == anchor[n]) return;
    double* y = state_of(n);
    m.cell.propagate(y, y, t - anchor[n], m.cell.u_inf, false);
    anchor[n] = t;
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
    if (ns.epoch != epoch) roll(ns, m);
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
    const detail::mode_basis::impulse& in = m.modes.impulses[slot];
    for (std::uint32_t i = 0; i < in.count; ++i) amplitude(ns, in.stage[i]) += w * m.gain[slot][i];
  }

  // The state of n at t into `y` (free evolution: the caller knows about refractoriness).
  // Returns u as the stored state has it, before the instant's exact value replaces it.
  double state_at(std::uint32_t n, double t, double* y) {
    return state_at(n, neurons[n], models[neuron_model[n]], t, y);
  }
  double state_at(std::uint32_t n, const neuron_state& ns, model_runtime& m, double t, double* y) {
    const double* stored = state.data() + ns.offset;
    if (!m.modes.usable) {
      if (t == anchor[n]) {
        std::copy(stored, stored + m.cell.dim, y);
      } else {
        m.cell.propagate(stored, y, t - anchor[n], m.cell.u_inf, false);
      }
      return y[0];
    }
    m.at(t);
    const double* decay = m.decay.data();
    if (ns.epoch != m.epoch) {
      // Not rolled here, so that reading a state never changes how it is stored.
      const double since = t - m.modes.epoch_start(ns.epoch);
      own_decay.resize(m.modes.dim);
      for (std::uint32_t k = 0; k < m.modes.dim; ++k)
        own_decay[k] = detail::exp_fast(-m.modes.rates[k] * since);
      decay = own_decay.data();
    }
    m.modes.state(ns.amplitude, stored, decay, y);
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
    neuron_state& ns = neurons[n];
    model_runtime& m = models[neuron_model[n]];
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

  void emit_spike(node_id node, double t) {
    batch_spikes.push_back({t, node});
    for (const detail::delay_group& g : synapses->groups_of(node)) {
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
    for (const detail::single_segment& g : synapses->segments_of(node)) {
      if (g.since > t) continue;
      const std::uint32_t segment = synapses->segment_index(g);
      for (std::uint32_t i = g.begin; i < g.begin + g.count; ++i)
        spikes_in_flight.push(
            {after(t, synapses->single_delay(i)), segment, i, event_kind::single_delivery});
    }
  }

  // A synaptic event at synapse i of a segment of singles.
  void deliver_single(const detail::single_segment& g, std::uint32_t i, double t) {
    ++stats.deliveries;
    model_runtime& m = models[g.model];
    if (m.modes.usable) m.at_with_gains(t);
    deliver_one(synapses->single_target(i), m, g.slot, synapses->single_increment(g, i), t);
  }

  // Every synaptic event: the input is added to the target's state (no exponential is computed
  // per event; see mode_basis.hpp), and an excitatory one is charged its peak effect against
  // the target's budget. Only when the budget is spent is the target re-predicted, after all
  // events of the instant. Inhibition can only delay a crossing: a predicted one is demoted to
  // a recheck, and nothing else needs doing.
  void deliver(const detail::delay_group& g, double t) {
    const auto targets = synapses->targets_of(g);
    stats.deliveries += targets.size();
    model_runtime& m = models[g.model];
    if (m.modes.usable) m.at_with_gains(t);
    if (g.uniform() && m.modes.usable) {
      if (g.slot == 0) {
        deliver_jumps(targets, m, g.increment, t);
      } else {
        deliver_currents(targets, m, g.slot, g.increment, t);
      }
      return;
    }
    const bool state_too = !m.modes.usable || (g.slot != 0 && m.modes.dim > 1);
    if (g.uniform()) {
      for (std::size_t i = 0; i < targets.size(); ++i) {
        prefetch(neurons.data(), state.data(), targets, i, state_too);
        deliver_one(targets[i], m, g.slot, g.increment, t);
      }
      return;
    }
    const auto increments = synapses->increments_of(g);
    for (std::size_t i = 0; i < targets.size(); ++i) {
      prefetch(neurons.data(), state.data(), targets, i, state_too);
      deliver_one(targets[i], m, g.slot, increments[i], t);
    }
  }

  // deliver_one for a projection of voltage jumps with one weight onto a mode-form model, the
  // commonest case, with what does not change from target to target worked out once.
  void deliver_jumps(std::span<const std::uint32_t> targets, model_runtime& m, double w, double t) {
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
  void for_each_open_target(std::span<const std::uint32_t> targets, double t, F&& body) {
    neuron_state* const line = neurons.data();
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
  void deliver_rising(std::span<const std::uint32_t> targets, model_runtime& m, double w,
                      double t) {
    const double amplitude = w * m.grow[0];
    const std::uint64_t epoch = m.epoch;
    for_each_open_target(targets, t, [&, epoch](std::uint32_t n, neuron_state& ns) {
      add_jump(ns, m, epoch, t, w, amplitude);
      watch_rising<excitatory>(n, ns);
    });
  }

  // deliver_one for a projection with one weight into a receptor of a mode-form model (which
  // has currents, so is not membrane-only): the increments of the modes it excites are worked
  // out once, u's apart from the others in the state vector.
  void deliver_currents(std::span<const std::uint32_t> targets, model_runtime& m,
                        std::uint32_t slot, double w, double t) {
    const detail::mode_basis::impulse& in = m.modes.impulses[slot];
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
    const auto loop = [&]<bool excitatory>() {
      // What does not change from target to target in locals (see deliver_rising()).
      const double charge = w * m.peak[slot];
      const double window_charge = w * m.window_peak[slot];
      const std::uint64_t epoch = m.epoch;
      neuron_state* const line = neurons.data();
      double* const state_start = state.data();
      for (std::size_t i = 0; i < targets.size(); ++i) {
        prefetch(line, state_start, targets, i, true);
        const std::uint32_t n = targets[i];
        neuron_state& ns = line[n];
        sync(ns, m, epoch, t);
        ns.amplitude += u_increment;
        double* a = state_start + ns.offset;
        a[other[0]] += increment[0];  // a receptor excites one mode besides u's, or two
        for (std::uint32_t j = 1; j < others; ++j) a[other[j]] += increment[j];
        if (ns.refractory) continue;  // currents keep flowing; the end of it re-predicts
        account<excitatory>(n, ns, ns.coarse ? window_charge : charge);
      }
    };
    if (w > 0.0) {
      loop.template operator()<true>();
    } else {
      loop.template operator()<false>();
    }
  }

  // What an input of weight w (PSP peak `charge` mV) means for n's next prediction.
  void note_input(std::uint32_t n, neuron_state& ns, const model_runtime& m, double w,
                  double charge) {
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
  void watch(std::uint32_t n, neuron_state& ns, const model_runtime& m, double w) {
    if (m.rising) {
      w < 0.0 ? watch_rising<false>(n, ns) : watch_rising<true>(n, ns);
    } else if (m.cell.u_inf + (ns.amplitude + ns.instant_amplitude) * m.decay[0] >=
               m.cell.threshold_rel - m.tolerance) {
      touch(n);
    }
  }

  template <bool excitatory>
  void watch_rising(std::uint32_t n, neuron_state& ns) {
    if (ns.amplitude + ns.instant_amplitude >= ns.budget) {
      touch(n);
    } else if (!excitatory && ns.next == pending::crossing) {
      ns.next = pending::recheck;
    }
  }

  // An event whose PSP peaks at `charge` mV (excitatory) or that inhibits has reached n (see
  // deliver()).
  template <bool excitatory>
  void account(std::uint32_t n, neuron_state& ns, double charge) {
    if (excitatory) {
      ns.budget -= charge;
      if (ns.budget < 0.0) {
        ns.rechecks = 0;
        touch(n);
      }
    } else if (ns.next == pending::crossing) {
      ns.next = pending::recheck;
    }
  }

  // In networks whose neurons outgrow the caches, every event would wait for memory: the
  // target's line is fetched some events ahead, and its state vector a few events after that
  // (which a jump into a mode-form neuron does not touch). Inlined by force: GCC finds a
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

  void deliver_one(std::uint32_t n, model_runtime& m, std::uint32_t slot, double w, double t) {
    neuron_state& ns = neurons[n];
    if (slot == 0 && refractory_at(ns, t)) return;  // jumps during refractoriness are lost
    add_input(n, ns, m, slot, w, t);
    if (ns.refractory) return;  // currents keep flowing; the end of it re-predicts
    note_input(n, ns, m, w, w * (ns.coarse ? m.window_peak[slot] : m.peak[slot]));
  }

  // What a pass makes of a watched neuron: watched on with a budget, no longer watched because it
  // can never fire (its budget then charged at PSP peaks), or due to be predicted at the end of the
  // instant.
  struct verdict {
    enum { watched, idle, due } what;
    double budget;
  };

  // Schedules n's next event from its state y at t, and sets its budget.
  void predict(std::uint32_t n, double t, const double* y) {
    if (models[neuron_model[n]].membrane_only) {
      predict_membrane(n, t, y[0]);
    } else {
      predict_currents(n, t, y, 0);
    }
  }

  // A level below threshold is tried first, by the cheap bounds only: when it holds, the neuron
  // can take excitation worth the difference before anything must be predicted again. Unless it
  // is never reached or reached no sooner than `soon` (and the rechecks in a row are fewer than
  // search_after_rechecks), the crossing is searched for exactly.
  void predict_currents(std::uint32_t n, double t, const double* y, std::uint8_t rechecks) {
    const model_runtime& mr = models[neuron_model[n]];
    const detail::cell_model& m = mr.cell;
    using kind = detail::crossing_prediction::kind;
    if (mr.coarse) {
      // Never, or not within the window: with no event, until the next watch instant.
      const verdict v = judge(detail::bound_window(m, y, m.threshold_rel), mr.tolerance);
      if (v.what == verdict::idle) {
        schedule(n, t, kind::none, 0.0, v.budget);
        return;
      }
      if (v.what == verdict::watched) {
        watch_coarsely(n, t, v.budget);
        return;
      }
    }
    if (rechecks < search_after_rechecks) {
      // Never closer than 2e3 peak tolerances: the 0.999 of it given as budget then leaves V
      // more than a peak tolerance below threshold.
      const double below = std::max((mr.coarse ? margin_watched : margin) * (m.threshold_rel - y[0]),
                                    2e3 * detail::peak_tolerance);
      const auto level = crossing.predict(m, y, t, false, m.threshold_rel - below, false);
      if (level.what == kind::none ||
          (level.what != kind::unknown && level.after >= soon * m.tau_m)) {
        // The level's own rounding is far below the 0.1 % held back.
        schedule(n, t, level.what == kind::none ? kind::none : kind::recheck, level.after,
                 0.999 * below);
        return;
      }
    }
    const auto p = crossing.predict(m, y, t, true, m.threshold_rel);
    schedule(n, t, p.what, p.after, 0.0);
  }

  // u(t + s) - u_inf = (u - u_inf) e^{-rate s} reaches threshold at s = ln(1 + z) / rate,
  // z = (threshold - u) / (u_inf - threshold). Beyond the window, n is watched coarsely; within
  // it, its crossing is scheduled, and the amplitude limit that watch() compares with is the
  // present one: any excitation predicts again. (Rechecks at levels below threshold, as with
  // currents, cost more here: benchmark 4, 10 s, 3 runs each, 0.219-0.220 s without them,
  // 0.227-0.231 / 0.234-0.235 / 0.239-0.243 s with the crossing predicted after 1 / 2 / 3.)
  void predict_membrane(std::uint32_t n, double t, double u) {
    using kind = detail::crossing_prediction::kind;
    const model_runtime& mr = models[neuron_model[n]];
    const detail::cell_model& m = mr.cell;
    const double gap = m.u_inf - m.threshold_rel;
    if (gap <= 0.0) {
      schedule(n, t, kind::none, 0.0, 0.0);
      return;
    }
    neuron_state& ns = neurons[n];
    // The limits need no exponential beyond e^{rate (t - t_e)}, which the instant has unless n is
    // still in an older epoch (or, refractory, in a later one).
    const double grow =
        ns.epoch == mr.epoch && mr.time == t
            ? mr.grow[0]
            : detail::exp_fast(m.membrane_rate * (t - mr.modes.epoch_start(ns.epoch)));
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
  static double window_limit(const detail::cell_model& m, double grow) {
    return -(m.u_inf - m.threshold_rel) * grow / m.window_decay;
  }

  // An amplitude limit, held back from the present amplitude by a hair for its rounding.
  static double amplitude_budget(double limit, double present) {
    return limit - 1e-9 * std::abs(limit - present);
  }

  // Membrane-only and rising: watched while the amplitude stays below `limit`, else due.
  static verdict judge_amplitude(double limit, double present) {
    const double budget = amplitude_budget(limit, present);
    return present < budget ? verdict{verdict::watched, budget} : verdict{verdict::due, 0.0};
  }

  void schedule(std::uint32_t n, double t, detail::crossing_prediction::kind what, double in,
                double budget) {
    neuron_state& ns = neurons[n];
    stop_coarse(ns, n);
    ns.budget = budget;
    using kind = detail::crossing_prediction::kind;
    if (what == kind::none) {
      queue.remove(n);
      ns.next = pending::none;
      return;
    }
    ns.next = what == kind::crossing ? pending::crossing : pending::recheck;
    queue.set(n, after(t, in));
  }

  // n is watched coarsely from t on, with `budget` of excitation (charged at window_peak) until
  // the next watch instant, which comes no later than t + window.
  void watch_coarsely(std::uint32_t n, double t, double budget) {
    neuron_state& ns = neurons[n];
    queue.remove(n);
    ns.next = pending::none;
    ns.budget = budget;
    if (ns.coarse) return;
    ns.coarse = true;
    coarse_bits[n / 64] |= std::uint64_t{1} << n % 64;
    // The first watch instant after t; t may be later than the present (a membrane-only neuron
    // predicted from the end of its refractory period).
    auto k = static_cast<std::uint64_t>(t / window) + 1;
    while (static_cast<double>(k) * window <= t) ++k;
    if (coarse_count++ == 0 || k < window_k) window_k = k;
  }

  void stop_coarse(neuron_state& ns, std::uint32_t n) {
    if (!ns.coarse) return;
    ns.coarse = false;
    coarse_bits[n / 64] &= ~(std::uint64_t{1} << n % 64);
    --coarse_count;
  }

  double window_time() const {
    return coarse_count == 0 ? never : static_cast<double>(window_k) * window;
  }

  // A watch instant: each coarsely watched neuron of the models due (see model_runtime::stride)
  // gets the budget of its state now over its model's window, or stops being watched because it
  // can never fire, or is predicted at the end of the instant.
  void window_pass(double t) {
    const std::uint64_t k = window_k++;
    for (std::uint32_t id = 0; id < models.size(); ++id) {
      model_runtime& m = models[id];
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
            double* const y = scratch.data();
            m.modes.state(ns.amplitude + ns.instant_amplitude, state.data() + ns.offset,
                          m.decay.data(), y);
            return judge(detail::bound_window(m.cell, y, m.cell.threshold_rel), m.tolerance);
          });
      }
    }
  }

  // A neuron with currents by its bounds: idle if it can never fire, watched if not within the
  // window, else predicted.
  static verdict judge(const detail::window_bounds& b, double tolerance) {
    const double clear = -tolerance - 1e-12 * b.scale;
    if (b.ever < clear) return {verdict::idle, -0.999 * b.ever};
    if (b.window < clear) return {verdict::watched, -0.999 * b.window};
    return {verdict::due, 0.0};
  }

  // The pass over model `id`'s watched neurons, verdict_of(state) deciding for each.
  template <typename F>
  void watch_pass(std::uint32_t id, double t, F&& verdict_of) {
    const std::uint64_t epoch = models[id].epoch;
    std::uint64_t checks = 0;
    for (std::size_t w = 0; w < coarse_bits.size(); ++w) {
      for (std::uint64_t bits = coarse_bits[w]; bits != 0; bits &= bits - 1) {
        const auto n = static_cast<std::uint32_t>(w * 64 + std::countr_zero(bits));
        if (neuron_model[n] != id) continue;
        neuron_state& ns = neurons[n];
        // Refractory (membrane-only, predicted from the end of it): its budget holds for a window
        // from there.
        if (refractory_at(ns, t)) continue;
        if (ns.epoch != epoch) {
          // As start_instant() would: the last instant's change first, in its own epoch.
          ns.amplitude += ns.instant_amplitude;
          ns.instant_amplitude = 0.0;
          roll(ns, models[id]);
        }
        ++checks;
        const verdict v = verdict_of(ns);
        if (v.what == verdict::watched) {
          ns.budget = v.budget;
          continue;
        }
        stop_coarse(ns, n);
        if (v.what == verdict::idle) {
          ns.budget = v.budget;
        } else {
          touch(n);
        }
      }
    }
    stats.window_checks += checks;
  }

  // The pass for a model with currents alone (no rise stages) and `dim` modes, whose modes past
  // u's are its currents: bound_window() written out from the amplitudes, the model's constants
  // in locals.
  template <std::uint32_t dim>
  void watch_currents(std::uint32_t id, double t) {
    const model_runtime& m = models[id];
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
    const double* const amplitudes = state.data();
    watch_pass(id, t, [&](const neuron_state& ns) {
      const double* others = amplitudes + ns.offset;
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

  // A neuron's own event at t: its refractory period ends, or its prediction comes due.
  void handle_neuron_event(std::uint32_t n, double t) {
    neuron_state& ns = neurons[n];
    const pending what = ns.next;
    ns.next = pending::none;
    switch (what) {
      case pending::refractory_end:
        ns.refractory = false;
        set_u(n, t, models[neuron_model[n]].cell.reset_rel);
        break;
      case pending::born: {
        ns.refractory = false;
        const auto it = std::lower_bound(birth_u.begin(), birth_u.end(), std::pair(n, -never));
        set_u(n, t, it->second);
        break;
      }
      case pending::crossing:
        // V is at threshold now, exactly; jumps at this instant add to it.
        set_u(n, t, models[neuron_model[n]].cell.threshold_rel);
        break;
      case pending::recheck:
        // Counted up to the larger limit.
        if (ns.rechecks < search_after_rechecks) ++ns.rechecks;
        break;
      case pending::none:
        break;
    }
    touch(n);
  }

  // After all events at t: test threshold and predict, for every neuron that needs it.
  void settle(double t) {
    for (const std::uint32_t n : std::span(touched.data(), touched_count)) {
      neuron_state& ns = neurons[n];
      ns.touched = false;
      if (ns.refractory) continue;
      model_runtime& mr = models[neuron_model[n]];
      if (mr.membrane_only) {
        settle_membrane(n, ns, mr, t);
        continue;
      }
      double* y = scratch.data();
      const double stored_u = state_at(n, ns, mr, t, y);
      if (y[0] >= mr.cell.threshold_rel) {
        spike_now(n, t, y);
      } else {
        predict_currents(n, t, y, ns.rechecks);
      }
      finish_instant(ns, mr, t, stored_u);
    }
    touched_count = 0;
    std::sort(batch_spikes.begin(), batch_spikes.end(),
              [](const spike& a, const spike& b) { return a.node < b.node; });
    spikes.insert(spikes.end(), batch_spikes.begin(), batch_spikes.end());
    stats.spikes += batch_spikes.size();
    batch_spikes.clear();
  }

  // settle's body for a membrane-only neuron, the commonest, with state_at() reduced to its
  // one-mode case.
  void settle_membrane(std::uint32_t n, neuron_state& ns, model_runtime& m, double t) {
    m.at(t);
    const double decay =
        ns.epoch == m.epoch
            ? m.decay[0]
            : detail::exp_fast(-m.modes.rates[0] * (t - m.modes.epoch_start(ns.epoch)));
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
    if (u >= m.cell.threshold_rel) {
      spike_now(n, t, &u);
    } else {
      predict_membrane(n, t, u);
    }
    finish_instant(ns, m, t, stored_u);
  }

  // Mode form, m at t, as n's instant settles: an exact u becomes the change of amplitude that
  // gives it, `stored_u` being u without that change.
  static void finish_instant(neuron_state& ns, const model_runtime& m, double t, double stored_u) {
    if (ns.instant_time == t && ns.instant_exact)
      ns.instant_amplitude = (ns.instant_u - stored_u) * m.grow[0];
  }

  // Refractory at t: flagged, or a membrane-only neuron before the end of its period, which is
  // its next instant (see spike_now()).
  static bool refractory_at(const neuron_state& ns, double t) {
    return ns.refractory || t < ns.instant_time;
  }

  // n reached threshold at t; y is its state.
  void spike_now(std::uint32_t n, double t, double* y) {
    neuron_state& ns = neurons[n];
    const model_runtime& mr = models[neuron_model[n]];
    const detail::cell_model& m = mr.cell;
    queue.remove(n);
    ns.next = pending::none;
    stop_coarse(ns, n);
    if (t - last_spike[n] < min_interspike_interval)
      throw run_error(fmt::format("node {} fired at {} ms and again at {} ms, less than 1 ns "
                                  "later: its drive is too strong for its refractory period",
                                  neuron_node[n], last_spike[n], t),
                      neuron_node[n], last_spike[n], t);
    last_spike[n] = t;
    emit_spike(neuron_node[n], t);
    if (m.refractory > 0.0 && mr.membrane_only) {
      // Nothing but jumps reaches the neuron, and those before the end of the period are lost:
      // the end, where V is reset exactly (jumps at it add to that), becomes its next instant
      // now, and it is predicted from there, with no event for the end itself.
      const double end = after(t, m.refractory);
      ns.epoch = mr.modes.epoch_of(end);
      ns.amplitude = 0.0;
      ns.instant_amplitude =
          (m.reset_rel - m.u_inf) *
          detail::exp_fast(m.membrane_rate * (end - mr.modes.epoch_start(ns.epoch)));
      ns.instant_time = end;
      ns.instant_u = m.reset_rel;
      ns.instant_exact = true;
      predict_membrane(n, end, m.reset_rel);
    } else if (m.refractory > 0.0) {
      // V is held at reset; the end of the period sets it there.
      ns.refractory = true;
      ns.next = pending::refractory_end;
      queue.set(n, after(t, m.refractory));
    } else {
      set_u(n, t, m.reset_rel);
      y[0] = m.reset_rel;
      predict(n, t, y);
    }
  }

  double next_time() const {
    const double spike_time = spikes_in_flight.empty() ? never : spikes_in_flight.top().time;
    return std::min({queue.top_time(), spike_time, window_time()});
  }

  void process_instant(double t) {
    now = t;
    if (t == window_time()) window_pass(t);
    while (queue.top_time() == t) {
      const std::uint32_t n = queue.top();
      queue.pop();
      ++stats.events;
      handle_neuron_event(n, t);
    }
    while (!spikes_in_flight.empty() && spikes_in_flight.top().time == t) {
      const event e = spikes_in_flight.top();
      spikes_in_flight.pop();
      ++stats.events;
      if (e.kind == event_kind::delivery) {
        deliver(synapses->group(e.aux), t);
        continue;
      }
      if (e.kind == event_kind::single_delivery) {
        deliver_single(synapses->segment(e.id), e.aux, t);
        continue;
      }
      emit_spike(trains.node(e.id), t);
      const double next = trains.advance(e.id);
      if (next < never) spikes_in_flight.push({next, e.id, 0, event_kind::source_spike});
    }
    settle(t);
  }

  double potential(std::uint32_t n, double t) {
    const detail::cell_model& m = models[neuron_model[n]].cell;
    if (refractory_at(neurons[n], t)) return m.rest + m.reset_rel;
    state_at(n, t, scratch.data());
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
      for (std::uint32_t n = 0; n < neurons.size(); ++n) touch(n);
      process_instant(0.0);
    }
    for (double t = next_time(); t <= end; t = next_time()) {
      take_samples(t, false);
      process_instant(t);
    }
    take_samples(end, true);
    now = end;
    stats.predictions = crossing.full_searches();
  }

  std::vector<model_runtime> models;
  std::vector<std::uint32_t> neuron_index;  // by node id; no_neuron for sources
  std::unique_ptr<detail::synapse_store> synapses;

  // Neurons, by neuron index.
  std::vector<node_id> neuron_node;
  std::vector<std::uint32_t> neuron_model;
  std::vector<double> state;   // mode amplitudes, or the state at `anchor` (propagator form)
  std::vector<double> anchor;  // by neuron: the time of its stored state (propagator form)
  std::vector<neuron_state> neurons;
  std::vector<double> last_spike;
  std::vector<std::pair<std::uint32_t, double>> birth_u;  // by neuron: u0 of those born later
  // Neurons to settle at the end of the instant: the first touched_count, each at most once.
  std::vector<std::uint32_t> touched;
  std::size_t touched_count = 0;

  detail::neuron_queue queue;
  // Coarse watch (see window_pass()): its neurons, by bit, and its instants, multiples of the
  // shortest window of the models that have one.
  std::vector<std::uint64_t> coarse_bits;
  std::uint32_t coarse_count = 0;
  double window = never;  // ms
  std::uint64_t window_k = 0;
  detail::event_queue spikes_in_flight;
  detail::source_trains trains;
  detail::threshold_crossing crossing;
  std::vector<v_recorder> recorders;
  std::vector<double> scratch;  // a state, as large as the largest model's
  std::vector<double> own_decay;
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
  v_recorder r{.neurons = {}, .nodes = {}, .times = detail::decimal_grid(interval)};
  for (const node_id node : neurons) {
    if (node >= impl_->neuron_index.size())
      throw model_error(fmt::format("record: unknown node {}", node));
    if (impl_->neuron_index[node] == no_neuron)
      throw model_error(fmt::format("record: node {} is a spike source, not a neuron", node));
    r.neurons.push_back(impl_->neuron_index[node]);
  }
  r.nodes = std::move(neurons);
  r.next = r.times.first_at_or_after(impl_->now);
  impl_->recorders.push_back(std::move(r));
}

void simulator::run(double duration) {
  if (!(duration >= 0.0) || !std::isfinite(duration))
    throw model_error(fmt::format("run: duration ({} ms) must be zero or positive", duration));
  impl_->run_until(impl_->now + duration);
}

void simulator::run_until(double end) { impl_->run_until(end); }
double simulator::time() const { return impl_->now; }
double simulator::next_event_time() const { return impl_->next_time(); }

std::vector<pending_event> simulator::pending_events(std::size_t count) const {
  // At one instant, neurons' own events come first, by neuron; then the spikes in flight, in
  // the event queue's order.
  using kind = pending_event::kind;
  struct keyed {
    pending_event event;
    std::tuple<double, int, std::uint32_t, std::uint32_t, std::uint32_t> key;
  };
  std::vector<keyed> all;
  const impl& s = *impl_;
  s.queue.for_each([&](double t, std::uint32_t n) {
    static constexpr kind kinds[] = {kind::recheck, kind::refractory_end, kind::crossing,
                                     kind::recheck, kind::start};
    const auto what = kinds[static_cast<int>(s.neurons[n].next)];
    all.push_back({{what, t, s.neuron_node[n]}, {t, 0, n, 0, 0}});
  });
  // Coarsely watched neurons take their bounds again at the next watch instant.
  const double watch = s.window_time();
  for (std::uint32_t n = 0; n < s.neurons.size(); ++n)
    if (s.neurons[n].coarse)
      all.push_back({{kind::recheck, watch, s.neuron_node[n]}, {watch, 0, n, 0, 0}});
  for (const detail::event& e : s.spikes_in_flight) {
    pending_event p{kind::source_spike, e.time, 0};
    if (e.kind == detail::event_kind::delivery) {
      const detail::delay_group& g = s.synapses->group(e.aux);
      p = {kind::delivery, e.time, e.id, g.count, g.delay};
    } else if (e.kind == detail::event_kind::single_delivery) {
      p = {kind::delivery, e.time, s.synapses->segment(e.id).node, 1,
           s.synapses->single_delay(e.aux)};
    } else {
      p.node = s.trains.node(e.id);
    }
    all.push_back({p, {e.time, 1, static_cast<std::uint32_t>(e.kind), e.id, e.aux}});
  }
  count = std::min(count, all.size());
  std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(count), all.end(),
                    [](const keyed& a, const keyed& b) { return a.key < b.key; });
  std::vector<pending_event> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(all[i].event);
  return out;
}

double simulator::v(node_id neuron) const {
  if (neuron >= impl_->neuron_index.size() || impl_->neuron_index[neuron] == no_neuron)
    throw model_error(fmt::format("node {} is not a neuron", neuron));
  return impl_->potential(impl_->neuron_index[neuron], impl_->now);
}

const std::vector<spike>& simulator::spikes() const { return impl_->spikes; }
const std::vector<sample>& simulator::samples() const { return impl_->samples; }
const run_stats& simulator::stats() const { return impl_->stats; }
std::uint64_t simulator::synapse_count() const { return impl_->synapses->size(); }
std::uint64_t simulator::synapse_bytes() const { return impl_->synapses->bytes(); }

}  // namespace syn
