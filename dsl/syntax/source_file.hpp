#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "files/regular_file.hpp"

namespace syn::dsl {

// A text that statements are parsed from: a file, or one line of the REPL. It outlives every
// span into it, so diagnostics can show the line without reading the file again.
class source_file {
 public:
  // `first_line`: the number of its first line, for a REPL input in the middle of a session.
  source_file(std::string name, std::string text, std::uint32_t first_line = 1);

  const std::string& name() const { return name_; }
  const std::string& text() const { return text_; }
  // 1-based line and column (in characters, not bytes) of a byte offset.
  struct position {
    std::uint32_t line;
    std::uint32_t column;
  };
  position at(std::uint32_t offset) const;
  std::string_view line(std::uint32_t number) const;  // without its newline

 private:
  std::string name_;
  std::string text_;
  std::vector<std::uint32_t> line_starts_;
  // The characters from its line's start to every column_mark_step-th byte, so that a column on
  // a line of megabytes is counted from a mark near it: each of a line's many diagnostics (or
  // doc comments) would otherwise count from the line's start.
  static constexpr std::uint32_t column_mark_step = 4096;
  std::vector<std::uint32_t> column_marks_;
  std::uint32_t first_line_ = 1;
};

// Spans are 32-bit offsets; a model or a library of 2 GiB is far beyond any written by hand
// or generated (a million `connect` statements take some 50 MiB).
constexpr std::uint64_t max_source_bytes = 2 * gibibyte;

// The regular file at `path` (named by it in messages), or nullopt with `why` set
// (files/regular_file.hpp).
std::optional<source_file> read_source_file(const std::string& path, std::string& why);

// A range of bytes in a source file.
struct span {
  const source_file* file = nullptr;
  std::uint32_t begin = 0;
  std::uint32_t end = 0;
};

}  // namespace syn::dsl
