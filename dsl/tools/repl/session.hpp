#pragma once

// The interpreter behind `syn repl` (SPEC §5): the language's statements and the REPL's
// commands, one input at a time, keeping the model and its simulation between inputs.
//
// Every accepted statement is checked into one model and logged. A statement that changes the
// network takes effect at the present (network::take_effect_at); the simulation is then built
// again from the model and replayed run by run to the present, which is what `syn run` does
// with the same statements in a file, so `:save` writes the log as a file that reproduces the
// session's spikes. A statement that fails is rolled back by checking the log again.
//
// One class, its members defined by what they do: interpreter.cpp (inputs, statements, runs,
// the commands' dispatch), inspection_commands.cpp (show, print, spikes, plot, time, step,
// queue), file_commands.cpp (:load, :reload, :save, reset) and help_and_completion.cpp (:help,
// completion, history); the :help table, which also lists the commands, is help_table.cpp.

#include <csignal>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "figures/raster_figure.hpp"
#include "figures/trace_figure.hpp"
#include "run/model_run.hpp"
#include "semantics/library_loader.hpp"
#include "semantics/param_settings.hpp"

namespace syn::dsl {

enum class command_kind;  // help_table.hpp

// What a program hosting a session (the Python module) may fix for all of it: the seed of every
// network built (nullopt: the model's, else default_seed), and values for the model's params,
// as `syn run --seed N --set NAME=VALUE` gives them. The settings' spans must outlive the session.
// A host takes no commands: the REPL's `plot`, which its warnings suggest, is none of its.
struct session_settings {
  std::optional<std::uint64_t> seed;
  std::vector<param_setting> params;
  bool hosted = false;
};

class session {
 public:
  session(library_path path, std::FILE* out, std::FILE* err, bool colour,
          session_settings settings = {});
  ~session();

  // Runs one input: statements, or one command. Output goes to `out`, diagnostics to `err`.
  // false when something failed; a failed statement changes nothing.
  bool execute(std::string_view text);
  // Whether `text` is unfinished: a block or a list is still open, which may span lines (a
  // call's arguments may not: the grammar reads them on one line; nor may a command).
  static bool incomplete(std::string_view text);
  // Whether `line`, read after an unfinished input, may continue it: not when it starts a
  // statement or a command, which no block or list holds. Otherwise an unclosed '[' or '{'
  // would take in every later line, which would never run.
  static bool continues(std::string_view line);
  // What history keeps of an input: the input, or one line for one over several lines that
  // says the same, without its comments.
  static std::string history_entry(std::string_view text);
  bool finished() const { return quit_; }
  // Completion: the keywords, commands and names the session knows that start with `typed`,
  // sorted (names imported through a library's alias included, as r.AMPA).
  std::vector<std::string> completions(std::string_view typed) const;

  // NAME or NAME[i]: a group of the model and its elements [first, last].
  struct element_selection {
    std::uint32_t group;
    std::uint32_t first;
    std::uint32_t last;
  };

  // Set by a Ctrl-C handler: a run in progress stops at a consistent state.
  volatile std::sig_atomic_t interrupt = 0;

  // For a host program: the model as checked so far, the present (ms), and the simulation up
  // to it, built when the network changed since (null, reported, when it cannot be).
  const model& current_model() const;
  double now() const;
  const model_run* simulation();
  // A whole model into a session that holds nothing yet, as `syn run` takes a file: checked
  // whole first, so that every error is reported (and every setting must name a param) and
  // nothing is taken or run when one fails; then taken as `:load FILE` takes it (the path as it
  // is: a typed command ends at a '#') or as typed.
  bool load_model_file(const std::filesystem::path& file);
  bool load_model_text(std::string_view text);
  // `input` (trimmed) runs a command: it starts with ':' or a command's word, which is not
  // assigned (`time = 3 ms` is a statement).
  static bool is_command(std::string_view input);

 private:
  struct logged {
    std::string text;
    std::string origin;  // the file, or <input>
    std::uint32_t first_line = 1;
    std::filesystem::path base_dir;
    int load = -1;  // the :load it came from; -1 when typed
    bool is_run = false;
  };
  struct world;  // session_world.hpp

