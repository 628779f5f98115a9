// Round ticks: steps of 1, 2 or 5 × 10^k, labels without floating-point noise, and the scale.

#include "figures/axis_ticks.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <limits>
#include <set>

#include "svg_reading.hpp"

namespace syn::dsl::figures {
namespace {

TEST(axis_ticks, picks_the_smallest_round_step) {
  EXPECT_DOUBLE_EQ(round_step(10, 5), 2);
  EXPECT_DOUBLE_EQ(round_step(7, 5), 2);
  EXPECT_DOUBLE_EQ(round_step(11, 5), 5);
  EXPECT_DOUBLE_EQ(round_step(1, 10), 0.1);
  EXPECT_DOUBLE_EQ(round_step(1000, 100), 10);
  EXPECT_DOUBLE_EQ(round_step(3, 1), 5);
  EXPECT_DOUBLE_EQ(round_step(6, 1), 10);
  EXPECT_DOUBLE_EQ(round_step(0.003, 3), 0.001);
}

TEST(axis_ticks, labels_tenths_without_noise) {
  const ticks t = round_ticks(0, 1, 10);
  EXPECT_DOUBLE_EQ(t.step, 0.1);
  EXPECT_EQ(t.decimals, 1);
  ASSERT_EQ(t.values.size(), 11u);
  std::vector<std::string> labels;
  for (const double v : t.values) labels.push_back(tick_label(v, t.decimals));
  EXPECT_EQ(labels, (std::vector<std::string>{"0.0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6",
                                              "0.7", "0.8", "0.9", "1.0"}));
  EXPECT_EQ(tick_label(round_ticks(-75, -45, 6).values.front(), 0), "-75");
}

// Over many ranges: ticks within the range, at most count + 1, a round step, and each label a
// distinct exact multiple of it.
TEST(axis_ticks, are_round_for_any_range) {
  std::srand(7);
  for (int i = 0; i < 2000; ++i) {
    const double scale_power = std::pow(10.0, std::rand() % 16 - 8);
    const double low = (std::rand() / double(RAND_MAX) - 0.5) * 200 * scale_power;
    const double high = low + (std::rand() / double(RAND_MAX) + 1e-3) * 100 * scale_power;
    const int count = 1 + std::rand() % 12;
    const ticks t = round_ticks(low, high, count);
    ASSERT_LE(t.values.size(), static_cast<std::size_t>(count) + 1);
    const double mantissa = t.step / std::pow(10.0, std::floor(std::log10(t.step) + 1e-12));
    EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                std::abs(mantissa - 5) < 1e-9)
        << t.step;
    EXPECT_GE(t.step * count, (high - low) * (1 - 1e-9));
    std::set<std::string> labels;
    for (const double v : t.values) {
      EXPECT_GE(v, low - t.step * 1e-6);
      EXPECT_LE(v, high + t.step * 1e-6);
      const std::string label = tick_label(v, t.decimals);
      EXPECT_EQ(label.find('e'), std::string::npos) << label;
      const double k = std::strtod(label.c_str(), nullptr) / t.step;
      EXPECT_NEAR(k, std::round(k), 1e-6) << label << " step " << t.step;
      labels.insert(label);
    }
    EXPECT_EQ(labels.size(), t.values.size());
  }
}

TEST(axis_ticks, none_for_an_empty_or_infinite_range) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(round_ticks(1, 1, 5).values.empty());
  EXPECT_TRUE(round_ticks(2, 1, 5).values.empty());
  EXPECT_TRUE(round_ticks(nan, 1, 5).values.empty());
  EXPECT_TRUE(round_ticks(0, inf, 5).values.empty());
  EXPECT_TRUE(round_ticks(-1e308, 1e308, 5).values.empty());
}

TEST(axis_ticks, scale_widens_an_empty_range) {
  const scale one = scale_over(5, 5, 0, 100);
  EXPECT_DOUBLE_EQ(one(5), 50);
  const scale none = scale_over(std::numeric_limits<double>::quiet_NaN(), 1, 0, 100);
  EXPECT_DOUBLE_EQ(none(0.5), 50);
  const scale up = scale_over(-70, -50, 400, 50);
  EXPECT_DOUBLE_EQ(up(-70), 400);
  EXPECT_DOUBLE_EQ(up(-50), 50);
}

TEST(axis_ticks, draws_an_axis_whose_ticks_map_back) {
  svg_document svg("axis", 300);
  draw_axis(svg, scale_over(-0.3, 0.7, plot_left, plot_right), axis_side::bottom, 250, "time (ms)");
  draw_axis(svg, scale_over(-70, -50, 250, plot_top), axis_side::left, plot_left, "V (mV)");
  const test::figure f(svg.finish());
  EXPECT_EQ(f.texts_of("axis-label"), (std::vector<std::string>{"time (ms)", "V (mV)"}));
  test::expect_round_ticks(f);
  const test::axis_map x = test::x_axis(f), y = test::y_axis(f);
  EXPECT_NEAR(x(plot_left), -0.3, 1e-4);
  EXPECT_NEAR(x(plot_right), 0.7, 1e-4);
  EXPECT_NEAR(y(250), -70, 1e-3);
  EXPECT_NEAR(y(plot_top), -50, 1e-3);
}

}  // namespace
}  // namespace syn::dsl::figures
