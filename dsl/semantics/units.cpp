#include "semantics/units.hpp"

#include <fmt/format.h>

namespace syn::dsl {

const std::vector<unit_def>& unit_table() {
  static const std::vector<unit_def> table = {
      {"ms", dims::time, 1.0},
      {"s", dims::time, 1e3},
      {"us", dims::time, 1e-3},
      {"mV", dims::voltage, 1.0},
      {"V", dims::voltage, 1e3},
      {"pA", dims::current, 1.0},
      {"nA", dims::current, 1e3},
      {"nS", dims::conductance, 1.0},
      {"uS", dims::conductance, 1e3},
      {"pF", dims::capacitance, 1.0},
      {"nF", dims::capacitance, 1e3},
      {"Hz", dims::rate, 1e-3},
      {"kHz", dims::rate, 1.0},
      {"um", dims::length, 1.0},
      {"mm", dims::length, 1e3},
      {"MOhm", dims::resistance, 1e-3},
      {"mM", dims::concentration, 1.0},
      {"K", dims::temperature, 1.0},
      {"degC", dims::temperature, 1.0, 273.15},
  };
  return table;
}

const unit_def* find_unit(std::string_view name) {
  for (const unit_def& u : unit_table())
    if (u.name == name) return &u;
  return nullptr;
}

std::string dimension_name(dimension d) {
  struct named {
    dimension dim;
    const char* name;
  };
  static const named names[] = {
      {dims::none, "plain number"},       {dims::time, "time"},
      {dims::voltage, "voltage"},         {dims::current, "current"},
      {dims::conductance, "conductance"}, {dims::capacitance, "capacitance"},
      {dims::resistance, "resistance"},   {dims::rate, "rate"},
      {dims::length, "length"},           {dims::concentration, "concentration"},
      {dims::temperature, "temperature"},
  };
  for (const named& n : names)
    if (n.dim == d) return n.name;
  std::string out;
  const auto add = [&](int exponent, const char* base) {
    if (exponent == 0) return;
    out += fmt::format("{}{}{}", out.empty() ? "" : " ", base,
                       exponent == 1 ? std::string() : fmt::format("^{}", exponent));
  };
  add(d.time, "ms");
  add(d.voltage, "mV");
  add(d.current, "pA");
  add(d.length, "um");
  add(d.concentration, "mM");
  add(d.temperature, "K");
  return out;
}

std::string units_of(dimension d) {
  std::string out;
  for (const unit_def& u : unit_table())
    if (u.dim == d) out += fmt::format("{}{}", out.empty() ? "" : ", ", u.name);
  return out;
}

}  // namespace syn::dsl
