#include "run/csv_files.hpp"

#include <fmt/compile.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <iterator>
#include <optional>
#include <unordered_map>

#include "files/regular_file.hpp"

namespace syn::dsl {
namespace {

constexpr std::string_view spikes_header = "time_ms,population,index";
constexpr std::string_view v_header = "time_ms,population,index,v_mV";
constexpr std::size_t flush_at = std::size_t{1} << 16;

void flush(std::FILE* out, fmt::memory_buffer& buffer) {
  std::fwrite(buffer.data(), 1, buffer.size(), out);
  buffer.clear();
}

// Rows are formatted into one buffer and written a chunk at a time: a run can record millions.
template <typename Row, typename Format>
void write_rows(std::FILE* out, std::string_view header, std::span<const Row> rows,
                Format format_row, fmt::memory_buffer& buffer) {
  buffer.clear();
  if (!header.empty()) fmt::format_to(std::back_inserter(buffer), "{}\n", header);
  for (const Row& row : rows) {
    format_row(buffer, row);
    if (buffer.size() >= flush_at) flush(out, buffer);
  }
  flush(out, buffer);
}

// fmt's "{}" prints a double in the shortest form that reads back to the same value. The
// formats are compiled (parsed at run time, they cost about 1,400 instructions a row) and write
// through a plain pointer into room made beforehand, not character by character into the
// buffer. A double takes at most 24 characters, an index 10.
template <typename... Args>
void format_row(fmt::memory_buffer& buffer, std::size_t room, const auto& format,
                const Args&... args) {
  const std::size_t used = buffer.size();
  buffer.resize(used + room);
  char* const end = fmt::format_to(buffer.data() + used, format, args...);
  buffer.resize(static_cast<std::size_t>(end - buffer.data()));
}

void format_spike(fmt::memory_buffer& buffer, const spike_row& row) {
  format_row(buffer, row.population.size() + 40, FMT_COMPILE("{},{},{}\n"), row.time,
             row.population, row.index);
}

void format_v(fmt::memory_buffer& buffer, const v_row& row) {
  format_row(buffer, row.population.size() + 65, FMT_COMPILE("{},{},{},{}\n"), row.time,
             row.population, row.index, row.v);
}

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

// 1-based column, in characters, of byte `offset` of a UTF-8 line.
std::uint32_t column_of(std::string_view line, std::size_t offset) {
  const auto continuation =
      std::count_if(line.begin(), line.begin() + offset, [](char c) { return (c & 0xC0) == 0x80; });
  return static_cast<std::uint32_t>(offset - continuation + 1);
}

struct field {
  std::string_view text;
  std::size_t offset;  // in the line, after trimming
};

field trimmed(std::string_view line, std::size_t begin, std::size_t end) {
  while (begin < end && (line[begin] == ' ' || line[begin] == '\t')) ++begin;
  while (end > begin && (line[end - 1] == ' ' || line[end - 1] == '\t')) --end;
  return {line.substr(begin, end - begin), begin};
}

}  // namespace

void write_spikes_csv(std::FILE* out, std::span<const spike_row> rows) {
  fmt::memory_buffer buffer;
  write_rows(out, spikes_header, rows, format_spike, buffer);
}

void append_spikes_csv(std::FILE* out, std::span<const spike_row> rows,
                       fmt::memory_buffer& scratch) {
  write_rows(out, {}, rows, format_spike, scratch);
}

void write_v_csv(std::FILE* out, std::span<const v_row> rows) {
  fmt::memory_buffer buffer;
  write_rows(out, v_header, rows, format_v, buffer);
}

void append_v_csv(std::FILE* out, std::span<const v_row> rows, fmt::memory_buffer& scratch) {
  write_rows(out, {}, rows, format_v, scratch);
}

std::variant<replay, csv_error> read_spikes_csv(const std::string& path) {
  std::string why;
  const std::optional<std::string> text = read_regular_file(path, max_spike_file_bytes, why);
  if (!text) return csv_error{0, 0, why};
  return parse_spikes_csv(*text);
}

std::variant<replay, csv_error> parse_spikes_csv(std::string_view text) {
  replay result;
  // population -> index -> source
  std::unordered_map<std::string, std::unordered_map<std::uint32_t, std::uint32_t>, string_hash,
                     std::equal_to<>>
      sources_of;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);

  std::uint32_t line_number = 0;
  bool header_seen = false;
  std::vector<std::size_t> commas;
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t end = std::min(text.find('\n', pos), text.size());
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);
    if (!header_seen) {
      // What the line holds is not shown: a train could otherwise print the first line of
      // any file it can read.
      if (line != spikes_header)
        return csv_error{
            line_number, 1,
            fmt::format("not a spike file: line 1 is not the header `{}`", spikes_header)};
      header_seen = true;
      continue;
    }
    if (line.find_first_not_of(" \t") == std::string_view::npos) continue;

    commas.clear();
    for (std::size_t i = 0; i < line.size(); ++i)
      if (line[i] == ',') commas.push_back(i);
    if (commas.size() != 2) {
      const std::size_t at = commas.size() > 2 ? commas[2] : line.size();
      return csv_error{
          line_number, column_of(line, at),
          fmt::format("expected 3 columns ({}), found {}", spikes_header, commas.size() + 1)};
    }
    const field time = trimmed(line, 0, commas[0]);
    const field population = trimmed(line, commas[0] + 1, commas[1]);
    const field index = trimmed(line, commas[1] + 1, line.size());
    const auto error_at = [&](const field& f, std::string message) {
      return csv_error{line_number, column_of(line, f.offset), std::move(message)};
    };

    double t = 0.0;
    const char* t_end = time.text.data() + time.text.size();
    const auto t_parse = std::from_chars(time.text.data(), t_end, t);
    if (t_parse.ec != std::errc{} || t_parse.ptr != t_end || !std::isfinite(t) || t < 0.0)
      return error_at(
          time, fmt::format("time `{}` is not a finite number of milliseconds >= 0", time.text));
    if (population.text.empty()) return error_at(population, "missing population name");
    std::uint32_t i = 0;
    const char* i_end = index.text.data() + index.text.size();
    const auto i_parse = std::from_chars(index.text.data(), i_end, i);
    if (i_parse.ec == std::errc::result_out_of_range && i_parse.ptr == i_end)
      return error_at(index, fmt::format("index `{}` is too large", index.text));
    if (i_parse.ec != std::errc{} || i_parse.ptr != i_end)
      return error_at(index, fmt::format("index `{}` is not a non-negative integer", index.text));

    auto by_population = sources_of.find(population.text);
    if (by_population == sources_of.end())
      by_population = sources_of.try_emplace(std::string(population.text)).first;
    const auto [source, added] =
        by_population->second.try_emplace(i, static_cast<std::uint32_t>(result.sources.size()));
    if (added) {
      result.sources.emplace_back();
      result.ids.emplace_back(std::string(population.text), i);
    }
    result.sources[source->second].push_back(t);
  }
  if (!header_seen)
    return csv_error{1, 1, fmt::format("empty file: expected the header `{}`", spikes_header)};
  for (std::vector<double>& times : result.sources) std::sort(times.begin(), times.end());
  return result;
}

}  // namespace syn::dsl
