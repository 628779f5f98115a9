#include "semantics/param_settings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <tao/pegtl.hpp>

#include "semantics/value_checks.hpp"
#include "syntax/grammar.hpp"

namespace syn::dsl {

namespace {

bool is_name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The length of the number the grammar reads at the start of `text`; 0 when there is none.
std::size_t number_length(std::string_view text) {
  tao::pegtl::memory_input in(text.data(), text.size(), "");
  return tao::pegtl::parse<grammar::number>(in)
             ? static_cast<std::size_t>(in.current() - text.data())
             : 0;
}

}  // namespace

std::optional<ast::value> read_quantity(const source_file& source, std::uint32_t begin,
                                        std::uint32_t end, diagnostics& diags) {
  const std::string_view text = source.text();
  const auto at = [&](std::uint32_t from, std::uint32_t to) {
    return span{&source, from, std::max(to, from + 1)};
  };
  while (begin < end && text[begin] == ' ') ++begin;
  while (end > begin && text[end - 1] == ' ') --end;
  const std::string_view written = text.substr(begin, end - begin);
  const auto length = static_cast<std::uint32_t>(number_length(written));
  if (length == 0) {
    diags.error(at(begin, end), "expected a number, with its unit or without, as in 0.5mV");
    return std::nullopt;
  }
  ast::quantity q;
  q.text = std::string(written.substr(0, length));
  const char* first = q.text.data() + (q.text[0] == '+' ? 1 : 0);
  const auto [ptr, ec] = std::from_chars(first, q.text.data() + q.text.size(), q.number);
  if (ec == std::errc::result_out_of_range) {
    diags.error(at(begin, begin + length), fmt::format("the number {} is out of range", q.text));
    return std::nullopt;
  }
  std::uint32_t unit = begin + length;
  while (unit < end && text[unit] == ' ') ++unit;
  std::uint32_t unit_end = unit;
  if (unit < end && is_name_start(text[unit]))
    while (unit_end < end && is_name_char(text[unit_end])) ++unit_end;
  if (unit_end < end) {
    while (text[unit_end] == ' ') ++unit_end;
    diags.error(
        at(unit_end, end),
        fmt::format("unexpected '{}' after the value", text.substr(unit_end, end - unit_end)),
        "a value is a number and its unit, as in 0.5mV");
    return std::nullopt;
  }
  q.unit = std::string(text.substr(unit, unit_end - unit));
  q.unit_span = at(unit, unit_end);
  if (!check_unit(q, diags)) return std::nullopt;
  return ast::value{{&source, begin, end}, std::move(q)};
}

std::optional<setting_name> read_setting_name(const source_file& source, diagnostics& diags) {
  const std::string_view text = source.text();
  const std::size_t equals = text.find('=');
  const auto size = static_cast<std::uint32_t>(text.size());
  if (equals == std::string_view::npos) {
    diags.error({&source, 0, std::max(size, 1u)}, "--set takes NAME=VALUE, as in w_inh=0.5mV");
    return std::nullopt;
  }
  // Spaces around the name are allowed, as around the value.
  std::uint32_t name_begin = 0;
  auto name_end = static_cast<std::uint32_t>(equals);
  while (name_begin < name_end && text[name_begin] == ' ') ++name_begin;
  while (name_end > name_begin && text[name_end - 1] == ' ') --name_end;
  const std::string_view name = text.substr(name_begin, name_end - name_begin);
  if (name.empty() || !is_name_start(name[0]) ||
      std::find_if_not(name.begin(), name.end(), is_name_char) != name.end()) {
    diags.error({&source, name_begin, std::max(name_end, name_begin + 1)},
                name.empty() ? std::string("expected a param's name before '='")
                             : fmt::format("'{}' is not a name", name),
                "a name is letters, digits and '_', starting with a letter or '_'");
    return std::nullopt;
  }
  return setting_name{{std::string(name), {&source, name_begin, name_end}},
                      static_cast<std::uint32_t>(equals) + 1};
}

std::optional<param_setting> read_setting(const source_file& source, diagnostics& diags) {
  const auto name = read_setting_name(source, diags);
  if (!name) return std::nullopt;
  auto value = read_quantity(source, name->value_begin,
                             static_cast<std::uint32_t>(source.text().size()), diags);
  if (!value) return std::nullopt;
  return param_setting{name->name, std::move(*value)};
}

}  // namespace syn::dsl
