#pragma once

// A parameter sweep as SVG: each population's rate in Hz against the swept parameter.

#include <string>
#include <vector>

namespace syn::dsl::figures {

struct sweep_series {
  std::string name;           // the population
  std::vector<double> rates;  // Hz, one per value
};

struct sweep_data {
  std::string parameter;      // w_inh
  std::string unit;           // mV
  std::vector<double> values; // in `unit`, in the order run
  std::vector<sweep_series> series;
};

// Titled "rate against PARAMETER". What a reader (or a test) finds: per population a <g
// data-population="NAME"> holding a <polyline class="series"> through its points in the order of
// the values and a <circle class="point"> per run with a finite value and rate. Axes and legend
// as in raster_figure.hpp: "rate (Hz)", "PARAMETER (UNIT)" (or "PARAMETER" without a unit).
// Notes say "no runs" or "no populations" where it applies.
std::string sweep_svg(const sweep_data& data);

}  // namespace syn::dsl::figures
