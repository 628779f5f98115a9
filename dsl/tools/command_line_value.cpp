#include "tools/command_line_value.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "diagnostics/diagnostics.hpp"
#include "semantics/param_settings.hpp"

namespace syn::dsl {
std::optional<double> command_line_quantity(std::string_view text, dimension dim,
                                            std::string& error) {
  // Read as --set reads a param's value, so that both take and refuse the same texts.
  const source_file source("<command line>", std::string(text));
  diagnostics diags;
  const std::optional<ast::value> value =
      read_quantity(source, 0, static_cast<std::uint32_t>(text.size()), diags);
  const std::string example =
      fmt::format("20 {}", units_of(dim).substr(0, units_of(dim).find(',')));
  if (!value) {
    const diagnostic& d = diags.all().front();
    error = d.hint.empty() ? d.message : fmt::format("{} ({})", d.message, d.hint);
    return std::nullopt;
  }
  const auto& q = std::get<ast::quantity>(value->v);
  if (q.unit.empty()) {
    error = fmt::format("'{}' needs a unit ({}), as in '{}'", text, units_of(dim), example);
    return std::nullopt;
  }
  const unit_def* u = find_unit(q.unit);
  if (!(u->dim == dim)) {
    error = fmt::format("'{}' is a {}, not a {} ({})", text, dimension_name(u->dim),
                        dimension_name(dim), units_of(dim));
    return std::nullopt;
  }
  const double converted = q.number * u->scale + u->offset;
  if (!std::isfinite(converted)) {
    error = fmt::format("'{}' is out of range", text);
    return std::nullopt;
  }
  return converted;
}

std::optional<element_filter> command_line_elements(std::string_view text, std::string& error) {
  element_filter f;
  const std::size_t open = text.find('[');
  f.name = std::string(text.substr(0, open));
  const bool named = !f.name.empty() && !std::isdigit(static_cast<unsigned char>(f.name[0])) &&
                     std::all_of(f.name.begin(), f.name.end(), [](char c) {
                       return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
                     });
  if (!named || (open != std::string_view::npos && !text.ends_with(']'))) {
    error = fmt::format(
        "'{}' is not a population or train, nor elements of one: write NAME, "
        "NAME[i] or NAME[a..b]",
        text);
    return std::nullopt;
  }
  if (open == std::string_view::npos) return f;
  const std::string_view inside = text.substr(open + 1, text.size() - open - 2);
  const std::size_t dots = inside.find("..");
  const std::string_view first_text = inside.substr(0, dots);
  const std::string_view last_text =
      dots == std::string_view::npos ? first_text : inside.substr(dots + 2);
  const auto index = [&](std::string_view digits) -> std::optional<std::uint32_t> {
    std::uint32_t i = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), i);
    if (digits.empty() || end != digits.data() + digits.size() ||
        (ec != std::errc{} && ec != std::errc::result_out_of_range)) {
      error = fmt::format("'{}': an index is a whole number, as in {}[0] or {}[0..9]", text, f.name,
                          f.name);
      return std::nullopt;
    }
    if (ec == std::errc::result_out_of_range) {
      error = fmt::format("'{}': the index {} is too large", text, digits);
      return std::nullopt;
    }
    return i;
  };
  const auto first = index(first_text);
  if (!first) return std::nullopt;
  const auto last = index(last_text);
  if (!last) return std::nullopt;
  if (*last < *first) {
    error = fmt::format("'{}': the range runs backwards; write {}[{}..{}]", text, f.name, *last,
                        *first);
    return std::nullopt;
  }
  f.first = *first;
  f.last = *last;
  return f;
}

}  // namespace syn::dsl
