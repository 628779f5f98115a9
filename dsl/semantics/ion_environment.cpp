#include "semantics/ion_environment.hpp"

#include <fmt/format.h>

namespace syn::dsl {

std::string ion_property::text(const ion_environment& e) const {
  return fmt::format("{} {}", e.*field, dim == dims::temperature ? "K" : "mM");
}

std::span<const ion_property> ion_properties() {
  using e = ion_environment;
  static constexpr ion_property table[] = {
      {"K_in", dims::concentration, "K+ inside, for reversals from ions; default 140 mM", &e::K_in},
      {"K_out", dims::concentration, "K+ outside; default 5 mM", &e::K_out},
      {"Na_in", dims::concentration, "Na+ inside; default 15 mM", &e::Na_in},
      {"Na_out", dims::concentration, "Na+ outside; default 145 mM", &e::Na_out},
      {"Cl_in", dims::concentration, "Cl- inside; default 8 mM", &e::Cl_in},
      {"Cl_out", dims::concentration, "Cl- outside; default 110 mM", &e::Cl_out},
      {"Ca_in", dims::concentration, "Ca2+ inside; default 0.0001 mM (100 nM)", &e::Ca_in},
      {"Ca_out", dims::concentration, "Ca2+ outside; default 2 mM", &e::Ca_out},
      {"temperature", dims::temperature, "for reversals from ions; default 310.15 K (37 degC)",
       &e::temperature},
  };
  return table;
}

const ion_property* find_ion_property(std::string_view name) {
  for (const ion_property& p : ion_properties())
    if (p.name == name) return &p;
  return nullptr;
}

}  // namespace syn::dsl
