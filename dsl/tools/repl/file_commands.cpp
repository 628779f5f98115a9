// The file commands (:load, :reload, :save) and reset: the session's statements read from a
// file, read again, written to one, or replayed from the start.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "diagnostics/printable_text.hpp"
#include "files/whole_file.hpp"
#include "syntax/parser.hpp"
#include "tools/repl/session_world.hpp"

namespace syn::dsl {

namespace fs = std::filesystem;

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
  // The loaded file takes part in cycle detection while its statements are checked, unless a
  // statement that failed had the world rebuilt (whose new loader never entered it, so that the
  // file's statements taken again after that find no cycle through it; the old world's address
  // may be the new one's).
  world_->loader.enter(file);
  const std::uint64_t rebuilds = rebuilds_;
  const bool ok = statements(text->text(), file.string(), 1, file.parent_path(),
                             static_cast<int>(loads_.size() - 1));
  if (rebuilds_ == rebuilds) world_->loader.leave();
  return ok;
}

bool session::load_model_file(const fs::path& file) {
  whole_model_ = true;
  const bool ok = load(file);
  whole_model_ = false;  // when it could not be read
  world_->diags.render(err_, colour_);
  world_->diags.clear();
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
      if (removed++ < 5) fmt::print(out_, "- {}\n", printable_lines(s));
    }
  for (const std::string& s : new_statements)
    if (std::find(old_statements.begin(), old_statements.end(), s) == old_statements.end()) {
      if (added++ < 5) fmt::print(out_, "+ {}\n", printable_lines(s));
    }
  const std::vector<spike>& spikes = world_->sim ? world_->sim->engine().spikes() : old_spikes;
  const auto mismatch =
      std::mismatch(old_spikes.begin(), old_spikes.end(), spikes.begin(), spikes.end());
  fmt::print(
      out_,
      "reloaded {}: {} statement{} added, {} removed, t = {} ms (was {} ms); {} spikes (was {})",
      printable(file.string()), added, added == 1 ? "" : "s", removed, world_->now, old_now,
      spikes.size(), old_spikes.size());
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
  std::string saved =
      "# Saved by syn repl: the session's statements, in order. syn run reproduces its spikes.\n";
  for (const std::string& line : lines) saved += line + '\n';
  if (std::string error; !write_whole_file(file, saved, error)) return fail(error);
  fmt::print(out_, "saved {} statement{} to {}\n", log_.size(), log_.size() == 1 ? "" : "s",
             printable(file.string()));
  for (const fs::path& dir : import_dirs)
    fmt::print(out_, "note: some of its imports were found from {}: run it with -I {}\n",
               printable(dir.string()), printable(dir.string()));
  return true;
}
}  // namespace syn::dsl
