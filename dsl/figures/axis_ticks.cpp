#include "figures/axis_ticks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace syn::dsl::figures {
namespace {

// Pixels between tick labels: room for a label across, a line of text up.
constexpr double bottom_spacing = 80;
constexpr double left_spacing = 40;
constexpr double tick_length = 5;

}  // namespace

double scale::operator()(double value) const {
  return high > low ? from + (value - low) / (high - low) * (to - from) : from;
}

scale scale_over(double low, double high, double from, double to) {
  if (!std::isfinite(low) || !std::isfinite(high) || high < low) return {0, 1, from, to};
  if (high == low) return {low - 1, high + 1, from, to};
  return {low, high, from, to};
}

bool time_window::valid() const { return std::isfinite(from) && std::isfinite(to) && from <= to; }

bool time_window::contains(double t) const { return valid() && t >= from && t <= to; }

// A span below a billionth of the times is no span: its ticks and bins would be rounding noise.
bool time_window::has_span() const {
  return valid() && to - from > 1e-9 * std::max({1.0, std::abs(from), std::abs(to)});
}

double round_step(double span, int count) {
  const double rough = span / std::max(count, 1);
  const double power = std::pow(10.0, std::floor(std::log10(rough)));
  for (const double factor : {1.0, 2.0, 5.0, 10.0})
    if (factor * power >= rough * (1 - 1e-9)) return factor * power;
  return 10 * power;
}

ticks round_ticks(double low, double high, int count) {
  ticks result;
  if (!std::isfinite(low) || !std::isfinite(high) || !(high > low)) return result;
  result.step = round_step(high - low, count);
  if (!std::isfinite(result.step) || result.step <= 0) return {};
  result.decimals = decimals_of(result.step);
  const double first = std::ceil(low / result.step - 1e-9);
  const double last = std::floor(high / result.step + 1e-9);
  for (double k = first; k <= last && result.values.size() <= static_cast<std::size_t>(count); ++k)
    result.values.push_back(k == 0 ? 0.0 : k * result.step);
  return result;
}

int decimals_of(double step) {
  return std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
}

std::string tick_label(double value, int decimals) {
  return fmt::format("{:.{}f}", value, decimals);
}

void draw_axis(svg_document& svg, const scale& s, axis_side side, double at, std::string_view label,
               bool whole) {
  const bool bottom = side == axis_side::bottom;
  const double length = std::abs(s.to - s.from);
  int count = std::max(1, static_cast<int>(length / (bottom ? bottom_spacing : left_spacing)));
  // A step of at least 1: span / count >= 1.
  if (whole) count = std::max(1, std::min(count, static_cast<int>(s.high - s.low)));
  const ticks t = round_ticks(s.low, s.high, count);
  svg.raw(bottom ? R"(<g class="x-axis">)" : R"(<g class="y-axis">)");
  std::string marks;
  for (const double value : t.values) {
    const double p = s(value);
    marks += bottom ? fmt::format("M{} {}v{}", num(p), num(at), num(tick_length))
                    : fmt::format("M{} {}h{}", num(at), num(p), num(-tick_length));
    const std::string text = tick_label(value, t.decimals);
    if (bottom)
      svg.text(p, at + tick_length + 13, "tick", text, "middle");
    else
      svg.text(at - tick_length - 3, p, "tick", text, "end", R"(dy="4")");
  }
  const std::string line = bottom ? fmt::format("M{} {}H{}", num(s.from), num(at), num(s.to))
                                  : fmt::format("M{} {}V{}", num(at), num(s.from), num(s.to));
  svg.raw(fmt::format(R"(<path class="axis" d="{}{}" stroke="black" fill="none"/>)", line, marks));
  const double middle = (s.from + s.to) / 2;
  if (bottom && !label.empty()) {
    svg.text(middle, at + tick_length + 31, "axis-label", label, "middle");
  } else if (!label.empty()) {
    const double x = at - tick_length - 42;
    svg.text(x, middle, "axis-label", label, "middle",
             fmt::format(R"x(transform="rotate(-90 {} {})")x", num(x), num(middle)));
  }
  svg.raw("</g>");
}

}  // namespace syn::dsl::figures
