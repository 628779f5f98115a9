#pragma once

// The properties the language knows, each described once: its name, dimension, check, where its
// value goes, its default and its help text. The checker validates against this table; the
// REPL's `show`, completion and `:help`, and `syn doc`, read it.

#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "semantics/model.hpp"
#include "semantics/units.hpp"

namespace syn::dsl {

// What a number must be beyond its unit and the range of its dimension (value_ranges).
enum class bound { any, not_negative, positive, time_constant, zero_or_time_constant, capacitance };

// The error when `value` of the property `name` breaks `rule`; "" when it keeps it.
std::string bound_error(bound rule, const char* name, double value);

struct neuron_property {
  const char* name;
  dimension dim;
  const char* what;  // one line for :help
  bound rule;
  bool drawn;                // may be a distribution, drawn per neuron (v0)
  const char* default_text;  // for syn doc; "" when required (no default)
  void (*set)(neuron_params&, double);
  // Whether the value differs from the default (a required one: whether it is set). `v0`: the
  // distribution v0 is drawn from, when it is drawn.
  bool (*stated)(const neuron_params&, const std::optional<distribution>& v0);
  // The value with its unit, or what stands for it when it is not stated (rest, none, ...).
  std::string (*text)(const neuron_params&, const std::optional<distribution>& v0);

  bool required() const { return *default_text == '\0'; }
};

// A receptor property is a number with its unit, a word, a list of words or of plain numbers.
using property_value =
    std::variant<double, std::string, std::vector<std::string>, std::vector<double>>;

struct receptor_property {
  enum class kind { number, word, words, numbers };
  const char* name;
  dimension dim;     // dims::none for words and lists
  const char* what;  // one line for :help
  kind of;
  bound rule;
  std::vector<std::string> choices;  // a word's allowed values; empty: any word
  const char* item;                  // a list's element, as errors name it
  bool current_only;                 // only for current kinetics: a jump takes none
  const char* default_text;          // for syn doc; "" when it has none to show
  void (*set)(receptor_info&, const property_value&);
  bool (*shown)(const receptor_info&);  // whether `show` lists it
  std::string (*text)(const receptor_info&);
};

std::span<const neuron_property> neuron_properties();
std::span<const receptor_property> receptor_properties();
const neuron_property* find_neuron_property(std::string_view name);
const receptor_property* find_receptor_property(std::string_view name);

// The receptor properties in the order `show` and `syn doc` list them: the table's, with
// kinetics before the rise and decay that only current kinetics take.
std::vector<const receptor_property*> receptor_listing();

// A v0 distribution as it would be written.
std::string format_distribution(const distribution& d);

}  // namespace syn::dsl
