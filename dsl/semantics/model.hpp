#pragma once

// A checked model: every name resolved, every unit converted to the engine's units (ms, mV,
// pA, pF, nS, um, 1/ms), every value in range. Spans are kept so that errors found later, while
// building connections, still point at their statement.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "semantics/ion_environment.hpp"
#include "syn/engine/network.hpp"
#include "syntax/source_file.hpp"

namespace syn::dsl {

// A number or a distribution over numbers, in engine units.
struct distribution {
  enum class kind { constant, uniform, normal, exponential } shape = kind::constant;
  double a = 0.0;  // constant value; uniform low; normal mean; exponential mean
  double b = 0.0;  // uniform high; normal standard deviation
  span where;
};

struct receptor_info {
  std::string name;
  std::string doc;
  span where;
  receptor_params params;
  std::string transmitter;
  std::string kind;                  // ionotropic or metabotropic, when stated
  std::vector<std::string> ions;     // known ions (semantics/ions)
  std::vector<double> permeability;  // relative, one per ion; empty: all equal
  double latency = 0.0;              // ms, added to the delay of every connection through it
};

struct neuron_type {
  std::string name;
  std::string doc;
  span where;
  std::string base;  // inherited type, "" when none
  neuron_params params;
  std::optional<distribution> v0;  // when v0 is drawn per neuron
  ion_environment ions;
  // It and its bases state ion properties only: it may lack rest, threshold and tau_m, which a
  // type inheriting from it or a population of it then gives (std.ions).
  bool ion_set = false;
};

// A population of neurons or a train of spike sources, in declaration order.
struct group {
  std::string name;
  span where;
  double since = 0.0;  // ms: the end of the runs before it; it takes effect then
  bool is_train = false;
  std::uint32_t size = 1;
  // Neurons:
  std::string type;
  neuron_params params;  // the type's, with the population's overrides
  std::optional<distribution> v0;
  ion_environment ions;
  // Trains:
  enum class train_kind { times, regular, poisson, file } train = train_kind::times;
  std::vector<double> times;  // ms
  double rate = 0.0;          // 1/ms
  double start = 0.0;         // ms
  std::optional<double> stop;
  std::string path;
  std::vector<std::vector<double>> replay;  // file: one source per (population, index)
};

// Elements [first, last] of a group.
struct element_range {
  std::uint32_t group = 0;
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  span where;
  std::uint32_t size() const { return last - first + 1; }
};

enum class connection_rule { all_to_all, one_to_one, probability, indegree, outdegree };

struct connection_info {
  span where;
  element_range pre;
  element_range post;
  std::uint32_t receptor = 0;
  distribution weight;
  weight_unit unit = weight_unit::mV;
  distribution delay;
  double distance = 0.0;
  connection_rule rule = connection_rule::all_to_all;
  double probability = 0.0;
  std::uint32_t degree = 0;
  bool autapses = true;  // false: no neuron connects to itself (`without autapses`)
  double since = 0.0;    // ms: it carries spikes emitted from then on
};

struct v_record {
  std::vector<element_range> targets;
  double interval = 0.0;
  span where;
  double since = 0.0;  // ms: samples from then on
};

struct spike_record {
  std::optional<element_range> target;  // none: every population and train
  double since = 0.0;                   // ms: spikes from then on
};

// The PSPs of these neurons' inputs are measured (run/psp_measurement.hpp).
struct psp_measure {
  element_range target;  // the inputs of the whole simulation are measured
};

// At most this many neurons are measured, in all: each gets a table of PSPs.
inline constexpr std::uint32_t max_measured_neurons = 16;

// A param (`param w_inh = 3 mV`): a named quantity that values use by its name, as declared or
// as --set gave it.
struct param_info {
  std::string name;
  span where;  // its name in the param statement
  double number = 0.0;
  std::string text;  // the number as written
  std::string unit;  // "" for a plain number
  bool set = false;  // by --set
};

// `record ... plot "FILE"`: a figure of what the statement records, drawn when the run ends.
struct figure_request {
  bool voltage = false;                // traces; else a raster
  std::vector<element_range> targets;  // empty: every population and train
  std::string file;                    // a plain name ending in .svg, in the output folder
  span where;                          // the name as written
};

struct model {
  std::uint64_t seed = 0;
  bool seed_set = false;
  std::vector<receptor_info> receptors;
  std::vector<neuron_type> neuron_types;
  std::vector<group> groups;
  std::vector<connection_info> connections;
  std::vector<spike_record> spike_records;
  std::vector<v_record> v_records;
  std::vector<psp_measure> psp_measures;
  std::vector<param_info> params;
  std::vector<figure_request> figures;
  // Where each run ends, ms: the durations summed in long double from their decimal text, so
  // three `run 0.3 ms` end at 0.9, not at 0.8999999999999999.
  std::vector<double> run_ends;
  long double run_total = 0.0L;
  std::vector<span> run_spans;

  // Where the next statement takes effect: after every run so far. Statements between runs grow
  // the network from that time on, as in the REPL.
  double now() const { return run_ends.empty() ? 0.0 : run_ends.back(); }
};

}  // namespace syn::dsl
