#include "tools/doc_page.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "diagnostics/printable_text.hpp"
#include "semantics/ion_environment.hpp"
#include "semantics/language_table.hpp"
#include "semantics/reversal_potential.hpp"
#include "syntax/ast_printer.hpp"

namespace syn::dsl {

namespace {

struct row {
  std::string property;
  std::string value;
  std::string note;  // "", "default" or "from BASE"
};

struct entry {
  std::string heading;  // receptor AMPA, neuron Fast : Pyramidal
  std::string doc;
  std::vector<row> rows;
};

const ast::property* written(const std::vector<ast::property>& properties, const char* name) {
  for (const ast::property& p : properties)
    if (p.name == name) return &p;
  return nullptr;
}

// The reversal a receptor that lists its ions takes on a neuron that states no concentrations.
row computed_reversal_row(const receptor_info& r) {
  const computed_reversal c = *reversal_from_ions(r, ion_environment{});
  return {"reversal", fmt::format("{:.1f} mV", c.mV),
          fmt::format("from its ions on each neuron; with the default concentrations: {}", c.how)};
}

entry receptor_entry(const ast::receptor_decl& d, const receptor_info& r) {
  entry e{fmt::format("receptor {}", d.name.text), d.doc, {}};
  for (const receptor_property* p : receptor_listing()) {
    if (p->current_only && r.params.kind != kinetics::current) continue;
    if (const ast::property* w = written(d.properties, p->name))
      e.rows.push_back({p->name, print(w->val), ""});
    else if (std::string_view(p->name) == "reversal" && reversal_per_neuron(r))
      e.rows.push_back(computed_reversal_row(r));
    else if (*p->default_text)
      e.rows.push_back({p->name, p->default_text, "default"});
  }
  return e;
}

entry neuron_entry(const ast::neuron_decl& d, const neuron_type& t, const std::string& library) {
  // A base in the same library by its own name, others by their library's.
  const std::string base =
      t.base.starts_with(library + ".") ? t.base.substr(library.size() + 1) : t.base;
  entry e{fmt::format("neuron {}{}", d.name.text, base.empty() ? "" : " : " + base), d.doc, {}};
  // A value not written here is the base's when a base set it, else the default. An ion set
  // lists its ions alone; other types their ions where they differ from the defaults.
  for (const neuron_property& p : neuron_properties()) {
    if (t.ion_set) break;
    if (const ast::property* w = written(d.properties, p.name))
      e.rows.push_back({p.name, print(w->val), ""});
    else if (p.stated(t.params, t.v0) && !t.base.empty())
      e.rows.push_back({p.name, p.text(t.params, t.v0), "from " + base});
    else if (!p.required())
      e.rows.push_back({p.name, p.default_text, "default"});
  }
  for (const ion_property& p : ion_properties()) {
    if (const ast::property* w = written(d.properties, p.name))
      e.rows.push_back({p.name, print(w->val), ""});
    else if (p.stated(t.ions))
      e.rows.push_back({p.name, p.text(t.ions), "from " + base});
  }
  return e;
}

std::vector<entry> entries(const library& lib, const std::string& only) {
  std::vector<entry> out;
  for (const ast::statement& s : lib.statements) {
    const auto* r = std::get_if<ast::receptor_decl>(&s.s);
    const auto* n = std::get_if<ast::neuron_decl>(&s.s);
    if (!r && !n) continue;
    const std::string& name = r ? r->name.text : n->name.text;
    if (!only.empty() && name != only) continue;
    // Only declarations that checked are documented; a broken one has been reported.
    const declaration* d = lib.names.find(name);
    if (!d || d->where.begin < s.where.begin || d->where.end > s.where.end) continue;
    out.push_back(r ? receptor_entry(*r, lib.decls.receptors[d->index])
                    : neuron_entry(*n, lib.decls.neuron_types[d->index], lib.name));
  }
  return out;
}

std::string library_doc(const library& lib) {
  if (lib.statements.empty()) return {};
  const auto* h = std::get_if<ast::library_stmt>(&lib.statements.front().s);
  return h ? h->doc : std::string();
}

std::string text_page(const library& lib, const std::vector<entry>& list, bool whole) {
  std::string out;
  if (whole) {
    if (!lib.version.empty())
      out += fmt::format("library {}, version {} ({})\n", lib.name, lib.version, lib.file->name());
    else if (lib.name != lib.file->name())
      out += fmt::format("{} ({})\n", lib.name, lib.file->name());
    else
      out += fmt::format("{}\n", lib.name);
    out += indented(library_doc(lib), "  ");
    if (list.empty()) out += "\n  (no receptors or neuron types)\n";
  }
  for (const entry& e : list) {
    out += fmt::format("\n{}\n", e.heading);
    if (!e.doc.empty()) out += indented(e.doc, "  ") + "\n";
    std::size_t width = 0, value_width = 0;
    for (const row& r : e.rows) {
      width = std::max(width, r.property.size());
      value_width = std::max(value_width, r.value.size());
    }
    for (const row& r : e.rows) {
      const std::string line = r.note.empty()
                                   ? fmt::format("    {:<{}}  {}", r.property, width, r.value)
                                   : fmt::format("    {:<{}}  {:<{}}  ({})", r.property, width,
                                                 r.value, value_width, r.note);
      out += line + "\n";
    }
  }
  return out;
}

// A doc comment for Markdown: a paragraph whose every line is indented is a usage example, which
// two spaces of indent would run into the prose, so it is fenced as syn (its indent removed).
std::string markdown_doc(std::string_view doc) {
  std::string out;
  std::vector<std::string_view> paragraph;
  const auto flush = [&] {
    if (paragraph.empty()) return;
    const bool code = std::all_of(paragraph.begin(), paragraph.end(),
                                  [](std::string_view l) { return l.starts_with("  "); });
    std::size_t indent = std::string_view::npos;
    for (const std::string_view l : paragraph) indent = std::min(indent, l.find_first_not_of(' '));
    if (!out.empty()) out += "\n";
    if (code) out += "```syn\n";
    for (const std::string_view l : paragraph)
      out += fmt::format("{}\n", code ? l.substr(indent) : l);
    if (code) out += "```\n";
    paragraph.clear();
  };
  while (!doc.empty()) {
    const std::size_t end = std::min(doc.find('\n'), doc.size());
    const std::string_view line = doc.substr(0, end);
    if (line.find_first_not_of(' ') == std::string_view::npos) {
      flush();
    } else {
      paragraph.push_back(line);
    }
    doc.remove_prefix(std::min(end + 1, doc.size()));
  }
  flush();
  return out;
}

std::string markdown_page(const library& lib, const std::vector<entry>& list, bool whole) {
  std::string out;
  if (whole) {
    out += lib.version.empty() ? fmt::format("# {}\n\n", lib.name)
                               : fmt::format("# {} {}\n\n", lib.name, lib.version);
    out += fmt::format("`{}`\n\n", lib.file->name());
    if (const std::string doc = library_doc(lib); !doc.empty()) out += markdown_doc(doc) + "\n";
  }
  for (const entry& e : list) {
    out += fmt::format("## `{}`\n\n", e.heading);
    if (!e.doc.empty()) out += markdown_doc(e.doc) + "\n";
    out += "| property | value | |\n|---|---|---|\n";
    for (const row& r : e.rows)
      out += fmt::format("| {} | {} | {} |\n", r.property, r.value, r.note);
    out += "\n";
  }
  return out;
}

}  // namespace

std::string indented(const std::string& text, const char* indent) {
  if (text.empty()) return {};
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line(text.data() + start, end - start);
    out += line.empty() ? "\n" : fmt::format("{}{}\n", indent, printable(line));
    start = end + 1;
  }
  return out;
}

std::string doc_page(const library& lib, doc_format format, const std::string& only) {
  const std::vector<entry> list = entries(lib, only);
  if (!only.empty() && list.empty()) return {};
  // Doc comments reach a terminal in either form: escaped as diagnostics are.
  return format == doc_format::text ? text_page(lib, list, only.empty())
                                    : printable_lines(markdown_page(lib, list, only.empty()));
}

}  // namespace syn::dsl
