// The trace figure read back: each trace's points, thinning with its note, the threshold and rest
// lines, a marker per spike at threshold height and per input on the trace (the PSP figure).

#include "figures/trace_figure.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "figures/svg_document.hpp"
#include "svg_reading.hpp"

namespace syn::dsl::figures {
namespace {

trace_data sampled(std::string label, double dt, std::size_t n,
                   const std::function<double(double)>& v) {
  trace_data trace;
  trace.label = std::move(label);
  for (std::size_t i = 0; i < n; ++i) {
    trace.times.push_back(static_cast<double>(i) * dt);
    trace.v.push_back(v(trace.times.back()));
  }
  return trace;
}

// V between samples, as a straight line, computed again here.
double interpolated(const trace_data& trace, double t) {
  for (std::size_t i = 1; i < trace.times.size(); ++i)
    if (trace.times[i] >= t) {
      const double share = (t - trace.times[i - 1]) / (trace.times[i] - trace.times[i - 1]);
      return trace.v[i - 1] + share * (trace.v[i] - trace.v[i - 1]);
    }
  return trace.v.back();
}

// Samples within [from, to], and one on each side where there is one.
std::size_t points_expected(const trace_data& trace, double from, double to) {
  std::size_t inside = 0;
  bool before = false, after = false;
  for (const double t : trace.times) {
    inside += t >= from && t <= to;
    before |= t < from;
    after |= t > to;
  }
  return inside + (before && inside + after > 0) + (after && inside + before > 0);
}

// An EPSP of 4 mV decaying in 5 ms from each input, on a rest of -70 mV.
double psp(double t, const std::vector<double>& inputs) {
  double v = -70;
  for (const double input : inputs)
    if (t >= input) v += 4 * std::exp(-(t - input) / 5);
  return v;
}

TEST(trace_figure, draws_every_point_within_the_window_and_its_neighbours) {
  traces_data data{"traces", 20, 50, {}};
  data.traces.push_back(sampled("exc[0]", 0.1, 1000, [](double t) { return -65 + std::sin(t); }));
  data.traces.push_back(sampled("exc[1]", 0.25, 80, [](double t) { return -60 - t / 10; }));
  data.traces.push_back(sampled("late", 1, 10, [](double t) { return t; }));
  const test::figure f(traces_svg(data));
  const std::vector<pugi::xml_node> lines = f.with_class("trace");
  ASSERT_EQ(lines.size(), 3u);
  const test::axis_map time = test::x_axis(f), v = test::y_axis(f);
  for (std::size_t ti = 0; ti < 3; ++ti) {
    const trace_data& trace = data.traces[ti];
    EXPECT_EQ(lines[ti].attribute("data-label").value(), trace.label);
    const auto points = test::points_of(lines[ti]);
    ASSERT_EQ(points.size(), points_expected(trace, data.from, data.to)) << trace.label;
    for (const auto& [x, y] : points) {
      const double t = time(x);
      const auto sample =
          std::min_element(trace.times.begin(), trace.times.end(),
                           [&](double l, double r) { return std::abs(l - t) < std::abs(r - t); });
      EXPECT_NEAR(t, *sample, 0.01);
      EXPECT_NEAR(v(y), trace.v[static_cast<std::size_t>(sample - trace.times.begin())], 0.01);
    }
  }
  EXPECT_TRUE(f.with_class("note").empty());
  EXPECT_EQ(f.texts_of("axis-label"), (std::vector<std::string>{"V (mV)", "time (ms)"}));
  EXPECT_EQ(f.texts_of("legend"), (std::vector<std::string>{"exc[0]", "exc[1]", "late"}));
  test::expect_round_ticks(f);
}

TEST(trace_figure, thins_dense_traces_keeping_their_extremes) {
  traces_data data{"dense", 0, 1000, {}};
  data.traces.push_back(sampled("exc[0]", 0.01, 100000, [](double t) {
    return -65 + 10 * std::sin(t * 1.3) + (std::fmod(t, 97) < 0.01 ? 30 : 0);
  }));
  const test::figure f(traces_svg(data));
  const auto points = test::points_of(f.with_class("trace").front());
  EXPECT_LE(points.size(), 4 * static_cast<std::size_t>(plot_right - plot_left + 1));
  EXPECT_GT(points.size(), 2 * static_cast<std::size_t>(plot_right - plot_left));
  const std::vector<std::string> notes = f.texts_of("note");
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0], "exc[0]: 100,000 points drawn as " + grouped(points.size()) +
                          " (the first, lowest, highest and last of each pixel column)");
  const test::axis_map time = test::x_axis(f), v = test::y_axis(f);
  const auto [low, high] = std::minmax_element(data.traces[0].v.begin(), data.traces[0].v.end());
  double drawn_low = INFINITY, drawn_high = -INFINITY;
  for (const auto& [x, y] : points) {
    drawn_low = std::min(drawn_low, v(y));
    drawn_high = std::max(drawn_high, v(y));
  }
  EXPECT_NEAR(drawn_low, *low, 0.02);
  EXPECT_NEAR(drawn_high, *high, 0.02);
  EXPECT_NEAR(time(points.front().first), 0, 0.01);
  EXPECT_NEAR(time(points.back().first), data.traces[0].times.back(), 0.01);
  for (std::size_t i = 1; i < points.size(); ++i) EXPECT_GE(points[i].first, points[i - 1].first);
}

