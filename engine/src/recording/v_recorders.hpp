#pragma once

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "recording/decimal_grid.hpp"
#include "syn/engine/records.hpp"
#include "syn/engine/run_error.hpp"

namespace syn::detail {

// V sampled on decimal grids (see simulator::record_v), one recorder per call.
class v_recorders {
 public:
  // Samples the neurons (by neuron index; `nodes` their node ids) every `interval` ms from the
  // first grid time at or after `now`.
  void add(std::vector<std::uint32_t> neurons, std::vector<node_id> nodes, double interval,
           double now) {
    recorder r{
        .neurons = std::move(neurons), .nodes = std::move(nodes), .times = decimal_grid(interval)};
    r.next = r.times.first_at_or_after(now);
    recorders_.push_back(std::move(r));
  }

  // Samples due strictly before `limit` (or at it, when `inclusive`), in time then recorder
  // order, v(neuron, t) giving V; true when it stopped early, having taken `most` or more (a
  // recorder's instant is taken whole). A V that is not finite throws run_error: it is never
  // recorded.
  template <typename F>
  bool take(double limit, bool inclusive, F&& v, std::size_t most) {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    for (const std::size_t before = samples_.size();;) {
      if (samples_.size() - before >= most) return true;
      recorder* due = nullptr;
      for (recorder& r : recorders_) {
        const double t = r.next_time();
        // At the end of a run, k T counts when it is the end up to rounding: runs of 0.7 and
        // 0.1 ms summed in binary end at 0.7999999999999999, and sample at 0.8 too.
        const bool in = inclusive ? t <= limit + 4.0 * eps * limit : t < limit;
        if (in && (!due || t < due->next_time())) due = &r;
      }
      if (!due) return false;
      const double t = due->next_time();
      for (std::size_t i = 0; i < due->neurons.size(); ++i) {
        const double v_t = v(due->neurons[i], t);
        if (!std::isfinite(v_t)) throw non_finite(due->nodes[i], t);
        samples_.push_back({t, due->nodes[i], v_t});
      }
      ++due->next;
    }
  }

  // The latest sample time that take(limit, true) admits: limit, or a grid time a few ULP
  // after it.
  double last_due(double limit) const {
    constexpr double eps = std::numeric_limits<double>::epsilon();
    double last = limit;
    for (const recorder& r : recorders_) {
      const double t = r.times.at(r.times.first_at_or_after(limit));
      if (t <= limit + 4.0 * eps * limit) last = std::max(last, t);
    }
    return last;
  }

  // The time of the next sample due (infinity with no recorder).
  double next_time() const {
    double t = std::numeric_limits<double>::infinity();
    for (const recorder& r : recorders_) t = std::min(t, r.next_time());
    return t;
  }

  const std::vector<sample>& samples() const { return samples_; }
  std::vector<sample>& samples() { return samples_; }

  static run_error non_finite(node_id node, double t) {
    return run_error(run_error::reason::non_finite,
                     fmt::format("node {}: V is not a finite number at {} ms", node, t), node, t);
  }

 private:
  struct recorder {
    std::vector<std::uint32_t> neurons;
    std::vector<node_id> nodes;
    decimal_grid times;
    std::uint64_t next = 0;  // k of the next sample, at times.at(k)
    double next_time() const { return times.at(next); }
  };
  std::vector<recorder> recorders_;
  std::vector<sample> samples_;
};

}  // namespace syn::detail
