#include "semantics/checker.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>

#include "run/csv_files.hpp"
#include "semantics/language_table.hpp"
#include "semantics/units.hpp"
#include "syntax/parser.hpp"

namespace syn::dsl {

namespace {

const char* kind_noun(int k) {
  static const char* nouns[] = {"a receptor", "a neuron type", "a population", "a train"};
  return nouns[k];
}

// The statement's first word, where an error about the statement as a whole points.
span keyword_span(const ast::statement& s) {
  const std::string_view text = s.where.file->text();
  std::uint32_t end = s.where.begin;
  while (end < s.where.end &&
         (std::isalnum(static_cast<unsigned char>(text[end])) || text[end] == '_'))
    ++end;
  return {s.where.file, s.where.begin, end};
}

// The name a receptor, neuron, population or train statement declares.
const ast::identifier* declared_name(const ast::statement& s) {
  if (const auto* d = std::get_if<ast::receptor_decl>(&s.s)) return &d->name;
  if (const auto* d = std::get_if<ast::neuron_decl>(&s.s)) return &d->name;
  if (const auto* d = std::get_if<ast::population_decl>(&s.s)) return &d->name;
  if (const auto* d = std::get_if<ast::train_decl>(&s.s)) return &d->name;
  return nullptr;
}

span span_of(const ast::property& p) {
  return {p.name_span.file, p.name_span.begin, p.val.where.end};
}

}  // namespace

void checker::check(const ast::statement& s) {
  ++statements_;
  const bool simulates = ast::changes_network(s) || std::holds_alternative<ast::run_stmt>(s.s);
  if (simulates && imported_at_) {
    const span k = keyword_span(s);
    const auto at = imported_at_->file->at(imported_at_->begin);
    diags_.error(k,
                 fmt::format("a library holds only declarations, but this file is imported and "
                             "has a '{}' statement",
                             std::string_view(k.file->text()).substr(k.begin, k.end - k.begin)),
                 fmt::format("it is imported at {}:{}:{}; simulate in the file that imports it",
                             imported_at_->file->name(), at.line, at.column));
    return;
  }
  const std::size_t errors = diags_.error_count();
  std::visit(
      [&](const auto& st) {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, ast::receptor_decl>)
          receptor(st);
        else if constexpr (std::is_same_v<T, ast::neuron_decl>)
          neuron(st);
        else if constexpr (std::is_same_v<T, ast::population_decl>)
          population(st);
        else if constexpr (std::is_same_v<T, ast::train_decl>)
          train(st);
        else if constexpr (std::is_same_v<T, ast::connect_stmt>)
          connect(st, s.where);
        else if constexpr (std::is_same_v<T, ast::record_stmt>)
          record(st);
        else if constexpr (std::is_same_v<T, ast::run_stmt>)
          run(st);
        else if constexpr (std::is_same_v<T, ast::assign_stmt>)
          assign(st);
        else if constexpr (std::is_same_v<T, ast::library_stmt>)
          header(s, st);
        else if constexpr (std::is_same_v<T, ast::import_stmt>)
          import(st);
        else
          from_import(st);
      },
      s.s);
  // A declaration that failed without an error of its own rests on one reported before (a
  // library not found): its name then raises no more errors either.
  const ast::identifier* name = declared_name(s);
  if (name && diags_.error_count() == errors &&
      std::none_of(names_.begin(), names_.end(),
                   [&](const auto& entry) { return entry.first == name->text; }))
    unresolved_.push_back(name->text);
}

// ---- libraries ------------------------------------------------------------------------------

void checker::header(const ast::statement& s, const ast::library_stmt& h) {
  if (statements_ > 1) {
    diags_.error(keyword_span(s), "the `library` line must be the first statement of its file",
                 "move it above the imports and declarations");
    return;
  }
  if (!parse_version(h.version))
    diags_.error(h.version_span, fmt::format("'{}' is not a version", h.version),
                 "a version is whole numbers separated by dots, as in \"1.2.0\"");
}

void checker::import(const ast::import_stmt& i) {
  if (i.file) {
    bind(i.alias->text, loader_.import_file(*i.file, i.file_span, i.alias->text, base_dir_, diags_),
         fmt::format("\"{}\"", *i.file), i.alias->where);
    return;
  }
  const std::string name = i.module->text();
  const library* lib = loader_.import_module(*i.module, base_dir_, diags_);
  if (lib && i.min_version) {
    const auto need = parse_version(*i.min_version);
    const auto have = parse_version(lib->version);
    if (!need) {
      diags_.error(i.version_span, fmt::format("'{}' is not a version", *i.min_version),
                   "a version is whole numbers separated by dots, as in 1.2");
    } else if (lib->version.empty()) {
      diags_.error(i.version_span,
                   fmt::format("{} states no version, but version {} or later is required", name,
                               *i.min_version),
                   fmt::format("a library states its version in its first line: library {} "
                               "version \"1.0.0\"",
                               name));
    } else if (have && !version_at_least(*have, *need)) {
      const auto at = lib->file->at(lib->header.begin);
      diags_.error(
          i.version_span,
          fmt::format("{} is version {}, but version {} or later is required", name, lib->version,
                      *i.min_version),
          fmt::format("its version is stated at {}:{}:{}", lib->file->name(), at.line, at.column));
    }
  }
  if (i.alias) {
    bind(i.alias->text, lib, name, i.alias->where);
    return;
  }
  // import a.b: both b.Name and a.b.Name; two libraries' b is ambiguous only where it is used.
  if (i.module->parts.size() > 1) bind(name, lib, name, i.module->where);
  bind(i.module->parts.back(), lib, name, i.module->where, i.module->parts.size() > 1);
}

