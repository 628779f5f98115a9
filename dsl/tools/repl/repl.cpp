#include "tools/repl/repl.hpp"

#include <editline/readline.h>
#include <fmt/format.h>
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "tools/repl/session.hpp"

namespace syn::dsl {

namespace {

session* active = nullptr;  // for the signal handler and libedit's callbacks

extern "C" void on_interrupt(int) {
  if (active) active->interrupt = 1;
}

// Completion: the session's words that start with what was typed.
std::vector<std::string> candidates;

extern "C" char* next_candidate(const char* text, int state) {
  static std::size_t index = 0;
  if (state == 0) {
    index = 0;
    candidates = active->completions(text);
  }
  return index < candidates.size() ? strdup(candidates[index++].c_str()) : nullptr;
}

extern "C" char** complete(const char* text, int, int) {
  rl_attempted_completion_over = 1;  // no file-name completion
  return rl_completion_matches(text, next_candidate);
}

// The history file; none when the path names something other than a regular file: libedit
// would block on a FIFO and read a device for ever.
std::string history_file() {
  std::string path;
  if (const char* file = std::getenv("SYN_HISTORY")) {
    path = file;
  } else if (const char* home = std::getenv("HOME")) {
    path = (std::filesystem::path(home) / ".syn_history").string();
  }
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (path.empty() ||
      (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status)))
    return {};
  return path;
}

// One input, over several lines while a block or a list is open and each next line may continue
// it; false at the end. A line that cannot is kept in `held`, to start the next input.
bool read_input(bool terminal, std::string& input, std::optional<std::string>& held) {
  input.clear();
  for (;;) {
    std::string line;
    if (held) {
      line = std::move(*held);
      held.reset();
    } else if (terminal) {
      active->interrupt = 0;
      char* raw = readline(input.empty() ? "syn> " : "...> ");
      if (!raw) {
        if (!active->interrupt) return !input.empty();
        // Ctrl-C at the prompt drops the line being typed.
        fmt::print("\n");
        input.clear();
        continue;
      }
      line = raw;
      std::free(raw);
    } else if (!std::getline(std::cin, line)) {
      return !input.empty();
    }
    if (!input.empty() && !session::continues(line)) {
      held = std::move(line);
      return true;
    }
    input += input.empty() ? line : "\n" + line;
    if (!session::incomplete(input)) return true;
  }
}

}  // namespace

int run_repl(const library_path& path, const std::string& model) {
  const bool terminal = isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  session s(path, stdout, stderr, terminal && isatty(STDERR_FILENO) && !std::getenv("NO_COLOR"));
  active = &s;
  struct sigaction action {};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  sigaction(SIGINT, &action, nullptr);

  const std::string history = terminal ? history_file() : std::string();
  if (terminal) {
    fmt::print("syn {}: type statements, `run 10 ms`, or :help\n", SYN_VERSION);
    rl_readline_name = "syn";
    rl_attempted_completion_function = complete;
    stifle_history(1000);
    if (!history.empty()) read_history(history.c_str());
  }
  bool failed = false;
  if (!model.empty()) failed |= !s.execute(":load " + model);
  std::fflush(stdout);
  std::string input;
  std::optional<std::string> held;
  while (!s.finished() && read_input(terminal, input, held)) {
    if (terminal && !input.empty()) add_history(session::history_entry(input).c_str());
    failed |= !s.execute(input);
    std::fflush(stdout);
    std::fflush(stderr);
  }
  if (terminal && !history.empty()) write_history(history.c_str());
  active = nullptr;
  return !terminal && failed ? 1 : 0;
}

}  // namespace syn::dsl
