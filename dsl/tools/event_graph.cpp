#include "tools/event_graph.hpp"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "diagnostics/printable_text.hpp"
#include "lowering/synapse_count.hpp"

namespace syn::dsl {

namespace {

// A name or a path in a label: long ones cut in the middle.
constexpr std::size_t label_width = 80;

// Values come back from engine units through a multiplication (Hz = 1000 / ms): ten digits
// show what the model says without a conversion's last-bit noise.
std::string number(double x) { return fmt::format("{:.10g}", x); }

std::string quantity(double x, std::string_view unit) {
  return fmt::format("{} {}", number(x), unit);
}

// As the source writes it: 16.2 pA, uniform(1 ms, 2 ms), normal(30 pA, 5 pA), exponential(5 ms).
std::string distribution_text(const distribution& d, std::string_view unit) {
  switch (d.shape) {
    case distribution::kind::constant:
      return quantity(d.a, unit);
    case distribution::kind::uniform:
      return fmt::format("uniform({}, {})", quantity(d.a, unit), quantity(d.b, unit));
    case distribution::kind::normal:
      return fmt::format("normal({}, {})", quantity(d.a, unit), quantity(d.b, unit));
    case distribution::kind::exponential:
      return fmt::format("exponential({})", quantity(d.a, unit));
  }
  return {};
}

std::string train_text(const group& g) {
  std::string text;
  switch (g.train) {
    case group::train_kind::poisson:
      text = fmt::format("poisson {}", quantity(g.rate * 1000.0, "Hz"));
      break;
    case group::train_kind::regular:
      text = fmt::format("regular {}", quantity(g.rate * 1000.0, "Hz"));
      break;
    case group::train_kind::times: {
      constexpr std::size_t shown = 4;
      text = "times [";
      for (std::size_t i = 0; i < g.times.size() && i < shown; ++i)
        text += fmt::format("{}{}", i ? ", " : "", quantity(g.times[i], "ms"));
      if (g.times.size() > shown) text += fmt::format(", … {} in all", g.times.size());
      text += "]";
      return text;
    }
    case group::train_kind::file:
      // The name alone: the path is relative to the model's folder or absolute, and long.
      return fmt::format("file \"{}\"",
                         printable(std::filesystem::path(g.path).filename().string(), label_width));
  }
  if (g.start > 0.0) text += fmt::format(" from {}", quantity(g.start, "ms"));
  if (g.stop) text += fmt::format(" to {}", quantity(*g.stop, "ms"));
  return text;
}

std::string node_of(const group& g) {
  std::string label = printable(g.name, label_width) + "\n";
  if (g.size > 1) label += fmt::format("{} × ", g.size);
  label += g.is_train ? train_text(g) : printable(g.type, label_width);
  if (g.since > 0.0) label += fmt::format("\nadded at {}", quantity(g.since, "ms"));
  const char* shape = g.is_train ? "ellipse" : "box";
  const char* fill = g.is_train ? "#ffe6cc" : g.size > 1 ? "#dae8fc" : "#d5e8d4";
  return fmt::format("shape={}, fillcolor=\"{}\", label={}", shape, fill, dot_string(label));
}

bool whole(const model& m, const element_range& r) {
  return r.first == 0 && r.size() == m.groups[r.group].size;
}

// exc, or exc[3] or exc[0..9] for part of it.
std::string range_text(const model& m, const element_range& r) {
  const std::string name = printable(m.groups[r.group].name, label_width);
  if (whole(m, r)) return name;
  if (r.first == r.last) return fmt::format("{}[{}]", name, r.first);
  return fmt::format("{}[{}..{}]", name, r.first, r.last);
}

std::string rule_text(const connection_info& c) {
  std::string text;
  switch (c.rule) {
    case connection_rule::all_to_all:
      text = "all to all";
      break;
    case connection_rule::one_to_one:
      text = "one_to_one";
      break;
    case connection_rule::probability:
      text = fmt::format("p = {}", number(c.probability));
      break;
    case connection_rule::indegree:
      text = fmt::format("indegree {}", c.degree);
      break;
    case connection_rule::outdegree:
      text = fmt::format("outdegree {}", c.degree);
      break;
  }
  if (!c.autapses && c.pre.group == c.post.group) text += ", without autapses";
  return text;
}

std::string edge_of(const model& m, const connection_info& c, std::uint64_t count) {
  std::string label = printable(m.receptors[c.receptor].name, label_width);
  if (!whole(m, c.pre) || !whole(m, c.post))
    label += fmt::format("\n{} → {}", range_text(m, c.pre), range_text(m, c.post));
  label += fmt::format("\nweight {}, delay {}", distribution_text(c.weight, unit_name(c.unit)),
                       distribution_text(c.delay, "ms"));
  // The delay as written, and the receptor's latency that every spike waits on top of it.
  if (const double latency = m.receptors[c.receptor].latency; latency > 0.0)
    label += fmt::format(" + latency {}", quantity(latency, "ms"));
  if (c.distance > 0.0) label += fmt::format(", at {}", quantity(c.distance, "um"));
  label += fmt::format("\n{}, {} synapse{}", rule_text(c), count, count == 1 ? "" : "s");
  if (c.since > 0.0) label += fmt::format("\nadded at {}", quantity(c.since, "ms"));
  const double width = 1.0 + 0.8 * std::log10(1.0 + static_cast<double>(count));
  return fmt::format("label={}, penwidth={:.2f}{}", dot_string(label), width,
                     count == 0 ? ", style=dashed" : "");
}

}  // namespace

std::string dot_string(std::string_view text) {
  std::string out = "\"";
  for (const char ch : printable_lines(text)) {
    switch (ch) {
      case '\n':
        out += "\\n";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      // Graphviz reads entities (&lt;) in labels: written as &amp;, '&' stays a character.
      case '&':
        out += "&amp;";
        break;
      default:
        out += ch;
    }
  }
  return out + "\"";
}

std::string event_graph(const model& m, std::uint64_t seed) {
  std::string out =
      "digraph syn {\n"
      "  graph [rankdir=LR, fontname=\"Helvetica\"];\n"
      "  node [style=filled, color=\"#555555\", fontname=\"Helvetica\"];\n"
      "  edge [color=\"#444444\", fontname=\"Helvetica\", fontsize=10];\n";
  for (std::size_t i = 0; i < m.groups.size(); ++i)
    out += fmt::format("  g{} [id=\"g{}\", {}];\n", i, i, node_of(m.groups[i]));
  for (std::size_t i = 0; i < m.connections.size(); ++i) {
    const connection_info& c = m.connections[i];
    out += fmt::format("  g{} -> g{} [id=\"c{}\", {}];\n", c.pre.group, c.post.group, i,
                       edge_of(m, c, synapse_count(m, i, seed)));
  }
  return out + "}\n";
}

}  // namespace syn::dsl