void checker::bind(const std::string& alias, const library* lib, const std::string& name,
                   span where, bool implicit) {
  for (const module_binding& m : modules_) {
    if (m.alias != alias || (lib && m.lib == lib) || (implicit && m.implicit)) continue;
    const auto at = m.where.file->at(m.where.begin);
    diags_.error(where,
                 fmt::format("'{}' already names library {}, imported at {}:{}", alias, m.name,
                             at.line, at.column),
                 fmt::format("import {} as another name: import {} as other_name", name, name));
    return;
  }
  modules_.push_back({alias, lib, name, where, implicit});
}

void checker::from_import(const ast::from_import_stmt& f) {
  const library* lib = loader_.import_module(f.module, base_dir_, diags_);
  for (const ast::identifier& n : f.names) {
    const auto local = std::find_if(names_.begin(), names_.end(),
                                    [&](const auto& entry) { return entry.first == n.text; });
    if (local != names_.end()) {
      const auto at = local->second.where.file->at(local->second.where.begin);
      diags_.error(n.where,
                   fmt::format("'{}' is already declared at {}:{}", n.text, at.line, at.column),
                   fmt::format("import {} and write {}.{} instead", f.module.text(),
                               f.module.parts.back(), n.text));
      continue;
    }
    if (lib && lib->ok &&
        std::none_of(lib->names.begin(), lib->names.end(),
                     [&](const auto& entry) { return entry.first == n.text; })) {
      std::vector<std::string> names;
      for (const auto& entry : lib->names) names.push_back(entry.first);
      const std::string near = closest(n.text, names);
      diags_.error(n.where, fmt::format("{} declares no '{}'", lib->name, n.text),
                   near.empty() ? fmt::format("it declares: {}", fmt::join(names, ", "))
                                : fmt::format("did you mean '{}'?", near));
      continue;
    }
    from_names_.push_back({n.text, lib, n.where});
  }
}

// Copies a library's declaration into this model the first time it is used here.
std::optional<checker::declared> checker::imported(const library& lib, const std::string& name,
                                                   declared::kind what, const char* noun,
                                                   span where) {
  const auto it = std::find_if(lib.names.begin(), lib.names.end(),
                               [&](const auto& entry) { return entry.first == name; });
  if (it == lib.names.end()) {
    if (!lib.ok) return std::nullopt;  // its error is reported already
    std::vector<std::string> candidates;
    for (const auto& [n, d] : lib.names)
      if (d.what == what) candidates.push_back(n);
    const std::string near = closest(name, candidates);
    diags_.error(where, fmt::format("{} declares no {} '{}'", lib.name, noun, name),
                 near.empty() ? std::string() : fmt::format("did you mean '{}'?", near));
    return std::nullopt;
  }
  const declared& d = it->second;
  if (d.what != what) {
    diags_.error(where, fmt::format("'{}' is {}, not a {}", lib.name + "." + name,
                                    kind_noun(static_cast<int>(d.what)), noun));
    return std::nullopt;
  }
  const auto key = std::make_tuple(&lib, d.what, d.index);
  if (const auto c = copied_.find(key); c != copied_.end())
    return declared{what, c->second, d.where};
  std::uint32_t index = 0;
  if (what == declared::kind::receptor) {
    index = static_cast<std::uint32_t>(model_.receptors.size());
    model_.receptors.push_back(lib.decls.receptors[d.index]);
  } else {
    index = static_cast<std::uint32_t>(model_.neuron_types.size());
    model_.neuron_types.push_back(lib.decls.neuron_types[d.index]);
  }
  copied_.emplace(key, index);
  return declared{what, index, d.where};
}

// ---- values ---------------------------------------------------------------------------------

