// Per-population rate, CV of inter-spike intervals and synchrony, streamed from the simulator's
// spikes (run/population_statistics.hpp), against the same definitions computed here from the
// spikes.csv the run wrote.

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "front_end/front_end.hpp"
#include "model_runner.hpp"
#include "test_files.hpp"

namespace syn::dsl {
namespace {

struct recorded {
  run_summary summary;
  // spikes.csv: by population, by index, the spike times
  std::map<std::string, std::map<std::uint32_t, std::vector<double>>> spikes;
};

recorded run(const std::string& text) {
  syn::test::temp_dir tmp;
  recorded r;
  r.summary = test::run_model(text, tmp.path() / "out");
  std::ifstream csv(tmp.path() / "out" / "spikes.csv");
  std::string line;
  std::getline(csv, line);
  while (std::getline(csv, line)) {
    std::stringstream row(line);
    std::string time, population, index;
    std::getline(row, time, ',');
    std::getline(row, population, ',');
    std::getline(row, index, ',');
    r.spikes[population][std::stoul(index)].push_back(std::stod(time));
  }
  return r;
}

const population_summary& population(const run_summary& s, const std::string& name) {
  for (const population_summary& p : s.populations)
    if (p.name == name) return p;
  throw std::runtime_error("no population " + name);
}

// The definitions, written plainly: the mean of per-element CVs (sd with 1/n), and Golomb's chi
// from counts in whole 5 ms bins from `since` to `end`.
double cv_of(const std::map<std::uint32_t, std::vector<double>>& trains) {
  double sum = 0;
  int n = 0;
  for (const auto& [index, times] : trains) {
    if (times.size() < 3) continue;
    std::vector<double> isi;
    for (std::size_t i = 1; i < times.size(); ++i) isi.push_back(times[i] - times[i - 1]);
    double mean = 0;
    for (const double x : isi) mean += x;
    mean /= isi.size();
    double var = 0;
    for (const double x : isi) var += (x - mean) * (x - mean);
    var /= isi.size();
    sum += std::sqrt(var) / mean;
    ++n;
  }
  return sum / n;
}

double chi_of(const std::map<std::uint32_t, std::vector<double>>& trains, std::uint32_t size,
              double since, double end) {
  const double bin = 5;
  const auto bins = static_cast<std::size_t>(std::floor((end - since) / bin));
  std::vector<std::vector<double>> counts(size, std::vector<double>(bins, 0.0));
  for (const auto& [index, times] : trains)
    for (const double t : times) {
      const auto b = static_cast<std::size_t>(std::floor((t - since) / bin));
      if (b < bins) counts[index][b] += 1;
    }
  const auto variance = [&](const std::vector<double>& x) {
    double mean = 0, squares = 0;
    for (const double v : x) mean += v;
    mean /= x.size();
    for (const double v : x) squares += (v - mean) * (v - mean);
    return squares / x.size();
  };
  std::vector<double> population(bins, 0.0);
  double element_variance = 0;
  for (const auto& c : counts) {
    for (std::size_t b = 0; b < bins; ++b) population[b] += c[b] / size;
    element_variance += variance(c) / size;
  }
  return std::sqrt(variance(population) / element_variance);
}

TEST(population_statistics, match_the_recorded_spikes) {
  const recorded r =
      run("seed = 3\n"
          "receptor AMPA { reversal = 0 mV; decay = 2 ms }\n"
          "neuron LIF { rest = -70 mV; threshold = -55 mV; refractory = 2 ms; tau_m = 10 ms }\n"
          "population exc = 50 x LIF { v0 = uniform(-70 mV, -56 mV) }\n"
          "train reg = 10 x regular 50 Hz from 0 ms to 1000 ms\n"
          "train poi = 40 x poisson 40 Hz\n"
          "connect poi -> exc via AMPA weight 3 mV delay 1 ms with probability 0.2\n"
          "connect reg -> exc via AMPA weight 1 mV delay 1 ms\n"
          "record spikes\n"
          "run 1000 ms\n"
          "train late = 5 x regular 100 Hz from 0 ms to 2000 ms\n"
          "record spikes\n"
          "run 502 ms\n");
  ASSERT_FALSE(HasFailure());
  const run_summary& s = r.summary;
  for (const char* name : {"exc", "reg", "poi"}) {
    SCOPED_TRACE(name);
    const population_summary& p = population(s, name);
    const auto& trains = r.spikes.at(name);
    std::uint64_t count = 0;
    for (const auto& [index, times] : trains) count += times.size();
    EXPECT_EQ(p.spikes, count);
    ASSERT_TRUE(p.rate_hz);
    EXPECT_NEAR(*p.rate_hz, count / static_cast<double>(p.size) / 1.502, 1e-9);
    ASSERT_TRUE(p.cv_isi);
    EXPECT_NEAR(*p.cv_isi, cv_of(trains), 1e-9);
    ASSERT_TRUE(p.synchrony);
    EXPECT_NEAR(*p.synchrony, chi_of(trains, p.size, 0, 1502), 1e-9);
  }
  EXPECT_GT(population(s, "exc").spikes, 1000u);
  EXPECT_NEAR(*population(s, "reg").cv_isi, 0.0, 1e-9);     // regular trains
  EXPECT_NEAR(*population(s, "reg").synchrony, 1.0, 1e-9);  // all in the same bins
  EXPECT_NEAR(*population(s, "poi").cv_isi, 1.0, 0.1);      // Poisson
  EXPECT_LT(*population(s, "poi").synchrony, 0.4);          // independent: about 1/sqrt(40)
  // A train added after the first run: its rate over the 502 ms since it took effect.
  const population_summary& late = population(s, "late");
  EXPECT_EQ(late.spikes, 5u * 51u);
  EXPECT_NEAR(*late.rate_hz, 51 / 0.502, 1e-9);
  EXPECT_TRUE(late.is_train);
  EXPECT_EQ(population(s, "exc").type, "LIF");
}

TEST(population_statistics, undefined_values_are_none) {
  const recorded r =
      run("neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
          "population quiet = 3 x LIF\n"
          "train one = times [1 ms]\n"
          "run 3 ms\n");
  ASSERT_FALSE(HasFailure());
  const population_summary& quiet = population(r.summary, "quiet");
  EXPECT_EQ(quiet.spikes, 0u);
  EXPECT_EQ(*quiet.rate_hz, 0.0);
  EXPECT_FALSE(quiet.cv_isi);
  EXPECT_FALSE(quiet.synchrony);                         // fewer than 2 whole bins, and no spike
  EXPECT_FALSE(population(r.summary, "one").synchrony);  // one element
}

TEST(json_string, escapes_what_json_needs_and_keeps_utf8) {
  EXPECT_EQ(json_string("syn-out"), "\"syn-out\"");
  EXPECT_EQ(json_string("a\"b\\c\nd\te\x01\x7f"), "\"a\\\"b\\\\c\\nd\\te\\u0001\\u007f\"");
  EXPECT_EQ(json_string("\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
            "\"\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
  // A lone continuation byte, a truncated sequence, an overlong '/' and a surrogate.
  EXPECT_EQ(json_string("\x80|\xc3|\xc0\xaf|\xed\xa0\x80"),
            "\"\\ufffd|\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\"");
}

}  // namespace
}  // namespace syn::dsl
