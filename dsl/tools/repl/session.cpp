#include "tools/repl/session.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <tuple>

#include "diagnostics/did_you_mean.hpp"
#include "front_end/front_end.hpp"
#include "semantics/language_table.hpp"
#include "syntax/parser.hpp"
#include "syntax/text_scanner.hpp"
#include "tools/doc_page.hpp"
#include "tools/terminal_plot.hpp"

namespace syn::dsl {

namespace fs = std::filesystem;

namespace {

// :help's text: one entry per statement and per command. A test asks :help for every statement
// keyword and every command the REPL accepts, so one without an entry here fails it.
struct help_entry {
  const char* topic;  // a statement's keyword, or a command as typed
  const char* usage;
  const char* what;
  const char* example;
};

constexpr help_entry statement_help[] = {
    {"receptor", "receptor NAME { PROPERTY = VALUE; ... }",
     "a receptor: its kinetics and the sign of its PSPs (:help receptor lists the properties)",
     "receptor AMPA { reversal = 0 mV; rise = 0.2 ms; decay = 2 ms }"},
    {"neuron", "neuron NAME [: BASE] { PROPERTY = VALUE; ... }",
     "a neuron type; `: BASE` copies an earlier type's properties first",
     "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }"},
    {"population", "population NAME = [N x] TYPE [{ PROPERTY = VALUE; ... }]",
     "N neurons of a type (1 without `N x`), the block overriding its properties",
     "population exc = 80 x LIF { v0 = uniform(-70 mV, -56 mV) }"},
    {"train",
     "train NAME = [N x] times [T, ...] | regular RATE from T to T | poisson RATE [from T to T] "
     "| file \"FILE\"",
     "N spike sources (1 without `N x`): given times, a regular or Poisson rate, or the "
     "spikes\nof a spikes.csv that `record spikes` wrote",
     "train drive = regular 50 Hz from 10 ms to 200 ms"},
    {"connect",
     "connect PRE -> POST via RECEPTOR weight W delay D [at X] [RULE] [without autapses]",
     "synapses from a population or train onto a population\n"
     "PRE and POST: NAME, NAME[i] or NAME[a..b]; X: the distance from the soma, as 120 um\n"
     "RULE: all_to_all (the default), one_to_one, with probability P, with indegree K or "
     "with outdegree K",
     "connect drive -> exc via AMPA weight 0.5 mV delay 1 ms with probability 0.1"},
    {"record", "record spikes [of NAME, ...] | record v of NAME, ... every T",
     "spikes (of every population and train without `of`), or V sampled every T\n"
     "(plot v of NAME draws it)",
     "record v of exc[0..3] every 0.1 ms"},
    {"run", "run T", "simulate for T from the present", "run 100 ms"},
    {"import", "import a.b [as NAME] [>= VERSION] | import \"FILE.syn\" as NAME",
     "a library's receptors and neuron types, as b.Name and a.b.Name, or NAME.Name",
     "import std.receptors as r"},
    {"from", "from a.b import NAME, ...", "a library's receptors and neuron types, unqualified",
     "from std.neurons import Pyramidal"},
    {"library", "library a.b version \"X.Y.Z\"",
     "a library's name and version, on its first line (checked, otherwise ignored here)",
     "library lab.cells version \"1.0.0\""},
    {"seed", "seed = N",
     "the seed of every random draw (default 1), for the whole session: the past is redrawn",
     "seed = 42"},
};

constexpr help_entry command_help[] = {
    {"show", "show NAME",
     "a population, train, neuron type or receptor: parameters with units, state", "show exc"},
    {"print", "print NAME.v | print NAME[i].v", "the membrane potential now, exact",
     "print exc[0].v"},
    {"spikes", "spikes [of NAME] [last N]", "the spikes so far", "spikes of exc last 5"},
    {"plot", "plot v of NAME | plot v of NAME[i]",
     "V over the recorded interval (record v of ... first); of a population, its first\n"
     "5 recorded neurons, one mark each",
     "plot v of exc[0]"},
    {"time", "time", "the present, ms", "time"},
    {"step", "step", "advance to the next event and say what it was", "step"},
    {"queue", "queue [N]", "the next N pending events (default 10): what, when, for whom",
     "queue 5"},
    {"reset", "reset", "back to t = 0: the same model and seed, every statement from the start",
     "reset"},
    {"clear", "clear", "clear the screen, as in a shell (on a terminal; nothing through a pipe)",
     "clear"},
    {":load", ":load FILE", "run a file's statements in the session", ":load model.syn"},
    {":reload", ":reload",
     "re-read the file loaded last, rebuild, replay to the present, say what changed", ":reload"},
    {":save", ":save FILE", "the session's statements as a .syn file that `syn run` reproduces",
     ":save session.syn"},
    {":help", ":help [TOPIC]",
     "this; a TOPIC is a statement, a command, or one of: statements, commands, neuron, "
     "receptor, units",
     ":help connect"},
    {":quit", ":quit | :q", "leave (Ctrl-D too); Ctrl-C stops a long run", ":quit"},
};

// The commands as typed, in the order :help lists them; :q is :quit's short form.
const std::vector<std::string>& commands() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w;
    for (const help_entry& c : command_help) w.emplace_back(c.topic);
    w.emplace_back(":q");
    return w;
  }();
  return words;
}

