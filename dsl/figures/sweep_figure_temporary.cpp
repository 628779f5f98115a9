// TEMPORARY: a stand-in for figures::sweep_svg until the fig branch lands; deleted then.
#include <fmt/format.h>

#include "figures/sweep_figure.hpp"

namespace syn::dsl::figures {

std::string sweep_svg(const sweep_data& data) {
  std::string out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"400\" height=\"300\">\n";
  for (const sweep_series& s : data.series)
    for (std::size_t i = 0; i < data.values.size(); ++i)
      out += fmt::format("<circle cx=\"{}\" cy=\"{}\" r=\"2\"/>\n", data.values[i], s.rates[i]);
  return out + "</svg>\n";
}

}  // namespace syn::dsl::figures
