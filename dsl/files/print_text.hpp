#pragma once

// Text printed to a stream whose reader may have gone (`syn sweep ... 2>&1 | head`): the reader
// chose to stop reading, so the write's failure is dropped, where fmt::print would throw. Files
// whose every write counts check std::ferror after these.

#include <fmt/format.h>

#include <cstdio>
#include <string>
#include <utility>

namespace syn::dsl {

template <typename... T>
void print_text(std::FILE* out, fmt::format_string<T...> format, T&&... args) {
  const std::string text = fmt::format(format, std::forward<T>(args)...);
  std::fwrite(text.data(), 1, text.size(), out);
}

}  // namespace syn::dsl
