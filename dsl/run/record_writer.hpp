#pragma once

#include <cstdio>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "run/csv_files.hpp"
#include "run/node_names.hpp"
#include "syn/engine/record_sink.hpp"

namespace syn::dsl {

// A file that could not be written; the run stops (exit 3).
class output_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Where the rows go: a file, and the name its messages give it. A null file is not written.
struct row_output {
  std::FILE* file = nullptr;
  std::string name;
};

// A run's records written as the engine produces them (its record_sink), so that memory does
// not grow with the run: the recorded spikes (the others are dropped here) to spikes.csv and,
// with --spikes -, standard output; the samples to v.csv. Throws output_error on a write error.
class record_writer final : public record_sink {
 public:
  // Writes the headers; takes the files, not standard output. A spike of node n is recorded from
  // recorded_since[n] (ms) on.
  record_writer(node_names names, std::vector<double> recorded_since, row_output spikes,
                row_output v, row_output spike_stream);
  record_writer(const record_writer&) = delete;
  record_writer& operator=(const record_writer&) = delete;
  // Closes what close() did not: the run failed, and the output folder discards the files.
  ~record_writer() override;
  void take(std::span<const spike> spikes) override;
  void take(std::span<const sample> samples) override;
  // Closes the files (standard output is only flushed); false (with `error`) when that fails.
  bool close(std::string& error);

 private:
  void check(const row_output& out) const;
  bool stream_reader_gone();

  node_names names_;
  std::vector<double> recorded_since_;
  row_output spikes_, v_, spike_stream_;
  std::vector<spike_row> spike_rows_;
  std::vector<v_row> v_rows_;
  fmt::memory_buffer scratch_;
};

}  // namespace syn::dsl
