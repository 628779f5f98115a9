// The statements that build and run the simulation: connect, record, run and the settings.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>

#include "semantics/checker.hpp"
#include "semantics/reversal_potential.hpp"
#include "semantics/value_checks.hpp"
#include "semantics/value_ranges.hpp"

namespace syn::dsl {

namespace {

// The model's rule for the one written; by name, so that neither enum's order matters.
connection_rule rule_of(ast::rule_kind r) {
  switch (r) {
    case ast::rule_kind::all_to_all:
      return connection_rule::all_to_all;
    case ast::rule_kind::one_to_one:
      return connection_rule::one_to_one;
    case ast::rule_kind::probability:
      return connection_rule::probability;
    case ast::rule_kind::indegree:
      return connection_rule::indegree;
    case ast::rule_kind::outdegree:
      return connection_rule::outdegree;
  }
  return connection_rule::all_to_all;  // unreachable: every rule is a case above
}

// A group as messages name it: its name, and its type where that differs.
std::string on_group(const group& g) {
  return g.name == g.type ? g.name : fmt::format("{} ({})", g.name, g.type);
}

}  // namespace

void checker::connect(const ast::connect_stmt& c, span where) {
  connection_info info;
  info.where = where;
  const auto pre = elements(c.pre, false);
  const auto post = elements(c.post, true);
  const auto r = lookup(c.receptor, declared::kind::receptor, "receptor");
  span keyword{where.file, where.begin, where.begin + 7};
  if (!c.weight) diags_.error(keyword, "a connection needs a weight", "add: weight 1 mV");
  if (!c.delay) diags_.error(keyword, "a connection needs a delay", "add: delay 1 ms");
  if (!pre || !post || !r || !c.weight || !c.delay) return;
  info.pre = *pre;
  info.post = *post;
  info.receptor = r->index;
  const receptor_info& rec = model_.receptors[r->index];
  const group& target = model_.groups[post->group];

  const auto w = check_weight(*c.weight, rec, info.unit, diags_);
  if (!w) return;
  info.weight = *w;
  if (info.unit != weight_unit::mV && rec.params.kind == kinetics::jump) {
    diags_.error(c.weight->where,
                 fmt::format("receptor {} has jump kinetics, whose weights are in mV", rec.name),
                 info.unit == weight_unit::nS
                     ? "a conductance needs a time course (decay, and rise): a jump has none"
                     : "a jump's weight is the size of the jump of V");
    return;
  }
  if (!reversal_in_range(rec, target, c.receptor.where)) return;
  const std::optional<double> reversal = reversal_on(rec, target.ions);
  if (!receptor_on_targets(rec, target, info.unit, reversal, c)) return;
  if (info.unit != weight_unit::mV && !target.params.capacitance) {
    diags_.error(
        c.weight->where,
        fmt::format("a weight in {} needs the capacitance of the target neurons ({})",
                    info.unit == weight_unit::pA ? "pA" : "nS", target.type),
        fmt::format("add capacitance = 250 pF to neuron {} or give the weight in mV", target.type));
    return;
  }
  if (info.unit == weight_unit::nS && !reversal) {
    diags_.error(c.weight->where,
                 fmt::format("a weight in nS needs the reversal potential of receptor {}: a "
                             "conductance's current is g (reversal - V)",
                             rec.name),
                 fmt::format("state reversal = ... mV or its ions in receptor {}, or give the "
                             "weight in mV or pA (a current with the stated effect)",
                             rec.name));
    return;
  }
  reversal_matches_ions(rec, target, c.receptor.where);
  if (info.unit == weight_unit::nS &&
      info.weight.a * min_conductance_tau_m > *target.params.capacitance) {
    diags_.error(
        c.weight->where,
        fmt::format("a conductance of {} nS on the {} pF of {} makes a membrane time "
                    "constant shorter than {} ms",
                    info.weight.a, *target.params.capacitance, target.type, min_conductance_tau_m),
        "between a conductance's inputs V is computed in steps of a fraction of "
        "C / (g_L + g)");
    return;
  }
  if (info.unit == weight_unit::nS && target.params.tau_m < min_conductance_tau_m) {
    diags_.error(c.weight->where,
                 fmt::format("a weight in nS needs the target neurons' tau_m to be at least "
                             "{} ms ({} has {} ms)",
                             min_conductance_tau_m, target.type, target.params.tau_m),
                 "between a conductance's inputs V is computed in steps of a fraction of tau_m");
    return;
  }
  const auto delay = dist(*c.delay, dims::time, "a delay");
  if (!delay) return;
  // The rule of weights: the constant, a uniform's low end or a normal's mean must be a valid
  // delay; a normal's draws at or below 0 are then drawn again.
  if (!(delay->a > 0)) {
    if (delay->shape == distribution::kind::normal)
      diags_.error(std::get<ast::call>(c.delay->v).args[0].where,
                   "the mean of a delay's normal(mean, sd) must be positive",
                   "draws at or below 0 ms are drawn again, so the mean must be a delay");
    else
      diags_.error(c.delay->where, "delays must be positive",
                   "a spike cannot arrive at the instant it is sent");
    return;
  }
  info.delay = *delay;
  if (c.distance) {
    const auto x = quantity(*c.distance, dims::length, "a dendritic distance");
    if (!x) return;
    if (*x < 0) {
      diags_.error(c.distance->where, "a dendritic distance cannot be negative");
      return;
    }
    info.distance = *x;
    if (*x > 0 && !std::isfinite(target.params.length_constant)) {
      const std::string_view text = c.distance->where.file->text();
      diags_.warning(
          c.distance->where,
          fmt::format(
              "'at {}' has no effect: neuron type {} has no length_constant",
              text.substr(c.distance->where.begin, c.distance->where.end - c.distance->where.begin),
              target.type),
          fmt::format("give {} a length_constant (as in length_constant = 300 um) to attenuate "
                      "synapses by their distance",
                      target.type));
    }
  }
  info.rule = rule_of(c.rule);
  info.autapses = !c.without_autapses;
  // Some neuron is on both sides, so `without autapses` withholds one partner from it.
  const bool self_excluded = !info.autapses && pre->group == post->group &&
                             pre->first <= post->last && post->first <= pre->last;
  if (c.rule == ast::rule_kind::probability) {
    const auto p = plain_number(*c.rule_value, "a probability");
    if (!p) return;
    if (!(*p >= 0 && *p <= 1)) {
      diags_.error(c.rule_value->where,
                   fmt::format("a probability must be between 0 and 1, not {}", *p));
      return;
    }
    info.probability = *p;
  } else if (c.rule == ast::rule_kind::indegree || c.rule == ast::rule_kind::outdegree) {
    const bool in = c.rule == ast::rule_kind::indegree;
    const auto k = whole_number(*c.rule_value, in ? "an indegree" : "an outdegree", 0);
    if (!k) return;
    const std::uint32_t available = (in ? pre->size() : post->size()) - (self_excluded ? 1 : 0);
    if (*k > available) {
      diags_.error(c.rule_value->where,
                   fmt::format("{} {} is more than the {} {} neurons or sources{}",
                               in ? "indegree" : "outdegree", *k, available,
                               in ? "presynaptic" : "postsynaptic",
                               self_excluded ? " other than the neuron itself" : ""),
                   "each neuron connects to distinct partners");
      return;
    }
    info.degree = static_cast<std::uint32_t>(*k);
  } else if (c.rule == ast::rule_kind::one_to_one && pre->size() != post->size()) {
    diags_.error(c.rule_span,
                 fmt::format("one_to_one needs as many sources as targets, not {} and {}",
                             pre->size(), post->size()));
    return;
  } else if (c.rule == ast::rule_kind::one_to_one && self_excluded && pre->first == post->first) {
    diags_.error(*c.without_autapses,
                 "one_to_one from these neurons onto themselves connects each only to itself, "
                 "which 'without autapses' refuses",
                 "to connect each neuron to the next, shift one side: p[0..8] -> p[1..9]");
    return;
  }
  // A conductance reversing at rest shunts (it divides other PSPs); a current there does nothing.
  if (info.unit != weight_unit::nS && rec.params.sign == effect::from_reversal &&
      *reversal == target.params.rest)
    diags_.warning(c.receptor.where,
                   fmt::format("receptor {} reverses at the rest potential of {} ({} mV): these "
                               "current synapses have no effect",
                               rec.name, target.name, target.params.rest),
                   "a weight in nS makes them conductances, which shunt: they divide other PSPs");
  info.since = model_.now();
  model_.connections.push_back(std::move(info));
}

bool checker::reversal_in_range(const receptor_info& rec, const group& target, span where) {
  if (rec.params.reversal) return true;
  const auto computed = reversal_from_ions(rec, target.ions);
  const value_range& limit = *range_of(dims::voltage);
  if (!computed || std::abs(computed->mV) <= limit.limit) return true;
  const std::string value = std::isfinite(computed->mV)
                                ? explained(*computed, "")
                                : fmt::format("not finite ({})", computed->how);
  diags_.error(where,
               fmt::format("the reversal potential of receptor {} on {} is {}, beyond ±{}",
                           rec.name, on_group(target), value, limit.limit_text),
               limit.why);
  return false;
}

void checker::reversal_matches_ions(const receptor_info& rec, const group& target, span where) {
  const auto computed = reversal_from_ions(rec, target.ions);
  if (!computed || !rec.params.reversal ||
      std::abs(*rec.params.reversal - computed->mV) <= max_reversal_gap)
    return;
  diags_.warning(where,
                 fmt::format("receptor {} states reversal = {} mV, but its ions [{}] give {} on "
                             "{}",
                             rec.name, *rec.params.reversal, fmt::join(rec.ions, ", "),
                             explained(*computed, ""), on_group(target)),
                 // A library's receptor (its name qualified) is not the user's to edit.
                 rec.name.find('.') == std::string::npos
                     ? "remove the reversal to take the one its ions give, or correct the ions "
                       "(or their permeability)"
                     : fmt::format("{} is a library's: to take the reversal its ions give, use "
                                   "a receptor that lists ions [{}] and states no reversal",
                                   rec.name, fmt::join(rec.ions, ", ")));
}

void checker::record(const ast::record_stmt& r) {
  std::vector<element_range> targets;
  for (const ast::selector& s : r.targets) {
    const auto e = elements(s, r.voltage);
    if (!e) return;
    targets.push_back(*e);
  }
  if (r.plot && !figure(*r.plot, r.voltage, targets)) return;
  if (!r.voltage) {
    if (targets.empty()) model_.spike_records.push_back({std::nullopt, model_.now()});
    for (const element_range& t : targets) model_.spike_records.push_back({t, model_.now()});
    return;
  }
  const auto interval = quantity(*r.interval, dims::time, "the sampling interval");
  if (!interval) return;
  if (!(*interval > 0)) {
    diags_.error(r.interval->where, "the sampling interval must be positive");
    return;
  }
  model_.v_records.push_back({std::move(targets), *interval, r.interval->where, model_.now()});
}

void checker::measure(const ast::measure_stmt& m) {
  std::uint32_t measured = 0;
  for (const psp_measure& p : model_.psp_measures) measured += p.target.size();
  std::vector<element_range> targets;
  for (const ast::selector& s : m.targets) {
    const auto e = elements(s, true);
    if (!e) return;
    const std::uint32_t room = max_measured_neurons - measured;
    measured += e->size();
    if (measured > max_measured_neurons) {
      const group& g = model_.groups[e->group];
      diags_.error(s.where,
                   fmt::format("measuring the PSPs of {} neurons in all is too many: at most {} "
                               "are measured",
                               measured, max_measured_neurons),
                   room == 0   ? std::string("the statements before measure as many already")
                   : room == 1 ? fmt::format("measure fewer, as in {}[{}]", g.name, e->first)
                               : fmt::format("measure fewer, as in {}[{}..{}]", g.name, e->first,
                                             e->first + room - 1));
      return;
    }
    targets.push_back(*e);
  }
  for (const element_range& t : targets) model_.psp_measures.push_back({t});
}

bool checker::figure(const ast::value& file, bool voltage,
                     const std::vector<element_range>& targets) {
  const std::string& name = std::get<ast::string>(file.v).text;
  if (name.starts_with('.')) {
    diags_.error(file.where,
                 "a figure's name may not start with '.': those are the output "
                 "folder's own hidden files");
    return false;
  }
  if (name.empty() || name.find('/') != std::string::npos || name.size() > 255) {
    diags_.error(file.where,
                 "a figure's name is a file name in the output folder, without a folder",
                 "write plot \"raster.svg\"; --out chooses the folder");
    return false;
  }
  if (!name.ends_with(".svg")) {
    diags_.error(file.where, fmt::format("figures are SVG: '{}' must end in .svg", name));
    return false;
  }
  for (const figure_request& f : model_.figures)
    if (f.file == name) {
      diags_.error(file.where, fmt::format("'{}' is already the figure of the recording on line {}",
                                           name, f.where.file->at(f.where.begin).line));
      return false;
    }
  model_.figures.push_back({voltage, targets, name, file.where});
  return true;
}

void checker::run(const ast::run_stmt& r) {
  const auto d = quantity(r.duration, dims::time, "a run's duration");
  if (!d) return;
  if (!(*d > 0)) {
    diags_.error(r.duration.where, "a run's duration must be positive");
    return;
  }
  const auto& q = std::get<ast::quantity>(r.duration.v);
  const long double end =
      model_.run_total + std::strtold(q.text.c_str(), nullptr) * find_unit(q.unit)->scale;
  if (end > max_time) {
    diags_.error(r.duration.where,
                 fmt::format("the runs must end by {}, but this one would end at {} ms",
                             range_of(dims::time)->limit_text, static_cast<double>(end)),
                 range_of(dims::time)->why);
    return;
  }
  model_.run_total = end;
  model_.run_ends.push_back(static_cast<double>(model_.run_total));
  model_.run_spans.push_back(r.duration.where);
}

void checker::assign(const ast::assign_stmt& a) {
  if (a.name.text != "seed") {
    diags_.error(a.name.where, fmt::format("unknown setting '{}'", a.name.text),
                 "the settings are: seed");
    return;
  }
  if (model_.seed_set) {
    const auto first = seed_at_.file->at(seed_at_.begin);
    diags_.error(a.name.where, "the seed is set twice",
                 fmt::format("it was first set at {}:{}", first.line, first.column));
    return;
  }
  if (!plain_number(a.val, "the seed")) return;
  // Parsed from the text: a double would round seeds above 2^53.
  const std::string& text = std::get<ast::quantity>(a.val.v).text;
  std::uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (ec != std::errc() || end != text.data() + text.size()) {
    diags_.error(a.val.where, "the seed must be a whole number from 0 to 2^64 - 1");
    return;
  }
  model_.seed = seed;
  model_.seed_set = true;
  seed_at_ = a.name.where;
}

}  // namespace syn::dsl