std::optional<double> checker::quantity(const ast::value& v, dimension expected, const char* what) {
  const auto* q = std::get_if<ast::quantity>(&v.v);
  if (!q) {
    diags_.error(v.where,
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
    diags_.error(v.where,
                 fmt::format("{} needs a unit of {}: {}", what, dimension_name(expected),
                             units_of(expected)),
                 fmt::format("write it as {} {}", q->text,
                             units_of(expected).substr(0, units_of(expected).find(','))));
    return std::nullopt;
  }
  const unit_def* u = find_unit(q->unit);
  if (!u) {
    std::vector<std::string> names;
    for (const unit_def& d : unit_table()) names.emplace_back(d.name);
    const std::string near = closest(q->unit, names);
    diags_.error(q->unit_span, fmt::format("unknown unit '{}'", q->unit),
                 near.empty() ? fmt::format("the units are: {}", fmt::join(names, ", "))
                              : fmt::format("did you mean '{}'?", near));
    return std::nullopt;
  }
  if (u->dim != expected) {
    diags_.error(q->unit_span, fmt::format("{} must be a {} ({}), but {} is a unit of {}", what,
                                           dimension_name(expected),
                                           expected == dims::none ? "no unit" : units_of(expected),
                                           q->unit, dimension_name(u->dim)));
    return std::nullopt;
  }
  const double value = q->number * u->scale;
  if (!std::isfinite(value)) {
    diags_.error(v.where, fmt::format("{} is out of range", what));
    return std::nullopt;
  }
  return value;
}

std::optional<double> checker::plain_number(const ast::value& v, const char* what) {
  return quantity(v, dims::none, what);
}

std::optional<std::uint64_t> checker::whole_number(const ast::value& v, const char* what,
                                                   std::uint64_t least) {
  const auto n = plain_number(v, what);
  if (!n) return std::nullopt;
  if (*n < static_cast<double>(least) || *n != std::floor(*n) || *n > 4294967295.0) {
    diags_.error(v.where,
                 fmt::format("{} must be a whole number from {} to 4294967295", what, least));
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(*n);
}

std::optional<distribution> checker::dist(const ast::value& v, dimension expected,
                                          const char* what) {
  const auto* c = std::get_if<ast::call>(&v.v);
  if (!c) {
    const auto x = quantity(v, expected, what);
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
    diags_.error(c->function_span, fmt::format("unknown distribution '{}'", c->function),
                 "the distributions are uniform(low, high), normal(mean, sd), exponential(mean)");
    return std::nullopt;
  }
  if (c->args.size() != sig->args) {
    diags_.error(v.where, fmt::format("{} takes {} argument{}: {}", sig->name, sig->args,
                                      sig->args == 1 ? "" : "s", sig->usage));
    return std::nullopt;
  }
  distribution d{sig->shape, 0.0, 0.0, v.where};
  const auto a = quantity(c->args[0], expected, what);
  const auto b = sig->args > 1 ? quantity(c->args[1], expected, what) : std::optional<double>(0.0);
  if (!a || !b) return std::nullopt;
  d.a = *a;
  d.b = *b;
  if (d.shape == distribution::kind::uniform && !(d.a < d.b)) {
    diags_.error(v.where, "uniform(low, high) needs low below high");
    return std::nullopt;
  }
  if (d.shape == distribution::kind::normal && d.b == 0) {
    d.shape = distribution::kind::constant;  // then the checks of a constant apply
  } else if (d.shape == distribution::kind::normal && d.b < 0) {
    diags_.error(c->args[1].where, "the standard deviation of normal(mean, sd) cannot be negative");
    return std::nullopt;
  }
  if (d.shape == distribution::kind::exponential && !(d.a > 0)) {
    diags_.error(c->args[0].where, "the mean of exponential(mean) must be positive");
    return std::nullopt;
  }
  return d;
}

std::optional<std::string> checker::word(const ast::value& v, const char* what,
                                         const std::vector<std::string>& allowed) {
  const auto* w = std::get_if<ast::word>(&v.v);
  const std::string choices = fmt::format("{}", fmt::join(allowed, ", "));
  if (!w) {
    diags_.error(v.where, fmt::format("{} must be a word{}", what,
                                      allowed.empty() ? "" : fmt::format(": {}", choices)));
    return std::nullopt;
  }
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), w->text) == allowed.end()) {
    const std::string near = closest(w->text, allowed);
    diags_.error(v.where, fmt::format("{} must be one of: {}", what, choices),
                 near.empty() ? "" : fmt::format("did you mean '{}'?", near));
    return std::nullopt;
  }
  return w->text;
}

// ---- names ----------------------------------------------------------------------------------

bool checker::declare(const ast::identifier& name, declared::kind what, std::uint32_t index) {
  for (const auto& [n, d] : names_) {
    if (n != name.text) continue;
    const auto at = d.where.file->at(d.where.begin);
    diags_.error(name.where, fmt::format("'{}' is already declared", name.text),
                 fmt::format("{} named '{}' is declared at {}:{}",
                             kind_noun(static_cast<int>(d.what)), name.text, at.line, at.column));
    return false;
  }
  for (const imported_name& i : from_names_) {
    if (i.name != name.text) continue;
    const auto at = i.where.file->at(i.where.begin);
    diags_.error(name.where,
                 fmt::format("'{}' is already imported from {} at {}:{}", name.text,
                             i.lib ? i.lib->name : "a library", at.line, at.column),
                 "give this declaration another name");
    return false;
  }
  names_.push_back({name.text, {what, index, name.where}});
  return true;
}

namespace {

bool is_a(declaration::kind have, declaration::kind want) {
  return have == want ||
         (want == declaration::kind::population && have == declaration::kind::train);
}

}  // namespace

std::optional<checker::declared> checker::lookup(const ast::qualified_name& name,
                                                 declared::kind what, const char* noun) {
  if (name.parts.size() > 1) return lookup_qualified(name, what, noun);
  const std::string& text = name.parts.front();
  for (const auto& [n, d] : names_) {
    if (n != text) continue;
    if (is_a(d.what, what)) return d;
    diags_.error(name.where, fmt::format("'{}' is {}, not a {}", text,
                                         kind_noun(static_cast<int>(d.what)), noun));
    return std::nullopt;
  }
  std::vector<const imported_name*> found;
  for (const imported_name& i : from_names_)
    if (i.name == text) found.push_back(&i);
  if (!found.empty()) {
    for (const imported_name* i : found)
      if (!i->lib) return std::nullopt;  // the import failed and said so
    std::vector<const library*> libs;
    std::vector<std::string> sources;
    for (const imported_name* i : found) {
      if (std::find(libs.begin(), libs.end(), i->lib) != libs.end()) continue;
      libs.push_back(i->lib);
      const auto at = i->where.file->at(i->where.begin);
      sources.push_back(fmt::format("{} (imported at {}:{})", i->lib->name, at.line, at.column));
    }
    if (sources.size() > 1) {
      diags_.error(name.where,
                   fmt::format("'{}' is ambiguous: it comes from {}", text,
                               fmt::join(sources, " and from ")),
                   fmt::format("import the libraries instead and qualify the name, as in {}.{}",
                               found.front()->lib->name, text));
      return std::nullopt;
    }
    return imported(*found.front()->lib, text, what, noun, name.where);
  }
  if (std::find(unresolved_.begin(), unresolved_.end(), text) != unresolved_.end())
    return std::nullopt;  // its declaration failed and said why
  const auto declares = [&](const library* lib, const std::string& n) {
    return lib && std::any_of(lib->names.begin(), lib->names.end(), [&](const auto& entry) {
             return entry.first == n && is_a(entry.second.what, what);
           });
  };
  // The name of an imported library without its qualifier: the shortest qualified name.
  const module_binding* qualifier = nullptr;
  for (const module_binding& m : modules_)
    if (declares(m.lib, text) && (!qualifier || m.alias.size() < qualifier->alias.size()))
      qualifier = &m;
  std::string near;
  if (qualifier) {
    near = qualifier->alias + "." + text;
  } else {
    std::vector<std::string> candidates;
    for (const auto& [n, d] : names_)
      if (is_a(d.what, what)) candidates.push_back(n);
    for (const imported_name& i : from_names_)
      if (declares(i.lib, i.name)) candidates.push_back(i.name);
    near = closest(text, candidates);
  }
  diags_.error(name.where, fmt::format("unknown {} '{}'", noun, text),
               near.empty() ? std::string() : fmt::format("did you mean '{}'?", near));
  return std::nullopt;
}

