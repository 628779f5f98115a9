// libFuzzer target: arbitrary bytes as a .syn text through parse, check, diagnostic rendering
// and, for a model small enough to simulate in a few milliseconds, lowering and a full run.
// SPEC §4: bad input never crashes the tool, so any crash, hang or leak here is a bug.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "front_end/front_end.hpp"
#include "semantics/model.hpp"
#include "syntax/parser.hpp"
#include "syntax/source_file.hpp"

namespace {

namespace fs = std::filesystem;
using namespace syn::dsl;

// What "small" means. Beyond these the work is legitimately large (not a bug), and one input
// must stay well under the fuzzer's timeout even under ASan.
constexpr std::uint64_t max_group_size = 100;
constexpr std::uint64_t max_nodes = 300;
constexpr double max_run_ms = 100.0;
constexpr double max_synapses = 3000.0;
constexpr double max_source_spikes = 3000.0;
constexpr double max_samples = 20000.0;
// Without refractoriness a strongly driven neuron may fire every min_interspike_interval
// (1 ns) before the engine stops it as a runaway: up to 1e8 spikes in 100 ms, legitimately. So
// a run gets a floor on refractory (each neuron then fires at most max_run_ms / 1 ms + 1
// times), except a short run of few neurons, which keeps refractory 0 and the runaway check
// fuzzed at a bounded cost (4 neurons x 0.01 ms / 1 ns = 4e4 spikes).
constexpr double min_refractory_ms = 1.0;
constexpr double short_run_ms = 0.01;
constexpr std::uint64_t short_run_neurons = 4;

// A folder of its own per process: file trains are read relative to it, so the fuzzer never
// touches the rest of the file system, and the CSV reader still sees a valid and a broken file.
struct sandbox {
  fs::path dir;
  sandbox() {
    std::string tmpl = (fs::temp_directory_path() / "syn-fuzz-XXXXXX").string();
    if (!mkdtemp(tmpl.data())) std::abort();
    dir = tmpl;
    std::ofstream(dir / "spikes.csv") << "time_ms,population,index\n1,a,0\n2.5,a,1\n3,b,0\n";
    std::ofstream(dir / "bad.csv") << "time_ms,population,index\n1,a\nx,y,z\n";
    std::ofstream(dir / "empty.csv") << "time_ms,population,index\n";
    // Neither Syn nor spikes, imported or replayed: refused without being shown.
    std::ofstream(dir / "not_syn.txt") << "root:x:0:0:root:/root:/bin/bash\nKEY = value\n";
    std::ofstream(dir / "settings.txt") << "API_TOKEN = tok_123\nneuron N { rest = -70 mV }\n";
    // Imports, once supported, must not pick up libraries from the environment.
    unsetenv("SYN_PATH");
  }
  ~sandbox() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

const sandbox& box() {
  static const sandbox s;
  return s;
}

// A path the checker may open: inside the sandbox (relative, no "..").
bool confined(const std::string& path) {
  const fs::path p(path);
  if (p.is_absolute() || p.has_root_name() || p.has_root_directory()) return false;
  for (const fs::path& part : p)
    if (part == "..") return false;
  return true;
}

bool touches_outside(const syn::dsl::ast::statement& s) {
  if (const auto* t = std::get_if<ast::train_decl>(&s.s))
    return t->kind == ast::train_kind::file && !confined(t->path);
  if (const auto* i = std::get_if<ast::import_stmt>(&s.s)) return i->file && !confined(*i->file);
  return false;
}

// Whether running `m` is cheap; clamps refractory periods (see min_refractory_ms).
bool small_enough(model& m) {
  const double until = m.run_ends.empty() ? 0.0 : m.run_ends.back();
  if (!(until >= 0.0 && until <= max_run_ms)) return false;

  std::uint64_t neurons = 0;
  for (const group& g : m.groups)
    if (!g.is_train) neurons += g.size;
  const bool short_run = until <= short_run_ms && neurons <= short_run_neurons;

  std::uint64_t nodes = 0;
  double source_spikes = 0.0;
  for (group& g : m.groups) {
    if (g.size > max_group_size) return false;
    nodes += g.size;
    if (!g.is_train) {
      if (!short_run && !(g.params.refractory >= min_refractory_ms))
        g.params.refractory = min_refractory_ms;
      continue;
    }
    switch (g.train) {
      case group::train_kind::times:
        source_spikes += static_cast<double>(g.times.size()) * g.size;
        break;
      case group::train_kind::file:
        for (const auto& s : g.replay) source_spikes += static_cast<double>(s.size());
        break;
      case group::train_kind::regular:
      case group::train_kind::poisson: {
        const double stop = g.stop ? std::min(*g.stop, until) : until;
        // Poisson counts are random: allow for a generous excess over the mean.
        const double factor = g.train == group::train_kind::poisson ? 4.0 : 1.0;
        const double span_ms = std::max(0.0, stop - g.start);
        source_spikes += factor * (g.rate * span_ms + 1.0) * g.size;
        break;
      }
    }
  }
  if (nodes > max_nodes || !(source_spikes <= max_source_spikes)) return false;

  double synapses = 0.0;
  for (const connection_info& c : m.connections) {
    const double pre = c.pre.size(), post = c.post.size();
    switch (c.rule) {
      case connection_rule::indegree:
        synapses += static_cast<double>(c.degree) * post;
        break;
      case connection_rule::outdegree:
        synapses += static_cast<double>(c.degree) * pre;
        break;
      case connection_rule::one_to_one:
        synapses += pre;
        break;
      default:
        synapses += pre * post;
    }
  }
  if (!(synapses <= max_synapses)) return false;

  double samples = 0.0;
  for (const v_record& v : m.v_records) {
    double targets = 0.0;
    for (const element_range& r : v.targets) targets += r.size();
    samples += targets * (until / v.interval + 1.0);
  }
  return samples <= max_samples;
}

std::FILE* null_file() {
  static std::FILE* f = std::fopen("/dev/null", "w");
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const sandbox& sb = box();
  const source_file file("fuzz.syn", std::string(reinterpret_cast<const char*>(data), size));
  // Imports read the sandbox and the standard library, never SYN_PATH.
  library_path path = library_path::from_environment({});
  path.env_dirs.clear();
  front_end front(std::move(path));
  diagnostics& diags = front.diags;
  model& m = front.m;
  // The REPL's incremental form, which lets the statements that would leave the sandbox out.
  for (const ast::statement& s : parse(file, diags))
    if (!touches_outside(s)) front.check_statement(s, sb.dir);

  // Rendering walks spans back to lines and columns: every diagnostic, both styles.
  for (const diagnostic& d : diags.all()) {
    render(d, false);
    render(d, true);
  }
  // Run even when some statements failed: the checker adds nothing for a statement with an
  // error, so the model stays consistent, and the REPL runs such models (SPEC §5). Most
  // fuzzed texts hold some error, so this is what gets the engine fuzzed at all.
  if (!small_enough(m)) return 0;

  run_options options;
  options.out_dir = sb.dir / "out";
  options.spike_stream = null_file();
  std::optional<model_run> sim = build(m, options, diags);
  if (!sim) {
    // Lowering errors may carry no span (an engine error with no statement to blame).
    for (const diagnostic& d : diags.all()) render(d, false);
    return 0;
  }
  std::string error;
  if (!sim->open_outputs(error) || !sim->run_all(nullptr, error)) return 0;
  sim->close_outputs(error);
  sim->print_summary(null_file());
  return 0;
}
