// Params: `param w_inh = 3 mV` declares a named quantity, and a value that is its name uses it.
// The name is replaced by the param's quantity before a statement is checked, so every check of a
// value (its unit, its range, a weight's kind) applies to a param as to a number written there;
// an error at the name then says what the param holds and where it is declared.
#include <fmt/format.h>

#include <cmath>
#include <limits>

#include "diagnostics/did_you_mean.hpp"
#include "semantics/checker.hpp"
#include "semantics/language_table.hpp"
#include "semantics/value_checks.hpp"

namespace syn::dsl {

namespace {

// Calls `f` on each word in `v`, a value where a quantity goes: itself, a distribution's
// arguments, a list's items.
template <typename Value, typename F>
void for_each_word(Value& v, F&& f) {
  if (std::holds_alternative<ast::word>(v.v)) {
    f(v);
  } else if (auto* c = std::get_if<ast::call>(&v.v)) {
    for (auto& a : c->args) for_each_word(a, f);
  } else if (auto* l = std::get_if<ast::list>(&v.v)) {
    for (auto& i : l->items) for_each_word(i, f);
  }
}

// Calls `f` on each value of `s` where a quantity goes; not on those where a word is a word (a
// receptor's transmitter, kind, effect, kinetics and ions), which a param's name leaves alone.
template <typename Statement, typename F>
void for_each_quantity(Statement& s, F&& f) {
  const auto optional = [&](auto& v) {
    if (v) for_each_word(*v, f);
  };
  std::visit(
      [&](auto& st) {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, ast::assign_stmt> || std::is_same_v<T, ast::param_stmt>) {
          for_each_word(st.val, f);
        } else if constexpr (std::is_same_v<T, ast::receptor_decl>) {
          for (auto& p : st.properties) {
            const receptor_property* r = find_receptor_property(p.name);
            if (r && (r->of == receptor_property::kind::number ||
                      r->of == receptor_property::kind::numbers))
              for_each_word(p.val, f);
          }
        } else if constexpr (std::is_same_v<T, ast::neuron_decl>) {
          for (auto& p : st.properties) for_each_word(p.val, f);
        } else if constexpr (std::is_same_v<T, ast::population_decl>) {
          optional(st.count);
          for (auto& p : st.overrides) for_each_word(p.val, f);
        } else if constexpr (std::is_same_v<T, ast::train_decl>) {
          optional(st.count);
          optional(st.times);
          optional(st.rate);
          optional(st.start);
          optional(st.stop);
        } else if constexpr (std::is_same_v<T, ast::connect_stmt>) {
          optional(st.weight);
          optional(st.delay);
          optional(st.distance);
          optional(st.rule_value);
        } else if constexpr (std::is_same_v<T, ast::record_stmt>) {
          optional(st.interval);
        } else if constexpr (std::is_same_v<T, ast::run_stmt>) {
          for_each_word(st.duration, f);
        }
      },
      s.s);
}

// "a voltage", "a plain number": what a param's unit makes it, for messages; `units`: with the
// units of its kind, "a voltage (mV, V)".
std::string kind_of(const std::string& unit, bool units = false) {
  const unit_def* u = find_unit(unit);
  if (!u) return "a plain number";
  return units ? fmt::format("a {} ({})", dimension_name(u->dim), units_of(u->dim))
               : fmt::format("a {}", dimension_name(u->dim));
}

std::string value_text(const std::string& text, const std::string& unit) {
  return unit.empty() ? text : fmt::format("{} {}", text, unit);
}

std::string place(span where) {
  const auto at = where.file->at(where.begin);
  return fmt::format("{}:{}:{}", where.file->name(), at.line, at.column);
}

}  // namespace

void checker::set_params(std::vector<param_setting> settings) {
  settings_ = std::move(settings);
  setting_used_.assign(settings_.size(), false);
}

void checker::expect_params(const std::vector<ast::statement>& statements) {
  for (const ast::statement& s : statements)
    if (const auto* p = std::get_if<ast::param_stmt>(&s.s))
      later_params_.try_emplace(p->name.text, p->name.where);
}

