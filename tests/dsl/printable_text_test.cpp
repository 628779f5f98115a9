// What a terminal is shown of text from files and users: control characters and bytes that are
// not UTF-8 escaped, and a source line cut to a window around its caret, which stays under the
// character it points at.
#include "diagnostics/printable_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "diagnostics/diagnostics.hpp"

namespace syn::dsl {
namespace {

TEST(printable_text, escapes_controls_and_invalid_bytes_and_keeps_the_rest) {
  EXPECT_EQ(printable("rest = -70 mV\t# é, µs, 日本"), "rest = -70 mV\t# é, µs, 日本");
  EXPECT_EQ(printable("a\x1b[2Jb\x07"), "a\\x1b[2Jb\\x07");
  EXPECT_EQ(printable(std::string("nul\0", 4)), "nul\\x00");
  EXPECT_EQ(printable("line\nfeed\r"), "line\\x0afeed\\x0d");
  EXPECT_EQ(printable("del\x7f"), "del\\x7f");
  EXPECT_EQ(printable("c1 \xc2\x9b"
                      "31m \xc2\x85"),
            "c1 \\u009b31m \\u0085");
  EXPECT_EQ(printable("bidi \xe2\x80\xae"
                      "cba \xe2\x81\xa6 \xe2\x80\xa8"),
            "bidi \\u202ecba \\u2066 \\u2028");
  EXPECT_EQ(printable("\xff \xc3 \xc0\xaf \xed\xa0\x80 \x80"),
            "\\xff \\xc3 \\xc0\\xaf \\xed\\xa0\\x80 \\x80");
  EXPECT_EQ(printable("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");  // U+10FFFF
  EXPECT_EQ(printable("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");
  EXPECT_EQ(printable_lines("a\x1b\nb\n"), "a\\x1b\nb\n");
}

TEST(printable_text, a_text_over_its_width_keeps_both_ends) {
  EXPECT_EQ(printable("abcdefghij", 10), "abcdefghij");
  EXPECT_EQ(printable("abcdefghijk", 10), "abcd…hijk");
  const std::string escape = "ab" + std::string(1, '\x1b') + "cdefgh";
  EXPECT_EQ(printable(escape, 11), "ab…defgh");  // no escape cut in two
  EXPECT_EQ(printable("'" + std::string(1'000'000, 'm') + "'", 9), "'mmm…mmm'");
}

// The excerpt from the marker's caret on, each '…' counted as the one column it takes.
std::string under_caret(const excerpt& e) {
  std::string columns;
  for (std::size_t at = 0; at < e.line.size();) {
    const bool ellipsis = e.line.compare(at, 3, "…") == 0;
    columns += ellipsis ? '|' : e.line[at];
    at += ellipsis ? 3 : 1;
  }
  return columns.substr(e.marker.find('^'));
}

TEST(printable_text, the_caret_stays_under_its_character_after_escapes_and_tabs) {
  const std::string line = "train t = file \"\x1b]0;x\x07.csv\" junk";
  const excerpt e = excerpt_of(line, line.find("junk"), line.size());
  EXPECT_EQ(e.line, "train t = file \"\\x1b]0;x\\x07.csv\" junk");
  EXPECT_EQ(under_caret(e), "junk");
  EXPECT_EQ(e.marker.substr(e.marker.find('^')), "^~~~");
  const excerpt tab = excerpt_of("\t\xe2\x80\xae x", 5, 6);
  EXPECT_EQ(tab.line, "\t\\u202e x");
  EXPECT_EQ(tab.marker, "\t       ^");
}

TEST(printable_text, a_long_line_is_cut_to_a_window_around_the_caret) {
  const std::string line = std::string(5'000'000, 'a') + "X" + std::string(5'000'000, 'b');
  const std::size_t x = 5'000'000;
  const excerpt middle = excerpt_of(line, x, line.size());
  EXPECT_TRUE(middle.line.starts_with("…a")) << middle.line;
  EXPECT_TRUE(middle.line.ends_with("b…")) << middle.line;
  EXPECT_EQ(under_caret(middle).substr(0, 2), "Xb");
  // The window's columns, a '…' at each end, and '~' only up to its end.
  EXPECT_EQ(middle.line.size(), excerpt_width + 2 * 3);
  EXPECT_EQ(middle.marker.size(), excerpt_width + 1);

  const excerpt start = excerpt_of(line, 0, 3);
  EXPECT_EQ(start.line, std::string(excerpt_width, 'a') + "…");
  EXPECT_EQ(start.marker, "^~~");

  const excerpt end = excerpt_of(line, line.size(), line.size());
  EXPECT_EQ(end.line, "…" + std::string(excerpt_width, 'b'));
  EXPECT_EQ(end.marker, std::string(excerpt_width + 1, ' ') + "^");
}

TEST(printable_text, a_line_that_fits_is_shown_whole) {
  const std::string line(excerpt_width, 'a');
  const excerpt e = excerpt_of(line, excerpt_width - 1, excerpt_width);
  EXPECT_EQ(e.line, line);
  EXPECT_EQ(e.marker, std::string(excerpt_width - 1, ' ') + "^");
}

TEST(printable_text, a_diagnostic_escapes_its_file_name_message_hint_and_line) {
  const source_file file("a\x1b.syn", "seed = 1\nimport \"\x1b[2J\" as x\n");
  diagnostic d{
      severity::error, {&file, 17, 21}, "cannot find library file '\x1b[2J'", "not \x9b here"};
  EXPECT_EQ(render(d, false),
            "a\\x1b.syn:2:9: error: cannot find library file '\\x1b[2J'\n"
            "  import \"\\x1b[2J\" as x\n"
            "          ^~~~~~~\n"
            "hint: not \\x9b here\n");
  d.where = {};
  EXPECT_EQ(render(d, false),
            "syn: error: cannot find library file '\\x1b[2J'\nhint: not \\x9b here\n");
}

}  // namespace
}  // namespace syn::dsl
