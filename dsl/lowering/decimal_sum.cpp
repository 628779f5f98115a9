#include "lowering/decimal_sum.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace syn::dsl {

namespace {

// x = digits · 10^exponent, from the shortest form that reads back as x ("1.5e-07", "150").
struct decimal {
  std::string digits;
  int exponent = 0;
};

decimal decimal_of(double x) {
  const std::string text = fmt::format("{}", x);
  const std::size_t e = text.find('e');
  decimal d;
  if (e != std::string::npos) d.exponent = std::atoi(text.c_str() + e + 1);
  const std::string mantissa = text.substr(0, e);
  const std::size_t point = mantissa.find('.');
  d.digits = mantissa;
  if (point != std::string::npos) {
    d.digits.erase(point, 1);
    d.exponent -= static_cast<int>(mantissa.size() - point - 1);
  }
  return d;
}

}  // namespace

double decimal_sum(double a, double b) {
  if (b == 0.0) return a;
  if (a == 0.0) return b;
  decimal x = decimal_of(a), y = decimal_of(b);
  // Both on the finer exponent, then added digit by digit from the right.
  const int exponent = std::min(x.exponent, y.exponent);
  x.digits.append(static_cast<std::size_t>(x.exponent - exponent), '0');
  y.digits.append(static_cast<std::size_t>(y.exponent - exponent), '0');
  if (x.digits.size() < y.digits.size()) std::swap(x, y);
  y.digits.insert(0, x.digits.size() - y.digits.size(), '0');
  std::string sum(x.digits.size(), '0');
  int carry = 0;
  for (std::size_t i = sum.size(); i-- > 0;) {
    const int digit = (x.digits[i] - '0') + (y.digits[i] - '0') + carry;
    sum[i] = static_cast<char>('0' + digit % 10);
    carry = digit / 10;
  }
  if (carry) sum.insert(0, 1, '1');
  // strtod rounds the exact decimal once, to nearest.
  return std::strtod(fmt::format("{}e{}", sum, exponent).c_str(), nullptr);
}

}  // namespace syn::dsl
