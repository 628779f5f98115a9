#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace syn::detail {

// A barrier for threads that meet thousands of times a second (the epochs' exchanges, a tenth
// of a millisecond of simulated time apart): a thread that waits spins a little, then yields,
// and only then sleeps, so that a short wait costs no system call; the last to arrive runs the
// completion, as std::barrier's, before any thread goes on. Threads that outnumber the cores
// sleep at once: a spinning thread would hold the core that the one it waits for needs.
class spin_barrier {
 public:
  explicit spin_barrier(std::uint32_t count)
      : count_(count), patience_(count <= std::thread::hardware_concurrency() ? 4000 : 0) {}

  template <typename F>
  void arrive_and_wait(F&& completion) {
    const std::uint32_t generation = generation_.load(std::memory_order_acquire);
    if (arrived_.fetch_add(1, std::memory_order_acq_rel) + 1 == count_) {
      completion();
      arrived_.store(0, std::memory_order_relaxed);
      generation_.store(generation + 1, std::memory_order_release);
      if (sleepers_.load(std::memory_order_acquire) > 0) generation_.notify_all();
      return;
    }
    for (int i = 0; generation_.load(std::memory_order_acquire) == generation; ++i) {
      if (i < patience_) {
        __builtin_ia32_pause();
      } else if (i < 2 * patience_) {
        std::this_thread::yield();
      } else {
        sleepers_.fetch_add(1, std::memory_order_acq_rel);
        generation_.wait(generation, std::memory_order_acquire);
        sleepers_.fetch_sub(1, std::memory_order_acq_rel);
      }
    }
  }

 private:
  const std::uint32_t count_;
  // MAGIC NUMBER: pauses (a few microseconds), then as many yields, before sleeping.
  const int patience_;
  std::atomic<std::uint32_t> arrived_{0};
  std::atomic<std::uint32_t> generation_{0};
  std::atomic<std::uint32_t> sleepers_{0};
};

}  // namespace syn::detail