std::string_view trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return s.substr(first, last - first + 1);
}

// The first word and the rest, trimmed.
std::pair<std::string_view, std::string_view> first_word(std::string_view s) {
  s = trim(s);
  const auto end = std::min(s.find_first_of(" \t"), s.size());
  return {s.substr(0, end), trim(s.substr(end))};
}

// Digits as a count; nullopt when there are none, or more than a count needs.
std::optional<std::uint32_t> count_of(std::string_view digits) {
  std::uint32_t n = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return n;
}

std::string_view first_line(std::string_view s) { return s.substr(0, s.find('\n')); }

std::string with_unit(double x, const char* unit) { return fmt::format("{} {}", x, unit); }

// The `:` commands.
std::vector<std::string> meta_words() {
  std::vector<std::string> words;
  for (const std::string& c : commands())
    if (c.front() == ':') words.push_back(c);
  return words;
}

std::vector<std::pair<std::string, std::string>> neuron_rows(
    const neuron_params& p, const std::optional<distribution>& v0) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const neuron_property& n : neuron_properties()) rows.emplace_back(n.name, n.text(p, v0));
  return rows;
}

std::string rows_text(const std::vector<std::pair<std::string, std::string>>& rows) {
  std::size_t width = 0;
  for (const auto& r : rows) width = std::max(width, r.first.size());
  std::string out;
  for (const auto& [k, v] : rows) out += fmt::format("  {:<{}}  {}\n", k, width, v);
  return out;
}

}  // namespace

// The model, its checker and loader (the front end's), and its simulation.
struct session::world : front_end {
  std::vector<std::unique_ptr<source_file>> sources;
  std::optional<model_run> sim;
  bool stale = true;  // the network changed since `sim` was built
  double now = 0.0;   // ms: where the session is
  explicit world(const library_path& path) : front_end(path) {}
};

session::session(library_path path, std::FILE* out, std::FILE* err, bool colour)
    : path_(std::move(path)),
      out_(out),
      err_(err),
      colour_(colour),
      world_(std::make_unique<world>(path_)) {}

session::~session() = default;

bool session::incomplete(std::string_view text) { return open_brackets(text) > 0; }

std::string session::history_entry(std::string_view text) {
  if (text.find('\n') == std::string_view::npos) return std::string(text);
  std::string entry;
  std::vector<char> open;  // the brackets open at the end of `entry`
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = trim(without_comment(text.substr(start, end - start)));
    start = end + 1;
    if (line.empty()) continue;
    // A newline ends a statement, or a property in a block: `;` says the same on one line.
    if (!entry.empty()) {
      const bool ends = (open.empty() || open.back() == '{') && entry.back() != '{' &&
                        entry.back() != ';' && line.front() != '}';
      entry += ends ? "; " : " ";
    }
    entry += line;
    for (text_scanner s(line); !s.done(); s.advance()) {
      const char c = s.get();
      if (c == '{' || c == '[' || c == '(') open.push_back(c);
      if ((c == '}' || c == ']' || c == ')') && !open.empty()) open.pop_back();
    }
  }
  return entry;
}

