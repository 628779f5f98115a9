#pragma once

// Reading a command as typed: its words, trimmed, and the counts it takes.

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace syn::dsl {

inline std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// The first word and the rest, trimmed.
inline std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
  s = trim(s);
  const auto end = std::min(s.find_first_of(" \t"), s.size());
  return {s.substr(0, end), trim(s.substr(end))};
}

// Digits as a count; nullopt when there are none, or more than a count needs.
inline std::optional<std::uint32_t> count_of(std::string_view digits) {
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

}  // namespace syn::dsl
