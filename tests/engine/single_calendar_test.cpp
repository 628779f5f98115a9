// The calendar of single deliveries, with the event heap for the arrivals it leaves, taken as the
// event loop takes them (event_loop::process_instant), against a reference that sorts every
// event by the event queue's full key (time, kind, id, aux). Random spikes shaped like a
// simulation's: nodes fire at the instants of the events they receive and send along synapses
// with delays of their own and along a delay group (a heap event of a lower kind at the same
// times); times on a dyadic grid make many arrivals equal; some spikes come late (another
// part's, sent at the end of an epoch); delays run shorter than a bucket and longer than the
// ring.
#include "scheduling/single_calendar.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <set>
#include <tuple>
#include <vector>

namespace syn::detail {
namespace {

constexpr double never = std::numeric_limits<double>::infinity();

using key = std::tuple<double, event_kind, std::uint32_t, std::uint32_t>;

key key_of(const event& e) { return {e.time, e.kind, e.id, e.aux}; }
key key_of(const single_arrival& a) {
  return {a.time, event_kind::single_delivery, a.segment, a.synapse};
}

struct world_params {
  std::vector<double> delays;           // the synapses', drawn from these
  std::vector<double> calendar_delays;  // what the calendar is sized for
  double grid;                          // spike times and late offsets are multiples of it
  double group_delay;
};

// Nodes with synapses of their own delays (two segments a node) and one delay group.
class world {
 public:
  world(const world_params& p, std::uint64_t seed) : p_(p), rng_(seed) {
    std::vector<float> sized(p.calendar_delays.begin(), p.calendar_delays.end());
    calendar_ = single_calendar(sized);
    std::uniform_int_distribution<std::size_t> pick(0, p.delays.size() - 1);
    std::uniform_int_distribution<std::uint32_t> count(0, 12);
    for (std::uint32_t n = 0; n < nodes; ++n) {
      first_synapse_.push_back(static_cast<std::uint32_t>(delay_.size()));
      for (std::uint32_t j = count(rng_); j > 0; --j) delay_.push_back(p.delays[pick(rng_)]);
    }
    first_synapse_.push_back(static_cast<std::uint32_t>(delay_.size()));
    std::uniform_int_distribution<int> step(0, 64);
    for (std::uint32_t s = 0; s < 40; ++s)
      push_heap({step(rng_) * p.grid, s, 0, event_kind::source_spike});
  }

  // Every event, in the loop's order.
  void run() {
    for (double t = next_time(); t < never; t = next_time()) {
      fired_.clear();
      for (;;) {
        const bool in_heap = !heap_.empty() && heap_.top().time == t;
        if (calendar_.next_time() == t && (!in_heap || precedes(calendar_.front(), heap_.top()))) {
          const single_arrival a = calendar_.front();
          calendar_.pop();
          take(key_of(a), (a.synapse * 7 + 3) % nodes);
          continue;
        }
        if (!in_heap) break;
        const event e = heap_.top();
        heap_.pop();
        take(key_of(e), (e.id * 13 + 5) % nodes);
      }
      if (taken.size() >= check_at_) check_pending(t);
    }
  }

  std::vector<key> taken;  // in the order taken
  std::vector<key> sent;   // in the order sent
  std::size_t singles_in_heap = 0;
  std::size_t singles = 0;

 private:
  static constexpr std::uint32_t nodes = 60;
  static constexpr std::size_t budget = 25000;  // events sent, before nodes stop firing

  double next_time() const {
    return std::min(heap_.empty() ? never : heap_.top().time, calendar_.next_time());
  }

  void push_heap(const event& e) {
    heap_.push(e);
    sent.push_back(key_of(e));
  }

