#pragma once

// Runs the built `syn` binary as a user would, and reads back what it wrote. Shared by the case
// runner (lang_test.cpp), the command-line tests, the examples test and the docs' examples.

#include <sys/resource.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "test_files.hpp"

namespace syn::test {

struct syn_result {
  int exit_code = -1;  // 128 + N when killed by signal N, as a shell reports it
  std::string out;
  std::string err;
  long max_rss_kib = 0;  // the child's peak resident memory
};

struct process_options {
  std::filesystem::path cwd;              // this process's folder when empty
  std::string input;                      // standard input
  bool merge = false;                     // standard error where standard output goes
  std::optional<rlim_t> file_size_limit;  // bytes a file may reach (ulimit -f)
  bool reader_gone = false;  // standard output a pipe whose reader has gone (`| head`), standard
                             // error too when merged (`2>&1 | head`)
  unsigned time_limit_seconds = 0;        // when not 0, killed by SIGALRM after that long
};

// A `syn` left running, for tests that act while it runs: signal it, start another beside it.
// The destructor kills and reaps one not waited for.
class syn_process {
 public:
  syn_process(const std::string& binary, const std::vector<std::string>& args,
              const process_options& options);
  ~syn_process();
  syn_process(const syn_process&) = delete;
  syn_process& operator=(const syn_process&) = delete;

  void signal(int number);
  syn_result wait();

 private:
  struct files;
  std::unique_ptr<files> files_;
  pid_t pid_ = 0;
};

// Runs `syn ARGS...` in folder `cwd` (this process's folder when empty), standard input empty,
// standard output and standard error captured separately.
syn_result run_syn(const std::vector<std::string>& args, const std::filesystem::path& cwd = {});
// The same with another `syn`, such as an installed copy, and with `input` on standard input.
syn_result run_syn_with_input(const std::string& binary, const std::vector<std::string>& args,
                              std::string_view input, const std::filesystem::path& cwd = {});
// `syn ARGS...` with `input` on standard input and standard error written where standard output
// goes, as a terminal shows them: `out` holds both, `err` nothing.
syn_result run_syn_merged(const std::vector<std::string>& args, std::string_view input,
                          const std::filesystem::path& cwd = {});
// `syn ARGS...` with `input`, killed by SIGALRM (exit code 142) unless it ends within `seconds`:
// for inputs that could make it hang.
syn_result run_syn_bounded(const std::vector<std::string>& args, std::string_view input,
                           unsigned seconds, const std::filesystem::path& cwd = {});
syn_result run_syn_binary(const std::string& binary, const std::vector<std::string>& args,
                          const std::filesystem::path& cwd = {});

// Lines without their '\n'; a last line without one counts, an empty text has none.
std::vector<std::string> split_lines(std::string_view text);
std::vector<std::string> split(std::string_view text, char separator);

// The names of the .syn files in `dir` (not its subfolders), sorted.
std::vector<std::string> syn_files_in(const std::filesystem::path& dir);

// A path as a GoogleTest name: its extension dropped, every other non-alphanumeric as '_'.
std::string test_name_of(const std::filesystem::path& path);

}  // namespace syn::test
