// The checker's names: what a file declares, imports (modules, aliases, from-imports) and the
// lookup of a name through them, with a library's declarations copied in when first used.
#include <fmt/format.h>

#include <algorithm>

#include "diagnostics/did_you_mean.hpp"
#include "semantics/checker.hpp"

namespace syn::dsl {

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
  std::vector<std::uint32_t>& same_alias = modules_by_alias_[alias];
  bool already = false;
  for (const std::uint32_t i : same_alias) {
    const module_binding& m = modules_[i];
    already |= lib && m.lib == lib;
    if ((lib && m.lib == lib) || (implicit && m.implicit)) continue;
    const auto at = m.where.file->at(m.where.begin);
    diags_.error(where,
                 fmt::format("'{}' already names library {}, imported at {}:{}", alias, m.name,
                             at.line, at.column),
                 fmt::format("import {} as another name: import {} as other_name", name, name));
    return;
  }
  if (already) return;  // messages name where it was first bound
  same_alias.push_back(static_cast<std::uint32_t>(modules_.size()));
  modules_.push_back({alias, lib, name, where, implicit});
}

void checker::from_import(const ast::from_import_stmt& f) {
  const library* lib = loader_.import_module(f.module, base_dir_, diags_);
  for (const ast::identifier& n : f.names) {
    if (const declared* local = names_.find(n.text)) {
      const auto at = local->where.file->at(local->where.begin);
      diags_.error(n.where,
                   fmt::format("'{}' is already declared at {}:{}", n.text, at.line, at.column),
                   fmt::format("import {} and write {}.{} instead", f.module.text(),
                               f.module.parts.back(), n.text));
      continue;
    }
    if (lib && lib->ok && !lib->names.find(n.text)) {
      std::vector<std::string> names;
      for (const auto& entry : lib->names) names.push_back(entry.first);
      const std::string near = closest(n.text, names);
      diags_.error(n.where, fmt::format("{} declares no '{}'", lib->name, n.text),
                   near.empty() ? fmt::format("it declares: {}", fmt::join(names, ", "))
                                : fmt::format("did you mean '{}'?", near));
      continue;
    }
    // Imported from this library already: the first import is the one messages name.
    std::vector<std::uint32_t>& same_name = from_by_name_[n.text];
    if (std::any_of(same_name.begin(), same_name.end(),
                    [&](std::uint32_t i) { return from_names_[i].lib == lib; }))
      continue;
    same_name.push_back(static_cast<std::uint32_t>(from_names_.size()));
    from_names_.push_back({n.text, lib, n.where});
  }
}