  // An event taken at its time; `node` may fire then (at most once an instant).
  void take(const key& k, std::uint32_t node) {
    const double t = std::get<0>(k);
    if (!taken.empty()) {
      EXPECT_LE(taken.back(), k) << "taken out of order at " << t << " ms";
    }
    taken.push_back(k);
    if (sent.size() > budget || !fired_.insert(node).second) return;
    if (std::bernoulli_distribution(0.2)(rng_)) fire(node, t, t);
    // Sometimes a node of another part, whose spike of an earlier instant arrives only now.
    if (t >= 3 * p_.grid && std::bernoulli_distribution(0.03)(rng_))
      fire((node + 1) % nodes, t - 3 * p_.grid, t);
  }

  // node's spike at `spike_time`, sent at `now`: only what arrives after now is sent (a spike
  // from another part arrives after the epoch in which it is sent).
  void fire(std::uint32_t node, double spike_time, double now) {
    if (spike_time + p_.group_delay > now)
      push_heap({spike_time + p_.group_delay, node, 0, event_kind::delivery});
    for (std::uint32_t i = first_synapse_[node]; i < first_synapse_[node + 1]; ++i) {
      const double time = spike_time + delay_[i];
      if (!(time > now)) continue;
      const single_arrival a{time, 2 * node + i % 2, i};
      sent.push_back(key_of(a));
      ++singles;
      if (!calendar_.add(spike_time, a)) {
        heap_.push({a.time, a.segment, a.synapse, event_kind::single_delivery});
        ++singles_in_heap;
      }
    }
  }

  // What is pending after t: the calendar's listing and size, and its next time, are those of
  // the arrivals sent and not yet taken.
  void check_pending(double t) {
    check_at_ = taken.size() + 5000;
    std::multiset<key> pending(sent.begin(), sent.end());
    for (const key& k : taken) pending.erase(pending.find(k));
    std::multiset<key> listed;
    for (const event& e : heap_) listed.insert(key_of(e));
    calendar_.for_each([&](const single_arrival& a) { listed.insert(key_of(a)); });
    EXPECT_EQ(listed, pending) << "after " << t << " ms";
    EXPECT_EQ(calendar_.size() + heap_.size(), pending.size());
    EXPECT_EQ(next_time(), pending.empty() ? never : std::get<0>(*pending.begin()));
    EXPECT_GE(calendar_.bytes(), calendar_.size() * sizeof(single_arrival));
  }

