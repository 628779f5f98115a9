#include "random_stream.hpp"

#include <cmath>

namespace syn::dsl {

double random_stream::nonnegative_normal(double mean, double sd) {
  if (!(sd > 0.0)) return mean;
  if (mean >= 0.0) {
    // At least half of all draws are accepted.
    double x;
    do x = normal(mean, sd);
    while (x < 0.0);
    return x;
  }
  // The tail beyond alpha = -mean/sd standard deviations, by Robert (1995): an exponential
  // proposal with the optimal rate, accepted with probability exp(-(z - rate)^2 / 2). Its
  // acceptance stays above 0.75 however far the tail, where plain redrawing would stall.
  const double alpha = -mean / sd;
  const double rate = 0.5 * (alpha + std::sqrt(alpha * alpha + 4.0));
  for (;;) {
    const double z = alpha + exponential(1.0 / rate);
    const double x = mean + sd * z;
    if (x >= 0.0 && uniform() < std::exp(-0.5 * (z - rate) * (z - rate))) return x;
  }
}

double random_stream::draw(const distribution& d) {
  switch (d.shape) {
    case distribution::kind::constant:
      return d.a;
    case distribution::kind::uniform:
      return uniform(d.a, d.b);
    case distribution::kind::normal:
      return nonnegative_normal(d.a, d.b);
    case distribution::kind::exponential:
      return exponential(d.a);
  }
  return d.a;  // unreachable for a valid kind
}

double random_stream::draw_positive(const distribution& d) {
  if (d.shape == distribution::kind::constant) return d.a;
  double x;
  do x = draw(d);
  while (x <= 0.0);
  return x;
}

}  // namespace syn::dsl
