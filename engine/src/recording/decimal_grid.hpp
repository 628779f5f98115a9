#pragma once

#include <cstdint>

namespace syn::detail {

// The times k * step for k = 0, 1, ..., with step taken as the decimal it prints as (its shortest
// round-trip form: 0.1, not 0.1000000000000000055...) and each k * step computed exactly in
// decimal, then rounded once: the 82nd sample of `every 0.1 ms` is at 8.2, not at the running
// product 8.200000000000001.
class decimal_grid {
 public:
  explicit decimal_grid(double step);
  double at(std::uint64_t k) const;
  // The first k whose time is at or after t (t >= 0, t / step below 2^53).
  std::uint64_t first_at_or_after(double t) const;
  double step() const { return step_; }

 private:
  double step_;
  std::uint64_t digits_ = 0;  // step = digits_ * 10^exponent_, exactly
  int exponent_ = 0;
};

}  // namespace syn::detail
