// The raster figure read back: one mark per spike at its time and row, the density above the
// limit with its counts, the population rates, and figures of nothing.

#include "figures/raster_figure.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <random>
#include <regex>

#include "svg_reading.hpp"

namespace syn::dsl::figures {
namespace {

raster_group random_group(std::string name, std::uint32_t size, std::size_t spikes, double from,
                          double to, unsigned seed) {
  std::mt19937_64 random(seed);
  std::uniform_real_distribution<double> time(from, to);
  std::uniform_int_distribution<std::uint32_t> index(0, size - 1);
  raster_group g{std::move(name), size, false, {}, {}};
  for (std::size_t i = 0; i < spikes; ++i) g.times.push_back(time(random));
  std::sort(g.times.begin(), g.times.end());
  for (std::size_t i = 0; i < spikes; ++i) g.indices.push_back(index(random));
  return g;
}

std::size_t shown_count(const raster_data& data, const raster_group& g) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < g.times.size(); ++i)
    n += g.indices[i] < g.size && g.times[i] >= data.from && g.times[i] <= data.to;
  return n;
}

pugi::xml_node group_node(const test::figure& f, const std::string& name) {
  return f.doc.select_node(("//*[@data-population='" + name + "']").c_str()).node();
}

TEST(raster_figure, marks_each_spike_at_its_time_and_row) {
  raster_data data{"a raster", 0, 200, {}};
  data.groups.push_back(random_group("exc", 80, 300, 0, 200, 1));
  data.groups.push_back(random_group("inh", 20, 100, 0, 200, 2));
  data.groups.push_back(random_group("poisson_in", 5, 50, 0, 200, 3));
  data.groups.back().is_train = true;
  // Neither a spike after the window nor one of a neuron the group does not have is drawn.
  data.groups[0].times.push_back(250);
  data.groups[0].indices.push_back(3);
  data.groups[1].indices[10] = 20;

  const test::figure f(raster_svg(data));
  EXPECT_EQ(f.with_class("spike").size(), 300u + 99u + 50u);
  const test::axis_map time = test::x_axis(f, 0), row = test::y_axis(f, 0);
  double first_row = 0;
  for (const raster_group& g : data.groups) {
    std::vector<std::pair<long, double>> expected, drawn;
    for (std::size_t i = 0; i < g.times.size(); ++i)
      if (g.indices[i] < g.size && g.times[i] <= data.to)
        expected.emplace_back(static_cast<long>(first_row + g.indices[i]), g.times[i]);
    for (const pugi::xpath_node& mark : group_node(f, g.name).select_nodes("*[@class='spike']")) {
      const std::vector<double> d = test::path_numbers(mark.node());
      ASSERT_EQ(d.size(), 3u);
      // The y axis labels each row's index at its middle, where the marks are.
      const double centre = row(d[1] + d[2] / 2);
      EXPECT_NEAR(centre - std::round(centre), 0.0, 0.02);
      drawn.emplace_back(std::lround(centre), time(d[0]));
    }
    std::sort(expected.begin(), expected.end());
    std::sort(drawn.begin(), drawn.end());
    ASSERT_EQ(drawn.size(), expected.size()) << g.name;
    for (std::size_t i = 0; i < drawn.size(); ++i) {
      EXPECT_EQ(drawn[i].first, expected[i].first) << g.name << " spike " << i;
      EXPECT_NEAR(drawn[i].second, expected[i].second, 0.01) << g.name << " spike " << i;
    }
    first_row += g.size;
  }
  EXPECT_EQ(f.texts_of("axis-label"),
            (std::vector<std::string>{"neuron", "rate (Hz)", "time (ms)"}));
  EXPECT_EQ(f.texts_of("legend"), (std::vector<std::string>{"exc", "inh", "poisson_in (train)"}));
  EXPECT_EQ(f.texts_of("title"), std::vector<std::string>{"a raster"});
  EXPECT_TRUE(f.with_class("note").empty());
  EXPECT_TRUE(f.with_class("density").empty());
  test::expect_round_ticks(f);
}

// The area under each group's rate steps, in Hz × s × neurons, is its number of spikes shown.
TEST(raster_figure, rates_add_up_to_the_spikes) {
  raster_data data{"rates", 3.3, 107.9, {}};
  data.groups.push_back(random_group("exc", 40, 900, 0, 120, 4));
  data.groups.push_back(random_group("inh", 10, 300, 0, 120, 5));
  data.groups.push_back({"silent", 0, false, {}, {}});
  const test::figure f(raster_svg(data));
  const test::axis_map time = test::x_axis(f, 1), rate = test::y_axis(f, 1);
  ASSERT_EQ(f.with_class("rate").size(), 2u);
  for (const raster_group& g : data.groups) {
    if (g.size == 0) continue;
    const std::vector<std::pair<double, double>> points = test::points_of(
        f.doc.select_node(("//*[@class='rate' and @data-population='" + g.name + "']").c_str())
            .node());
    ASSERT_EQ(points.size() % 2, 0u);
    double spikes = 0;
    for (std::size_t i = 0; i < points.size(); i += 2) {
      EXPECT_DOUBLE_EQ(points[i].second, points[i + 1].second);
      spikes += rate(points[i].second) * (time(points[i + 1].first) - time(points[i].first)) /
                1000 * g.size;
    }
    // Pixels in 2 decimals: each bin's edges within 0.001 ms, 0.1% of its width.
    const auto n = static_cast<double>(shown_count(data, g));
    EXPECT_NEAR(spikes, n, 0.005 * n) << g.name;
    EXPECT_NEAR(time(points.front().first), data.from, 0.01);
    EXPECT_NEAR(time(points.back().first), data.to, 0.01);
  }
  // 104.6 ms in at most 100 bins: 2 ms each.
  EXPECT_EQ(f.texts_of("caption"), std::vector<std::string>{"population rate in bins of 2 ms"});
}

