// `syn graph` end to end: the DOT of the examples and of a model with every rule, drawn by
// Graphviz's dot and read back from the SVG (one node per population or train, one edge per
// connect statement), synapse counts against those `syn run` builds, --out FILE.svg and
// FILE.dot, hostile file names, a missing or failing dot, a bad extension and a model error.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <pugixml.hpp>
#include <regex>
#include <string>
#include <vector>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

using lines = std::vector<std::string>;

struct drawing {
  std::vector<lines> nodes;  // the lines of text of each node, in order
  std::vector<lines> edges;
  std::vector<std::string> edge_titles;  // g0->g1
  std::vector<std::string> node_shapes;  // polygon (a box) or ellipse
};

drawing read_svg(const fs::path& path) {
  pugi::xml_document svg;
  const pugi::xml_parse_result parsed = svg.load_file(path.c_str());
  EXPECT_TRUE(parsed) << parsed.description();
  drawing out;
  const auto texts = [](pugi::xml_node g) {
    lines t;
    for (const pugi::xml_node text : g.children("text")) t.emplace_back(text.text().get());
    return t;
  };
  for (const pugi::xpath_node g : svg.select_nodes("//g[@class='node']")) {
    EXPECT_EQ(g.node().attribute("id").value(), fmt::format("g{}", out.nodes.size()));
    out.nodes.push_back(texts(g.node()));
    out.node_shapes.emplace_back(g.node().child("ellipse") ? "ellipse" : "polygon");
  }
  // dot draws the edges in an order of its own; their ids (c0, c1, ...) are the statements'.
  for (std::size_t i = 0;; ++i) {
    const pugi::xpath_node g =
        svg.select_node(fmt::format("//g[@class='edge'][@id='c{}']", i).c_str());
    if (!g) break;
    out.edges.push_back(texts(g.node()));
    out.edge_titles.emplace_back(g.node().child("title").text().get());
  }
  EXPECT_EQ(out.edges.size(), svg.select_nodes("//g[@class='edge']").size());
  return out;
}

bool dot_installed() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

// `dot` on `graph`, as a user would run it on syn graph's output.
drawing draw(const std::string& graph) {
  const temp_dir dir;
  write_file(dir / "g.dot", graph);
  const std::string command =
      fmt::format("dot -Tsvg '{}' -o '{}'", (dir / "g.dot").string(), (dir / "g.svg").string());
  EXPECT_EQ(std::system(command.c_str()), 0) << graph;
  return read_svg(dir / "g.svg");
}

