// The session's interpreter: an input read as statements or as a command, statements checked
// and run, the simulation kept up to date with the model, and each command sent to the member
// that runs it.
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <utility>

#include "diagnostics/did_you_mean.hpp"
#include "syntax/parser.hpp"
#include "syntax/text_scanner.hpp"
#include "tools/repl/command_text.hpp"
#include "tools/repl/help_table.hpp"
#include "tools/repl/session_world.hpp"

namespace syn::dsl {

namespace fs = std::filesystem;

session::session(library_path path, std::FILE* out, std::FILE* err, bool colour,
                 session_settings settings)
    : path_(std::move(path)),
      settings_(std::move(settings)),
      out_(out),
      err_(err),
      colour_(colour),
      world_(std::make_unique<world>(path_, settings_.params)) {}

session::~session() = default;

const model& session::current_model() const { return world_->m; }

double session::now() const { return world_->now; }

const model_run* session::simulation() {
  const bool ok = ensure_simulation();
  world_->diags.render(err_, colour_);
  world_->diags.clear();
  return ok ? &*world_->sim : nullptr;
}

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

std::uint32_t session::typed_lines(std::string_view text) {
  const std::uint32_t first_line = line_;
  line_ += static_cast<std::uint32_t>(std::count(text.begin(), text.end(), '\n')) + 1;
  return first_line;
}

bool session::execute(std::string_view text) {
  const std::uint32_t first_line = typed_lines(text);
  const std::string_view input = trim(text);
  // A comment alone; a text of several lines that starts with one (a model pasted, or given by a
  // host program) holds statements.
  if (input.empty() || (input.front() == '#' && input.find('\n') == std::string_view::npos))
    return true;
  if (!is_command(input)) return statements(text, "<input>", first_line, {}, -1);
  // Commands read views of their own copy, so that an error can point into it; a comment after
  // a command is no part of its arguments, as after a statement.
  inputs_.push_back(
      std::make_unique<source_file>("<input>", std::string(without_comment(text)), first_line));
  input_ = inputs_.back().get();
  const auto [typed_word, typed_rest] = first_word(input_->text());
  const std::optional<command_kind> kind = command_named(typed_word);
  const bool ok = kind ? run_command(*kind, typed_rest) : unknown_command(typed_word);
  input_ = nullptr;
  // What building the simulation for a command reported.
  world_->diags.render(err_, colour_);
  world_->diags.clear();
  return ok;
}

// ---- statements ------------------------------------------------------------------------------

bool session::statements(std::string_view text, const std::string& origin, std::uint32_t first_line,
                         const fs::path& base_dir, int load, bool report, std::size_t first) {
  world& w = *world_;
  w.sources.push_back(std::make_unique<source_file>(origin, std::string(text), first_line));
  const source_file& file = *w.sources.back();
  w.diags.clear();
  const std::vector<ast::statement> parsed = parse(file, w.diags);
  // Only the input itself: not what it replays (rebuild) or takes again one by one.
  if (std::exchange(whole_model_, false) && !model_checks_whole(file, parsed, base_dir))
    return false;
  bool ok = !w.diags.has_errors();
  // A statement that fails may have left traces (a failed import binds its name so that its
  // uses raise no more errors; a failed run moved the simulation): the model is then rebuilt
  // from the statements before it, once its diagnostics are out.
  bool roll_back = false;
  stopped_ = false;
  // The statements that change the network are built together, before the next run and at the
  // end, rather than one by one: each build lowers the whole network, so a text of thousands of
  // connections (a host program's) would take a time growing with their square. A build that
  // fails takes the text again one statement at a time, so that the statements before the one
  // the engine refuses are taken, as typed ones are: from after the last run, which was built
  // and has printed its summary.
  std::size_t resume_at = first;
  std::size_t logged_at_resume = log_.size();
  std::size_t reported_at_resume = 0;  // the diagnostics of the statements before it
  bool unbuilt = false;
  bool batch_failed = false;
  const auto build_now = [&] {
    const std::uint64_t seed = settings_.seed.value_or(w.m.seed_set ? w.m.seed : default_seed);
    return build_network(w.m, w.m.now(), seed, w.diags).has_value();
  };
  for (std::size_t i = first; ok && !stopped_ && i < parsed.size(); ++i) {
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
    // A session has no output folder: its figures are drawn when asked for. :save keeps the
    // clause, which `syn run` of the saved file draws.
    if (const auto* r = std::get_if<ast::record_stmt>(&s.s); r && r->plot && !settings_.hosted)
      w.diags.warning(r->plot->where, "the REPL draws no figure for a recording",
                      r->voltage ? "plot v of ... to \"FILE.svg\" draws it when you want it"
                                 : "plot spikes to \"FILE.svg\" draws it when you want it");
    if (ast::changes_network(s)) {
      w.stale = true;
      unbuilt = !one_by_one_;
      // One by one, a network the engine refuses is refused at its statement.
      if (one_by_one_ && !build_now()) {
        ok = false;
        roll_back = true;
        break;
      }
    }
    if (is_run && unbuilt) {
      batch_failed = !build_now();
      if (batch_failed) break;
      unbuilt = false;
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
    if (is_run) {
      resume_at = i + 1;
      logged_at_resume = log_.size();
      reported_at_resume = w.diags.size();
    }
  }
  // The statements taken before one that fails are built too.
  if (!batch_failed && unbuilt) batch_failed = !build_now();
  if (batch_failed) {
    w.diags.keep_first(reported_at_resume);
    w.diags.sort_by_position();
    w.diags.render(err_, colour_);
    w.diags.clear();
    log_.resize(logged_at_resume);
    if (!rebuild(log_)) return false;
    one_by_one_ = true;
    const bool taken = statements(text, origin, first_line, base_dir, load, report, resume_at);
    one_by_one_ = false;
    return taken;
  }
  if (replaying_) return ok;  // rebuild() reports what fails
  w.diags.sort_by_position();
  w.diags.render(err_, colour_);
  w.diags.clear();  // printed once: the next input renders what it adds
  if (roll_back) rebuild(log_);
  return ok;
}

bool session::load_model_text(std::string_view text) {
  const std::uint32_t first_line = typed_lines(text);
  whole_model_ = true;
  return statements(text, "<input>", first_line, {}, -1);
}

// A whole model's statements (`file`, parsed into `parsed` and w.diags) checked whole, as
// `syn check` checks a file, on a front end of their own: its errors, with the parser's, are
// reported and the model is not taken. Its warnings are the session's to give as it takes it.
bool session::model_checks_whole(const source_file& file, const std::vector<ast::statement>& parsed,
                                 const fs::path& base_dir) {
  front_end whole(path_);
  whole.check.set_params(settings_.params);
  whole.diags.append(world_->diags);
  whole.check_statements(file.name(), parsed, base_dir);
  if (!whole.diags.has_errors()) return true;
  world_->diags.clear();
  whole.diags.sort_by_position();
  whole.diags.render(err_, colour_);
  return false;
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
  if (fits(w.m, end, w.diags) != fit::yes || !ensure_simulation()) return std::nullopt;
  const std::size_t before = w.sim->engine().spikes().size();
  const auto psps_before = w.sim->psps_so_far();
  const double from = w.now;
  std::string error;
  interrupt = 0;
  if (!w.sim->advance(end, &interrupt, error)) {
    fail(error);  // the engine stopped (a runaway neuron, the memory): the run is undone
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
    if (const auto psps = w.sim->psps_so_far()) print_new_psps(out_, *psps, *psps_before);
  }
  return fmt::format("run {} ms", text);
}

bool session::ensure_simulation() {
  world& w = *world_;
  if (w.sim && !w.stale) return true;
  w.sim.reset();
  run_options options;
  options.seed = settings_.seed;
  std::optional<model_run> sim = build(w.m, options, w.diags);
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
  world_ = std::make_unique<world>(path_, settings_.params);
  log_.clear();
  replaying_ = true;
  bool ok = true;
  for (const logged& e : log)
    ok = ok && statements(e.text, e.origin, e.first_line, e.base_dir, e.load);
  replaying_ = false;
  world_->now = world_->m.now();
  if (ok && ensure_simulation()) {
    ++rebuilds_;
    return true;
  }
  world_->diags.render(err_, colour_);
  // Keep what there was: a file that no longer checks changes nothing.
  world_ = std::move(old_world);
  log_ = std::move(old_log);
  fmt::print(err_, "syn: the session is unchanged\n");
  return false;
}

// ---- commands -------------------------------------------------------------------------------

bool session::is_command(std::string_view input) {
  const auto [word, rest] = first_word(input);
  return input.starts_with(':') || (command_named(word) && !rest.starts_with("="));
}

bool session::run_command(command_kind kind, std::string_view rest) {
  // A command without arguments refuses any: `step 3` would otherwise step once.
  const auto bare = [&](const char* word, auto&& body) {
    return rest.empty() ? body() : fail(fmt::format("{} takes no arguments", word), {}, rest);
  };
  switch (kind) {
    case command_kind::show:
      return show(rest);
    case command_kind::print:
      return print_v(rest);
    case command_kind::spikes:
      return list_spikes(rest);
    case command_kind::plot:
      return plot(rest);
    case command_kind::time:
      return bare("time", [&] { return time(); });
    case command_kind::step:
      return bare("step", [&] { return step(); });
    case command_kind::queue:
      return queue(rest);
    case command_kind::reset:
      return bare("reset", [&] { return reset(); });
    case command_kind::clear:
      return bare("clear", [&] { return clear(); });
    case command_kind::load:
      return rest.empty() ? fail(":load needs a file") : load(path_argument(rest));
    case command_kind::reload:
      return bare(":reload", [&] { return reload(); });
    case command_kind::save:
      return rest.empty() ? fail(":save needs a file") : save(path_argument(rest));
    case command_kind::help:
      return help(rest);
    case command_kind::quit:
      return bare(":quit", [&] { return quit_ = true; });
  }
  return fail("internal error: a command without a case in session::run_command");
}

// A file named by a command: as typed, or in double quotes, which may hold a '#' (else the
// start of a comment) or spaces at its ends.
std::string session::path_argument(std::string_view rest) {
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"')
    rest = rest.substr(1, rest.size() - 2);
  return std::string(rest);
}

// A `:` word that names no command.
bool session::unknown_command(std::string_view word) {
  std::vector<std::string> words;
  for (const std::string& c : command_list())
    if (c.front() == ':') words.push_back(c);
  const std::string near = closest(word, words);
  return fail(
      fmt::format("unknown command '{}'", word),
      near.empty() ? "type :help for the commands" : fmt::format("did you mean '{}'?", near), word);
}

// The ANSI sequence that homes the cursor and erases the screen, for a terminal only.
bool session::clear() {
  if (isatty(fileno(out_))) fmt::print(out_, "\x1b[H\x1b[2J");
  return true;
}

}  // namespace syn::dsl
