#pragma once

#include <algorithm>
#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

#include "memory/huge_page_allocator.hpp"

namespace syn::detail {

// Each neuron's one pending event (its refractory end, predicted crossing or recheck), in order
// of (time, neuron). A calendar queue: most calls move a neuron's event, and pending times lie
// mostly within 50 ms of the present, so time is cut into buckets of `width` ms and a bucket is
// ordered only when it comes due. The due bucket is a sorted array, least at the back, and the
// times set into it once due go to a binary heap beside it (a sorted insert would move half the
// array: at 400,000 neurons a bucket holds a thousand times). Entries leave the due bucket
// lazily: each carries its neuron's stamp, which a move or removal changes, and is dropped when
// it surfaces. Later buckets, up to a window ahead, are unordered lists in a ring, each neuron
// linked in place, so that a move is O(1); times beyond the window wait in one more list, filed
// into the ring as it advances. On the Brette benchmarks this costs under half the instructions
// and the mispredicted branches of a 4-ary heap. Memory is fixed by the neuron count: nothing is
// allocated while the simulation runs.
class neuron_queue {
 public:
  explicit neuron_queue(std::uint32_t neurons)
      : node_(neurons), head_(buckets, none), occupied_(buckets / 64, 0) {
    due_.reserve(neurons);
    late_.reserve(neurons);
  }

  bool empty() const { return due_.empty() && late_.empty(); }
  double top_time() const {
    return empty() ? std::numeric_limits<double>::infinity() : least().time;
  }
  std::uint32_t top() const { return least().neuron; }
  bool contains(std::uint32_t n) const { return node_[n].where != absent; }

  // Schedules n at t, replacing its pending time.
  void set(std::uint32_t n, double t) {
    const bool was_due = take_out(n);
    node_[n].time = t;
    place(n);
    if (was_due || empty()) settle();
  }

  void remove(std::uint32_t n) {
    const bool was_due = take_out(n);
    node_[n].where = absent;
    if (was_due || empty()) settle();
  }

  void pop() {
    node_[least().neuron].where = absent;
    if (from_late()) {
      std::pop_heap(late_.begin(), late_.end(), later);
      late_.pop_back();
    } else {
      due_.pop_back();
    }
    settle();
  }

  // Every pending (time, neuron), by neuron.
  template <typename F>
  void for_each(F f) const {
    for (std::uint32_t n = 0; n < node_.size(); ++n)
      if (node_[n].where != absent) f(node_[n].time, n);
  }

 private:
  // MAGIC NUMBERS, found by engine_bench A and B under callgrind and cachegrind
  // (docs/performance.md); the ring must span the pending times. Other networks stay exact,
  // only slower: denser times make bigger buckets to sort, sparser ones more refills from far_.
  static constexpr double width = 1.0 / 16;  // ms
  static constexpr std::uint32_t buckets = 2048;
  static_assert(std::has_single_bit(buckets));
  static constexpr std::int64_t half = buckets / 2;
  // Bucket numbers are clamped to [0, last]: infinite (and NaN) times share the last. Below
  // 2^53 by more than a ring, so that the numbers compared with them are exact as doubles.
  static constexpr double last = 0x1p52;
  static constexpr std::uint32_t none = std::numeric_limits<std::uint32_t>::max();
  static constexpr std::uint32_t absent = none;
  static constexpr std::uint32_t in_due = buckets;
  static constexpr std::uint32_t in_far = buckets + 1;

  struct entry {
    double time;
    std::uint32_t neuron;
    std::uint32_t stamp;  // the neuron's when filed: the entry is stale once it differs
  };
  struct node {
    double time = 0.0;
    std::uint32_t where = absent;  // a ring slot, in_due, in_far or absent
    std::uint32_t next = none, prev = none;
    std::uint32_t stamp = 0;
  };
  // Ties go to the lower neuron index: a total order, so runs do not depend on queue history.
  static bool before(const entry& a, const entry& b) {
    return a.time < b.time || (a.time == b.time && a.neuron < b.neuron);
  }
  // A lambda, not a function, so that std::sort inlines it.
  static constexpr auto later = [](const entry& a, const entry& b) { return before(b, a); };

  static double bucket(double t) {
    const double b = t / width;
    return b < last ? std::max(b, 0.0) : last;
  }
  // A power of two below 2^32 divides it: the low bits of the bucket number are enough.
  static std::uint32_t slot_of(std::int64_t b) { return static_cast<std::uint32_t>(b) % buckets; }

  bool stale(const entry& e) const {
    const node& x = node_[e.neuron];
    return x.where != in_due || x.stamp != e.stamp;
  }
  bool from_late() const {
    return !late_.empty() && (due_.empty() || before(late_.front(), due_.back()));
  }
  const entry& least() const { return from_late() ? late_.front() : due_.back(); }

  // Drops the stale entries that have surfaced, and makes the next bucket due when this one is
  // done, so that the least entry is always live.
  void settle() {
    for (;;) {
      while (!due_.empty() && stale(due_.back())) due_.pop_back();
      while (!late_.empty() && stale(late_.front())) {
        std::pop_heap(late_.begin(), late_.end(), later);
        late_.pop_back();
      }
      if (!empty()) return;
      advance();
      if (due_.empty()) return;
    }
  }

