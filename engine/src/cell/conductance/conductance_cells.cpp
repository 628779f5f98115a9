#include "cell/conductance/conductance_cells.hpp"

#include <cmath>

#include "cell/conductance/crossing_search.hpp"
#include "cell/conductance/equilibrium_bound.hpp"
#include "cell/conductance/taylor_step.hpp"
#include "cell/linear/threshold_crossing.hpp"

namespace syn::detail {

namespace {

// Steps searched ahead before a recheck: most predictions are overturned by the next input, so
// the search looks only a little ahead. MAGIC NUMBER, to be tuned by engine_bench's COBA.
constexpr int steps_ahead = 8;

}  // namespace

conductance_cells::conductance_cells(scheduler& s, const network& net,
                                     const std::vector<model_id>& models,
                                     const std::vector<std::vector<input_port>>& used)
    : sched_(s), local_(net.models().size(), no_model), neurons_(s.neuron_node.size()) {
  std::uint32_t widest = 0;
  for (const model_id m : models) {
    local_[m] = static_cast<std::uint32_t>(models_.size());
    models_.push_back(make_conductance_model(net.models()[m], used[m], net.receptors()));
    widest = std::max(widest, models_.back().dim);
  }
  scratch_.resize(widest);
  std::size_t rates = 0;
  for (const conductance_model& m : models_) rates = std::max(rates, m.bound_rates.size());
  bins_.resize(rates);
  std::uint64_t offset = 0;
  for (const population& p : net.populations()) {
    if (p.is_source || local_[p.model] == no_model) continue;
    const conductance_model& m = models_[local_[p.model]];
    s.part.each_member(p, [&](std::uint32_t n, std::uint32_t i) {
      cell& c = neurons_[n];
      c.model = local_[p.model];
      c.offset = offset;
      c.u = net.v0(p[i]) - m.rest;
      offset += m.dim;
      if (p.born > 0.0) {
        // Waits, as if refractory, for its start.
        c.refractory = true;
        c.next = pending::born;
        sched_.queue.set(n, p.born);
        birth_u_.emplace_back(n, c.u);
      }
    });
  }
  kernels_.assign(offset, 0.0);
}

void conductance_cells::handle_event(std::uint32_t n, double t) {
  cell& c = neurons_[n];
  const conductance_model& m = models_[c.model];
  const pending what = c.next;
  c.next = pending::none;
  ++c.version;
  switch (what) {
    case pending::refractory_end:
      bring(c, t, false);
      c.refractory = false;
      c.u = m.reset_rel;
      break;
    case pending::born: {
      bring(c, t, false);
      c.refractory = false;
      c.u = std::lower_bound(birth_u_.begin(), birth_u_.end(), std::pair(n, -never))->second;
      break;
    }
    case pending::crossing:
      // V is at threshold now, exactly; inputs at this instant add to it.
      bring(c, t, false);
      c.u = m.threshold_rel;
      break;
    case pending::recheck:
      bring(c, t);
      break;
    case pending::none:
      break;
  }
  touch(n);
}

// After all events at t: fire, or predict.
void conductance_cells::settle(std::uint32_t n, double t) {
  cell& c = neurons_[n];
  c.touched = false;
  if (c.refractory) return;
  const conductance_model& m = models_[c.model];
  bool reached = c.u >= m.threshold_rel;
  if (!reached && c.u >= m.threshold_rel - peak_tolerance) {
    // Within the tolerance below threshold, where V does not rise: a maximum (SPEC §1).
    reached = slope_at(m, c.u, kernels_of(c)) <= 0.0;
  }
  if (reached) {
    spike_now(n, c, t);
  } else {
    predict(n, c, t);
  }
}

void conductance_cells::spike_now(std::uint32_t n, cell& c, double t) {
  const conductance_model& m = models_[c.model];
  sched_.queue.remove(n);
  c.next = pending::none;
  sched_.fire(n, t);
  ++c.version;
  c.u = m.reset_rel;
  if (m.refractory > 0.0) {
    c.refractory = true;
    schedule(n, c, pending::refractory_end, after(t, m.refractory));
  } else {
    predict(n, c, t);
  }
}

// From n's state at t (its anchor): nothing if it can never fire without new input, else its
// firing found within a few steps, or a recheck at the last step's end.
void conductance_cells::predict(std::uint32_t n, cell& c, double t) {
  const conductance_model& m = models_[c.model];
  double* k = scratch_.data();
  std::copy(kernels_of(c), kernels_of(c) + m.dim, k);
  if (stays_below(m, c.u, k, bins_.data())) {
    schedule(n, c, pending::none, t);
    return;
  }
  ++searches_;
  double u = c.u, start = t;
  for (int step = 0; step < steps_ahead; ++step) {
    const taylor_step st = expand(m, u, k, std::numeric_limits<double>::infinity());
    if (const auto s = first_firing(st, m.threshold_rel, start)) {
      schedule(n, c, pending::crossing, after(start, *s));
      return;
    }
    u = st.end_value();
    propagate_kernels(m, k, k, st.length);
    start += st.length;
    if (stays_below(m, u, k, bins_.data())) {
      schedule(n, c, pending::none, t);
      return;
    }
  }
  schedule(n, c, pending::recheck, after(t, start - t));
}

membrane_point conductance_cells::potential(std::unordered_map<std::uint32_t, cursor>& cursors,
                                            std::uint32_t n, double t, bool slope) {
  cell& c = neurons_[n];
  const conductance_model& m = models_[c.model];
  if (c.refractory) return {m.rest + m.reset_rel, 0.0};
  cursor& at = cursors[n];
  const double unlimited = std::numeric_limits<double>::infinity();
  // The cursor's time counts from the anchor, where the steps' ends keep their precision far
  // from 0.
  const double since = t - c.anchor;
  if (at.kernels.empty() || at.version != c.version || at.time > since) {
    at.version = c.version;
    at.time = 0.0;
    at.u = c.u;
    at.kernels.assign(kernels_of(c), kernels_of(c) + m.dim);
    at.step = expand(m, at.u, at.kernels.data(), unlimited);
  }
  if (open_ports(m, at.kernels.data()) == 0) {
    const double u = relax(m, at.u, since - at.time);
    return {m.rest + u, slope ? m.drive - m.leak_rate * u : 0.0};
  }
  while (since - at.time > at.step.length) {
    at.u = at.step.end_value();
    propagate_kernels(m, at.kernels.data(), at.kernels.data(), at.step.length);
    at.time += at.step.length;
    at.step = expand(m, at.u, at.kernels.data(), unlimited);
  }
  const double s = since - at.time;
  return {m.rest + (s == 0.0 ? at.u : at.step.value(s)), slope ? at.step.slope(s) : 0.0};
}

}  // namespace syn::detail
