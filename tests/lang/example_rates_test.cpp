// The network examples fire at the rates their peers measured (Brian2; see each example's
// header), within 10 %, or within 3 standard deviations of one run's rate between seeds where
// that is wider (COBA: its peer's rate is a mean over seeds, the test runs one). A wrong sign,
// weight unit, delay or connection rule moves these rates by far more. The Brette et al. networks
// run 1 s instead of their 10 s, to keep the test short under the sanitizers: their rate over the
// first second is within 3 % of that over 10 s (the COBA example runs 1 s as written).

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <ostream>
#include <regex>
#include <stdexcept>
#include <string>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

struct peer_rate {
  const char* example;
  const char* run;        // its last run statement, to shorten ("" to run it as written)
  const char* short_run;  // what the test runs instead
  double hz;              // the peer's mean rate
  double seed_sd = 0.0;   // Hz: of Syn's rate between seeds, where it exceeds 3 % of hz
};

void PrintTo(const peer_rate& p, std::ostream* out) { *out << p.example; }

// Mean rate per neuron from the summary line of `syn run`.
double summary_rate(const std::string& err) {
  std::smatch m;
  if (!std::regex_search(err, m, std::regex(R"(\(([0-9.e+]+) Hz per neuron\))")))
    throw std::runtime_error("no rate in the summary:\n" + err);
  return std::stod(m[1]);
}

class example_rate : public ::testing::TestWithParam<peer_rate> {};

TEST_P(example_rate, is_the_peers_rate) {
  const peer_rate& p = GetParam();
  temp_dir tmp;
  std::string text = read_file(fs::path(SYN_EXAMPLES) / p.example);
  if (*p.run) {
    const auto at = text.rfind(p.run);
    ASSERT_NE(at, std::string::npos) << p.example << " has no '" << p.run << "'";
    text.replace(at, std::string(p.run).size(), p.short_run);
  }
  write_file(tmp / p.example, text);
  const syn_result r = run_syn({"run", p.example, "--out", "out"}, tmp.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NEAR(summary_rate(r.err), p.hz, std::max(0.1 * p.hz, 3.0 * p.seed_sd)) << r.err;
}

const peer_rate peers[] = {
    {"brette_benchmark4.syn", "run 10 s", "run 1 s", 10.0},  // Brian2 cpp_standalone, dt 0.1 ms
    {"brette_cuba.syn", "param duration = 10 s", "param duration = 1 s", 5.6},  // the same
    {"brunel_sr.syn", "", "", 313.9},  // examples/peers/brunel_sr_brian2.py
    // examples/peers/brette_coba_brian2.py (Euler, dt 0.1 ms): the mean over seeds 1-40 of the
    // 38 runs that sustained themselves after the kick (sd 1.2 Hz between seeds; the other two
    // fell silent, as Syn's runs do for about one seed in ten). Syn's sustained runs over seeds
    // 1-50 (45 of them): mean 20.4 Hz, sd 1.3 Hz; the file's seed gives 23.2 Hz.
    {"brette_coba.syn", "", "", 20.7, 1.3},
    // The same script with --vabenchmarks (PyNN's VAbenchmarks COBA): the mean over seeds 1-30,
    // all of which sustained themselves (sd 1.4 Hz). Syn over seeds 1-30: 29 sustained, mean
    // 14.4 Hz, sd 0.9 Hz; the file's seed gives 14.7 Hz. syn.pynn running PyNN's script: 14.4 Hz
    // over seeds 1-12 (docs/pynn.md).
    {"vabenchmarks_coba.syn", "", "", 14.47, 0.9},
};

INSTANTIATE_TEST_SUITE_P(examples, example_rate, ::testing::ValuesIn(peers),
                         [](const auto& p) { return test_name_of(p.param.example); });

}  // namespace
}  // namespace syn::test
