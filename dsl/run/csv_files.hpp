#pragma once

// The CSV outputs of `record spikes` and `record v` (SPEC §4) and the reader behind
// `train replay = file "..."`, which accepts what `record spikes` writes.
//
// Numbers are written in shortest round-trip form, so reading a file back gives the same
// doubles. Write errors are left in the stream's error indicator, as for any stdio output:
// check std::ferror / std::fclose after the last write.

#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "files/regular_file.hpp"

namespace syn::dsl {

struct spike_row {
  double time;  // ms
  std::string_view population;
  std::uint32_t index;
};

struct v_row {
  double time;  // ms
  std::string_view population;
  std::uint32_t index;
  double v;  // mV
};

// Header `time_ms,population,index`, then the rows.
void write_spikes_csv(std::FILE* out, std::span<const spike_row> rows);
// Rows only, for output that grows batch by batch after write_spikes_csv. `scratch` holds the
// text on its way out; reused, a long run allocates nothing per batch.
void append_spikes_csv(std::FILE* out, std::span<const spike_row> rows,
                       fmt::memory_buffer& scratch);

// Header `time_ms,population,index,v_mV`, then the rows.
void write_v_csv(std::FILE* out, std::span<const v_row> rows);
void append_v_csv(std::FILE* out, std::span<const v_row> rows, fmt::memory_buffer& scratch);

// Recorded spikes as spike sources: one source per distinct (population, index), in order of
// first appearance; ids[i] names sources[i], whose times (ms) are sorted ascending.
struct replay {
  std::vector<std::vector<double>> sources;
  std::vector<std::pair<std::string, std::uint32_t>> ids;
};

// Where and why a file was refused. line and column are 1-based (column in characters); both
// are 0 when the file could not be read at all. The message names neither file nor position.
struct csv_error {
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
};

// A spike file is held whole while it is read, then its times take 8 bytes a spike (a row takes
// about 20): 1 GiB holds some 50 million spikes, 5 s of 10,000 neurons at 1 kHz. A larger
// recording is better replayed as several trains, each a file.
constexpr std::uint64_t max_spike_file_bytes = gibibyte;

// Blank lines, a UTF-8 byte order mark, CRLF line ends and spaces around fields are accepted.
std::variant<replay, csv_error> read_spikes_csv(const std::string& path);
std::variant<replay, csv_error> parse_spikes_csv(std::string_view text);

}  // namespace syn::dsl
