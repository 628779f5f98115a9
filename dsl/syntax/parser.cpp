#include "syntax/parser.hpp"

#include <fmt/format.h>
#include <sanitizer/asan_interface.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <limits>
#include <optional>
#include <tao/pegtl/contrib/parse_tree.hpp>

#include "diagnostics/did_you_mean.hpp"
#include "syntax/grammar_errors.hpp"
#include "syntax/keywords.hpp"
#include "syntax/text_scanner.hpp"

namespace syn::dsl {

namespace g = grammar;
namespace pt = tao::pegtl::parse_tree;

namespace {

// A parse tree node whose memory the next one reuses: the parse makes and drops a node for
// every selected rule it tries, and malloc and free took a fifth of reading a long file.
struct node : pt::basic_node<node> {
  static void* operator new(std::size_t size);
  static void operator delete(void* memory, std::size_t size) noexcept;
};

// The memory of dropped nodes, per thread; enough for the nodes a statement holds at once. No
// node outlives parse(), and so none this thread's pool. Under AddressSanitizer the memory kept
// is poisoned, so that a node used after its drop is still reported.
class spare_nodes {
 public:
  spare_nodes() { free_.reserve(kept); }  // so that give() never allocates
  ~spare_nodes() {
    for (void* memory : free_) {
      ASAN_UNPOISON_MEMORY_REGION(memory, sizeof(node));
      ::operator delete(memory);
    }
  }
  void* take() {
    if (free_.empty()) return ::operator new(sizeof(node));
    void* memory = free_.back();
    free_.pop_back();
    ASAN_UNPOISON_MEMORY_REGION(memory, sizeof(node));
    return memory;
  }
  void give(void* memory) {
    if (free_.size() < kept) {
      ASAN_POISON_MEMORY_REGION(memory, sizeof(node));
      free_.push_back(memory);
    } else {
      ::operator delete(memory);
    }
  }

 private:
  static constexpr std::size_t kept = 4096;
  std::vector<void*> free_;
};

thread_local spare_nodes spare;

void* node::operator new(std::size_t size) {
  return size == sizeof(node) ? spare.take() : ::operator new(size);
}

void node::operator delete(void* memory, std::size_t size) noexcept {
  if (size == sizeof(node)) {
    spare.give(memory);
  } else {
    ::operator delete(memory);
  }
}

template <typename Rule>
using selector = pt::selector<
    Rule,
    pt::store_content::on<
        g::name, g::qualified_name, g::number, g::unit, g::quantity, g::word, g::string_body,
        g::list, g::times_list, g::call, g::expected_value, g::index_value, g::range_end,
        g::selector, g::expected_selector, g::property_name, g::property, g::block,
        g::expected_block, g::library_name, g::version_number, g::module_name, g::alias_name,
        g::import_file, g::import_module, g::imported_name, g::receptor_name, g::neuron_name,
        g::base_name, g::population_name, g::count, g::model_name, g::train_name, g::train_times,
        g::train_regular, g::train_poisson, g::train_file, g::rate, g::start_time, g::stop_time,
        g::file_path, g::figure_path, g::receptor_ref, g::weight_clause, g::delay_clause, g::at_clause,
        g::kw_probability, g::kw_indegree, g::kw_outdegree, g::with_clause, g::without_clause,
        g::one_to_one, g::all_to_all, g::record_spikes, g::record_v, g::sample_interval,
        g::duration, g::param_name, g::param_stmt, g::count_param, g::assign_name,
        g::library_stmt, g::import_stmt, g::from_stmt,
        g::receptor_decl, g::neuron_decl, g::population_decl, g::train_decl, g::connect_stmt,
        g::record_stmt, g::measure_stmt, g::run_stmt, g::assign_stmt, g::version_string>>;

class converter {
 public:
  converter(const source_file& file, diagnostics& diags)
      : file_(file), diags_(diags), line_(file.at(0).line) {}

  span where(const node& n) const {
    const char* base = file_.text().data();
    return {&file_, static_cast<std::uint32_t>(n.m_begin.data - base),
            static_cast<std::uint32_t>(n.m_end.data - base)};
  }

  template <typename Rule>
  const node* child(const node& n) const {
    for (const auto& c : n.children)
      if (c->is_type<Rule>()) return c.get();
    return nullptr;
  }

