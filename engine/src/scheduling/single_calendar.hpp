#pragma once

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <span>
#include <tuple>
#include <vector>

#include "scheduling/event_queue.hpp"

namespace syn::detail {

// A spike on its way along one synapse with a delay of its own (synapse_store's singles): it
// arrives at `time` (exactly after(t, delay), never rounded) at `synapse` of `segment`.
struct single_arrival {
  double time;
  std::uint32_t segment;
  std::uint32_t synapse;
};

// Whether arrival a comes before event e of the same time in the event queue's order, as the
// single delivery (a.time, single_delivery, a.segment, a.synapse) would.
inline bool precedes(const single_arrival& a, const event& e) {
  return e.kind == event_kind::single_delivery &&
         std::tie(a.segment, a.synapse) < std::tie(e.id, e.aux);
}

// Single deliveries in a calendar instead of the event heap: a ring of buckets, each a span
// of `width` ms, indexed by floor(time / width). A spike appends its arrivals to their buckets
// (O(1) each, where a heap entry costs a logarithm of cache misses); the earliest bucket is
// sorted by the event queue's key, (time, segment, synapse), once, when its turn comes, and its
// arrivals are taken in that order. Every arrival in a later bucket is later than every
// arrival of an earlier one, so the calendar yields its arrivals in the event queue's order;
// the event loop merges them with the heap's events at each instant by the same key. Spikes
// are bit-identical to those of a heap alone.
//
// An arrival the ring cannot take is left to the heap (add returns false): one due in or
// before the bucket being taken (a delay shorter than a bucket, or a spike of another part
// sent late in an epoch), or one beyond the ring's reach (a delay longer than the ring).
class single_calendar {
 public:
  single_calendar() = default;

  // A calendar for these delays (ms): buckets of a power of two ms, at most a sixteenth of the
  // shortest delay, so that a spike's arrivals fall in later buckets than the one being taken
  // and each bucket, sorted in cache, holds about a sixteenth of the arrivals of a shortest
  // delay; and a ring reaching the longest delay in at most max_buckets, whose buckets are
  // wider where the delays span more than 65,536 times the shortest (the short ones then go to
  // the heap). A sixteenth: engine_bench --net B --delays uniform at 200,000 neurons ran 20 %
  // faster than with the shortest delay itself; at 40,000, 1 to 256 made no difference.
  explicit single_calendar(std::span<const float> delays) {
    if (delays.empty()) return;
    const auto [shortest, longest] = std::minmax_element(delays.begin(), delays.end());
    const double wanted = std::max(*shortest / 16.0, *longest / (max_buckets - 2.0));
    per_ms_ = std::exp2(-std::floor(std::log2(wanted)));
    const auto reach = static_cast<std::uint64_t>(*longest * per_ms_) + 2;
    ring_.resize(std::bit_ceil(std::min<std::uint64_t>(reach, max_buckets)));
  }

  // The arrival of a spike sent at spike_time, if the ring can take it (see above).
  bool add(double spike_time, const single_arrival& a) {
    // Empty, the ring moves on to the sender's bucket: every arrival of the spike is at or after
    // it, and the ring then reaches as far ahead of the present as it can.
    if (held_ == 0) first_ = std::max(first_, bucket(spike_time));
    const std::uint64_t k = bucket(a.time);
    if (k < first_ || k - first_ >= ring_.size()) return false;
    std::vector<single_arrival>& b = ring_[k & (ring_.size() - 1)];
    const std::size_t before = b.capacity();
    b.push_back(a);
    capacity_ += b.capacity() - before;
    ++held_;
    if (a.time < next_) next_ = a.time;
    return true;
  }

  // The earliest arrival's time; infinity when empty.
  double next_time() const { return next_; }
  // The earliest arrival by (time, segment, synapse); the calendar must not be empty.
  const single_arrival& front() {
    if (taken_ == ready_.size()) take_bucket();
    return ready_[taken_];
  }
  void pop() {
    ++taken_;
    --held_;
    if (taken_ < ready_.size())
      next_ = ready_[taken_].time;
    else if (held_ > 0)
      take_bucket();
    else
      next_ = never;
  }

  // The arrival k after the front, if the bucket being taken holds it (to prefetch for).
  const single_arrival* ahead(std::size_t k) const {
    return taken_ + k < ready_.size() ? &ready_[taken_ + k] : nullptr;
  }