// a.Name, b.c.Name: a library bound by an import, then a name it declares.
std::optional<checker::declared> checker::lookup_qualified(const ast::qualified_name& name,
                                                           declared::kind what, const char* noun) {
  const std::string alias =
      name.text().substr(0, name.text().size() - name.parts.back().size() - 1);
  std::vector<const module_binding*> bound;
  for (const module_binding& m : modules_)
    if (m.alias == alias && (bound.empty() || m.lib != bound.front()->lib)) bound.push_back(&m);
  if (bound.size() > 1) {
    std::vector<std::string> names;
    for (const module_binding* m : bound) {
      const auto at = m->where.file->at(m->where.begin);
      names.push_back(fmt::format("{} (imported at {}:{})", m->name, at.line, at.column));
    }
    diags_.error(
        name.where, fmt::format("'{}' is ambiguous: it names {}", alias, fmt::join(names, " and ")),
        fmt::format("write the full name, as in {}.{}", bound.front()->name, name.parts.back()));
    return std::nullopt;
  }
  if (!bound.empty()) {
    if (!bound.front()->lib) return std::nullopt;  // the import failed and said so
    return imported(*bound.front()->lib, name.parts.back(), what, noun, name.where);
  }
  std::vector<std::string> aliases;
  for (const module_binding& m : modules_) aliases.push_back(m.alias);
  const std::string near = closest(alias, aliases);
  diags_.error(name.where, fmt::format("no library is imported as '{}'", alias),
               !near.empty() ? fmt::format("did you mean '{}'?", near)
               : aliases.empty()
                   ? fmt::format("import it first: import {}", alias)
                   : fmt::format("the imported libraries are: {}", fmt::join(aliases, ", ")));
  return std::nullopt;
}

std::vector<std::string> checker::usable_names() const {
  std::vector<std::string> names;
  for (const auto& entry : names_) names.push_back(entry.first);
  for (const imported_name& n : from_names_)
    if (n.lib) names.push_back(n.name);
  for (const module_binding& m : modules_)
    if (m.lib)
      for (const auto& entry : m.lib->names) names.push_back(m.alias + "." + entry.first);
  return names;
}

std::optional<checker::declared> checker::resolve(std::string_view name) {
  ast::qualified_name q;
  for (std::size_t start = 0; start <= name.size();) {
    const std::size_t end = std::min(name.find('.', start), name.size());
    q.parts.emplace_back(name.substr(start, end - start));
    start = end + 1;
  }
  for (const declared::kind k : {declared::kind::receptor, declared::kind::neuron})
    if (const auto d = lookup(q, k, "")) return d;
  return std::nullopt;
}

std::optional<element_range> checker::elements(const ast::selector& s, bool neurons_only) {
  const auto d = lookup(s.name, declared::kind::population, "population or train");
  if (!d) return std::nullopt;
  const group& g = model_.groups[d->index];
  if (neurons_only && g.is_train) {
    diags_.error(s.name.where, fmt::format("'{}' is a train of spike sources, not neurons", g.name),
                 "only neurons receive synapses and have a membrane potential");
    return std::nullopt;
  }
  element_range r{d->index, 0, g.size - 1, s.where};
  if (s.first) {
    if (*s.first > *s.last) {
      diags_.error(s.index_span,
                   fmt::format("the slice [{}..{}] runs backwards", *s.first, *s.last),
                   fmt::format("a slice goes from its first index up: {}[{}..{}]", g.name, *s.last,
                               *s.first));
      return std::nullopt;
    }
    if (*s.last >= g.size) {
      diags_.error(s.index_span,
                   fmt::format("{} has {} element{} ({}[0..{}]); [{}] is out of range", g.name,
                               g.size, g.size == 1 ? "" : "s", g.name, g.size - 1,
                               *s.first == *s.last ? fmt::format("{}", *s.first)
                                                   : fmt::format("{}..{}", *s.first, *s.last)));
      return std::nullopt;
    }
    r.first = static_cast<std::uint32_t>(*s.first);
    r.last = static_cast<std::uint32_t>(*s.last);
  }
  return r;
}

