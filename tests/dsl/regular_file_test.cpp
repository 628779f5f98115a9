// The one reader of whole input files: regular files only, within a limit checked before and
// while reading. FIFOs, which could block a test that gets them wrong, are tested through the
// `syn` binary with a time bound (tests/lang/hostile_input_test.cpp).
#include "files/regular_file.hpp"

#include <gtest/gtest.h>

#include <string>

#include "test_files.hpp"

namespace syn::dsl {
namespace {

using test::temp_dir;
using test::write_file;

// Why `path` is refused with that limit; "read" when it is not.
std::string refusal(const std::string& path, std::uint64_t limit = gibibyte) {
  std::string why;
  return read_regular_file(path, limit, why) ? "read" : why;
}

TEST(regular_file, reads_every_byte) {
  const temp_dir dir;
  const std::string text("a\0b\r\n\xFF", 6);
  write_file(dir / "f", text);
  std::string why;
  EXPECT_EQ(read_regular_file((dir / "f").string(), gibibyte, why), text);
  write_file(dir / "empty", "");
  EXPECT_EQ(read_regular_file((dir / "empty").string(), gibibyte, why), "");
}

TEST(regular_file, refuses_what_is_not_a_regular_file_without_reading_it) {
  const temp_dir dir;
  EXPECT_EQ(refusal((dir / "missing").string()), "No such file or directory");
  EXPECT_EQ(refusal(dir.path().string()), "it is a folder, not a regular file");
  EXPECT_EQ(refusal("/dev/zero"), "it is a character device, not a regular file");
  EXPECT_EQ(refusal("/dev/null"), "it is a character device, not a regular file");
}

TEST(regular_file, refuses_a_file_over_its_limit_by_its_size_or_by_what_is_read) {
  const temp_dir dir;
  write_file(dir / "ten", "0123456789");
  EXPECT_EQ(refusal((dir / "ten").string(), 10), "read");
  EXPECT_EQ(refusal((dir / "ten").string(), 9), "it is larger than the limit of 9 bytes");
  // /proc reports a size of 0 and has more to read.
  EXPECT_EQ(refusal("/proc/self/status", 16), "it is larger than the limit of 16 bytes");
  EXPECT_EQ(refusal("/proc/self/status", 3 * mebibyte), "read");
}

}  // namespace
}  // namespace syn::dsl
