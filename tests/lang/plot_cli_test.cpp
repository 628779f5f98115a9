// Figures as a user makes them, through the `syn` binary: `record ... plot "FILE.svg"` in a
// model, `syn plot DIR` on a results folder, the output folder's list of figures, and the REPL's
// `plot`. Every SVG is parsed and its marks mapped back through its axes to the spikes and
// samples of the CSV files written beside it; the models fire at times known by construction
// (a jump above threshold - rest fires its neuron at the input's arrival).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <regex>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "../figures/svg_reading.hpp"
#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;
using dsl::figures::test::figure;
using dsl::figures::test::path_numbers;
using dsl::figures::test::points_of;
using dsl::figures::test::x_axis;
using dsl::figures::test::y_axis;

constexpr const char* cells = R"(receptor J { kinetics = jump; effect = excitatory }
neuron L { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }
)";

// exc[2] fires at 2, 5 and 9 ms, exc[7] at 1.5, 4.5 and 8.5 ms, inh[1] at 3, 6 and 10 ms, one
// after each of t's spikes at 1, 4 and 8 ms; nothing else fires.
constexpr const char* network = R"(population exc = 10 x L
population inh = 3 x L
train t = times [1 ms, 4 ms, 8 ms]
connect t -> exc[2] via J weight 25 mV delay 1 ms
connect t -> exc[7] via J weight 25 mV delay 0.5 ms
connect t -> inh[1] via J weight 25 mV delay 2 ms
)";

struct spike_row {
  double time;
  std::string population;
  long index;
  auto operator<=>(const spike_row&) const = default;
};

std::vector<spike_row> spikes_by_construction(double from) {
  std::vector<spike_row> rows;
  for (const double input : {1.0, 4.0, 8.0}) {
    for (const auto& [delay, population, index] :
         {std::tuple{0.0, "t", 0L}, {1.0, "exc", 2L}, {0.5, "exc", 7L}, {2.0, "inh", 1L}})
      if (input + delay >= from) rows.push_back({input + delay, population, index});
  }
  std::sort(rows.begin(), rows.end());
  return rows;
}

std::vector<spike_row> read_spikes(const fs::path& csv) {
  const std::vector<std::string> lines = split_lines(read_file(csv));
  EXPECT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "time_ms,population,index");
  std::vector<spike_row> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> f = split(lines[i], ',');
    rows.push_back({std::strtod(f.at(0).c_str(), nullptr), f.at(1), std::stol(f.at(2))});
  }
  return rows;
}

struct v_row {
  double time;
  std::string element;  // exc[3]
  double v;
};

std::vector<v_row> read_v(const fs::path& csv) {
  const std::vector<std::string> lines = split_lines(read_file(csv));
  EXPECT_EQ(lines.at(0), "time_ms,population,index,v_mV");
  std::vector<v_row> rows;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> f = split(lines[i], ',');
    rows.push_back({std::strtod(f.at(0).c_str(), nullptr), fmt::format("{}[{}]", f.at(1), f.at(2)),
                    std::strtod(f.at(3).c_str(), nullptr)});
  }
  return rows;
}

// The spikes a raster marks, as (time, group, index within its population): rows mapped
// through the y axis, less the rows of the groups above (`first_rows`, by group name), plus
// the group's first index (`first_index`).
std::vector<spike_row> raster_marks(const figure& f, const std::map<std::string, long>& first_rows,
                                    const std::map<std::string, long>& first_index = {}) {
  const auto time = x_axis(f, 0), row = y_axis(f, 0);
  std::vector<spike_row> marks;
  for (const pugi::xpath_node& g : f.doc.select_nodes("//*[@data-population]")) {
    const std::string name = g.node().attribute("data-population").value();
    for (const pugi::xpath_node& mark : g.node().select_nodes("*[@class='spike']")) {
      const std::vector<double> d = path_numbers(mark.node());
      EXPECT_EQ(d.size(), 3u);
      if (d.size() != 3) continue;
      // The y axis labels each row's index at its middle, where the marks are.
      const double centre = row(d[1] + d[2] / 2);
      EXPECT_NEAR(centre - std::round(centre), 0.0, 0.02);
      EXPECT_TRUE(first_rows.contains(name)) << name;
      const long index = std::lround(centre) - first_rows.at(name) +
                         (first_index.contains(name) ? first_index.at(name) : 0);
      const std::string population = name.substr(0, name.find('['));
      marks.push_back({std::round(time(d[0]) * 100) / 100, population, index});
    }
  }
  std::sort(marks.begin(), marks.end());
  return marks;
}

// Spike times rounded to the 0.01 ms a mark is read back to.
std::vector<spike_row> rounded(std::vector<spike_row> rows) {
  for (spike_row& r : rows) r.time = std::round(r.time * 100) / 100;
  std::sort(rows.begin(), rows.end());
  return rows;
}

const std::map<std::string, long> stacked{{"exc", 0}, {"inh", 10}, {"t", 13}};

std::string model(const std::string& statements) {
  return std::string(cells) + network + statements;
}

syn_result run_model(const temp_dir& dir, const std::string& text, const std::string& out = "out",
                     const std::string& file = "m.syn") {
  write_file(dir / file, text);
  return run_syn({"run", (dir / file).string(), "--out", (dir / out).string()});
}

// `svg` without its input arrivals and their legend row: the model's own trace figures mark the
// inputs onto each neuron, which `syn plot` cannot know from the results folder.
std::string without_arrivals(const std::string& svg) {
  std::string kept;
  const std::vector<std::string> lines = split_lines(svg);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    const bool legend_mark =
        i + 1 < lines.size() && lines[i + 1].find(">input arrival<") != std::string::npos;
    if (line.find("class=\"arrival\"") != std::string::npos ||
        line.find(">input arrival<") != std::string::npos || legend_mark)
      continue;
    kept += line + "\n";
  }
  return kept;
}

