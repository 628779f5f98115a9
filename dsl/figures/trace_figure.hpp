#pragma once

// Membrane-potential traces as SVG: V in mV against time in ms, threshold and rest drawn as
// lines, each spike marked where V reaches threshold, and (the PSP figure) each input's arrival
// marked on its trace so that summation can be seen.

#include <limits>
#include <string>
#include <vector>

namespace syn::dsl::figures {

struct trace_data {
  std::string label;           // exc[3]
  std::vector<double> times;   // ms, increasing
  std::vector<double> v;       // mV, one per time
  std::vector<double> spikes;  // ms: when V reached threshold
  std::vector<double> inputs;  // ms: input arrivals to mark on the trace (may be empty)
  double threshold = std::numeric_limits<double>::quiet_NaN();  // mV; NaN: not drawn
  double rest = std::numeric_limits<double>::quiet_NaN();       // mV; NaN: not drawn
};

struct traces_data {
  std::string title;
  double from = 0.0;  // ms: the time axis
  double to = 0.0;
  std::vector<trace_data> traces;
};

// Traces with more points than the plot has room for are thinned (each pixel column keeps its
// first, lowest, highest and last point), and the figure says so in a note (class "note").
//
// What a reader (or a test) finds: one <polyline class="trace" data-label="LABEL"> per trace,
// its finite samples within [from, to] plus the sample just before and just after (the plot
// clips them), unless thinned; one dashed <path class="threshold"> and <path class="rest"> per
// distinct value, labelled by a <text class="line-label">; a <circle class="spike-marker"> at
// (spike time, threshold) for each spike within [from, to] (at the plot's top edge when the
// trace has no threshold); a <path class="arrival" d="M x y ..."> whose first point is the trace
// at the input's time (linear between samples). Axes and legend as in raster_figure.hpp: "V
// (mV)", "time (ms)". Notes say "no traces" or "empty time range" where it applies.
std::string traces_svg(const traces_data& data);

}  // namespace syn::dsl::figures