  ast::identifier identifier(const node& n) const { return {n.string(), where(n)}; }

  ast::qualified_name qualified(const node& n) const {
    ast::qualified_name q;
    q.where = where(n);
    for (const auto& c : n.children) q.parts.push_back(c->string());
    return q;
  }

  double number(const node& n) const {
    const std::string text = n.string();
    double v = 0.0;
    const char* first = text.data() + (text[0] == '+' ? 1 : 0);
    const auto [ptr, ec] = std::from_chars(first, text.data() + text.size(), v);
    if (ec == std::errc::result_out_of_range) {
      diags_.error(where(n), fmt::format("the number {} is out of range", text));
      return std::numeric_limits<double>::quiet_NaN();  // the checker skips it: one error is enough
    }
    return v;
  }

  // A value node: one of the concrete alternatives, or a wrapper holding one.
  ast::value value(const node& n) const {
    const bool is_list = n.is_type<g::list>() || n.is_type<g::times_list>();
    const bool concrete = is_list || n.is_type<g::quantity>() || n.is_type<g::word>() ||
                          n.is_type<g::string_body>() || n.is_type<g::call>();
    if (!concrete && n.children.size() == 1) return value(*n.children.front());
    ast::value v;
    v.where = where(n);
    if (n.is_type<g::quantity>()) {
      ast::quantity q;
      const node& num = *n.children.front();
      q.number = number(num);
      q.text = num.string();
      if (const node* u = child<g::unit>(n)) {
        q.unit = u->string();
        q.unit_span = where(*u);
      }
      v.v = std::move(q);
    } else if (n.is_type<g::word>()) {
      v.v = ast::word{n.string()};
    } else if (n.is_type<g::string_body>()) {
      v.v = ast::string{n.string()};
      v.where.begin -= 1;  // include the quotes
      v.where.end += 1;
    } else if (is_list) {
      ast::list l;
      for (const auto& c : n.children) l.items.push_back(value(*c));
      v.v = std::move(l);
    } else if (n.is_type<g::call>()) {
      ast::call c;
      c.function = n.children.front()->string();
      c.function_span = where(*n.children.front());
      for (std::size_t i = 1; i < n.children.size(); ++i) c.args.push_back(value(*n.children[i]));
      v.v = std::move(c);
    }
    return v;
  }

  ast::selector selector_of(const node& n) const {
    const node& sel = n;  // a selector or expected_selector: the name, then any indices
    ast::selector s;
    s.where = where(sel);
    s.name = qualified(*sel.children.front());
    const auto index = [&](const node& i) {
      std::uint64_t v = 0;
      const std::string text = i.string();
      const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc()) diags_.error(where(i), fmt::format("the index {} is too large", text));
      return v;
    };
    if (const node* first = child<g::index_value>(sel)) {
      s.first = index(*first);
      s.index_span = where(*first);
      s.last = s.first;
      if (const node* last = child<g::range_end>(sel)) {
        s.last = index(*last);
        s.index_span.end = where(*last).end;
      }
    }
    return s;
  }

  std::vector<ast::property> properties(const node* block) const {
    std::vector<ast::property> out;
    if (!block) return out;
    for (const auto& p : block->children) {
      const node& name = *p->children[0];
      out.push_back({name.string(), where(name), value(*p->children[1])});
    }
    return out;
  }

  // The line of `offset`, counted on from the previous call's, as statements come in order:
  // source_file::at() also counts the column from the line's start, which made a million
  // statements on one line take time quadratic in their number.
  std::uint32_t line_of(std::uint32_t offset) const {
    if (offset < counted_) {
      counted_ = 0;
      line_ = file_.at(0).line;
    }
    for (; counted_ < offset; ++counted_)
      if (file_.text()[counted_] == '\n') ++line_;
    return line_;
  }

  // '##' lines right above the statement are its doc comment.
  std::string doc_comment(span at) const {
    const auto line = line_of(at.begin);
    if (line == doc_line_) return doc_;  // as for the statement before it on its line
    std::vector<std::string_view> lines;
    for (std::uint32_t l = line; l-- > 1;) {
      std::string_view text = file_.line(l);
      text.remove_prefix(std::min(text.find_first_not_of(" \t"), text.size()));
      if (text.substr(0, 2) != "##") break;
      text.remove_prefix(2);
      if (!text.empty() && text.front() == ' ') text.remove_prefix(1);
      lines.push_back(text);
    }
    std::string doc;
    for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
      if (!doc.empty()) doc += '\n';
      doc += *it;
    }
    doc_line_ = line;
    doc_ = doc;
    return doc;
  }