TEST(trace_figure, marks_spikes_at_threshold_and_inputs_on_the_trace) {
  const std::vector<double> inputs = {10, 12.05, 14, 60};
  traces_data data{"summation", 0, 50, {}};
  data.traces.push_back(sampled("exc[3]", 0.1, 600, [&](double t) { return psp(t, inputs); }));
  data.traces[0].inputs = inputs;
  data.traces[0].spikes = {30, 55};
  data.traces[0].threshold = -50;
  data.traces[0].rest = -70;
  const test::figure f(traces_svg(data));
  const test::axis_map time = test::x_axis(f), v = test::y_axis(f);

  const std::vector<pugi::xml_node> arrivals = f.with_class("arrival");
  ASSERT_EQ(arrivals.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const std::vector<double> d = test::path_numbers(arrivals[i]);
    EXPECT_NEAR(time(d[0]), inputs[i], 0.01);
    EXPECT_NEAR(v(d[1]), interpolated(data.traces[0], inputs[i]), 0.01);
  }
  const std::vector<pugi::xml_node> spikes = f.with_class("spike-marker");
  ASSERT_EQ(spikes.size(), 1u);
  EXPECT_NEAR(time(spikes[0].attribute("cx").as_double()), 30, 0.01);
  EXPECT_NEAR(v(spikes[0].attribute("cy").as_double()), -50, 0.01);

  for (const auto& [cls, value] : {std::pair{"threshold", -50.0}, std::pair{"rest", -70.0}}) {
    const std::vector<pugi::xml_node> lines = f.with_class(cls);
    ASSERT_EQ(lines.size(), 1u) << cls;
    const std::vector<double> d = test::path_numbers(lines[0]);
    EXPECT_NEAR(v(d[1]), value, 0.01) << cls;
    EXPECT_STREQ(lines[0].attribute("stroke-dasharray").value(), "6 4");
  }
  EXPECT_EQ(f.texts_of("line-label"), (std::vector<std::string>{"threshold", "rest"}));
  EXPECT_EQ(f.texts_of("legend"), (std::vector<std::string>{"exc[3]", "spike", "input arrival"}));
  test::expect_round_ticks(f);
}

TEST(trace_figure, draws_each_distinct_threshold_once) {
  traces_data data{"two thresholds", 0, 10, {}};
  for (const double threshold : {-50.0, -55.0, -50.0}) {
    data.traces.push_back(sampled("n", 1, 11, [](double) { return -70; }));
    data.traces.back().threshold = threshold;
    data.traces.back().rest = -70;
  }
  const test::figure f(traces_svg(data));
  EXPECT_EQ(f.with_class("threshold").size(), 2u);
  EXPECT_EQ(f.with_class("rest").size(), 1u);
  EXPECT_EQ(f.texts_of("line-label"),
            (std::vector<std::string>{"threshold -55 mV", "threshold -50 mV", "rest"}));
}

TEST(trace_figure, draws_the_first_dozen_traces) {
  traces_data data{"many", 0, 10, {}};
  for (int n = 0; n < 15; ++n) {
    data.traces.push_back(sampled(fmt::format("n[{}]", n), 1, 11, [n](double) { return -n; }));
    data.traces.back().threshold = -n;
  }
  const test::figure f(traces_svg(data));
  EXPECT_EQ(f.with_class("trace").size(), 12u);
  EXPECT_EQ(f.with_class("threshold").size(), 12u);
  EXPECT_EQ(f.texts_of("note"), std::vector<std::string>{"the first 12 of 15 traces"});
}

TEST(trace_figure, says_what_is_missing) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const auto figure_of = [](const traces_data& data) {
    const test::figure f(traces_svg(data));
    test::expect_round_ticks(f);
    return f.texts_of("note");
  };
  EXPECT_EQ(figure_of({"none", 0, 100, {}}), std::vector<std::string>{"no traces"});
  trace_data empty;
  empty.label = "empty";
  empty.inputs = {5};
  empty.spikes = {6};
  EXPECT_TRUE(figure_of({"empty trace", 0, 100, {empty}}).empty());
  EXPECT_EQ(figure_of({"instant", 5, 5, {sampled("a", 1, 10, [](double t) { return t; })}}),
            std::vector<std::string>{"empty time range"});
  trace_data unbounded = sampled("a", 1, 10, [](double t) { return t; });
  unbounded.spikes = {5};
  unbounded.inputs = {4};
  EXPECT_EQ(figure_of({"not a number", nan, inf, {unbounded}}),
            std::vector<std::string>{"empty time range"});
  const test::figure open_ended(traces_svg({"open", 0, inf, {unbounded}}));
  EXPECT_TRUE(open_ended.with_class("spike-marker").empty());
  EXPECT_TRUE(open_ended.with_class("arrival").empty());
  EXPECT_TRUE(test::points_of(open_ended.with_class("trace").front()).empty());

  // Values that are not finite are left out of the line.
  trace_data holes = sampled("holes", 1, 10, [](double t) { return t; });
  holes.v[3] = nan;
  holes.v[4] = inf;
  holes.times[5] = nan;
  holes.times.pop_back();  // one time fewer than values
  const test::figure f(traces_svg({"holes", 0, 100, {holes}}));
  EXPECT_EQ(test::points_of(f.with_class("trace").front()).size(), 6u);
}

TEST(trace_figure, escapes_hostile_labels) {
  const std::string hostile = "exc<&\">\x01\x7F";
  const test::figure f(
      traces_svg({hostile, 0, 10, {sampled(hostile, 1, 11, [](double t) { return t; })}}));
  const std::string shown = "exc<&\">\xEF\xBF\xBD\xEF\xBF\xBD";
  EXPECT_EQ(f.with_class("trace").front().attribute("data-label").value(), shown);
  EXPECT_EQ(f.texts_of("legend"), std::vector<std::string>{shown});
}

}  // namespace
}  // namespace syn::dsl::figures
