// The properties of receptors and neurons: a receptor's declaration (its properties are all it
// holds), a neuron property applied to parameters, and the rules a neuron's parameters obey.
#include <fmt/format.h>

#include <cmath>
#include <map>

#include "diagnostics/did_you_mean.hpp"
#include "semantics/checker.hpp"
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
  std::optional<span> rise_at;
  std::map<std::string, span> written;  // each property as written, for the physiology checks
  for (const ast::property& p : d.properties) {
    const receptor_property* f = find_receptor_property(p.name);
    if (!f) {
      unknown_property(p, "receptor", receptor_properties());
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
    written[p.name] = span_of(p);
    f->set(r, *v);
  }
  if (!ok) return;
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
  if (!r.params.reversal && r.params.sign == effect::from_reversal) {
    diags_.error(
        d.name.where,
        fmt::format("receptor {} states neither a reversal potential nor an effect", r.name),
        "add reversal = 0 mV (the sign then depends on each neuron's rest) or effect = "
        "excitatory / inhibitory");
    return;
  }
  if (!receptor_physiology(r, written)) return;
  if (!declare(d.name, declared::kind::receptor,
               static_cast<std::uint32_t>(model_.receptors.size())))
    return;
  model_.receptors.push_back(std::move(r));
}

template <typename Property>
void checker::unknown_property(const ast::property& p, const char* noun,
                               std::span<const Property> table) {
  std::vector<std::string> names;
  for (const Property& x : table) names.emplace_back(x.name);
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

bool checker::apply_neuron_property(const ast::property& p, neuron_params& n,
                                    std::optional<distribution>& v0) {
  const neuron_property* f = find_neuron_property(p.name);
  if (!f) {
    unknown_property(p, "neuron", neuron_properties());
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
