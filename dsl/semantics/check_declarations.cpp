// The declarations of neuron types, populations and trains (receptors are their properties:
// check_properties.cpp).
#include <fmt/format.h>

#include <algorithm>

#include "run/csv_files.hpp"
#include "semantics/checker.hpp"

namespace syn::dsl {

void checker::neuron(const ast::neuron_decl& d) {
  neuron_type t;
  t.name = library_name_.empty() ? d.name.text : library_name_ + "." + d.name.text;
  t.doc = d.doc;
  t.where = d.name.where;
  bool base_ion_set = true;
  if (d.base) {
    const auto b = lookup(*d.base, declared::kind::neuron, "neuron type");
    if (!b) return;
    const neuron_type& base = model_.neuron_types[b->index];
    t.base = base.name;
    t.params = base.params;
    t.v0 = base.v0;
    t.ions = base.ions;
    base_ion_set = base.ion_set;
  }
  bool ok = true;
  for (const ast::property& p : d.properties)
    ok &= apply_neuron_property(p, t.params, t.v0, t.ions);
  if (!ok) return;
  t.ion_set = base_ion_set && (d.base || !d.properties.empty()) &&
              std::all_of(d.properties.begin(), d.properties.end(), [](const ast::property& p) {
                return find_ion_property(p.name) != nullptr;
              });
  if (!t.ion_set &&
      !valid_neuron(t.params, d.name.where, fmt::format("neuron type {}", t.name), d.properties))
    return;
  if (!declare(d.name, declared::kind::neuron,
               static_cast<std::uint32_t>(model_.neuron_types.size())))
    return;
  model_.neuron_types.push_back(std::move(t));
}

void checker::population(const ast::population_decl& d) {
  group g;
  g.name = d.name.text;
  g.where = d.name.where;
  if (d.count) {
    const auto n = whole_number(*d.count, "a population's size", 1);
    if (!n) return;
    g.size = static_cast<std::uint32_t>(*n);
  }
  const auto t = lookup(d.model, declared::kind::neuron, "neuron type");
  if (!t) return;
  const neuron_type& type = model_.neuron_types[t->index];
  g.type = type.name;
  g.params = type.params;
  g.v0 = type.v0;
  g.ions = type.ions;
  bool ok = true;
  for (const ast::property& p : d.overrides) ok &= apply_neuron_property(p, g.params, g.v0, g.ions);
  if (!ok) return;
  // A type that holds only ions leaves the membrane to the population.
  if (type.ion_set && d.overrides.empty()) {
    diags_.error(d.model.where,
                 fmt::format("neuron type {} holds only ions: population {} needs rest, "
                             "threshold and tau_m",
                             type.name, g.name),
                 fmt::format("give them here ({} {{ rest = -70 mV; threshold = -55 mV; tau_m = "
                             "10 ms }}) or in a neuron type that inherits {}",
                             d.model.text(), d.model.text()));
    return;
  }
  if (!d.overrides.empty() && !valid_neuron(g.params, span_of(d.overrides.front()),
                                            fmt::format("population {}", g.name), d.overrides))
    return;
  if (!declare(d.name, declared::kind::population,
               static_cast<std::uint32_t>(model_.groups.size())))
    return;
  g.since = model_.now();
  model_.groups.push_back(std::move(g));
}

void checker::train(const ast::train_decl& d) {
  group g;
  g.name = d.name.text;
  g.where = d.name.where;
  g.is_train = true;
  if (d.count) {
    const auto n = whole_number(*d.count, "the number of sources", 1);
    if (!n) return;
    g.size = static_cast<std::uint32_t>(*n);
  }
  switch (d.kind) {
    case ast::train_kind::times: {
      g.train = group::train_kind::times;
      const auto* l = std::get_if<ast::list>(&d.times->v);
      if (!l) return;
      for (const ast::value& item : l->items) {
        const auto t = quantity(item, dims::time, "a spike time");
        if (!t) return;
        if (*t < 0) {
          diags_.error(item.where, "spike times cannot be negative");
          return;
        }
        g.times.push_back(*t);
      }
      break;
    }
    case ast::train_kind::regular:
    case ast::train_kind::poisson: {
      const bool regular = d.kind == ast::train_kind::regular;
      g.train = regular ? group::train_kind::regular : group::train_kind::poisson;
      const auto rate = quantity(*d.rate, dims::rate, "a rate");
      if (!rate) return;
      if (regular ? !(*rate > 0) : *rate < 0) {
        diags_.error(d.rate->where, regular ? "a regular train's rate must be positive"
                                            : "a rate cannot be negative");
        return;
      }
      g.rate = *rate;
      if (d.start) {
        const auto a = quantity(*d.start, dims::time, "the start time");
        const auto b = quantity(*d.stop, dims::time, "the stop time");
        if (!a || !b) return;
        if (*a < 0) {
          diags_.error(d.start->where, "the start time cannot be negative");
          return;
        }
        if (!(*b > *a)) {
          diags_.error(d.stop->where, "the stop time must be after the start time");
          return;
        }
        g.start = *a;
        g.stop = *b;
      }
      break;
    }
    case ast::train_kind::file:
      if (d.count) {
        diags_.error(d.count->where, "a replayed train has one source per recorded neuron",
                     "remove the count: the file decides how many sources there are");
        return;
      }
      g.train = group::train_kind::file;
      g.path = (base_dir_ / d.path).string();
      if (!read_replay(g, d.path_span)) return;
      break;
  }
  if (!declare(d.name, declared::kind::train, static_cast<std::uint32_t>(model_.groups.size())))
    return;
  g.since = model_.now();
  model_.groups.push_back(std::move(g));
}

bool checker::read_replay(group& g, span where) {
  auto result = read_spikes_csv(g.path);
  if (const auto* e = std::get_if<csv_error>(&result)) {
    diags_.error(where,
                 e->line ? fmt::format("{}:{}:{}: {}", g.path, e->line, e->column, e->message)
                         : fmt::format("cannot read spikes from '{}': {}", g.path, e->message),
                 "a replay file has the format `record spikes` writes: time_ms,population,index");
    return false;
  }
  replay& r = std::get<replay>(result);
  if (r.sources.empty()) {
    diags_.error(where, fmt::format("'{}' holds no spikes", g.path));
    return false;
  }
  g.size = static_cast<std::uint32_t>(r.sources.size());
  g.replay = std::move(r.sources);
  return true;
}

}  // namespace syn::dsl