TEST(raster_figure, rate_of_one_bin_is_spikes_per_neuron_per_second) {
  raster_data data{"one bin", 0, 100, {{"a", 4, false, {10.2, 10.4, 50.5}, {0, 1, 2}}}};
  const test::figure f(raster_svg(data));
  const test::axis_map time = test::x_axis(f, 1), rate = test::y_axis(f, 1);
  const auto points = test::points_of(f.with_class("rate").front());
  const auto highest = std::min_element(points.begin(), points.end(),
                                        [](auto& l, auto& r) { return l.second < r.second; });
  EXPECT_NEAR(rate(highest->second), 2 / (4 * 0.001), 0.5);
  EXPECT_NEAR(time(highest->first), 10, 0.01);
  EXPECT_NEAR(time((highest + 1)->first), 11, 0.01);
}

struct density_cell {
  std::string group;
  long column, row;
  auto operator<=>(const density_cell&) const = default;
};

TEST(raster_figure, draws_many_spikes_as_a_density_that_counts_them) {
  raster_data data{"dense", 0, 1000, {}};
  data.groups.push_back(random_group("exc", 800, 80000, 0, 1000, 6));
  data.groups.push_back(random_group("inh", 200, 20000, 0, 1000, 7));
  const std::string svg = raster_svg(data);
  EXPECT_LT(svg.size(), 1500000u);
  const test::figure f(svg);
  EXPECT_TRUE(f.with_class("spike").empty());

  const std::vector<std::string> notes = f.texts_of("note");
  ASSERT_EQ(notes.size(), 1u);
  std::smatch m;
  ASSERT_TRUE(std::regex_match(
      notes[0], m,
      std::regex("100,000 spikes shown as density in cells of ([0-9.]+) ms \xC3\x97 ([0-9]+) "
                 "neurons?")))
      << notes[0];
  const double step = std::stod(m[1]), neurons = std::stod(m[2]);
  for (const double value : {step, neurons}) {
    const double mantissa = value / std::pow(10.0, std::floor(std::log10(value)));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                std::abs(mantissa - 5) < 1e-9)
        << value;
  }

  // Each cell's count is that of the spikes in its time × rows, counted here again.
  std::map<density_cell, long> expected;
  for (const raster_group& g : data.groups)
    for (std::size_t i = 0; i < g.times.size(); ++i)
      ++expected[{g.name, static_cast<long>(std::floor(g.times[i] / step)),
                  static_cast<long>(g.indices[i] / neurons)}];
  const test::axis_map time = test::x_axis(f, 0), row = test::y_axis(f, 0);
  std::map<density_cell, long> drawn;
  long total = 0, most = 0;
  double first_row = 0;
  for (const raster_group& g : data.groups) {
    for (const pugi::xpath_node& cell : group_node(f, g.name).select_nodes("*[@class='density']")) {
      const pugi::xml_node rect = cell.node();
      const double x = rect.attribute("x").as_double(), y = rect.attribute("y").as_double();
      EXPECT_NEAR(time(x + rect.attribute("width").as_double()) - time(x), step, 0.01);
      EXPECT_NEAR(row(y + rect.attribute("height").as_double()) - row(y), neurons, 0.05);
      const long n = rect.attribute("data-n").as_int();
      // A cell's top edge is half a row above the index of its first row.
      drawn[{g.name, std::lround(time(x) / step),
             std::lround((row(y) + 0.5 - first_row) / neurons)}] = n;
      total += n;
      most = std::max(most, n);
    }
    first_row += g.size;
  }
  EXPECT_EQ(total, 100000);
  EXPECT_EQ(drawn, expected);
  for (const pugi::xml_node& cell : f.with_class("density"))
    EXPECT_NEAR(cell.attribute("fill-opacity").as_double(),
                cell.attribute("data-n").as_double() / static_cast<double>(most), 0.005);
  test::expect_round_ticks(f);
}

TEST(raster_figure, switches_to_density_just_above_twenty_thousand_spikes) {
  raster_data data{"limit", 0, 500, {random_group("exc", 1000, 20000, 0, 500, 8)}};
  EXPECT_EQ(test::figure(raster_svg(data)).with_class("spike").size(), 20000u);
  data.groups.push_back(random_group("inh", 1, 1, 0, 500, 9));
  const test::figure f(raster_svg(data));
  EXPECT_TRUE(f.with_class("spike").empty());
  EXPECT_FALSE(f.with_class("density").empty());
}

