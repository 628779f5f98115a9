#include "semantics/value_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "diagnostics/did_you_mean.hpp"
#include "semantics/units.hpp"
#include "semantics/value_ranges.hpp"

namespace syn::dsl {

namespace {

// The number of `v` in engine units, its range unchecked.
std::optional<double> converted(const ast::value& v, dimension expected, const char* what,
                                diagnostics& diags) {
  const auto* q = std::get_if<ast::quantity>(&v.v);
  if (std::holds_alternative<ast::call>(v.v)) {
    diags.error(v.where, fmt::format("{} takes one value, not a distribution", what));
    return std::nullopt;
  }
  if (!q) {
    diags.error(v.where,
                fmt::format("{} must be a {}, as in {}", what, dimension_name(expected),
                            expected == dims::none
                                ? "2"
                                : fmt::format("2 {}", units_of(expected).substr(
                                                          0, units_of(expected).find(',')))));
    return std::nullopt;
  }
  if (std::isnan(q->number)) return std::nullopt;  // a literal out of range, already reported
  if (q->unit.empty()) {
    if (expected == dims::none) return q->number;
    diags.error(v.where,
                fmt::format("{} needs a unit of {}: {}", what, dimension_name(expected),
                            units_of(expected)),
                fmt::format("write it as {} {}", q->text,
                            units_of(expected).substr(0, units_of(expected).find(','))));
    return std::nullopt;
  }
  if (!check_unit(*q, diags)) return std::nullopt;
  const unit_def* u = find_unit(q->unit);
  if (u->dim != expected) {
    diags.error(q->unit_span, fmt::format("{} must be a {} ({}), but {} is a unit of {}", what,
                                          dimension_name(expected),
                                          expected == dims::none ? "no unit" : units_of(expected),
                                          q->unit, dimension_name(u->dim)));
    return std::nullopt;
  }
  const double value = q->number * u->scale + u->offset;
  if (!std::isfinite(value)) {
    diags.error(v.where, fmt::format("{} is out of range", what));
    return std::nullopt;
  }
  return value;
}

// Whether `x` is within the range of its dimension (semantics/value_ranges), else an error at
// `where`. A spread (a normal's sd) is bounded from above only, as a magnitude.
bool within_range(double x, dimension dim, const char* what, span where, diagnostics& diags,
                  bool spread = false) {
  const value_range* r = range_of(dim, what);
  if (!r || (x <= r->limit && (!r->two_sided || spread || x >= -r->limit))) return true;
  diags.error(where,
              fmt::format("{} must be {}{}", what,
                          r->two_sided && !spread ? "within ±" : "at most ", r->limit_text),
              r->why);
  return false;
}

}  // namespace

std::optional<dimension> check_unit(const ast::quantity& q, diagnostics& diags) {
  if (q.unit.empty()) return dims::none;
  if (const unit_def* u = find_unit(q.unit)) return u->dim;
  std::vector<std::string> names;
  for (const unit_def& d : unit_table()) names.emplace_back(d.name);
  const std::string near = closest(q.unit, names);
  diags.error(q.unit_span, fmt::format("unknown unit '{}'", q.unit),
              near.empty() ? fmt::format("the units are: {}", fmt::join(names, ", "))
                           : fmt::format("did you mean '{}'?", near));
  return std::nullopt;
}

std::optional<double> check_quantity(const ast::value& v, dimension expected, const char* what,
                                     diagnostics& diags) {
  const auto x = converted(v, expected, what, diags);
  if (!x || !within_range(*x, expected, what, v.where, diags)) return std::nullopt;
  return x;
}

std::optional<double> check_number(const ast::value& v, const char* what, diagnostics& diags) {
  return check_quantity(v, dims::none, what, diags);
}

std::optional<std::uint64_t> check_whole_number(const ast::value& v, const char* what,
                                                std::uint64_t least, diagnostics& diags) {
  const auto n = check_number(v, what, diags);
  if (!n) return std::nullopt;
  if (*n != std::floor(*n)) {
    diags.error(v.where, fmt::format("{} must be a whole number, not {}", what,
                                     std::get<ast::quantity>(v.v).text));
    return std::nullopt;
  }
  if (*n < static_cast<double>(least)) {
    diags.error(v.where, least == 0 ? fmt::format("{} cannot be negative", what)
                                    : fmt::format("{} must be at least {}", what, least));
    return std::nullopt;
  }
  if (*n > 4294967295.0) {
    diags.error(v.where, fmt::format("{} must be at most 4,294,967,295 (2^32 - 1)", what),
                "neurons and sources are numbered in 32 bits");
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*n);
}

std::optional<distribution> check_distribution(const ast::value& v, dimension expected,
                                               const char* what, diagnostics& diags) {
  const auto* c = std::get_if<ast::call>(&v.v);
  if (!c) {
    const auto x = check_quantity(v, expected, what, diags);
    if (!x) return std::nullopt;
    return distribution{distribution::kind::constant, *x, 0.0, v.where};
  }
  struct signature {
    const char* name;
    distribution::kind shape;
    std::size_t args;
    const char* usage;
  };
  static const signature table[] = {
      {"uniform", distribution::kind::uniform, 2, "uniform(low, high)"},
      {"normal", distribution::kind::normal, 2, "normal(mean, sd)"},
      {"exponential", distribution::kind::exponential, 1, "exponential(mean)"},
  };
  const signature* sig = nullptr;
  for (const signature& s : table)
    if (c->function == s.name) sig = &s;
  if (!sig) {
    diags.error(c->function_span, fmt::format("unknown distribution '{}'", c->function),
                "the distributions are uniform(low, high), normal(mean, sd), exponential(mean)");
    return std::nullopt;
  }
  if (c->args.size() != sig->args) {
    diags.error(v.where, fmt::format("{} takes {} argument{}: {}", sig->name, sig->args,
                                     sig->args == 1 ? "" : "s", sig->usage));
    return std::nullopt;
  }
  // Arguments of two kinds (uniform(1 mV, 2 pA)): said as such, not as the second's mismatch
  // with what the first one made the value mean.
  if (sig->args == 2) {
    const auto* q0 = std::get_if<ast::quantity>(&c->args[0].v);
    const auto* q1 = std::get_if<ast::quantity>(&c->args[1].v);
    const unit_def* u0 = q0 ? find_unit(q0->unit) : nullptr;
    const unit_def* u1 = q1 ? find_unit(q1->unit) : nullptr;
    if (u0 && u1 && u0->dim != u1->dim) {
      diags.error(q1->unit_span,
                  fmt::format("{} takes both arguments in units of one kind, but {} is a unit of "
                              "{} and {} of {}",
                              sig->usage, q0->unit, dimension_name(u0->dim), q1->unit,
                              dimension_name(u1->dim)));
      return std::nullopt;
    }
  }
  distribution d{sig->shape, 0.0, 0.0, v.where};
  const auto a = check_quantity(c->args[0], expected, what, diags);
  std::optional<double> b = 0.0;
  if (sig->shape == distribution::kind::normal) {
    b = converted(c->args[1], expected, what, diags);
    if (b && !within_range(*b, expected, "the standard deviation of normal(mean, sd)",
                           c->args[1].where, diags, true))
      b.reset();
  } else if (sig->args > 1) {
    b = check_quantity(c->args[1], expected, what, diags);
  }
  if (!a || !b) return std::nullopt;
  d.a = *a;
  d.b = *b;
  if (d.shape == distribution::kind::uniform && !(d.a < d.b)) {
    diags.error(v.where, "uniform(low, high) needs low below high");
    return std::nullopt;
  }
  if (d.shape == distribution::kind::normal && d.b == 0) {
    d.shape = distribution::kind::constant;  // then the checks of a constant apply
  } else if (d.shape == distribution::kind::normal && d.b < 0) {
    diags.error(c->args[1].where, "the standard deviation of normal(mean, sd) cannot be negative");
    return std::nullopt;
  }
  if (d.shape == distribution::kind::exponential && !(d.a > 0)) {
    diags.error(c->args[0].where, "the mean of exponential(mean) must be positive");
    return std::nullopt;
  }
  return d;
}

std::optional<std::string> check_word(const ast::value& v, const char* what,
                                      const std::vector<std::string>& allowed, diagnostics& diags) {
  const auto* w = std::get_if<ast::word>(&v.v);
  const std::string choices = fmt::format("{}", fmt::join(allowed, ", "));
  if (!w) {
    diags.error(v.where, fmt::format("{} must be a word{}", what,
                                     allowed.empty() ? "" : fmt::format(": {}", choices)));
    return std::nullopt;
  }
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), w->text) == allowed.end()) {
    const std::string near = closest(w->text, allowed);
    diags.error(v.where, fmt::format("{} must be one of: {}", what, choices),
                near.empty() ? "" : fmt::format("did you mean '{}'?", near));
    return std::nullopt;
  }
  return w->text;
}

