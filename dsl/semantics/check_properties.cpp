// The properties of receptors and neurons: a receptor's declaration (its properties are all it
// holds), a neuron property applied to parameters, and the rules a neuron's parameters obey.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "diagnostics/did_you_mean.hpp"
#include "semantics/checker.hpp"
#include "semantics/ions.hpp"
#include "semantics/language_table.hpp"

namespace syn::dsl {

span checker::span_of(const ast::property& p) {
  return {p.name_span.file, p.name_span.begin, p.val.where.end};
}

void checker::receptor(const ast::receptor_decl& d) {
  receptor_info r;
  r.name = library_name_.empty() ? d.name.text : library_name_ + "." + d.name.text;
  r.doc = d.doc;
  r.where = d.name.where;
  bool ok = true;
  bool rise_set = false, decay_set = false;
  std::optional<span> rise_at, permeability_at;
  std::map<std::string, span> written;  // each property as written, for the physiology checks
  for (const ast::property& p : d.properties) {
    const receptor_property* f = find_receptor_property(p.name);
    if (!f) {
      std::vector<std::string> names;
      for (const receptor_property& x : receptor_properties()) names.emplace_back(x.name);
      unknown_property(p, "receptor", names);
      ok = false;
      continue;
    }
    const auto v = receptor_value(p, *f);
    ok &= v.has_value();
    if (!v) continue;
    if (p.name == "rise") {
      rise_set = true;
      rise_at = p.val.where;
    }
    if (p.name == "decay") decay_set = true;
    if (p.name == "ions" && !known_ions(p)) {
      ok = false;
      continue;
    }
    if (p.name == "permeability") permeability_at = p.val.where;
    written[p.name] = span_of(p);
    f->set(r, *v);
  }
  if (!ok) return;
  if (permeability_at && r.permeability.size() != r.ions.size()) {
    diags_.error(*permeability_at,
                 fmt::format("permeability has {} value{} for the {} ion{} of receptor {}",
                             r.permeability.size(), r.permeability.size() == 1 ? "" : "s",
                             r.ions.size(), r.ions.size() == 1 ? "" : "s", r.name),
                 "give one relative permeability per ion, in the order of ions");
    return;
  }
  if (permeability_at &&
      std::all_of(r.permeability.begin(), r.permeability.end(), [](double x) { return x == 0; })) {
    diags_.error(*permeability_at, "permeability needs at least one ion that passes (above 0)");
    return;
  }
  if (r.params.kind == kinetics::jump) {
    if (rise_set || decay_set) {
      diags_.error(
          d.name.where,
          fmt::format("receptor {} has jump kinetics, which take no rise or decay", r.name),
          "a jump receptor's PSP decays with the neuron's tau_m");
      return;
    }
  } else {
    if (!decay_set) {
      diags_.error(d.name.where, fmt::format("receptor {} needs a decay time", r.name),
                   "add decay = 2 ms, or kinetics = jump for an instantaneous jump of V");
      return;
    }
    if (r.params.rise > r.params.decay) {
      diags_.error(
          *rise_at,
          fmt::format("rise ({} ms) must not exceed decay ({} ms)", r.params.rise, r.params.decay),
          "rise == decay gives the alpha function");
      return;
    }
  }
  if (!r.params.reversal && r.ions.empty() && r.params.sign == effect::from_reversal) {
    diags_.error(
        d.name.where,
        fmt::format("receptor {} states neither a reversal potential, nor its ions, nor an effect",
                    r.name),
        "add reversal = 0 mV (the sign then depends on each neuron's rest), ions = [Cl-] (the "
        "reversal then follows from each neuron's concentrations) or effect = excitatory / "
        "inhibitory");
    return;
  }
  if (!receptor_physiology(r, written)) return;
  if (!declare(d.name, declared::kind::receptor,
               static_cast<std::uint32_t>(model_.receptors.size())))
    return;
  model_.receptors.push_back(std::move(r));
}

void checker::unknown_property(const ast::property& p, const char* noun,
                               const std::vector<std::string>& names) {
  const std::string near = closest(p.name, names);
  diags_.error(p.name_span, fmt::format("unknown {} property '{}'", noun, p.name),
               near.empty() ? fmt::format("the properties are: {}", fmt::join(names, ", "))
                            : fmt::format("did you mean '{}'?", near));
}

std::optional<property_value> checker::receptor_value(const ast::property& p,
                                                      const receptor_property& f) {
  switch (f.of) {
    case receptor_property::kind::word:
      return word(p.val, f.name, f.choices);
    case receptor_property::kind::words: {
      const auto* l = std::get_if<ast::list>(&p.val.v);
      if (!l) {
        diags_.error(p.val.where, fmt::format("{} must be a list, as in [Na+, K+]", f.name));
        return std::nullopt;
      }
      std::vector<std::string> words;
      bool ok = true;
      for (const ast::value& item : l->items) {
        const auto w = word(item, f.item, {});
        ok &= w.has_value();
        if (w) words.push_back(*w);
      }
      if (!ok) return std::nullopt;
      return words;
    }
    case receptor_property::kind::numbers: {
      const auto* l = std::get_if<ast::list>(&p.val.v);
      if (!l) {
        diags_.error(p.val.where, fmt::format("{} must be a list, as in [1, 1.1]", f.name));
        return std::nullopt;
      }
      std::vector<double> numbers;
      bool ok = true;
      for (const ast::value& item : l->items) {
        const auto x = plain_number(item, f.item);
        if (x && !bound_error(f.rule, f.item, *x).empty()) {
          diags_.error(item.where, bound_error(f.rule, f.item, *x));
          ok = false;
        }
        ok &= x.has_value();
        if (x) numbers.push_back(*x);
      }
      if (!ok) return std::nullopt;
      return numbers;
    }
    case receptor_property::kind::number:
      break;
  }
  const auto v = quantity(p.val, f.dim, f.name);
  if (!v) return std::nullopt;
  if (const std::string e = bound_error(f.rule, f.name, *v); !e.empty()) {
    diags_.error(p.val.where, e);
    return std::nullopt;
  }
  return *v;
}

bool checker::known_ions(const ast::property& p) {
  bool ok = true;
  for (const ast::value& item : std::get<ast::list>(p.val.v).items) {
    const auto* w = std::get_if<ast::word>(&item.v);
    if (!w) continue;  // reported by receptor_value
    const auto read = read_ion(w->text);
    if (const auto* e = std::get_if<ion_error>(&read)) {
      diags_.error(item.where, e->message, e->hint);
      ok = false;
      continue;
    }
    // Listed twice, an ion would count twice in GHK: its permeability says how much it passes.
    const auto& items = std::get<ast::list>(p.val.v).items;
    const auto earlier = items.begin() + (&item - items.data());
    if (std::any_of(items.begin(), earlier, [&](const ast::value& before) {
          const auto* b = std::get_if<ast::word>(&before.v);
          return b && b->text == w->text;
        })) {
      diags_.error(item.where, fmt::format("ion {} is listed twice", w->text),
                   "list each ion once; permeability = [...] gives their relative weights");
      ok = false;
    }
  }
  return ok;
}

bool checker::apply_ion_property(const ast::property& p, const ion_property& f,
                                 ion_environment& ions) {
  const auto v = quantity(p.val, f.dim, f.name);
  if (!v) return false;
  if (!(*v > 0)) {
    diags_.error(p.val.where, fmt::format("{} must be positive", f.name),
                 f.dim == dims::temperature ? "a temperature is absolute: 310.15 K or 37 degC"
                                            : "a concentration of 0 gives an infinite reversal");
    return false;
  }
  ions.*f.field = *v;
  return true;
}

bool checker::apply_neuron_property(const ast::property& p, neuron_params& n,
                                    std::optional<distribution>& v0, ion_environment& ions) {
  if (const ion_property* i = find_ion_property(p.name)) return apply_ion_property(p, *i, ions);
  const neuron_property* f = find_neuron_property(p.name);
  if (!f) {
    std::vector<std::string> names;
    for (const neuron_property& x : neuron_properties()) names.emplace_back(x.name);
    for (const ion_property& x : ion_properties()) names.emplace_back(x.name);
    unknown_property(p, "neuron", names);
    return false;
  }
  if (f->drawn) {
    const auto d = dist(p.val, f->dim, f->name);
    if (!d) return false;
    if (d->shape == distribution::kind::constant) {
      f->set(n, d->a);
      v0.reset();
    } else {
      v0 = d;
    }
    return true;
  }
  const auto v = quantity(p.val, f->dim, f->name);
  if (!v) return false;
  if (const std::string e = bound_error(f->rule, f->name, *v); !e.empty()) {
    diags_.error(p.val.where, e);
    return false;
  }
  f->set(n, *v);
  return true;
}

bool checker::valid_neuron(const neuron_params& n, span where, const std::string& what,
                           const std::vector<ast::property>& properties) {
  // Point at the property that broke a rule when this declaration sets it.
  const auto at = [&](std::initializer_list<const char*> names) {
    for (const char* name : names)
      for (const ast::property& p : properties)
        if (p.name == name) return span_of(p);
    return where;
  };
  std::vector<std::string> missing;
  for (const neuron_property& p : neuron_properties())
    if (p.required() && !p.stated(n, std::nullopt)) missing.push_back(p.name);
  if (!missing.empty()) {
    diags_.error(where, fmt::format("{} needs {}", what, fmt::join(missing, ", ")),
                 "for example: rest = -70 mV; threshold = -55 mV; tau_m = 10 ms");
    return false;
  }
  const double reset = n.reset.value_or(n.rest);
  if (!(reset < n.threshold)) {
    diags_.error(at({"reset", "threshold", "rest"}),
                 fmt::format("{}: reset ({} mV{}) must be below threshold ({} mV)", what, reset,
                             n.reset ? "" : ", the default: rest", n.threshold));
    return false;
  }
  if (n.bias != 0.0 && !n.capacitance) {
    diags_.error(at({"bias"}), fmt::format("{}: a bias current needs the capacitance", what),
                 "add capacitance = 250 pF");
    return false;
  }
  return true;
}

}  // namespace syn::dsl
