#include "semantics/ions.hpp"

#include <fmt/format.h>

#include <cctype>

namespace syn::dsl {

std::span<const ion> known_ions() {
  using e = ion_environment;
  static constexpr ion table[] = {
      {"K+", "K", 1, &e::K_in, &e::K_out, "K_in", "K_out"},
      {"Na+", "Na", 1, &e::Na_in, &e::Na_out, "Na_in", "Na_out"},
      {"Cl-", "Cl", -1, &e::Cl_in, &e::Cl_out, "Cl_in", "Cl_out"},
      {"Ca2+", "Ca", 2, &e::Ca_in, &e::Ca_out, "Ca_in", "Ca_out"},
  };
  return table;
}

std::string known_ion_list() {
  std::string out;
  for (const ion& i : known_ions()) out += fmt::format("{}{}", out.empty() ? "" : ", ", i.symbol);
  return out;
}

std::variant<const ion*, ion_error> read_ion(std::string_view word) {
  for (const ion& i : known_ions())
    if (word == i.symbol) return &i;
  std::size_t letters = 0;
  while (letters < word.size() && std::isalpha(static_cast<unsigned char>(word[letters])))
    ++letters;
  const std::string_view element = word.substr(0, letters);
  for (const ion& i : known_ions())
    if (element == i.element && letters == word.size())
      return ion_error{fmt::format("ion '{}' needs its charge: {} carries {}{}", word, i.element,
                                   i.charge > 0 ? "+" : "", i.charge),
                       fmt::format("write {}", i.symbol)};
    else if (element == i.element)
      return ion_error{fmt::format("ion '{}' has the wrong charge: {} carries {}{}", word,
                                   i.element, i.charge > 0 ? "+" : "", i.charge),
                       fmt::format("write {}", i.symbol)};
  return ion_error{
      fmt::format("unknown ion '{}'", word),
      fmt::format("the ions whose concentrations a neuron holds are {}", known_ion_list())};
}

}  // namespace syn::dsl
