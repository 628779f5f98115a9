#pragma once

// Axes shared by every figure: a linear map from values to pixels, round tick values
// (1, 2 or 5 × 10^k apart) labelled without floating-point noise, and the drawer of an axis with
// its ticks (labels of class "tick") and its label with units (class "axis-label").

#include <string>
#include <string_view>
#include <vector>

#include "figures/svg_document.hpp"

namespace syn::dsl::figures {

// Values from [low, high] onto pixels from [from, to]; `to` < `from` on a vertical axis.
struct scale {
  double low = 0, high = 1;
  double from = 0, to = 1;
  double operator()(double value) const;
};

// [low, high] widened where it holds one value or none, so that a scale can divide by its span:
// a point gets ±1 around it, and values that are not finite give [0, 1].
scale scale_over(double low, double high, double from, double to);

// The times a figure shows: [from, to] when both are finite and from ≤ to, none otherwise.
struct time_window {
  double from, to;
  bool valid() const;
  bool contains(double t) const;
  bool has_span() const;  // to > from by more than rounding: what a time axis needs
};

struct ticks {
  double step = 0;
  std::vector<double> values;  // multiples of step within [low, high], increasing
  int decimals = 0;            // what the labels need to show step exactly
};

// The smallest 1, 2 or 5 × 10^k that is at least span / count (span > 0, count ≥ 1).
double round_step(double span, int count);
// At most count + 1 ticks within [low, high]; none when the range is empty or not finite.
ticks round_ticks(double low, double high, int count);
// The decimals a label needs to show multiples of a round step exactly.
int decimals_of(double step);
std::string tick_label(double value, int decimals);

enum class axis_side { bottom, left };

// The axis along the scale's pixels, at `at` (a y for the bottom axis, an x for the left one),
// in a <g class="x-axis"> or <g class="y-axis">; an empty label is not drawn. A tick label sits
// exactly at its value: its x on the bottom axis, its y on the left one (shifted by dy). `whole`:
// the ticks are whole numbers (neuron indices), never 0.5.
void draw_axis(svg_document& svg, const scale& s, axis_side side, double at,
               std::string_view label, bool whole = false);

}  // namespace syn::dsl::figures