std::vector<std::string> session::completions(std::string_view typed) const {
  std::vector<std::string> words;
  // A keyword of one letter (x, v) is typed faster than completed.
  for (const std::string& w : grammar_keywords())
    if (w.size() > 1) words.push_back(w);
  for (const help_entry& e : statement_help) words.emplace_back(e.topic);  // and the settings
  for (const std::string& w : commands()) words.push_back(w);
  for (std::string& name : world_->check.usable_names()) words.push_back(std::move(name));
  for (const neuron_property& p : neuron_properties()) words.emplace_back(p.name);
  for (const receptor_property& p : receptor_properties()) words.emplace_back(p.name);
  std::erase_if(words, [&](const std::string& w) { return !w.starts_with(typed); });
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

const std::vector<std::string>& session::command_words() { return commands(); }

bool session::fail(const std::string& message, const std::string& hint, std::string_view part) {
  diagnostic d{severity::error, {}, message, hint};
  if (input_) {
    const std::string_view text = input_->text();
    if (part.empty() || part.data() < text.data() ||
        part.data() + part.size() > text.data() + text.size())
      part = trim(text);
    const auto begin = static_cast<std::uint32_t>(part.data() - text.data());
    d.where = {input_, begin, begin + static_cast<std::uint32_t>(part.size())};
  }
  fmt::print(err_, "{}", render(d, colour_));
  return false;
}

bool session::execute(std::string_view text) {
  const std::uint32_t first_line = line_;
  line_ += static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  const std::string_view input = trim(text);
  if (input.empty() || input.front() == '#') return true;
  const auto [word, rest] = first_word(input);
  const bool command_word =
      std::find(commands().begin(), commands().end(), word) != commands().end();
  const bool is_command = input.front() == ':' || (command_word && !rest.starts_with("="));
  if (!is_command) return statements(text, "<input>", first_line, {}, -1);
  // Commands read views of their own copy, so that an error can point into it.
  inputs_.push_back(std::make_unique<source_file>("<input>", std::string(text), first_line));
  input_ = inputs_.back().get();
  const std::string_view typed = trim(input_->text());
  const bool ok = typed.front() == ':' ? meta(typed) : command(typed);
  input_ = nullptr;
  // What building the simulation for a command reported.
  world_->diags.render(err_, colour_);
  world_->diags.clear();
  return ok;
}

// ---- statements ------------------------------------------------------------------------------

bool session::statements(std::string_view text, const std::string& origin, std::uint32_t first_line,
                         const fs::path& base_dir, int load, bool report) {
  world& w = *world_;
  w.sources.push_back(std::make_unique<source_file>(origin, std::string(text), first_line));
  const source_file& file = *w.sources.back();
  w.diags.clear();
  const std::vector<ast::statement> parsed = parse(file, w.diags);
  bool ok = !w.diags.has_errors();
  // A statement that fails may have left traces (a failed import binds its name so that its
  // uses raise no more errors; a failed run moved the simulation): the model is then rebuilt
  // from the statements before it, once its diagnostics are out.
  bool roll_back = false;
  stopped_ = false;
  for (std::size_t i = 0; ok && !stopped_ && i < parsed.size(); ++i) {
    const ast::statement& s = parsed[i];
    const long double total_before = w.m.run_total;
    if (!w.check_statement(s, base_dir)) {
      ok = false;
      roll_back = std::holds_alternative<ast::import_stmt>(s.s) ||
                  std::holds_alternative<ast::from_import_stmt>(s.s);
      break;
    }
    const bool is_run = std::holds_alternative<ast::run_stmt>(s.s);
    logged entry{std::string(file.text().substr(s.where.begin, s.where.end - s.where.begin)),
                 origin,
                 file.at(s.where.begin).line,
                 base_dir,
                 load,
                 is_run};
    if (replaying_) {
      log_.push_back(std::move(entry));
      continue;
    }
    if (ast::changes_network(s)) {
      w.stale = true;
      // Built now, so that a network the engine refuses is refused at its statement.
      const std::uint64_t seed = w.m.seed_set ? w.m.seed : default_seed;
      if (!build_network(w.m, w.m.now(), seed, w.diags)) {
        ok = false;
        roll_back = true;
        break;
      }
    }
    if (is_run) {
      const std::optional<std::string> ran = run_to(w.m.now(), total_before, report);
      if (!ran) {
        ok = false;
        roll_back = true;
        break;
      }
      entry.text = *ran;
    }
    log_.push_back(std::move(entry));
  }
  if (replaying_) return ok;  // rebuild() reports what fails
  w.diags.sort_by_position();
  w.diags.render(err_, colour_);
  w.diags.clear();  // printed once: the next input renders what it adds
  if (roll_back) rebuild(log_);
  return ok;
}

// The duration of a run from `total` (the summed durations so far, as the checker sums them) to
// `end`, as text the checker sums to exactly `end` again.
std::string session::duration_text(long double total, double end) {
  double d = end - static_cast<double>(total);
  for (int i = 0; i < 64; ++i) {
    const std::string text = fmt::format("{}", d);
    const double reached = static_cast<double>(total + std::strtold(text.c_str(), nullptr));
    if (reached == end) return text;
    d = std::nextafter(d, reached < end ? INFINITY : -INFINITY);
  }
  return fmt::format("{}", end - static_cast<double>(total));
}

std::optional<std::string> session::run_to(double end, long double total_before, bool report) {
  world& w = *world_;
  if (!fits(w.m, end, w.diags) || !ensure_simulation()) return std::nullopt;
  const std::size_t before = w.sim->engine().spikes().size();
  const double from = w.now;
  std::string error;
  interrupt = 0;
  if (!w.sim->advance(end, &interrupt, error)) {
    fail(error);  // a runaway neuron: the run is undone
    return std::nullopt;
  }
  w.now = w.sim->engine().time();
  std::string text = duration_text(total_before, end);
  if (w.now < end) {
    // Ctrl-C: the run ends where it stopped, summed as the checker sums the text logged for it;
    // the rest of the input is not run.
    text = duration_text(total_before, w.now);
    w.m.run_total = total_before + std::strtold(text.c_str(), nullptr);
    w.m.run_ends.back() = static_cast<double>(w.m.run_total);
    stopped_ = true;
    fmt::print(out_, "interrupted at t = {} ms\n", w.now);
  }
  if (report) {
    const auto& spikes = w.sim->engine().spikes();
    const std::size_t count = spikes.size() - before;
    fmt::print(out_, "t = {} ms: {} spike{} since {} ms\n", w.now, count, count == 1 ? "" : "s",
               from);
    constexpr std::size_t shown = 10;
    for (std::size_t i = before; i < spikes.size() && i < before + shown; ++i) {
      const auto [name, index] = w.sim->element_of(spikes[i].node);
      fmt::print(out_, "  {} ms  {}[{}]\n", spikes[i].time, *name, index);
    }
    if (count > shown) fmt::print(out_, "  ... and {} more (spikes)\n", count - shown);
  }
  return fmt::format("run {} ms", text);
}

bool session::ensure_simulation() {
  world& w = *world_;
  if (w.sim && !w.stale) return true;
  w.sim.reset();
  std::optional<model_run> sim = build(w.m, run_options{}, w.diags);
  if (!sim) return false;
  w.sim.emplace(std::move(*sim));
  w.stale = false;
  // Replayed to the present, run by run, as a file is run.
  std::string error;
  for (const double end : w.m.run_ends) {
    if (end > w.now) break;
    if (!w.sim->advance(end, nullptr, error)) return fail(error);
  }
  return true;
}

bool session::rebuild(std::vector<logged> log) {
  std::unique_ptr<world> old_world = std::move(world_);
  std::vector<logged> old_log = std::move(log_);
  world_ = std::make_unique<world>(path_);
  log_.clear();
  replaying_ = true;
  bool ok = true;
  for (const logged& e : log)
    ok = ok && statements(e.text, e.origin, e.first_line, e.base_dir, e.load);
  replaying_ = false;
  world_->now = world_->m.now();
  if (ok && ensure_simulation()) return true;
  world_->diags.render(err_, colour_);
  // Keep what there was: a file that no longer checks changes nothing.
  world_ = std::move(old_world);
  log_ = std::move(old_log);
  fmt::print(err_, "syn: the session is unchanged\n");
  return false;
}

// ---- commands -------------------------------------------------------------------------------

bool session::command(std::string_view text) {
  const auto [word, rest] = first_word(text);
  if (word == "time") {
    fmt::print(out_, "t = {} ms\n", world_->now);
    return true;
  }
  if (word == "show") return show(rest);
  if (word == "print") return print_v(rest);
  if (word == "spikes") return list_spikes(rest);
  if (word == "plot") return plot(rest);
  if (word == "step") return step();
  if (word == "queue") return queue(rest);
  if (word == "reset") return reset();
  // clear: the ANSI sequence that homes the cursor and erases the screen, for a terminal only.
  if (isatty(fileno(out_))) fmt::print(out_, "\x1b[H\x1b[2J");
  return true;
}

bool session::meta(std::string_view text) {
  const auto [word, rest] = first_word(text);
  const std::vector<std::string> words = meta_words();
  if (std::find(words.begin(), words.end(), word) == words.end()) {
    const std::string near = closest(word, words);
    return fail(
        fmt::format("unknown command '{}'", word),
        near.empty() ? "type :help for the commands" : fmt::format("did you mean '{}'?", near),
        word);
  }
  if (word == ":quit" || word == ":q") {
    quit_ = true;
    return true;
  }
  if (word == ":help") return help(rest);
  if (word == ":load") return rest.empty() ? fail(":load needs a file") : load(std::string(rest));
  if (word == ":reload") return reload();
  return rest.empty() ? fail(":save needs a file") : save(std::string(rest));
}

namespace {

using element_selection = session::element_selection;

std::optional<element_selection> select(const model& m, std::string_view text, std::string& error) {
  // NAME, or NAME[digits], read by hand (std::regex recurses per character).
  const std::string_view s = trim(text);
  std::size_t end = 0;
  while (end < s.size() && (std::isalnum(static_cast<unsigned char>(s[end])) || s[end] == '_'))
    ++end;
  const std::string_view name = s.substr(0, end);
  std::optional<std::string_view> index;
  if (end < s.size() && s[end] == '[' && s.back() == ']')
    index = s.substr(end + 1, s.size() - end - 2);
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])) ||
      (end < s.size() && !index) ||
      (index &&
       (index->empty() || index->find_first_not_of("0123456789") != std::string_view::npos))) {
    error = fmt::format("'{}' is not a population or an element of one, such as exc or exc[3]", s);
    return std::nullopt;
  }
  for (std::uint32_t g = 0; g < m.groups.size(); ++g) {
    if (m.groups[g].name != name) continue;
    if (!index) return element_selection{g, 0, m.groups[g].size - 1};
    const std::optional<std::uint32_t> i = count_of(*index);
    if (!i || *i >= m.groups[g].size) {
      error = fmt::format("{} has {} element{}; [{}] is out of range", m.groups[g].name,
                          m.groups[g].size, m.groups[g].size == 1 ? "" : "s", *index);
      return std::nullopt;
    }
    return element_selection{g, *i, *i};
  }
  std::vector<std::string> names;
  for (const group& g : m.groups) names.push_back(g.name);
  const std::string near = closest(name, names);
  error = fmt::format("unknown population or train '{}'{}", name,
                      near.empty() ? "" : fmt::format(" (did you mean '{}'?)", near));
  return std::nullopt;
}

}  // namespace

