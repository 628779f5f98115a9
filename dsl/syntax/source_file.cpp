#include "syntax/source_file.hpp"

#include <algorithm>

#include "files/regular_file.hpp"

namespace syn::dsl {

namespace {

bool starts_character(char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }

}  // namespace

source_file::source_file(std::string name, std::string text, std::uint32_t first_line)
    : name_(std::move(name)), text_(std::move(text)), first_line_(first_line) {
  line_starts_.push_back(0);
  std::uint32_t characters = 0;  // since the line's start
  for (std::uint32_t i = 0; i < text_.size(); ++i) {
    if (i % column_mark_step == 0) column_marks_.push_back(characters);
    characters = text_[i] == '\n' ? 0 : characters + (starts_character(text_[i]) ? 1 : 0);
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
  if (text_.size() % column_mark_step == 0) column_marks_.push_back(characters);  // for the end
}

source_file::position source_file::at(std::uint32_t offset) const {
  offset = std::min<std::uint32_t>(offset, static_cast<std::uint32_t>(text_.size()));
  const auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  const auto line = static_cast<std::uint32_t>(it - line_starts_.begin());
  // Counted from the line's start, or from the last mark within the line.
  std::uint32_t from = line_starts_[line - 1];
  std::uint32_t column = 1;
  if (const std::uint32_t mark = offset / column_mark_step * column_mark_step; mark > from) {
    from = mark;
    column += column_marks_[mark / column_mark_step];
  }
  for (std::uint32_t i = from; i < offset; ++i)
    if (starts_character(text_[i])) ++column;  // skip UTF-8 continuations
  return {line + first_line_ - 1, column};
}

std::string_view source_file::line(std::uint32_t number) const {
  if (number < first_line_) return {};
  number -= first_line_ - 1;
  if (number == 0 || number > line_starts_.size()) return {};
  const std::uint32_t begin = line_starts_[number - 1];
  std::uint32_t end = number < line_starts_.size() ? line_starts_[number] - 1
                                                   : static_cast<std::uint32_t>(text_.size());
  if (end > begin && text_[end - 1] == '\r') --end;
  return std::string_view(text_).substr(begin, end - begin);
}

std::optional<source_file> read_source_file(const std::string& path, std::string& why) {
  std::optional<std::string> text = read_regular_file(path, max_source_bytes, why);
  if (!text) return std::nullopt;
  // A UTF-8 byte order mark, which some editors write, is no part of the first line.
  if (text->starts_with("\xEF\xBB\xBF")) text->erase(0, 3);
  return source_file(path, std::move(*text));
}

}  // namespace syn::dsl
