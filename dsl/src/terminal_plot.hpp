#pragma once

// A membrane-potential trace drawn in text, for the REPL's `plot v of X`.

#include <string>
#include <vector>

namespace syn::dsl {

struct plot_point {
  double time;  // ms
  double v;     // mV
};

// The trace in a box `width` columns by `height` rows, threshold marked with '-' and rest with
// '.', the potential axis on the left and the time axis below. Needs at least one point.
std::string plot_trace(const std::vector<plot_point>& points, double threshold, double rest,
                       int width = 64, int height = 16);

}  // namespace syn::dsl