bool session::show(std::string_view name) {
  world& w = *world_;
  const model& m = w.m;
  const std::string_view typed = trim(name);
  const std::string wanted(typed);
  for (std::uint32_t gi = 0; gi < m.groups.size(); ++gi) {
    const group& g = m.groups[gi];
    if (g.name != wanted) continue;
    if (!ensure_simulation()) return false;
    const simulator& sim = w.sim->engine();
    if (g.is_train) {
      // As its statement says it; `added at` is when it joined the network.
      std::string kind;
      if (g.train == group::train_kind::times) {
        constexpr std::size_t listed = 10;
        std::vector<std::string> times;
        for (std::size_t i = 0; i < g.times.size() && i < listed; ++i)
          times.push_back(with_unit(g.times[i], "ms"));
        if (g.times.size() > listed)
          times.push_back(fmt::format("... ({} in all)", g.times.size()));
        kind = fmt::format("times [{}]", fmt::join(times, ", "));
      } else if (g.train == group::train_kind::file) {
        kind = fmt::format("file \"{}\"", g.path);
      } else {
        kind =
            fmt::format("{} {} Hz", g.train == group::train_kind::regular ? "regular" : "poisson",
                        g.rate * 1000.0);
        if (g.stop) kind += fmt::format(" from {} ms to {} ms", g.start, *g.stop);
      }
      fmt::print(out_, "train {}: {} source{}, {}, added at {} ms\n", g.name, g.size,
                 g.size == 1 ? "" : "s", kind, g.since);
    } else {
      fmt::print(out_, "population {}: {} x {}, from {} ms\n", g.name, g.size, g.type, g.since);
      fmt::print(out_, "{}", rows_text(neuron_rows(g.params, g.v0)));
      constexpr std::uint32_t listed = 5;
      for (std::uint32_t e = 0; e < g.size && e < listed; ++e)
        fmt::print(out_, "  {}[{}].v = {} mV\n", g.name, e, sim.v(w.sim->first_node(gi) + e));
      if (g.size > listed) fmt::print(out_, "  ... {} more\n", g.size - listed);
    }
    std::uint64_t count = 0;
    double last = 0.0;
    for (const spike& s : sim.spikes()) {
      if (s.node < w.sim->first_node(gi) || s.node >= w.sim->first_node(gi) + g.size) continue;
      ++count;
      last = s.time;
    }
    fmt::print(out_, "  {} spike{} so far{}\n", count, count == 1 ? "" : "s",
               count ? fmt::format(", the last at {} ms", last) : "");
    return true;
  }
  // A neuron type or receptor by any name the session can use: its own, b.Name, a.b.Name, or
  // one imported unqualified.
  const auto found = w.check.resolve(wanted);
  w.diags.clear();
  if (found && found->what == declaration::kind::neuron) {
    const neuron_type& t = m.neuron_types[found->index];
    fmt::print(out_, "neuron {}{}\n", t.name, t.base.empty() ? "" : " : " + t.base);
    fmt::print(out_, "{}", indented(t.doc, "  "));
    fmt::print(out_, "{}", rows_text(neuron_rows(t.params, t.v0)));
    return true;
  }
  if (found && found->what == declaration::kind::receptor) {
    const receptor_info& r = m.receptors[found->index];
    fmt::print(out_, "receptor {}\n", r.name);
    fmt::print(out_, "{}", indented(r.doc, "  "));
    std::vector<std::pair<std::string, std::string>> rows;
    for (const receptor_property* p : receptor_listing())
      if (p->shown(r)) rows.emplace_back(p->name, p->text(r));
    fmt::print(out_, "{}", rows_text(rows));
    return true;
  }
  std::vector<std::string> names;
  for (const group& g : m.groups) names.push_back(g.name);
  for (const neuron_type& t : m.neuron_types) names.push_back(t.name);
  for (const receptor_info& r : m.receptors) names.push_back(r.name);
  const std::string near = closest(wanted, names);
  return fail(fmt::format("nothing is named '{}'", wanted),
              near.empty() ? "show takes a population, train, neuron type or receptor"
                           : fmt::format("did you mean '{}'?", near),
              typed);
}