// ---- declarations ---------------------------------------------------------------------------

void checker::receptor(const ast::receptor_decl& d) {
  receptor_info r;
  r.name = library_name_.empty() ? d.name.text : library_name_ + "." + d.name.text;
  r.doc = d.doc;
  r.where = d.name.where;
  bool ok = true;
  bool rise_set = false, decay_set = false;
  std::optional<span> rise_at;
  for (const ast::property& p : d.properties) {
    const receptor_property* f = find_receptor_property(p.name);
    if (!f) {
      unknown_property(p, "receptor", receptor_properties());
      ok = false;
      continue;
    }
    const auto v = receptor_value(p, *f);
    ok &= v.has_value();
    if (!v) continue;
    if (p.name == "rise") {
      rise_set = true;
      rise_at = p.val.where;
    }
    if (p.name == "decay") decay_set = true;
    f->set(r, *v);
  }
  if (!ok) return;
  if (r.params.kind == kinetics::jump) {
    if (rise_set || decay_set) {
      diags_.error(
          d.name.where,
          fmt::format("receptor {} has jump kinetics, which take no rise or decay", r.name),
          "a jump receptor's PSP decays with the neuron's tau_m");
      return;
    }
  } else {
    if (!decay_set) {
      diags_.error(d.name.where, fmt::format("receptor {} needs a decay time", r.name),
                   "add decay = 2 ms, or kinetics = jump for an instantaneous jump of V");
      return;
    }
    if (r.params.rise > r.params.decay) {
      diags_.error(
          *rise_at,
          fmt::format("rise ({} ms) must not exceed decay ({} ms)", r.params.rise, r.params.decay),
          "rise == decay gives the alpha function");
      return;
    }
  }
  if (!r.params.reversal && r.params.sign == effect::from_reversal) {
    diags_.error(
        d.name.where,
        fmt::format("receptor {} states neither a reversal potential nor an effect", r.name),
        "add reversal = 0 mV (the sign then depends on each neuron's rest) or effect = "
        "excitatory / inhibitory");
    return;
  }
  if (!declare(d.name, declared::kind::receptor,
               static_cast<std::uint32_t>(model_.receptors.size())))
    return;
  model_.receptors.push_back(std::move(r));
}

template <typename Property>
void checker::unknown_property(const ast::property& p, const char* noun,
                               std::span<const Property> table) {
  std::vector<std::string> names;
  for (const Property& x : table) names.emplace_back(x.name);
  const std::string near = closest(p.name, names);
  diags_.error(p.name_span, fmt::format("unknown {} property '{}'", noun, p.name),
               near.empty() ? fmt::format("the properties are: {}", fmt::join(names, ", "))
                            : fmt::format("did you mean '{}'?", near));
}

std::optional<property_value> checker::receptor_value(const ast::property& p,
                                                      const receptor_property& f) {
  switch (f.of) {
    case receptor_property::kind::word:
      return word(p.val, f.name, f.choices);
    case receptor_property::kind::words: {
      const auto* l = std::get_if<ast::list>(&p.val.v);
      if (!l) {
        diags_.error(p.val.where, fmt::format("{} must be a list, as in [Na+, K+]", f.name));
        return std::nullopt;
      }
      std::vector<std::string> words;
      bool ok = true;
      for (const ast::value& item : l->items) {
        const auto w = word(item, f.item, {});
        ok &= w.has_value();
        if (w) words.push_back(*w);
      }
      if (!ok) return std::nullopt;
      return words;
    }
    case receptor_property::kind::number:
      break;
  }
  const auto v = quantity(p.val, f.dim, f.name);
  if (!v) return std::nullopt;
  if (const std::string e = bound_error(f.rule, f.name, *v); !e.empty()) {
    diags_.error(p.val.where, e);
    return std::nullopt;
  }
  return *v;
}

bool checker::apply_neuron_property(const ast::property& p, neuron_params& n,
                                    std::optional<distribution>& v0) {
  const neuron_property* f = find_neuron_property(p.name);
  if (!f) {
    unknown_property(p, "neuron", neuron_properties());
    return false;
  }
  if (f->drawn) {
    const auto d = dist(p.val, f->dim, f->name);
    if (!d) return false;
    if (d->shape == distribution::kind::constant) {
      f->set(n, d->a);
      v0.reset();
    } else {
      v0 = d;
    }
    return true;
  }
  const auto v = quantity(p.val, f->dim, f->name);
  if (!v) return false;
  if (const std::string e = bound_error(f->rule, f->name, *v); !e.empty()) {
    diags_.error(p.val.where, e);
    return false;
  }
  f->set(n, *v);
  return true;
}

bool checker::valid_neuron(const neuron_params& n, span where, const std::string& what,
                           const std::vector<ast::property>& properties) {
  // Point at the property that broke a rule when this declaration sets it.
  const auto at = [&](std::initializer_list<const char*> names) {
    for (const char* name : names)
      for (const ast::property& p : properties)
        if (p.name == name) return span_of(p);
    return where;
  };
  std::vector<std::string> missing;
  for (const neuron_property& p : neuron_properties())
    if (p.required() && !p.stated(n, std::nullopt)) missing.push_back(p.name);
  if (!missing.empty()) {
    diags_.error(where, fmt::format("{} needs {}", what, fmt::join(missing, ", ")),
                 "for example: rest = -70 mV; threshold = -55 mV; tau_m = 10 ms");
    return false;
  }
  const double reset = n.reset.value_or(n.rest);
  if (!(reset < n.threshold)) {
    diags_.error(at({"reset", "threshold", "rest"}),
                 fmt::format("{}: reset ({} mV{}) must be below threshold ({} mV)", what, reset,
                             n.reset ? "" : ", the default: rest", n.threshold));
    return false;
  }
  if (n.bias != 0.0 && !n.capacitance) {
    diags_.error(at({"bias"}), fmt::format("{}: a bias current needs the capacitance", what),
                 "add capacitance = 250 pF");
    return false;
  }
  return true;
}

