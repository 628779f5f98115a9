#include "figures/svg_document.hpp"

#include <fmt/format.h>

#include <cmath>

namespace syn::dsl::figures {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr double note_line = 16;

struct sequence {
  std::size_t length;  // of a well-formed UTF-8 sequence, or 1 for a byte that starts none
  bool shown;          // XML 1.0 may hold it and a reader can show it
};

sequence sequence_at(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  if (lead < 0x80)
    return {1, lead >= 0x20 ? lead != 0x7F : lead == '\t' || lead == '\n' || lead == '\r'};
  const std::size_t length = lead >= 0xC2 && lead <= 0xDF   ? 2
                             : lead >= 0xE0 && lead <= 0xEF ? 3
                             : lead >= 0xF0 && lead <= 0xF4 ? 4
                                                            : 0;
  if (length == 0 || i + length > text.size()) return {1, false};
  char32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return {1, false};
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8: byte by byte.
  constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < smallest[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF))
    return {1, false};
  const bool c1_control = code >= 0x80 && code <= 0x9F;
  return {length, !c1_control && code != 0xFFFE && code != 0xFFFF};
}

}  // namespace

std::string escaped(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    switch (text[i]) {
      case '&':
        out += "&amp;";
        ++i;
        continue;
      case '<':
        out += "&lt;";
        ++i;
        continue;
      case '>':
        out += "&gt;";
        ++i;
        continue;
      case '"':
        out += "&quot;";
        ++i;
        continue;
      case '\'':
        out += "&apos;";
        ++i;
        continue;
      default:
        break;
    }
    const sequence next = sequence_at(text, i);
    if (next.shown)
      out.append(text.substr(i, next.length));
    else
      out += replacement;
    i += next.length;
  }
  return out;
}

std::string num(double value) {
  if (!std::isfinite(value)) return "0";
  std::string text = fmt::format("{:.2f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text == "-0" ? "0" : text;
}

std::string grouped(std::size_t count) {
  std::string digits = fmt::format("{}", count), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string_view colour(std::size_t i) { return palette[i % palette.size()]; }

svg_document::svg_document(std::string_view title, double height)
    : title_(escaped(title)), height_(height) {}

void svg_document::raw(std::string_view element) {
  body_ += element;
  body_ += '\n';
}

void svg_document::text(double x, double y, std::string_view cls, std::string_view content,
                        std::string_view anchor, std::string_view extra) {
  body_ += fmt::format(R"(<text class="{}" x="{}" y="{}" text-anchor="{}"{}{}>{}</text>)", cls,
                       num(x), num(y), anchor, extra.empty() ? "" : " ", extra, escaped(content));
  body_ += '\n';
}

void svg_document::note(std::string_view content) { notes_.push_back(escaped(content)); }

std::string svg_document::finish() const {
  const double height =
      height_ + note_line * static_cast<double>(notes_.size()) + (notes_.empty() ? 0 : 4);
  std::string out = fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{0}\" height=\"{1}\" "
      "viewBox=\"0 0 {0} {1}\" font-family=\"sans-serif\" font-size=\"{2}\">\n"
      "<title>{3}</title>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
      "<text class=\"title\" x=\"{4}\" y=\"24\" text-anchor=\"middle\" "
      "font-size=\"16\">{3}</text>\n",
      num(figure_width), num(height), num(font_size), title_, num(figure_width / 2));
  out += body_;
  for (std::size_t i = 0; i < notes_.size(); ++i)
    out += fmt::format("<text class=\"note\" x=\"12\" y=\"{}\" fill=\"#444\">{}</text>\n",
                       num(height_ + note_line * static_cast<double>(i) + 12), notes_[i]);
  out += "</svg>\n";
  return out;
}

}  // namespace syn::dsl::figures