  // Whether n was in the due bucket, whose least entry may then be stale.
  bool take_out(std::uint32_t n) {
    node& x = node_[n];
    if (x.where == absent) return false;
    if (x.where == in_due) {
      ++x.stamp;  // its entry is left behind, stale
      return true;
    }
    if (x.prev != none) {
      node_[x.prev].next = x.next;
    } else if (x.where == in_far) {
      far_ = x.next;
    } else {
      head_[x.where] = x.next;
      if (x.next == none) occupied_[x.where / 64] &= ~(std::uint64_t{1} << x.where % 64);
    }
    if (x.next != none) node_[x.next].prev = x.prev;
    return false;
  }

  void push_front(std::uint32_t& head, std::uint32_t n) {
    node& x = node_[n];
    x.prev = none;
    x.next = head;
    if (head != none) node_[head].prev = n;
    head = n;
  }

  // Files n by its time: into the due bucket (also when before it, though the simulator never
  // sets a time before the present), the ring or far_.
  void place(std::uint32_t n) {
    node& x = node_[n];
    const double b = bucket(x.time);
    if (b < static_cast<double>(due_bucket_ + 1)) {
      insert_due(n);
    } else if (b < static_cast<double>(far_limit_)) {
      const std::uint32_t slot = slot_of(static_cast<std::int64_t>(b));
      if (head_[slot] == none) occupied_[slot / 64] |= std::uint64_t{1} << slot % 64;
      x.where = slot;
      push_front(head_[slot], n);
    } else {
      x.where = in_far;
      push_front(far_, n);
    }
  }

  // Out of line, as advance(), so that set() and pop() inline without its weight: few times
  // fall in the due bucket.
  [[gnu::noinline]] void insert_due(std::uint32_t n) {
    // Full only of stale entries beyond the live ones (at most one per neuron): dropped here,
    // in place, rather than growing the heap.
    if (late_.size() == late_.capacity()) {
      std::erase_if(late_, [&](const entry& e) { return stale(e); });
      std::make_heap(late_.begin(), late_.end(), later);
    }
    node& x = node_[n];
    x.where = in_due;
    late_.push_back({x.time, n, x.stamp});
    std::push_heap(late_.begin(), late_.end(), later);
  }

  // The due bucket is empty: the next nonempty bucket becomes due.
  [[gnu::noinline]] void advance() {
    for (;;) {
      // The ring holds the buckets after due_bucket_ and before far_limit_, fewer than
      // `buckets`, so the first occupied slot from due_bucket_ + 1 on is the earliest.
      for (std::int64_t b = due_bucket_ + 1; b < far_limit_;) {
        const std::uint32_t slot = slot_of(b);
        const std::uint64_t bits = occupied_[slot / 64] >> slot % 64;
        if (bits == 0) {
          b += 64 - slot % 64;
          continue;
        }
        due_bucket_ = b + std::countr_zero(bits);
        make_due(slot_of(due_bucket_));
        // The window reaches at least half the ring ahead, so far_ is filed in rarely.
        if (due_bucket_ + half >= far_limit_) refill();
        return;
      }
      if (far_ == none) return;
      // Nothing in the ring: jump to just before the earliest far time and look again.
      double least = last;
      for (std::uint32_t n = far_; n != none; n = node_[n].next)
        least = std::min(least, bucket(node_[n].time));
      due_bucket_ = static_cast<std::int64_t>(least) - 1;
      refill();
    }
  }

  void make_due(std::uint32_t slot) {
    for (std::uint32_t n = head_[slot]; n != none; n = node_[n].next) {
      due_.push_back({node_[n].time, n, node_[n].stamp});
      node_[n].where = in_due;
    }
    head_[slot] = none;
    occupied_[slot / 64] &= ~(std::uint64_t{1} << slot % 64);
    std::sort(due_.begin(), due_.end(), later);
  }

  // Moves the window on to end a half ring to a whole ring after the due bucket, and files
  // the far times that it now reaches.
  void refill() {
    far_limit_ = (due_bucket_ / half + 2) * half;
    std::uint32_t n = far_;
    far_ = none;
    while (n != none) {
      const std::uint32_t next = node_[n].next;
      place(n);
      n = next;
    }
  }

  huge_page_vector<node> node_;           // by neuron
  std::vector<entry> due_;           // the due bucket, sorted by later(): the least is at the back
  std::vector<entry> late_;          // times set into the due bucket once due: a heap by later()
  std::vector<std::uint32_t> head_;  // by ring slot: the first neuron of its list
  std::vector<std::uint64_t> occupied_;  // by ring slot, a bit: its list is not empty
  std::uint32_t far_ = none;             // the list of times at far_limit_ or later
  // Signed: converted to and from double more cheaply.
  std::int64_t due_bucket_ = 0;
  std::int64_t far_limit_ = buckets;
};

}  // namespace syn::detail