  ast::statement statement(const node& n) const {
    ast::statement st;
    st.where = where(n);
    if (n.is_type<g::library_stmt>()) {
      ast::library_stmt s;
      s.doc = doc_comment(st.where);
      s.name = qualified(*child<g::library_name>(n));
      const node& version = *child<g::version_string>(n);
      s.version_span = where(version);
      s.version = version.children.front()->string();
      st.s = std::move(s);
    } else if (n.is_type<g::import_stmt>()) {
      ast::import_stmt s;
      if (const node* f = child<g::import_file>(n)) {
        s.file = f->children[0]->string();
        s.file_span = where(*f->children[0]);
        s.alias = identifier(*child<g::alias_name>(*f));
      } else {
        const node& m = *child<g::import_module>(n);
        s.module = qualified(*child<g::module_name>(m));
        if (const node* a = child<g::alias_name>(m)) s.alias = identifier(*a);
        if (const node* v = child<g::version_string>(m)) {
          s.min_version = v->children.front()->string();
          s.version_span = where(*v);
        }
      }
      st.s = std::move(s);
    } else if (n.is_type<g::from_stmt>()) {
      ast::from_import_stmt s;
      s.module = qualified(*child<g::module_name>(n));
      for (const auto& c : n.children)
        if (c->is_type<g::imported_name>()) s.names.push_back(identifier(*c));
      st.s = std::move(s);
    } else if (n.is_type<g::assign_stmt>()) {
      st.s = ast::assign_stmt{identifier(*child<g::assign_name>(n)),
                              value(*child<g::expected_value>(n))};
    } else if (n.is_type<g::param_stmt>()) {
      st.s = ast::param_stmt{identifier(*child<g::param_name>(n)),
                             value(*child<g::expected_value>(n))};
    } else if (n.is_type<g::receptor_decl>()) {
      st.s = ast::receptor_decl{identifier(*child<g::receptor_name>(n)), doc_comment(st.where),
                                properties(child<g::expected_block>(n))};
    } else if (n.is_type<g::neuron_decl>()) {
      ast::neuron_decl s{identifier(*child<g::neuron_name>(n)),
                         doc_comment(st.where),
                         {},
                         properties(child<g::expected_block>(n))};
      if (const node* b = child<g::base_name>(n)) s.base = qualified(*b);
      st.s = std::move(s);
    } else if (n.is_type<g::population_decl>()) {
      ast::population_decl s;
      s.name = identifier(*child<g::population_name>(n));
      s.doc = doc_comment(st.where);
      if (const node* c = child<g::count>(n)) s.count = count(*c);
      s.model = qualified(*child<g::model_name>(n));
      s.overrides = properties(child<g::block>(n));
      st.s = std::move(s);
    } else if (n.is_type<g::train_decl>()) {
      st.s = train(n, st.where);
    } else if (n.is_type<g::connect_stmt>()) {
      st.s = connect(n);
    } else if (n.is_type<g::record_stmt>()) {
      ast::record_stmt s;
      const node& what = *n.children.front();
      s.voltage = what.is_type<g::record_v>();
      for (const auto& c : what.children) {
        if (c->is_type<g::expected_selector>()) s.targets.push_back(selector_of(*c));
        if (c->is_type<g::sample_interval>()) s.interval = value(*c);
      }
      if (const node* plot = child<g::figure_path>(n)) s.plot = value(*plot);
      st.s = std::move(s);
    } else if (n.is_type<g::measure_stmt>()) {
      ast::measure_stmt s;
      for (const auto& c : n.children)
        if (c->is_type<g::expected_selector>()) s.targets.push_back(selector_of(*c));
      st.s = std::move(s);
    } else if (n.is_type<g::run_stmt>()) {
      st.s = ast::run_stmt{value(*child<g::duration>(n))};
    }
    return st;
  }

