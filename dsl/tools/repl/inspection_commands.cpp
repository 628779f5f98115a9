// The inspection commands: what the model and its simulation hold now (show, print, spikes,
// time, queue), and step, which runs to the next event and says what it was.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <tuple>

#include "diagnostics/did_you_mean.hpp"
#include "semantics/ion_environment.hpp"
#include "semantics/language_table.hpp"
#include "semantics/reversal_potential.hpp"
#include "syn/engine/run_error.hpp"
#include "tools/command_line_value.hpp"
#include "tools/doc_page.hpp"
#include "tools/repl/command_text.hpp"
#include "tools/repl/session_world.hpp"

namespace syn::dsl {

namespace {

std::string with_unit(double x, const char* unit) { return fmt::format("{} {}", x, unit); }

// The ion properties appear where they differ from the defaults. An ion set has no membrane
// (its rest is unset) and is its ions: all of them appear, those it leaves at the defaults too.
std::vector<std::pair<std::string, std::string>> neuron_rows(const neuron_params& p,
                                                             const std::optional<distribution>& v0,
                                                             const ion_environment& ions,
                                                             bool ion_set = false) {
  std::vector<std::pair<std::string, std::string>> rows;
  if (!ion_set)
    for (const neuron_property& n : neuron_properties()) rows.emplace_back(n.name, n.text(p, v0));
  for (const ion_property& i : ion_properties())
    if (ion_set || i.stated(ions)) rows.emplace_back(i.name, i.text(ions));
  return rows;
}

// The reversal receptor `ri` takes from its ions on each population a connection reaches
// through it, once each; with none, on the default concentrations.
std::vector<std::pair<std::string, std::string>> computed_reversal_rows(const model& m,
                                                                        std::uint32_t ri) {
  const receptor_info& r = m.receptors[ri];
  std::vector<std::pair<std::string, std::string>> rows;
  std::vector<std::uint32_t> targets;
  for (const connection_info& c : m.connections)
    if (c.receptor == ri &&
        std::find(targets.begin(), targets.end(), c.post.group) == targets.end())
      targets.push_back(c.post.group);
  for (const std::uint32_t g : targets)
    rows.emplace_back(fmt::format("reversal on {}", m.groups[g].name),
                      explained(*reversal_from_ions(r, m.groups[g].ions), m.groups[g].type));
  if (targets.empty())
    rows.emplace_back("reversal", explained(*reversal_from_ions(r, ion_environment{}),
                                            "a neuron with the default concentrations"));
  return rows;
}

std::string rows_text(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  std::string out;
  for (const auto& [k, v] : rows) out += fmt::format("  {:<{}}  {}\n", k, width, v);
  return out;
}

using element_selection = session::element_selection;

std::optional<element_selection> select(const model& m, std::string_view text, std::string& error) {
  // NAME, NAME[i] or NAME[a..b], read as `syn plot --only` reads them.
  const std::string_view s = trim(text);
  const std::optional<element_filter> f = command_line_elements(s, error);
  if (!f) return std::nullopt;
  const std::string_view name = f->name;
  const bool indexed = s.find('[') != std::string_view::npos;
  for (std::uint32_t g = 0; g < m.groups.size(); ++g) {
    if (m.groups[g].name != name) continue;
    if (!indexed) return element_selection{g, 0, m.groups[g].size - 1};
    if (f->last >= m.groups[g].size) {
      error =
          fmt::format("{} has {} element{}; {} is out of range", m.groups[g].name, m.groups[g].size,
                      m.groups[g].size == 1 ? "" : "s", s.substr(name.size()));
      return std::nullopt;
    }
    return element_selection{g, f->first, f->last};
  }
  std::vector<std::string> names;
  for (const group& g : m.groups) names.push_back(g.name);
  const std::string near = closest(name, names);
  error = fmt::format("unknown population or train '{}'{}", name,
                      near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near));
  return std::nullopt;
}

std::string describe(const pending_event& e, const model_run& sim) {
  const auto [name, index] = sim.element_of(e.node);
  const std::string who = fmt::format("{}[{}]", *name, index);
  switch (e.what) {
    case pending_event::kind::source_spike:
      return fmt::format("{} fires", who);
    case pending_event::kind::delivery:
      return fmt::format("a spike of {} (sent at {} ms) arrives at {} synapse{}", who,
                         e.time - e.delay, e.targets, e.targets == 1 ? "" : "s");
    case pending_event::kind::crossing:
      return fmt::format("{} reaches threshold (predicted)", who);
    case pending_event::kind::recheck:
      return fmt::format("{} re-examines a bound on its next threshold crossing", who);
    case pending_event::kind::refractory_end:
      return fmt::format("{} ends its refractory period", who);
    case pending_event::kind::start:
      return fmt::format("{} starts", who);
  }
  return who;
}

}  // namespace

