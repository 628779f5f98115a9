// Positions in a source: lines, and columns in characters, counted from marks on long lines;
// they must equal a count from the line's start at every offset.
#include "syntax/source_file.hpp"

#include <gtest/gtest.h>

#include <string>

namespace syn::dsl {
namespace {

// The position of `offset` counted character by character from the text's start.
source_file::position counted(const std::string& text, std::uint32_t offset) {
  source_file::position p{1, 1};
  for (std::uint32_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      p = {p.line + 1, 1};
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column;
    }
  }
  return p;
}

TEST(source_file, columns_on_long_lines_count_characters_from_the_line_start) {
  // Lines across the marks every 4096 bytes, of two- and three-byte characters among ASCII, and
  // a line break just before a mark.
  std::string text;
  for (int i = 0; i < 3000; ++i) text += "é, 日; ";
  text += "\n" + std::string(4000, 'a') + "\n";
  text += std::string(4096 - text.size() % 4096 - 1, 'b') + "\n" + std::string(9000, 'c');
  const source_file file("long.syn", text);
  for (std::uint32_t offset = 0; offset <= text.size(); offset += 7) {
    const auto [line, column] = file.at(offset);
    const auto want = counted(text, offset);
    ASSERT_EQ(line, want.line) << offset;
    ASSERT_EQ(column, want.column) << offset;
  }
  for (const std::uint32_t offset :
       {4096u, 8192u, 12287u, 12288u, static_cast<std::uint32_t>(text.size())}) {
    EXPECT_EQ(file.at(offset).column, counted(text, offset).column) << offset;
  }
  const std::string exact(4096, 'x');
  EXPECT_EQ(source_file("exact.syn", exact).at(4096).column, 4097u);
}

}  // namespace
}  // namespace syn::dsl
