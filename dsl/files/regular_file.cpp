#include "files/regular_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace syn::dsl {

namespace {

// Closes the descriptor on every way out.
struct descriptor {
  int fd;
  ~descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

std::string size_text(std::uint64_t bytes) {
  if (bytes % gibibyte == 0) return fmt::format("{} GiB", bytes / gibibyte);
  if (bytes % mebibyte == 0) return fmt::format("{} MiB", bytes / mebibyte);
  return fmt::format("{} bytes", bytes);
}

}  // namespace

std::FILE* open_regular_file(const std::string& path, std::string& why) {
  descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  struct stat status {};
  if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
    why = std::strerror(errno);
    return nullptr;
  }
  if (!S_ISREG(status.st_mode)) {
    why = fmt::format("it is {}, not a regular file", kind_of(status.st_mode));
    return nullptr;
  }
  std::FILE* f = ::fdopen(file.fd, "rb");
  if (!f) {
    why = std::strerror(errno);
    return nullptr;
  }
  file.fd = -1;  // the stream owns it now
  return f;
}

std::optional<std::string> read_regular_file(const std::string& path, std::uint64_t limit,
                                             std::string& why) {
  const descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY)};
  struct stat status {};
  if (file.fd < 0 || ::fstat(file.fd, &status) != 0) {
    why = std::strerror(errno);
    return std::nullopt;
  }
  if (!S_ISREG(status.st_mode)) {
    why = fmt::format("it is {}, not a regular file", kind_of(status.st_mode));
    return std::nullopt;
  }
  const auto too_large = [&] {
    why = fmt::format("it is larger than the limit of {}", size_text(limit));
    return std::nullopt;
  };
  if (static_cast<std::uint64_t>(status.st_size) > limit) return too_large();
  std::string text;
  text.reserve(static_cast<std::size_t>(status.st_size));
  char chunk[1 << 16];
  for (;;) {
    const ssize_t got = ::read(file.fd, chunk, sizeof chunk);
    if (got == 0) return text;
    if (got < 0) {
      if (errno == EINTR) continue;
      why = std::strerror(errno);
      return std::nullopt;
    }
    if (text.size() + static_cast<std::uint64_t>(got) > limit) return too_large();
    text.append(chunk, static_cast<std::size_t>(got));
  }
}

}  // namespace syn::dsl
