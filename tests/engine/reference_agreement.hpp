#pragma once

// How the conductance reference tests (conductance_reference_test.cpp,
// mg_block_reference_test.cpp) hold the engine to a reference: spikes within 1e-9 ms and V samples
// within 1e-9 mV of it, unless it calls the scenario or the sample ill-conditioned; a tally of
// what was compared, and a full report of a disagreement. Templated on the reference's result
// (reference::sampled_result of its number type).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "random_scenario_count.hpp"
#include "reference_result.hpp"
#include "reference_scenario.hpp"

namespace syn::test_scenarios {

constexpr double spike_tolerance = 1e-9;   // ms
constexpr double sample_tolerance = 1e-9;  // mV

template <class Number>
double gap(const Number& a, const std::type_identity_t<Number>& b) {
  return std::abs(reference::to_double(Number(a - b)));
}

// The largest differences yet between the spikes and the samples of pairs of runs, each pair
// with as many spikes and samples on either side.
struct gaps {
  double spike = 0;  // ms
  double v = 0;      // mV
  template <class Result>
  void widen(const Result& a, const Result& b) {
    for (std::size_t k = 0; k < a.spikes.size(); ++k) {
      spike = std::max(spike, gap(a.spikes[k], b.spikes[k]));
    }
    for (std::size_t k = 0; k < a.samples.size(); ++k) {
      v = std::max(v, gap(a.samples[k].v, b.samples[k].v));
    }
  }
};

struct tally {
  std::uint64_t scenarios = 0, with_spikes = 0, reference_spikes = 0, ill_conditioned = 0;
  std::uint64_t samples = 0, ill_samples = 0, disagreements = 0;
};

inline void print_tally(const tally& t) {
  fmt::print(
      "{} scenarios, {} with neuron spikes, {} reference spikes, {} ill-conditioned (skipped); "
      "{} V samples compared, {} ill-conditioned (skipped); {} disagree\n",
      t.scenarios, t.with_spikes, t.reference_spikes, t.ill_conditioned, t.samples, t.ill_samples,
      t.disagreements);
}

template <class Result>
std::string sample_table(const std::vector<double>& times, const Result& ref,
                         const engine_result& eng) {
  std::string out = "  t (ms)  reference (mV)  engine (mV)  difference\n";
  for (std::size_t k = 0; k < times.size(); ++k) {
    const double r = reference::to_double(ref.samples[k].v);
    const double e = k < eng.samples.size() ? eng.samples[k].v : std::nan("");
    out += fmt::format("  {:.17g}  {:.17g}  {:.17g}  {:.3g}{}\n", times[k], r, e, e - r,
                       ref.samples[k].ill_conditioned ? "  (ill-conditioned)" : "");
  }
  return out;
}

// The engine's run of a scenario, or what it threw.
struct engine_outcome {
  engine_result run;
  std::string error;
};

inline engine_outcome engine_run(const scenario& s) {
  try {
    return {run_on_engine(s), {}};
  } catch (const std::exception& e) {
    return {{}, fmt::format("the engine threw: {}\n", e.what())};
  }
}

// Compares the engine with the reference on one scenario; true when they agree (or the scenario
// is ill-conditioned), otherwise reports the scenario in full when `report`.
template <class Result>
bool agree(const scenario& s, const Result& ref, const engine_outcome& outcome, tally& t,
           bool report = true) {
  const std::vector<double> times = sample_times(s);
  const std::vector<double> expected = to_double(ref.spikes);
  ++t.scenarios;
  t.with_spikes += !expected.empty();
  t.reference_spikes += expected.size();
  if (ref.ill_conditioned) {
    ++t.ill_conditioned;
    return true;
  }
  const engine_result& eng = outcome.run;
  std::string problem = outcome.error;
  std::size_t same = 0;  // leading spikes that match
  while (same < std::min(expected.size(), eng.spikes.size()) &&
         std::abs(expected[same] - eng.spikes[same]) <= spike_tolerance) {
    ++same;
  }
  if (problem.empty() && (same < expected.size() || same < eng.spikes.size())) {
    problem = fmt::format("first difference at spike {}\n", same);
  }
  if (problem.empty() && eng.samples.size() != times.size()) {
    problem = fmt::format("{} samples, expected {}\n", eng.samples.size(), times.size());
  }
  for (std::size_t k = 0; problem.empty() && k < times.size(); ++k) {
    if (eng.samples[k].time != times[k]) {
      problem = fmt::format("sample {} at {:.17g} ms, expected {:.17g}\n", k, eng.samples[k].time,
                            times[k]);
    } else if (ref.samples[k].ill_conditioned) {
      ++t.ill_samples;
    } else if (++t.samples; std::abs(eng.samples[k].v - reference::to_double(ref.samples[k].v)) >
                            sample_tolerance) {
      problem = fmt::format("V differs at {:.17g} ms\n", times[k]);
    }
  }
  if (problem.empty()) return true;
  ++t.disagreements;
  if (report) {
    ADD_FAILURE() << describe(s) << problem << "reference " << spike_list(expected)
                  << "\nengine    " << spike_list(eng.spikes) << "\n"
                  << sample_table(times, ref, eng);
  }
  return false;
}

// The same, running the engine only when the reference is well-conditioned.
template <class Result>
bool agree(const scenario& s, const Result& ref, tally& t) {
  return agree(s, ref, ref.ill_conditioned ? engine_outcome{} : engine_run(s), t);
}

// Scenarios make(0) .. make(count - 1) on the reference and the engine, spread over the cores
// (the first tenth under the sanitizers: random_scenario_count.hpp): none may disagree and fewer
// than 1% be ill-conditioned. The environment variable `only`, set to a scenario's number, runs
// that scenario alone and prints it. The first five disagreements are reported in full.
template <class Make, class Reference>
void check_random_scenarios(std::uint64_t count, const char* only, Make make, Reference reference) {
  constexpr int reported = 5;
  const char* one = std::getenv(only);
  const std::uint64_t first = one ? std::strtoull(one, nullptr, 10) : 0;
  const std::uint64_t last = one ? first + 1 : random_scenario_count(count);
  using result = decltype(reference(make(0)));
  const auto runs =
      in_parallel<std::pair<result, engine_outcome>>(first, last, [&](std::uint64_t i) {
        const scenario s = make(i);
        return std::pair{reference(s), engine_run(s)};
      });
  tally t;
  for (std::uint64_t i = first; i < last; ++i) {
    const scenario s = make(i);
    const auto& [ref, eng] = runs[i - first];
    if (one) {
      fmt::print("{}reference {}\nengine    {}\nill-conditioned: {}\n", describe(s),
                 spike_list(to_double(ref.spikes)), spike_list(eng.run.spikes),
                 ref.ill_conditioned.value_or("no"));
    }
    agree(s, ref, eng, t, t.disagreements < reported);
  }
  print_tally(t);
  EXPECT_EQ(t.disagreements, 0u);
  EXPECT_LT(static_cast<double>(t.ill_conditioned), 0.01 * static_cast<double>(t.scenarios));
}

}  // namespace syn::test_scenarios
