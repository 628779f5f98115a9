#include "diagnostics/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace syn::dsl {

void diagnostics::error(span where, std::string message, std::string hint) {
  list_.push_back({severity::error, where, std::move(message), std::move(hint)});
  ++errors_;
}

void diagnostics::warning(span where, std::string message, std::string hint) {
  list_.push_back({severity::warning, where, std::move(message), std::move(hint)});
}

void diagnostics::append(const diagnostics& other) {
  list_.insert(list_.end(), other.list_.begin(), other.list_.end());
  errors_ += other.errors_;
}

void diagnostics::clear() {
  list_.clear();
  errors_ = 0;
}

void diagnostics::sort_by_position() {
  std::vector<const source_file*> files;
  const auto ordinal = [&](const source_file* f) {
    const auto it = std::find(files.begin(), files.end(), f);
    if (it != files.end()) return static_cast<std::size_t>(it - files.begin());
    files.push_back(f);
    return files.size() - 1;
  };
  for (const diagnostic& d : list_) ordinal(d.where.file);
  std::stable_sort(list_.begin(), list_.end(), [&](const diagnostic& a, const diagnostic& b) {
    return std::pair{ordinal(a.where.file), a.where.begin} <
           std::pair{ordinal(b.where.file), b.where.begin};
  });
}

void diagnostics::render(std::FILE* out, bool colour) const {
  for (const diagnostic& d : list_) fmt::print(out, "{}", dsl::render(d, colour));
}

std::string render(const diagnostic& d, bool colour) {
  const char* label = d.level == severity::error ? "error" : "warning";
  const char* tint = d.level == severity::error ? "\033[1;31m" : "\033[1;35m";
  const char* bold = colour ? "\033[1m" : "";
  const char* plain = colour ? "\033[0m" : "";
  if (!d.where.file) {
    return fmt::format("{}syn: {}{}{}:{} {}\n", bold, colour ? tint : "", label, plain, plain,
                       d.message) +
           (d.hint.empty() ? "" : fmt::format("hint: {}\n", d.hint));
  }
  const source_file& file = *d.where.file;
  const auto pos = file.at(d.where.begin);
  std::string out = fmt::format("{}{}:{}:{}: {}{}:{} {}\n", bold, file.name(), pos.line, pos.column,
                                colour ? tint : "", label, plain, d.message);
  const std::string_view line = file.line(pos.line);
  // The caret under the span's first character, '~' under the rest of it on that line.
  const auto end = file.at(std::max(d.where.end, d.where.begin + 1));
  const std::uint32_t width =
      end.line == pos.line ? std::max<std::uint32_t>(1, end.column - pos.column) : 1;
  std::string pad;
  std::uint32_t column = 1;
  for (std::size_t i = 0; i < line.size() && column < pos.column; ++i) {
    if ((static_cast<unsigned char>(line[i]) & 0xC0) == 0x80) continue;
    pad += line[i] == '\t' ? '\t' : ' ';
    ++column;
  }
  out += fmt::format("  {}\n  {}{}^{}{}\n", line, pad, colour ? "\033[1;32m" : "",
                     std::string(width - 1, '~'), plain);
  if (!d.hint.empty()) out += fmt::format("hint: {}\n", d.hint);
  return out;
}

}  // namespace syn::dsl