bool session::show(std::string_view name) {
  world& w = *world_;
  const model& m = w.m;
  const std::string_view typed = trim(name);
  const std::string wanted(typed);
  for (std::uint32_t gi = 0; gi < m.groups.size(); ++gi) {
    const group& g = m.groups[gi];
    if (g.name != wanted) continue;
    if (!ensure_simulation()) return false;
    const simulator& sim = w.sim->engine();
    if (g.is_train) {
      // As its statement says it; `added at` is when it joined the network.
      std::string kind;
      if (g.train == group::train_kind::times) {
        constexpr std::size_t listed = 10;
        std::vector<std::string> times;
        for (std::size_t i = 0; i < g.times.size() && i < listed; ++i)
          times.push_back(with_unit(g.times[i], "ms"));
        if (g.times.size() > listed)
          times.push_back(fmt::format("... ({} in all)", g.times.size()));
        kind = fmt::format("times [{}]", fmt::join(times, ", "));
      } else if (g.train == group::train_kind::file) {
        kind = fmt::format("file \"{}\"", g.path);
      } else {
        kind =
            fmt::format("{} {} Hz", g.train == group::train_kind::regular ? "regular" : "poisson",
                        g.rate * 1000.0);
        if (g.stop) kind += fmt::format(" from {} ms to {} ms", g.start, *g.stop);
      }
      fmt::print(out_, "train {}: {} source{}, {}, added at {} ms\n", g.name, g.size,
                 g.size == 1 ? "" : "s", kind, g.since);
    } else {
      fmt::print(out_, "population {}: {} x {}, from {} ms\n", g.name, g.size, g.type, g.since);
      auto rows = neuron_rows(g.params, g.v0, g.ions);
      std::vector<std::uint32_t> receptors;
      for (const connection_info& c : m.connections)
        if (c.post.group == gi && reversal_per_neuron(m.receptors[c.receptor]) &&
            std::find(receptors.begin(), receptors.end(), c.receptor) == receptors.end())
          receptors.push_back(c.receptor);
      for (const std::uint32_t ri : receptors)
        rows.emplace_back(fmt::format("reversal of {}", m.receptors[ri].name),
                          explained(*reversal_from_ions(m.receptors[ri], g.ions), ""));
      fmt::print(out_, "{}", rows_text(rows));
      constexpr std::uint32_t listed = 5;
      for (std::uint32_t e = 0; e < g.size && e < listed; ++e) {
        const std::optional<double> v = v_of(gi, e);
        if (!v) return false;
        fmt::print(out_, "  {}[{}].v = {} mV\n", g.name, e, *v);
      }
      if (g.size > listed) fmt::print(out_, "  ... {} more\n", g.size - listed);
    }
    std::uint64_t count = 0;
    double last = 0.0;
    for (const spike& s : sim.spikes()) {
      if (s.node < w.sim->first_node(gi) || s.node >= w.sim->first_node(gi) + g.size) continue;
      ++count;
      last = s.time;
    }
    fmt::print(out_, "  {} spike{} so far{}\n", count, count == 1 ? "" : "s",
               count ? fmt::format(", the last at {} ms", last) : "");
    return true;
  }
  for (const param_info& p : m.params)
    if (p.name == wanted) {
      fmt::print(out_, "param {} = {}{}\n", p.name, p.text, p.unit.empty() ? "" : " " + p.unit);
      return true;
    }
  // A neuron type or receptor by any name the session can use: its own, b.Name, a.b.Name, or
  // one imported unqualified.
  const auto found = w.check.resolve(wanted);
  w.diags.clear();
  if (found && found->what == declaration::kind::neuron) {
    const neuron_type& t = m.neuron_types[found->index];
    fmt::print(out_, "neuron {}{}\n", t.name, t.base.empty() ? "" : " : " + t.base);
    fmt::print(out_, "{}", indented(t.doc, "  "));
    fmt::print(out_, "{}", rows_text(neuron_rows(t.params, t.v0, t.ions, t.ion_set)));
    return true;
  }
  if (found && found->what == declaration::kind::receptor) {
    const receptor_info& r = m.receptors[found->index];
    fmt::print(out_, "receptor {}\n", r.name);
    fmt::print(out_, "{}", indented(r.doc, "  "));
    std::vector<std::pair<std::string, std::string>> rows;
    for (const receptor_property* p : receptor_listing()) {
      if (p->shown(r)) rows.emplace_back(p->name, p->text(r));
      if (std::string_view(p->name) == "reversal" && reversal_per_neuron(r))
        for (auto& row : computed_reversal_rows(m, found->index)) rows.push_back(std::move(row));
    }
    fmt::print(out_, "{}", rows_text(rows));
    return true;
  }
  std::vector<std::string> names;
  for (const group& g : m.groups) names.push_back(g.name);
  for (const neuron_type& t : m.neuron_types) names.push_back(t.name);
  for (const receptor_info& r : m.receptors) names.push_back(r.name);
  for (const param_info& p : m.params) names.push_back(p.name);
  const std::string near = closest(wanted, names);
  return fail(fmt::format("nothing is named '{}'", wanted),
              near.empty() ? "show takes a population, train, neuron type, receptor or param"
                           : fmt::format("did you mean '{}'?", near),
              typed);
}

