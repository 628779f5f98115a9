#include "run/output_folder.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>
#include <utility>

#include "files/print_text.hpp"
#include "files/regular_file.hpp"
#include "run/signal_cleanup.hpp"

namespace syn::dsl {
namespace {

constexpr std::string_view temporary_prefix = ".syn-run-";
constexpr std::size_t temporary_name_size = temporary_prefix.size() + 6;  // mkdtemp's XXXXXX

std::string why(int error) { return std::strerror(error); }

// A lock that a second run meets, or -1 where the file system has none (some network and FUSE
// file systems): runs into one folder are then the user's to keep apart, as before locks.
int lock(const std::filesystem::path& dir, std::string& error) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    const int e = errno;
    error = fmt::format("cannot open the output folder '{}': {}", dir.string(), why(e));
    return -2;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0) return fd;
  const int e = errno;
  ::close(fd);
  if (e == ENOLCK || e == EOPNOTSUPP) return -1;
  error = e == EWOULDBLOCK
              ? fmt::format(
                    "another syn run is writing into '{}'; wait for it to end or choose "
                    "another folder with --out",
                    dir.string())
              : fmt::format("cannot lock the output folder '{}': {}", dir.string(), why(e));
  return -2;
}

// Under the lock no other run is writing here: a temporary folder is a killed run's.
void remove_leftovers(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::directory_iterator it(dir, ec);
  for (; !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() == temporary_name_size && name.starts_with(temporary_prefix) &&
        it->symlink_status(ec).type() == std::filesystem::file_type::directory)
      std::filesystem::remove_all(it->path(), ec);
  }
}

constexpr std::string_view manifest = ".syn-outputs";

// The outputs an earlier run listed: plain names only, so that a doctored list removes nothing
// outside the folder, nor the temporary folders.
std::vector<std::string> listed_outputs(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  std::string why;
  const std::optional<std::string> text =
      read_regular_file((dir / manifest).string(), mebibyte, why);
  if (!text) return names;
  for (std::size_t start = 0; start < text->size();) {
    const std::size_t end = std::min(text->find('\n', start), text->size());
    std::string name = text->substr(start, end - start);
    start = end + 1;
    if (name.empty() || name.starts_with('.') || name.find('/') != std::string::npos ||
        name.size() > 255)
      continue;
    names.push_back(std::move(name));
  }
  return names;
}

}  // namespace

std::optional<output_folder> output_folder::open(const std::filesystem::path& dir,
                                                 std::vector<std::string> outputs,
                                                 std::string& error) {
  return open(dir, std::move(outputs), false, error);
}

std::optional<output_folder> output_folder::open_to_add(const std::filesystem::path& dir,
                                                        std::vector<std::string> outputs,
                                                        std::string& error) {
  return open(dir, std::move(outputs), true, error);
}

std::optional<output_folder> output_folder::open(const std::filesystem::path& dir,
                                                 std::vector<std::string> outputs, bool adding,
                                                 std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = fmt::format("cannot create the output folder '{}': {}", dir.string(), ec.message());
    return std::nullopt;
  }
  // What commit could not replace is refused now, not after the run.
  for (const std::string_view name : outputs) {
    const std::filesystem::path target = dir / name;
    if (std::filesystem::is_directory(std::filesystem::symlink_status(target, ec))) {
      error = fmt::format("cannot write '{}': {}", target.string(), why(EISDIR));
      return std::nullopt;
    }
  }
  const int fd = lock(dir, error);
  if (fd == -2) return std::nullopt;
  remove_leftovers(dir);
  std::vector<std::string> kept;
  for (std::string& name : listed_outputs(dir)) {
    if (std::find(outputs.begin(), outputs.end(), name) != outputs.end()) continue;
    (adding ? kept : outputs).push_back(std::move(name));
  }
  std::string pattern = (dir / fmt::format("{}XXXXXX", temporary_prefix)).native();
  if (!::mkdtemp(pattern.data())) {
    const int e = errno;
    if (fd >= 0) ::close(fd);
    error = fmt::format("cannot write into the output folder '{}': {}", dir.string(), why(e));
    return std::nullopt;
  }
  const bool watched = signal_cleanup::watch(pattern);
  return output_folder(dir, std::move(outputs), std::move(kept), fd, pattern, watched);
}

