// The case runner: one test per tests/lang/cases/**/*.syn, found when the tests are listed, so a
// new case needs no C++. Each case is run as `syn run CASE --out DIR` (or `syn check CASE`) from
// the cases folder and held to the expectations in its comments (README.md): exit code, every
// diagnostic in order with its line, column, source line and caret, hints, spikes, samples of v
// and the synapse count of the summary.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <optional>
#include <regex>
#include <stdexcept>
#include <string>
#include <vector>

#include "case_file.hpp"
#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

const fs::path cases_root = SYN_LANG_CASES;
constexpr double time_tolerance = 1e-9;  // ms
constexpr double v_tolerance = 1e-9;     // mV

// Every .syn file but those in `lib` and `local` folders, which are libraries the cases import.
std::vector<std::string> discover_cases() {
  std::vector<std::string> cases;
  for (const auto& entry : fs::recursive_directory_iterator(cases_root)) {
    const fs::path relative = entry.path().lexically_relative(cases_root);
    if (entry.is_regular_file() && relative.extension() == ".syn" &&
        std::none_of(relative.begin(), relative.end(),
                     [](const fs::path& part) { return part == "lib" || part == "local"; }))
      cases.push_back(relative.generic_string());
  }
  std::sort(cases.begin(), cases.end());
  return cases;
}

// A diagnostic as the tool printed it on standard error.
struct printed_diagnostic {
  std::string severity;
  std::string file;  // empty for `syn: error: ...`, which has no position
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;
  std::string source;  // the two lines under a positioned diagnostic
  std::string caret;
  std::optional<std::string> hint;
};

std::vector<printed_diagnostic> printed_diagnostics(const std::vector<std::string>& lines) {
  static const std::regex positioned(R"(^(.+?):(\d+):(\d+): (error|warning): (.*)$)");
  static const std::regex bare(R"(^syn: (error|warning): (.*)$)");
  std::vector<printed_diagnostic> out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    printed_diagnostic d;
    if (std::regex_match(lines[i], m, positioned)) {
      d.severity = m[4];
      d.file = m[1];
      d.line = static_cast<std::uint32_t>(std::stoul(m[2]));
      d.column = static_cast<std::uint32_t>(std::stoul(m[3]));
      d.message = m[5];
      if (i + 1 < lines.size()) d.source = lines[++i];
      if (i + 1 < lines.size()) d.caret = lines[++i];
    } else if (std::regex_match(lines[i], m, bare)) {
      d.severity = m[1];
      d.message = m[2];
    } else {
      continue;
    }
    if (i + 1 < lines.size() && lines[i + 1].starts_with("hint: ")) d.hint = lines[++i].substr(6);
    out.push_back(std::move(d));
  }
  return out;
}

std::string describe(const std::string& severity, const std::string& file, std::uint32_t line,
                     std::uint32_t column, const std::string& message,
                     const std::optional<std::string>& hint) {
  std::string s = line ? fmt::format("{} {}:{}:{}: {}", severity, file, line, column, message)
                       : fmt::format("{} {}", severity, message);
  if (hint) s += fmt::format(" | hint: {}", *hint);
  return s;
}

std::size_t characters(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// The source line must be the one reported, and the caret must sit under the reported column.
void check_excerpt(const printed_diagnostic& d, const std::vector<std::string>& source) {
  SCOPED_TRACE(describe(d.severity, d.file, d.line, d.column, d.message, {}));
  ASSERT_TRUE(d.line >= 1 && d.line <= source.size() + 1) << "no such line";
  const std::string line = d.line <= source.size() ? source[d.line - 1] : "";
  EXPECT_EQ(d.source, "  " + line) << "the excerpt is not the reported line";
  ASSERT_TRUE(d.caret.starts_with("  ")) << "caret line: '" << d.caret << "'";
  const std::size_t caret = d.caret.find('^');
  ASSERT_NE(caret, std::string::npos) << "caret line: '" << d.caret << "'";
  const std::string pad = d.caret.substr(2, caret - 2);
  EXPECT_EQ(pad.find_first_not_of(" \t"), std::string::npos) << "caret line: '" << d.caret << "'";
  EXPECT_EQ(d.caret.find_first_not_of('~', caret + 1), std::string::npos)
      << "caret line: '" << d.caret << "'";
  EXPECT_EQ(pad.size() + 1, d.column) << "the caret is not under the reported column";
  EXPECT_LE(d.column, characters(line) + 1) << "the column is past the end of the line";
}

// Diagnostics name the case, or a library it imports when the case says so.
void check_diagnostics(const case_file& c, const std::string& file, const std::string& err) {
  const std::vector<printed_diagnostic> printed = printed_diagnostics(split_lines(err));
  std::vector<std::string> want, got;
  for (const expected_diagnostic& d : c.diagnostics)
    want.push_back(
        describe(d.severity, d.file.empty() ? file : d.file, d.line, d.column, d.message, d.hint));
  // A printed hint is compared only where the case states one at the same place in the list.
  for (std::size_t i = 0; i < printed.size(); ++i) {
    const printed_diagnostic& d = printed[i];
    const bool hint_stated = i < c.diagnostics.size() && c.diagnostics[i].hint;
    got.push_back(describe(d.severity, d.file, d.line, d.column, d.message,
                           hint_stated ? std::optional(d.hint.value_or("(none)")) : std::nullopt));
  }
  EXPECT_EQ(got, want) << "the diagnostics differ from the expect-error/warning/hint lines";
  for (const printed_diagnostic& d : printed) {
    if (d.file.empty()) continue;
    const std::string file_text = read_file(cases_root / d.file);
    std::string_view text = file_text;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // syn skips a byte order mark
    check_excerpt(d, split_lines(text));
  }
}

// Rows of a CSV output after its header, which must be exactly `header`.
std::vector<std::vector<std::string>> csv_rows(const fs::path& path, const std::string& header) {
  if (!fs::exists(path)) throw std::runtime_error(fmt::format("{} was not written", path.string()));
  std::vector<std::string> lines = split_lines(read_file(path));
  if (lines.empty() || lines.front() != header)
    throw std::runtime_error(fmt::format("{} does not start with {}", path.string(), header));
  std::vector<std::vector<std::string>> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) rows.push_back(split(lines[i], ','));
  return rows;
}

