// The neuron queue against a std::set of (time, neuron), under random calls shaped like a
// simulation's: the present moves forward by pops, and sets land at it, just after it, tens of
// ms ahead, far ahead (beyond the queue's ring) or at infinity; times on a coarse grid make ties.
#include "scheduling/neuron_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <limits>
#include <map>
#include <new>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace {
std::atomic<long> allocations{0};
}  // namespace

// Counted, so that a test can show that the queue allocates nothing once built. Once these are
// inlined, GCC sees operator new's memory reach free() and warns of a mismatch it cannot have.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void* operator new(std::size_t size) {
  ++allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

namespace syn::detail {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

// The queue beside the reference, compared after every call.
class checked_queue {
 public:
  explicit checked_queue(std::uint32_t neurons) : queue_(neurons), time_(neurons, -1.0) {}

  void set(std::uint32_t n, double t) {
    if (time_[n] >= 0.0) order_.erase({time_[n], n});
    order_.insert({t, n});
    time_[n] = t;
    queue_.set(n, t);
    check();
  }
  void remove(std::uint32_t n) {
    if (time_[n] >= 0.0) order_.erase({time_[n], n});
    time_[n] = -1.0;
    queue_.remove(n);
    check();
  }
  // The (time, neuron) popped.
  std::pair<double, std::uint32_t> pop() {
    const auto least = *order_.begin();
    order_.erase(order_.begin());
    time_[least.second] = -1.0;
    queue_.pop();
    check();
    return least;
  }
  bool empty() const { return order_.empty(); }

  void check() const {
    ASSERT_EQ(queue_.empty(), order_.empty());
    if (order_.empty()) {
      ASSERT_EQ(queue_.top_time(), inf);
      return;
    }
    ASSERT_EQ(queue_.top_time(), order_.begin()->first);
    ASSERT_EQ(queue_.top(), order_.begin()->second);
  }

  // for_each lists each pending neuron once, with its time; contains() agrees.
  void check_listing() const {
    std::map<std::uint32_t, double> listed;
    queue_.for_each([&](double t, std::uint32_t n) {
      EXPECT_TRUE(listed.emplace(n, t).second) << "neuron " << n << " listed twice";
    });
    std::map<std::uint32_t, double> expected;
    for (std::uint32_t n = 0; n < time_.size(); ++n) {
      EXPECT_EQ(queue_.contains(n), time_[n] >= 0.0) << "neuron " << n;
      if (time_[n] >= 0.0) expected.emplace(n, time_[n]);
    }
    EXPECT_EQ(listed, expected);
  }

