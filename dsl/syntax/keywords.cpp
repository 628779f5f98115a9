#include "syntax/keywords.hpp"

#include <algorithm>
#include <tao/pegtl/visit.hpp>

#include "syntax/grammar.hpp"

namespace syn::dsl {

namespace {

namespace p = tao::pegtl;

// The word a keyword rule matches; any other rule adds none.
template <char... Cs>
void add_keyword(const p::ascii::keyword<Cs...>*, std::vector<std::string>& words) {
  words.push_back({Cs...});
}
void add_keyword(const void*, std::vector<std::string>&) {}

// The keywords of a sor<> of keywords (or of such sors), in order.
template <char... Cs>
void keywords_in(const p::ascii::keyword<Cs...>& rule, std::vector<std::string>& words) {
  add_keyword(&rule, words);
}
template <typename... Rules>
void keywords_in(const p::sor<Rules...>&, std::vector<std::string>& words) {
  (keywords_in(Rules{}, words), ...);
}

template <typename Rule>
std::vector<std::string> keywords_of(const Rule& rule) {
  std::vector<std::string> words;
  keywords_in(rule, words);
  return words;
}

template <typename Rule>
struct collect {
  static void visit(std::vector<std::string>& words) {
    add_keyword(static_cast<const Rule*>(nullptr), words);
  }
};

}  // namespace

const std::vector<std::string>& statement_keywords() {
  static const std::vector<std::string> words = keywords_of(grammar::statement_keyword{});
  return words;
}

const std::vector<std::string>& reserved_words() {
  static const std::vector<std::string> words =
      keywords_of(p::sor<grammar::statement_keyword, grammar::clause_keyword>{});
  return words;
}

bool grammar::is_reserved(std::string_view word) {
  static const std::vector<std::string> sorted = [] {
    std::vector<std::string> w = reserved_words();
    std::sort(w.begin(), w.end());
    return w;
  }();
  return std::binary_search(sorted.begin(), sorted.end(), word, std::less<>());
}

const std::vector<std::string>& grammar_keywords() {
  static const std::vector<std::string> words = [] {
    std::vector<std::string> w;
    p::visit<grammar::statement_unit, collect>(w);
    std::sort(w.begin(), w.end());
    w.erase(std::unique(w.begin(), w.end()), w.end());
    return w;
  }();
  return words;
}

}  // namespace syn::dsl
