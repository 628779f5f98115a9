#pragma once

// Files and folders for tests: a scratch folder that cleans up after itself, whole-file reads
// and writes that throw on failure.

#include <filesystem>
#include <string>
#include <string_view>

namespace syn::test {

// A fresh folder under the test's temporary folder, removed with everything in it at the end.
class temp_dir {
 public:
  temp_dir();
  ~temp_dir();
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(std::string_view name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, std::string_view text);

}  // namespace syn::test