 private:
  neuron_queue queue_;
  std::set<std::pair<double, std::uint32_t>> order_;
  std::vector<double> time_;  // by neuron; -1 when nothing is pending
};

struct mix {
  double present;  // a set at the present
  double near;     // within 0.05 ms: often in the due bucket
  double far;      // 200 ms to 10 s ahead, beyond the ring
  double never;    // at infinity
  double grid;     // the rest, 0 to 60 ms ahead, on a grid of this step (0: no grid)
};

void run_random(std::uint32_t neurons, std::uint64_t seed, const mix& m, int calls) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> unit(0.0, 1.0);
  checked_queue q(neurons);
  double now = 0.0;
  for (int i = 0; i < calls; ++i) {
    const double what = unit(rng);
    const auto n = static_cast<std::uint32_t>(rng() % neurons);
    if (what < 0.25 && !q.empty()) {
      const auto [t, popped] = q.pop();
      if (t < inf) now = t;
    } else if (what < 0.28) {
      q.remove(n);
    } else {
      const double kind = unit(rng);
      double t = now + 60.0 * unit(rng);
      if (kind < m.present) {
        t = now;
      } else if (kind < m.present + m.near) {
        t = now + 0.05 * unit(rng);
      } else if (kind < m.present + m.near + m.far) {
        t = now + 200.0 + 9800.0 * unit(rng);
      } else if (kind < m.present + m.near + m.far + m.never) {
        t = inf;
      } else if (m.grid > 0.0) {
        t = now + m.grid * static_cast<double>(rng() % static_cast<std::uint64_t>(60.0 / m.grid));
      }
      q.set(n, t);
    }
    if (::testing::Test::HasFatalFailure()) return;
    if (i % 997 == 0) q.check_listing();
  }
  while (!q.empty()) {
    q.pop();
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(neuron_queue, matches_a_sorted_set_under_simulation_like_calls) {
  for (std::uint64_t seed = 1; seed <= 4; ++seed)
    run_random(4000, seed, {0.02, 0.1, 0.01, 0.0, 0.0}, 200000);
}

TEST(neuron_queue, orders_ties_by_neuron) {
  // A grid of 0.5 ms over 60 ms: about 30 neurons share each time.
  run_random(4000, 7, {0.1, 0.0, 0.0, 0.0, 0.5}, 200000);
  // Few times, wider than a bucket apart: hundreds of ties in one bucket.
  run_random(4000, 8, {0.3, 0.0, 0.0, 0.0, 10.0}, 100000);
}

TEST(neuron_queue, handles_far_and_infinite_times) {
  run_random(300, 9, {0.01, 0.01, 0.5, 0.1, 0.0}, 100000);
  // Nearly everything far ahead: the ring is mostly empty.
  run_random(50, 10, {0.0, 0.0, 0.95, 0.02, 0.0}, 50000);
}

TEST(neuron_queue, takes_a_set_at_the_present_after_its_pops) {
  checked_queue q(8);
  q.set(5, 10.0);
  q.set(3, 10.0);
  q.set(7, 12.0);
  EXPECT_EQ(q.pop(), std::pair(10.0, 3u));
  EXPECT_EQ(q.pop(), std::pair(10.0, 5u));
  // Back at the present, and at a lower index than those popped.
  q.set(1, 10.0);
  q.set(3, 10.0);
  EXPECT_EQ(q.pop(), std::pair(10.0, 1u));
  EXPECT_EQ(q.pop(), std::pair(10.0, 3u));
  EXPECT_EQ(q.pop(), std::pair(12.0, 7u));
  EXPECT_TRUE(q.empty());
}

TEST(neuron_queue, jumps_over_long_silences) {
  checked_queue q(4);
  q.set(2, 1e6);
  q.set(0, 5e5);
  q.set(1, inf);
  q.set(3, 5e5 + 1e-9);
  EXPECT_EQ(q.pop(), std::pair(5e5, 0u));
  EXPECT_EQ(q.pop(), std::pair(5e5 + 1e-9, 3u));
  q.set(0, 5e5 + 30.0);
  EXPECT_EQ(q.pop(), std::pair(5e5 + 30.0, 0u));
  EXPECT_EQ(q.pop(), std::pair(1e6, 2u));
  EXPECT_EQ(q.pop(), std::pair(inf, 1u));
  EXPECT_TRUE(q.empty());
}

TEST(neuron_queue, keeps_times_set_at_infinity_once_there) {
  checked_queue q(4);
  q.set(2, inf);
  q.set(1, inf);
  EXPECT_EQ(q.pop(), std::pair(inf, 1u));
  // Now the due bucket is infinity's.
  q.set(0, inf);
  q.set(3, 7.0);
  EXPECT_EQ(q.pop(), std::pair(7.0, 3u));
  EXPECT_EQ(q.pop(), std::pair(inf, 0u));
  EXPECT_EQ(q.pop(), std::pair(inf, 2u));
  EXPECT_TRUE(q.empty());
}

TEST(neuron_queue, takes_crowds_into_the_due_bucket) {
  // As at 400,000 neurons, or when every neuron is predicted in the first instant: thousands of
  // times set, moved and removed within the bucket being served, in the order of a sorted set.
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> within(0.0, 0.06);
  checked_queue q(3000);
  double now = 1.0;
  for (std::uint32_t n = 0; n < 3000; ++n) q.set(n, now + within(rng));
  for (int i = 0; i < 20000 && !q.empty(); ++i) {
    const auto n = static_cast<std::uint32_t>(rng() % 3000);
    const auto what = rng() % 8;
    if (what < 3) {
      now = q.pop().first;
    } else if (what == 3) {
      q.remove(n);
    } else {
      q.set(n, now + within(rng) * (what == 7 ? 100.0 : 0.1));
    }
    if (::testing::Test::HasFatalFailure()) return;
    if (i % 2003 == 0) q.check_listing();
  }
}

TEST(neuron_queue, allocates_nothing_once_built) {
  // Many moves, each leaving a time behind: a queue that kept stale entries would grow.
  std::mt19937_64 rng(11);
  std::uniform_real_distribution<double> ahead(0.0, 300.0);
  neuron_queue q(1000);
  double now = 0.0;
  // `calls` sets at up to `span` ms ahead, with a pop every `pop_every`.
  const auto churn = [&](int calls, int pop_every, double span) {
    for (int i = 0; i < calls; ++i) {
      const auto n = static_cast<std::uint32_t>(rng() % 1000);
      if (i % pop_every == 0 && !q.empty()) {
        now = q.top_time();
        q.pop();
      } else {
        q.set(n, now + ahead(rng) * span);
      }
    }
  };
  const long before = allocations;
  churn(2000000, 8, 1.0);
  churn(200000, 64, 1e-4);  // moves within the due bucket, each leaving a stale entry there
  EXPECT_EQ(allocations - before, 0);
}

}  // namespace
}  // namespace syn::detail
