#include "tools/cli.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <span>
#include <sstream>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "demo_model.hpp"
#include "diagnostics/printable_text.hpp"
#include "files/print_text.hpp"
#include "front_end/front_end.hpp"
#include "lowering/memory_budget.hpp"
#include "syn/engine/process_group.hpp"
#include "syn/engine/simulator.hpp"
#include "tools/command_line_value.hpp"
#include "tools/doc_page.hpp"
#include "tools/event_graph.hpp"
#include "tools/exit_codes.hpp"
#include "tools/graph_file.hpp"
#include "tools/param_options.hpp"
#include "tools/plot_results.hpp"
#include "tools/repl/repl.hpp"
#include "tools/reversal_explanation.hpp"
#include "tools/sweep_command.hpp"

namespace syn::dsl {

namespace {

constexpr const char* usage = R"(usage:
  syn run [MODEL.syn] [--out DIR] [--seed N] [--spikes -] [-I DIR]... [--set NAME=VALUE]...
          [--measure] [--summary json] [--threads N]
                          run a model (no MODEL: a built-in demo of temporal summation)
  syn check MODEL.syn [--set NAME=VALUE]... [--explain]
                          parse and check only; --explain prints the reversal potential
                          of each receptor on each neuron type it reaches, and its source
  syn sweep MODEL.syn --set NAME=A..B/K | --set NAME=V1,V2,... [--out DIR] [--seed N]
                          one run per value of a param (K values from A to B, or those
                          listed), each into DIR/NAME=VALUE; a table of each population's
                          rate, DIR/sweep.csv and DIR/sweep.svg
  syn repl [MODEL.syn]    interactive interpreter
  syn doc NAME|FILE [--format text|md]
                          the receptors and neuron types of a library (std.receptors) or
                          a file, with parameters and doc comments; NAME may be one
                          declaration (std.receptors.AMPA)
  syn plot DIR [--from T] [--to T] [--only POP]...
                          figures of a results folder: DIR/raster.svg of its spikes and
                          DIR/v.svg of its membrane potentials
  syn graph MODEL.syn [--out FILE.svg|FILE.dot] [-I DIR]... [--set NAME=VALUE]...
                          the event graph (populations, trains, connections with their
                          synapse counts) as Graphviz DOT on standard output, or in FILE:
                          .dot as it is, .svg drawn by Graphviz's `dot`
  syn --help | --version

options:
  --out DIR     where spikes.csv and v.csv go (default: syn-out; syn sweep: syn-sweep); for syn
                graph, the file
  --seed N      the seed of every random draw (default: the model's `seed`, else 1)
  --threads N   split the network over N threads (default: one per core); the spikes and
                samples are the same for every N
  --spikes -    also print the spike rows on standard output
  --measure     measure the PSP of each input that arrives alone onto the neurons of
                `measure psp` statements (without any: every single-neuron population
                that receives input), printed on standard output
  --summary json
                the end-of-run summary (and the PSPs measured) as one JSON object on
                standard output; the text summary stays on standard error
  -I DIR        a folder to search for imported libraries (repeatable)
  --from T, --to T
                the time window of syn plot's figures, as in 20ms (default: the run's)
  --only POP    syn plot shows POP only, or POP[i] or POP[a..b] (repeatable)
  --set NAME=VALUE
                the value of a param the model declares, in its unit (w_inh=0.5mV);
                repeatable

environment:
  SYN_PATH      folders to search for imported libraries, ':'-separated
  SYN_MEMORY    the memory syn may use, as in 8GiB (default: 80 % of the machine's)

exit codes: 0 ok, 1 model error, 2 usage error, 3 runtime error
)";

// At most as many threads as a large machine has cores, so that a typo cannot start a million.
constexpr std::uint32_t max_threads = 1024;

struct arguments {
  std::string command;
  std::string model;
  run_options options;
  std::optional<std::filesystem::path> out;  // as given
  std::vector<std::filesystem::path> include_dirs;
  doc_format format = doc_format::text;
  bool json_summary = false;
  bool explain = false;  // syn check --explain
  bool threads_given = false;
  std::vector<std::string> settings;  // --set
  figure_selection plot;
};

// a.b.c -> {a, b, c}; empty when a part is empty.
std::vector<std::string_view> split_name(std::string_view name) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (start <= name.size()) {
    const std::size_t end = std::min(name.find('.', start), name.size());
    if (end == start) return {};
    parts.push_back(name.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

int usage_error(const std::string& message) {
  print_text(stderr, "syn: error: {}\n{}", printable(message), usage);
  return usage_failed;
}

bool colour_on(std::FILE* f) { return isatty(fileno(f)) && !std::getenv("NO_COLOR"); }

// Parses and checks a model with the params `settings` gives; its diagnostics are printed either
// way. ok, model_failed, or usage_failed when only the settings are wrong.
exit_code load(front_end& front, const source_file& file, const std::filesystem::path& base_dir,
               const std::vector<std::string>& settings) {
  diagnostics& diags = front.diags;
  param_options params;
  if (params.read(settings, diags)) {
    front.check.set_params(std::move(params.settings));
    front.check_file(file, base_dir);
  }
  diags.sort_by_position();
  diags.render(stderr, colour_on(stderr));
  if (!diags.has_errors()) return ok;
  const bool in_arguments = param_options::only_argument_errors(diags);
  print_text(stderr, "syn: {} error{} in {}\n", diags.error_count(),
             diags.error_count() == 1 ? "" : "s",
             in_arguments ? std::string("--set") : printable(file.name()));
  return in_arguments ? usage_failed : model_failed;
}

// Standard output and error to /dev/null.
void silence_output() {
  const int null = open("/dev/null", O_WRONLY);
  if (null < 0) return;
  std::fflush(stdout);
  std::fflush(stderr);
  dup2(null, STDOUT_FILENO);
  dup2(null, STDERR_FILENO);
  close(null);
}

// Over several processes, the first that failed (the lowest rank), if any; every process calls
// it at the same point. Its text (what it would print) is then every process's.
std::optional<std::string> first_failure(process_group* group, std::optional<std::string> mine) {
  if (!group || group->size() < 2) return mine;
  double who = mine ? group->rank() : std::numeric_limits<double>::infinity();
  group->min(std::span(&who, 1));
  if (!std::isfinite(who)) return std::nullopt;
  return group->broadcast(static_cast<std::uint32_t>(who), mine.value_or(""));
}

// What `diags` would print on standard error.
std::string rendered(const diagnostics& diags) {
  char* text = nullptr;
  std::size_t size = 0;
  std::FILE* out = open_memstream(&text, &size);
  if (!out) throw std::bad_alloc();
  diags.render(out, colour_on(stderr));
  std::fclose(out);
  std::string s(text, size);
  std::free(text);
  return s;
}

int run_model(const arguments& given) {
  // Writes past a file size limit (ulimit -f) and into a pipe whose reader has gone fail with
  // EFBIG and EPIPE, reported or handled where they happen, rather than kill syn.
  std::signal(SIGXFSZ, SIG_IGN);
  std::signal(SIGPIPE, SIG_IGN);
  arguments args = given;
  // Under mpirun, process 0 speaks for all: the others' output goes nowhere, and what only they
  // know (an error in their part of the network) reaches it through first_failure().
  process_group* group = nullptr;
  if (args.command == "run") {
    try {
      group = mpi_processes();
    } catch (const std::runtime_error& e) {
      print_text(stderr, "syn: error: {}\n", e.what());
      return usage_failed;
    }
  }
  if (group && group->size() > 1) {
    if (args.options.measure)
      return usage_error("--measure measures in one process: run it without mpirun");
    // One thread a process, as mpirun starts one process a core, unless told otherwise.
    if (!args.threads_given) args.options.threads = 1;
    args.options.group = group;
    if (group->rank() != 0) silence_output();
  }
  std::string why;
  std::optional<source_file> file =
      args.model.empty() ? std::optional<source_file>(source_file("<demo>", demo_model))
                         : read_source_file(args.model, why);
  if (!file) {
    print_text(stderr, "syn: error: cannot read '{}': {}\n", printable(args.model), why);
    return usage_failed;
  }
  const auto base_dir = std::filesystem::path(args.model).parent_path();
  front_end front(library_path::from_environment(args.include_dirs));
  if (const exit_code loaded = load(front, *file, base_dir, args.settings); loaded != ok)
    return loaded;
  const model& m = front.m;
  if (args.command == "check") {
    // What `syn run` would refuse before simulating is refused here too.
    diagnostics limits;
    if (const fit f = fits(m, m.now(), limits); f != fit::yes) {
      limits.render(stderr, colour_on(stderr));
      return f == fit::over_memory ? runtime_failed : model_failed;
    }
    if (args.explain) {
      print_text(stdout, "{}", printable_lines(reversal_explanation(m)));
      std::fflush(stdout);  // before the verdict on standard error, where both go to one place
    }
    print_text(stderr, "syn: {} is fine\n", printable(file->name()));
    return ok;
  }
  if (m.run_ends.empty())
    print_text(stderr, "syn: warning: {} has no `run` statement, so nothing was simulated\n",
               printable(file->name()));
  if (args.options.spike_stream && m.spike_records.empty())
    print_text(stderr,
               "syn: warning: {} records no spikes, so --spikes - prints only the header; add "
               "`record spikes`\n",
               printable(file->name()));
  diagnostics diags;
  if (const fit f = fits(m, m.now(), diags); f != fit::yes) {
    diags.render(stderr, colour_on(stderr));
    return f == fit::over_memory ? runtime_failed : model_failed;
  }
  std::optional<model_run> sim = build(m, args.options, diags);
  if (const auto failed =
          first_failure(group, sim ? std::nullopt : std::optional(rendered(diags)))) {
    print_text(stderr, "{}", *failed);
    return model_failed;
  }
  std::string error;
  const bool root = !group || group->rank() == 0;
  if (const auto failed = first_failure(
          group, !root || sim->open_outputs(error) ? std::nullopt : std::optional(error))) {
    print_text(stderr, "syn: error: {}\n", printable(*failed));
    return runtime_failed;
  }
  if (!sim->run_all(args.options.progress ? stderr : nullptr, error) ||
      (root && !sim->close_outputs(error))) {
    if (sim->failed_at()) {
      diags.error(*sim->failed_at(), error);
      diags.render(stderr, colour_on(stderr));
    } else {
      print_text(stderr, "syn: error: {}\n", printable(error));
    }
    return runtime_failed;
  }
  sim->print_summary(stderr);
  const run_summary summary = sim->summary();
  if (summary.psps && summary.psps->empty())
    print_text(stderr,
               "syn: warning: --measure found no neuron to measure: no `measure psp` statement, "
               "and no single-neuron population receives input\n");
  if (args.json_summary) {
    print_json(stdout, summary);
  } else if (summary.psps) {
    // With --spikes -, standard output holds the spike rows.
    print_psps(args.options.spike_stream ? stderr : stdout, summary);
  }
  return ok;
}

// syn doc NAME|FILE: a file when the argument names one, else a library on the library path
// (std.receptors), else a declaration in one (std.receptors.AMPA).
int doc_command(const arguments& args) {
  front_end front(library_path::from_environment(args.include_dirs));
  library_loader& loader = front.loader;
  diagnostics& diags = front.diags;
  const library* lib = nullptr;
  std::string only;
  // The name as a one-line source, so that errors about it point into it.
  const source_file given("<command line>", args.model);
  std::error_code ec;
  if (args.model.ends_with(".syn") ||
      (std::filesystem::exists(args.model, ec) && !std::filesystem::is_directory(args.model, ec))) {
    lib = loader.open(args.model, diags);
  } else {
    ast::qualified_name module{{}, {&given, 0, static_cast<std::uint32_t>(args.model.size())}};
    for (const std::string_view part : split_name(args.model)) module.parts.emplace_back(part);
    if (module.parts.empty())
      return usage_error(fmt::format("'{}' is not a library name", args.model));
    if (!loader.find(module, "") && module.parts.size() > 1) {
      ast::qualified_name parent = module;
      parent.parts.pop_back();
      if (loader.find(parent, "")) {
        only = module.parts.back();
        module = parent;
      }
    }
    lib = loader.import_module(module, "", diags);
  }
  diags.sort_by_position();
  diags.render(stderr, colour_on(stderr));
  if (!lib || diags.has_errors()) return model_failed;
  const std::string page = doc_page(*lib, args.format, only);
  if (page.empty()) {
    print_text(stderr, "syn: error: {} declares no receptor or neuron type '{}'\n",
               printable(lib->name), printable(only));
    return model_failed;
  }
  print_text(stdout, "{}", page);
  return ok;
}

// syn graph MODEL [--out FILE.svg|FILE.dot]: the checks of syn check, then the event graph, its
// counts drawn with the seed a run would use.
int graph_command(const arguments& args) {
  const std::string extension = args.out ? args.out->extension().string() : "";
  if (args.out && extension != ".svg" && extension != ".dot")
    return usage_error(
        fmt::format("syn graph writes a .svg or a .dot file, not '{}'", args.out->string()));
  std::signal(SIGPIPE, SIG_IGN);
  std::string why;
  std::optional<source_file> file = read_source_file(args.model, why);
  if (!file) {
    print_text(stderr, "syn: error: cannot read '{}': {}\n", printable(args.model), why);
    return usage_failed;
  }
  front_end front(library_path::from_environment(args.include_dirs));
  if (const exit_code loaded =
          load(front, *file, std::filesystem::path(args.model).parent_path(), args.settings);
      loaded != ok)
    return loaded;
  const model& m = front.m;
  diagnostics limits;
  if (const fit f = fits(m, m.now(), limits); f != fit::yes) {
    limits.render(stderr, colour_on(stderr));
    return f == fit::over_memory ? runtime_failed : model_failed;
  }
  std::optional<std::filesystem::path> dot_program;
  if (extension == ".svg" && !(dot_program = find_dot())) {
    print_text(stderr,
               "syn graph: Graphviz's `dot` is not installed; `syn graph {} --out {}` writes "
               "DOT, or install graphviz\n",
               printable(args.model),
               printable(std::filesystem::path(*args.out).replace_extension(".dot").string()));
    return runtime_failed;
  }
  const std::string text =
      event_graph(m, args.options.seed.value_or(m.seed_set ? m.seed : default_seed));
  std::string error;
  if (!args.out) {
    // A reader that has gone (`| head`) ends the output, as for --spikes -.
    if ((std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
         std::fflush(stdout) != 0) &&
        errno != EPIPE)
      error = fmt::format("cannot write the graph: {}", std::strerror(errno));
  } else if (dot_program) {
    write_svg_file(*dot_program, text, *args.out, error);
  } else {
    write_dot_file(text, *args.out, error);
  }
  if (!error.empty()) {
    print_text(stderr, "syn: error: {}\n", printable(error));
    return runtime_failed;
  }
  return ok;
}

}  // namespace

namespace {

int run_command(int argc, char** argv) {
  std::vector<std::string_view> words(argv + 1, argv + argc);
  arguments args;
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string_view w = words[i];
    const auto value = [&]() -> std::optional<std::string> {
      if (i + 1 >= words.size()) return std::nullopt;
      return std::string(words[++i]);
    };
    if (w == "--help" || w == "-h") {
      print_text(stdout, "syn {}: exact event-driven simulation of spiking neurons\n\n{}",
                 SYN_VERSION, usage);
      return ok;
    }
    if (w == "--version") {
      print_text(stdout, "syn {}\n", SYN_VERSION);
      return ok;
    }
    if (w == "--out") {
      const auto v = value();
      if (!v) return usage_error("--out needs a folder");
      args.options.out_dir = *v;
      args.out = *v;
    } else if (w == "--set") {
      const auto v = value();
      if (!v) return usage_error("--set needs NAME=VALUE, as in w_inh=0.5mV");
      args.settings.push_back(*v);
    } else if (w == "--seed") {
      const auto v = value();
      std::uint64_t seed = 0;
      const auto parsed = v ? std::from_chars(v->data(), v->data() + v->size(), seed)
                            : std::from_chars_result{nullptr, std::errc::invalid_argument};
      if (parsed.ec != std::errc() || parsed.ptr != v->data() + v->size())
        return usage_error("--seed needs a whole number from 0 to 2^64 - 1");
      args.options.seed = seed;
    } else if (w == "--threads") {
      const auto v = value();
      std::uint32_t threads = 0;
      const auto parsed = v ? std::from_chars(v->data(), v->data() + v->size(), threads)
                            : std::from_chars_result{nullptr, std::errc::invalid_argument};
      if (parsed.ec != std::errc() || parsed.ptr != v->data() + v->size() || threads == 0 ||
          threads > max_threads)
        return usage_error(fmt::format("--threads needs a whole number from 1 to {}", max_threads));
      args.options.threads = threads;
      args.threads_given = true;
    } else if (w == "--spikes") {
      const auto v = value();
      if (!v || *v != "-") return usage_error("--spikes takes '-' (standard output)");
      args.options.spike_stream = stdout;
    } else if (w == "--explain") {
      args.explain = true;
    } else if (w == "--measure") {
      args.options.measure = true;
    } else if (w == "--summary") {
      const auto v = value();
      if (!v || *v != "json") return usage_error("--summary takes json");
      args.json_summary = true;
    } else if (w == "--format") {
      const auto v = value();
      if (!v || (*v != "text" && *v != "md")) return usage_error("--format takes text or md");
      args.format = *v == "md" ? doc_format::markdown : doc_format::text;
    } else if (w == "--from" || w == "--to") {
      const auto v = value();
      std::string why;
      const auto t = v ? command_line_quantity(*v, dims::time, why) : std::nullopt;
      if (!v) why = "it needs a time, as in 20ms";
      if (!t) return usage_error(fmt::format("{}: {}", w, why));
      (w == "--from" ? args.plot.from : args.plot.to) = *t;
    } else if (w == "--only") {
      const auto v = value();
      std::string why = "it needs a population or train: NAME, NAME[i] or NAME[a..b]";
      const auto elements = v ? command_line_elements(*v, why) : std::nullopt;
      if (!elements) return usage_error(fmt::format("--only: {}", why));
      args.plot.elements.push_back(*elements);
    } else if (w == "-I") {
      const auto v = value();
      if (!v) return usage_error("-I needs a folder");
      args.include_dirs.push_back(*v);
    } else if (w.size() > 1 && w[0] == '-') {
      return usage_error(fmt::format("unknown option '{}'", w));
    } else if (args.command.empty()) {
      args.command = w;
    } else if (args.model.empty()) {
      args.model = w;
    } else {
      return usage_error(fmt::format("unexpected argument '{}'", w));
    }
  }
  if (const char* memory = std::getenv("SYN_MEMORY"); memory && !parse_size(memory))
    return usage_error(fmt::format(
        "SYN_MEMORY='{}' is not a size: write bytes or a number with a unit, as in 8GiB or 512M",
        printable(memory)));
  if (!args.settings.empty() && (args.command.empty() || args.command == "repl" ||
                                 args.command == "doc" || args.command == "plot"))
    return usage_error("--set is for syn run, check, sweep and graph");
  if (args.explain && args.command != "check") return usage_error("--explain is for syn check");
  if (args.threads_given && args.command != "run") return usage_error("--threads is for syn run");
  if (!args.threads_given) args.options.threads = std::min(usable_cores(), max_threads);
  if (args.command == "sweep" && args.options.spike_stream)
    return usage_error("--spikes - is for syn run; syn sweep writes each run's spikes.csv");
  if (args.command != "plot" && (args.plot.from || args.plot.to || !args.plot.elements.empty()))
    return usage_error("--from, --to and --only are options of syn plot");
  if (args.command.empty() || args.command == "repl")
    return run_repl(library_path::from_environment(args.include_dirs), args.model);
  if (args.command == "plot") {
    if (args.model.empty()) return usage_error("syn plot needs a results folder");
    if (args.plot.from && args.plot.to)
      if (const auto problem = window_problem(*args.plot.from, *args.plot.to))
        return usage_error(*problem);
    return plot_results(args.model, args.plot, stderr);
  }
  if (args.command == "doc") {
    if (args.model.empty()) return usage_error("syn doc needs a library name or a file");
    return doc_command(args);
  }
  if (args.command == "graph") {
    if (args.model.empty()) return usage_error("syn graph needs a model file");
    return graph_command(args);
  }
  if (args.command == "sweep") {
    if (args.model.empty()) return usage_error("syn sweep needs a model file");
    return run_sweep({args.model, args.settings, args.out.value_or("syn-sweep"), args.options.seed,
                      args.include_dirs});
  }
  if (args.command != "run" && args.command != "check")
    return usage_error(fmt::format("unknown command '{}'", args.command));
  if (args.json_summary && args.options.spike_stream)
    return usage_error(
        "--summary json and --spikes - both write to standard output; use one of them (the "
        "spikes are in the output folder's spikes.csv)");
  if (args.command == "check" && args.model.empty())
    return usage_error("syn check needs a model file");
  args.options.progress = isatty(fileno(stderr));
  return run_model(args);
}

}  // namespace

int run_cli(int argc, char** argv) {
  try {
    return run_command(argc, argv);
  } catch (const std::bad_alloc&) {
    print_text(stderr, "syn: error: out of memory: the model is too large for this machine\n");
    return runtime_failed;
  } catch (const std::system_error& e) {
    // A write that failed where none was expected to: reported, not an abort.
    print_text(stderr, "syn: error: {}\n", e.what());
    return runtime_failed;
  }
}

}  // namespace syn::dsl
