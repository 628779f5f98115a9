#pragma once

// The REPL's :help table: one entry per statement and per command. The commands' words, and
// which of them the session runs for each, come from it, so a command has its help and its
// dispatch in one row.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace syn::dsl {

struct help_entry {
  const char* topic;  // a statement's keyword, or a command as typed
  const char* usage;
  const char* what;
  const char* example;
};

// What a command does; session::run_command has a case for each.
enum class command_kind {
  show,
  print,
  spikes,
  plot,
  time,
  step,
  queue,
  reset,
  clear,
  load,
  reload,
  save,
  help,
  quit
};

struct command_entry {
  command_kind kind;
  help_entry help;
};

std::span<const help_entry> statement_help();
// In the order :help lists them.
std::span<const command_entry> command_help();
// The commands as typed, in the order :help lists them; :q is :quit's short form.
const std::vector<std::string>& command_list();
// The command `word` names as typed (`show`, `:load`, `:q`); nullopt for any other word.
std::optional<command_kind> command_named(std::string_view word);

}  // namespace syn::dsl