  std::size_t size() const { return held_; }
  // What its buffers take, kept as they are reused.
  std::size_t bytes() const {
    return (capacity_ + ready_.capacity()) * sizeof(single_arrival) +
           ring_.capacity() * sizeof(ring_[0]) + starts_.capacity() * sizeof(std::uint32_t);
  }
  // f(arrival) for each arrival held, in no particular order.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t i = taken_; i < ready_.size(); ++i) f(ready_[i]);
    for (const std::vector<single_arrival>& b : ring_)
      for (const single_arrival& a : b) f(a);
  }

 private:
  static constexpr double never = std::numeric_limits<double>::infinity();
  static constexpr std::size_t max_buckets = 4096;

  // (time, segment, synapse) as one number, compared without a branch: a time is positive (a
  // spike's time plus a positive delay), and positive doubles are ordered as their bits.
  static unsigned __int128 key(const single_arrival& a) {
    const auto id = std::uint64_t{a.segment} << 32 | a.synapse;
    return static_cast<unsigned __int128>(std::bit_cast<std::uint64_t>(a.time)) << 64 | id;
  }

  // floor(time / width): exact (width is a power of two), and monotonic in time. Times too
  // far for 63 bits land beyond any ring.
  std::uint64_t bucket(double time) const {
    const double k = time * per_ms_;
    return k < 0x1p63 ? static_cast<std::uint64_t>(k) : std::numeric_limits<std::uint64_t>::max();
  }

  // The earliest non-empty bucket becomes the one taken, sorted. The buckets before it are
  // empty, and the ring then reaches from the one after it. A comparison sort would mispredict
  // about every other comparison: the arrivals are first spread over as many slots as they are,
  // in order, by the next bits of their time (a count and a copy), and are then almost sorted,
  // each slot holding one or two, for an insertion sort by the full key to finish.
  void take_bucket() {
    taken_ = 0;
    while (ring_[first_ & (ring_.size() - 1)].empty()) ++first_;
    std::vector<single_arrival>& b = ring_[first_ & (ring_.size() - 1)];
    const std::size_t slots = std::bit_ceil(b.size());
    // Within the bucket, time * per_ms_ - first_ is exact, in [0, 1).
    const double base = static_cast<double>(first_), scale = static_cast<double>(slots);
    const auto slot_of = [&](const single_arrival& a) {
      const double x = (a.time * per_ms_ - base) * scale;
      return std::min(static_cast<std::size_t>(std::max(x, 0.0)), slots - 1);
    };
    starts_.assign(slots + 1, 0);
    for (const single_arrival& a : b) ++starts_[slot_of(a) + 1];
    for (std::size_t i = 1; i <= slots; ++i) starts_[i] += starts_[i - 1];
    ready_.resize(b.size());
    for (const single_arrival& a : b) ready_[starts_[slot_of(a)]++] = a;
    b.clear();
    ++first_;
    // Arrivals at equal or nearly equal times share a slot (a thousand sources spiking together,
    // delays a few floats apart): past a few moves per arrival, insertion would turn quadratic,
    // and a comparison sort finishes instead.
    const std::size_t most_moves = 8 * ready_.size();
    std::size_t moves = 0;
    for (std::size_t i = 1; i < ready_.size(); ++i) {
      const single_arrival a = ready_[i];
      std::size_t j = i;
      for (; j > 0 && key(a) < key(ready_[j - 1]); --j) ready_[j] = ready_[j - 1];
      ready_[j] = a;
      moves += i - j;
      if (moves > most_moves) {
        std::sort(ready_.begin(), ready_.end(),
                  [](const single_arrival& x, const single_arrival& y) { return key(x) < key(y); });
        break;
      }
    }
    next_ = ready_.front().time;
  }

  double per_ms_ = 1.0;  // buckets a ms: 1 / width
  std::vector<std::vector<single_arrival>> ring_ = std::vector<std::vector<single_arrival>>(1);
  std::uint64_t first_ = 0;            // the ring holds buckets first_ to first_ + ring_.size() - 1
  std::vector<single_arrival> ready_;  // the bucket taken, sorted; its first taken_ are done
  std::vector<std::uint32_t> starts_;  // take_bucket's, by slot
  std::size_t taken_ = 0;
  std::size_t held_ = 0;      // arrivals in ready_ (not yet taken) and in the ring
  std::size_t capacity_ = 0;  // of the ring's buckets, in arrivals
  double next_ = never;
};

}  // namespace syn::detail