std::optional<distribution> check_weight(const ast::value& v, const receptor_info& rec,
                                         weight_unit& unit, diagnostics& diags) {
  // The unit of the first number decides what the weight means (mV, pA or nS).
  const ast::value* first = &v;
  if (const auto* c = std::get_if<ast::call>(&v.v); c && !c->args.empty()) first = &c->args[0];
  dimension d = dims::voltage;
  if (const auto* q = std::get_if<ast::quantity>(&first->v); q && !std::isnan(q->number)) {
    const unit_def* u = find_unit(q->unit);
    if (u && (u->dim == dims::current || u->dim == dims::conductance)) d = u->dim;
    // Else check_quantity() below would name voltage alone, though the weights of all but jump
    // receptors may be currents and conductances too.
    const bool jump = rec.params.kind == kinetics::jump;
    const auto units = [](dimension dim) {
      return fmt::format("a {} ({})", dimension_name(dim), units_of(dim));
    };
    const std::string all = fmt::format("{}, {} or {}", units(dims::voltage), units(dims::current),
                                        units(dims::conductance));
    if (u && d == dims::voltage && u->dim != dims::voltage) {
      diags.error(
          q->unit_span,
          jump ? fmt::format("receptor {} has jump kinetics, whose weights are "
                             "voltages ({}), but {} is a unit of {}",
                             rec.name, units_of(dims::voltage), q->unit, dimension_name(u->dim))
               : fmt::format("a weight must be {}, but {} is a unit of {}", all, q->unit,
                             dimension_name(u->dim)));
      return std::nullopt;
    }
    if (q->unit.empty() && !jump) {
      diags.error(first->where, fmt::format("a weight needs a unit: {}", all),
                  fmt::format("write it as {} mV", q->text));
      return std::nullopt;
    }
  }
  unit = d == dims::current       ? weight_unit::pA
         : d == dims::conductance ? weight_unit::nS
                                  : weight_unit::mV;
  const auto w = check_distribution(v, d, "a weight", diags);
  if (!w) return std::nullopt;
  // One rule for every shape, as for delays: the constant, a uniform's low end or a normal's
  // mean must be a valid weight; a normal's draws below 0 are then drawn again.
  if (w->a < 0) {
    if (w->shape == distribution::kind::normal)
      diags.error(std::get<ast::call>(v.v).args[0].where,
                  "the mean of a weight's normal(mean, sd) cannot be negative",
                  "weights are magnitudes: draws below 0 are drawn again, so the mean must be "
                  "a weight");
    else
      diags.error(v.where, "weights are magnitudes and cannot be negative",
                  "the receptor decides the sign: connect via an inhibitory receptor");
    return std::nullopt;
  }
  return w;
}

}  // namespace syn::dsl