// Copies a library's declaration into this model the first time it is used here.
std::optional<checker::declared> checker::imported(const library& lib, const std::string& name,
                                                   declared::kind what, const char* noun,
                                                   span where) {
  const declared* found = lib.names.find(name);
  if (!found) {
    if (!lib.ok) return std::nullopt;  // its error is reported already
    const std::string near = closest_known(name, what, &lib);
    diags_.error(where, fmt::format("{} declares no {} '{}'", lib.name, noun, name),
                 near.empty() ? std::string() : fmt::format("did you mean '{}'?", near));
    return std::nullopt;
  }
  const declared& d = *found;
  if (d.what != what) {
    diags_.error(
        where, fmt::format("'{}' is {}, not a {}", lib.name + "." + name, kind_noun(d.what), noun));
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

bool checker::declare(const ast::identifier& name, declared::kind what, std::uint32_t index) {
  if (const declared* d = names_.find(name.text)) {
    const auto at = d->where.file->at(d->where.begin);
    diags_.error(name.where, fmt::format("'{}' is already declared", name.text),
                 fmt::format("{} named '{}' is declared at {}:{}", kind_noun(d->what), name.text,
                             at.line, at.column));
    return false;
  }
  if (const auto imports = from_by_name_.find(name.text); imports != from_by_name_.end()) {
    const imported_name& i = from_names_[imports->second.front()];
    const auto at = i.where.file->at(i.where.begin);
    diags_.error(name.where,
                 fmt::format("'{}' is already imported from {} at {}:{}", name.text,
                             i.lib ? i.lib->name : "a library", at.line, at.column),
                 "give this declaration another name");
    return false;
  }
  names_.add(name.text, {what, index, name.where});
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
  if (const declared* d = names_.find(text)) {
    if (is_a(d->what, what)) return *d;
    diags_.error(name.where, fmt::format("'{}' is {}, not a {}", text, kind_noun(d->what), noun));
    return std::nullopt;
  }
  if (const auto imports = from_by_name_.find(text); imports != from_by_name_.end()) {
    const std::vector<std::uint32_t>& from = imports->second;  // one per library
    for (const std::uint32_t i : from)
      if (!from_names_[i].lib) return std::nullopt;  // the import failed and said so
    const library& first = *from_names_[from.front()].lib;
    if (from.size() > 1) {
      std::vector<std::string> sources;
      for (const std::uint32_t i : from) {
        const imported_name& n = from_names_[i];
        const auto at = n.where.file->at(n.where.begin);
        sources.push_back(fmt::format("{} (imported at {}:{})", n.lib->name, at.line, at.column));
      }
      diags_.error(name.where,
                   fmt::format("'{}' is ambiguous: it comes from {}", text,
                               fmt::join(sources, " and from ")),
                   fmt::format("import the libraries instead and qualify the name, as in {}.{}",
                               first.name, text));
      return std::nullopt;
    }
    return imported(first, text, what, noun, name.where);
  }
  if (unresolved_.contains(text)) return std::nullopt;  // its declaration failed and said why
  const std::string near = closest_known(text, what, nullptr);
  diags_.error(name.where, fmt::format("unknown {} '{}'", noun, text),
               near.empty() ? std::string() : fmt::format("did you mean '{}'?", near));
  return std::nullopt;
}

std::string checker::closest_known(const std::string& text, declared::kind what,
                                   const library* in) {
  const std::size_t known = names_.size() + from_names_.size() + modules_.size();
  if (known != hints_known_) {
    hints_.clear();
    hints_known_ = known;
  }
  const auto [hint, fresh] = hints_.try_emplace(
      fmt::format("{}/{}/{}", static_cast<const void*>(in), static_cast<int>(what), text));
  if (!fresh) return hint->second;
  std::vector<std::string> candidates;
  if (in) {
    for (const auto& [n, d] : in->names)
      if (d.what == what) candidates.push_back(n);
    return hint->second = closest(text, candidates);
  }
  const auto declares = [&](const library* lib, const std::string& n) {
    const declared* d = lib ? lib->names.find(n) : nullptr;
    return d && is_a(d->what, what);
  };
  // The name of an imported library without its qualifier: the shortest qualified name.
  const module_binding* qualifier = nullptr;
  for (const module_binding& m : modules_)
    if (declares(m.lib, text) && (!qualifier || m.alias.size() < qualifier->alias.size()))
      qualifier = &m;
  if (qualifier) return hint->second = qualifier->alias + "." + text;
  for (const auto& [n, d] : names_)
    if (is_a(d.what, what)) candidates.push_back(n);
  for (const imported_name& i : from_names_)
    if (declares(i.lib, i.name)) candidates.push_back(i.name);
  return hint->second = closest(text, candidates);
}

// a.Name, b.c.Name: a library bound by an import, then a name it declares.
std::optional<checker::declared> checker::lookup_qualified(const ast::qualified_name& name,
                                                           declared::kind what, const char* noun) {
  const std::string alias =
      name.text().substr(0, name.text().size() - name.parts.back().size() - 1);
  std::vector<const module_binding*> bound;
  if (const auto same = modules_by_alias_.find(alias); same != modules_by_alias_.end())
    for (const std::uint32_t i : same->second)
      if (bound.empty() || modules_[i].lib != bound.front()->lib) bound.push_back(&modules_[i]);
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

}  // namespace syn::dsl
