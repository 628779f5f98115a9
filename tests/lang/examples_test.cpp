// Every examples/*.syn runs cleanly and writes something: an example that rots fails here, and a
// new example is tested without being listed anywhere.

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

class example : public ::testing::TestWithParam<std::string> {};

TEST_P(example, runs_and_writes_non_empty_outputs) {
  temp_dir tmp;
  const fs::path model = fs::path(SYN_EXAMPLES) / GetParam();
  const syn_result r =
      run_syn({"run", model.string(), "--out", (tmp / "out").string()}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_TRUE(fs::is_directory(tmp / "out")) << "nothing written\n" << r.err;
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(tmp / "out")) {
    ++files;
    // A header and at least one row.
    EXPECT_GE(split_lines(read_file(entry.path())).size(), 2u) << entry.path();
  }
  EXPECT_GT(files, 0u);
}

INSTANTIATE_TEST_SUITE_P(examples, example, ::testing::ValuesIn(syn_files_in(SYN_EXAMPLES)),
                         [](const auto& p) { return test_name_of(p.param); });

}  // namespace
}  // namespace syn::test
