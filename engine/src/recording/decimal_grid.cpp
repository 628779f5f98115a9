#include "recording/decimal_grid.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace syn::detail {

namespace {

// Powers of ten that are exact doubles.
constexpr double exact_powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
constexpr int largest_exact_power = 22;
constexpr std::uint64_t exact_integers = std::uint64_t{1} << 53;

}  // namespace

decimal_grid::decimal_grid(double step) : step_(step) {
  // The shortest form, as "d.ddde-x" or "ddd.dd": its digits and where the point goes.
  char buffer[32];
  const char* end =
      std::to_chars(buffer, buffer + sizeof buffer, step, std::chars_format::scientific).ptr;
  const std::string text(buffer, static_cast<std::size_t>(end - buffer));
  const std::size_t e = text.find('e');
  int exponent = std::atoi(text.c_str() + e + 1);
  for (std::size_t i = 0; i < e; ++i) {
    if (text[i] == '.') continue;
    digits_ = digits_ * 10 + static_cast<std::uint64_t>(text[i] - '0');
    if (i > 1) --exponent;  // each digit after the point
  }
  exponent_ = exponent;
}

double decimal_grid::at(std::uint64_t k) const {
  const unsigned __int128 product = static_cast<unsigned __int128>(k) * digits_;
  if (product < exact_integers) {
    // An exact integer times or over an exact power of ten: IEEE arithmetic rounds the exact
    // result once.
    const auto whole = static_cast<double>(static_cast<std::uint64_t>(product));
    if (exponent_ >= 0 && exponent_ <= largest_exact_power) return whole * exact_powers[exponent_];
    if (exponent_ < 0 && -exponent_ <= largest_exact_power) return whole / exact_powers[-exponent_];
  }
  // Otherwise the decimal itself, read with one rounding.
  const auto high = static_cast<std::uint64_t>(product / 10'000'000'000'000'000'000ULL);
  const auto low = static_cast<std::uint64_t>(product % 10'000'000'000'000'000'000ULL);
  const std::string text = high ? fmt::format("{}{:019}e{}", high, low, exponent_)
                                : fmt::format("{}e{}", low, exponent_);
  double t = 0.0;
  const auto result = std::from_chars(text.data(), text.data() + text.size(), t);
  // Beyond the largest double (k * step >= step, so never below the smallest): never reached.
  return result.ec == std::errc::result_out_of_range ? std::numeric_limits<double>::infinity() : t;
}

std::uint64_t decimal_grid::first_at_or_after(double t) const {
  // k within the exact integers of a double (record_v refuses steps too fine for the present),
  // so the estimate is off by a step or two at most.
  auto k = static_cast<std::uint64_t>(std::max(0.0, std::ceil(t / step_)));
  while (k > 0 && at(k - 1) >= t) --k;
  while (at(k) < t) ++k;
  return k;
}

}  // namespace syn::detail
