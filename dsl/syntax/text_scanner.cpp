#include "syntax/text_scanner.hpp"

#include <string>

namespace syn::dsl {

std::size_t skip_string_or_comment(std::string_view text, std::size_t at) {
  if (at >= text.size() || (text[at] != '#' && text[at] != '"')) return at;
  const bool string = text[at] == '"';
  for (++at; at < text.size() && text[at] != '\n'; ++at)
    if (string && text[at] == '"') return at + 1;
  return at;
}

std::string_view without_comment(std::string_view line) {
  for (std::size_t at = 0; at < line.size();) {
    if (line[at] == '#') return line.substr(0, at);
    const std::size_t next = skip_string_or_comment(line, at);
    at = next == at ? at + 1 : next;
  }
  return line;
}

char innermost_open(std::string_view text) {
  std::string open;
  for (text_scanner s(text); !s.done(); s.advance()) {
    const char c = s.get();
    if (c == '{' || c == '[' || c == '(') open += c;
    if ((c == '}' || c == ']' || c == ')') && !open.empty()) open.pop_back();
  }
  return open.empty() ? '\0' : open.back();
}

}  // namespace syn::dsl
