#pragma once

// Text from files and users as a terminal may show it. Any byte of a model, a library, a spike
// file, a path or a REPL input can reach the terminal through a diagnostic; raw, an escape
// sequence could move the cursor, recolour or clear the screen, and a bidirectional control
// could reorder what is shown. So each character that is not printable is shown escaped:
//   C0 controls but tab, and DEL                                        \x1b
//   C1 controls (U+0080 to U+009F), bidirectional controls, U+2028/9   \u202e
//   each byte that is not part of valid UTF-8                          \xff
// A backslash stays as it is: the text is to be read, not read back.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace syn::dsl {

// `width`: at most that many columns, the middle of a longer text left out ('…').
std::string printable(std::string_view text, std::size_t width = SIZE_MAX);
// The same for a text of several lines: newlines are kept.
std::string printable_lines(std::string_view text);

// A long line is shown as a window of this many columns around the diagnostic's column.
constexpr std::size_t excerpt_width = 100;
// A message, a hint or a file name is shown in at most this many columns: a name or a string
// of a file quoted whole could otherwise fill the terminal.
constexpr std::size_t message_width = 1000;

// A source line as a diagnostic shows it: printable, cut with '…' to a window of about
// excerpt_width columns around bytes [begin, end) when longer; `marker` is the line under it,
// '^' under `begin` and '~' under the rest of the span within the window. Tabs before the caret
// are kept in the marker, so that it lines up on any terminal.
struct excerpt {
  std::string line;
  std::string marker;
};
excerpt excerpt_of(std::string_view line, std::size_t begin, std::size_t end);

}  // namespace syn::dsl
