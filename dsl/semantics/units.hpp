#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace syn::dsl {

// Exponents of the base dimensions. Values are held in the engine's units: ms, mV, pA, um, mM,
// K; conductance nS = pA/mV, capacitance pF = pA ms/mV, resistance mV/pA, rate 1/ms.
struct dimension {
  std::int8_t time = 0;
  std::int8_t voltage = 0;
  std::int8_t current = 0;
  std::int8_t length = 0;
  std::int8_t concentration = 0;
  std::int8_t temperature = 0;
  friend bool operator==(const dimension&, const dimension&) = default;
};

namespace dims {
inline constexpr dimension none{};
inline constexpr dimension time{1, 0, 0, 0, 0, 0};
inline constexpr dimension voltage{0, 1, 0, 0, 0, 0};
inline constexpr dimension current{0, 0, 1, 0, 0, 0};
inline constexpr dimension conductance{0, -1, 1, 0, 0, 0};
inline constexpr dimension capacitance{1, -1, 1, 0, 0, 0};
inline constexpr dimension resistance{0, 1, -1, 0, 0, 0};
inline constexpr dimension rate{-1, 0, 0, 0, 0, 0};
inline constexpr dimension length{0, 0, 0, 1, 0, 0};
inline constexpr dimension concentration{0, 0, 0, 0, 1, 0};
inline constexpr dimension temperature{0, 0, 0, 0, 0, 1};
}  // namespace dims

struct unit_def {
  std::string_view name;
  dimension dim;
  double scale;  // value in engine units = number * scale + offset
  // degC only: a temperature's unit with its own zero. No temperature is a spread or a
  // difference (a normal's sd), where the offset would be wrong.
  double offset = 0.0;
};

const std::vector<unit_def>& unit_table();
const unit_def* find_unit(std::string_view name);

// "time", "voltage", ... or the dimension spelled out in base units.
std::string dimension_name(dimension d);
// The units of a dimension, for hints: "ms, s, us".
std::string units_of(dimension d);

}  // namespace syn::dsl
