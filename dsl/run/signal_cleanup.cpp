#include "run/signal_cleanup.hpp"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstring>
#include <string>

namespace syn::dsl::signal_cleanup {
namespace {

// Plain strings for the handler, which may only make async-signal-safe calls (unlink, rmdir,
// signal, raise): the folder first, then its files.
struct watched_paths {
  std::array<std::array<char, 4096>, 9> paths{};
  volatile std::sig_atomic_t count = 0;
};
watched_paths watched;

constexpr std::array<int, 3> cleanup_signals{SIGINT, SIGTERM, SIGHUP};
std::array<struct sigaction, cleanup_signals.size()> previous{};
std::array<bool, cleanup_signals.size()> installed{};

extern "C" void remove_and_reraise(int signal) {
  for (std::sig_atomic_t i = watched.count - 1; i >= 1; --i) ::unlink(watched.paths[i].data());
  if (watched.count > 0) ::rmdir(watched.paths[0].data());
  ::signal(signal, SIG_DFL);
  ::raise(signal);
}

bool keep(const std::filesystem::path& path) {
  const std::string& text = path.native();
  if (watched.count >= static_cast<std::sig_atomic_t>(watched.paths.size()) ||
      text.size() >= watched.paths[0].size())
    return false;
  std::memcpy(watched.paths[static_cast<std::size_t>(watched.count)].data(), text.c_str(),
              text.size() + 1);
  // The handler must see the path whole before it counts it.
  std::atomic_signal_fence(std::memory_order_release);
  watched.count = watched.count + 1;
  return true;
}

sigset_t cleanup_set() {
  sigset_t set;
  sigemptyset(&set);
  for (const int s : cleanup_signals) sigaddset(&set, s);
  return set;
}

}  // namespace

bool watch(const std::filesystem::path& folder) {
  if (watched.count != 0 || !keep(folder)) return false;
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

void add(const std::filesystem::path& file) {
  if (watched.count != 0) keep(file);
}

void unwatch() {
  if (watched.count == 0) return;
  for (std::size_t i = 0; i < cleanup_signals.size(); ++i)
    if (installed[i]) sigaction(cleanup_signals[i], &previous[i], nullptr);
  installed = {};
  watched.count = 0;
}

held::held() {
  const sigset_t set = cleanup_set();
  sigprocmask(SIG_BLOCK, &set, &before_);
}

held::~held() { sigprocmask(SIG_SETMASK, &before_, nullptr); }

}  // namespace syn::dsl::signal_cleanup
