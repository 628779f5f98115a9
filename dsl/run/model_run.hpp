#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "lowering/lowering.hpp"
#include "semantics/model.hpp"
#include "syn/engine/run_error.hpp"
#include "syn/engine/simulator.hpp"

namespace syn::dsl {

struct run_options {
  std::optional<std::uint64_t> seed;  // overrides the model's
  std::filesystem::path out_dir = "syn-out";
  bool stream_spikes = false;  // --spikes -: the spike rows on standard output too
  bool progress = false;       // a progress line on standard error (a terminal only)
};

inline constexpr std::uint64_t default_seed = 1;

// A model lowered onto the engine and run: every `run` statement in order, then the recorded
// spikes and samples written as SPEC §4 describes.
class model_run {
 public:
  // The simulator on `net`, the network lowered from `m` (the front end's build() makes both).
  // It refers to `m` (names for the outputs) and must not outlive it.
  model_run(const model& m, run_options options, lowered net);

  // Every run in order; false (with a message in `error`) when the engine stops on a runaway
  // neuron.
  bool run_all(std::FILE* progress_out, std::string& error);
  // Runs to `end` (ms, not before the present), in slices when `stop` can interrupt it (the
  // REPL's Ctrl-C): then it ends at a slice's end, a consistent state. false (with `error`) on
  // a runaway neuron.
  bool advance(double end, const volatile std::sig_atomic_t* stop, std::string& error);

  const simulator& engine() const { return *sim_; }
  simulator& engine() { return *sim_; }
  // The population or train a node belongs to, and its index there.
  std::pair<const std::string*, std::uint32_t> element_of(node_id node) const;
  node_id first_node(std::uint32_t group) const { return first_node_[group]; }
  // Writes spikes.csv and v.csv; false (with a message in `error`) when the folder or a file
  // cannot be written.
  bool write_outputs(std::string& error) const;
  void stream_spikes(std::FILE* out) const;
  void print_summary(std::FILE* out) const;

 private:
  std::string runaway(const run_error& e) const;
  bool recorded(const spike& s) const;
  // Starts the v recordings that take effect by the simulator's present.
  void start_v_records();
  void run_slices(std::FILE* progress_out);

  const model* model_;
  run_options options_;
  std::vector<node_id> first_node_;
  std::vector<double> recorded_since_;  // by node: spikes from then on; infinity: not recorded
  std::size_t v_records_started_ = 0;
  std::unique_ptr<simulator> sim_;
  std::uint32_t neurons_ = 0;
  double seconds_ = 0.0;
};

}  // namespace syn::dsl
