#include "lowering/resource_limits.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <string>

namespace syn::dsl {

namespace {

double synapses_of(const connection_info& c) {
  const double pre = c.pre.size();
  const double post = c.post.size();
  switch (c.rule) {
    case connection_rule::all_to_all:
      return pre * post;
    case connection_rule::one_to_one:
      return post;
    case connection_rule::probability:
      return c.probability * pre * post;
    case connection_rule::indegree:
      return static_cast<double>(c.degree) * post;
    case connection_rule::outdegree:
      return static_cast<double>(c.degree) * pre;
  }
  return 0.0;
}

// A statement's part of the synapse store, which is all a build holds of its synapses: each
// synapse's target, its weight and delay when drawn, and a delay group per pre it leaves.
double store_bytes(const connection_info& c) {
  const double synapses = synapses_of(c);
  const bool drawn_weights = c.weight.shape != distribution::kind::constant;
  const bool drawn_delays = c.delay.shape != distribution::kind::constant;
  const double each = memory_costs::per_synapse +
                      (drawn_weights ? memory_costs::per_drawn_weight : 0.0) +
                      (drawn_delays ? memory_costs::per_drawn_delay : 0.0);
  return synapses * each +
         std::min(synapses, static_cast<double>(c.pre.size())) * memory_costs::per_group;
}

double spikes_of(const group& g, double until) {
  switch (g.train) {
    case group::train_kind::times:
      return static_cast<double>(g.times.size()) * g.size;
    case group::train_kind::file:
      return 0.0;  // already in memory
    case group::train_kind::regular:
    case group::train_kind::poisson: {
      const double span = std::max(0.0, std::min(g.stop.value_or(until), until) - g.start);
      return (g.rate * span + 1.0) * g.size;
    }
  }
  return 0.0;
}

// A count to compare with a limit: whole, rounded up (an estimate over a whole limit never prints
// as equal to it), in groups of three digits; beyond a reader's patience, in exponent form.
std::string count_text(double x) {
  if (!(x < 1e15)) return fmt::format("{:.3g}", x);
  const std::string digits = fmt::format("{:.0f}", std::ceil(x));
  std::string out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

double held_spikes(const group& g) {
  double held = static_cast<double>(g.times.size()) * g.size;
  for (const std::vector<double>& source : g.replay) held += static_cast<double>(source.size());
  return held;
}

double group_bytes(const group& g) {
  return g.size * memory_costs::per_node + held_spikes(g) * memory_costs::per_held_spike;
}

}  // namespace

fit within_limits(const model& m, double until, diagnostics& diags, const limits& caps) {
  // Reports the first estimate over its limit; one such error says enough.
  const auto over = [&](span where, double amount, double cap, const char* what) {
    if (amount <= cap) return false;
    diags.error(where, fmt::format("this would create about {} {}, more than the limit of {}",
                                   count_text(amount), what, count_text(cap)));
    return true;
  };
  const memory_budget budget = memory_budget::of_this_process();
  double bytes = 0.0;
  const auto over_memory = [&](span where, double more) {
    bytes += more;
    if (bytes <= budget.bytes) return false;
    diags.error(where,
                fmt::format("by this statement the model needs about {} of memory, more than "
                            "the {} syn may use here",
                            bytes_text(bytes), bytes_text(budget.bytes)),
                fmt::format("that is {}; SYN_MEMORY=64GiB, say, sets another", budget.source));
    return true;
  };
  double nodes = 0.0, synapses = 0.0, spikes = 0.0, samples = 0.0;
  for (const group& g : m.groups) {
    if (over(g.where, nodes += g.size, caps.nodes, "neurons and sources")) return fit::over_a_limit;
    if (g.is_train &&
        over(g.where, spikes += spikes_of(g, until), caps.source_spikes, "input spikes"))
      return fit::over_a_limit;
    if (over_memory(g.where, group_bytes(g))) return fit::over_memory;
  }
  for (const connection_info& c : m.connections) {
    const double made = synapses_of(c);
    if (over(c.where, synapses += made, caps.synapses, "synapses")) return fit::over_a_limit;
    if (over_memory(c.where, store_bytes(c))) return fit::over_memory;
  }
  for (const v_record& r : m.v_records) {
    double neurons = 0.0;
    for (const element_range& t : r.targets) neurons += t.size();
    if (over(r.where, samples += (until / r.interval + 1.0) * neurons, caps.samples,
             "samples of V"))
      return fit::over_a_limit;
  }
  return fit::yes;
}

double model_bytes(const model& m) {
  double bytes = 0.0;
  for (const group& g : m.groups) bytes += group_bytes(g);
  for (const connection_info& c : m.connections) bytes += store_bytes(c);
  return bytes;
}

}  // namespace syn::dsl
