// The one writer of a file at a path a user names: whole or not at all, and nothing of its own
// left beside the file. A temporary that an earlier, killed writer left does not stand in the
// way (the REPL's plot once failed with "File exists" on its own `.tmp-PID`).
#include "files/whole_file.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "test_files.hpp"

namespace syn::dsl {
namespace {

using test::read_file;
using test::temp_dir;
using test::write_file;

// The names in `dir`, sorted.
std::vector<std::string> names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

TEST(whole_file, replaces_the_file_and_leaves_nothing_beside_it) {
  const temp_dir dir;
  write_file(dir / "f.svg", "old");
  std::string error;
  ASSERT_TRUE(write_whole_file(dir / "f.svg", std::string("new\0text", 8), error)) << error;
  EXPECT_EQ(read_file(dir / "f.svg"), std::string("new\0text", 8));
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"f.svg"});
}

TEST(whole_file, a_failed_fill_leaves_the_file_as_it_was) {
  const temp_dir dir;
  write_file(dir / "f.svg", "old");
  std::string error;
  EXPECT_FALSE(write_whole_file(dir / "f.svg", error, [&](const std::filesystem::path& file) {
    write_file(file, "half");
    error = "the program failed";
    return false;
  }));
  EXPECT_EQ(error, "the program failed");
  EXPECT_EQ(read_file(dir / "f.svg"), "old");
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"f.svg"});
}

TEST(whole_file, a_path_that_cannot_be_written_says_why_and_leaves_nothing) {
  const temp_dir dir;
  std::filesystem::create_directories(dir / "taken.svg");
  std::string error;
  EXPECT_FALSE(write_whole_file(dir / "missing/f.svg", "x", error));
  EXPECT_EQ(error, fmt::format("cannot write '{}': No such file or directory",
                               (dir / "missing/f.svg").string()));
  EXPECT_FALSE(write_whole_file(dir / "taken.svg", "x", error));
  EXPECT_EQ(error, fmt::format("cannot write '{}': Is a directory", (dir / "taken.svg").string()));
  EXPECT_EQ(names_in(dir.path()), std::vector<std::string>{"taken.svg"});
}

TEST(whole_file, writes_past_a_temporary_that_a_killed_writer_left) {
  const temp_dir dir;
  std::filesystem::create_directories(dir / ".syn-write-AAAAAA");
  write_file(dir / ".syn-write-AAAAAA/file", "stale");
  std::string error;
  ASSERT_TRUE(write_whole_file(dir / "f.svg", "new", error)) << error;
  EXPECT_EQ(read_file(dir / "f.svg"), "new");
}

}  // namespace
}  // namespace syn::dsl
