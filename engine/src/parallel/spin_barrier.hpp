#pragma once

#include <atomic>
#include <cstdint>
#include <thread>

namespace syn::detail {

// A barrier for threads that meet thousands of times a second (the epochs' exchanges, a tenth
// of a millisecond of simulated time apart): a thread that waits spins a little, then yields,
// and only then sleeps, so that a short wait costs no system call. Thread 0 runs the completion
// once all have arrived, before any goes on: always the same thread, the one that may call MPI
// (with_mpi.cpp). Threads that outnumber the cores (`cores_to_spare` false, with those of the
// other processes on the machine) sleep at once: a spinning thread would hold the core that the
// one it waits for needs.
class spin_barrier {
 public:
  spin_barrier(std::uint32_t count, bool cores_to_spare)
      : count_(count), patience_(cores_to_spare ? 4000 : 0) {}

  template <typename F>
  void arrive_and_wait(std::uint32_t thread, F&& completion) {
    const std::uint32_t generation = generation_.load(std::memory_order_acquire);
    if (thread != 0) {
      // Sequentially consistent with the sleeper's count, so that a thread that sleeps either
      // sees the change or is woken.
      arrived_.fetch_add(1);
      if (sleepers_.load() > 0) arrived_.notify_all();
      wait_while([&] { return generation_.load(std::memory_order_acquire) == generation; },
                 generation_, generation);
      return;
    }
    wait_while([&] { return arrived_.load(std::memory_order_acquire) + 1 < count_; }, arrived_,
               arrived_.load(std::memory_order_acquire));
    completion();
    arrived_.store(0, std::memory_order_relaxed);
    generation_.store(generation + 1);
    if (sleepers_.load() > 0) generation_.notify_all();
  }

 private:
  // Waits while `waiting()`, sleeping on `word` (last seen as `seen`) when patience runs out.
  template <typename P>
  void wait_while(P&& waiting, std::atomic<std::uint32_t>& word, std::uint32_t seen) {
    for (int i = 0; waiting(); ++i) {
      if (i < patience_) {
        __builtin_ia32_pause();
      } else if (i < 2 * patience_) {
        std::this_thread::yield();
      } else {
        sleepers_.fetch_add(1);
        word.wait(seen);
        sleepers_.fetch_sub(1);
        seen = word.load(std::memory_order_acquire);
      }
    }
  }

  const std::uint32_t count_;
  // MAGIC NUMBER: pauses (a few microseconds), then as many yields, before sleeping.
  const int patience_;
  std::atomic<std::uint32_t> arrived_{0};
  std::atomic<std::uint32_t> generation_{0};
  std::atomic<std::uint32_t> sleepers_{0};
};

}  // namespace syn::detail
