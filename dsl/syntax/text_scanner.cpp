#include "syntax/text_scanner.hpp"

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

int open_brackets(std::string_view text) {
  int depth = 0;
  for (text_scanner s(text); !s.done(); s.advance()) {
    const char c = s.get();
    if (c == '{' || c == '[' || c == '(') ++depth;
    if (c == '}' || c == ']' || c == ')') --depth;
  }
  return depth;
}

}  // namespace syn::dsl
