#include "tools/graph_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "diagnostics/printable_text.hpp"
#include "files/whole_file.hpp"

extern char** environ;

namespace syn::dsl {

namespace {

// All of `text` to `fd`; false with errno set when a write fails.
bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    const ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::optional<std::filesystem::path> find_dot() {
  std::string folders;
  if (const char* path = std::getenv("PATH")) {
    folders = path;
  } else {
    folders.resize(::confstr(_CS_PATH, nullptr, 0));
    ::confstr(_CS_PATH, folders.data(), folders.size());
    folders.resize(std::strlen(folders.c_str()));
  }
  std::size_t start = 0;
  while (start <= folders.size()) {
    const std::size_t end = std::min(folders.find(':', start), folders.size());
    // An empty folder in PATH is the current one.
    const std::string folder = end == start ? "." : folders.substr(start, end - start);
    const std::filesystem::path candidate = std::filesystem::path(folder) / "dot";
    struct stat st {};
    if (::stat(candidate.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        ::access(candidate.c_str(), X_OK) == 0)
      return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

bool write_dot_file(std::string_view text, const std::filesystem::path& path, std::string& error) {
  return write_whole_file(path, text, error);
}

bool write_svg_file(const std::filesystem::path& dot_program, std::string_view text,
                    const std::filesystem::path& path, std::string& error) {
  return write_whole_file(path, error, [&](const std::filesystem::path& graph) {
    // The graph goes to dot's standard input through a pipe: nothing on disk but the SVG.
    int pipe_fds[2];
    if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
      error = fmt::format("cannot run Graphviz's dot: {}", std::strerror(errno));
      return false;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[0], STDIN_FILENO);
    const std::string output = "-o" + std::filesystem::absolute(graph).string();
    std::string program = dot_program.string();
    std::string format = "-Tsvg";
    std::vector<char*> argv{program.data(), format.data(), const_cast<char*>(output.c_str()),
                            nullptr};
    pid_t pid = 0;
    const int spawned =
        ::posix_spawn(&pid, program.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    ::close(pipe_fds[0]);
    if (spawned != 0) {
      ::close(pipe_fds[1]);
      error = fmt::format("cannot run Graphviz's dot ('{}'): {}", printable(program),
                          std::strerror(spawned));
      return false;
    }
    // A dot that stops reading early fails below: its SIGPIPE must not end syn, and the EPIPE
    // says nothing more.
    struct sigaction ignore {
    }, before{};
    ignore.sa_handler = SIG_IGN;
    ::sigaction(SIGPIPE, &ignore, &before);
    write_all(pipe_fds[1], text);
    ::close(pipe_fds[1]);
    ::sigaction(SIGPIPE, &before, nullptr);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
      error = WIFEXITED(status)
                  ? fmt::format("Graphviz's dot failed (exit status {}); nothing was written",
                                WEXITSTATUS(status))
                  : fmt::format("Graphviz's dot was killed by signal {}; nothing was written",
                                WTERMSIG(status));
      return false;
    }
    struct stat st {};
    if (::stat(graph.c_str(), &st) != 0 || st.st_size == 0) {
      error = "Graphviz's dot wrote no SVG; nothing was written";
      return false;
    }
    return true;
  });
}

}  // namespace syn::dsl
