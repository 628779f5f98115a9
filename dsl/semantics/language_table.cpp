#include "semantics/language_table.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "semantics/value_ranges.hpp"

namespace syn::dsl {

namespace {

std::string with_unit(double x, const char* unit) { return fmt::format("{} {}", x, unit); }

using params = neuron_params;
using drawn_v0 = std::optional<distribution>;

}  // namespace

std::string bound_error(bound rule, const char* name, double value) {
  switch (rule) {
    case bound::any:
      break;
    case bound::not_negative:
      if (value < 0) return fmt::format("{} cannot be negative", name);
      break;
    case bound::positive:
      if (!(value > 0)) return fmt::format("{} must be positive", name);
      break;
    case bound::time_constant:
      if (!(value >= min_time_constant))
        return fmt::format("{} must be at least {} ms (1 ns)", name, min_time_constant);
      break;
    case bound::zero_or_time_constant:
      if (value < 0 || (value > 0 && value < min_time_constant))
        return fmt::format("{} must be 0 or at least {} ms (1 ns)", name, min_time_constant);
      break;
    case bound::capacitance:
      if (!(value >= min_capacitance))
        return fmt::format("{} must be at least {} pF (1 fF)", name, min_capacitance);
      break;
  }
  return {};
}

std::span<const neuron_property> neuron_properties() {
  static constexpr neuron_property table[] = {
      {"rest", dims::voltage, "resting potential (required)", bound::any, false, "",
       [](params& p, double x) { p.rest = x; },
       [](const params& p, const drawn_v0&) { return !std::isnan(p.rest); },
       [](const params& p, const drawn_v0&) { return with_unit(p.rest, "mV"); }},
      {"threshold", dims::voltage, "a spike when V reaches it (required)", bound::any, false, "",
       [](params& p, double x) { p.threshold = x; },
       [](const params& p, const drawn_v0&) { return !std::isnan(p.threshold); },
       [](const params& p, const drawn_v0&) { return with_unit(p.threshold, "mV"); }},
      {"reset", dims::voltage, "V after a spike; default rest", bound::any, false, "rest",
       [](params& p, double x) { p.reset = x; },
       [](const params& p, const drawn_v0&) { return p.reset.has_value(); },
       [](const params& p, const drawn_v0&) {
         return p.reset ? with_unit(*p.reset, "mV") : "rest";
       }},
      {"refractory", dims::time, "V held at reset after a spike; default 0 ms", bound::not_negative,
       false, "0 ms", [](params& p, double x) { p.refractory = x; },
       [](const params& p, const drawn_v0&) { return p.refractory != params{}.refractory; },
       [](const params& p, const drawn_v0&) { return with_unit(p.refractory, "ms"); }},
      {"tau_m", dims::time, "membrane time constant (required)", bound::time_constant, false, "",
       [](params& p, double x) { p.tau_m = x; },
       [](const params& p, const drawn_v0&) { return !std::isnan(p.tau_m); },
       [](const params& p, const drawn_v0&) { return with_unit(p.tau_m, "ms"); }},
      {"capacitance", dims::capacitance, "needed by pA and nS weights and by bias",
       bound::capacitance, false, "none (pA and nS weights need it)",
       [](params& p, double x) { p.capacitance = x; },
       [](const params& p, const drawn_v0&) { return p.capacitance.has_value(); },
       [](const params& p, const drawn_v0&) {
         return p.capacitance ? with_unit(*p.capacitance, "pF") : "none";
       }},
      {"bias", dims::current, "constant input current; default 0 pA", bound::any, false, "0 pA",
       [](params& p, double x) { p.bias = x; },
       [](const params& p, const drawn_v0&) { return p.bias != params{}.bias; },
       [](const params& p, const drawn_v0&) { return with_unit(p.bias, "pA"); }},
      {"length_constant", dims::length,
       "dendritic attenuation exp(-x / length_constant) of a synapse `at x um`; default none",
       bound::positive, false, "infinite (no attenuation)",
       [](params& p, double x) { p.length_constant = x; },
       [](const params& p, const drawn_v0&) { return std::isfinite(p.length_constant); },
       [](const params& p, const drawn_v0&) {
         return std::isfinite(p.length_constant) ? with_unit(p.length_constant, "um") : "infinite";
       }},
      {"v0", dims::voltage, "V at the start, or a distribution; default rest", bound::any, true,
       "rest", [](params& p, double x) { p.v0 = x; },
       [](const params& p, const drawn_v0& v0) { return p.v0.has_value() || v0.has_value(); },
       [](const params& p, const drawn_v0& v0) {
         return v0 ? format_distribution(*v0) : p.v0 ? with_unit(*p.v0, "mV") : "rest";
       }},
  };
  return table;
}

std::span<const receptor_property> receptor_properties() {
  using k = receptor_property::kind;
  using value = property_value;
  using info = receptor_info;
  // A few lines to a property, as the neuron table (clang-format would give each field a line).
  // clang-format off
  static const receptor_property table[] = {
      {"transmitter", dims::none, "a word: glutamate, GABA, dopamine, ...", k::word, bound::any,
       {}, "", false, "", [](info& r, const value& v) { r.transmitter = std::get<std::string>(v); },
       [](const info& r) { return !r.transmitter.empty(); },
       [](const info& r) { return r.transmitter; }},
      {"kind", dims::none, "ionotropic or metabotropic", k::word, bound::any,
       {"ionotropic", "metabotropic"}, "", false, "",
       [](info& r, const value& v) { r.kind = std::get<std::string>(v); },
       [](const info& r) { return !r.kind.empty(); }, [](const info& r) { return r.kind; }},
      {"ions", dims::none, "a list: [Na+, K+]", k::words, bound::any, {}, "an ion", false, "",
       [](info& r, const value& v) { r.ions = std::get<std::vector<std::string>>(v); },
       [](const info& r) { return !r.ions.empty(); },
       [](const info& r) { return fmt::format("[{}]", fmt::join(r.ions, ", ")); }},
      {"permeability", dims::none, "relative, one per ion: [1, 1.1]; default all equal",
       k::numbers, bound::not_negative, {}, "a permeability", false, "",
       [](info& r, const value& v) { r.permeability = std::get<std::vector<double>>(v); },
       [](const info& r) { return !r.permeability.empty(); },
       [](const info& r) { return fmt::format("[{}]", fmt::join(r.permeability, ", ")); }},
      {"reversal", dims::voltage, "EPSP on neurons resting below it; default: from the ions",
       k::number, bound::any, {}, "", false, "",
       [](info& r, const value& v) { r.params.reversal = std::get<double>(v); },
       [](const info& r) { return r.params.reversal.has_value(); },
       [](const info& r) { return with_unit(r.params.reversal.value_or(0.0), "mV"); }},
      {"rise", dims::time, "rise time constant; default 0 ms (a single exponential)", k::number,
       bound::zero_or_time_constant, {}, "", true, "0 ms",
       [](info& r, const value& v) { r.params.rise = std::get<double>(v); },
       [](const info& r) { return r.params.kind == kinetics::current; },
       [](const info& r) { return with_unit(r.params.rise, "ms"); }},
      {"decay", dims::time, "decay time constant (required unless kinetics = jump)", k::number,
       bound::time_constant, {}, "", true, "",
       [](info& r, const value& v) { r.params.decay = std::get<double>(v); },
       [](const info& r) { return r.params.kind == kinetics::current; },
       [](const info& r) { return with_unit(r.params.decay, "ms"); }},
      {"kinetics", dims::none, "current (default) or jump: an instantaneous jump of V", k::word,
       bound::any, {"jump", "current"}, "", false, "current",
       [](info& r, const value& v) {
         r.params.kind = std::get<std::string>(v) == "jump" ? kinetics::jump : kinetics::current;
       },
       [](const info& r) { return r.params.kind == kinetics::jump; },
       [](const info& r) { return std::string(r.params.kind == kinetics::jump ? "jump" : "current"); }},
      {"effect", dims::none, "excitatory or inhibitory, instead of a reversal potential", k::word,
       bound::any, {"excitatory", "inhibitory"}, "", false, "from the reversal potential",
       [](info& r, const value& v) {
         r.params.sign =
             std::get<std::string>(v) == "excitatory" ? effect::excitatory : effect::inhibitory;
       },
       [](const info&) { return true; },
       [](const info& r) -> std::string {
         switch (r.params.sign) {
           case effect::excitatory: return "excitatory";
           case effect::inhibitory: return "inhibitory";
           case effect::from_reversal: break;
         }
         return "from the reversal potential";
       }},
      {"latency", dims::time,
       "second-messenger delay, added to each connection's delay; default 0 ms", k::number,
       bound::not_negative, {}, "", false, "0 ms",
       [](info& r, const value& v) { r.latency = std::get<double>(v); },
       [](const info& r) { return r.latency > 0.0; },
       [](const info& r) { return with_unit(r.latency, "ms"); }},
      {"mg_block", dims::concentration,
       "Mg2+ blocking the conductance by B(V), as NMDA's (weights in nS)", k::number,
       bound::not_negative, {}, "", true, "none",
       [](info& r, const value& v) { r.params.mg_block = std::get<double>(v); },
       [](const info& r) { return r.params.mg_block > 0.0; },
       [](const info& r) { return with_unit(r.params.mg_block, "mM"); }},
  };
  // clang-format on
  return table;
}

const neuron_property* find_neuron_property(std::string_view name) {
  for (const neuron_property& p : neuron_properties())
    if (p.name == name) return &p;
  return nullptr;
}

const receptor_property* find_receptor_property(std::string_view name) {
  for (const receptor_property& p : receptor_properties())
    if (p.name == name) return &p;
  return nullptr;
}

std::vector<const receptor_property*> receptor_listing() {
  std::vector<const receptor_property*> list;
  for (const receptor_property& p : receptor_properties()) list.push_back(&p);
  const auto kinetics = std::find_if(list.begin(), list.end(), [](const receptor_property* p) {
    return std::string_view(p->name) == "kinetics";
  });
  const auto first = std::find_if(list.begin(), list.end(),
                                  [](const receptor_property* p) { return p->current_only; });
  if (first < kinetics) std::rotate(first, kinetics, kinetics + 1);
  return list;
}

std::string format_distribution(const distribution& d) {
  switch (d.shape) {
    case distribution::kind::uniform:
      return fmt::format("uniform({} mV, {} mV)", d.a, d.b);
    case distribution::kind::normal:
      return fmt::format("normal({} mV, {} mV)", d.a, d.b);
    case distribution::kind::exponential:
      return fmt::format("exponential({} mV)", d.a);
    case distribution::kind::constant:
      break;
  }
  return with_unit(d.a, "mV");
}

}  // namespace syn::dsl