  world_params p_;
  std::mt19937_64 rng_;
  single_calendar calendar_;
  event_queue heap_;
  std::vector<std::uint32_t> first_synapse_;  // by node, nodes + 1 entries
  std::vector<double> delay_;                 // by synapse
  std::set<std::uint32_t> fired_;             // at the present instant
  std::size_t check_at_ = 0;
};

// Runs `p` with a few seeds: every event sent is taken once, in the order of the full key, and
// the heap takes no more than most_in_heap of the single deliveries.
void expect_heap_order(const world_params& p, double most_in_heap) {
  for (const std::uint64_t seed : {1u, 2u, 3u}) {
    world w(p, seed);
    w.run();
    std::vector<key> reference = w.sent;
    std::sort(reference.begin(), reference.end());
    ASSERT_GT(w.singles, 15000u) << "seed " << seed;
    ASSERT_EQ(w.taken.size(), reference.size()) << "seed " << seed;
    EXPECT_TRUE(w.taken == reference) << "seed " << seed;
    EXPECT_LE(static_cast<double>(w.singles_in_heap), most_in_heap * static_cast<double>(w.singles))
        << "seed " << seed;
  }
}

TEST(single_calendar, takes_arrivals_in_the_heap_order_with_many_at_one_time) {
  // Delays and spike times on a grid of 1/4 ms: arrivals meet at the same instants by the
  // hundred, from many synapses, segments and the delay groups.
  const std::vector<double> delays{0.25, 0.5, 0.75, 1.0, 1.25, 2.0, 3.5};
  expect_heap_order({delays, delays, 0.25, 0.5}, 0.02);
}

TEST(single_calendar, takes_float_delays_in_the_heap_order) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> u(0.1, 2.0);
  std::vector<double> delays;
  for (int k = 0; k < 50; ++k) delays.push_back(static_cast<float>(u(rng)));
  expect_heap_order({delays, delays, 0.0625, 0.1}, 0.02);
}

TEST(single_calendar, leaves_delays_shorter_than_a_bucket_to_the_heap_in_order) {
  // 2^-12 ms and 256 ms: a ring of 4096 buckets reaching 256 ms has buckets of 1/16 ms, so the
  // short delays mostly land in the bucket being taken.
  const std::vector<double> delays{0x1p-12, 0.5, 0.75, 256.0};
  expect_heap_order({delays, delays, 0x1p-12, 0.5}, 0.3);
}

TEST(single_calendar, leaves_delays_longer_than_its_ring_to_the_heap_in_order) {
  // Half the synapses reach beyond a ring sized for 1 ms.
  expect_heap_order({{0.5, 1.0, 40.0, 1000.0}, {0.5, 1.0}, 0.125, 0.25}, 0.6);
}

TEST(single_calendar, is_empty_without_delays_and_counts_what_it_holds) {
  single_calendar none;
  EXPECT_EQ(none.next_time(), never);
  EXPECT_EQ(none.size(), 0u);
  const std::vector<float> delays{1.0f, 2.0f};
  single_calendar c(delays);
  EXPECT_TRUE(c.add(0.0, {2.0, 0, 1}));
  EXPECT_TRUE(c.add(0.0, {1.0, 0, 0}));
  EXPECT_TRUE(c.add(0.5, {1.5, 1, 0}));
  EXPECT_EQ(c.size(), 3u);
  EXPECT_EQ(c.next_time(), 1.0);
  EXPECT_EQ(c.front().time, 1.0);
  c.pop();
  EXPECT_EQ(c.next_time(), 1.5);
  c.pop();
  c.pop();
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.next_time(), never);
  // Emptied, it moves on to the time of the next spike sent: a delay reaching as far as the
  // ring then fits again.
  EXPECT_TRUE(c.add(1000.0, {1002.0, 0, 1}));
  EXPECT_EQ(c.next_time(), 1002.0);
}

// A bucket holding thousands of arrivals (slots of its times then hold many each, and its
// edges both ends), many at one time, added in falling and random order, with a few in the
// buckets around it: they come out by (time, segment, synapse), as a sort of them all does.
TEST(single_calendar, takes_a_crowded_bucket_in_the_order_of_the_full_key) {
  const std::vector<float> delays{1.0f, 2.0f};  // buckets of 1/16 ms
  single_calendar c(delays);
  const double width = 1.0 / 16;
  std::vector<key> sent;
  std::mt19937_64 rng(11);
  // 64 times in the bucket [1, 1 + width), and its two edges.
  std::uniform_int_distribution<int> step(0, 63), id(0, 40);
  const auto add = [&](double time, std::uint32_t segment, std::uint32_t synapse) {
    ASSERT_TRUE(c.add(0.0, {time, segment, synapse}));
    sent.push_back({time, event_kind::single_delivery, segment, synapse});
  };
  for (std::uint32_t i = 3000; i-- > 0;) add(1.0 + width * (i % 64) / 64, i % 7, i);
  for (std::uint32_t i = 0; i < 3000; ++i)
    add(1.0 + width * step(rng) / 64, static_cast<std::uint32_t>(id(rng)), 3000 + i);
  add(1.0 + width, 1, 0);  // the next bucket's first time
  add(1.0 + width - 0x1p-40, 1, 1);
  add(1.0 - 0x1p-40, 2, 0);  // the bucket before
  add(1.0, 9, 9);
  add(1.5, 0, 0);
  std::sort(sent.begin(), sent.end());
  ASSERT_EQ(c.size(), sent.size());
  for (const key& expected : sent) {
    ASSERT_EQ(c.next_time(), std::get<0>(expected));
    const single_arrival a = c.front();
    ASSERT_EQ(key_of(a), expected);
    c.pop();
  }
  EXPECT_EQ(c.size(), 0u);
  EXPECT_EQ(c.next_time(), never);
}

}  // namespace
}  // namespace syn::detail
