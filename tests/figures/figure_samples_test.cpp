// One figure of each kind written to the folder SYN_FIGURE_SAMPLES names, for a person to look
// at (`SYN_FIGURE_SAMPLES=/tmp/fig_samples build/tests/figures/figures_tests`); skipped without it.

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "figures/raster_figure.hpp"
#include "figures/sweep_figure.hpp"
#include "figures/trace_figure.hpp"
#include "test_files.hpp"

namespace syn::dsl::figures {
namespace {

raster_data poisson_raster(std::string title, double rate_hz, std::uint32_t exc,
                           std::uint32_t inh) {
  std::mt19937_64 random(1);
  raster_data data{std::move(title), 0, 1000, {}};
  for (const auto& [name, size] : {std::pair{"exc", exc}, std::pair{"inh", inh}}) {
    raster_group g{name, size, false, {}, {}};
    std::exponential_distribution<double> gap(rate_hz * size / 1000);
    for (double t = gap(random); t < 1000; t += gap(random)) {
      g.times.push_back(t);
      g.indices.push_back(static_cast<std::uint32_t>(random() % size));
    }
    data.groups.push_back(std::move(g));
  }
  raster_group train{"stimulus", 1, true, {100, 300, 500, 700, 900}, {0, 0, 0, 0, 0}};
  data.groups.push_back(std::move(train));
  return data;
}

traces_data psp_traces() {
  traces_data data{"temporal summation", 0, 60, {}};
  const std::vector<std::vector<double>> inputs = {{10, 30}, {10, 12, 14, 16}};
  for (std::size_t n = 0; n < inputs.size(); ++n) {
    trace_data trace;
    trace.label = "n[" + std::to_string(n) + "]";
    trace.inputs = inputs[n];
    trace.threshold = -55;
    trace.rest = -70;
    double v = -70;
    for (int i = 0; i <= 600; ++i) {
      const double t = i * 0.1;
      for (const double input : inputs[n])
        if (std::abs(t - input) < 0.05) v += 6;
      trace.times.push_back(t);
      if (v >= -55) {
        trace.spikes.push_back(t);
        trace.v.push_back(-55);
        v = -70;
        continue;
      }
      trace.v.push_back(v);
      v = -70 + (v + 70) * std::exp(-0.1 / 8);
    }
    data.traces.push_back(std::move(trace));
  }
  return data;
}

TEST(figure_samples, written_when_asked) {
  const char* folder = std::getenv("SYN_FIGURE_SAMPLES");
  if (folder == nullptr) GTEST_SKIP() << "SYN_FIGURE_SAMPLES names no folder";
  const std::filesystem::path out(folder);
  std::filesystem::create_directories(out);
  syn::test::write_file(out / "raster.svg", raster_svg(poisson_raster("raster", 5, 800, 200)));
  syn::test::write_file(out / "raster_density.svg",
                        raster_svg(poisson_raster("raster (density)", 60, 4000, 1000)));
  syn::test::write_file(out / "psp.svg", traces_svg(psp_traces()));
  syn::test::write_file(out / "sweep.svg", sweep_svg({"w_inh",
                                                      "mV",
                                                      {0, 0.5, 1, 1.5, 2, 2.5, 3},
                                                      {{"exc", {38, 25, 16, 11, 8.2, 6.5, 5.9}},
                                                       {"inh", {52, 40, 31, 24, 20, 18, 17}}}}));
  SUCCEED();
}

}  // namespace
}  // namespace syn::dsl::figures
