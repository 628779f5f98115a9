#pragma once

#include <cstdint>
#include <limits>
#include <vector>

namespace syn::detail {

// Each neuron's one pending event (its refractory end, predicted crossing or recheck) in a
// 4-ary min-heap on (time, neuron), indexed by neuron so that a prediction moves in place. The
// arrays are sized once: nothing is allocated while the simulation runs.
class neuron_queue {
 public:
  explicit neuron_queue(std::uint32_t neurons) : position_(neurons, absent) {
    heap_.reserve(neurons);
  }

  bool empty() const { return heap_.empty(); }
  double top_time() const {
    return heap_.empty() ? std::numeric_limits<double>::infinity() : heap_[0].time;
  }
  std::uint32_t top() const { return heap_[0].neuron; }
  bool contains(std::uint32_t n) const { return position_[n] != absent; }

  // Schedules n at t, replacing its pending time.
  void set(std::uint32_t n, double t) {
    std::uint32_t i = position_[n];
    if (i == absent) {
      i = static_cast<std::uint32_t>(heap_.size());
      heap_.push_back({t, n});
      up(i);
      return;
    }
    const bool earlier = before({t, n}, heap_[i]);
    heap_[i].time = t;
    earlier ? up(i) : down(i);
  }

  void remove(std::uint32_t n) {
    const std::uint32_t i = position_[n];
    if (i == absent) return;
    position_[n] = absent;
    const entry last = heap_.back();
    heap_.pop_back();
    if (i == heap_.size()) return;
    heap_[i] = last;
    position_[last.neuron] = i;
    if (i > 0 && before(last, heap_[(i - 1) / arity])) {
      up(i);
    } else {
      down(i);
    }
  }

  // Floyd's way: the hole at the root sinks to a leaf along the least children, without
  // comparing with the last entry at every level, and the last entry rises from there (rarely
  // by more than a level, since it was a leaf).
  void pop() {
    position_[heap_[0].neuron] = absent;
    const entry last = heap_.back();
    heap_.pop_back();
    const auto size = static_cast<std::uint32_t>(heap_.size());
    if (size == 0) return;
    std::uint32_t i = 0;
    for (std::uint32_t best; (best = least_child(i, size)) < size; i = best) {
      heap_[i] = heap_[best];
      position_[heap_[i].neuron] = i;
    }
    heap_[i] = last;
    up(i);
  }
  // Every pending (time, neuron), in heap order.
  template <typename F>
  void for_each(F f) const {
    for (const entry& e : heap_) f(e.time, e.neuron);
  }

 private:
  static constexpr std::uint32_t arity = 4;
  static constexpr std::uint32_t absent = std::numeric_limits<std::uint32_t>::max();
  struct entry {
    double time;
    std::uint32_t neuron;
  };
  // Ties go to the lower neuron index: a total order, so runs do not depend on heap history.
  static bool before(const entry& a, const entry& b) {
    return a.time < b.time || (a.time == b.time && a.neuron < b.neuron);
  }

  void up(std::uint32_t i) {
    const entry e = heap_[i];
    while (i > 0) {
      const std::uint32_t parent = (i - 1) / arity;
      if (!before(e, heap_[parent])) break;
      heap_[i] = heap_[parent];
      position_[heap_[i].neuron] = i;
      i = parent;
    }
    heap_[i] = e;
    position_[e.neuron] = i;
  }

  // The least of i's children in a heap of `size` entries; `size` when it has none.
  std::uint32_t least_child(std::uint32_t i, std::uint32_t size) const {
    const std::uint32_t first = i * arity + 1;
    if (first >= size) return size;
    std::uint32_t best = first;
    const std::uint32_t end = first + arity < size ? first + arity : size;
    for (std::uint32_t c = first + 1; c < end; ++c)
      if (before(heap_[c], heap_[best])) best = c;
    return best;
  }

  void down(std::uint32_t i) {
    const entry e = heap_[i];
    const auto size = static_cast<std::uint32_t>(heap_.size());
    for (std::uint32_t best; (best = least_child(i, size)) < size && before(heap_[best], e);
         i = best) {
      heap_[i] = heap_[best];
      position_[heap_[i].neuron] = i;
    }
    heap_[i] = e;
    position_[e.neuron] = i;
  }

  std::vector<entry> heap_;
  std::vector<std::uint32_t> position_;  // by neuron; absent when nothing is pending
};

}  // namespace syn::detail
