// What the session tells about its language: :help, completion, and what a line editor asks of
// an input (is it complete, what history keeps of it).
#include <fmt/format.h>

#include <algorithm>

#include "semantics/ion_environment.hpp"
#include "semantics/language_table.hpp"
#include "syntax/keywords.hpp"
#include "syntax/text_scanner.hpp"
#include "tools/doc_page.hpp"
#include "tools/repl/command_text.hpp"
#include "tools/repl/help_table.hpp"
#include "tools/repl/session_world.hpp"

namespace syn::dsl {

namespace {

std::string_view first_line(std::string_view s) { return s.substr(0, s.find('\n')); }

}  // namespace

bool session::incomplete(std::string_view text) {
  if (is_command(trim(text))) return false;
  const char open = innermost_open(text);
  return open == '{' || open == '[';
}

bool session::continues(std::string_view line) {
  const std::string_view word = first_word(line).first;
  return !is_command(trim(line)) &&
         std::find(statement_keywords().begin(), statement_keywords().end(), word) ==
             statement_keywords().end();
}

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
  for (const help_entry& e : statement_help()) words.emplace_back(e.topic);  // and the settings
  for (const std::string& w : command_list()) words.push_back(w);
  for (std::string& name : world_->check.usable_names()) words.push_back(std::move(name));
  for (const neuron_property& p : neuron_properties()) words.emplace_back(p.name);
  for (const ion_property& p : ion_properties()) words.emplace_back(p.name);
  for (const receptor_property& p : receptor_properties()) words.emplace_back(p.name);
  std::erase_if(words, [&](const std::string& w) { return !w.starts_with(typed); });
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  return words;
}

bool session::help(std::string_view topic) {
  const std::string t(trim(topic));
  const auto find = [](std::string_view name) -> const help_entry* {
    for (const help_entry& e : statement_help())
      if (e.topic == name) return &e;
    for (const command_entry& c : command_help())
      if (c.help.topic == name) return &c.help;
    return nullptr;
  };
  const help_entry* entry = find(t == ":q" ? ":quit" : t);
  if (!entry && !t.empty() && t.front() != ':') entry = find(":" + t);
  if (entry) {
    fmt::print(out_, "usage: {}\n{}example: {}\n", entry->usage, indented(entry->what, "  "),
               entry->example);
    const auto properties = [&](const auto& table) {
      for (const auto& p : table)
        fmt::print(out_, "  {:<16} {:<14} {}\n", p.name, p.dim == dims::none ? "" : units_of(p.dim),
                   p.what);
    };
    if (t == "neuron" || t == "receptor") fmt::print(out_, "properties:\n");
    if (t == "neuron") {
      properties(neuron_properties());
      properties(ion_properties());
    }
    if (t == "receptor") properties(receptor_properties());
    return true;
  }
  const auto list_commands = [&] {
    // The first line of each, as a summary.
    for (const command_entry& c : command_help())
      fmt::print(out_, "  {:<32} {}\n", c.help.usage, first_line(c.help.what));
  };
  if (t == "units") {
    fmt::print(out_, "units (every value carries one):\n");
    for (const unit_def& u : unit_table())
      fmt::print(out_, "  {:<6} {}\n", u.name, dimension_name(u.dim));
  } else if (t == "commands") {
    list_commands();
  } else if (t == "statements") {
    fmt::print(out_, "statements (as in a .syn file; docs/language.md):\n");
    for (const help_entry& e : statement_help()) fmt::print(out_, "  {}\n", e.usage);
  } else if (t.empty()) {
    fmt::print(out_,
               "Type statements of the language, as in a .syn file; `run 10 ms` continues "
               "from the present.\nCommands:\n");
    list_commands();
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
