#pragma once

#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "run/population_statistics.hpp"
#include "run/psp_measurement.hpp"

namespace syn::dsl {

// An input measured alone, named as the outputs name nodes.
struct measured_psp {
  double arrival;        // ms
  std::string source;    // stim[0]
  std::string receptor;  // AMPA
  bool conductance;
  psp_shape shape;
};

struct measured_neuron {
  std::string neuron;               // n1[0]
  std::vector<measured_psp> alone;  // the first ones
  std::uint64_t alone_count = 0, overlapping = 0, unfinished = 0;
};

// What `syn run` reports at the end, as text on standard error and, with --summary json, as one
// JSON object.
struct run_summary {
  std::uint32_t neurons = 0;
  std::uint64_t synapses = 0;
  double bytes_per_synapse = 0.0;
  std::uint64_t spikes = 0;  // neuron spikes
  double simulated_ms = 0.0;
  std::uint64_t events = 0;   // with several threads, more: a spike is queued in each
  std::uint32_t threads = 1;  // of each process
  std::uint32_t processes = 1;
  std::uint64_t epochs = 0;  // exchanges of spikes between the threads
  double epoch_ms = 0.0;     // the longest epoch between them, the smallest delay
  double wall_seconds = 0.0;
  std::uint64_t seed = 0;
  std::optional<std::string> out;  // the folder written, if any
  std::vector<population_summary> populations;
  std::optional<std::vector<measured_neuron>> psps;  // with --measure
};

// The PSPs measured, a table per neuron. These print with fputs, which fails quietly where a
// reader has gone (`syn run --measure | head`).
void print_psps(std::FILE* out, const run_summary& s);
// The PSPs measured alone since `before` (the same neurons, fewer PSPs), for the REPL's runs.
void print_new_psps(std::FILE* out, const std::vector<measured_neuron>& now,
                    const std::vector<measured_neuron>& before);
// One JSON object and a newline: numbers in shortest round-trip form, null for a value that is
// not defined (never NaN), strings escaped (bytes that are not UTF-8 become U+FFFD).
void print_json(std::FILE* out, const run_summary& s);
// `text` as a JSON string, quoted: `"` and `\` escaped, control characters as \uXXXX, bytes that
// are not UTF-8 as \ufffd.
std::string json_string(std::string_view text);

}  // namespace syn::dsl
