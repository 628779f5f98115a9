// The one scanner of strings and comments that every bracket count outside the grammar uses:
// parse recovery, the nesting limit, the unclosed-brace hint, and the REPL's complete-input check
// and history lines.
#include "syntax/text_scanner.hpp"

#include <gtest/gtest.h>

#include <string>

namespace syn::dsl {
namespace {

// The characters the scanner visits, in order.
std::string code_of(std::string_view text) {
  std::string code;
  for (text_scanner s(text); !s.done(); s.advance()) code += s.get();
  return code;
}

TEST(text_scanner, skips_strings_and_comments_and_keeps_the_newline_that_ends_them) {
  EXPECT_EQ(code_of("a \"{b}\" c"), "a  c");
  EXPECT_EQ(code_of("a # { \" }\nb"), "a \nb");
  EXPECT_EQ(code_of("\"x\"\"y\"z"), "z");
  EXPECT_EQ(code_of("# only a comment"), "");
  EXPECT_EQ(code_of(""), "");
}

TEST(text_scanner, an_unterminated_string_ends_at_its_line) {
  EXPECT_EQ(code_of("f \"a{b\n{"), "f \n{");
  EXPECT_EQ(code_of("f \"a{b"), "f ");
  EXPECT_EQ(innermost_open("train t = file \"a{b.csv\nneuron N {"), '{');
}

TEST(text_scanner, a_quote_in_a_comment_opens_no_string) {
  EXPECT_EQ(innermost_open("neuron N {  # the \"fast\" one\n  rest = -70 mV"), '{');
  EXPECT_EQ(innermost_open("# \"\n{ }"), '\0');
}

TEST(text_scanner, a_hash_or_a_bracket_in_a_string_is_neither_comment_nor_bracket) {
  EXPECT_EQ(code_of("import \"a#b{.syn\" as x { y"), "import  as x { y");
  EXPECT_EQ(innermost_open("import \"a{b.syn\" as lib"), '\0');
  EXPECT_EQ(innermost_open("x = [\"]\", \"(\""), '[');
}

TEST(text_scanner, finds_the_innermost_bracket_left_open_of_every_kind) {
  EXPECT_EQ(innermost_open("{[("), '(');
  EXPECT_EQ(innermost_open("neuron N { v0 = uniform(-70 mV, -60 mV) }"), '\0');
  EXPECT_EQ(innermost_open("p = [[1, 2], [3"), '[');
  EXPECT_EQ(innermost_open(") }"), '\0');
  EXPECT_EQ(innermost_open("{ f(1 ]"), '{');
}

TEST(text_scanner, starts_where_asked) {
  text_scanner s("ab \"c\" d", 2);
  std::string code;
  for (; !s.done(); s.advance()) code += s.get();
  EXPECT_EQ(code, "  d");
  EXPECT_EQ(text_scanner("\"open", 0).at(), 5u);  // at the end: done
}

TEST(text_scanner, skip_string_or_comment_returns_the_offset_past_it) {
  struct skip_case {
    std::string_view text;
    std::size_t at, past;
  };
  for (const skip_case& c :
       {skip_case{"\"ab\"c", 0, 4}, skip_case{"#ab\nc", 0, 3}, skip_case{"\"ab\nc", 0, 3},
        skip_case{"abc", 1, 1}, skip_case{"abc", 3, 3}})
    EXPECT_EQ(skip_string_or_comment(c.text, c.at), c.past) << c.text << " at " << c.at;
}

TEST(text_scanner, without_comment_keeps_a_hash_inside_a_string) {
  const std::pair<std::string_view, std::string_view> cases[] = {
      {"run 10 ms  # a comment", "run 10 ms  "},
      {"import \"a#b.syn\" as lib # c", "import \"a#b.syn\" as lib "},
      {"x = \"open # no comment", "x = \"open # no comment"},
      {"# all of it", ""},
      {"none", "none"},
  };
  for (const auto& [line, code] : cases) EXPECT_EQ(without_comment(line), code) << line;
}

}  // namespace
}  // namespace syn::dsl
