#pragma once

// One message per must<> point of the grammar: must_if refuses to compile a point without one.
// must_if raises wherever a rule with a message fails, so these rules appear only inside must<>.

#include "syntax/grammar.hpp"

namespace syn::dsl::grammar {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template <> inline constexpr auto error_message<string_end> = "unterminated string: expected '\"' before the end of the line";
template <> inline constexpr auto error_message<list_end> = "expected ',' or ']' in the list";
template <> inline constexpr auto error_message<call_end> = "expected ',' or ')' in the argument list";
template <> inline constexpr auto error_message<index_value> = "expected an index (a whole number) after '['";
template <> inline constexpr auto error_message<range_end> = "expected the last index of the slice after '..'";
template <> inline constexpr auto error_message<slice_end> = "expected ']' or '..' in the element selector";
template <> inline constexpr auto error_message<expected_selector> = "expected a population or train name";
template <> inline constexpr auto error_message<selector_list> = "expected a population or train name";
template <> inline constexpr auto error_message<equals> = "expected '='";
template <> inline constexpr auto error_message<expected_value> = "expected a value: a number with its unit, a name, a list or a distribution";
template <> inline constexpr auto error_message<property_end> = "expected ';', a newline or '}' after the property";
template <> inline constexpr auto error_message<block_end> = "expected a property (name = value) or '}'";
template <> inline constexpr auto error_message<library_name> = "expected the library's name after 'library'";
template <> inline constexpr auto error_message<version_keyword> = "expected 'version' after the library's name";
template <> inline constexpr auto error_message<version_string> = "expected a version such as \"1.2.0\"";
template <> inline constexpr auto error_message<alias_name> = "expected a name after 'as'";
template <> inline constexpr auto error_message<import_target> = "expected a library name (such as std.receptors) or a file in quotes after 'import'";
template <> inline constexpr auto error_message<as_keyword> = "expected 'as NAME' after an imported file";
template <> inline constexpr auto error_message<module_name> = "expected a library name such as std.neurons";
template <> inline constexpr auto error_message<from_keyword_import> = "expected 'import' after the library name";
template <> inline constexpr auto error_message<imported_names> = "expected the names to import";
template <> inline constexpr auto error_message<receptor_name> = "expected the receptor's name after 'receptor'";
template <> inline constexpr auto error_message<expected_block> = "expected '{' to start the block of properties";
template <> inline constexpr auto error_message<neuron_name> = "expected the neuron type's name after 'neuron'";
template <> inline constexpr auto error_message<base_name> = "expected the name of the neuron type to inherit from after ':'";
template <> inline constexpr auto error_message<population_name> = "expected the population's name after 'population'";
template <> inline constexpr auto error_message<model_name> = "expected a neuron type, as in 'population p = 10 x LIF'";
template <> inline constexpr auto error_message<train_name> = "expected the train's name after 'train'";
template <> inline constexpr auto error_message<times_list> = "expected a list of spike times, as in times [1 ms, 2 ms]";
template <> inline constexpr auto error_message<train_kind> = "expected 'times', 'regular', 'poisson' or 'file'";
template <> inline constexpr auto error_message<rate> = "expected a rate, as in 20 Hz";
template <> inline constexpr auto error_message<start_time> = "expected a start time after 'from'";
template <> inline constexpr auto error_message<stop_time> = "expected a stop time after 'to'";
template <> inline constexpr auto error_message<to_keyword> = "expected 'to' and a stop time";
template <> inline constexpr auto error_message<required_interval> = "expected 'from START to STOP' after the rate of a regular train";
template <> inline constexpr auto error_message<file_path> = "expected a file name in quotes after 'file'";
template <> inline constexpr auto error_message<figure_path> = "expected a figure's file name in quotes after 'plot', as in plot \"raster.svg\"";
template <> inline constexpr auto error_message<arrow> = "expected '->' between the source and the target";
template <> inline constexpr auto error_message<via_keyword> = "expected 'via RECEPTOR' after the target";
template <> inline constexpr auto error_message<receptor_ref> = "expected a receptor name after 'via'";
template <> inline constexpr auto error_message<rule_kind> = "expected 'probability', 'indegree' or 'outdegree' after 'with'";
template <> inline constexpr auto error_message<autapses_keyword> = "expected 'autapses' after 'without'";
template <> inline constexpr auto error_message<record_what> = "expected 'spikes' or 'v of ... every ...' after 'record'";
template <> inline constexpr auto error_message<at_in_record> = "a recording takes no 'at': V is recorded at the soma ('at' places a synapse on the dendrite)";
template <> inline constexpr auto error_message<of_keyword> = "expected 'of' and the neurons to record";
template <> inline constexpr auto error_message<every_keyword> = "expected 'every' and a sampling interval";
template <> inline constexpr auto error_message<sample_interval> = "expected a sampling interval, as in 0.1 ms";
template <> inline constexpr auto error_message<param_name> = "expected the param's name after 'param'";
template <> inline constexpr auto error_message<duration> = "expected a duration, as in 100 ms";
template <> inline constexpr auto error_message<statement_end> = "expected the end of the statement (a newline or ';')";
template <> inline constexpr auto error_message<unknown_statement> = "expected a statement: receptor, neuron, population, train, connect, record, run, param, import, from, library or NAME = VALUE";
// clang-format on

struct errors {
  template <typename Rule>
  static constexpr auto message = error_message<Rule>;
};

template <typename Rule>
using control = tao::pegtl::must_if<errors>::control<Rule>;

}  // namespace syn::dsl::grammar