std::optional<session::element_selection> session::neurons(std::string_view target) {
  std::string error;
  const auto sel = select(world_->m, target, error);
  if (!sel) {
    fail(error, {}, target);
    return std::nullopt;
  }
  const group& g = world_->m.groups[sel->group];
  if (!g.is_train) return sel;
  fail(fmt::format("'{}' is a train of spike sources, not neurons", g.name), {}, target);
  return std::nullopt;
}

bool session::print_v(std::string_view what) {
  std::string_view target = trim(what);
  if (!target.ends_with(".v"))
    return fail(fmt::format("print takes NAME.v or NAME[i].v, not '{}'", target), {}, target);
  target.remove_suffix(2);
  const auto sel = neurons(target);
  if (!sel || !ensure_simulation()) return false;
  const group& g = world_->m.groups[sel->group];
  constexpr std::uint32_t listed = 20;
  for (std::uint32_t e = sel->first; e <= sel->last && e < sel->first + listed; ++e)
    fmt::print(out_, "{}[{}].v = {} mV\n", g.name, e,
               world_->sim->engine().v(world_->sim->first_node(sel->group) + e));
  if (sel->last - sel->first + 1 > listed)
    fmt::print(out_, "... {} more\n", sel->last - sel->first + 1 - listed);
  return true;
}

