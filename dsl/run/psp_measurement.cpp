#include "run/psp_measurement.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace syn::dsl {

namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();
// ms: the first step of a march, the least time constant (docs/language.md, Limits).
constexpr double least_step = 1e-6;
// How far the baseline's drift may move V over a PSP, as a fraction of its amplitude.
constexpr double flat_baseline = 0.01;

// A time a few ULP before t (> 0): a run to it ends before t, though it takes a sample due up to
// 4 ULP after its end (and the events before that sample).
double safely_before(double t) { return t - 8.0 * std::numeric_limits<double>::epsilon() * t; }

}  // namespace

std::optional<psp_shape> trace_psp(const simulator& sim, node_id neuron, double arrival,
                                   membrane_point before, double sign, bool jump, double horizon) {
  if (sign == 0.0) return std::nullopt;
  const auto at = [&](double t) { return sim.v_at(neuron, t); };
  const membrane_point start = at(arrival);
  // The first time in (from, to] at which `reached` holds, given that it does not at `from`:
  // bracketed by a march, each step a sixteenth of the time since the arrival (a PSP's features
  // are no shorter), then bisected until the bracket's ends are adjacent doubles.
  const auto first = [&](double from, double to, auto reached) -> std::optional<double> {
    double lo = from;
    while (lo < to) {
      double hi = std::min(to, lo + std::max(least_step, (lo - arrival) / 16.0));
      if (!reached(hi)) {
        lo = hi;
        continue;
      }
      for (;;) {
        const double mid = lo + (hi - lo) / 2.0;
        if (mid <= lo || mid >= hi) return hi;
        (reached(mid) ? hi : lo) = mid;
      }
    }
    return std::nullopt;
  };
  const double unfinished_nan = std::numeric_limits<double>::quiet_NaN();
  const psp_shape unfinished{unfinished_nan, unfinished_nan, unfinished_nan, unfinished_nan,
                             infinity};
  // The peak: t_a after a jump that V relaxes from; else the first maximum (for an EPSP) after
  // V starts to rise, which a rise stage or a baseline still falling may delay.
  double peak = arrival;
  if (!jump || sign * start.slope > 0.0) {
    double rising = arrival;
    if (!(sign * start.slope > 0.0)) {
      const auto found =
          first(arrival, horizon, [&](double t) { return sign * at(t).slope > 0.0; });
      if (!found) return std::nullopt;
      rising = *found;
    }
    const auto found = first(rising, horizon, [&](double t) { return sign * at(t).slope <= 0.0; });
    if (!found) return unfinished;
    peak = *found;
  }
  const double amplitude = at(peak).v - before.v;
  if (!(sign * amplitude > 0.0)) return std::nullopt;  // V does not move away from V_a
  const double half = before.v + amplitude / 2.0;
  double rise = arrival;
  // V is beyond the half at the peak, so the march finds it there at the latest.
  const auto past_half = [&](double t) { return sign * (at(t).v - half) >= 0.0; };
  if (sign * (start.v - half) < 0.0) rise = first(arrival, peak, past_half).value_or(peak);
  const auto below = [&](double level) {
    return [&, level](double t) { return sign * (at(t).v - level) < 0.0; };
  };
  const auto decay = first(peak, horizon, below(half));
  if (!decay) return psp_shape{amplitude, peak - arrival, unfinished_nan, rise - arrival, infinity};
  const auto over = first(*decay, horizon, below(before.v + psp_over * amplitude));
  return psp_shape{amplitude, peak - arrival, *decay - rise, rise - arrival,
                   over ? *over : infinity};
}

psp_probe::psp_probe(const network& net, std::vector<node_id> neurons, double horizon,
                     std::size_t kept)
    : inputs_(net, neurons), horizon_(horizon), kept_(kept) {
  for (const receptor_params& r : net.receptors()) {
    reversals_.push_back(r.reversal.value_or(std::numeric_limits<double>::quiet_NaN()));
    jumps_.push_back(r.kind == kinetics::jump);
  }
  std::vector<node_id> sorted = neurons;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  for (const node_id n : sorted) {
    watched w;
    w.neuron = n;
    w.refractory = net.model_of(n).refractory;
    w.report.neuron = n;
    watched_.push_back(std::move(w));
  }
  for (const node_id n : neurons) {
    const auto i = static_cast<std::size_t>(&of(n) - watched_.data());
    if (std::find(order_.begin(), order_.end(), i) == order_.end()) order_.push_back(i);
  }
}

double psp_probe::direction(const input_arrival& a, double v) const {
  if (!a.conductance) return a.increment > 0.0 ? 1.0 : a.increment < 0.0 ? -1.0 : 0.0;
  const double reversal = reversals_[a.receptor];
  return reversal > v ? 1.0 : reversal < v ? -1.0 : 0.0;
}

psp_probe::watched& psp_probe::of(node_id neuron) {
  return *std::lower_bound(watched_.begin(), watched_.end(), neuron,
                           [](const watched& w, node_id n) { return w.neuron < n; });
}

