#include "diagnostics/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "diagnostics/printable_text.hpp"
#include "files/print_text.hpp"

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

void diagnostics::set_hint(std::size_t first, span where, const std::string& hint, bool over_none) {
  for (std::size_t i = first; i < list_.size(); ++i) {
    diagnostic& d = list_[i];
    if (d.where.file == where.file && d.where.begin == where.begin && d.where.end == where.end &&
        (!over_none || d.hint.empty()))
      d.hint = hint;
  }
}

void diagnostics::clear() {
  list_.clear();
  errors_ = 0;
}

void diagnostics::keep_first(std::size_t n) {
  if (n >= list_.size()) return;
  list_.resize(n);
  errors_ = static_cast<std::size_t>(std::count_if(
      list_.begin(), list_.end(), [](const diagnostic& d) { return d.level == severity::error; }));
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
  for (const diagnostic& d : list_) print_text(out, "{}", dsl::render(d, colour));
}

std::string render(const diagnostic& d, bool colour) {
  const char* label = d.level == severity::error ? "error" : "warning";
  const char* tint = d.level == severity::error ? "\033[1;31m" : "\033[1;35m";
  const char* bold = colour ? "\033[1m" : "";
  const char* plain = colour ? "\033[0m" : "";
  const std::string hint =
      d.hint.empty() ? "" : fmt::format("hint: {}\n", printable(d.hint, message_width));
  if (!d.where.file) {
    return fmt::format("{}syn: {}{}{}:{} {}\n", bold, colour ? tint : "", label, plain, plain,
                       printable(d.message, message_width)) +
           hint;
  }
  const source_file& file = *d.where.file;
  const auto pos = file.at(d.where.begin);
  std::string out = fmt::format(
      "{}{}:{}:{}: {}{}:{} {}\n", bold, printable(file.name(), message_width), pos.line, pos.column,
      colour ? tint : "", label, plain, printable(d.message, message_width));
  // The caret under the span's first character, '~' under the rest of it on that line.
  const std::string_view line = file.line(pos.line);
  const std::size_t start = line.data() ? line.data() - file.text().data() : 0;
  const std::size_t begin = d.where.begin > start ? d.where.begin - start : 0;
  const std::size_t end = file.at(d.where.end).line == pos.line ? d.where.end - start : begin;
  const excerpt shown = excerpt_of(line, begin, end);
  out +=
      fmt::format("  {}\n  {}{}{}\n", shown.line, colour ? "\033[1;32m" : "", shown.marker, plain);
  return out + hint;
}

}  // namespace syn::dsl
