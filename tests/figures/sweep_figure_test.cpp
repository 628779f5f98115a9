// The sweep figure read back: a point per run and population at its value and rate, lines in
// the order of the values, the parameter's name and unit on the axis.

#include "figures/sweep_figure.hpp"

#include <gtest/gtest.h>

#include <limits>

#include "svg_reading.hpp"

namespace syn::dsl::figures {
namespace {

pugi::xpath_node_set points_of_population(const test::figure& f, const std::string& name) {
  return f.doc.select_nodes(("//*[@data-population='" + name + "']/*[@class='point']").c_str());
}

TEST(sweep_figure, places_each_rate_at_its_value) {
  const sweep_data data{"w_inh",
                        "mV",
                        {2, 0, 1.5, 0.5, 1},
                        {{"exc", {4, 12, 5.2, 9.5, 7}}, {"inh", {15, 30, 18, 25, 20}}}};
  const test::figure f(sweep_svg(data));
  EXPECT_EQ(f.with_class("point").size(), 10u);
  const test::axis_map value = test::x_axis(f), rate = test::y_axis(f);
  for (const sweep_series& series : data.series) {
    const pugi::xpath_node_set points = points_of_population(f, series.name);
    ASSERT_EQ(points.size(), data.values.size());
    std::vector<std::pair<double, double>> drawn, expected;
    for (const pugi::xpath_node& point : points)
      drawn.emplace_back(value(point.node().attribute("cx").as_double()),
                         rate(point.node().attribute("cy").as_double()));
    for (std::size_t i = 0; i < data.values.size(); ++i)
      expected.emplace_back(data.values[i], series.rates[i]);
    std::sort(expected.begin(), expected.end());
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      EXPECT_NEAR(drawn[i].first, expected[i].first, 1e-3);
      EXPECT_NEAR(drawn[i].second, expected[i].second, 1e-2);
    }
    const auto line = test::points_of(
        f.doc
            .select_node(("//*[@data-population='" + series.name + "']/*[@class='series']").c_str())
            .node());
    ASSERT_EQ(line.size(), 5u);
    for (std::size_t i = 1; i < line.size(); ++i) EXPECT_GT(line[i].first, line[i - 1].first);
  }
  EXPECT_EQ(f.texts_of("axis-label"), (std::vector<std::string>{"rate (Hz)", "w_inh (mV)"}));
  EXPECT_EQ(f.texts_of("legend"), (std::vector<std::string>{"exc", "inh"}));
  EXPECT_EQ(f.texts_of("title"), std::vector<std::string>{"rate against w_inh"});
  EXPECT_TRUE(f.with_class("note").empty());
  test::expect_round_ticks(f);
}

TEST(sweep_figure, leaves_out_rates_it_does_not_have) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const sweep_data data{"g", "", {1, 2, 3, nan}, {{"a", {1, nan, 3}}, {"b", {1, 2, 3, 4, 5}}}};
  const test::figure f(sweep_svg(data));
  EXPECT_EQ(points_of_population(f, "a").size(), 2u);
  EXPECT_EQ(points_of_population(f, "b").size(), 3u);
  EXPECT_EQ(f.texts_of("axis-label"), (std::vector<std::string>{"rate (Hz)", "g"}));
}

TEST(sweep_figure, says_what_is_missing) {
  const auto notes = [](const sweep_data& data) {
    const test::figure f(sweep_svg(data));
    test::expect_round_ticks(f);
    return f.texts_of("note");
  };
  EXPECT_EQ(notes({"w", "mV", {}, {}}), (std::vector<std::string>{"no runs", "no populations"}));
  EXPECT_EQ(notes({"w", "mV", {}, {{"exc", {}}}}), std::vector<std::string>{"no runs"});
  EXPECT_EQ(notes({"w", "mV", {1}, {}}), std::vector<std::string>{"no populations"});
  // One run: its value in the middle of the axis.
  const test::figure one(sweep_svg({"w", "mV", {0.25}, {{"exc", {0}}}}));
  EXPECT_TRUE(one.texts_of("note").empty());
  EXPECT_NEAR(test::x_axis(one)(one.with_class("point").front().attribute("cx").as_double()), 0.25,
              1e-3);
}

TEST(sweep_figure, escapes_hostile_names) {
  const std::string hostile = "w<&\">\x02";
  const test::figure f(sweep_svg({hostile, hostile, {1, 2}, {{hostile, {3, 4}}}}));
  const std::string shown = "w<&\">\xEF\xBF\xBD";
  EXPECT_EQ(f.texts_of("axis-label")[1], shown + " (" + shown + ")");
  EXPECT_EQ(f.with_class("point").size(), 2u);
}

}  // namespace
}  // namespace syn::dsl::figures