bool session::list_spikes(std::string_view args) {
  // [of NAME] [last N]
  auto [word, rest] = first_word(args);
  std::string_view target, last_text;
  if (word == "of") {
    std::tie(target, rest) = first_word(rest);
    std::tie(word, rest) = first_word(rest);
    if (target.empty()) return fail("usage: spikes [of NAME] [last N]");
  }
  if (word == "last") std::tie(last_text, rest) = first_word(rest);
  if ((!word.empty() && word != "last") || (word == "last" && last_text.empty()) || !rest.empty())
    return fail("usage: spikes [of NAME] [last N]");
  std::optional<std::uint32_t> last;
  if (!last_text.empty() && !(last = count_of(last_text)))
    return fail("spikes: last N needs a whole number up to 4294967295", {}, last_text);
  if (!ensure_simulation()) return false;
  std::optional<element_selection> sel;
  if (!target.empty()) {
    std::string error;
    sel = select(world_->m, target, error);
    if (!sel) return fail(error, {}, target);
  }
  std::vector<spike> chosen;
  for (const spike& sp : world_->sim->engine().spikes()) {
    if (sel) {
      const node_id first = world_->sim->first_node(sel->group);
      if (sp.node < first + sel->first || sp.node > first + sel->last) continue;
    }
    chosen.push_back(sp);
  }
  const std::size_t from = last && chosen.size() > *last ? chosen.size() - *last : 0;
  if (chosen.empty()) fmt::print(out_, "no spikes\n");
  for (std::size_t i = from; i < chosen.size(); ++i) {
    const auto [name, index] = world_->sim->element_of(chosen[i].node);
    fmt::print(out_, "{} ms  {}[{}]\n", chosen[i].time, *name, index);
  }
  return true;
}

bool session::plot(std::string_view args) {
  const auto [v, rest] = first_word(args);
  const auto [of, target] = first_word(rest);
  if (v != "v" || of != "of" || target.empty()) return fail("usage: plot v of NAME or NAME[i]");
  const auto sel = neurons(target);
  if (!sel || !ensure_simulation()) return false;
  const group& g = world_->m.groups[sel->group];
  const std::uint32_t size = sel->last - sel->first + 1;
  const node_id first = world_->sim->first_node(sel->group) + sel->first;
  const auto element = [&](node_id node) -> std::optional<std::uint32_t> {
    if (node < first || node - first >= size) return std::nullopt;
    return static_cast<std::uint32_t>(node - first);
  };
  std::vector<bool> recorded(size);
  for (const sample& s : world_->sim->engine().samples())
    if (const auto e = element(s.node)) recorded[*e] = true;
  // The first few recorded neurons, a trace each.
  std::vector<std::uint32_t> shown;
  for (std::uint32_t e = 0; e < size && shown.size() < plot_marks.size(); ++e)
    if (recorded[e]) shown.push_back(e);
  std::vector<std::vector<plot_point>> traces(shown.size());
  for (const sample& s : world_->sim->engine().samples()) {
    const auto e = element(s.node);
    const auto at = e ? std::find(shown.begin(), shown.end(), *e) : shown.end();
    if (at != shown.end())
      traces[static_cast<std::size_t>(at - shown.begin())].push_back({s.time, s.v});
  }
  const std::string name = size == 1 ? fmt::format("{}[{}]", g.name, sel->first) : g.name;
  if (shown.empty())
    return fail(fmt::format("no samples of {}", name),
                fmt::format("record v of {} every 0.1 ms, then run", name), target);
  std::vector<std::string> legend;
  for (std::size_t i = 0; i < shown.size(); ++i)
    legend.push_back(shown.size() == 1 ? fmt::format("{}[{}]", g.name, sel->first + shown[i])
                                       : fmt::format("{}[{}] ({})", g.name, sel->first + shown[i],
                                                     plot_marks[i]));
  fmt::print(out_, "V of {}\n", fmt::join(legend, ", "));
  const auto count = static_cast<std::uint32_t>(std::count(recorded.begin(), recorded.end(), true));
  if (count > shown.size())
    fmt::print(out_, "the first {} of the {} {}neurons of {}; plot v of {}[i] for another\n",
               shown.size(), count, count == size ? "" : "recorded ", g.name, g.name);
  else if (count < size)
    fmt::print(out_, "{} of the {} neurons of {}: the others are not recorded\n", count, size,
               g.name);
  fmt::print(out_, "{}", plot_traces(traces, g.params.threshold, g.params.rest));
  return true;
}

namespace {

std::string describe(const pending_event& e, const model_run& sim) {
  const auto [name, index] = sim.element_of(e.node);
  const std::string who = fmt::format("{}[{}]", *name, index);
  switch (e.what) {
    case pending_event::kind::source_spike:
      return fmt::format("{} fires", who);
    case pending_event::kind::delivery:
      return fmt::format("a spike of {} (sent at {} ms) arrives at {} synapse{}", who,
                         e.time - e.delay, e.targets, e.targets == 1 ? "" : "s");
    case pending_event::kind::crossing:
      return fmt::format("{} reaches threshold (predicted)", who);
    case pending_event::kind::recheck:
      return fmt::format("{} re-examines a bound on its next threshold crossing", who);
    case pending_event::kind::refractory_end:
      return fmt::format("{} ends its refractory period", who);
    case pending_event::kind::start:
      return fmt::format("{} starts", who);
  }
  return who;
}

}  // namespace

bool session::queue(std::string_view args) {
  std::size_t count = 10;
  if (!trim(args).empty()) {
    const std::optional<std::uint32_t> n = count_of(trim(args));
    if (!n || *n == 0) return fail("usage: queue [N], N a whole number from 1", {}, trim(args));
    count = *n;
  }
  if (!ensure_simulation()) return false;
  const auto events = world_->sim->engine().pending_events(count);
  if (events.empty()) fmt::print(out_, "nothing is pending\n");
  for (const pending_event& e : events)
    fmt::print(out_, "{} ms  {}\n", e.time, describe(e, *world_->sim));
  return true;
}