// 1. record spikes plot

TEST(record_plot, raster_marks_every_spike_of_spikes_csv_at_its_time_and_row) {
  const temp_dir dir;
  const syn_result r = run_model(dir, model("record spikes plot \"raster.svg\"\nrun 12 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<spike_row> spikes = read_spikes(dir / "out/spikes.csv");
  EXPECT_EQ(spikes, spikes_by_construction(0));
  const figure f(read_file(dir / "out/raster.svg"));
  EXPECT_EQ(raster_marks(f, stacked), rounded(spikes));
  std::vector<std::string> groups;
  for (const pugi::xpath_node& g : f.doc.select_nodes("//*[@data-population][not(@class='rate')]"))
    groups.emplace_back(g.node().attribute("data-population").value());
  EXPECT_EQ(groups, (std::vector<std::string>{"exc", "inh", "t"}));
  EXPECT_EQ(f.texts_of("legend"), (std::vector<std::string>{"exc", "inh", "t (train)"}));
  EXPECT_TRUE(f.with_class("note").empty());
  dsl::figures::test::expect_round_ticks(f);
}

TEST(record_plot, raster_of_one_population_shows_only_it) {
  const temp_dir dir;
  const syn_result r =
      run_model(dir, model("record spikes\nrecord spikes of exc plot \"exc.svg\"\nrun 12 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<spike_row> exc;
  for (const spike_row& s : read_spikes(dir / "out/spikes.csv"))
    if (s.population == "exc") exc.push_back(s);
  ASSERT_EQ(exc.size(), 6u);
  const figure f(read_file(dir / "out/exc.svg"));
  EXPECT_EQ(raster_marks(f, {{"exc", 0}}), rounded(exc));
  EXPECT_EQ(f.texts_of("legend"), std::vector<std::string>{"exc"});
}

TEST(record_plot, raster_of_a_recording_started_after_a_run_shows_its_spikes_from_then_on) {
  const temp_dir dir;
  const syn_result r =
      run_model(dir, model("run 4.2 ms\nrecord spikes plot \"late.svg\"\nrun 7.8 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<spike_row> spikes = read_spikes(dir / "out/spikes.csv");
  EXPECT_EQ(spikes, spikes_by_construction(4.2));
  const figure f(read_file(dir / "out/late.svg"));
  EXPECT_EQ(raster_marks(f, stacked), rounded(spikes));
}

TEST(record_plot, raster_of_a_hundred_thousand_spikes_is_a_density_that_counts_them) {
  const temp_dir dir;
  const syn_result r = run_model(
      dir, "train bg = 1000 x poisson 100 Hz\nrecord spikes plot \"raster.svg\"\nrun 1 s\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t spikes = read_spikes(dir / "out/spikes.csv").size();
  EXPECT_NEAR(static_cast<double>(spikes), 1e5, 2000);
  const std::string svg = read_file(dir / "out/raster.svg");
  EXPECT_LT(svg.size(), 1500000u);  // as raster_figure_test holds the figure to
  const figure f(svg);
  EXPECT_TRUE(f.with_class("spike").empty());
  const std::vector<std::string> notes = f.texts_of("note");
  ASSERT_EQ(notes.size(), 1u);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(notes[0], m, std::regex("^([0-9,]+) spikes shown as density")))
      << notes[0];
  std::string digits = m[1];
  std::erase(digits, ',');
  EXPECT_EQ(std::stoul(digits), spikes);
  std::size_t counted = 0;
  for (const pugi::xml_node& cell : f.with_class("density"))
    counted += cell.attribute("data-n").as_ullong();
  EXPECT_EQ(counted, spikes);
}

// 2. record v plot

struct trace_check {
  std::string label;
  std::vector<double> spikes;  // ms
};

// Each trace of `f` holds exactly the samples of `v` of its label, mapped back through the axes,
// with a marker at threshold height at each of its spikes; the threshold and rest lines are at
// -50 and -70 mV.
void expect_traces(const figure& f, const std::vector<v_row>& v,
                   const std::vector<trace_check>& traces) {
  const auto time = x_axis(f), volts = y_axis(f);
  const std::vector<pugi::xml_node> lines = f.with_class("trace");
  ASSERT_EQ(lines.size(), traces.size());
  for (std::size_t i = 0; i < traces.size(); ++i) {
    EXPECT_EQ(lines[i].attribute("data-label").value(), traces[i].label);
    std::vector<v_row> samples;
    for (const v_row& s : v)
      if (s.element == traces[i].label) samples.push_back(s);
    const auto points = points_of(lines[i]);
    ASSERT_EQ(points.size(), samples.size()) << traces[i].label;
    for (std::size_t k = 0; k < points.size(); ++k) {
      EXPECT_NEAR(time(points[k].first), samples[k].time, 0.01) << traces[i].label << " " << k;
      EXPECT_NEAR(volts(points[k].second), samples[k].v, 0.02) << traces[i].label << " " << k;
    }
  }
  for (const auto& [cls, level] : {std::pair{"threshold", -50.0}, {"rest", -70.0}}) {
    const std::vector<pugi::xml_node> line = f.with_class(cls);
    ASSERT_EQ(line.size(), 1u) << cls;
    EXPECT_NEAR(volts(path_numbers(line[0]).at(1)), level, 0.01) << cls;
  }
  std::vector<double> marked, expected;
  for (const pugi::xml_node& c : f.with_class("spike-marker")) {
    marked.push_back(std::round(time(c.attribute("cx").as_double()) * 100) / 100);
    EXPECT_NEAR(volts(c.attribute("cy").as_double()), -50, 0.01);
  }
  for (const trace_check& t : traces)
    expected.insert(expected.end(), t.spikes.begin(), t.spikes.end());
  std::sort(marked.begin(), marked.end());
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(marked, expected);
}

TEST(record_plot, traces_hold_every_sample_with_their_spikes_though_spikes_are_not_recorded) {
  const temp_dir dir;
  const syn_result r = run_model(
      dir, model("connect t -> exc[3] via J weight 5 mV delay 1 ms\n"
                 "record v of exc[2], exc[3], inh[1] every 0.1 ms plot \"v.svg\"\nrun 12 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(dir / "out/spikes.csv"));
  const std::vector<v_row> v = read_v(dir / "out/v.csv");
  EXPECT_EQ(v.size(), 3u * 121u);
  const figure f(read_file(dir / "out/v.svg"));
  expect_traces(f, v, {{"exc[2]", {2, 5, 9}}, {"exc[3]", {}}, {"inh[1]", {3, 6, 10}}});
  EXPECT_EQ(f.texts_of("title"), std::vector<std::string>{"Membrane potential"});
  EXPECT_EQ(f.texts_of("axis-label"), (std::vector<std::string>{"V (mV)", "time (ms)"}));
  EXPECT_TRUE(f.with_class("note").empty());
}

// The PSP figure: each input's arrival (spike time + delay) marked on the trace it reaches, at V
// there, from every presynaptic source, recorded or not; ties (two synapses at one instant)
// once. A neuron with more inputs than can be told apart has none marked.
TEST(record_plot, traces_mark_each_input_arrival_on_the_trace_it_reaches) {
  const temp_dir dir;
  const syn_result r =
      run_model(dir, std::string(cells) +
                         "population n = L\npopulation m = L\npopulation busy = L\n"
                         "train burst = times [1 ms, 2.5 ms, 4 ms]\ntrain other = times [3 ms]\n"
                         "train many = 1100 x regular 10 Hz from 0 ms to 20 ms\n"
                         "connect burst -> n via J weight 2 mV delay 1 ms\n"
                         "connect other -> n via J weight 1 mV delay 0.5 ms\n"
                         "connect other -> n via J weight 1 mV delay 0.5 ms\n"
                         "connect burst -> m via J weight 2 mV delay 2 ms\n"
                         "connect many -> busy via J weight 0.001 mV delay 1 ms\n"
                         "record v of n, m, busy every 0.1 ms plot \"psp.svg\"\nrun 10 ms\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const figure f(read_file(dir / "out/psp.svg"));
  const auto time = x_axis(f), volts = y_axis(f);
  const std::vector<v_row> v = read_v(dir / "out/v.csv");
  std::vector<std::pair<double, double>> marked;  // time, V
  for (const pugi::xml_node& a : f.with_class("arrival")) {
    const std::vector<double> d = path_numbers(a);
    marked.emplace_back(std::round(time(d.at(0)) * 100) / 100, volts(d.at(1)));
  }
  std::sort(marked.begin(), marked.end());
  // n: 2, 3.5 (burst's second spike and other's through both its synapses: one mark), 5;
  // m: 3, 4.5, 6; busy: none.
  const std::vector<double> expected{2, 3, 3.5, 4.5, 5, 6};
  ASSERT_EQ(marked.size(), expected.size());
  for (std::size_t i = 0; i < marked.size(); ++i) EXPECT_EQ(marked[i].first, expected[i]) << i;
  // Each mark sits on its trace: a jump input leaves V at the sample after it; the mark is at V
  // just before (the trace's line reaches it from the left), so within the jump.
  for (const auto& [t, mark_v] : marked) {
    bool on_a_trace = false;
    for (const v_row& s : v)
      if (std::abs(s.time - t) < 1e-9 && std::abs(s.v - mark_v) < 2.1) on_a_trace = true;
    EXPECT_TRUE(on_a_trace) << t;
  }
}

// A trace begun after a run marks the spikes from its first sample on, as spikes.csv recorded
// from then on holds them, so that `syn plot` draws the same figure.
TEST(record_plot, traces_begun_after_a_run_mark_the_spikes_from_then_on) {
  const temp_dir dir;
  const syn_result r = run_model(
      dir, model("run 4.2 ms\nrecord spikes\n"
                 "record v of exc[2], exc[7] every 0.1 ms plot \"late.svg\"\nrun 7.8 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<v_row> v = read_v(dir / "out/v.csv");
  ASSERT_EQ(v.size(), 2u * 79u);
  EXPECT_NEAR(v.front().time, 4.2, 1e-9);
  const figure f(read_file(dir / "out/late.svg"));
  expect_traces(f, v, {{"exc[2]", {5, 9}}, {"exc[7]", {4.5, 8.5}}});
  ASSERT_EQ(run_syn({"plot", (dir / "out").string()}).exit_code, 0);
  EXPECT_EQ(read_file(dir / "out/v.svg"), without_arrivals(read_file(dir / "out/late.svg")));
}

TEST(record_plot, traces_of_many_samples_are_thinned_and_say_so) {
  const temp_dir dir;
  const syn_result r =
      run_model(dir, model("record v of exc[2] every 0.01 ms plot \"v.svg\"\nrun 200 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const figure f(read_file(dir / "out/v.svg"));
  const std::vector<pugi::xml_node> lines = f.with_class("trace");
  ASSERT_EQ(lines.size(), 1u);
  const std::size_t drawn = points_of(lines[0]).size();
  EXPECT_LT(drawn, 20001u / 2);
  const std::vector<std::string> notes = f.texts_of("note");
  ASSERT_EQ(notes.size(), 1u);
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(notes[0], m, std::regex("^exc\\[2\\]: 20,001 points drawn as ([0-9,]+) ")))
      << notes[0];
  std::string digits = m[1];
  std::erase(digits, ',');
  EXPECT_EQ(std::stoul(digits), drawn);
  EXPECT_EQ(f.with_class("spike-marker").size(), 3u);
}

TEST(record_plot, traces_of_more_than_eight_neurons_show_the_first_eight_and_say_of_how_many) {
  const temp_dir dir;
  const syn_result r = run_model(
      dir, model("record spikes\nrecord v of exc every 0.5 ms plot \"v.svg\"\nrun 12 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const figure f(read_file(dir / "out/v.svg"));
  std::vector<trace_check> first_eight;
  for (int i = 0; i < 8; ++i) first_eight.push_back({fmt::format("exc[{}]", i), {}});
  first_eight[2].spikes = {2, 5, 9};
  first_eight[7].spikes = {1.5, 4.5, 8.5};
  expect_traces(f, read_v(dir / "out/v.csv"), first_eight);
  EXPECT_EQ(f.texts_of("title"),
            std::vector<std::string>{"Membrane potential: the first 8 of 10 neurons"});
}

// 3. syn plot DIR

TEST(syn_plot, draws_what_the_models_own_plot_statements_draw) {
  const temp_dir dir;
  const syn_result r = run_model(
      dir, model("record spikes plot \"model_raster.svg\"\n"
                 "record v of exc[2], inh[1] every 0.1 ms plot \"model_v.svg\"\nrun 12 ms\n"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const syn_result p = run_syn({"plot", (dir / "out").string()});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  EXPECT_EQ(p.err, fmt::format("syn: wrote {} (12 spikes), {} (2 traces)\n",
                               (dir / "out/raster.svg").string(), (dir / "out/v.svg").string()));
  EXPECT_EQ(read_file(dir / "out/raster.svg"), read_file(dir / "out/model_raster.svg"));
  EXPECT_EQ(read_file(dir / "out/v.svg"), without_arrivals(read_file(dir / "out/model_v.svg")));
  EXPECT_FALSE(figure(read_file(dir / "out/model_v.svg")).with_class("arrival").empty());
  const figure f(read_file(dir / "out/raster.svg"));
  EXPECT_EQ(raster_marks(f, stacked), rounded(spikes_by_construction(0)));
}

TEST(syn_plot, a_window_cuts_the_marks_and_points_and_sets_the_time_axis) {
  const temp_dir dir;
  ASSERT_EQ(run_model(dir, model("record spikes\nrecord v of exc[2] every 0.1 ms\nrun 12 ms\n"))
                .exit_code,
            0);
  const syn_result p = run_syn({"plot", (dir / "out").string(), "--from", "3ms", "--to", "8.6 ms"});
  ASSERT_EQ(p.exit_code, 0) << p.err;
  std::vector<spike_row> inside;
  for (const spike_row& s : spikes_by_construction(0))
    if (s.time >= 3 && s.time <= 8.6) inside.push_back(s);
  const figure raster(read_file(dir / "out/raster.svg"));
  EXPECT_EQ(raster_marks(raster, stacked), rounded(inside));
  const figure v(read_file(dir / "out/v.svg"));
  for (const figure* f : {&raster, &v}) {
    const std::vector<std::string> ticks = [&] {
      std::vector<std::string> t;
      for (const pugi::xpath_node& n :
           f->doc.select_nodes("//*[@class='x-axis']//*[@class='tick']"))
        t.emplace_back(n.node().child_value());
      return t;
    }();
    ASSERT_GE(ticks.size(), 2u);
    for (const std::string& t : ticks) {
      EXPECT_GE(std::stod(t), 3);
      EXPECT_LE(std::stod(t), 8.6);
    }
  }
  // The samples within [3, 8.6] and one on each side, which the plot clips.
  const auto time = x_axis(v);
  const auto points = points_of(v.with_class("trace").at(0));
  ASSERT_EQ(points.size(), 57u + 2u);
  EXPECT_NEAR(time(points.front().first), 2.9, 0.01);
  EXPECT_NEAR(time(points[1].first), 3, 0.01);
  EXPECT_NEAR(time(points.back().first), 8.7, 0.01);
  std::vector<double> marked;
  for (const pugi::xml_node& c : v.with_class("spike-marker"))
    marked.push_back(std::round(time(c.attribute("cx").as_double()) * 100) / 100);
  EXPECT_EQ(marked, std::vector<double>{5});
}

TEST(syn_plot, only_shows_a_population_or_a_range_of_it) {
  const temp_dir dir;
  ASSERT_EQ(run_model(dir, model("record spikes\nrun 12 ms\n")).exit_code, 0);
  const std::vector<spike_row> spikes = read_spikes(dir / "out/spikes.csv");
  std::vector<spike_row> exc, first_ten_of_exc;
  for (const spike_row& s : spikes)
    if (s.population == "exc") exc.push_back(s);
  ASSERT_EQ(run_syn({"plot", (dir / "out").string(), "--only", "exc"}).exit_code, 0);
  const figure all(read_file(dir / "out/raster.svg"));
  EXPECT_EQ(raster_marks(all, {{"exc", 0}}), rounded(exc));
  EXPECT_EQ(all.texts_of("legend"), std::vector<std::string>{"exc"});

  ASSERT_EQ(run_syn({"plot", (dir / "out").string(), "--only", "exc[0..4]", "--only", "inh[1]"})
                .exit_code,
            0);
  const figure some(read_file(dir / "out/raster.svg"));
  std::vector<spike_row> shown;
  for (const spike_row& s : spikes)
    if ((s.population == "exc" && s.index <= 4) || (s.population == "inh" && s.index == 1))
      shown.push_back(s);
  ASSERT_EQ(shown.size(), 6u);
  EXPECT_EQ(raster_marks(some, {{"exc[0..4]", 0}, {"inh[1]", 5}}, {{"inh[1]", 1}}), rounded(shown));
  EXPECT_EQ(some.texts_of("legend"), (std::vector<std::string>{"exc[0..4]", "inh[1]"}));
}

TEST(syn_plot, traces_at_most_eight_of_the_neurons_selected) {
  const temp_dir dir;
  ASSERT_EQ(run_model(dir, model("record spikes\nrecord v of exc, inh every 0.5 ms\nrun 12 ms\n"))
                .exit_code,
            0);
  ASSERT_EQ(run_syn({"plot", (dir / "out").string()}).exit_code, 0);
  const figure all(read_file(dir / "out/v.svg"));
  EXPECT_EQ(all.with_class("trace").size(), 8u);
  EXPECT_EQ(all.texts_of("title"),
            std::vector<std::string>{"Membrane potential: the first 8 of 13 neurons"});

  ASSERT_EQ(
      run_syn({"plot", (dir / "out").string(), "--only", "exc[6..20]", "--only", "inh"}).exit_code,
      0);
  const figure some(read_file(dir / "out/v.svg"));
  std::vector<trace_check> shown{
      {"exc[6]", {}}, {"exc[7]", {1.5, 4.5, 8.5}}, {"exc[8]", {}}, {"exc[9]", {}},
      {"inh[0]", {}}, {"inh[1]", {3, 6, 10}},      {"inh[2]", {}}};
  expect_traces(some, read_v(dir / "out/v.csv"), shown);
  EXPECT_EQ(some.texts_of("title"), std::vector<std::string>{"Membrane potential"});
}

struct usage_case {
  std::vector<std::string> args;  // DIR stands for the results folder
  int exit_code;
  std::string message;  // a part of standard error
};

TEST(syn_plot, refuses_what_it_cannot_plot_with_its_exit_code_and_why) {
  const temp_dir dir;
  ASSERT_EQ(
      run_model(dir, model("record spikes\nrecord v of exc[2] every 1 ms\nrun 12 ms\n")).exit_code,
      0);
  fs::create_directory(dir / "empty");
  const std::string out = (dir / "out").string();
  const std::vector<usage_case> cases{
      {{"plot", (dir / "nowhere").string()}, 2, "is not a folder of results"},
      {{"plot", (dir / "empty").string()}, 2, "holds neither spikes.csv nor v.csv"},
      {{"plot"}, 2, "syn plot needs a results folder"},
      {{"plot", out, "--only", "exd"}, 2, "did you mean 'exc'?"},
      {{"plot", out, "--only", "inh[3]"}, 2, "--only inh[3]: inh has 3 elements"},
      {{"plot", out, "--only", "inh[7..9]"}, 2, "inh has 3 elements"},
      {{"plot", out, "--only", "exc[a]"}, 2, "--only: 'exc[a]': an index is a whole number"},
      {{"plot", out, "--from", "3"}, 2, "--from: "},
      {{"plot", out, "--from", "3 mV"}, 2, "--from: "},
      {{"plot", out, "--to"}, 2, "--to: it needs a time"},
      {{"plot", out, "--from", "8 ms", "--to", "3 ms"},
       2,
       "the window must start before it ends: from 8 ms to 3 ms"},
      {{"plot", out, "--from", "1e308 s"}, 2, "--from: '1e308 s' is out of range"},
      {{"plot", out, "--from", "1e400 ms"}, 2, "--from: the number 1e400 is out of range"},
      {{"plot", out, "--from", "5 ms", "--to", "5.000000000000001 ms"}, 2, "too narrow to draw"},
      {{"plot", out, "--from", "100 ms"},
       2,
       "the window must start before it ends: from 100 ms to 12 ms (the run ends at 12 ms)"},
      {{"plot", out, "--only", "exc[99999999999]"}, 2, "the index 99999999999 is too large"},
      {{"plot", out, "--only", "exc[3..1]"}, 2, "the range runs backwards; write exc[1..3]"},
      {{"run", (dir / "m.syn").string(), "--from", "1 ms"}, 2, "options of syn plot"},
      {{"run", (dir / "m.syn").string(), "--only", "exc"}, 2, "options of syn plot"},
      {{"check", (dir / "m.syn").string(), "--to", "1 ms"}, 2, "options of syn plot"},
      {{"repl", "--from", "1 ms"}, 2, "options of syn plot"},
      {{"--only", "exc"}, 2, "options of syn plot"},
  };
  for (const usage_case& c : cases) {
    const syn_result r = run_syn(c.args);
    EXPECT_EQ(r.exit_code, c.exit_code) << fmt::format("{}", fmt::join(c.args, " ")) << "\n"
                                        << r.err;
    EXPECT_NE(r.err.find("syn: error: "), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(dir / "out/raster.svg"));
  }
}

TEST(syn_plot, reports_a_malformed_file_at_its_line) {
  const temp_dir dir;
  ASSERT_EQ(run_model(dir, model("record spikes\nrun 12 ms\n")).exit_code, 0);
  const std::string spikes = read_file(dir / "out/spikes.csv");
  const std::string table = read_file(dir / "out/populations.csv");

  write_file(dir / "out/spikes.csv", spikes + "13,exc,many\n");
  syn_result r = run_syn({"plot", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(fmt::format("{}:14: ", (dir / "out/spikes.csv").string())),
            std::string::npos)
      << r.err;

  write_file(dir / "out/spikes.csv", spikes + "13,exc,10\n");
  r = run_syn({"plot", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("spikes.csv:14: index 10 is beyond the 10 elements of exc"),
            std::string::npos)
      << r.err;

  write_file(dir / "out/spikes.csv", spikes);
  write_file(dir / "out/populations.csv", table + "extra,neurons,lots,0,12,0,0,-70,-50\n");
  r = run_syn({"plot", (dir / "out").string()});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find(fmt::format("{}:5: size `lots` is not a count",
                                   (dir / "out/populations.csv").string())),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(dir / "out/raster.svg"));
}

TEST(syn_plot, plots_csv_files_written_by_hand_without_populations_csv) {
  const temp_dir dir;
  write_file(dir / "spikes.csv", "time_ms,population,index\n1,a,0\n2.5,b,3\n4,a,0\n");
  write_file(dir / "v.csv",
             "time_ms,population,index,v_mV\n0,a,0,-70\n1,a,0,-60\n2,a,0,-65\n5,a,0,-69\n");
  const syn_result r = run_syn({"plot", dir.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const figure raster(read_file(dir / "raster.svg"));
  // Groups in order of first spike, as large as their largest index.
  EXPECT_EQ(raster_marks(raster, {{"a", 0}, {"b", 1}}),
            (std::vector<spike_row>{{1, "a", 0}, {2.5, "b", 3}, {4, "a", 0}}));
  // No threshold nor rest known: no lines, the spikes marked at the plot's top edge.
  // --only names what the files hold.
  const syn_result unknown = run_syn({"plot", dir.path().string(), "--only", "bb"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find(fmt::format("syn: error: --only bb: '{}' has no population or train "
                                         "'bb'; did you mean 'b'?",
                                         dir.path().string())),
            std::string::npos)
      << unknown.err;
  const figure v(read_file(dir / "v.svg"));
  const std::vector<pugi::xml_node> traces = v.with_class("trace");
  ASSERT_EQ(traces.size(), 1u);
  const auto time = x_axis(v), volts = y_axis(v);
  const auto points = points_of(traces[0]);
  ASSERT_EQ(points.size(), 4u);
  EXPECT_NEAR(time(points[1].first), 1, 0.01);
  EXPECT_NEAR(volts(points[1].second), -60, 0.01);
  EXPECT_TRUE(v.with_class("threshold").empty());
  EXPECT_TRUE(v.with_class("rest").empty());
  std::vector<double> marked;
  for (const pugi::xml_node& c : v.with_class("spike-marker"))
    marked.push_back(std::round(time(c.attribute("cx").as_double()) * 100) / 100);
  EXPECT_EQ(marked, (std::vector<double>{1, 4}));
}

// A folder a run is writing into is locked: syn plot waits for no one and is refused.
TEST(syn_plot, refuses_a_folder_a_run_is_writing_into) {
  const temp_dir dir;
  ASSERT_EQ(run_model(dir, model("record spikes\nrun 12 ms\n")).exit_code, 0);
  const std::string before = read_file(dir / "out/spikes.csv");
  write_file(dir / "long.syn", "train t = 200 x poisson 1000 Hz\nrecord spikes\nrun 100 s\n");
  process_options options;
  options.cwd = dir.path();
  syn_process run(SYN_BINARY, {"run", "long.syn", "--out", "out"}, options);
  const auto writing = [&] {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir / "out", ec))
      if (entry.path().filename().string().starts_with(".syn-run-") &&
          fs::file_size(entry.path() / "spikes.csv", ec) > 100 && !ec)
        return true;
    return false;
  };
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!writing() && std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  ASSERT_TRUE(writing());
  const syn_result plot = run_syn({"plot", "out"}, dir.path());
  EXPECT_EQ(plot.exit_code, 3);
  EXPECT_NE(plot.err.find("syn: error: another syn run is writing into 'out'"), std::string::npos)
      << plot.err;
  run.signal(SIGTERM);
  run.wait();
  EXPECT_FALSE(fs::exists(dir / "out/raster.svg"));
  EXPECT_EQ(read_file(dir / "out/spikes.csv"), before);
  EXPECT_EQ(run_syn({"plot", "out"}, dir.path()).exit_code, 0);
}

// 4. The output folder's list of figures

TEST(output_manifest, a_run_removes_the_figures_an_earlier_run_drew_and_keeps_the_users_files) {
  const temp_dir dir;
  ASSERT_EQ(run_model(dir, model("record spikes plot \"a.svg\"\nrun 12 ms\n")).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "out/a.svg"));
  write_file(dir / "out/notes.txt", "mine\n");
  ASSERT_EQ(
      run_model(dir, model("record spikes\nrecord v of exc[2] every 1 ms\nrun 12 ms\n")).exit_code,
      0);
  EXPECT_FALSE(fs::exists(dir / "out/a.svg"));
  EXPECT_TRUE(fs::exists(dir / "out/spikes.csv"));

  ASSERT_EQ(run_syn({"plot", (dir / "out").string()}).exit_code, 0);
  EXPECT_TRUE(fs::exists(dir / "out/raster.svg"));
  EXPECT_TRUE(fs::exists(dir / "out/v.svg"));
  ASSERT_EQ(run_model(dir, model("record spikes\nrun 12 ms\n")).exit_code, 0);
  EXPECT_FALSE(fs::exists(dir / "out/raster.svg"));
  EXPECT_FALSE(fs::exists(dir / "out/v.svg"));
  EXPECT_FALSE(fs::exists(dir / "out/v.csv"));
  EXPECT_EQ(read_file(dir / "out/notes.txt"), "mine\n");
}

TEST(output_manifest, a_doctored_list_removes_nothing_outside_the_folder_nor_hidden) {
  const temp_dir dir;
  ASSERT_EQ(run_model(dir, model("record spikes plot \"a.svg\"\nrun 12 ms\n")).exit_code, 0);
  write_file(dir / "x", "outside\n");
  write_file(dir / "out/.hidden", "hidden\n");
  write_file(dir / "out/notes.txt", "mine\n");
  write_file(dir / "out/.syn-outputs",
             fmt::format("../x\n.hidden\n{}\nnotes.txt/\na.svg\n", (dir / "x").string()));
  const syn_result r = run_model(dir, model("record spikes\nrun 12 ms\n"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(dir / "x"), "outside\n");
  EXPECT_EQ(read_file(dir / "out/.hidden"), "hidden\n");
  EXPECT_EQ(read_file(dir / "out/notes.txt"), "mine\n");
  EXPECT_FALSE(fs::exists(dir / "out/a.svg"));
}

// 6. The REPL's plot

syn_result repl(std::string_view input, const fs::path& cwd = {}) {
  return run_syn_with_input(SYN_BINARY, {"repl"}, input, cwd);
}

// The lines of a terminal plot's box, inside its two '|', with the label after it.
struct box_line {
  std::string inside, label;
};
std::vector<box_line> box_lines(const std::string& out) {
  std::vector<box_line> lines;
  for (const std::string& line : split_lines(out)) {
    const std::size_t left = line.find('|'), right = line.rfind('|');
    if (left != std::string::npos && right > left)
      lines.push_back(
          {line.substr(left + 1, right - left - 1),
           right + 2 <= line.size() ? line.substr(std::min(line.size(), right + 2)) : ""});
  }
  return lines;
}

// The column of time t in the REPL's 64 columns over [t0, t1].
std::size_t column_of(double t, double t0, double t1) {
  return static_cast<std::size_t>(std::lround((t - t0) / (t1 - t0) * 63));
}

const std::string repl_model = std::string(cells) + network +
                               "connect t -> exc[3] via J weight 5 mV delay 1 ms\n"
                               "record v of exc[2], exc[3] every 0.1 ms\nrun 12 ms\n";

TEST(repl_plot, a_window_sets_the_time_axis) {
  const syn_result r = repl(repl_model + "plot v of exc[3] from 2 ms to 5 ms\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<std::string> lines = split_lines(r.out);
  ASSERT_FALSE(lines.empty());
  EXPECT_TRUE(std::regex_match(lines.back(), std::regex(" +2 +5 ms"))) << r.out;
  // exc[3] rises by 5 mV at 2 and 5 ms: its trace starts at the window's first column.
  const std::vector<box_line> box = box_lines(r.out);
  ASSERT_EQ(box.size(), 16u) << r.out;
  bool first_column = false;
  for (const box_line& l : box) first_column |= l.inside.at(0) == '*';
  EXPECT_TRUE(first_column) << r.out;
}

TEST(repl_plot, two_traces_have_two_marks_a_legend_and_spikes_on_the_threshold_line) {
  const syn_result r = repl(repl_model + "plot v of exc[2], exc[3]\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("V of exc[2] (*), exc[3] (o)\n"), std::string::npos) << r.out;
  const std::vector<box_line> box = box_lines(r.out);
  std::string marks;
  for (const box_line& l : box) marks += l.inside;
  EXPECT_NE(marks.find('*'), std::string::npos) << r.out;
  EXPECT_NE(marks.find('o'), std::string::npos) << r.out;
  const auto threshold = std::find_if(box.begin(), box.end(),
                                      [](const box_line& l) { return l.label == "threshold"; });
  ASSERT_NE(threshold, box.end()) << r.out;
  std::vector<std::size_t> bangs, expected;
  for (std::size_t c = 0; c < threshold->inside.size(); ++c)
    if (threshold->inside[c] == '!') bangs.push_back(c);
  for (const double t : {2.0, 5.0, 9.0}) expected.push_back(column_of(t, 0, 12));
  EXPECT_EQ(bangs, expected) << r.out;
  for (const box_line& l : box)
    if (&l != &*threshold) {
      EXPECT_EQ(l.inside.find('!'), std::string::npos) << r.out;
    }
}

// As in syn run's figures, a trace begun after a run marks no spike from before its first sample.
TEST(repl_plot, a_trace_begun_after_a_run_marks_the_spikes_from_then_on) {
  const syn_result r = repl(std::string(cells) + network +
                            "run 4.2 ms\nrecord v of exc[2] every 0.1 ms\nrun 7.8 ms\n"
                            "plot v of exc[2]\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::vector<box_line> box = box_lines(r.out);
  const auto threshold = std::find_if(box.begin(), box.end(),
                                      [](const box_line& l) { return l.label == "threshold"; });
  ASSERT_NE(threshold, box.end()) << r.out;
  std::vector<std::size_t> bangs;
  for (std::size_t c = 0; c < threshold->inside.size(); ++c)
    if (threshold->inside[c] == '!') bangs.push_back(c);
  EXPECT_EQ(bangs, (std::vector<std::size_t>{column_of(5, 0, 12), column_of(9, 0, 12)})) << r.out;
}

TEST(repl_plot, spikes_are_rows_with_a_mark_at_each_spikes_column) {
  const syn_result r = repl(repl_model + "plot spikes\nplot spikes of exc\n");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::size_t first = r.out.find("\n12 spikes of every population\n");
  const std::size_t second = r.out.find("\n6 spikes of exc\n");
  ASSERT_NE(first, std::string::npos) << r.out;
  ASSERT_NE(second, std::string::npos) << r.out;
  const std::vector<box_line> all = box_lines(r.out.substr(first, second - first));
  const std::vector<box_line> exc = box_lines(r.out.substr(second));
  ASSERT_EQ(all.size(), 14u) << r.out;
  ASSERT_EQ(exc.size(), 10u) << r.out;
  // Each row's marks, as the columns of that element's spikes.
  std::map<long, std::vector<std::size_t>> expected;
  for (const spike_row& s : spikes_by_construction(0))
    expected[stacked.at(s.population) + s.index].push_back(column_of(s.time, 0, 12));
  for (std::size_t row = 0; row < all.size(); ++row) {
    std::vector<std::size_t> columns;
    for (std::size_t c = 0; c < all[row].inside.size(); ++c)
      if (all[row].inside[c] != ' ') columns.push_back(c);
    EXPECT_EQ(columns, expected[static_cast<long>(row)]) << "row " << row << "\n" << r.out;
    if (row < 10) {
      EXPECT_EQ(exc[row].inside, all[row].inside) << row;
    }
  }
  EXPECT_NE(r.out.find("\n exc         0 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\n   t         0 |"), std::string::npos) << r.out;
}

TEST(repl_plot, a_large_population_is_drawn_in_bands_that_say_which_neurons) {
  const syn_result r = repl(std::string(cells) + R"(population big = 100 x L
train t = times [1 ms]
connect t -> big[57] via J weight 25 mV delay 1 ms
run 4 ms
plot spikes of big
)");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // 100 neurons in at most 16 rows: 7 to a row, so 57 is in the band 56-62.
  const std::vector<box_line> box = box_lines(r.out);
  ASSERT_EQ(box.size(), 15u) << r.out;
  EXPECT_NE(r.out.find(" big       0-6 |"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("       98-99 |"), std::string::npos) << r.out;
  const std::size_t band = r.out.find("56-62 |");
  ASSERT_NE(band, std::string::npos) << r.out;
  EXPECT_EQ(r.out.at(band + 7 + column_of(2, 0, 4)), '|') << r.out;
}

TEST(repl_plot, to_a_file_writes_the_svg_figure) {
  const temp_dir dir;
  const syn_result r = repl(repl_model +
                                "plot v of exc[2], exc[3] to \"v.svg\"\n"
                                "plot spikes of exc from 3 ms to \"r.svg\"\n",
                            dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.ends_with("wrote v.svg\nwrote r.svg\n")) << r.out;
  const figure v(read_file(dir / "v.svg"));
  const std::vector<pugi::xml_node> traces = v.with_class("trace");
  ASSERT_EQ(traces.size(), 2u);
  EXPECT_EQ(traces[0].attribute("data-label").value(), std::string("exc[2]"));
  EXPECT_EQ(points_of(traces[0]).size(), 121u);
  EXPECT_EQ(v.with_class("spike-marker").size(), 3u);
  const figure raster(read_file(dir / "r.svg"));
  std::vector<spike_row> exc;
  for (const spike_row& s : spikes_by_construction(3))
    if (s.population == "exc") exc.push_back(s);
  EXPECT_EQ(raster_marks(raster, {{"exc", 0}}), rounded(exc));
}

// As syn plot's, the REPL's SVG of a window holds the samples just outside it, which the figure
// clips, so that the line reaches the window's edges; the terminal draws only those inside.
TEST(repl_plot, a_window_to_a_file_draws_the_line_to_the_windows_edges) {
  const temp_dir dir;
  const syn_result r =
      repl(repl_model + "plot v of exc[3] from 2.05 ms to 6.05 ms to \"v.svg\"\n", dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const figure v(read_file(dir / "v.svg"));
  const auto time = x_axis(v);
  const auto points = points_of(v.with_class("trace").at(0));
  ASSERT_EQ(points.size(), 40u + 2u);
  EXPECT_NEAR(time(points.front().first), 2, 0.01);
  EXPECT_NEAR(time(points[1].first), 2.1, 0.01);
  EXPECT_NEAR(time(points.back().first), 6.1, 0.01);
}

TEST(repl_plot, refuses_a_wrong_window_file_or_name) {
  // Each error under the part of the command at fault (the command is the session's line 12).
  const std::vector<std::pair<std::string, std::string>> cases{
      {"plot v of exc[2] from 3 mV", "12:23: error: '3 mV' is a voltage, not a time (ms, s, us)"},
      {"plot v of exc[2] from 5 ms to 2 ms",
       "12:6: error: the window must start before it ends: from 5 ms to 2 ms"},
      {"plot v of exc[2] to \"x.png\"", "12:21: error: figures are SVG: 'x.png' must end in .svg"},
      {"plot v of exd[2]", "12:11: error: unknown population or train 'exd' (did you mean 'exc'?)"},
      {"plot spikes of nothing", "12:16: error: unknown population or train 'nothing'"},
      {"plot v of exc[4]", "12:11: error: no samples of exc[4]"},
      {"plot v of exc[2] from 20 ms",
       "12:6: error: the window must start before it ends: from 20 ms to 12 ms"},
      {"plot v of exc[2] from 5 ms to 5.000000000000001 ms",
       "12:6: error: the window from 5 ms to 5.000000000000001 ms is too narrow to draw"},
      {"plot v of exc[2, 3]",
       "12:11: error: 'exc[2' is not a population or train, nor elements of one: write NAME, "
       "NAME[i] or NAME[a..b]"},
      {"plot spikes of exc[3..1]",
       "12:16: error: 'exc[3..1]': the range runs backwards; write exc[1..3]"},
      {"plot v of exc[2] from 1e308 s", "12:23: error: '1e308 s' is out of range"},
  };
  for (const auto& [command, message] : cases) {
    const syn_result r = repl(repl_model + command + "\n");
    EXPECT_EQ(r.exit_code, 1) << command;
    EXPECT_EQ(r.err.rfind("<input>:" + message + "\n", 0), 0u) << command << "\n" << r.err;
    EXPECT_EQ(r.out.find('|'), std::string::npos) << command << "\n" << r.out;
  }
}

}  // namespace
}  // namespace syn::test
