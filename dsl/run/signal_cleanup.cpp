#include "run/signal_cleanup.hpp"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <string>

namespace syn::dsl::signal_cleanup {
namespace {

// A plain string for the handler, which may only make async-signal-safe calls.
struct watched_path {
  std::array<char, 4096> path{};
  volatile std::sig_atomic_t set = 0;
};
watched_path watched;

constexpr std::array<int, 3> cleanup_signals{SIGINT, SIGTERM, SIGHUP};
std::array<struct sigaction, cleanup_signals.size()> previous{};
std::array<bool, cleanup_signals.size()> installed{};

// What getdents64 fills its buffer with.
struct directory_entry {
  std::uint64_t inode;
  std::int64_t offset;
  unsigned short size;
  unsigned char type;
  char name[1];
};

bool is_dot_or_dot_dot(const char* name) {
  return name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0'));
}

// `name` in the folder `parent` removed, a folder with everything in it, through system calls
// alone (readdir may allocate): the temporary folder holds a sweep's run folders, each with its
// own temporary folder, a few levels deep at most.
void remove_tree(int parent, const char* name, int depth) {
  if (::unlinkat(parent, name, 0) == 0 || depth == 0) return;
  const int fd = ::openat(parent, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return;
  alignas(8) char buffer[4096];
  // Read again from the start after each pass that removed something: removing entries while
  // reading may hide others from the same pass.
  for (bool removed = true; removed;) {
    removed = false;
    ::lseek(fd, 0, SEEK_SET);
    for (long n; (n = ::syscall(SYS_getdents64, fd, buffer, sizeof buffer)) > 0;)
      for (long at = 0; at < n;) {
        const auto* entry = reinterpret_cast<const directory_entry*>(buffer + at);
        at += entry->size;
        if (is_dot_or_dot_dot(entry->name)) continue;
        remove_tree(fd, entry->name, depth - 1);
        removed = true;
      }
  }
  ::close(fd);
  ::unlinkat(parent, name, AT_REMOVEDIR);
}

extern "C" void remove_and_reraise(int signal) {
  if (watched.set) remove_tree(AT_FDCWD, watched.path.data(), 8);
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

sigset_t cleanup_set() {
  sigset_t set;
  sigemptyset(&set);
  for (const int s : cleanup_signals) sigaddset(&set, s);
  return set;
}

}  // namespace

bool watch(const std::filesystem::path& folder) {
  const std::string& text = folder.native();
  if (watched.set || text.size() >= watched.path.size()) return false;
  std::memcpy(watched.path.data(), text.c_str(), text.size() + 1);
  // The handler must see the path whole before it takes it.
  std::atomic_signal_fence(std::memory_order_release);
  watched.set = 1;
  struct sigaction action {};
  action.sa_handler = remove_and_reraise;
  sigemptyset(&action.sa_mask);
  for (std::size_t i = 0; i < cleanup_signals.size(); ++i) {
    sigaction(cleanup_signals[i], nullptr, &previous[i]);
    installed[i] = previous[i].sa_handler != SIG_IGN;
    if (installed[i]) sigaction(cleanup_signals[i], &action, nullptr);
  }
  return true;
}

void unwatch() {
  if (!watched.set) return;
  for (std::size_t i = 0; i < cleanup_signals.size(); ++i)
    if (installed[i]) sigaction(cleanup_signals[i], &previous[i], nullptr);
  installed = {};
  watched.set = 0;
}

held::held() {
  const sigset_t set = cleanup_set();
  sigprocmask(SIG_BLOCK, &set, &before_);
}

held::~held() { sigprocmask(SIG_SETMASK, &before_, nullptr); }

}  // namespace syn::dsl::signal_cleanup
