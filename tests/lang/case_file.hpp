#pragma once

// The expectations a .syn case states in its own comments (the format is in README.md).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace syn::test {

// An inclusive range of counts; a single number N is N..N.
struct count_range {
  std::uint64_t low = 0;
  std::uint64_t high = 0;
  bool contains(std::uint64_t n) const { return low <= n && n <= high; }
};

struct expected_diagnostic {
  std::string severity;  // "error" or "warning"
  std::string file;      // the file it names, relative to the cases; "" for the case itself
  // The reported line and column; 0 for a message without a position (`syn: error: ...`).
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
  std::optional<std::string> hint;  // unchecked when the case states none
};

struct expected_spike {
  std::string population;
  std::uint32_t index = 0;
  double time = 0.0;  // ms
};

struct expected_spike_count {
  std::string population;  // "*": every row of spikes.csv
  count_range count;
};

struct expected_sample {
  std::string population;
  std::uint32_t index = 0;
  double time = 0.0;  // ms
  double v = 0.0;     // mV
};

struct case_file {
  std::string command = "run";  // or "check"
  std::vector<std::string> args;
  std::optional<int> exit_code;
  std::vector<expected_diagnostic> diagnostics;
  std::vector<expected_spike> spikes;  // when any: every row of spikes.csv, in order
  std::vector<expected_spike_count> spike_counts;
  std::vector<expected_sample> samples;
  std::optional<count_range> synapses;

  // As stated, else 1 when an error is expected and 0 otherwise.
  int expected_exit() const;
};

// Reads the directives of a case; throws std::invalid_argument naming the line of a directive it
// cannot read, so a misspelt expectation fails its case instead of being ignored.
case_file parse_case(std::string_view text);

}  // namespace syn::test
