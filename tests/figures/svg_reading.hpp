#pragma once

// Figures read back as a user's viewer would: the SVG parsed with pugixml, elements found by
// class, and pixel positions turned back into values through the figure's own tick labels.

#include <pugixml.hpp>
#include <string>
#include <vector>

namespace syn::dsl::figures::test {

// The figure parsed; a parse error, a missing xmlns or viewBox, or "nan"/"inf" anywhere fails
// the calling test.
struct figure {
  explicit figure(const std::string& svg, bool may_hold_nan_text = false);
  pugi::xml_document doc;
  std::string text;

  std::vector<pugi::xml_node> with_class(const std::string& cls) const;
  std::vector<std::string> texts_of(const std::string& cls) const;
};

// value = a + b × pixel, fitted on an axis's tick labels (at least two).
struct axis_map {
  double a = 0, b = 0;
  double step = 0;  // between consecutive ticks
  double operator()(double pixel) const { return a + b * pixel; }
};
// The axis (a <g class="x-axis"> or "y-axis") whose index among its kind is `index`.
axis_map x_axis(const figure& f, std::size_t index = 0);
axis_map y_axis(const figure& f, std::size_t index = 0);

// Every axis's tick labels are round: equally spaced by 1, 2 or 5 × 10^k, each a multiple of
// that step.
void expect_round_ticks(const figure& f);

// The numbers of a "points" attribute, as (x, y) pairs, and of a path's "d" (its numbers only).
std::vector<std::pair<double, double>> points_of(const pugi::xml_node& node);
std::vector<double> path_numbers(const pugi::xml_node& node);

}  // namespace syn::dsl::figures::test