  // interpreter.cpp: statements, runs, the simulation kept up to date, and the commands sent
  // to the file that runs them.
  // `report`: print what each run did. `first`: the first of the text's statements to take
  // (those before it were taken already).
  // The line of <input> that `text` starts at; the next input's starts after it.
  std::uint32_t typed_lines(std::string_view text);
  bool statements(std::string_view text, const std::string& origin, std::uint32_t first_line,
                  const std::filesystem::path& base_dir, int load, bool report = true,
                  std::size_t first = 0);
  bool model_checks_whole(const source_file& file, const std::vector<ast::statement>& parsed,
                          const std::filesystem::path& base_dir);
  // Runs to `end` (the run just checked) and returns the statement to log for it: its text,
  // or where Ctrl-C stopped it. nullopt when it cannot run (limits, a runaway neuron).
  std::optional<std::string> run_to(double end, long double total_before, bool report);
  bool ensure_simulation();
  // A fresh model from `log`, simulated to the end of its runs; when any of it fails, the
  // session is left as it was.
  bool rebuild(std::vector<logged> log);
  static std::string duration_text(long double total, double end);
  static std::string path_argument(std::string_view rest);
  bool run_command(command_kind kind, std::string_view rest);
  bool unknown_command(std::string_view word);
  bool clear();
  // Reports an error under `part` of the command being run (all of it when empty).
  bool fail(const std::string& message, const std::string& hint = {}, std::string_view part = {});

  // inspection_commands.cpp: what the model and its simulation hold now, and stepping.
  bool show(std::string_view name);
  bool print_v(std::string_view what);
  // V of a population's element now; nullopt (reported) when it is not a finite number.
  std::optional<double> v_of(std::uint32_t group, std::uint32_t element);
  bool list_spikes(std::string_view args);
  bool time();
  bool step();
  bool queue(std::string_view args);
  // The neurons `target` names, or an error under it.
  std::optional<element_selection> neurons(std::string_view target);
  // The neurons or sources `target` names, or an error under it.
  std::optional<element_selection> elements(std::string_view target);

  // plot_command.cpp: `plot v of ...` and `plot spikes ...`, in the terminal or to a file.
  struct engine_view {
    const model& m;
    const model_run& sim;
    double from;  // ms: the window shown
    double to;
  };
  bool plot(std::string_view args);
  figures::raster_data raster_data_of(const engine_view& view,
                                      const std::vector<element_selection>& selected) const;
  // The first `most` recorded neurons of `selected` (named by `targets`); `note` says what was
  // left out. nullopt (reported) when one has no samples in the window. With `neighbours`, each
  // trace also holds the samples just before and after the window, which an SVG figure clips.
  std::optional<figures::traces_data> traces_data_of(const engine_view& view,
                                                     const std::vector<element_selection>& selected,
                                                     const std::vector<std::string_view>& targets,
                                                     std::size_t most, bool neighbours,
                                                     std::string& note);
  bool write_figure(std::string_view file, const std::string& svg);

  // file_commands.cpp: the session from and to files, and back to its start.
  bool load(const std::filesystem::path& file);
  bool reload();
  bool save(const std::filesystem::path& file);
  bool reset();

  // help_and_completion.cpp: :help, besides completions, history_entry and incomplete above.
  bool help(std::string_view topic);

  library_path path_;
  session_settings settings_;
  std::FILE* out_;
  std::FILE* err_;
  bool colour_;
  std::unique_ptr<world> world_;
  std::vector<logged> log_;
  // Commands as typed, for errors with a caret; the one being run.
  std::vector<std::unique_ptr<source_file>> inputs_;
  const source_file* input_ = nullptr;
  std::vector<std::filesystem::path> loads_;  // files given to :load, in order
  std::uint64_t rebuilds_ = 0;                // worlds that rebuild() made and kept
  std::uint32_t line_ = 1;                    // of the next input, for positions in errors
  bool quit_ = false;
  bool replaying_ = false;   // rebuilding from the log: runs extend the model, nothing runs
  bool stopped_ = false;     // Ctrl-C stopped a run: the rest of the input is not run
  bool one_by_one_ = false;  // each statement that changes the network built at once
  bool whole_model_ = false;  // the input is a whole model, checked whole before it is taken
};

}  // namespace syn::dsl