std::optional<session::element_selection> session::elements(std::string_view target) {
  std::string error;
  const auto sel = select(world_->m, target, error);
  if (!sel) fail(error, {}, target);
  return sel;
}

std::optional<session::element_selection> session::neurons(std::string_view target) {
  const auto sel = elements(target);
  if (!sel) return std::nullopt;
  const group& g = world_->m.groups[sel->group];
  if (!g.is_train) return sel;
  fail(fmt::format("'{}' is a train of spike sources, not neurons", g.name), {}, target);
  return std::nullopt;
}

std::optional<double> session::v_of(std::uint32_t group, std::uint32_t element) {
  try {
    return world_->sim->engine().v(world_->sim->first_node(group) + element);
  } catch (const run_error&) {
    fail(fmt::format("{}[{}]: its membrane potential is no longer a finite number",
                     world_->m.groups[group].name, element));
    return std::nullopt;
  }
}

bool session::print_v(std::string_view what) {
  std::string_view target = trim(what);
  if (!target.ends_with(".v"))
    return fail(fmt::format("print takes NAME.v or NAME[i].v, not '{}'", target), {}, target);
  target.remove_suffix(2);
  const auto sel = neurons(target);
  if (!sel || !ensure_simulation()) return false;
  const group& g = world_->m.groups[sel->group];
  constexpr std::uint32_t listed = 20;
  for (std::uint32_t e = sel->first; e <= sel->last && e < sel->first + listed; ++e) {
    const std::optional<double> v = v_of(sel->group, e);
    if (!v) return false;
    fmt::print(out_, "{}[{}].v = {} mV\n", g.name, e, *v);
  }
  if (sel->last - sel->first + 1 > listed)
    fmt::print(out_, "... {} more\n", sel->last - sel->first + 1 - listed);
  return true;
}

