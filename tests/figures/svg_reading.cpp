#include "svg_reading.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace syn::dsl::figures::test {
namespace {

struct tick {
  double position, value;
};

std::vector<tick> ticks_of(const pugi::xml_node& axis, bool across) {
  std::vector<tick> ticks;
  for (const pugi::xpath_node& node : axis.select_nodes(".//*[@class='tick']")) {
    const pugi::xml_node text = node.node();
    ticks.push_back(
        {text.attribute(across ? "x" : "y").as_double(), std::strtod(text.child_value(), nullptr)});
  }
  std::sort(ticks.begin(), ticks.end(),
            [](const tick& l, const tick& r) { return l.position < r.position; });
  return ticks;
}

pugi::xml_node axis_node(const figure& f, const char* cls, std::size_t index) {
  const pugi::xpath_node_set axes =
      f.doc.select_nodes((std::string("//*[@class='") + cls + "']").c_str());
  if (index >= axes.size()) {
    ADD_FAILURE() << "no axis " << cls << " #" << index;
    return {};
  }
  return axes[index].node();
}

axis_map fitted(const std::vector<tick>& ticks) {
  if (ticks.size() < 2) {
    ADD_FAILURE() << "an axis with fewer than two ticks";
    return {};
  }
  const tick& first = ticks.front();
  const tick& last = ticks.back();
  const double b = (last.value - first.value) / (last.position - first.position);
  return {first.value - b * first.position, b, std::abs(ticks[1].value - ticks[0].value)};
}

}  // namespace

figure::figure(const std::string& svg, bool may_hold_nan_text) : text(svg) {
  const pugi::xml_parse_result result = doc.load_string(svg.c_str());
  EXPECT_TRUE(result) << result.description() << " at " << result.offset;
  const pugi::xml_node root = doc.child("svg");
  EXPECT_STREQ(root.attribute("xmlns").value(), "http://www.w3.org/2000/svg");
  EXPECT_FALSE(root.attribute("viewBox").empty());
  EXPECT_EQ(svg.rfind("<?xml ", 0), 0u);
  if (!may_hold_nan_text) {
    std::string lower = svg;
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(lower.find("nan"), std::string::npos);
    EXPECT_EQ(lower.find("inf"), std::string::npos);
  }
}

std::vector<pugi::xml_node> figure::with_class(const std::string& cls) const {
  std::vector<pugi::xml_node> nodes;
  for (const pugi::xpath_node& node : doc.select_nodes(("//*[@class='" + cls + "']").c_str()))
    nodes.push_back(node.node());
  return nodes;
}

std::vector<std::string> figure::texts_of(const std::string& cls) const {
  std::vector<std::string> texts;
  for (const pugi::xml_node& node : with_class(cls)) texts.emplace_back(node.child_value());
  return texts;
}

axis_map x_axis(const figure& f, std::size_t index) {
  return fitted(ticks_of(axis_node(f, "x-axis", index), true));
}

axis_map y_axis(const figure& f, std::size_t index) {
  return fitted(ticks_of(axis_node(f, "y-axis", index), false));
}

void expect_round_ticks(const figure& f) {
  for (const char* cls : {"x-axis", "y-axis"}) {
    for (const pugi::xpath_node& axis :
         f.doc.select_nodes((std::string("//*[@class='") + cls + "']").c_str())) {
      std::vector<tick> ticks = ticks_of(axis.node(), std::string(cls) == "x-axis");
      std::sort(ticks.begin(), ticks.end(),
                [](const tick& l, const tick& r) { return l.value < r.value; });
      // One tick only where the axis holds one whole number (a raster of one neuron).
      ASSERT_GE(ticks.size(), 1u) << cls;
      if (ticks.size() == 1) continue;
      const double step = ticks[1].value - ticks[0].value;
      const double mantissa = step / std::pow(10.0, std::floor(std::log10(step)));
      EXPECT_TRUE(std::abs(mantissa - 1) < 1e-9 || std::abs(mantissa - 2) < 1e-9 ||
                  std::abs(mantissa - 5) < 1e-9)
          << cls << " step " << step;
      for (std::size_t i = 0; i < ticks.size(); ++i) {
        const double k = ticks[i].value / step;
        EXPECT_NEAR(k, std::round(k), 1e-9) << cls << " tick " << ticks[i].value;
        if (i > 0) {
          EXPECT_NEAR(ticks[i].value - ticks[i - 1].value, step, step * 1e-9);
        }
      }
    }
  }
}

std::vector<std::pair<double, double>> points_of(const pugi::xml_node& node) {
  std::vector<std::pair<double, double>> points;
  std::istringstream in(node.attribute("points").value());
  double x, y;
  char comma;
  while (in >> x >> comma >> y) points.emplace_back(x, y);
  return points;
}

std::vector<double> path_numbers(const pugi::xml_node& node) {
  std::string d = node.attribute("d").value();
  for (char& c : d)
    if (std::isalpha(static_cast<unsigned char>(c))) c = ' ';
  std::istringstream in(d);
  std::vector<double> numbers;
  double n;
  while (in >> n) numbers.push_back(n);
  return numbers;
}

}  // namespace syn::dsl::figures::test
