#pragma once

// A figure's legend: one row per entry, a mark in the entry's colour then its label (class
// "legend"); past legend_rows entries, one row says how many more there are.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "figures/svg_document.hpp"

namespace syn::dsl::figures {

// Rows a legend shows; figures draw no more lines (traces, rates) than this, so that each line
// has its row and a file stays small whatever the number of populations.
inline constexpr std::size_t legend_rows = 12;

enum class legend_mark { line, dot, triangle };

struct legend_entry {
  std::string label;
  std::string_view colour;
  legend_mark mark = legend_mark::line;
};

// Rows from (x, y) down; labels cut to what the margin right of the plot holds.
void draw_legend(svg_document& svg, double x, double y, const std::vector<legend_entry>& entries);

// A label cut to at most `most` characters (whole UTF-8 sequences), "…" marking the cut.
std::string shortened(std::string_view label, std::size_t most);

}  // namespace syn::dsl::figures
