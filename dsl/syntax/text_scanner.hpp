#pragma once

// What a string and a comment are, for every scan of the text that is not the grammar itself:
// parse recovery, the nesting limit, the unclosed-brace hint, and the REPL's "is this input
// complete" and history lines. A bracket inside a string or a comment is never counted.
//
// As the grammar reads them: a comment runs from '#' to the end of its line; a string from '"'
// to its closing '"', or to the end of its line when it has none (an unterminated string, which
// the grammar reports, ends there too).

#include <cstddef>
#include <string_view>

namespace syn::dsl {

// One past the string or comment that starts at `at` (after its closing '"', or at the newline
// that ends it, or the end of the text); `at` itself when none starts there.
std::size_t skip_string_or_comment(std::string_view text, std::size_t at);

// The characters of a text outside strings and comments, in order:
//   for (text_scanner s(text); !s.done(); s.advance()) use(s.at(), s.get());
class text_scanner {
 public:
  explicit text_scanner(std::string_view text, std::size_t at = 0) : text_(text), at_(at) {
    settle();
  }
  bool done() const { return at_ >= text_.size(); }
  std::size_t at() const { return at_; }
  char get() const { return text_[at_]; }
  void advance() {
    ++at_;
    settle();
  }

 private:
  void settle() {
    for (std::size_t next;
         at_ < text_.size() && (next = skip_string_or_comment(text_, at_)) != at_;)
      at_ = next;
  }

  std::string_view text_;
  std::size_t at_;
};

// `line` without its comment.
std::string_view without_comment(std::string_view line);

// The innermost bracket ('{', '[' or '(') that `text` leaves open, '\0' when none: a closing
// bracket closes the innermost open one, whatever its kind.
char innermost_open(std::string_view text);

}  // namespace syn::dsl
