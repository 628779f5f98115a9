#include "syntax/ast_printer.hpp"

#include <fmt/format.h>

namespace syn::dsl {

namespace {

using dsl::print;  // the value printer below, beside this namespace's overloads

std::string join(const std::vector<ast::value>& items) {
  std::string out;
  for (const ast::value& item : items) {
    if (!out.empty()) out += ", ";
    out += print(item);
  }
  return out;
}

std::string print(const ast::selector& s) {
  if (!s.first) return s.name.text();
  if (*s.first == *s.last) return fmt::format("{}[{}]", s.name.text(), *s.first);
  return fmt::format("{}[{}..{}]", s.name.text(), *s.first, *s.last);
}

std::string block(const std::vector<ast::property>& properties) {
  std::string out = "{\n";
  for (const ast::property& p : properties) out += fmt::format("  {} = {}\n", p.name, print(p.val));
  return out + "}";
}

std::string doc(const std::string& text) {
  if (text.empty()) return {};
  std::string out;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    const std::string line = text.substr(start, end - start);
    out += line.empty() ? "##\n" : fmt::format("## {}\n", line);
    if (end == std::string::npos) return out;
    start = end + 1;
  }
}

std::string count(const std::optional<ast::value>& c) {
  return c ? fmt::format("{} x ", print(*c)) : std::string();
}

const char* rule_name(ast::rule_kind r) {
  switch (r) {
    case ast::rule_kind::all_to_all:
      return "all_to_all";
    case ast::rule_kind::one_to_one:
      return "one_to_one";
    case ast::rule_kind::probability:
      return "with probability";
    case ast::rule_kind::indegree:
      return "with indegree";
    case ast::rule_kind::outdegree:
      return "with outdegree";
  }
  return "";
}

}  // namespace

std::string print(const ast::value& v) {
  return std::visit(
      [](const auto& x) -> std::string {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ast::quantity>)
          return x.unit.empty() ? x.text : fmt::format("{} {}", x.text, x.unit);
        else if constexpr (std::is_same_v<T, ast::word>)
          return x.text;
        else if constexpr (std::is_same_v<T, ast::string>)
          return fmt::format("\"{}\"", x.text);
        else if constexpr (std::is_same_v<T, ast::list>)
          return fmt::format("[{}]", join(x.items));
        else
          return fmt::format("{}({})", x.function, join(x.args));
      },
      v.v);
}

std::string print(const ast::statement& statement) {
  return std::visit(
      [](const auto& s) -> std::string {
        using T = std::decay_t<decltype(s)>;
        if constexpr (std::is_same_v<T, ast::library_stmt>) {
          return fmt::format("{}library {} version \"{}\"", doc(s.doc), s.name.text(), s.version);
        } else if constexpr (std::is_same_v<T, ast::import_stmt>) {
          if (s.file) return fmt::format("import \"{}\" as {}", *s.file, s.alias->text);
          std::string out = fmt::format("import {}", s.module->text());
          if (s.alias) out += fmt::format(" as {}", s.alias->text);
          if (s.min_version) out += fmt::format(" >= \"{}\"", *s.min_version);
          return out;
        } else if constexpr (std::is_same_v<T, ast::from_import_stmt>) {
          std::string names;
          for (const ast::identifier& n : s.names) {
            if (!names.empty()) names += ", ";
            names += n.text;
          }
          return fmt::format("from {} import {}", s.module.text(), names);
        } else if constexpr (std::is_same_v<T, ast::assign_stmt>) {
          return fmt::format("{} = {}", s.name.text, print(s.val));
        } else if constexpr (std::is_same_v<T, ast::param_stmt>) {
          return fmt::format("param {} = {}", s.name.text, print(s.val));
        } else if constexpr (std::is_same_v<T, ast::receptor_decl>) {
          return fmt::format("{}receptor {} {}", doc(s.doc), s.name.text, block(s.properties));
        } else if constexpr (std::is_same_v<T, ast::neuron_decl>) {
          return fmt::format("{}neuron {}{} {}", doc(s.doc), s.name.text,
                             s.base ? fmt::format(" : {}", s.base->text()) : "",
                             block(s.properties));
        } else if constexpr (std::is_same_v<T, ast::population_decl>) {
          return fmt::format(
              "{}population {} = {}{}{}", doc(s.doc), s.name.text, count(s.count), s.model.text(),
              s.overrides.empty() ? std::string() : fmt::format(" {}", block(s.overrides)));
        } else if constexpr (std::is_same_v<T, ast::train_decl>) {
          std::string kind;
          switch (s.kind) {
            case ast::train_kind::times:
              kind = "times " + print(*s.times);
              break;
            case ast::train_kind::regular:
            case ast::train_kind::poisson:
              kind =
                  fmt::format("{} {}", s.kind == ast::train_kind::regular ? "regular" : "poisson",
                              print(*s.rate));
              if (s.start) kind += fmt::format(" from {} to {}", print(*s.start), print(*s.stop));
              break;
            case ast::train_kind::file:
              kind = fmt::format("file \"{}\"", s.path);
              break;
          }
          return fmt::format("{}train {} = {}{}", doc(s.doc), s.name.text, count(s.count), kind);
        } else if constexpr (std::is_same_v<T, ast::connect_stmt>) {
          std::string out = fmt::format("connect {} -> {} via {}", print(s.pre), print(s.post),
                                        s.receptor.text());
          if (s.weight) out += " weight " + print(*s.weight);
          if (s.delay) out += " delay " + print(*s.delay);
          if (s.distance) out += " at " + print(*s.distance);
          if (s.rule_value)
            out += fmt::format(" {} {}", rule_name(s.rule), print(*s.rule_value));
          else if (s.rule == ast::rule_kind::one_to_one)
            out += " one_to_one";
          if (s.without_autapses) out += " without autapses";
          return out;
        } else if constexpr (std::is_same_v<T, ast::record_stmt>) {
          std::string targets;
          for (const ast::selector& t : s.targets) {
            if (!targets.empty()) targets += ", ";
            targets += print(t);
          }
          const std::string plot = s.plot ? " plot " + print(*s.plot) : "";
          if (s.voltage)
            return fmt::format("record v of {} every {}{}", targets, print(*s.interval), plot);
          return (targets.empty() ? "record spikes" : "record spikes of " + targets) + plot;
        } else {
          return "run " + print(s.duration);
        }
      },
      statement.s);
}

std::string print(const std::vector<ast::statement>& statements) {
  std::string out;
  for (const ast::statement& s : statements) out += print(s) + "\n";
  return out;
}

}  // namespace syn::dsl
