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

std::string sweep_svg(const sweep_data& data);

}  // namespace syn::dsl::figures