bool session::step() {
  if (!ensure_simulation()) return false;
  world& w = *world_;
  const double t = w.sim->engine().next_event_time();
  if (!std::isfinite(t)) {
    fmt::print(out_, "nothing is pending\n");
    return true;
  }
  std::vector<pending_event> due;
  for (const pending_event& e : w.sim->engine().pending_events(64))
    if (e.time == t) due.push_back(e);
  const std::size_t before = w.sim->engine().spikes().size();
  // A step is a run to the event, logged as one.
  const std::string text = fmt::format("run {} ms", duration_text(w.m.run_total, t));
  if (!statements(text, "<step>", 1, {}, -1, false)) return false;
  fmt::print(out_, "t = {} ms\n", w.now);
  const auto& spikes = w.sim->engine().spikes();
  const auto spiked = [&](node_id node) {
    return std::any_of(spikes.begin() + static_cast<std::ptrdiff_t>(before), spikes.end(),
                       [&](const spike& sp) { return sp.node == node; });
  };
  const auto fired = [&](node_id node) {
    return std::any_of(due.begin(), due.end(), [&](const pending_event& e) {
      return e.what == pending_event::kind::source_spike && e.node == node;
    });
  };
  // A source firing or a neuron reaching threshold is said once, by the spike it gives.
  for (const pending_event& e : due)
    if ((e.what != pending_event::kind::source_spike && e.what != pending_event::kind::crossing) ||
        !spiked(e.node))
      fmt::print(out_, "  {}\n", describe(e, *w.sim));
  for (std::size_t i = before; i < spikes.size(); ++i) {
    const auto [name, index] = w.sim->element_of(spikes[i].node);
    fmt::print(out_, "  {}[{}] {}\n", *name, index, fired(spikes[i].node) ? "fires" : "spikes");
  }
  return true;
}

bool session::reset() {
  std::vector<logged> kept;
  for (const logged& e : log_)
    if (!e.is_run) kept.push_back(e);
  if (!rebuild(std::move(kept))) return false;
  fmt::print(out_, "t = 0 ms: the same model, from the start\n");
  return true;
}

bool session::load(const fs::path& file) {
  std::string why;
  const std::optional<source_file> text = read_source_file(file.string(), why);
  if (!text) return fail(fmt::format("cannot read '{}': {}", file.string(), why));
  loads_.push_back(file);
  // The loaded file takes part in cycle detection while its statements are checked.
  library_loader& loader = world_->loader;
  loader.enter(file);
  const bool ok = statements(text->text(), file.string(), 1, file.parent_path(),
                             static_cast<int>(loads_.size() - 1));
  if (&loader == &world_->loader) loader.leave();
  return ok;
}

bool session::reload() {
  if (loads_.empty()) return fail("nothing was loaded", ":load FILE first");
  const int id = static_cast<int>(loads_.size() - 1);
  const fs::path file = loads_.back();
  std::string why;
  const std::optional<source_file> text = read_source_file(file.string(), why);
  if (!text) return fail(fmt::format("cannot read '{}': {}", file.string(), why));
  std::vector<std::string> old_statements;
  std::vector<logged> log;
  bool placed = false;
  for (const logged& e : log_) {
    if (e.load != id) {
      log.push_back(e);
      continue;
    }
    old_statements.push_back(e.text);
    if (placed) continue;
    placed = true;
    // The file's new text, at the place of its old statements, checked as one input.
    log.push_back({text->text(), file.string(), 1, file.parent_path(), id, false});
  }
  if (!placed) log.push_back({text->text(), file.string(), 1, file.parent_path(), id, false});
  const std::vector<spike> old_spikes =
      world_->sim ? world_->sim->engine().spikes() : std::vector<spike>{};
  const double old_now = world_->now;
  const bool ok = rebuild(std::move(log));
  std::vector<std::string> new_statements;
  for (const logged& e : log_)
    if (e.load == id) new_statements.push_back(e.text);
  std::size_t removed = 0, added = 0;
  for (const std::string& s : old_statements)
    if (std::find(new_statements.begin(), new_statements.end(), s) == new_statements.end()) {
      if (removed++ < 5) fmt::print(out_, "- {}\n", s);
    }
  for (const std::string& s : new_statements)
    if (std::find(old_statements.begin(), old_statements.end(), s) == old_statements.end()) {
      if (added++ < 5) fmt::print(out_, "+ {}\n", s);
    }
  const std::vector<spike>& spikes = world_->sim ? world_->sim->engine().spikes() : old_spikes;
  const auto mismatch =
      std::mismatch(old_spikes.begin(), old_spikes.end(), spikes.begin(), spikes.end());
  fmt::print(
      out_,
      "reloaded {}: {} statement{} added, {} removed, t = {} ms (was {} ms); {} spikes (was {})",
      file.string(), added, added == 1 ? "" : "s", removed, world_->now, old_now, spikes.size(),
      old_spikes.size());
  if (mismatch.first == old_spikes.end() && mismatch.second == spikes.end())
    fmt::print(out_, ", the same spikes\n");
  else
    fmt::print(out_, ", the first difference at {} ms\n",
               std::min(mismatch.first == old_spikes.end() ? INFINITY : mismatch.first->time,
                        mismatch.second == spikes.end() ? INFINITY : mismatch.second->time));
  return ok;
}