void check_spikes(const case_file& c, const fs::path& path) {
  if (c.spikes.empty() && c.spike_counts.empty()) return;
  const auto rows = csv_rows(path, "time_ms,population,index");
  if (!c.spikes.empty()) {
    ASSERT_EQ(rows.size(), c.spikes.size()) << "spikes.csv:\n" << read_file(path);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      const expected_spike& s = c.spikes[i];
      SCOPED_TRACE(fmt::format("row {} of spikes.csv: expected {} {} {}", i + 1, s.population,
                               s.index, s.time));
      ASSERT_EQ(rows[i].size(), 3u);
      EXPECT_EQ(rows[i][1], s.population);
      EXPECT_EQ(rows[i][2], std::to_string(s.index));
      EXPECT_NEAR(std::stod(rows[i][0]), s.time, time_tolerance);
    }
  }
  for (const expected_spike_count& e : c.spike_counts) {
    const auto n = static_cast<std::uint64_t>(std::count_if(rows.begin(), rows.end(), [&](auto& r) {
      return e.population == "*" || (r.size() == 3 && r[1] == e.population);
    }));
    EXPECT_TRUE(e.count.contains(n)) << fmt::format("{} spikes of {}, expected {}..{}", n,
                                                    e.population, e.count.low, e.count.high);
  }
}

void check_samples(const case_file& c, const fs::path& path) {
  if (c.samples.empty()) return;
  const auto rows = csv_rows(path, "time_ms,population,index,v_mV");
  for (const expected_sample& s : c.samples) {
    SCOPED_TRACE(fmt::format("expect-v: {} {} {} {}", s.population, s.index, s.time, s.v));
    std::vector<double> found;
    for (const auto& r : rows)
      if (r.size() == 4 && r[1] == s.population && r[2] == std::to_string(s.index) &&
          std::abs(std::stod(r[0]) - s.time) <= time_tolerance)
        found.push_back(std::stod(r[3]));
    ASSERT_EQ(found.size(), 1u) << "samples of v.csv at that time";
    EXPECT_NEAR(found.front(), s.v, v_tolerance);
  }
}

void check_synapses(const case_file& c, const std::string& err) {
  if (!c.synapses) return;
  static const std::regex summary(R"(syn: \d+ neurons?, (\d+) synapses?)");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(err, m, summary)) << "no summary line on standard error";
  const std::uint64_t n = std::stoull(m[1]);
  EXPECT_TRUE(c.synapses->contains(n))
      << fmt::format("{} synapses, expected {}..{}", n, c.synapses->low, c.synapses->high);
}

class syn_case : public ::testing::TestWithParam<std::string> {};

TEST_P(syn_case, meets_its_expectations) {
  const std::string& file = GetParam();
  const std::string text = read_file(cases_root / file);
  case_file c;
  try {
    c = parse_case(text);
  } catch (const std::invalid_argument& e) {
    FAIL() << file << ": " << e.what();
  }
  temp_dir tmp;
  const fs::path out = tmp / "out";
  std::vector<std::string> args{c.command, file};
  if (c.command == "run") args.insert(args.end(), {"--out", out.string()});
  args.insert(args.end(), c.args.begin(), c.args.end());

  const syn_result r = run_syn(args, cases_root);
  SCOPED_TRACE(fmt::format("syn {} (in {})\n--- standard error ---\n{}", fmt::join(args, " "),
                           cases_root.string(), r.err));
  EXPECT_EQ(r.exit_code, c.expected_exit());
  check_diagnostics(c, file, r.err);
  if (r.exit_code == 1 || r.exit_code == 2) {
    EXPECT_FALSE(fs::exists(out)) << "a model that fails must write nothing";
  }
  try {
    check_spikes(c, out / "spikes.csv");
    check_samples(c, out / "v.csv");
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what();
  }
  check_synapses(c, r.err);
}

INSTANTIATE_TEST_SUITE_P(cases, syn_case, ::testing::ValuesIn(discover_cases()),
                         [](const auto& p) { return test_name_of(p.param); });

}  // namespace
}  // namespace syn::test
