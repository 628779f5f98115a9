// Spike trains as a model produces them (parsed, lowered, run and written as `syn run` does):
// Poisson trains against the exponential law, regular trains and replayed files exactly.
// Random outcomes use fixed seeds and 4-sigma or 1 % bounds, wide enough for any sound generator.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "model_runner.hpp"

namespace syn::dsl {
namespace {

TEST(train_statistics, poisson_trains_have_exponential_intervals) {
  syn::test::temp_dir tmp;
  ASSERT_NO_FATAL_FAILURE(test::run_model(R"(seed = 3
train t = 200 x poisson 20 Hz
record spikes
run 10 s
)",
                                          tmp.path() / "out"));
  const replay r = test::read_spikes(tmp.path() / "out" / "spikes.csv");
  const double rate = 0.02, duration = 10000.0;  // 1/ms, ms
  ASSERT_EQ(r.sources.size(), 200u);

  // Counts: the total is Poisson(40000); across sources the variance equals the mean.
  std::vector<double> counts;
  double total = 0.0;
  for (const auto& times : r.sources) {
    counts.push_back(static_cast<double>(times.size()));
    total += counts.back();
    ASSERT_GE(times.front(), 0.0);
    ASSERT_LE(times.back(), duration);
  }
  const double expected = 200 * rate * duration;
  EXPECT_NEAR(total, expected, 4 * std::sqrt(expected));
  const double mean_count = total / 200;
  double squares = 0.0;
  for (const double c : counts) squares += (c - mean_count) * (c - mean_count);
  const double per_source = rate * duration;
  EXPECT_NEAR(squares / 199, per_source, 4 * per_source * std::sqrt(2.0 / 199));
  EXPECT_NE(r.sources[0], r.sources[1]);  // independent sources

  // Intervals (the first from 0 ms) that start before the last second: each is exponential
  // whether or not it ends within the run, as one longer than 1 s has probability e^-20.
  std::vector<double> intervals;
  for (const auto& times : r.sources) {
    double last = 0.0;
    for (const double t : times) {
      if (last >= duration - 1000.0) break;
      intervals.push_back(t - last);
      last = t;
    }
  }
  const double count = static_cast<double>(intervals.size());
  double sum = 0.0, sum_squares = 0.0;
  for (const double i : intervals) sum += i;
  const double mean = sum / count;
  for (const double i : intervals) sum_squares += (i - mean) * (i - mean);
  const double cv = std::sqrt(sum_squares / (count - 1)) / mean;
  EXPECT_NEAR(mean, 1 / rate, 4 / rate / std::sqrt(count));
  EXPECT_NEAR(cv, 1.0, 0.05);

  // Kolmogorov-Smirnov against the exponential of the stated rate (no parameter fitted).
  std::sort(intervals.begin(), intervals.end());
  double ks = 0.0;
  for (std::size_t i = 0; i < intervals.size(); ++i) {
    const double cdf = -std::expm1(-rate * intervals[i]);
    ks = std::max(
        {ks, cdf - static_cast<double>(i) / count, static_cast<double>(i + 1) / count - cdf});
  }
  EXPECT_LT(ks, 1.628 / std::sqrt(count));  // the 1 % critical value
}

TEST(train_statistics, regular_trains_spike_exactly_on_their_grid) {
  syn::test::temp_dir tmp;
  ASSERT_NO_FATAL_FAILURE(test::run_model(R"(train r = 3 x regular 40 Hz from 5 ms to 1005 ms
train s = regular 1 kHz from 0.5 ms to 20 ms
record spikes
run 2 s
)",
                                          tmp.path() / "out"));
  const replay got = test::read_spikes(tmp.path() / "out" / "spikes.csv");
  ASSERT_EQ(got.sources.size(), 4u);
  for (std::size_t i = 0; i < got.sources.size(); ++i) {
    const auto& [population, index] = got.ids[i];
    // r: 5 + 25 k ms while before 1005 ms, 40 spikes; s: 0.5 + k ms before 20 ms, 20 spikes.
    const bool is_r = population == "r";
    const std::size_t spikes = is_r ? 40 : 20;
    ASSERT_EQ(got.sources[i].size(), spikes) << population << "[" << index << "]";
    for (std::size_t k = 0; k < spikes; ++k)
      EXPECT_NEAR(got.sources[i][k], is_r ? 5.0 + 25.0 * k : 0.5 + 1.0 * k, 1e-9)
          << population << "[" << index << "] spike " << k;
  }
}

TEST(train_statistics, a_file_train_replays_recorded_spikes_exactly) {
  syn::test::temp_dir tmp;
  ASSERT_NO_FATAL_FAILURE(test::run_model(R"(seed = 5
receptor J { kinetics = jump; effect = excitatory }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; refractory = 2 ms }
train bg = 20 x poisson 50 Hz
population p = 20 x LIF
connect bg -> p via J weight 8 mV delay uniform(0.5 ms, 1.5 ms) with probability 0.3
record spikes
run 500 ms
)",
                                          tmp.path() / "recorded"));
  // File paths are relative to the model's folder, here tmp.
  ASSERT_NO_FATAL_FAILURE(test::run_model(R"(train r = file "recorded/spikes.csv"
record spikes
run 500 ms
)",
                                          tmp.path() / "replayed"));
  const replay recorded = test::read_spikes(tmp.path() / "recorded" / "spikes.csv");
  const replay replayed = test::read_spikes(tmp.path() / "replayed" / "spikes.csv");
  ASSERT_EQ(replayed.sources.size(), recorded.sources.size());
  std::size_t neuron_spikes = 0;
  for (std::size_t i = 0; i < replayed.sources.size(); ++i) {
    const auto& [population, index] = replayed.ids[i];
    ASSERT_EQ(population, "r");
    // Source k of r is the k-th (population, index) of the file; times read back bit for bit.
    EXPECT_EQ(replayed.sources[i], recorded.sources.at(index)) << "r[" << index << "]";
    if (recorded.ids.at(index).first == "p") neuron_spikes += recorded.sources.at(index).size();
  }
  EXPECT_GT(neuron_spikes, 100u);  // the network's own spike times are replayed too
}

}  // namespace
}  // namespace syn::dsl
