#include "run/csv_rows.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

namespace syn::dsl {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

struct file_closer {
  void operator()(std::FILE* f) const { std::fclose(f); }
};

// getline's buffer, freed on every way out.
struct line_buffer {
  char* data = nullptr;
  std::size_t capacity = 0;
  ~line_buffer() { std::free(data); }
};

}  // namespace

std::optional<csv_error> read_csv_rows(
    const std::filesystem::path& path, std::string_view header,
    const std::function<std::optional<std::string>(std::span<const std::string_view>)>& row) {
  std::string why;
  const std::unique_ptr<std::FILE, file_closer> in(open_regular_file(path.string(), why));
  if (!in) return csv_error{0, 0, why};
  const std::size_t columns =
      static_cast<std::size_t>(std::count(header.begin(), header.end(), ',')) + 1;
  std::vector<std::string_view> fields;
  line_buffer buffer;
  std::uint32_t line_number = 0;
  std::optional<csv_error> error;
  for (ssize_t length; (length = ::getline(&buffer.data, &buffer.capacity, in.get())) >= 0;) {
    ++line_number;
    std::string_view line(buffer.data, static_cast<std::size_t>(length));
    if (line.ends_with('\n')) line.remove_suffix(1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (line_number == 1) {
      if (line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
      if (line != header) {
        error = csv_error{1, 1, fmt::format("line 1 is not the header `{}`", header)};
        break;
      }
      continue;
    }
    if (trim(line).empty()) continue;
    fields.clear();
    for (std::size_t start = 0;;) {
      const std::size_t comma = line.find(',', start);
      fields.push_back(trim(line.substr(start, comma - start)));
      if (comma == std::string_view::npos) break;
      start = comma + 1;
    }
    if (fields.size() != columns) {
      error = csv_error{
          line_number, 1,
          fmt::format("expected {} columns ({}), found {}", columns, header, fields.size())};
      break;
    }
    if (auto message = row(fields)) {
      error = csv_error{line_number, 1, std::move(*message)};
      break;
    }
  }
  if (!error && line_number == 0)
    error = csv_error{1, 1, fmt::format("empty file: expected the header `{}`", header)};
  if (!error && std::ferror(in.get())) error = csv_error{0, 0, std::strerror(errno)};
  return error;
}

std::optional<double> csv_number(std::string_view field) {
  double x = 0.0;
  const char* end = field.data() + field.size();
  const auto parsed = std::from_chars(field.data(), end, x);
  if (parsed.ec != std::errc{} || parsed.ptr != end || !std::isfinite(x)) return std::nullopt;
  return x;
}

namespace {
template <typename T>
std::optional<T> whole_number(std::string_view field) {
  T i = 0;
  const char* end = field.data() + field.size();
  const auto parsed = std::from_chars(field.data(), end, i);
  if (parsed.ec != std::errc{} || parsed.ptr != end) return std::nullopt;
  return i;
}
}  // namespace

std::optional<std::uint32_t> csv_index(std::string_view field) {
  return whole_number<std::uint32_t>(field);
}
std::optional<std::uint64_t> csv_count(std::string_view field) {
  return whole_number<std::uint64_t>(field);
}

}  // namespace syn::dsl