  ast::value count(const node& c) const {
    // `80 x`: the number alone, as a unitless quantity; `n x`: the word naming a param.
    ast::value v;
    if (const node* p = child<g::count_param>(c)) {
      v.where = where(*p);
      v.v = ast::word{p->string()};
      return v;
    }
    const node& n = *child<g::number>(c);
    v.where = where(n);
    ast::quantity q;
    q.text = n.string();
    q.number = number(n);
    v.v = q;
    return v;
  }

  ast::train_decl train(const node& n, span at) const {
    ast::train_decl s;
    s.name = identifier(*child<g::train_name>(n));
    s.doc = doc_comment(at);
    if (const node* c = child<g::count>(n)) s.count = count(*c);
    const node& kind = *n.children.back();
    s.kind_span = where(kind);
    if (kind.is_type<g::train_times>()) {
      s.kind = ast::train_kind::times;
      s.times = value(*kind.children.front());
    } else if (kind.is_type<g::train_file>()) {
      s.kind = ast::train_kind::file;
      const node& path = *kind.children.front();
      s.path = path.children.front()->string();
      s.path_span = where(path);
    } else {
      s.kind =
          kind.is_type<g::train_regular>() ? ast::train_kind::regular : ast::train_kind::poisson;
      s.rate = value(*child<g::rate>(kind));
      if (const node* a = child<g::start_time>(kind)) s.start = value(*a);
      if (const node* b = child<g::stop_time>(kind)) s.stop = value(*b);
    }
    return s;
  }

  ast::connect_stmt connect(const node& n) const {
    ast::connect_stmt s;
    s.pre = selector_of(*n.children[0]);
    s.post = selector_of(*n.children[1]);
    s.receptor = qualified(*child<g::receptor_ref>(n));
    bool rule_seen = false;
    for (std::size_t i = 3; i < n.children.size(); ++i) {
      const node& c = *n.children[i];
      const auto once = [&](std::optional<ast::value>& slot, const char* what) {
        if (slot) diags_.error(where(c), fmt::format("the {} is given twice", what));
        slot = value(*c.children.front());
      };
      if (c.is_type<g::weight_clause>()) {
        once(s.weight, "weight");
      } else if (c.is_type<g::delay_clause>()) {
        once(s.delay, "delay");
      } else if (c.is_type<g::at_clause>()) {
        once(s.distance, "dendritic location ('at')");
      } else if (c.is_type<g::without_clause>()) {
        if (s.without_autapses) diags_.error(where(c), "'without autapses' is given twice");
        s.without_autapses = where(c);
      } else {
        if (rule_seen)
          diags_.error(where(c),
                       "a connection takes one rule: all_to_all, one_to_one, 'with "
                       "probability', 'with indegree' or 'with outdegree'");
        rule_seen = true;
        s.rule_span = where(c);
        if (c.is_type<g::one_to_one>()) {
          s.rule = ast::rule_kind::one_to_one;
        } else if (c.is_type<g::all_to_all>()) {
          s.rule = ast::rule_kind::all_to_all;
        } else {
          const node& kind = *c.children[0];
          s.rule = kind.is_type<g::kw_probability>() ? ast::rule_kind::probability
                   : kind.is_type<g::kw_indegree>()  ? ast::rule_kind::indegree
                                                     : ast::rule_kind::outdegree;
          s.rule_value = value(*c.children[1]);
        }
      }
    }
    return s;
  }

 private:
  const source_file& file_;
  diagnostics& diags_;
  // Where line_of() has counted to, and the doc comment last found: caches, so mutable.
  mutable std::uint32_t counted_ = 0;
  mutable std::uint32_t line_;
  mutable std::uint32_t doc_line_ = 0;
  mutable std::string doc_;
};

bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Past the layout (blank lines, comments, ';') that precedes a statement.
std::size_t skip_gap(const std::string& text, std::size_t at) {
  while (at < text.size()) {
    const char c = text[at];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';') {
      ++at;
    } else if (c == '#') {
      at = skip_string_or_comment(text, at);
    } else {
      break;
    }
  }
  return at;
}

// Where to resume after a syntax error in the statement starting at `start`: the end of the
// line where the statement's braces balance again.
std::size_t resume_after(const std::string& text, std::size_t start, std::size_t error) {
  int depth = 0;
  text_scanner s(text, start);
  for (; !s.done(); s.advance()) {
    const char c = s.get();
    if (c == '{') ++depth;
    if (c == '}') --depth;
    if (c == '\n' && s.at() >= error && depth <= 0) break;
  }
  return s.at();
}

