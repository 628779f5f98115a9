#include "diagnostics/printable_text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

namespace syn::dsl {

namespace {

// The size of the valid UTF-8 sequence at `at` and its code point, or 0 when the bytes there
// are not one (a stray continuation, a truncated or overlong sequence, a surrogate).
std::size_t utf8_at(std::string_view text, std::size_t at, char32_t& code) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t size = 1;
  char32_t least = 0;
  if (lead < 0x80) {
    code = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    size = 2, code = lead & 0x1F, least = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    size = 3, code = lead & 0x0F, least = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    size = 4, code = lead & 0x07, least = 0x10000;
  } else {
    return 0;
  }
  if (at + size > text.size()) return 0;
  for (std::size_t i = 1; i < size; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) return 0;
    code = code << 6 | (byte(at + i) & 0x3F);
  }
  if (code < least || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return 0;
  return size;
}

bool is_control(char32_t c) {
  return (c < 0x20 && c != '\t') || (c >= 0x7F && c <= 0x9F) || c == 0x061C || c == 0x200E ||
         c == 0x200F || (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

// One character of a text as it is shown: `size` bytes, as they are or as `escape`.
struct shown_char {
  std::size_t size = 1;
  std::string escape;  // empty when shown as it is
  std::size_t width() const { return escape.empty() ? 1 : escape.size(); }
};

shown_char char_at(std::string_view text, std::size_t at) {
  char32_t code = 0;
  const std::size_t size = utf8_at(text, at, code);
  if (size == 0) return {1, fmt::format("\\x{:02x}", static_cast<unsigned char>(text[at]))};
  if (!is_control(code)) return {size, {}};
  if (code < 0x80) return {1, fmt::format("\\x{:02x}", static_cast<unsigned>(code))};
  return {size, fmt::format("\\u{:04x}", static_cast<unsigned>(code))};
}

void append(std::string& out, std::string_view text, std::size_t at, const shown_char& c) {
  if (c.escape.empty())
    out.append(text.substr(at, c.size));
  else
    out += c.escape;
}

// Columns of the window's text kept before the caret, when a line is cut.
constexpr std::size_t context_before = 40;

}  // namespace

std::string printable(std::string_view text, std::size_t width) {
  const bool plain = std::all_of(text.begin(), text.end(),
                                 [](char c) { return (c >= 0x20 && c < 0x7F) || c == '\t'; });
  if (plain && text.size() <= width) return std::string(text);
  std::size_t total = 0;
  for (std::size_t at = 0; at < text.size();) {
    const shown_char c = char_at(text, at);
    total += c.width();
    at += c.size;
  }
  // Over `width`, the columns of each end are kept, and '…' between them.
  const std::size_t end_width = total > width ? (width - 1) / 2 : total;
  std::string out;
  bool cut = false;
  std::size_t column = 0;
  for (std::size_t at = 0; at < text.size();) {
    const shown_char c = char_at(text, at);
    if (column + c.width() <= end_width || column >= total - end_width) {
      append(out, text, at, c);
    } else if (!cut) {
      out += "…";
      cut = true;
    }
    column += c.width();
    at += c.size;
  }
  return out;
}

std::string printable_lines(std::string_view text) {
  std::string out;
  for (std::size_t start = 0; start <= text.size();) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    if (start > 0) out += '\n';
    out += printable(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

excerpt excerpt_of(std::string_view line, std::size_t begin, std::size_t end) {
  begin = std::min(begin, line.size());
  // Only the bytes around `begin` are read, so that each diagnostic on a line of megabytes costs
  // as little as on a short one: the window's columns before the caret take at most 4 bytes each
  // (a character of UTF-8), and decoding starts at a character's first byte.
  std::size_t start = begin - std::min(begin, 4 * excerpt_width + 3);
  for (int i = 0; i < 3 && start > 0 && (static_cast<unsigned char>(line[start]) & 0xC0) == 0x80;
       ++i)
    ++start;
  struct placed {
    std::size_t at;
    shown_char c;
  };
  std::vector<placed> before, after;
  std::size_t at = start;
  while (at < begin) {
    before.push_back({at, char_at(line, at)});
    at += before.back().c.size;
  }
  // A span that starts inside a character starts with it.
  if (at > begin) {
    begin = before.back().at;
    before.pop_back();
  }
  std::size_t after_width = 0;
  for (at = begin; at < line.size() && after_width < excerpt_width;) {
    after.push_back({at, char_at(line, at)});
    after_width += after.back().c.width();
    at += after.back().c.size;
  }
  const bool more_after = at < line.size();

  // The window: context_before columns before the caret, more when the line ends sooner.
  const std::size_t before_budget =
      std::max(context_before, excerpt_width - std::min(after_width, excerpt_width));
  std::size_t first = before.size(), before_width = 0;
  while (first > 0 && before_width + before[first - 1].c.width() <= before_budget)
    before_width += before[--first].c.width();
  const bool cut_before = (first < before.size() ? before[first].at : begin) > 0;

  // '…' where the line is cut, and room for it under the caret.
  excerpt e{cut_before ? "…" : "", {}};
  std::string pad(cut_before ? 1 : 0, ' ');
  for (std::size_t i = first; i < before.size(); ++i) {
    append(e.line, line, before[i].at, before[i].c);
    pad +=
        line[before[i].at] == '\t' ? std::string(1, '\t') : std::string(before[i].c.width(), ' ');
  }
  std::size_t shown = 0, marked = 1;
  bool cut_after = more_after;
  for (const placed& p : after) {
    if (before_width + shown + p.c.width() > excerpt_width) {
      cut_after = true;
      break;
    }
    append(e.line, line, p.at, p.c);
    shown += p.c.width();
    if (p.at < end) marked = std::max(marked, shown);
  }
  if (cut_after) e.line += "…";
  e.marker = pad + "^" + std::string(marked - 1, '~');
  return e;
}

}  // namespace syn::dsl
