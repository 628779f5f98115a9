// The properties of receptors and neurons: a receptor's declaration (its properties are all it
// holds), a neuron property applied to parameters, and the rules a neuron's parameters obey.
#include <fmt/format.h>

#include <cmath>

#include "diagnostics/did_you_mean.hpp"
#include "semantics/checker.hpp"
#include "semantics/language_tables.hpp"

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
  std::vector<std::string> known;
  for (const property_info& p : receptor_properties()) known.emplace_back(p.name);
  for (const ast::property& p : d.properties) {
    if (p.name == "transmitter") {
      const auto w = word(p.val, "transmitter", {});
      ok &= w.has_value();
      if (w) r.transmitter = *w;
    } else if (p.name == "kind") {
      const auto w = word(p.val, "kind", {"ionotropic", "metabotropic"});
      ok &= w.has_value();
      if (w) r.kind = *w;
    } else if (p.name == "ions") {
      const auto* l = std::get_if<ast::list>(&p.val.v);
      if (!l) {
        diags_.error(p.val.where, "ions must be a list, as in [Na+, K+]");
        ok = false;
        continue;
      }
      for (const ast::value& item : l->items) {
        const auto w = word(item, "an ion", {});
        ok &= w.has_value();
        if (w) r.ions.push_back(*w);
      }
    } else if (p.name == "reversal") {
      const auto v = quantity(p.val, dims::voltage, "reversal");
      ok &= v.has_value();
      if (v) r.params.reversal = *v;
    } else if (p.name == "rise" || p.name == "decay") {
      const auto v = quantity(p.val, dims::time, p.name == "rise" ? "rise" : "decay");
      ok &= v.has_value();
      if (!v) continue;
      if (p.name == "rise") {
        rise_set = true;
        rise_at = p.val.where;
        if (*v < 0 || (*v > 0 && *v < min_time_constant)) {
          diags_.error(p.val.where,
                       fmt::format("rise must be 0 or at least {} ms (1 ns)", min_time_constant));
          ok = false;
        }
        r.params.rise = *v;
      } else {
        decay_set = true;
        if (!(*v >= min_time_constant)) {
          diags_.error(p.val.where,
                       fmt::format("decay must be at least {} ms (1 ns)", min_time_constant));
          ok = false;
        }
        r.params.decay = *v;
      }
    } else if (p.name == "kinetics") {
      const auto w = word(p.val, "kinetics", {"jump", "current"});
      ok &= w.has_value();
      if (w) r.params.kind = *w == "jump" ? kinetics::jump : kinetics::current;
    } else if (p.name == "effect") {
      const auto w = word(p.val, "effect", {"excitatory", "inhibitory"});
      ok &= w.has_value();
      if (w) r.params.sign = *w == "excitatory" ? effect::excitatory : effect::inhibitory;
    } else {
      const std::string near = closest(p.name, known);
      diags_.error(p.name_span, fmt::format("unknown receptor property '{}'", p.name),
                   near.empty() ? fmt::format("the properties are: {}", fmt::join(known, ", "))
                                : fmt::format("did you mean '{}'?", near));
      ok = false;
    }
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
  if (!declare(d.name, declared::kind::receptor,
               static_cast<std::uint32_t>(model_.receptors.size())))
    return;
  model_.receptors.push_back(std::move(r));
}

bool checker::apply_neuron_property(const ast::property& p, neuron_params& n,
                                    std::optional<distribution>& v0) {
  const property_info* f = nullptr;
  for (const property_info& x : neuron_properties())
    if (p.name == x.name) f = &x;
  if (!f) {
    std::vector<std::string> names;
    for (const property_info& x : neuron_properties()) names.emplace_back(x.name);
    const std::string near = closest(p.name, names);
    diags_.error(p.name_span, fmt::format("unknown neuron property '{}'", p.name),
                 near.empty() ? fmt::format("the properties are: {}", fmt::join(names, ", "))
                              : fmt::format("did you mean '{}'?", near));
    return false;
  }
  if (p.name == "v0") {
    const auto d = dist(p.val, dims::voltage, "v0");
    if (!d) return false;
    if (d->shape == distribution::kind::constant) {
      n.v0 = d->a;
      v0.reset();
    } else {
      v0 = d;
    }
    return true;
  }
  const auto v = quantity(p.val, f->dim, f->name);
  if (!v) return false;
  const auto positive = [&](const char* what) {
    if (*v > 0) return true;
    diags_.error(p.val.where, fmt::format("{} must be positive", what));
    return false;
  };
  const std::string& name = p.name;
  if (name == "rest")
    n.rest = *v;
  else if (name == "threshold")
    n.threshold = *v;
  else if (name == "reset")
    n.reset = *v;
  else if (name == "refractory") {
    if (*v < 0) {
      diags_.error(p.val.where, "refractory cannot be negative");
      return false;
    }
    n.refractory = *v;
  } else if (name == "tau_m") {
    if (!(*v >= min_time_constant)) {
      diags_.error(p.val.where,
                   fmt::format("tau_m must be at least {} ms (1 ns)", min_time_constant));
      return false;
    }
    n.tau_m = *v;
  } else if (name == "capacitance") {
    if (!positive("capacitance")) return false;
    n.capacitance = *v;
  } else if (name == "bias")
    n.bias = *v;
  else if (name == "length_constant") {
    if (!positive("length_constant")) return false;
    n.length_constant = *v;
  }
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
  if (std::isnan(n.rest)) missing.push_back("rest");
  if (std::isnan(n.threshold)) missing.push_back("threshold");
  if (std::isnan(n.tau_m)) missing.push_back("tau_m");
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
