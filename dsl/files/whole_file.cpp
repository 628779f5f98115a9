#include "files/whole_file.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "diagnostics/printable_text.hpp"
#include "run/signal_cleanup.hpp"

namespace syn::dsl {
namespace {

std::string cannot_write(const std::filesystem::path& path, int error_number) {
  return fmt::format("cannot write '{}': {}", printable(path.string()),
                     std::strerror(error_number));
}

}  // namespace

bool write_whole_file(const std::filesystem::path& path, std::string& error,
                      const std::function<bool(const std::filesystem::path&)>& fill) {
  const std::filesystem::path dir = path.parent_path().empty() ? "." : path.parent_path();
  // A folder of its own, made with a name no other holds: a temporary that a killed writer left
  // never stands in the way.
  std::string name = (dir / ".syn-write-XXXXXX").string();
  if (!::mkdtemp(name.data())) {
    error = cannot_write(path, errno);
    return false;
  }
  const std::filesystem::path temporary = name;
  const std::filesystem::path file = temporary / "file";
  const bool watched = signal_cleanup::watch(temporary);
  bool ok = fill(file);
  if (ok) {
    const signal_cleanup::held hold;
    if (std::rename(file.c_str(), path.c_str()) != 0) {
      error = cannot_write(path, errno);
      ok = false;
    }
  }
  std::error_code ec;
  std::filesystem::remove_all(temporary, ec);
  if (watched) signal_cleanup::unwatch();
  return ok;
}

bool write_whole_file(const std::filesystem::path& path, std::string_view text,
                      std::string& error) {
  return write_whole_file(path, error, [&](const std::filesystem::path& file) {
    std::FILE* out = std::fopen(file.c_str(), "wbx");
    if (!out) {
      error = cannot_write(path, errno);
      return false;
    }
    const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
    const int write_errno = errno;
    if (std::fclose(out) != 0 || !written) {
      error = cannot_write(path, written ? errno : write_errno);
      return false;
    }
    return true;
  });
}

}  // namespace syn::dsl
