#pragma once

// The SVG writer every figure shares: text escaped for XML, numbers printed short, one palette,
// one font, a white page with a title, and notes stacked under the plot (class "note").

#include <array>
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace syn::dsl::figures {

// Text and attribute values as XML: the five special characters as entities, and whatever XML
// 1.0 cannot hold (control bytes, invalid UTF-8, U+FFFE/U+FFFF) as U+FFFD.
std::string escaped(std::string_view text);

// A coordinate or value in at most 2 decimals, trailing zeros dropped ("12.5", "3"); a value
// that is not finite prints as 0, so no figure ever holds "nan" or "inf".
std::string num(double value);

// 1234567 as "1,234,567", for notes.
std::string grouped(std::size_t count);

// Okabe and Ito's colour-blind safe palette, black last; colour(i) cycles through it.
inline constexpr std::array<std::string_view, 8> palette = {
    "#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"};
std::string_view colour(std::size_t i);

inline constexpr double figure_width = 800;
inline constexpr double font_size = 12;
// Every figure's plot spans the same columns: axis labels to the left, the legend to the right;
// the title is above plot_top.
inline constexpr double plot_left = 80;
inline constexpr double plot_right = 640;
inline constexpr double legend_left = 655;
inline constexpr double plot_top = 50;

class svg_document {
 public:
  // The plot area's height is what the figure draws in; notes add lines under it.
  svg_document(std::string_view title, double height);

  // An element written as given: its text and attributes already escaped.
  void raw(std::string_view element);
  // <text class="CLASS" x y text-anchor>CONTENT</text>, CONTENT escaped; `extra` holds further
  // attributes, already escaped.
  void text(double x, double y, std::string_view cls, std::string_view content,
            std::string_view anchor = "start", std::string_view extra = {});
  void note(std::string_view content);

  // The whole file: header, white page, title, the elements, the notes.
  std::string finish() const;

 private:
  std::string title_;
  double height_;
  std::string body_;
  std::vector<std::string> notes_;
};

}  // namespace syn::dsl::figures