// The synapse counts of the edges, in order, from the DOT.
std::vector<std::uint64_t> edge_counts(const std::string& graph) {
  std::vector<std::uint64_t> counts;
  for (const std::string& line : split_lines(graph)) {
    std::smatch m;
    if (line.find("->") != std::string::npos &&
        std::regex_search(line, m, std::regex(R"(, (\d+) synapses?(\\n|"))")))
      counts.push_back(std::stoull(m[1]));
  }
  return counts;
}

std::vector<double> edge_widths(const std::string& graph) {
  std::vector<double> widths;
  for (const std::string& line : split_lines(graph)) {
    std::smatch m;
    if (std::regex_search(line, m, std::regex(R"(penwidth=([0-9.]+))")))
      widths.push_back(std::stod(m[1]));
  }
  return widths;
}

// The synapses `syn run` reports building.
std::uint64_t synapses_run(const fs::path& model, const std::vector<std::string>& extra = {}) {
  const temp_dir out;
  std::vector<std::string> args{"run", model.string(), "--out", out.path().string()};
  args.insert(args.end(), extra.begin(), extra.end());
  const syn_result r = run_syn(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  EXPECT_TRUE(std::regex_search(r.err, m, std::regex(R"(, (\d+) synapses? )"))) << r.err;
  return m.empty() ? 0 : std::stoull(m[1]);
}

std::uint64_t sum(const std::vector<std::uint64_t>& v) {
  std::uint64_t s = 0;
  for (const std::uint64_t x : v) s += x;
  return s;
}

class graph_cli : public testing::Test {
 protected:
  void SetUp() override {
    if (!dot_installed()) GTEST_SKIP() << "Graphviz's dot is not on PATH";
  }
};

TEST_F(graph_cli, brette_cuba) {
  const fs::path model = fs::path(SYN_EXAMPLES) / "brette_cuba.syn";
  const syn_result r = run_syn({"graph", model.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "");
  const drawing d = draw(r.out);
  EXPECT_EQ(d.nodes, (std::vector<lines>{{"exc", "3200 × LIF"}, {"inh", "800 × LIF"}}));
  EXPECT_EQ(d.node_shapes, (std::vector<std::string>{"polygon", "polygon"}));
  EXPECT_EQ(d.edge_titles, (std::vector<std::string>{"g0->g0", "g0->g1", "g1->g0", "g1->g1"}));
  const std::vector<std::uint64_t> counts = edge_counts(r.out);
  ASSERT_EQ(counts.size(), 4u) << r.out;
  const char* receptors[] = {"exc_current", "exc_current", "inh_current", "inh_current"};
  const char* weights[] = {"16.2 pA", "16.2 pA", "90 pA", "90 pA"};
  ASSERT_EQ(d.edges.size(), 4u);
  for (std::size_t i = 0; i < 4; ++i)
    EXPECT_EQ(d.edges[i], (lines{receptors[i], fmt::format("weight {}, delay 0.1 ms", weights[i]),
                                 fmt::format("p = 0.02, {} synapses", counts[i])}));
  // About 2 % of each pair, and exactly what the run builds.
  EXPECT_NEAR(counts[0], 0.02 * 3200 * 3200, 5 * std::sqrt(0.02 * 3200 * 3200));
  EXPECT_NEAR(counts[3], 0.02 * 800 * 800, 5 * std::sqrt(0.02 * 800 * 800));
  EXPECT_EQ(sum(counts), synapses_run(model));
  // Another seed, other pairs: still the run's.
  const syn_result other = run_syn({"graph", model.string(), "--seed", "5"});
  ASSERT_EQ(other.exit_code, 0) << other.err;
  EXPECT_NE(edge_counts(other.out), counts);
  EXPECT_EQ(sum(edge_counts(other.out)), synapses_run(model, {"--seed", "5"}));
}

TEST_F(graph_cli, stdlib_circuit) {
  const fs::path model = fs::path(SYN_EXAMPLES) / "stdlib_circuit.syn";
  const syn_result r = run_syn({"graph", model.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const drawing d = draw(r.out);
  EXPECT_EQ(d.nodes, (std::vector<lines>{{"pyr", "4 × std.neurons.Pyramidal_L5"},
                                         {"pv", "std.neurons.Basket_PV"},
                                         {"d1", "std.neurons.MSN"},
                                         {"d2", "std.neurons.MSN"},
                                         {"cortex", "100 × poisson 10 Hz"},
                                         {"striatal", "100 × poisson 10 Hz"},
                                         {"dopamine", "regular 20 Hz from 400 ms to 600 ms"}}));
  EXPECT_EQ(d.node_shapes, (std::vector<std::string>{"polygon", "polygon", "polygon", "polygon",
                                                     "ellipse", "ellipse", "ellipse"}));
  EXPECT_EQ(d.edge_titles, (std::vector<std::string>{"g4->g0", "g0->g1", "g1->g0", "g5->g2",
                                                     "g5->g3", "g6->g2", "g6->g3"}));
  ASSERT_EQ(d.edges.size(), 7u);
  // The delay as written, and the receptor's latency that comes on top of it.
  EXPECT_EQ(d.edges[5],
            (lines{"std.receptors.Dopamine_D1", "weight 2 mV, delay 1 ms + latency 200 ms",
                   "all to all, 1 synapse"}));
  EXPECT_EQ(d.edges[1],
            (lines{"std.receptors.AMPA", "weight 12 mV, delay 1 ms", "all to all, 4 synapses"}));
  const std::vector<std::uint64_t> counts = edge_counts(r.out);
  ASSERT_EQ(counts.size(), 7u);
  EXPECT_EQ(sum(counts), synapses_run(model));
}

// Every rule, distributions, a distance, slices, several connects between one pair, a statement
// after a run; the widths grow with the counts.
TEST_F(graph_cli, every_rule) {
  const temp_dir dir;
  write_file(dir / "m.syn", R"(
receptor AMPA { reversal = 0 mV; decay = 2 ms }
neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 250 pF; length_constant = 300 um }
population n1  = LIF
population exc = 80 x LIF
population inh = 20 x LIF
train stim  = times [1 ms, 2.5 ms, 4 ms, 5 ms, 6 ms]
train drive = regular 50 Hz from 10 ms to 200 ms
train bg    = 100 x poisson 8 Hz
connect stim -> n1 via AMPA weight 4 mV delay 1 ms at 120 um
connect bg   -> exc via AMPA weight 0.5 mV delay uniform(1 ms, 2 ms) with probability 0.1
connect exc  -> inh via AMPA weight normal(30 pA, 5 pA) delay 1.5 ms with indegree 8
connect inh  -> exc via AMPA weight 1 mV delay exponential(2 ms)
connect exc  -> exc via AMPA weight 0.2 mV delay 0.5 ms one_to_one
connect exc[0..9] -> inh[5] via AMPA weight 0.004 uS delay 1 ms with outdegree 1
connect exc[0..39] -> exc[20..79] via AMPA weight 1 mV delay 1 ms with probability 0.2 without autapses
run 10 ms
connect drive -> n1 via AMPA weight 1 mV delay 1 ms
run 10 ms
)");
  const syn_result r = run_syn({"graph", "m.syn"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const drawing d = draw(r.out);
  ASSERT_EQ(d.nodes.size(), 6u);
  EXPECT_EQ(d.nodes[0], (lines{"n1", "LIF"}));
  EXPECT_EQ(d.nodes[3], (lines{"stim", "times [1 ms, 2.5 ms, 4 ms, 5 ms, … 5 in all]"}));
  EXPECT_EQ(d.nodes[5], (lines{"bg", "100 × poisson 8 Hz"}));
  const std::vector<std::uint64_t> counts = edge_counts(r.out);
  ASSERT_EQ(counts.size(), 8u) << r.out;
  ASSERT_EQ(d.edges.size(), 8u);
  EXPECT_EQ(d.edges[0],
            (lines{"AMPA", "weight 4 mV, delay 1 ms, at 120 um", "all to all, 1 synapse"}));
  EXPECT_EQ(d.edges[1], (lines{"AMPA", "weight 0.5 mV, delay uniform(1 ms, 2 ms)",
                               fmt::format("p = 0.1, {} synapses", counts[1])}));
  EXPECT_EQ(d.edges[2], (lines{"AMPA", "weight normal(30 pA, 5 pA), delay 1.5 ms",
                               "indegree 8, 160 synapses"}));
  EXPECT_EQ(d.edges[3],
            (lines{"AMPA", "weight 1 mV, delay exponential(2 ms)", "all to all, 1600 synapses"}));
  EXPECT_EQ(d.edges[4], (lines{"AMPA", "weight 0.2 mV, delay 0.5 ms", "one_to_one, 80 synapses"}));
  EXPECT_EQ(d.edges[5], (lines{"AMPA", "exc[0..9] → inh[5]", "weight 4 nS, delay 1 ms",
                               "outdegree 1, 10 synapses"}));
  EXPECT_EQ(d.edges[6], (lines{"AMPA", "exc[0..39] → exc[20..79]", "weight 1 mV, delay 1 ms",
                               fmt::format("p = 0.2, without autapses, {} synapses", counts[6])}));
  EXPECT_EQ(d.edges[7],
            (lines{"AMPA", "weight 1 mV, delay 1 ms", "all to all, 1 synapse", "added at 10 ms"}));
  EXPECT_EQ(sum(counts), synapses_run(dir / "m.syn"));
  const std::vector<double> widths = edge_widths(r.out);
  ASSERT_EQ(widths.size(), 8u);
  EXPECT_EQ(widths[7], 1.24);  // 1 + 0.8 log10(2)
  EXPECT_GT(widths[3], widths[2]);
  EXPECT_GT(widths[2], widths[4]);
  EXPECT_GT(widths[4], widths[0]);
}

TEST_F(graph_cli, out_svg_and_dot) {
  const temp_dir dir;
  const fs::path model = fs::path(SYN_EXAMPLES) / "brette_cuba.syn";
  const syn_result printed = run_syn({"graph", model.string()});
  ASSERT_EQ(printed.exit_code, 0);
  const syn_result dot = run_syn({"graph", model.string(), "--out", "g.dot"}, dir.path());
  ASSERT_EQ(dot.exit_code, 0) << dot.err;
  EXPECT_EQ(dot.out, "");
  EXPECT_EQ(read_file(dir / "g.dot"), printed.out);
  const syn_result svg = run_syn({"graph", model.string(), "--out", "g.svg"}, dir.path());
  ASSERT_EQ(svg.exit_code, 0) << svg.err;
  EXPECT_EQ(svg.out, "");
  const drawing d = read_svg(dir / "g.svg");
  EXPECT_EQ(d.nodes.size(), 2u);
  EXPECT_EQ(d.edges.size(), 4u);
  EXPECT_EQ(d.nodes, draw(printed.out).nodes);
  // Nothing else is left in the folder.
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"g.dot", "g.svg"}));
}

TEST_F(graph_cli, hostile_file_name) {
  const temp_dir dir;
  const std::string name = "s\\p\x1b[31m&amp;<x>\t\xff.csv";
  write_file(dir / name, "time_ms,population,index\n1,a,0\n2,a,1\n");
  write_file(dir / "m.syn",
             "receptor R { reversal = 0 mV; decay = 2 ms }\n"
             "neuron N { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n"
             "population p = N\n"
             "train t = file \"" +
                 name +
                 "\"\n"
                 "connect t -> p via R weight 1 mV delay 1 ms\n");
  const syn_result r = run_syn({"graph", "m.syn"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const drawing d = draw(r.out);
  ASSERT_EQ(d.nodes.size(), 2u);
  EXPECT_EQ(d.nodes[1], (lines{"t", "2 × file \"s\\p\\x1b[31m&amp;<x>\t\\xff.csv\""}));
  EXPECT_EQ(d.edges.size(), 1u);
}

TEST_F(graph_cli, dot_missing_or_failing_writes_nothing) {
  const temp_dir dir;
  const fs::path model = fs::path(SYN_EXAMPLES) / "brette_cuba.syn";
  fs::create_directory(dir / "empty");
  const syn_result missing = run_syn_binary(
      "/usr/bin/env",
      {"PATH=" + (dir / "empty").string(), SYN_BINARY, "graph", model.string(), "--out", "g.svg"},
      dir.path());
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_EQ(missing.err, fmt::format("syn graph: Graphviz's `dot` is not installed; `syn graph {} "
                                     "--out g.dot` writes DOT, or install graphviz\n",
                                     model.string()));
  EXPECT_FALSE(fs::exists(dir / "g.svg"));
  // A dot that writes half a file and fails: the old g.svg stays as it was.
  fs::create_directory(dir / "bin");
  write_file(dir / "bin" / "dot",
             "#!/bin/sh\nfor a; do case $a in -o*) printf '<svg' > \"${a#-o}\";; esac; done\n"
             "echo 'dot: broken' >&2\nexit 1\n");
  fs::permissions(dir / "bin" / "dot", fs::perms::owner_all);
  write_file(dir / "g.svg", "old");
  const syn_result failing = run_syn_binary(
      "/usr/bin/env",
      {"PATH=" + (dir / "bin").string(), SYN_BINARY, "graph", model.string(), "--out", "g.svg"},
      dir.path());
  EXPECT_EQ(failing.exit_code, 3);
  EXPECT_EQ(failing.err,
            "dot: broken\nsyn: error: Graphviz's dot failed (exit status 1); nothing "
            "was written\n");
  EXPECT_EQ(read_file(dir / "g.svg"), "old");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"bin", "empty", "g.svg"}));
}

TEST_F(graph_cli, usage_and_model_errors) {
  const temp_dir dir;
  const fs::path model = fs::path(SYN_EXAMPLES) / "brette_cuba.syn";
  const syn_result png = run_syn({"graph", model.string(), "--out", "g.png"}, dir.path());
  EXPECT_EQ(png.exit_code, 2);
  EXPECT_TRUE(
      png.err.starts_with("syn: error: syn graph writes a .svg or a .dot file, not "
                          "'g.png'\nusage:"))
      << png.err;
  const syn_result none = run_syn({"graph"}, dir.path());
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(none.err.starts_with("syn: error: syn graph needs a model file\n")) << none.err;
  write_file(dir / "bad.syn", "neuron LIF { tau_m = 5 mV }\npopulation p = 2 x LIF\n");
  for (const char* out : {"g.svg", "g.dot"}) {
    const syn_result bad = run_syn({"graph", "bad.syn", "--out", out}, dir.path());
    EXPECT_EQ(bad.exit_code, 1);
    EXPECT_TRUE(bad.err.starts_with("bad.syn:1:24: error: tau_m must be a time")) << bad.err;
  }
  const syn_result bad = run_syn({"graph", "bad.syn"}, dir.path());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(bad.out, "");
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir.path())) names.push_back(e.path().filename());
  EXPECT_EQ(names, (std::vector<std::string>{"bad.syn"}));
}

}  // namespace
}  // namespace syn::test