void checker::neuron(const ast::neuron_decl& d) {
  neuron_type t;
  t.name = library_name_.empty() ? d.name.text : library_name_ + "." + d.name.text;
  t.doc = d.doc;
  t.where = d.name.where;
  if (d.base) {
    const auto b = lookup(*d.base, declared::kind::neuron, "neuron type");
    if (!b) return;
    const neuron_type& base = model_.neuron_types[b->index];
    t.base = base.name;
    t.params = base.params;
    t.v0 = base.v0;
  }
  bool ok = true;
  for (const ast::property& p : d.properties) ok &= apply_neuron_property(p, t.params, t.v0);
  if (!ok ||
      !valid_neuron(t.params, d.name.where, fmt::format("neuron type {}", t.name), d.properties))
    return;
  if (!declare(d.name, declared::kind::neuron,
               static_cast<std::uint32_t>(model_.neuron_types.size())))
    return;
  model_.neuron_types.push_back(std::move(t));
}

void checker::population(const ast::population_decl& d) {
  group g;
  g.name = d.name.text;
  g.where = d.name.where;
  if (d.count) {
    const auto n = whole_number(*d.count, "a population's size", 1);
    if (!n) return;
    g.size = static_cast<std::uint32_t>(*n);
  }
  const auto t = lookup(d.model, declared::kind::neuron, "neuron type");
  if (!t) return;
  const neuron_type& type = model_.neuron_types[t->index];
  g.type = type.name;
  g.params = type.params;
  g.v0 = type.v0;
  bool ok = true;
  for (const ast::property& p : d.overrides) ok &= apply_neuron_property(p, g.params, g.v0);
  if (!ok) return;
  if (!d.overrides.empty() && !valid_neuron(g.params, span_of(d.overrides.front()),
                                            fmt::format("population {}", g.name), d.overrides))
    return;
  if (!declare(d.name, declared::kind::population,
               static_cast<std::uint32_t>(model_.groups.size())))
    return;
  g.since = model_.now();
  model_.groups.push_back(std::move(g));
}

void checker::train(const ast::train_decl& d) {
  group g;
  g.name = d.name.text;
  g.where = d.name.where;
  g.is_train = true;
  if (d.count) {
    const auto n = whole_number(*d.count, "the number of sources", 1);
    if (!n) return;
    g.size = static_cast<std::uint32_t>(*n);
  }
  switch (d.kind) {
    case ast::train_kind::times: {
      g.train = group::train_kind::times;
      const auto* l = std::get_if<ast::list>(&d.times->v);
      if (!l) return;
      for (const ast::value& item : l->items) {
        const auto t = quantity(item, dims::time, "a spike time");
        if (!t) return;
        if (*t < 0) {
          diags_.error(item.where, "spike times cannot be negative");
          return;
        }
        g.times.push_back(*t);
      }
      break;
    }
    case ast::train_kind::regular:
    case ast::train_kind::poisson: {
      const bool regular = d.kind == ast::train_kind::regular;
      g.train = regular ? group::train_kind::regular : group::train_kind::poisson;
      const auto rate = quantity(*d.rate, dims::rate, "a rate");
      if (!rate) return;
      if (regular ? !(*rate > 0) : *rate < 0) {
        diags_.error(d.rate->where, regular ? "a regular train's rate must be positive"
                                            : "a rate cannot be negative");
        return;
      }
      g.rate = *rate;
      if (d.start) {
        const auto a = quantity(*d.start, dims::time, "the start time");
        const auto b = quantity(*d.stop, dims::time, "the stop time");
        if (!a || !b) return;
        if (*a < 0) {
          diags_.error(d.start->where, "the start time cannot be negative");
          return;
        }
        if (!(*b > *a)) {
          diags_.error(d.stop->where, "the stop time must be after the start time");
          return;
        }
        g.start = *a;
        g.stop = *b;
      }
      break;
    }
    case ast::train_kind::file:
      if (d.count) {
        diags_.error(d.count->where, "a replayed train has one source per recorded neuron",
                     "remove the count: the file decides how many sources there are");
        return;
      }
      g.train = group::train_kind::file;
      g.path = (base_dir_ / d.path).string();
      if (!read_replay(g, d.path_span)) return;
      break;
  }
  if (!declare(d.name, declared::kind::train, static_cast<std::uint32_t>(model_.groups.size())))
    return;
  g.since = model_.now();
  model_.groups.push_back(std::move(g));
}

bool checker::read_replay(group& g, span where) {
  auto result = read_spikes_csv(g.path);
  if (const auto* e = std::get_if<csv_error>(&result)) {
    diags_.error(where,
                 e->line ? fmt::format("{}:{}:{}: {}", g.path, e->line, e->column, e->message)
                         : fmt::format("cannot read spikes from '{}': {}", g.path, e->message),
                 "a replay file has the format `record spikes` writes: time_ms,population,index");
    return false;
  }
  replay& r = std::get<replay>(result);
  if (r.sources.empty()) {
    diags_.error(where, fmt::format("'{}' holds no spikes", g.path));
    return false;
  }
  g.size = static_cast<std::uint32_t>(r.sources.size());
  g.replay = std::move(r.sources);
  return true;
}

