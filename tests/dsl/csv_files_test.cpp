// The CSV writers' exact text, the reader's round trip of it, and each reader error with its
// line and column.

#include "run/csv_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "lowering/random_stream.hpp"

namespace syn::dsl {
namespace {

template <typename Write>
std::string written(Write write) {
  std::FILE* f = std::tmpfile();
  write(f);
  std::rewind(f);
  std::string text;
  char chunk[4096];
  std::size_t got;
  while ((got = std::fread(chunk, 1, sizeof chunk, f)) > 0) text.append(chunk, got);
  std::fclose(f);
  return text;
}

std::string temp_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::FILE* f = std::fopen(path.c_str(), "wb");
  std::fwrite(text.data(), 1, text.size(), f);
  std::fclose(f);
  return path;
}

const std::vector<spike_row> sample_spikes = {
    {0.1, "exc", 0}, {1e-7, "n1", 3}, {123456.789, "exc", 12}, {2.5, "inh", 4294967295u}};

TEST(csv_files, writes_spikes_in_shortest_round_trip_form) {
  EXPECT_EQ(written([](std::FILE* f) { write_spikes_csv(f, sample_spikes); }),
            "time_ms,population,index\n"
            "0.1,exc,0\n"
            "1e-07,n1,3\n"
            "123456.789,exc,12\n"
            "2.5,inh,4294967295\n");
  fmt::memory_buffer scratch;
  EXPECT_EQ(written([&](std::FILE* f) {
              append_spikes_csv(f, {sample_spikes.data(), 1}, scratch);
            }),
            "0.1,exc,0\n");
}

TEST(csv_files, writes_membrane_potentials) {
  const std::vector<v_row> rows = {{0, "n1", 0, -70}, {0.1, "n1", 0, -69.87654321}};
  EXPECT_EQ(written([&](std::FILE* f) { write_v_csv(f, rows); }),
            "time_ms,population,index,v_mV\n"
            "0,n1,0,-70\n"
            "0.1,n1,0,-69.87654321\n");
  fmt::memory_buffer scratch;
  EXPECT_EQ(written([&](std::FILE* f) { append_v_csv(f, rows, scratch); }),
            "0,n1,0,-70\n"
            "0.1,n1,0,-69.87654321\n");
}

TEST(csv_files, reads_back_what_it_writes) {
  const std::string path =
      temp_file("spikes.csv", written([](std::FILE* f) { write_spikes_csv(f, sample_spikes); }));
  const auto read = read_spikes_csv(path);
  ASSERT_TRUE(std::holds_alternative<replay>(read)) << std::get<csv_error>(read).message;
  const replay& r = std::get<replay>(read);
  using id = std::pair<std::string, std::uint32_t>;
  EXPECT_EQ(r.ids, (std::vector<id>{{"exc", 0}, {"n1", 3}, {"exc", 12}, {"inh", 4294967295u}}));
  EXPECT_EQ(r.sources, (std::vector<std::vector<double>>{{0.1}, {1e-7}, {123456.789}, {2.5}}));
}

TEST(csv_files, round_trips_many_rows_bit_for_bit) {
  // More rows than one write chunk, with times that need all 17 digits.
  random_stream rng(1, 0, 0);
  std::vector<spike_row> rows;
  for (std::uint32_t i = 0; i < 20000; ++i) rows.push_back({rng.uniform(0, 1000), "p", i % 7});
  const auto read = parse_spikes_csv(written([&](std::FILE* f) { write_spikes_csv(f, rows); }));
  ASSERT_TRUE(std::holds_alternative<replay>(read));
  const replay& r = std::get<replay>(read);
  ASSERT_EQ(r.sources.size(), 7u);
  for (std::uint32_t s = 0; s < 7; ++s) {
    EXPECT_EQ(r.ids[s], std::pair(std::string("p"), s));
    std::vector<double> expected;
    for (std::uint32_t i = s; i < rows.size(); i += 7) expected.push_back(rows[i].time);
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(r.sources[s], expected);
  }
}

TEST(csv_files, reader_accepts_bom_crlf_blank_lines_spaces_and_unsorted_times) {
  const auto read = parse_spikes_csv(
      "\xEF\xBB\xBFtime_ms,population,index\r\n5, a ,1\r\n\r\n  \n1e1,b,0\n2,a,1\r\n");
  ASSERT_TRUE(std::holds_alternative<replay>(read)) << std::get<csv_error>(read).message;
  const replay& r = std::get<replay>(read);
  using id = std::pair<std::string, std::uint32_t>;
  EXPECT_EQ(r.ids, (std::vector<id>{{"a", 1}, {"b", 0}}));
  EXPECT_EQ(r.sources, (std::vector<std::vector<double>>{{2, 5}, {10}}));
  EXPECT_TRUE(std::get<replay>(parse_spikes_csv("time_ms,population,index")).sources.empty());
}

struct bad_case {
  std::string text;
  std::uint32_t line;
  std::uint32_t column;
  std::string message;
};

TEST(csv_files, reader_reports_each_error_with_line_and_column) {
  const std::string header = "time_ms,population,index\n";
  const std::vector<bad_case> cases = {
      {"", 1, 1, "empty file: expected the header `time_ms,population,index`"},
      {"time,population,index\n1,a,0\n", 1, 1,
       "not a spike file: line 1 is not the header `time_ms,population,index`"},
      {header + "1,a,0\n1,exc\n", 3, 6, "expected 3 columns (time_ms,population,index), found 2"},
      {header + "1,exc,2,3\n", 2, 8, "expected 3 columns (time_ms,population,index), found 4"},
      {header + "abc,a,0\n", 2, 1, "time `abc` is not a finite number of milliseconds >= 0"},
      {header + " -1,a,0\n", 2, 2, "time `-1` is not a finite number of milliseconds >= 0"},
      {header + "inf,a,0\n", 2, 1, "time `inf` is not a finite number of milliseconds >= 0"},
      {header + "nan,a,0\n", 2, 1, "time `nan` is not a finite number of milliseconds >= 0"},
      {header + "1.5ms,a,0\n", 2, 1, "time `1.5ms` is not a finite number of milliseconds >= 0"},
      {header + ",a,0\n", 2, 1, "time `` is not a finite number of milliseconds >= 0"},
      {header + "1,,0\n", 2, 3, "missing population name"},
      {header + "1,exc,-1\n", 2, 7, "index `-1` is not a non-negative integer"},
      {header + "1,exc,2.0\n", 2, 7, "index `2.0` is not a non-negative integer"},
      {header + "1,exc,\n", 2, 7, "index `` is not a non-negative integer"},
      {header + "1,exc,4294967296\n", 2, 7, "index `4294967296` is too large"},
      {header + "1,\xC3\xA9,x\n", 2, 5, "index `x` is not a non-negative integer"},  // é
      {"time_ms,population,index\r\n1,a,0\r\n\r\n2,a,x\r\n", 4, 5,
       "index `x` is not a non-negative integer"},
  };
  for (const bad_case& c : cases) {
    const auto read = parse_spikes_csv(c.text);
    ASSERT_TRUE(std::holds_alternative<csv_error>(read)) << c.text;
    const csv_error& e = std::get<csv_error>(read);
    EXPECT_EQ(e.line, c.line) << c.text;
    EXPECT_EQ(e.column, c.column) << c.text;
    EXPECT_EQ(e.message, c.message) << c.text;
  }
}

TEST(csv_files, reader_reports_a_missing_file_without_position) {
  const auto read = read_spikes_csv(::testing::TempDir() + "no/such/spikes.csv");
  ASSERT_TRUE(std::holds_alternative<csv_error>(read));
  const csv_error& e = std::get<csv_error>(read);
  EXPECT_EQ(e.line, 0u);
  EXPECT_EQ(e.column, 0u);
  EXPECT_EQ(e.message, "No such file or directory");
}

TEST(csv_files, reader_errors_come_through_read_from_a_file) {
  const auto read = read_spikes_csv(temp_file("bad.csv", "time_ms,population,index\n1,a\n"));
  ASSERT_TRUE(std::holds_alternative<csv_error>(read));
  EXPECT_EQ(std::get<csv_error>(read).line, 2u);
}

}  // namespace
}  // namespace syn::dsl
