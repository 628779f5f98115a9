#pragma once

// A model in a Python program: the REPL's session (dsl/tools/repl), which checks statements one
// at a time into a model, keeps its simulation and continues it run by run, fed by calls rather
// than typed lines. A model file or text is first checked whole, as `syn check` checks it, with
// the params set as `--set` sets them: every error at once, and the same errors as `syn run`.
// Every failure throws model_error with the diagnostics' text.

#include <csignal>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "captured_stream.hpp"
#include "model_error.hpp"
#include "tools/param_options.hpp"
#include "tools/repl/session.hpp"

namespace syn::python {

struct model_options {
  std::optional<std::uint64_t> seed;                          // --seed
  std::vector<std::filesystem::path> include_dirs;            // -I
  std::vector<std::pair<std::string, std::string>> settings;  // --set NAME=VALUE
  std::filesystem::path stdlib_dir;                           // empty: found as `syn` finds it
};

// Spikes as columns: time (ms), group (an index into groups()) and index in it.
struct spike_columns {
  std::vector<double> times;
  std::vector<std::uint32_t> groups;
  std::vector<std::uint32_t> indices;
};

// The V samples of one neuron: time (ms) and V (mV).
struct trace_columns {
  std::vector<double> times;
  std::vector<double> v;
};

class hosted_model {
 public:
  // An empty model; throws when a setting is not NAME=VALUE with a quantity.
  explicit hosted_model(model_options options);

  // The model of a file, its `run` statements run (as `:load` in the REPL).
  void load_file(const std::string& path);
  // The model of a text, read as a file named <input> in the current folder.
  void load_text(const std::string& whole);
  // Statements of the language, checked and run as the REPL runs them; nothing changes when
  // one fails.
  void add(std::string_view statements);
  // `run DURATION`: on from the present; a Ctrl-C (interrupt_flag) stops it where it got to.
  void run(std::string_view duration);
  volatile std::sig_atomic_t& interrupt_flag() { return session_->interrupt; }
  // What `show NAME` prints in the REPL.
  std::string show(std::string_view name);
  double time() const { return session_->now(); }
  // The populations and trains, in declaration order.
  std::vector<std::string> groups() const;
  // The synapses built so far; 0 before the model is built.
  std::uint64_t synapse_count() const;
  // The spikes so far: those `record spikes` records (the rows of spikes.csv), or all of them.
  spike_columns spikes(bool recorded_only);
  // The samples `record v` took of one neuron: NAME (a population of one) or NAME[i].
  trace_columns v(std::string_view neuron);
  // What the calls so far warned about, as `syn` prints warnings, once.
  std::string take_warnings();

 private:
  // One input to the session; throws with what it printed on standard error when it fails.
  void execute(std::string_view input);
  // After an input to the session: throws with what it printed on standard error unless `ok`;
  // what it warned of waits for take_warnings().
  void taken(bool ok);
  const dsl::model_run& simulation();

  model_options options_;
  dsl::library_path path_;
  // The settings' sources, which the session's spans point into: before the session.
  dsl::param_options params_;
  captured_stream out_;
  captured_stream err_;
  std::unique_ptr<dsl::session> session_;
};

}  // namespace syn::python
