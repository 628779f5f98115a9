#include "lowering/random_stream.hpp"

namespace syn::dsl {

double random_stream::draw(const distribution& d) {
  switch (d.shape) {
    case distribution::kind::constant:
      return d.a;
    case distribution::kind::uniform:
      return uniform(d.a, d.b);
    case distribution::kind::normal:
      return normal(d.a, d.b);
    case distribution::kind::exponential:
      return exponential(d.a);
  }
  return d.a;  // unreachable for a valid kind
}

double random_stream::draw_magnitude(const distribution& d) {
  double x;
  do x = draw(d);
  while (x < 0.0);
  return x;
}

double random_stream::draw_positive(const distribution& d) {
  double x;
  do x = draw(d);
  while (x <= 0.0);
  return x;
}

}  // namespace syn::dsl