bool session::save(const fs::path& file) {
  // Statements typed or loaded elsewhere keep meaning what they meant: their file paths are
  // rewritten relative to the saved file, and the folders their module imports were found
  // from are named, for -I.
  std::error_code ec;
  const fs::path save_dir = fs::absolute(file, ec).parent_path().lexically_normal();
  std::vector<std::string> lines;
  std::vector<fs::path> import_dirs;
  for (const logged& e : log_) {
    std::string text = e.text;
    // Typed statements have no base folder: they are relative to the present one.
    const fs::path base =
        e.base_dir.empty() ? fs::current_path(ec) : fs::absolute(e.base_dir, ec).lexically_normal();
    if (base != save_dir) {
      const source_file statement("<save>", text);
      diagnostics ignored;
      for (const ast::statement& s : parse(statement, ignored)) {
        std::string path;
        if (const auto* i = std::get_if<ast::import_stmt>(&s.s); i && i->file) path = *i->file;
        if (const auto* t = std::get_if<ast::train_decl>(&s.s);
            t && t->kind == ast::train_kind::file)
          path = t->path;
        const bool by_module = std::holds_alternative<ast::from_import_stmt>(s.s) ||
                               (std::holds_alternative<ast::import_stmt>(s.s) && path.empty());
        if (by_module &&
            std::find(import_dirs.begin(), import_dirs.end(), base) == import_dirs.end())
          import_dirs.push_back(base);
        if (path.empty() || fs::path(path).is_absolute()) continue;
        fs::path moved = (base / path).lexically_normal().lexically_relative(save_dir);
        if (moved.empty()) moved = base / path;
        const std::string quoted = fmt::format("\"{}\"", path);
        if (const auto at = text.find(quoted); at != std::string::npos)
          text.replace(at, quoted.size(), fmt::format("\"{}\"", moved.generic_string()));
      }
    }
    lines.push_back(std::move(text));
  }
  std::ofstream out(file, std::ios::binary);
  out << "# Saved by syn repl: the session's statements, in order. syn run reproduces its "
         "spikes.\n";
  for (const std::string& line : lines) out << line << '\n';
  out.close();
  if (!out) return fail(fmt::format("cannot write '{}'", file.string()));
  fmt::print(out_, "saved {} statement{} to {}\n", log_.size(), log_.size() == 1 ? "" : "s",
             file.string());
  for (const fs::path& dir : import_dirs)
    fmt::print(out_, "note: some of its imports were found from {}: run it with -I {}\n",
               dir.string(), dir.string());
  return true;
}

bool session::help(std::string_view topic) {
  const std::string t(trim(topic));
  const auto find = [](std::span<const help_entry> table,
                       std::string_view name) -> const help_entry* {
    for (const help_entry& e : table)
      if (e.topic == name) return &e;
    return nullptr;
  };
  const help_entry* entry = find(statement_help, t);
  if (!entry) entry = find(command_help, t == ":q" ? ":quit" : t);
  if (!entry && !t.empty() && t.front() != ':') entry = find(command_help, ":" + t);
  if (entry) {
    fmt::print(out_, "usage: {}\n{}example: {}\n", entry->usage, indented(entry->what, "  "),
               entry->example);
    const auto properties = [&](const auto& table) {
      fmt::print(out_, "properties:\n");
      for (const auto& p : table)
        fmt::print(out_, "  {:<16} {:<14} {}\n", p.name, p.dim == dims::none ? "" : units_of(p.dim),
                   p.what);
    };
    if (t == "neuron") properties(neuron_properties());
    if (t == "receptor") properties(receptor_properties());
    return true;
  }
  const auto list = [&](std::span<const help_entry> table) {
    // The first line of each, as a summary.
    for (const help_entry& e : table)
      fmt::print(out_, "  {:<32} {}\n", e.usage, first_line(e.what));
  };
  if (t == "units") {
    fmt::print(out_, "units (every value carries one):\n");
    for (const unit_def& u : unit_table())
      fmt::print(out_, "  {:<6} {}\n", u.name, dimension_name(u.dim));
  } else if (t == "commands") {
    list(command_help);
  } else if (t == "statements") {
    fmt::print(out_, "statements (as in a .syn file; docs/language.md):\n");
    for (const help_entry& e : statement_help) fmt::print(out_, "  {}\n", e.usage);
  } else if (t.empty()) {
    fmt::print(out_,
               "Type statements of the language, as in a .syn file; `run 10 ms` continues "
               "from the present.\nCommands:\n");
    list(command_help);
    fmt::print(out_, ":help STATEMENT or :help COMMAND for one, with an example.\n");
  } else {
    return fail(fmt::format("no help on '{}'", t),
                "the topics are: a statement or command, statements, commands, neuron, receptor, "
                "units",
                trim(topic));
  }
  return true;
}

}  // namespace syn::dsl
