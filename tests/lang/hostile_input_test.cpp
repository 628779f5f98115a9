// Input that could hang `syn` or fill its memory, run as a user runs it: FIFOs and devices
// where files are expected. Each run is bounded in time, so that a hang fails its test.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

constexpr unsigned bound_seconds = 20;

fs::path make_fifo(const temp_dir& dir, const std::string& name) {
  const fs::path path = dir / name;
  fs::create_directories(path.parent_path());
  if (::mkfifo(path.c_str(), 0600) != 0) throw std::runtime_error("mkfifo " + path.string());
  return path;
}

TEST(hostile_input, a_fifo_is_refused_wherever_a_file_is_read) {
  const temp_dir dir;
  make_fifo(dir, "fifo.syn");
  make_fifo(dir, "fifo.csv");
  make_fifo(dir, "lib/cells.syn");
  write_file(dir / "train.syn", "train t = file \"fifo.csv\"\n");
  write_file(dir / "by_file.syn", "import \"fifo.syn\" as f\n");
  write_file(dir / "by_name.syn", "import lib.cells\n");
  // Each prints `WHERE: error: WHAT: it is a FIFO, not a regular file` first.
  const struct {
    std::vector<std::string> args;
    std::string input;
    int exit_code;
    std::string where;
    std::string what;
  } cases[] = {
      {{"check", "fifo.syn"}, "", 2, "syn", "cannot read 'fifo.syn'"},
      {{"run", "fifo.syn"}, "", 2, "syn", "cannot read 'fifo.syn'"},
      {{"check", "train.syn"}, "", 1, "train.syn:1:16", "cannot read spikes from 'fifo.csv'"},
      {{"check", "by_file.syn"}, "", 1, "by_file.syn:1:9", "cannot read library 'fifo.syn'"},
      {{"check", "by_name.syn"}, "", 1, "by_name.syn:1:8", "cannot read library 'lib/cells.syn'"},
      {{"doc", "fifo.syn"}, "", 1, "syn", "cannot read 'fifo.syn'"},
      {{"repl"}, ":load fifo.syn\n", 1, "<input>:1:1", "cannot read 'fifo.syn'"},
      {{"repl", "fifo.syn"}, "", 1, "<input>:1:1", "cannot read 'fifo.syn'"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(fmt::format("syn {} <<< {}", fmt::join(c.args, " "), c.input));
    const syn_result r = run_syn_bounded(c.args, c.input, bound_seconds, dir.path());
    EXPECT_EQ(r.exit_code, c.exit_code) << r.err;
    EXPECT_EQ(split_lines(r.err).at(0),
              fmt::format("{}: error: {}: it is a FIFO, not a regular file", c.where, c.what));
  }
}

TEST(hostile_input, a_device_is_refused_before_it_is_read) {
  const temp_dir dir;
  const syn_result r = run_syn_bounded({"check", "/dev/zero"}, "", bound_seconds, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err,
            "syn: error: cannot read '/dev/zero': it is a character device, not a regular "
            "file\n");
}

}  // namespace
}  // namespace syn::test
