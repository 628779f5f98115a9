#pragma once

// The syntax tree of a .syn text: what was written, with the span of every part, before any
// name is resolved or unit checked (that is the checker's work).

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "syntax/source_file.hpp"

namespace syn::dsl::ast {

struct value;

// A number and the unit written after it ("" when none): `4 mV`, `0.1`, `80`.
struct quantity {
  double number = 0.0;
  std::string text;  // the number as written, for messages and printing
  std::string unit;
  span unit_span;
};
struct word {  // a bare word: glutamate, ionotropic, Na+, excitatory
  std::string text;
};
struct string {
  std::string text;
};
struct list {
  std::vector<value> items;
};
struct call {  // uniform(a, b), normal(mean, sd), exponential(mean)
  std::string function;
  span function_span;
  std::vector<value> args;
};

struct value {
  span where;
  std::variant<quantity, word, string, list, call> v;
};

struct qualified_name {
  std::vector<std::string> parts;  // std.receptors.AMPA -> {std, receptors, AMPA}
  span where;
  std::string text() const;
};

// name, name[i] or name[a..b] (inclusive).
struct selector {
  qualified_name name;
  std::optional<std::uint64_t> first;
  std::optional<std::uint64_t> last;
  span index_span;
  span where;
};

struct property {
  std::string name;
  span name_span;
  value val;
};

struct identifier {
  std::string text;
  span where;
};

struct library_stmt {
  std::string doc;
  qualified_name name;
  std::string version;
  span version_span;
};
struct import_stmt {
  std::optional<qualified_name> module;  // import a.b
  std::optional<std::string> file;       // import "path.syn" as x
  span file_span;
  std::optional<identifier> alias;
  std::optional<std::string> min_version;  // import a.b >= 1.2
  span version_span;
};
struct from_import_stmt {
  qualified_name module;
  std::vector<identifier> names;
};
struct assign_stmt {
  identifier name;
  value val;
};
// param NAME = VALUE: a named quantity, which a value names to use it.
struct param_stmt {
  identifier name;
  value val;
};
struct receptor_decl {
  identifier name;
  std::string doc;
  std::vector<property> properties;
};
struct neuron_decl {
  identifier name;
  std::string doc;
  std::optional<qualified_name> base;
  std::vector<property> properties;
};
struct population_decl {
  identifier name;
  std::string doc;
  std::optional<value> count;
  qualified_name model;
  std::vector<property> overrides;
};

enum class train_kind { times, regular, poisson, file };
struct train_decl {
  identifier name;
  std::string doc;
  std::optional<value> count;
  train_kind kind = train_kind::times;
  span kind_span;
  std::optional<value> times;  // times [..]
  std::optional<value> rate;   // regular, poisson
  std::optional<value> start;
  std::optional<value> stop;
  std::string path;  // file "..."
  span path_span;
};

enum class rule_kind { all_to_all, one_to_one, probability, indegree, outdegree };
struct connect_stmt {
  selector pre;
  selector post;
  qualified_name receptor;
  std::optional<value> weight;
  std::optional<value> delay;
  std::optional<value> distance;
  rule_kind rule = rule_kind::all_to_all;
  std::optional<value> rule_value;
  span rule_span;                        // empty when the rule is the default
  std::optional<span> without_autapses;  // the clause, when written
};

struct record_stmt {
  bool voltage = false;           // record v of ... every ...; else record spikes [of ...]
  std::vector<selector> targets;  // empty: every population and train
  std::optional<value> interval;
  std::optional<value> plot;  // plot "FILE": a string
};

struct run_stmt {
  value duration;
};

struct statement {
  span where;
  std::variant<library_stmt, import_stmt, from_import_stmt, assign_stmt, param_stmt, receptor_decl,
               neuron_decl, population_decl, train_decl, connect_stmt, record_stmt, run_stmt>
      s;
};

// Statements that build the simulated network or change its draws (the seed): the REPL rebuilds
// its simulation after them.
inline bool changes_network(const statement& s) {
  return std::holds_alternative<population_decl>(s.s) || std::holds_alternative<train_decl>(s.s) ||
         std::holds_alternative<connect_stmt>(s.s) || std::holds_alternative<record_stmt>(s.s) ||
         std::holds_alternative<assign_stmt>(s.s);
}

// Those and `run`: an imported library may not hold them.
inline bool simulates(const statement& s) {
  return changes_network(s) || std::holds_alternative<run_stmt>(s.s);
}

}  // namespace syn::dsl::ast
