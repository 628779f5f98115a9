#include "figures/legend.hpp"

#include <fmt/format.h>

namespace syn::dsl::figures {
namespace {

constexpr std::size_t label_characters = 18;
constexpr double row_height = 18;

}  // namespace

std::string shortened(std::string_view label, std::size_t most) {
  std::size_t characters = 0;
  for (std::size_t i = 0; i < label.size(); ++i) {
    if ((static_cast<unsigned char>(label[i]) & 0xC0) == 0x80) continue;
    if (characters++ == most) return std::string(label.substr(0, i)) + "\xE2\x80\xA6";
  }
  return std::string(label);
}

void draw_legend(svg_document& svg, double x, double y, const std::vector<legend_entry>& entries) {
  for (std::size_t i = 0; i < entries.size() && i < legend_rows; ++i) {
    const legend_entry& entry = entries[i];
    const double row = y + row_height * static_cast<double>(i);
    switch (entry.mark) {
      case legend_mark::line:
        svg.raw(fmt::format(R"(<path d="M{} {}h18" stroke="{}" stroke-width="2"/>)", num(x),
                            num(row - 4), entry.colour));
        break;
      case legend_mark::dot:
        svg.raw(fmt::format(R"(<circle cx="{}" cy="{}" r="3" fill="{}"/>)", num(x + 9),
                            num(row - 4), entry.colour));
        break;
      case legend_mark::triangle:
        svg.raw(fmt::format(R"(<path d="M{} {}l-4 7h8z" fill="{}"/>)", num(x + 9), num(row - 8),
                            entry.colour));
        break;
    }
    svg.text(x + 24, row, "legend", shortened(entry.label, label_characters), "start",
             R"(font-size="11")");
  }
  if (entries.size() > legend_rows)
    svg.text(x + 24, y + row_height * static_cast<double>(legend_rows), "legend",
             fmt::format("and {} more", entries.size() - legend_rows), "start",
             R"(font-size="11")");
}

}  // namespace syn::dsl::figures
