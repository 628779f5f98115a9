#pragma once

// Membrane-potential traces drawn in text, for the REPL's `plot v of X`.

#include <string>
#include <string_view>
#include <vector>

namespace syn::dsl {

struct plot_point {
  double time;  // ms
  double v;     // mV
};

// The marks of the traces, in order: at most this many traces in one plot.
inline constexpr std::string_view plot_marks = "*o+x#";

// The traces in a box `width` columns by `height` rows, trace i drawn with plot_marks[i] (a later
// trace over an earlier one), threshold marked with '-' and rest with '.', the potential axis on
// the left and the time axis below. Needs 1 to plot_marks.size() traces, each with a point.
std::string plot_traces(const std::vector<std::vector<plot_point>>& traces, double threshold,
                        double rest, int width = 64, int height = 16);

}  // namespace syn::dsl
