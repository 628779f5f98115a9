// The DOT of event_graph() drawn by Graphviz's dot and read back from the SVG: names that could
// break DOT (quotes, backslashes, newlines, escape and bidirectional controls, bytes that are not
// UTF-8, entities) come out as printable() shows them, one node per group and one edge per
// connect statement.
#include "tools/event_graph.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <pugixml.hpp>
#include <string>
#include <vector>

#include "diagnostics/printable_text.hpp"
#include "test_files.hpp"

namespace syn::dsl {
namespace {

using lines = std::vector<std::string>;

// The lines of text of each <g class="`kind`"> of the SVG that dot draws from `graph`.
std::vector<lines> drawn(const std::string& graph, const char* kind) {
  const test::temp_dir dir;
  test::write_file(dir / "g.dot", graph);
  const int status = std::system(
      fmt::format("dot -Tsvg '{}' -o '{}'", (dir / "g.dot").string(), (dir / "g.svg").string())
          .c_str());
  EXPECT_EQ(status, 0) << graph;
  pugi::xml_document svg;
  const pugi::xml_parse_result parsed = svg.load_file((dir / "g.svg").c_str());
  EXPECT_TRUE(parsed) << parsed.description();
  std::vector<lines> out;
  for (const pugi::xpath_node g : svg.select_nodes(fmt::format("//g[@class='{}']", kind).c_str())) {
    lines texts;
    for (const pugi::xml_node text : g.node().children("text"))
      texts.emplace_back(text.text().get());
    out.push_back(texts);
  }
  return out;
}

bool dot_installed() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

TEST(event_graph, hostile_names_are_escaped) {
  if (!dot_installed()) GTEST_SKIP() << "Graphviz's dot is not on PATH";
  const std::string hostile = "q\"b\\s\\n\n}\x1b[2J &amp; <t>\xff \xe2\x80\xae;]";
  model m;
  receptor_info r;
  r.name = "r " + hostile;
  m.receptors.push_back(r);
  group pop;
  pop.name = "p " + hostile;
  pop.type = "T " + hostile;
  pop.size = 3;
  m.groups.push_back(pop);
  group train;
  train.name = "t " + hostile;
  train.is_train = true;
  train.size = 2;
  train.train = group::train_kind::file;
  train.path = "f " + hostile;
  m.groups.push_back(train);
  connection_info c;
  c.pre = {1, 0, 1, {}};
  c.post = {0, 0, 2, {}};
  c.weight.a = 1.5;
  c.delay.a = 2.0;
  m.connections.push_back(c);
  m.connections.push_back(c);

  const std::string graph = event_graph(m, 1);
  const std::vector<lines> nodes = drawn(graph, "node");
  ASSERT_EQ(nodes.size(), 2u) << graph;
  EXPECT_EQ(nodes[0], (lines{printable("p " + hostile), "3 × " + printable("T " + hostile)}));
  EXPECT_EQ(nodes[1],
            (lines{printable("t " + hostile), "2 × file \"" + printable("f " + hostile) + "\""}));
  const std::vector<lines> edges = drawn(graph, "edge");
  ASSERT_EQ(edges.size(), 2u) << graph;
  for (const lines& edge : edges)
    EXPECT_EQ(edge, (lines{printable("r " + hostile), "weight 1.5 mV, delay 2 ms",
                           "all to all, 6 synapses"}));
}

TEST(event_graph, dot_string_escapes_for_dot) {
  EXPECT_EQ(dot_string("a\"b\\c\nd&e\x1b"), R"("a\"b\\c\nd&amp;e\\x1b")");
}

}  // namespace
}  // namespace syn::dsl
