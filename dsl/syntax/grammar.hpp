#pragma once

// The Syn grammar (SPEC §2), one statement at a time: the parser calls `statement_unit` in a
// loop, which is also how the REPL reads a line. Every rule after a statement's keyword is
// wrapped in must<>, so a failure names what was expected where (messages in grammar_errors.hpp).

#include <string_view>
#include <tao/pegtl.hpp>

namespace syn::dsl::grammar {

namespace p = tao::pegtl;

// Layout: spaces within a line, comments to the end of the line, and separators.
struct ws : p::one<' ', '\t', '\r'> {};
struct sp : p::star<ws> {};
struct comment : p::seq<p::one<'#'>, p::until<p::at<p::eolf>>> {};
struct line_end : p::seq<sp, p::opt<comment>, p::eol> {};
// Between statements and between properties of a block: blank lines, comments, ';'.
struct gap : p::star<p::sor<ws, p::eol, comment, p::one<';'>>> {};

// Keywords and names.
struct kw_receptor : TAO_PEGTL_KEYWORD("receptor") {};
struct kw_neuron : TAO_PEGTL_KEYWORD("neuron") {};
struct kw_population : TAO_PEGTL_KEYWORD("population") {};
struct kw_train : TAO_PEGTL_KEYWORD("train") {};
struct kw_connect : TAO_PEGTL_KEYWORD("connect") {};
struct kw_record : TAO_PEGTL_KEYWORD("record") {};
struct kw_measure : TAO_PEGTL_KEYWORD("measure") {};
struct kw_run : TAO_PEGTL_KEYWORD("run") {};
struct kw_import : TAO_PEGTL_KEYWORD("import") {};
struct kw_from : TAO_PEGTL_KEYWORD("from") {};
struct kw_library : TAO_PEGTL_KEYWORD("library") {};
struct kw_param : TAO_PEGTL_KEYWORD("param") {};
struct kw_version : TAO_PEGTL_KEYWORD("version") {};
struct kw_as : TAO_PEGTL_KEYWORD("as") {};
struct kw_x : TAO_PEGTL_KEYWORD("x") {};
struct kw_via : TAO_PEGTL_KEYWORD("via") {};
struct kw_weight : TAO_PEGTL_KEYWORD("weight") {};
struct kw_delay : TAO_PEGTL_KEYWORD("delay") {};
struct kw_at : TAO_PEGTL_KEYWORD("at") {};
struct kw_with : TAO_PEGTL_KEYWORD("with") {};
struct kw_without : TAO_PEGTL_KEYWORD("without") {};
struct kw_autapses : TAO_PEGTL_KEYWORD("autapses") {};
struct kw_probability : TAO_PEGTL_KEYWORD("probability") {};
struct kw_indegree : TAO_PEGTL_KEYWORD("indegree") {};
struct kw_outdegree : TAO_PEGTL_KEYWORD("outdegree") {};
struct kw_one_to_one : TAO_PEGTL_KEYWORD("one_to_one") {};
struct kw_all_to_all : TAO_PEGTL_KEYWORD("all_to_all") {};
struct kw_of : TAO_PEGTL_KEYWORD("of") {};
struct kw_every : TAO_PEGTL_KEYWORD("every") {};
struct kw_spikes : TAO_PEGTL_KEYWORD("spikes") {};
struct kw_v : TAO_PEGTL_KEYWORD("v") {};
struct kw_times : TAO_PEGTL_KEYWORD("times") {};
struct kw_regular : TAO_PEGTL_KEYWORD("regular") {};
struct kw_poisson : TAO_PEGTL_KEYWORD("poisson") {};
struct kw_file : TAO_PEGTL_KEYWORD("file") {};
struct kw_to : TAO_PEGTL_KEYWORD("to") {};
struct kw_psp : TAO_PEGTL_KEYWORD("psp") {};
struct kw_plot : TAO_PEGTL_KEYWORD("plot") {};

// Words that start a statement, end a value or start a clause, so never taken as a unit or a
// bare name (syntax/keywords reads these lists; autapses, spikes, v and psp only follow a
// keyword, plot a recording).
struct statement_keyword : p::sor<kw_receptor, kw_neuron, kw_population, kw_train, kw_connect,
                                  kw_record, kw_measure, kw_run, kw_import, kw_from, kw_library,
                                  kw_param> {};
struct clause_keyword
    : p::sor<kw_version, kw_as, kw_x, kw_via, kw_weight, kw_delay, kw_at, kw_with, kw_without,
             kw_probability, kw_indegree, kw_outdegree, kw_one_to_one, kw_all_to_all, kw_of,
             kw_every, kw_times, kw_regular, kw_poisson, kw_file, kw_to> {};
bool is_reserved(std::string_view word);  // syntax/keywords.cpp: one of the two lists
// A reserved word at the input: the whole identifier there, as a keyword<> matches it, found by
// one lookup. (Names and units test it before every identifier; trying the keywords one by one
// took a tenth of the time of reading a long list of connections.)
struct reserved {
  using rule_t = reserved;
  using subs_t = p::empty_list;
  template <typename ParseInput>
  static bool match(ParseInput& in) {
    // p::identifier's characters, in ASCII whatever the locale.
    const auto first = [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
    const auto other = [&](char c) { return first(c) || c == '_' || (c >= '0' && c <= '9'); };
    const char* begin = in.current();
    const char* end = begin;
    const char* const stop = in.end();
    if (end == stop || !(first(*end) || *end == '_')) return false;
    while (end != stop && other(*end)) ++end;
    if (!is_reserved(std::string_view(begin, static_cast<std::size_t>(end - begin)))) return false;
    in.bump(static_cast<std::size_t>(end - begin));
    return true;
  }
};

struct name : p::seq<p::not_at<reserved>, p::identifier> {};
struct qualified_name : p::list<name, p::one<'.'>> {};

// Values: quantities with units, bare words (ions such as Na+ and Cl- included), strings,
// lists and calls such as uniform(a, b).
struct digits : p::plus<p::digit> {};
struct exponent : p::seq<p::one<'e', 'E'>, p::opt<p::one<'+', '-'>>, digits> {};
struct number
    : p::seq<p::opt<p::one<'+', '-'>>,
             p::sor<p::seq<digits, p::opt<p::one<'.'>, p::not_at<p::one<'.'>>, p::star<p::digit>>>,
                    p::seq<p::one<'.'>, digits>>,
             p::opt<exponent>> {};
struct unit : p::seq<p::not_at<reserved>, p::identifier> {};
struct quantity : p::seq<number, p::opt<sp, unit>> {};
struct word : p::seq<name, p::star<p::one<'+', '-'>>> {};
struct string_body : p::star<p::not_one<'"', '\n'>> {};
struct string_end : p::one<'"'> {};
struct string : p::seq<p::one<'"'>, string_body, p::must<string_end>> {};
struct value;
struct list_end : p::seq<p::star<p::sor<ws, p::eol>>, p::one<']'>> {};
struct list_items : p::list<value, p::one<','>, p::sor<ws, p::eol>> {};
struct list
    : p::seq<p::one<'['>, p::star<p::sor<ws, p::eol>>, p::opt<list_items>, p::must<list_end>> {};
struct call_end : p::seq<sp, p::one<')'>> {};
struct call_args : p::list<value, p::one<','>, ws> {};
struct call : p::seq<name, sp, p::one<'('>, sp, p::opt<call_args>, p::must<call_end>> {};
struct value : p::sor<string, list, call, quantity, word> {};
struct expected_value : value {};

// Population element selectors: name, name[i], name[a..b].
struct index : digits {};
struct index_value : index {};
struct range_end : index {};
struct slice_end : p::seq<sp, p::one<']'>> {};
struct slice : p::seq<p::one<'['>, sp, p::must<index_value>, sp,
                      p::opt<p::string<'.', '.'>, sp, p::must<range_end>>, p::must<slice_end>> {};
struct selector : p::seq<qualified_name, p::opt<slice>> {};
struct expected_selector : selector {};
struct selector_list : p::list<expected_selector, p::one<','>, ws> {};

// Blocks of properties: { name = value; name = value }, separated by ';' or newlines.
struct property_name : name {};
// Rules with an error message raise wherever they fail, so they appear only inside must<>;
// assign_equals is the same '=' where failing is fine.
struct equals : p::one<'='> {};
struct assign_equals : p::one<'='> {};
struct property_end : p::at<p::sor<p::one<';', '}'>, p::eolf, comment>> {};
struct property : p::seq<property_name, sp, p::must<equals>, sp, p::must<expected_value>, sp,
                         p::must<property_end>> {};
struct block_end : p::one<'}'> {};
struct block : p::seq<p::one<'{'>, gap, p::star<property, gap>, p::must<block_end>> {};

// Statements.
struct library_name : qualified_name {};
struct version_keyword : kw_version {};
struct version_number : p::seq<digits, p::star<p::one<'.'>, digits>> {};
struct version_string : p::sor<string, version_number> {};
struct library_stmt : p::seq<kw_library, sp, p::must<library_name>, sp, p::must<version_keyword>,
                             sp, p::must<version_string>> {};

struct module_name : qualified_name {};
struct alias : name {};
struct alias_name : alias {};
struct version_bound : p::seq<p::string<'>', '='>, sp, p::must<version_string>> {};
struct as_keyword : kw_as {};
struct import_file : p::seq<string, sp, p::must<as_keyword>, sp, p::must<alias_name>> {};
struct import_module
    : p::seq<module_name, sp, p::opt<kw_as, sp, p::must<alias_name>>, sp, p::opt<version_bound>> {};
struct import_target : p::sor<import_file, import_module> {};
struct import_stmt : p::seq<kw_import, sp, p::must<import_target>> {};
struct imported_name : name {};
struct imported_names : p::list<imported_name, p::one<','>, ws> {};
struct from_keyword_import : kw_import {};
struct from_stmt : p::seq<kw_from, sp, p::must<module_name>, sp, p::must<from_keyword_import>, sp,
                          p::must<imported_names>> {};

struct receptor_name : name {};
struct expected_block : block {};
struct receptor_decl
    : p::seq<kw_receptor, sp, p::must<receptor_name>, sp, p::must<expected_block>> {};

struct neuron_name : name {};
struct base_name : qualified_name {};
struct base : p::seq<p::one<':'>, sp, p::must<base_name>> {};
struct neuron_decl
    : p::seq<kw_neuron, sp, p::must<neuron_name>, sp, p::opt<base>, sp, p::must<expected_block>> {};

struct population_name : name {};
// Any number, so that `1e6 x` reads as `with indegree 1e6` does, or a param's name; the checker
// wants it whole.
struct count_param : name {};
struct count : p::seq<p::sor<number, count_param>, sp, kw_x> {};
struct model_name : qualified_name {};
struct population_decl : p::seq<kw_population, sp, p::must<population_name>, sp, p::must<equals>,
                                sp, p::opt<count>, sp, p::must<model_name>, sp, p::opt<block>> {};

struct train_name : name {};
struct times_list : list {};
struct train_times : p::seq<kw_times, sp, p::must<times_list>> {};
struct rate : value {};
struct start_time : value {};
struct stop_time : value {};
struct from_keyword : kw_from {};
struct to_keyword : kw_to {};
struct interval
    : p::seq<kw_from, sp, p::must<start_time>, sp, p::must<to_keyword>, sp, p::must<stop_time>> {};
struct required_interval : interval {};
struct train_regular : p::seq<kw_regular, sp, p::must<rate>, sp, p::must<required_interval>> {};
struct train_poisson : p::seq<kw_poisson, sp, p::must<rate>, sp, p::opt<interval>> {};
struct file_path : string {};
struct train_file : p::seq<kw_file, sp, p::must<file_path>> {};
struct train_kind : p::sor<train_times, train_regular, train_poisson, train_file> {};
struct train_decl : p::seq<kw_train, sp, p::must<train_name>, sp, p::must<equals>, sp,
                           p::opt<count>, sp, p::must<train_kind>> {};

struct arrow : p::string<'-', '>'> {};
struct via_keyword : kw_via {};
struct receptor_ref : qualified_name {};
struct weight_clause : p::seq<kw_weight, sp, p::must<expected_value>> {};
struct delay_clause : p::seq<kw_delay, sp, p::must<expected_value>> {};
struct at_clause : p::seq<kw_at, sp, p::must<expected_value>> {};
struct rule_kind : p::sor<kw_probability, kw_indegree, kw_outdegree> {};
struct with_clause : p::seq<kw_with, sp, p::must<rule_kind>, sp, p::must<expected_value>> {};
struct one_to_one : kw_one_to_one {};
struct all_to_all : kw_all_to_all {};
struct autapses_keyword : kw_autapses {};
struct without_clause : p::seq<kw_without, sp, p::must<autapses_keyword>> {};
struct connect_clause : p::sor<weight_clause, delay_clause, at_clause, with_clause, without_clause,
                               one_to_one, all_to_all> {};
struct connect_stmt : p::seq<kw_connect, sp, p::must<expected_selector>, sp, p::must<arrow>, sp,
                             p::must<expected_selector>, sp, p::must<via_keyword>, sp,
                             p::must<receptor_ref>, p::star<sp, connect_clause>> {};

// A connection's 'at' tried on a recording: an error of its own, not the end of the statement.
struct at_in_record : p::any {};
struct recorded_at : p::seq<p::at<kw_at>, p::raise<at_in_record>> {};
struct record_spikes : p::seq<kw_spikes, p::opt<sp, kw_of, sp, p::must<selector_list>>> {};
struct of_keyword : kw_of {};
struct every_keyword : kw_every {};
struct sample_interval : value {};
struct record_v
    : p::seq<kw_v, sp, p::must<of_keyword>, sp, p::must<selector_list>, sp, p::opt<recorded_at>,
             p::must<every_keyword>, sp, p::must<sample_interval>> {};
struct record_what : p::sor<record_spikes, record_v> {};
// `plot "raster.svg"`: the recording drawn as a figure too, in the output folder.
struct figure_path : string {};
struct plot_clause : p::seq<kw_plot, sp, p::must<figure_path>> {};
struct record_stmt
    : p::seq<kw_record, sp, p::must<record_what>, sp, p::opt<recorded_at>, p::opt<plot_clause>> {};

struct psp_keyword : kw_psp {};
struct measured_of : kw_of {};
struct measure_stmt : p::seq<kw_measure, sp, p::must<psp_keyword>, sp, p::must<measured_of>, sp,
                             p::must<selector_list>> {};

struct duration : value {};
struct run_stmt : p::seq<kw_run, sp, p::must<duration>> {};

struct param_name : name {};
struct param_stmt
    : p::seq<kw_param, sp, p::must<param_name>, sp, p::must<equals>, sp, p::must<expected_value>> {
};

struct assign_name : name {};
struct assign_stmt : p::seq<assign_name, sp, assign_equals, sp, p::must<expected_value>> {};

struct unknown_statement : p::any {};
struct statement : p::sor<library_stmt, import_stmt, from_stmt, receptor_decl, neuron_decl,
                          population_decl, train_decl, connect_stmt, record_stmt, measure_stmt,
                          run_stmt, param_stmt, assign_stmt, p::raise<unknown_statement>> {};
struct statement_end : p::seq<sp, p::opt<comment>, p::sor<p::one<';'>, p::eolf>> {};
// One statement with the layout before it, or the end of the input.
struct statement_unit : p::seq<gap, p::sor<p::eof, p::seq<statement, p::must<statement_end>>>> {};

}  // namespace syn::dsl::grammar