void psp_probe::take(std::span<const spike> spikes) {
  for (const spike& s : spikes) {
    inputs_.arrivals_of(s, [&](const input_arrival& a) { coming_.push(a); });
    const auto it = std::lower_bound(watched_.begin(), watched_.end(), s.node,
                                     [](const watched& w, node_id n) { return w.neuron < n; });
    if (it == watched_.end() || it->neuron != s.node) continue;
    it->busy_until = std::max(it->busy_until, s.time + it->refractory);
    it->spiked_at = s.time;
    if (it->last && (!it->last->shape || s.time <= it->last->shape->end)) it->last->spoiled = true;
  }
}

void psp_probe::judge(watched& w, double next) {
  if (!w.last) return;
  const last_input& l = *w.last;
  const double end = l.shape ? l.shape->end : l.input.time;
  // (A PSP not over is unfinished, whatever its baseline.)
  const bool flat = l.shape && (l.shape->end == infinity ||
                                std::abs(l.baseline_slope) * (l.shape->end - l.input.time) <=
                                    flat_baseline * std::abs(l.shape->amplitude));
  const bool clear = l.shape && l.inputs == 1 && !l.spoiled && l.busy_before < l.input.time && flat;
  if (clear && end < next) {
    ++w.report.alone_count;
    if (w.report.alone.size() < kept_) w.report.alone.push_back({l.input, *l.shape});
  } else if (clear && end == infinity && next == infinity) {
    ++w.report.unfinished;
  } else {
    w.report.overlapping += l.inputs;
  }
  w.busy_until = std::max(w.busy_until, end);
  w.last.reset();
}

void psp_probe::advance(simulator& sim, double to) {
  sim.run_until(to);
  advanced_ = true;
  if (reads_kept_) {
    take(std::span<const spike>(sim.spikes()).subspan(kept_seen_));
    kept_seen_ = sim.spikes().size();
  }
}

void psp_probe::run_until(simulator& sim, double end) {
  // The events of the present first (a simulator not started yet has those at 0): after them,
  // no spike comes before next_event_time().
  if (!advanced_) advance(sim, sim.time());
  const double shortest = inputs_.shortest_delay();
  std::vector<input_arrival> now;
  std::vector<std::pair<node_id, membrane_point>> before;
  while (sim.time() < end) {
    while (!coming_.empty() && coming_.top().time <= sim.time()) coming_.pop();  // not in time
    // The spikes still to come, from the next event on, reach the neurons no sooner than the
    // shortest delay after it: up to `bound` every arrival is known. Always past the present.
    const double next = sim.next_event_time();
    double bound = end;
    if (next < end && shortest < infinity)
      bound = std::min(end, std::max(next, safely_before(input_map::arrive(next, shortest))));
    if (coming_.empty() || coming_.top().time > end || safely_before(coming_.top().time) > bound) {
      advance(sim, bound);
      continue;
    }
    const double arrival = coming_.top().time;
    // Up to just before the arrival, then every event before it, one instant at a time: the
    // neuron's own events (its spike, its refractory period's end) are in V_a.
    if (safely_before(arrival) > sim.time()) {
      advance(sim, safely_before(arrival));
      continue;
    }
    if (next < arrival) {
      advance(sim, next);
      continue;
    }
    // The inputs of the instant, and V and its slope just before them.
    now.clear();
    before.clear();
    for (; !coming_.empty() && coming_.top().time == arrival; coming_.pop()) {
      const input_arrival& a = coming_.top();
      if (std::none_of(now.begin(), now.end(), [&](const auto& b) { return b.post == a.post; }))
        before.emplace_back(a.post, sim.v_at(a.post, arrival));
      now.push_back(a);
    }
    advance(sim, arrival);
    for (const auto& [n, v_before] : before) {
      watched& w = of(n);
      judge(w, arrival);
      last_input l;
      l.inputs = 0;
      for (const input_arrival& a : now) {
        if (a.post != n) continue;
        if (l.inputs++ == 0) l.input = a;
      }
      l.spoiled = w.spiked_at == arrival;
      l.busy_before = w.busy_until;
      l.baseline_slope = v_before.slope;
      l.shape = trace_psp(sim, n, arrival, v_before, direction(l.input, v_before.v),
                          jumps_[l.input.receptor], horizon_);
      w.last = l;
    }
  }
}

void psp_probe::settle(double now) {
  for (watched& w : watched_)
    if (w.last && (w.last->shape ? w.last->shape->end : w.last->input.time) < now) judge(w, now);
}

std::vector<psp_report> psp_probe::reports() const {
  std::vector<psp_report> reports;
  for (const std::size_t i : order_) reports.push_back(watched_[i].report);
  return reports;
}

std::vector<psp_report> psp_probe::finish() {
  std::vector<psp_report> reports;
  for (const std::size_t i : order_) {
    judge(watched_[i], infinity);
    reports.push_back(watched_[i].report);
  }
  return reports;
}

}  // namespace syn::dsl