TEST(raster_figure, stays_small_for_many_spikes_in_many_groups) {
  raster_data data{"many", 0, 10000, {}};
  for (unsigned gi = 0; gi < 100; ++gi)
    data.groups.push_back(random_group(fmt::format("g{}", gi), 1000, 10000, 0, 10000, 10 + gi));
  const std::string svg = raster_svg(data);
  EXPECT_LT(svg.size(), 4000000u);
  long total = 0;
  const test::figure f(svg);
  for (const pugi::xml_node& cell : f.with_class("density"))
    total += cell.attribute("data-n").as_int();
  EXPECT_EQ(total, 1000000);
}

TEST(raster_figure, stays_small_for_thousands_of_groups) {
  raster_data data{"groups", 0, 1000, {}};
  for (unsigned gi = 0; gi < 2000; ++gi)
    data.groups.push_back(random_group(fmt::format("g{}", gi), 1, 20, 0, 1000, 200 + gi));
  const std::string svg = raster_svg(data);
  EXPECT_LT(svg.size(), 4000000u);
  const test::figure f(svg);
  long total = 0;
  for (const pugi::xml_node& cell : f.with_class("density"))
    total += cell.attribute("data-n").as_int();
  EXPECT_EQ(total, 40000);
  // Rates and legend rows for the first dozen groups only.
  EXPECT_EQ(f.with_class("rate").size(), 12u);
  EXPECT_EQ(f.texts_of("legend").size(), 13u);
  EXPECT_EQ(f.texts_of("legend").back(), "and 1988 more");
  const std::vector<std::string> notes = f.texts_of("note");
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[1], "rates of the first 12 of 2000 groups");
}

TEST(raster_figure, labels_rows_with_whole_neuron_indices) {
  // Three rows: ticks 0, 1 and 2 only, never 0.5 (a row is a neuron).
  const test::figure f(
      raster_svg({"small", 0, 40, {{"n", 2, false, {6}, {0}}, {"t", 1, true, {1, 20}, {0, 0}}}}));
  std::vector<std::string> ticks;
  for (const pugi::xpath_node& t : f.doc.select_nodes("//*[@class='y-axis']"))
    for (const pugi::xml_node& label : t.node().children())
      if (std::string(label.attribute("class").as_string()) == "tick")
        ticks.push_back(label.text().get());
  ASSERT_GE(ticks.size(), 3u);
  EXPECT_EQ(std::vector<std::string>(ticks.begin(), ticks.begin() + 3),
            (std::vector<std::string>{"0", "1", "2"}));
}

TEST(raster_figure, says_what_is_missing) {
  const auto notes = [](const raster_data& data) {
    const test::figure f(raster_svg(data));
    test::expect_round_ticks(f);
    return f.texts_of("note");
  };
  EXPECT_EQ(notes({"nothing", 0, 100, {}}), (std::vector<std::string>{"no neurons", "no spikes"}));
  EXPECT_EQ(notes({"quiet", 0, 100, {{"exc", 10, false, {}, {}}}}),
            std::vector<std::string>{"no spikes"});
  EXPECT_EQ(notes({"late", 0, 100, {{"exc", 10, false, {150}, {1}}}}),
            std::vector<std::string>{"no spikes"});
  EXPECT_EQ(notes({"no rows", 0, 100, {{"none", 0, false, {5}, {0}}}}),
            (std::vector<std::string>{"no neurons", "no spikes"}));
  EXPECT_EQ(notes({"instant", 50, 50, {{"exc", 10, false, {50}, {1}}}}),
            std::vector<std::string>{"empty time range"});
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(notes({"not a number", nan, 100, {{"exc", 10, false, {50}, {1}}}}),
            (std::vector<std::string>{"empty time range", "no spikes"}));
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_EQ(notes({"unbounded", -inf, 100, {{"exc", 10, false, {50}, {1}}}}),
            (std::vector<std::string>{"empty time range", "no spikes"}));
  EXPECT_EQ(notes({"backwards", 100, 0, {{"exc", 10, false, {50}, {1}}}}),
            (std::vector<std::string>{"empty time range", "no spikes"}));
  // Spike times and indices of different lengths: the pairs there are.
  EXPECT_EQ(test::figure(raster_svg({"short", 0, 100, {{"exc", 10, false, {5, 6}, {1}}}}))
                .with_class("spike")
                .size(),
            1u);
}

TEST(raster_figure, escapes_hostile_names) {
  const std::string hostile = "<&\">\x01\x1B[2J";
  const raster_data data{hostile, 0, 10, {{hostile, 3, false, {1, 2}, {0, 2}}}};
  const test::figure f(raster_svg(data));
  const std::string shown = "<&\">\xEF\xBF\xBD\xEF\xBF\xBD[2J";
  EXPECT_EQ(f.texts_of("title"), std::vector<std::string>{shown});
  EXPECT_EQ(f.with_class("spike").size(), 2u);
  EXPECT_EQ(f.with_class("rate").front().attribute("data-population").value(), shown);
}

}  // namespace
}  // namespace syn::dsl::figures