// ---- statements -----------------------------------------------------------------------------

std::optional<distribution> checker::weight(const ast::value& v, const receptor_info& rec,
                                            weight_unit& unit) {
  // The unit of the first number decides what the weight means (mV, pA or nS).
  const ast::value* first = &v;
  if (const auto* c = std::get_if<ast::call>(&v.v); c && !c->args.empty()) first = &c->args[0];
  dimension d = dims::voltage;
  if (const auto* q = std::get_if<ast::quantity>(&first->v); q && !std::isnan(q->number)) {
    const unit_def* u = find_unit(q->unit);
    if (u && (u->dim == dims::current || u->dim == dims::conductance)) d = u->dim;
    // Else quantity() below would name voltage alone, though the weights of all but jump
    // receptors may be currents and conductances too.
    const bool jump = rec.params.kind == kinetics::jump;
    const auto units = [](dimension dim) {
      return fmt::format("a {} ({})", dimension_name(dim), units_of(dim));
    };
    const std::string all = fmt::format("{}, {} or {}", units(dims::voltage), units(dims::current),
                                        units(dims::conductance));
    if (u && d == dims::voltage && u->dim != dims::voltage) {
      diags_.error(
          q->unit_span,
          jump ? fmt::format("receptor {} has jump kinetics, whose weights are "
                             "voltages ({}), but {} is a unit of {}",
                             rec.name, units_of(dims::voltage), q->unit, dimension_name(u->dim))
               : fmt::format("a weight must be {}, but {} is a unit of {}", all, q->unit,
                             dimension_name(u->dim)));
      return std::nullopt;
    }
    if (q->unit.empty() && !jump) {
      diags_.error(first->where, fmt::format("a weight needs a unit: {}", all),
                   fmt::format("write it as {} mV", q->text));
      return std::nullopt;
    }
  }
  unit = d == dims::current       ? weight_unit::pA
         : d == dims::conductance ? weight_unit::nS
                                  : weight_unit::mV;
  const auto w = dist(v, d, "a weight");
  if (!w) return std::nullopt;
  // One rule for every shape, as for delays: the constant, a uniform's low end or a normal's
  // mean must be a valid weight; a normal's draws below 0 are then drawn again.
  if (w->a < 0) {
    if (w->shape == distribution::kind::normal)
      diags_.error(std::get<ast::call>(v.v).args[0].where,
                   "the mean of a weight's normal(mean, sd) cannot be negative",
                   "weights are magnitudes: draws below 0 are drawn again, so the mean must be "
                   "a weight");
    else
      diags_.error(v.where, "weights are magnitudes and cannot be negative",
                   "the receptor decides the sign: connect via an inhibitory receptor");
    return std::nullopt;
  }
  return w;
}

