#pragma once

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "lowering/lowering.hpp"
#include "run/input_arrivals.hpp"
#include "run/node_names.hpp"
#include "run/output_folder.hpp"
#include "run/population_statistics.hpp"
#include "run/population_table.hpp"
#include "run/psp_measurement.hpp"
#include "run/record_tee.hpp"
#include "run/record_writer.hpp"
#include "run/results_figures.hpp"
#include "run/run_summary.hpp"
#include "run/spike_keeper.hpp"
#include "semantics/model.hpp"
#include "syn/engine/run_error.hpp"
#include "syn/engine/simulator.hpp"

namespace syn::dsl {

struct run_options {
  std::optional<std::uint64_t> seed;  // overrides the model's
  std::filesystem::path out_dir = "syn-out";
  // --spikes -: the spike rows on standard output too. A reader that goes away (`| head`)
  // ends the stream, not the run.
  std::FILE* spike_stream = nullptr;
  bool progress = false;  // a progress line on standard error (a terminal only)
  // --measure: the PSPs of the neurons of `measure psp` statements or, without any, of every
  // single-neuron population that receives input (psp_measurement.hpp).
  bool measure = false;
  // --threads: the network split over this many threads; the outputs do not change with it.
  std::uint32_t threads = 1;
  // The processes that mpirun started, each with `threads` threads; null: this one alone.
  process_group* group = nullptr;
};

inline constexpr std::uint64_t default_seed = 1;

// A model lowered onto the engine and run: every `run` statement in order, the recorded spikes
// and samples written as they come, as SPEC §4 describes (open_outputs, run_all, close_outputs).
// Without open_outputs (the REPL) the engine keeps them instead.
class model_run {
 public:
  // The simulator on `net`, the network lowered from `m` (the front end's build() makes both).
  // It refers to `m` (names for the outputs) and must not outlive it.
  model_run(const model& m, run_options options, lowered net);

  // Opens the output folder (options.out_dir) for the recorded spikes and samples, and
  // standard output for --spikes -; false (with `error`) when the folder cannot be written or
  // another run is writing into it. No folder is opened for a model that records nothing. From
  // then on the engine keeps no spike or sample: what is not written is dropped.
  bool open_outputs(std::string& error);
  // Every run in order; false (with a message in `error`, and failed_at() the run statement to
  // blame where there is one) when the engine stops: a runaway neuron, a V no longer finite,
  // too many spikes in flight for the memory, or an output that cannot be written.
  bool run_all(std::FILE* progress_out, std::string& error);
  // Moves the outputs into place; false (with `error`) when one cannot be written.
  bool close_outputs(std::string& error);
  const std::optional<span>& failed_at() const { return failed_at_; }
  // Runs to `end` (ms, not before the present), in slices when `stop` can interrupt it (the
  // REPL's Ctrl-C): then it ends at a slice's end, a consistent state. false (with `error`) when
  // the engine stops, as for run_all.
  bool advance(double end, const volatile std::sig_atomic_t* stop, std::string& error);

  const simulator& engine() const { return *sim_; }
  simulator& engine() { return *sim_; }
  // The population or train a node belongs to, and its index there.
  std::pair<const std::string*, std::uint32_t> element_of(node_id node) const {
    return names_.element_of(node);
  }
  node_id first_node(std::uint32_t group) const { return names_.first_node[group]; }
  void print_summary(std::FILE* out) const;
  // What print_summary prints, with every population's statistics and the PSPs measured.
  run_summary summary() const;
  // The PSPs measured so far, while the runs go on (the REPL), if any are.
  std::optional<std::vector<measured_neuron>> psps_so_far() const;
  // Each group's spikes (all of them, recorded or not) and rate; after close_outputs, the
  // spikes are known in `syn run` only (the REPL counts none and shows 0).
  std::vector<population_row> populations() const;
  // By node: its spikes are recorded from then on (ms); infinity: not recorded.
  std::vector<double> recorded_since() const;

 private:
  std::string stopped(const run_error& e) const;
  // Starts the v recordings that take effect by the simulator's present.
  void start_v_records();
  void run_slices(std::FILE* progress_out);
  // The simulator to `end`, through the PSP probe when measuring.
  void run_engine(double end);
  std::vector<measured_neuron> named(const std::vector<psp_report>& reports) const;
  bool write_population_table(std::string& error);
  // The figures of `record ... plot` statements, from the files written.
  bool write_figures(const std::map<node_id, std::vector<double>>& traced_spikes,
                     std::string& error);

  const model* model_;
  run_options options_;
  node_names names_;
  std::vector<std::uint32_t> receptor_of_;  // lowered::receptor_of
  std::size_t v_records_started_ = 0;
  std::unique_ptr<simulator> sim_;
  // The folder before the writer: the writer's files close before the folder discards them.
  std::unique_ptr<output_folder> folder_;
  std::unique_ptr<record_writer> writer_;
  std::unique_ptr<population_statistics> statistics_;
  std::unique_ptr<psp_probe> probe_;
  std::optional<std::vector<psp_report>> psps_;
  std::unique_ptr<record_tee> tee_;
  // The neurons `record v ... plot` traces, and the inputs onto them.
  std::vector<node_id> traced_;
  std::unique_ptr<spike_keeper> traced_spikes_;
  std::unique_ptr<arrival_recorder> arrivals_;
  // A trace with more inputs than this has none marked: the marks would hide each other.
  static constexpr std::size_t most_arrivals_marked = 1000;
  std::optional<span> failed_at_;
  bool folder_written_ = false;
  std::size_t running_ = 0;  // the run statement in progress
  std::uint32_t neurons_ = 0;
  std::uint32_t nodes_ = 0;
  double seconds_ = 0.0;
};

}  // namespace syn::dsl