// Lists and calls nest; the parser recurses on them. Deeper nesting than this is refused before
// parsing, so no input can exhaust the stack.
constexpr int max_nesting = 64;

// The offset from `from` on where brackets first nest deeper than max_nesting, outside comments
// and strings.
std::optional<std::size_t> too_deep(const std::string& text, std::size_t from) {
  int depth = 0;
  for (text_scanner s(text, from); !s.done(); s.advance()) {
    const char c = s.get();
    if (c == '[' || c == '(') {
      if (++depth > max_nesting) return s.at();
    } else if (c == ']' || c == ')') {
      depth = std::max(0, depth - 1);
    }
  }
  return std::nullopt;
}

// The innermost '{' still open at `at`, counted from the statement's start.
std::optional<std::size_t> open_brace(const std::string& text, std::size_t start, std::size_t at) {
  std::vector<std::size_t> open;
  for (text_scanner s(text, start); !s.done() && s.at() < at; s.advance()) {
    if (s.get() == '{') {
      open.push_back(s.at());
    } else if (s.get() == '}' && !open.empty()) {
      open.pop_back();
    }
  }
  if (open.empty()) return std::nullopt;
  return open.back();
}

}  // namespace

std::vector<ast::statement> parse(const source_file& file, diagnostics& diags) {
  std::vector<ast::statement> out;
  const std::string& text = file.text();
  converter convert(file, diags);
  // The grammar never sees the text past a bracket nested too deep: a statement that reaches it
  // is refused there, with the statements before it kept.
  std::optional<std::size_t> deep = too_deep(text, 0);
  const auto nests_too_deep = [&] {
    const auto at = static_cast<std::uint32_t>(*deep);
    diags.error({&file, at, at + 1},
                fmt::format("lists and calls nest more than {} deep here", max_nesting));
    return out;
  };
  std::size_t offset = 0;
  while (offset < text.size()) {
    if (deep && *deep <= offset) deep = too_deep(text, offset);  // recovery skipped past it
    const std::size_t cut = deep ? *deep : text.size();
    tao::pegtl::memory_input in(text.data() + offset, text.data() + cut, file.name());
    try {
      auto root = pt::parse<g::statement_unit, node, selector, tao::pegtl::nothing, g::control>(in);
      offset = static_cast<std::size_t>(in.current() - text.data());
      if (deep && offset == cut) return nests_too_deep();
      if (root && !root->children.empty())
        out.push_back(convert.statement(*root->children.front()));
      if (!root) break;
    } catch (const tao::pegtl::parse_error& e) {
      const std::size_t start = skip_gap(text, offset);
      const std::size_t at = offset + e.positions().front().byte;
      if (deep && at >= cut) return nests_too_deep();
      std::size_t end = at;
      while (end < text.size() && is_word_char(text[end])) ++end;
      const auto position = static_cast<std::uint32_t>(at);
      span where{&file, position, static_cast<std::uint32_t>(std::max(end, at + 1))};
      std::string hint;
      const std::string message(e.message());
      const std::string word = text.substr(at, end - at);
      if (at == start && !word.empty()) {
        if (const std::string near = closest(word, statement_keywords()); !near.empty())
          hint = fmt::format("did you mean '{}'?", near);
      } else if (message.find("name") != std::string::npos &&
                 std::find(reserved_words().begin(), reserved_words().end(), word) !=
                     reserved_words().end()) {
        // Only where a name was expected: elsewhere the word is misplaced, not misused as a name.
        hint = fmt::format("'{}' is a reserved word of the language; choose another name", word);
      } else if (at >= text.size()) {
        if (const auto brace = open_brace(text, start, at)) {
          const auto p = file.at(static_cast<std::uint32_t>(*brace));
          hint = fmt::format("the '{{' at {}:{} is not closed", p.line, p.column);
        }
      }
      diags.error(where, message, std::move(hint));
      // A file whose first statement fails is likely no Syn at all (a CSV, a password file):
      // recovering would report, and show, each of its lines.
      if (out.empty()) break;
      offset = resume_after(text, start, at);
    }
  }
  return out;
}

std::string ast::qualified_name::text() const {
  std::string t;
  for (const std::string& p : parts) t += (t.empty() ? "" : ".") + p;
  return t;
}

}  // namespace syn::dsl