void checker::connect(const ast::connect_stmt& c, span where) {
  connection_info info;
  info.where = where;
  const auto pre = elements(c.pre, false);
  const auto post = elements(c.post, true);
  const auto r = lookup(c.receptor, declared::kind::receptor, "receptor");
  span keyword{where.file, where.begin, where.begin + 7};
  if (!c.weight) diags_.error(keyword, "a connection needs a weight", "add: weight 1 mV");
  if (!c.delay) diags_.error(keyword, "a connection needs a delay", "add: delay 1 ms");
  if (!pre || !post || !r || !c.weight || !c.delay) return;
  info.pre = *pre;
  info.post = *post;
  info.receptor = r->index;
  const receptor_info& rec = model_.receptors[r->index];
  const group& target = model_.groups[post->group];

  const auto w = weight(*c.weight, rec, info.unit);
  if (!w) return;
  info.weight = *w;
  if (info.unit != weight_unit::mV && rec.params.kind == kinetics::jump) {
    diags_.error(c.weight->where,
                 fmt::format("receptor {} has jump kinetics, whose weights are in mV", rec.name),
                 "a jump's weight is the size of the jump of V");
    return;
  }
  if (info.unit != weight_unit::mV && !target.params.capacitance) {
    diags_.error(
        c.weight->where,
        fmt::format("a weight in {} needs the capacitance of the target neurons ({})",
                    info.unit == weight_unit::pA ? "pA" : "nS", target.type),
        fmt::format("add capacitance = 250 pF to neuron {} or give the weight in mV", target.type));
    return;
  }
  if (info.unit == weight_unit::nS && !rec.params.reversal) {
    diags_.error(
        c.weight->where,
        fmt::format("a weight in nS needs the reversal potential of receptor {}", rec.name));
    return;
  }
  const auto delay = dist(*c.delay, dims::time, "a delay");
  if (!delay) return;
  // The rule of weights: the constant, a uniform's low end or a normal's mean must be a valid
  // delay; a normal's draws at or below 0 are then drawn again.
  if (!(delay->a > 0)) {
    if (delay->shape == distribution::kind::normal)
      diags_.error(std::get<ast::call>(c.delay->v).args[0].where,
                   "the mean of a delay's normal(mean, sd) must be positive",
                   "draws at or below 0 ms are drawn again, so the mean must be a delay");
    else
      diags_.error(c.delay->where, "delays must be positive",
                   "a spike cannot arrive at the instant it is sent");
    return;
  }
  info.delay = *delay;
  if (c.distance) {
    const auto x = quantity(*c.distance, dims::length, "a dendritic distance");
    if (!x) return;
    if (*x < 0) {
      diags_.error(c.distance->where, "a dendritic distance cannot be negative");
      return;
    }
    info.distance = *x;
    if (*x > 0 && !std::isfinite(target.params.length_constant)) {
      const std::string_view text = c.distance->where.file->text();
      diags_.warning(
          c.distance->where,
          fmt::format(
              "'at {}' has no effect: neuron type {} has no length_constant",
              text.substr(c.distance->where.begin, c.distance->where.end - c.distance->where.begin),
              target.type),
          fmt::format("give {} a length_constant (as in length_constant = 300 um) to attenuate "
                      "synapses by their distance",
                      target.type));
    }
  }
  info.rule = static_cast<connection_rule>(c.rule);
  info.autapses = !c.without_autapses;
  // Some neuron is on both sides, so `without autapses` withholds one partner from it.
  const bool self_excluded = !info.autapses && pre->group == post->group &&
                             pre->first <= post->last && post->first <= pre->last;
  if (c.rule == ast::rule_kind::probability) {
    const auto p = plain_number(*c.rule_value, "a probability");
    if (!p) return;
    if (!(*p >= 0 && *p <= 1)) {
      diags_.error(c.rule_value->where,
                   fmt::format("a probability must be between 0 and 1, not {}", *p));
      return;
    }
    info.probability = *p;
  } else if (c.rule == ast::rule_kind::indegree || c.rule == ast::rule_kind::outdegree) {
    const bool in = c.rule == ast::rule_kind::indegree;
    const auto k = whole_number(*c.rule_value, in ? "an indegree" : "an outdegree", 0);
    if (!k) return;
    const std::uint32_t available = (in ? pre->size() : post->size()) - (self_excluded ? 1 : 0);
    if (*k > available) {
      diags_.error(c.rule_value->where,
                   fmt::format("{} {} is more than the {} {} neurons or sources{}",
                               in ? "indegree" : "outdegree", *k, available,
                               in ? "presynaptic" : "postsynaptic",
                               self_excluded ? " other than the neuron itself" : ""),
                   "each neuron connects to distinct partners");
      return;
    }
    info.degree = static_cast<std::uint32_t>(*k);
  } else if (c.rule == ast::rule_kind::one_to_one && pre->size() != post->size()) {
    diags_.error(c.rule_span,
                 fmt::format("one_to_one needs as many sources as targets, not {} and {}",
                             pre->size(), post->size()));
    return;
  } else if (c.rule == ast::rule_kind::one_to_one && self_excluded && pre->first == post->first) {
    diags_.error(*c.without_autapses,
                 "one_to_one from these neurons onto themselves connects each only to itself, "
                 "which 'without autapses' refuses",
                 "to connect each neuron to the next, shift one side: p[0..8] -> p[1..9]");
    return;
  }
  if (rec.params.sign == effect::from_reversal && *rec.params.reversal == target.params.rest)
    diags_.warning(c.receptor.where,
                   fmt::format("receptor {} reverses at the rest potential of {} ({} mV): these "
                               "synapses have no effect (shunting)",
                               rec.name, target.name, target.params.rest));
  info.since = model_.now();
  model_.connections.push_back(std::move(info));
}

void checker::record(const ast::record_stmt& r) {
  std::vector<element_range> targets;
  for (const ast::selector& s : r.targets) {
    const auto e = elements(s, r.voltage);
    if (!e) return;
    targets.push_back(*e);
  }
  if (!r.voltage) {
    if (targets.empty()) model_.spike_records.push_back({std::nullopt, model_.now()});
    for (const element_range& t : targets) model_.spike_records.push_back({t, model_.now()});
    return;
  }
  const auto interval = quantity(*r.interval, dims::time, "the sampling interval");
  if (!interval) return;
  if (!(*interval > 0)) {
    diags_.error(r.interval->where, "the sampling interval must be positive");
    return;
  }
  model_.v_records.push_back({std::move(targets), *interval, r.interval->where, model_.now()});
}

void checker::run(const ast::run_stmt& r) {
  const auto d = quantity(r.duration, dims::time, "a run's duration");
  if (!d) return;
  if (!(*d > 0)) {
    diags_.error(r.duration.where, "a run's duration must be positive");
    return;
  }
  const auto& q = std::get<ast::quantity>(r.duration.v);
  model_.run_total += std::strtold(q.text.c_str(), nullptr) * find_unit(q.unit)->scale;
  model_.run_ends.push_back(static_cast<double>(model_.run_total));
  model_.run_spans.push_back(r.duration.where);
}

void checker::assign(const ast::assign_stmt& a) {
  if (a.name.text != "seed") {
    diags_.error(a.name.where, fmt::format("unknown setting '{}'", a.name.text),
                 "the settings are: seed");
    return;
  }
  if (model_.seed_set) {
    const auto first = seed_at_.file->at(seed_at_.begin);
    diags_.error(a.name.where, "the seed is set twice",
                 fmt::format("it was first set at {}:{}", first.line, first.column));
    return;
  }
  if (!plain_number(a.val, "the seed")) return;
  // Parsed from the text: a double would round seeds above 2^53.
  const std::string& text = std::get<ast::quantity>(a.val.v).text;
  std::uint64_t seed = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), seed);
  if (ec != std::errc() || end != text.data() + text.size()) {
    diags_.error(a.val.where, "the seed must be a whole number from 0 to 2^64 - 1");
    return;
  }
  model_.seed = seed;
  model_.seed_set = true;
  seed_at_ = a.name.where;
}

}  // namespace syn::dsl
