#pragma once

// A model's event graph as Graphviz DOT (`syn graph`): who sends spikes to whom.
// * One node per population (a box, "exc\n3200 × LIF"; a single neuron "n1\nLIF") and per
//   train (an ellipse, "bg\n100 × poisson 8 Hz"), one fill colour for each of the three kinds,
//   in declaration order; node ids are g0, g1, ... so that no name is ever a DOT id (and the
//   id in the SVG too).
// * One edge per `connect` statement (id c0, c1, ... in the SVG: dot draws them in an order of
//   its own), several between the same pair kept apart, labelled with
//   the receptor, weight, delay, distance (when not 0), rule and synapse count, and drawn wider
//   as the count grows (penwidth 1 + 0.8 log10(1 + count)); an edge with no synapse is dashed.
// Every text from the model is escaped: its non-printable characters as printable() shows them,
// then quotes, backslashes and '&' for DOT, so that no name or path can break the graph.

#include <cstdint>
#include <string>
#include <string_view>

#include "semantics/model.hpp"

namespace syn::dsl {

// `seed` draws the pairs of `with probability` rules, as the run would: the counts are exact.
std::string event_graph(const model& m, std::uint64_t seed);

// `text` as a DOT double-quoted string, quotes included: each line of `text` one line of the
// label (centred), every other character that is not printable as printable() shows it.
std::string dot_string(std::string_view text);

}  // namespace syn::dsl
