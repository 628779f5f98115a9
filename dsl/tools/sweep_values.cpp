#include "tools/sweep_values.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include "semantics/param_settings.hpp"

namespace syn::dsl {

namespace {

std::string shortest(double x) { return fmt::format("{}", x); }

// The value `x` in `unit`, written as the sweep writes it, pointing at `where`.
ast::value quantity_at(double x, const std::string& unit, span where, span unit_span) {
  return ast::value{where, ast::quantity{x, shortest(x), unit, unit_span}};
}

// K of A..B/K: a whole number from 2 to max_sweep_values.
std::optional<std::size_t> read_count(const source_file& source, std::uint32_t begin,
                                      std::uint32_t end, diagnostics& diags) {
  const std::string_view text = std::string_view(source.text()).substr(begin, end - begin);
  std::size_t k = 0;
  const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), k);
  if (ec == std::errc() && ptr == text.data() + text.size() && k >= 2 && k <= max_sweep_values)
    return k;
  diags.error({&source, begin, std::max(end, begin + 1)},
              fmt::format("K of A..B/K must be a whole number from 2 to {}, the number of values",
                          max_sweep_values),
              "as in w_inh=0mV..4mV/9: 0, 0.5, 1, ..., 4 mV");
  return std::nullopt;
}

}  // namespace

bool is_sweep(std::string_view argument) {
  const std::size_t equals = argument.find('=');
  if (equals == std::string_view::npos) return false;
  const std::string_view value = argument.substr(equals + 1);
  return value.find("..") != std::string_view::npos || value.find(',') != std::string_view::npos;
}

std::optional<sweep_values> read_sweep(const source_file& source, diagnostics& diags) {
  const auto name = read_setting_name(source, diags);
  if (!name) return std::nullopt;
  const std::string& text = source.text();
  const auto end = static_cast<std::uint32_t>(text.size());
  sweep_values sweep{name->name, {}, {}, {}};
  // The unit of the first value; each other must be written in it.
  std::optional<span> unit_at;
  const auto same_unit = [&](const ast::value& v) {
    const auto& q = std::get<ast::quantity>(v.v);
    if (!unit_at) {
      sweep.unit = q.unit;
      unit_at = q.unit.empty() ? v.where : q.unit_span;
      return true;
    }
    if (q.unit == sweep.unit) return true;
    diags.error(q.unit.empty() ? v.where : q.unit_span,
                fmt::format("the values of a sweep are in one unit, but this one is {} and the "
                            "first {}",
                            q.unit.empty() ? "a plain number" : "in " + q.unit,
                            sweep.unit.empty() ? "a plain number" : "in " + sweep.unit),
                sweep.unit.empty() ? "write every value without a unit"
                                   : fmt::format("write every value in {}", sweep.unit));
    return false;
  };
  const std::size_t dots = text.find("..", name->value_begin);
  if (dots != std::string::npos) {
    const std::size_t slash = text.rfind('/');
    if (slash == std::string::npos || slash < dots) {
      diags.error({&source, end, end + 1}, "expected /K after A..B: the number of values",
                  "as in w_inh=0mV..4mV/9: 0, 0.5, 1, ..., 4 mV");
      return std::nullopt;
    }
    const auto d = static_cast<std::uint32_t>(dots);
    const auto s = static_cast<std::uint32_t>(slash);
    const auto a = read_quantity(source, name->value_begin, d, diags);
    const auto b = read_quantity(source, d + 2, s, diags);
    const auto k = read_count(source, s + 1, end, diags);
    if (!a || !b || !k || !same_unit(*a) || !same_unit(*b)) return std::nullopt;
    const double from = std::get<ast::quantity>(a->v).number;
    const double to = std::get<ast::quantity>(b->v).number;
    if (from == to) {
      diags.error(b->where, "the two ends of A..B are equal, so every value would be the same",
                  "list values with commas, or give two different ends");
      return std::nullopt;
    }
    const span all{&source, name->value_begin, end};
    const double steps = static_cast<double>(*k - 1);
    for (std::size_t i = 0; i < *k; ++i) {
      // Ends exact, each value rounded once: (A (K-1-i) + B i) / (K-1) makes 0..1/11 give 0.3,
      // where A + i (B-A)/(K-1) gives 0.30000000000000004.
      const double x =
          i == 0 ? from
          : i == *k - 1
              ? to
              : (from * (steps - static_cast<double>(i)) + to * static_cast<double>(i)) / steps;
      sweep.values.push_back(quantity_at(x, sweep.unit, all, *unit_at));
    }
  } else {
    std::uint32_t begin = name->value_begin;
    for (;;) {
      const auto comma = static_cast<std::uint32_t>(std::min(text.find(',', begin), text.size()));
      auto v = read_quantity(source, begin, comma, diags);
      if (!v || !same_unit(*v)) return std::nullopt;
      // Written once, as the sweep writes it, so that a folder name holds what was run.
      const auto& q = std::get<ast::quantity>(v->v);
      sweep.values.push_back(quantity_at(q.number, q.unit, v->where, *unit_at));
      if (sweep.values.size() > max_sweep_values) {
        diags.error(v->where, fmt::format("a sweep runs at most {} values", max_sweep_values));
        return std::nullopt;
      }
      if (comma == end) break;
      begin = comma + 1;
    }
  }
  for (const ast::value& v : sweep.values) {
    const std::string t = std::get<ast::quantity>(v.v).text + sweep.unit;
    if (std::find(sweep.texts.begin(), sweep.texts.end(), t) != sweep.texts.end()) {
      diags.error(v.where, fmt::format("{} is listed twice", t),
                  "each value runs once, into a folder of its own");
      return std::nullopt;
    }
    sweep.texts.push_back(t);
  }
  return sweep;
}

}  // namespace syn::dsl
