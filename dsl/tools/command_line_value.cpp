#include "tools/command_line_value.hpp"

#include <fmt/format.h>

#include <cctype>
#include <charconv>
#include <cmath>

namespace syn::dsl {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<std::uint32_t> index_of(std::string_view s) {
  std::uint32_t i = 0;
  const auto parsed = std::from_chars(s.data(), s.data() + s.size(), i);
  if (s.empty() || parsed.ec != std::errc{} || parsed.ptr != s.data() + s.size())
    return std::nullopt;
  return i;
}

}  // namespace

std::optional<double> command_line_quantity(std::string_view text, dimension dim,
                                            std::string& error) {
  const std::string_view t = trim(text);
  double number = 0.0;
  const auto parsed = std::from_chars(t.data(), t.data() + t.size(), number);
  const std::string example =
      fmt::format("20 {}", units_of(dim).substr(0, units_of(dim).find(',')));
  if (parsed.ec != std::errc{} || !std::isfinite(number)) {
    error = fmt::format("'{}' is not a number with a unit, as in '{}'", text, example);
    return std::nullopt;
  }
  const std::string_view unit = trim(t.substr(static_cast<std::size_t>(parsed.ptr - t.data())));
  if (unit.empty()) {
    error = fmt::format("'{}' needs a unit ({}), as in '{}'", text, units_of(dim), example);
    return std::nullopt;
  }
  const unit_def* u = find_unit(unit);
  if (!u) {
    error =
        fmt::format("'{}' is not a unit; a {} takes {}", unit, dimension_name(dim), units_of(dim));
    return std::nullopt;
  }
  if (!(u->dim == dim)) {
    error = fmt::format("'{}' is a {}, not a {} ({})", text, dimension_name(u->dim),
                        dimension_name(dim), units_of(dim));
    return std::nullopt;
  }
  return number * u->scale;
}

std::optional<element_filter> command_line_elements(std::string_view text) {
  element_filter f;
  const std::size_t open = text.find('[');
  f.name = std::string(text.substr(0, open));
  if (f.name.empty() || !(std::isalpha(static_cast<unsigned char>(f.name[0])) || f.name[0] == '_'))
    return std::nullopt;
  for (const char c : f.name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return std::nullopt;
  if (open == std::string_view::npos) return f;
  if (!text.ends_with(']')) return std::nullopt;
  const std::string_view inside = text.substr(open + 1, text.size() - open - 2);
  const std::size_t dots = inside.find("..");
  const auto first = index_of(inside.substr(0, dots));
  const auto last = dots == std::string_view::npos ? first : index_of(inside.substr(dots + 2));
  if (!first || !last || *last < *first) return std::nullopt;
  f.first = *first;
  f.last = *last;
  return f;
}

}  // namespace syn::dsl
