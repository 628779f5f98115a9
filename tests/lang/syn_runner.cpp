#include "syn_runner.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace syn::test {

namespace {

using file_ptr = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

std::string read_all(std::FILE* f) {
  std::rewind(f);
  std::string text;
  char chunk[1 << 14];
  std::size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) text.append(chunk, got);
  return text;
}

}  // namespace

struct syn_process::files {
  file_ptr out{std::tmpfile(), std::fclose};
  file_ptr err{std::tmpfile(), std::fclose};
  file_ptr in{std::tmpfile(), std::fclose};
};

syn_process::syn_process(const std::string& binary, const std::vector<std::string>& args,
                         const process_options& options)
    : files_(std::make_unique<files>()) {
  // Everything the child needs is prepared before fork: after it, only async-signal-safe calls.
  std::vector<std::string> words{binary};
  words.insert(words.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& w : words) argv.push_back(w.data());
  argv.push_back(nullptr);
  const std::string folder = options.cwd.string();
  // Unnamed temporary files rather than pipes: a chatty child cannot block on a full pipe.
  std::FILE* const in = files_->in.get();
  if (!files_->out || !files_->err || !in)
    throw std::runtime_error("cannot set up the child's files");
  const std::string_view input = options.input;
  // An empty view's data() may be null, which fwrite may not be given.
  if ((!input.empty() && std::fwrite(input.data(), 1, input.size(), in) != input.size()) ||
      std::fflush(in) != 0)
    throw std::runtime_error("cannot write the child's input");
  std::rewind(in);
  rlimit file_size{};
  if (options.file_size_limit) file_size.rlim_cur = file_size.rlim_max = *options.file_size_limit;

  // A pipe whose reading end is closed before the child exists: closed only after the fork, a
  // child that wrote before the parent got there would find its reader still open.
  int gone[2] = {-1, -1};
  if (options.reader_gone) {
    if (::pipe(gone) != 0) throw std::runtime_error("cannot make a pipe");
    ::close(gone[0]);
    gone[0] = -1;
  }
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(fileno(in), 0);
    ::dup2(fileno(files_->out.get()), 1);
    ::dup2(fileno(options.merge ? files_->out.get() : files_->err.get()), 2);
    if (!folder.empty() && ::chdir(folder.c_str()) != 0) ::_exit(126);
    if (options.file_size_limit) ::setrlimit(RLIMIT_FSIZE, &file_size);
    if (options.reader_gone) {
      ::dup2(gone[1], 1);
      if (options.merge) ::dup2(gone[1], 2);
      ::close(gone[1]);
    }
    if (options.time_limit_seconds > 0) ::alarm(options.time_limit_seconds);  // kept across execv
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  for (const int fd : gone)
    if (fd >= 0) ::close(fd);
  if (pid_ < 0) throw std::runtime_error("fork failed");
}

syn_process::~syn_process() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGKILL);
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
}

void syn_process::signal(int number) { ::kill(pid_, number); }

syn_result syn_process::wait() {
  int status = 0;
  rusage usage{};
  while (::wait4(pid_, &status, 0, &usage) < 0) {
    if (errno != EINTR) throw std::runtime_error("wait4 failed");
  }
  pid_ = 0;
  syn_result r;
  r.exit_code = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  r.out = read_all(files_->out.get());
  r.err = read_all(files_->err.get());
  r.max_rss_kib = usage.ru_maxrss;
  return r;
}

namespace {

syn_result run_child(const std::string& binary, const std::vector<std::string>& args,
                     std::string_view input, const std::filesystem::path& cwd, bool merge) {
  process_options options;
  options.cwd = cwd;
  options.input = input;
  options.merge = merge;
  return syn_process(binary, args, options).wait();
}

}  // namespace

syn_result run_syn(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  return run_syn_binary(SYN_BINARY, args, cwd);
}

syn_result run_syn_binary(const std::string& binary, const std::vector<std::string>& args,
                          const std::filesystem::path& cwd) {
  return run_syn_with_input(binary, args, {}, cwd);
}

syn_result run_syn_with_input(const std::string& binary, const std::vector<std::string>& args,
                              std::string_view input, const std::filesystem::path& cwd) {
  return run_child(binary, args, input, cwd, false);
}

syn_result run_syn_merged(const std::vector<std::string>& args, std::string_view input,
                          const std::filesystem::path& cwd) {
  return run_child(SYN_BINARY, args, input, cwd, true);
}

syn_result run_syn_bounded(const std::vector<std::string>& args, std::string_view input,
                           unsigned seconds, const std::filesystem::path& cwd) {
  process_options options;
  options.cwd = cwd;
  options.input = input;
  options.time_limit_seconds = seconds;
  return syn_process(SYN_BINARY, args, options).wait();
}

std::vector<std::string> split_lines(std::string_view text) {
  std::vector<std::string> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.emplace_back(text.substr(0, end));
    text.remove_prefix(end == std::string_view::npos ? text.size() : end + 1);
  }
  return lines;
}

std::vector<std::string> split(std::string_view text, char separator) {
  std::vector<std::string> parts;
  while (true) {
    const std::size_t at = text.find(separator);
    parts.emplace_back(text.substr(0, at));
    if (at == std::string_view::npos) return parts;
    text.remove_prefix(at + 1);
  }
}

std::string test_name_of(const std::filesystem::path& path) {
  std::string name = std::filesystem::path(path).replace_extension().generic_string();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(static_cast<unsigned char>(c)); },
      '_');
  return name;
}

std::vector<std::string> syn_files_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir))
    if (entry.is_regular_file() && entry.path().extension() == ".syn")
      names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace syn::test