void checker::param(const ast::param_stmt& p) {
  if (imported_at_) {
    diags_.error(p.name.where,
                 fmt::format("a library declares no params, but this file is imported and "
                             "declares '{}'",
                             p.name.text),
                 fmt::format("it is imported at {}; declare the param in the model, which --set "
                             "reaches",
                             place(*imported_at_)));
    return;
  }
  const auto* q = std::get_if<ast::quantity>(&p.val.v);
  if (!q) {
    diags_.error(p.val.where,
                 "a param is a number with its unit, as in 3 mV, or a plain number, as in 0.1");
    unresolved_.insert(p.name.text);
    return;
  }
  if (std::isnan(q->number) || !check_unit(*q, diags_)) {  // an error said why already
    unresolved_.insert(p.name.text);
    return;
  }
  param_info info{p.name.text, p.name.where, q->number, q->text, q->unit};
  for (std::size_t i = 0; i < settings_.size(); ++i) {
    if (settings_[i].name.text != p.name.text) continue;
    setting_used_[i] = true;
    const param_setting& set = settings_[i];
    const auto& given = std::get<ast::quantity>(set.value.v);
    const unit_def* declared_unit = find_unit(q->unit);
    const unit_def* given_unit = find_unit(given.unit);
    if ((declared_unit ? declared_unit->dim : dims::none) !=
        (given_unit ? given_unit->dim : dims::none)) {
      diags_.error(given.unit.empty() ? set.value.where : given.unit_span,
                   fmt::format("{} is {}, but {} is {}", p.name.text, kind_of(q->unit, true),
                               value_text(given.text, given.unit), kind_of(given.unit)),
                   fmt::format("{} is declared at {} as {}", p.name.text, place(p.name.where),
                               value_text(q->text, q->unit)));
      break;  // the model goes on with the declared value, so that its uses raise no errors
    }
    info.number = given.number;
    info.text = given.text;
    info.unit = given.unit;
    info.set = true;
  }
  if (!declare(p.name, declared::kind::param, static_cast<std::uint32_t>(model_.params.size())))
    return;
  model_.params.push_back(std::move(info));
}

void checker::report_unused_settings() {
  std::vector<std::string> params;
  for (const param_info& p : model_.params) params.push_back(p.name);
  for (std::size_t i = 0; i < settings_.size(); ++i) {
    if (setting_used_[i]) continue;
    const ast::identifier& name = settings_[i].name;
    if (const declared* d = names_.find(name.text); d && d->what != declared::kind::param) {
      diags_.error(name.where,
                   fmt::format("'{}' is not a param: it is declared at {} as {}", name.text,
                               place(d->where), kind_noun(d->what)),
                   "--set gives a value to a param, declared as in: param w_inh = 3 mV");
      continue;
    }
    if (unresolved_.contains(name.text)) continue;  // its declaration failed and said why
    const std::string near = closest(name.text, params);
    diags_.error(name.where, fmt::format("the model declares no param '{}'", name.text),
                 !near.empty()    ? fmt::format("did you mean '{}'?", near)
                 : params.empty() ? "declare it in the model, as in: param w_inh = 3 mV"
                                  : fmt::format("its params are: {}", fmt::join(params, ", ")));
  }
}

std::optional<ast::statement> checker::with_params(const ast::statement& s,
                                                   std::vector<param_use>& uses,
                                                   std::vector<unknown_word>& unknown) const {
  bool any = false;
  for_each_quantity(s, [&](const ast::value& v) {
    const std::string& word = std::get<ast::word>(v.v).text;
    const declared* d = names_.find(word);
    if ((d && d->what == declared::kind::param) || unresolved_.contains(word))
      any = true;
    else
      unknown.push_back({v.where, word});
  });
  if (!any) return std::nullopt;
  ast::statement copy = s;
  for_each_quantity(copy, [&](ast::value& v) {
    const std::string word = std::get<ast::word>(v.v).text;
    const declared* d = names_.find(word);
    if (d && d->what == declared::kind::param) {
      const param_info& p = model_.params[d->index];
      v.v = ast::quantity{p.number, p.text, p.unit, v.where};
      uses.push_back({v.where, d->index});
    } else if (unresolved_.contains(word)) {
      // Its declaration failed with an error: a number that checks reject silently.
      v.v = ast::quantity{std::numeric_limits<double>::quiet_NaN(), word, {}, v.where};
    }
  });
  return copy;
}

void checker::explain_params(std::size_t first, const std::vector<param_use>& uses,
                             const std::vector<unknown_word>& unknown) {
  if (diags_.size() == first) return;
  for (const param_use& use : uses) {
    const param_info& p = model_.params[use.param];
    diags_.set_hint(first, use.where,
                    p.set ? fmt::format("{} is {} (--set), declared at {}", p.name,
                                        value_text(p.text, p.unit), place(p.where))
                          : fmt::format("{} is {}, declared at {}", p.name,
                                        value_text(p.text, p.unit), place(p.where)));
  }
  if (unknown.empty()) return;
  std::vector<std::string> params;
  for (const param_info& p : model_.params) params.push_back(p.name);
  for (const unknown_word& w : unknown) {
    std::string hint;
    if (const auto later = later_params_.find(w.text); later != later_params_.end())
      hint = fmt::format("param {} is declared later, at {}; a param is declared before its use",
                         w.text, place(later->second));
    else if (const std::string near = closest(w.text, params); !near.empty())
      hint = fmt::format("did you mean the param '{}'?", near);
    if (!hint.empty()) diags_.set_hint(first, w.where, hint, true);
  }
}

}  // namespace syn::dsl