output_folder::output_folder(std::filesystem::path dir, std::vector<std::string> outputs,
                             std::vector<std::string> kept, int lock_fd,
                             std::filesystem::path temporary, bool watched)
    : dir_(std::move(dir)),
      outputs_(std::move(outputs)),
      kept_(std::move(kept)),
      lock_fd_(lock_fd),
      temporary_(std::move(temporary)),
      watched_(watched) {}

output_folder::output_folder(output_folder&& other) noexcept
    : dir_(std::move(other.dir_)),
      outputs_(std::move(other.outputs_)),
      kept_(std::move(other.kept_)),
      lock_fd_(std::exchange(other.lock_fd_, -1)),
      temporary_(std::move(other.temporary_)),
      watched_(std::exchange(other.watched_, false)),
      created_(std::move(other.created_)) {
  other.temporary_.clear();
}

output_folder::~output_folder() { discard(); }

void output_folder::discard() {
  if (watched_) signal_cleanup::unwatch();
  watched_ = false;
  if (!temporary_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(temporary_, ec);
    temporary_.clear();
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

std::FILE* output_folder::create(const std::string& name, std::string& error) {
  const std::filesystem::path path = temporary_ / name;
  // "x": the file is new; the temporary folder is this run's alone (mode 0700).
  std::FILE* f = std::fopen(path.c_str(), "wbx");
  if (!f) {
    const int e = errno;
    error = fmt::format("cannot write '{}': {}", (dir_ / name).string(), why(e));
    return nullptr;
  }
  created_.push_back(name);
  return f;
}

std::optional<std::filesystem::path> output_folder::create_folder(const std::string& name,
                                                                  std::string& error) {
  const std::filesystem::path path = temporary_ / name;
  if (::mkdir(path.c_str(), 0777) != 0) {
    const int e = errno;
    error = fmt::format("cannot write '{}': {}", (dir_ / name).string(), why(e));
    return std::nullopt;
  }
  created_.push_back(name);
  if (std::find(outputs_.begin(), outputs_.end(), name) == outputs_.end()) outputs_.push_back(name);
  return path;
}

bool output_folder::write(const std::string& name, std::string_view text, std::string& error) {
  std::FILE* out = create(name, error);
  if (!out) return false;
  const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  const int write_errno = errno;
  if (std::fclose(out) != 0 || !written) {
    error = fmt::format("cannot write '{}': {}", (dir_ / name).string(),
                        why(written ? errno : write_errno));
    return false;
  }
  return true;
}

bool output_folder::write_manifest(std::string& error) {
  std::vector<std::string> names = kept_;
  names.insert(names.end(), created_.begin(), created_.end());
  std::FILE* out = create(std::string(manifest), error);
  if (!out) return false;
  for (const std::string& name : names) print_text(out, "{}\n", name);
  const bool failed = std::ferror(out) != 0;
  if (std::fclose(out) != 0 || failed) {
    error = fmt::format("cannot write '{}': {}", (dir_ / manifest).string(), why(errno));
    return false;
  }
  return true;
}

bool output_folder::commit(std::string& error) {
  // Every earlier output goes before any new one comes in, and no signal cuts this short: the
  // folder never holds a mixture of two runs.
  if (!write_manifest(error)) return false;
  const signal_cleanup::held signals;
  for (const std::string& name : outputs_) {
    const std::filesystem::path old = dir_ / name;
    std::error_code ec;
    if (std::filesystem::is_directory(std::filesystem::symlink_status(old, ec))) {
      // A folder that is not a run's results is the user's: kept, and one in the way of a new
      // folder fails its move below.
      if (!std::filesystem::exists(old / manifest, ec)) continue;
      std::filesystem::remove_all(old, ec);
      if (ec) {
        error = fmt::format("cannot write '{}': {}", old.string(), ec.message());
        return false;
      }
      continue;
    }
    if (::unlink(old.c_str()) != 0 && errno != ENOENT) {
      const int e = errno;
      error = fmt::format("cannot write '{}': {}", old.string(), why(e));
      return false;
    }
  }
  for (const std::string& name : created_) {
    const std::filesystem::path target = dir_ / name;
    if (::rename((temporary_ / name).c_str(), target.c_str()) != 0) {
      const int e = errno;
      error = fmt::format("cannot write '{}': {}", target.string(), why(e));
      return false;
    }
  }
  created_.clear();
  discard();
  return true;
}

}  // namespace syn::dsl
