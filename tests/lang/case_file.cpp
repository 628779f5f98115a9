#include "case_file.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <regex>
#include <sstream>
#include <stdexcept>

#include "syn_runner.hpp"

namespace syn::test {

namespace {

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

template <typename T>
T parse_integer(const std::string& text) {
  T value{};
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(fmt::format("'{}' is not a whole number", text));
  return value;
}

double parse_double(const std::string& text) {
  double value = 0.0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size())
    throw std::invalid_argument(fmt::format("'{}' is not a number", text));
  return value;
}

count_range parse_range(const std::string& text) {
  const std::size_t dots = text.find("..");
  if (dots == std::string::npos) {
    const auto n = parse_integer<std::uint64_t>(text);
    return {n, n};
  }
  const count_range r{parse_integer<std::uint64_t>(text.substr(0, dots)),
                      parse_integer<std::uint64_t>(text.substr(dots + 2))};
  if (r.low > r.high) throw std::invalid_argument(fmt::format("empty range '{}'", text));
  return r;
}

std::vector<std::string> fields(const std::string& value, std::size_t n, const char* shape) {
  std::vector<std::string> w = words(value);
  if (w.size() != n) throw std::invalid_argument(fmt::format("expected '{}'", shape));
  return w;
}

expected_diagnostic diagnostic(const std::string& severity, const std::string& value) {
  static const std::regex positioned(R"(^(?:(\S+\.syn):)?(\d+):(\d+): (.+)$)");
  expected_diagnostic d;
  d.severity = severity;
  d.message = value;
  if (std::smatch m; std::regex_match(value, m, positioned)) {
    d.file = m[1];
    d.line = parse_integer<std::uint32_t>(m[2]);
    d.column = parse_integer<std::uint32_t>(m[3]);
    d.message = m[4];
  }
  if (d.message.empty()) throw std::invalid_argument("the message is missing");
  return d;
}

void apply(case_file& c, const std::string& name, const std::string& value) {
  if (name == "command") {
    if (value != "run" && value != "check") throw std::invalid_argument("expected run or check");
    c.command = value;
  } else if (name == "args") {
    c.args = words(value);
  } else if (name == "expect-exit") {
    c.exit_code = parse_integer<int>(value);
  } else if (name == "expect-error" || name == "expect-warning") {
    c.diagnostics.push_back(diagnostic(name.substr(7), value));
  } else if (name == "expect-hint") {
    if (c.diagnostics.empty() || c.diagnostics.back().hint)
      throw std::invalid_argument(
          "a hint follows the expect-error or expect-warning it belongs to");
    c.diagnostics.back().hint = value;
  } else if (name == "expect-spike") {
    const auto w = fields(value, 3, "POPULATION INDEX TIME_MS");
    c.spikes.push_back({w[0], parse_integer<std::uint32_t>(w[1]), parse_double(w[2])});
  } else if (name == "expect-spike-count") {
    const auto w = fields(value, 2, "POPULATION|* COUNT|LOW..HIGH");
    c.spike_counts.push_back({w[0], parse_range(w[1])});
  } else if (name == "expect-v") {
    const auto w = fields(value, 4, "POPULATION INDEX TIME_MS V_MV");
    c.samples.push_back(
        {w[0], parse_integer<std::uint32_t>(w[1]), parse_double(w[2]), parse_double(w[3])});
  } else if (name == "expect-synapses") {
    c.synapses = parse_range(fields(value, 1, "COUNT|LOW..HIGH")[0]);
  } else {
    throw std::invalid_argument(fmt::format("unknown directive '{}'", name));
  }
}

}  // namespace

int case_file::expected_exit() const {
  if (exit_code) return *exit_code;
  const bool error =
      std::any_of(diagnostics.begin(), diagnostics.end(),
                  [](const expected_diagnostic& d) { return d.severity == "error"; });
  return error ? 1 : 0;
}

case_file parse_case(std::string_view text) {
  // `# NAME: VALUE` on a line of its own; NAME is a known directive or anything starting with
  // "expect" (so that a misspelt one is refused rather than silently ignored).
  static const std::regex directive(R"(^\s*#\s*([a-z][a-z-]*):\s?(.*?)\s*$)");
  static const std::vector<std::string> known_outside_expect = {"command", "args"};
  case_file c;
  std::uint32_t number = 0;
  for (const std::string& line : split_lines(text)) {
    ++number;
    std::smatch m;
    if (!std::regex_match(line, m, directive)) continue;
    const std::string name = m[1];
    const bool looks_like_one = name.starts_with("expect") ||
                                std::find(known_outside_expect.begin(), known_outside_expect.end(),
                                          name) != known_outside_expect.end();
    if (!looks_like_one) continue;
    try {
      apply(c, name, m[2]);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(fmt::format("line {}: {}: {}", number, name, e.what()));
    }
  }
  if (c.command == "check" &&
      (!c.spikes.empty() || !c.spike_counts.empty() || !c.samples.empty() || c.synapses))
    throw std::invalid_argument("`syn check` writes no spikes, samples or summary to expect");
  return c;
}

}  // namespace syn::test