bool session::list_spikes(std::string_view args) {
  // [of NAME] [last N]
  auto [word, rest] = first_word(args);
  std::string_view target, last_text;
  if (word == "of") {
    std::tie(target, rest) = first_word(rest);
    std::tie(word, rest) = first_word(rest);
    if (target.empty()) return fail("usage: spikes [of NAME] [last N]");
  }
  if (word == "last") std::tie(last_text, rest) = first_word(rest);
  if ((!word.empty() && word != "last") || (word == "last" && last_text.empty()) || !rest.empty())
    return fail("usage: spikes [of NAME] [last N]");
  std::optional<std::uint32_t> last;
  if (!last_text.empty() && !(last = count_of(last_text)))
    return fail("spikes: last N needs a whole number up to 4294967295", {}, last_text);
  if (!ensure_simulation()) return false;
  std::optional<element_selection> sel;
  if (!target.empty()) {
    std::string error;
    sel = select(world_->m, target, error);
    if (!sel) return fail(error, {}, target);
  }
  std::vector<spike> chosen;
  for (const spike& sp : world_->sim->engine().spikes()) {
    if (sel) {
      const node_id first = world_->sim->first_node(sel->group);
      if (sp.node < first + sel->first || sp.node > first + sel->last) continue;
    }
    chosen.push_back(sp);
  }
  const std::size_t from = last && chosen.size() > *last ? chosen.size() - *last : 0;
  if (chosen.empty()) fmt::print(out_, "no spikes\n");
  for (std::size_t i = from; i < chosen.size(); ++i) {
    const auto [name, index] = world_->sim->element_of(chosen[i].node);
    fmt::print(out_, "{} ms  {}[{}]\n", chosen[i].time, *name, index);
  }
  return true;
}

bool session::time() {
  fmt::print(out_, "t = {} ms\n", world_->now);
  return true;
}

bool session::queue(std::string_view args) {
  std::size_t count = 10;
  if (!trim(args).empty()) {
    const std::optional<std::uint32_t> n = count_of(trim(args));
    if (!n || *n == 0) return fail("usage: queue [N], N a whole number from 1", {}, trim(args));
    count = *n;
  }
  if (!ensure_simulation()) return false;
  const auto events = world_->sim->engine().pending_events(count);
  if (events.empty()) fmt::print(out_, "nothing is pending\n");
  for (const pending_event& e : events)
    fmt::print(out_, "{} ms  {}\n", e.time, describe(e, *world_->sim));
  return true;
}

bool session::step() {
  if (!ensure_simulation()) return false;
  world& w = *world_;
  const double t = w.sim->engine().next_event_time();
  if (!std::isfinite(t)) {
    fmt::print(out_, "nothing is pending\n");
    return true;
  }
  std::vector<pending_event> due;
  for (const pending_event& e : w.sim->engine().pending_events(64))
    if (e.time == t) due.push_back(e);
  const std::size_t before = w.sim->engine().spikes().size();
  // A step is a run to the event, logged as one.
  const std::string text = fmt::format("run {} ms", duration_text(w.m.run_total, t));
  if (!statements(text, "<step>", 1, {}, -1, false)) return false;
  fmt::print(out_, "t = {} ms\n", w.now);
  const auto& spikes = w.sim->engine().spikes();
  const auto spiked = [&](node_id node) {
    return std::any_of(spikes.begin() + static_cast<std::ptrdiff_t>(before), spikes.end(),
                       [&](const spike& sp) { return sp.node == node; });
  };
  const auto fired = [&](node_id node) {
    return std::any_of(due.begin(), due.end(), [&](const pending_event& e) {
      return e.what == pending_event::kind::source_spike && e.node == node;
    });
  };
  // A source firing or a neuron reaching threshold is said once, by the spike it gives.
  for (const pending_event& e : due)
    if ((e.what != pending_event::kind::source_spike && e.what != pending_event::kind::crossing) ||
        !spiked(e.node))
      fmt::print(out_, "  {}\n", describe(e, *w.sim));
  for (std::size_t i = before; i < spikes.size(); ++i) {
    const auto [name, index] = w.sim->element_of(spikes[i].node);
    fmt::print(out_, "  {}[{}] {}\n", *name, index, fired(spikes[i].node) ? "fires" : "spikes");
  }
  return true;
}

}  // namespace syn::dsl
