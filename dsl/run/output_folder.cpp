#include "run/output_folder.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <fmt/format.h>

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <system_error>
#include <utility>

namespace syn::dsl {
namespace {

constexpr std::string_view temporary_prefix = ".syn-run-";

// The temporary folder of the run in progress and its files, as plain strings for the signal
// handler, which may only make async-signal-safe calls (unlink, rmdir, raise).
struct pending_files {
  static constexpr std::size_t most = 8;
  std::array<std::array<char, 4096>, most + 1> paths{};  // the folder first
  volatile std::sig_atomic_t count = 0;
};
pending_files pending;
constexpr std::array<int, 3> cleanup_signals{SIGINT, SIGTERM, SIGHUP};
std::array<struct sigaction, cleanup_signals.size()> previous_actions{};

extern "C" void remove_pending_and_reraise(int signal) {
  for (std::sig_atomic_t i = pending.count - 1; i >= 1; --i) ::unlink(pending.paths[i].data());
  if (pending.count > 0) ::rmdir(pending.paths[0].data());
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

bool remember(const std::filesystem::path& path) {
  const std::string& text = path.native();
  if (pending.count >= static_cast<std::sig_atomic_t>(pending.paths.size()) ||
      text.size() >= pending.paths[0].size())
    return false;
  auto& slot = pending.paths[static_cast<std::size_t>(pending.count)];
  std::memcpy(slot.data(), text.c_str(), text.size() + 1);
  pending.count = pending.count + 1;
  return true;
}

void watch_signals(const std::filesystem::path& temporary) {
  pending.count = 0;
  if (!remember(temporary)) return;
  struct sigaction action {};
  action.sa_handler = remove_pending_and_reraise;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < cleanup_signals.size(); ++i)
    sigaction(cleanup_signals[i], &action, &previous_actions[i]);
}

void unwatch_signals() {
  for (std::size_t i = 0; i < cleanup_signals.size(); ++i)
    sigaction(cleanup_signals[i], &previous_actions[i], nullptr);
  pending.count = 0;
}

std::string why(int error) { return std::strerror(error); }

}  // namespace

std::optional<output_folder> output_folder::open(const std::filesystem::path& dir,
                                                 std::string& error) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    error = fmt::format("cannot create the output folder '{}': {}", dir.string(), ec.message());
    return std::nullopt;
  }
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) {
    error = fmt::format("cannot open the output folder '{}': {}", dir.string(), why(errno));
    return std::nullopt;
  }
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int e = errno;
    ::close(fd);
    error = e == EWOULDBLOCK
                ? fmt::format("another syn run is writing into '{}'; wait for it to end or "
                              "choose another folder with --out",
                              dir.string())
                : fmt::format("cannot lock the output folder '{}': {}", dir.string(), why(e));
    return std::nullopt;
  }
  // Under the lock no other run is writing here: a temporary folder is a killed run's.
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
    if (entry.path().filename().native().starts_with(temporary_prefix) &&
        entry.is_directory(ec) && !entry.is_symlink(ec))
      std::filesystem::remove_all(entry.path(), ec);
  std::string pattern = (dir / fmt::format("{}XXXXXX", temporary_prefix)).native();
  if (!::mkdtemp(pattern.data())) {
    const int e = errno;
    ::close(fd);
    error = fmt::format("cannot write into the output folder '{}': {}", dir.string(), why(e));
    return std::nullopt;
  }
  watch_signals(pattern);
  return output_folder(dir, fd, pattern);
}

output_folder::output_folder(std::filesystem::path dir, int lock_fd,
                             std::filesystem::path temporary)
    : dir_(std::move(dir)), lock_fd_(lock_fd), temporary_(std::move(temporary)) {}

output_folder::output_folder(output_folder&& other) noexcept
    : dir_(std::move(other.dir_)),
      lock_fd_(std::exchange(other.lock_fd_, -1)),
      temporary_(std::move(other.temporary_)),
      created_(std::move(other.created_)) {
  other.temporary_.clear();
}

output_folder::~output_folder() { discard(); }

void output_folder::discard() {
  if (!temporary_.empty()) {
    unwatch_signals();
    std::error_code ec;
    std::filesystem::remove_all(temporary_, ec);
    temporary_.clear();
  }
  if (lock_fd_ >= 0) ::close(lock_fd_);
  lock_fd_ = -1;
}

std::FILE* output_folder::create(const std::string& name, std::string& error) {
  // What commit could not replace is refused before the run, not after it.
  const std::filesystem::path target = dir_ / name;
  std::error_code ec;
  if (std::filesystem::is_directory(std::filesystem::symlink_status(target, ec))) {
    error = fmt::format("cannot write '{}': {}", target.string(), why(EISDIR));
    return nullptr;
  }
  const std::filesystem::path path = temporary_ / name;
  // "x": the file is new; the temporary folder is this run's alone (mode 0700).
  std::FILE* f = std::fopen(path.c_str(), "wbx");
  if (!f) {
    error = fmt::format("cannot write '{}': {}", target.string(), why(errno));
    return nullptr;
  }
  remember(path);
  created_.push_back(name);
  return f;
}

bool output_folder::commit(std::span<const std::string_view> outputs, std::string& error) {
  // Every earlier output goes before any new one comes in: whenever this stops, the folder
  // holds no mixture of two runs.
  for (const std::string_view name : outputs) {
    const std::filesystem::path old = dir_ / name;
    if (::unlink(old.c_str()) != 0 && errno != ENOENT) {
      error = fmt::format("cannot write '{}': {}", old.string(), why(errno));
      return false;
    }
  }
  for (const std::string& name : created_) {
    const std::filesystem::path target = dir_ / name;
    if (::rename((temporary_ / name).c_str(), target.c_str()) != 0) {
      error = fmt::format("cannot write '{}': {}", target.string(), why(errno));
      return false;
    }
  }
  created_.clear();
  discard();
  return true;
}

}  // namespace syn::dsl
