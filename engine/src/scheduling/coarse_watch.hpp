#pragma once

#include <bit>
#include <cstdint>
#include <limits>
#include <vector>

namespace syn::detail {

// The neurons watched coarsely, and the watch instants: multiples of the shortest window of the
// models that have one. A watched neuron has no event of its own; at each watch instant its
// cell kind takes its bounds again (see engine/README.md). One bit a neuron, so that a pass
// visits the watched neurons in index order.
class coarse_watch {
 public:
  explicit coarse_watch(std::uint32_t neurons) : bits_((neurons + 63) / 64, 0) {}

  void set_window(double window) { window_ = window; }
  double window() const { return window_; }

  // The next watch instant; infinity while no neuron is watched.
  double time() const {
    return count_ == 0 ? std::numeric_limits<double>::infinity()
                       : static_cast<double>(k_) * window_;
  }

  // n is watched from t on, t possibly later than the present (a neuron predicted from the end
  // of its refractory period): the next watch instant is the first after t, if none is sooner.
  void add(std::uint32_t n, double t) {
    bits_[n / 64] |= std::uint64_t{1} << n % 64;
    auto k = static_cast<std::uint64_t>(t / window_) + 1;
    while (static_cast<double>(k) * window_ <= t) ++k;
    if (count_++ == 0 || k < k_) k_ = k;
  }

  void remove(std::uint32_t n) {
    bits_[n / 64] &= ~(std::uint64_t{1} << n % 64);
    --count_;
  }

  bool contains(std::uint32_t n) const { return (bits_[n / 64] >> n % 64 & 1) != 0; }

  // The number of the watch instant now passed; the next one comes a window later.
  std::uint64_t pass() { return k_++; }

  // f(n) for each watched neuron, in index order; f may stop watching n.
  template <typename F>
  void for_each(F&& f) {
    for (std::size_t w = 0; w < bits_.size(); ++w)
      for (std::uint64_t bits = bits_[w]; bits != 0; bits &= bits - 1)
        f(static_cast<std::uint32_t>(w * 64 + std::countr_zero(bits)));
  }

 private:
  std::vector<std::uint64_t> bits_;
  std::uint32_t count_ = 0;
  double window_ = std::numeric_limits<double>::infinity();  // ms
  std::uint64_t k_ = 0;                                      // the next watch instant is k_ windows
};

}  // namespace syn::detail
