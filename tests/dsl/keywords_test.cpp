// The keyword lists (syntax/keywords) against the grammar itself: every word the grammar matches
// as a keyword is listed, a reserved word is refused as a name with the reserved-word hint, a
// word that only follows a keyword may still be a name, and a statement keyword starts a
// statement.
#include "syntax/keywords.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "syntax/parser.hpp"

namespace syn::dsl {
namespace {

std::vector<diagnostic> errors_of(const std::string& text) {
  const source_file file("<test>", text);
  diagnostics diags;
  parse(file, diags);
  return diags.all();
}

bool listed(const std::vector<std::string>& list, const std::string& word) {
  return std::find(list.begin(), list.end(), word) != list.end();
}

TEST(keywords, the_grammar_keywords_are_the_reserved_words_and_those_after_a_keyword) {
  std::set<std::string> expected(reserved_words().begin(), reserved_words().end());
  expected.insert({"autapses", "spikes", "v", "plot"});
  EXPECT_EQ(std::set<std::string>(grammar_keywords().begin(), grammar_keywords().end()), expected);
  EXPECT_EQ(reserved_words().size(),
            std::set<std::string>(reserved_words().begin(), reserved_words().end()).size());
  for (const std::string& w : statement_keywords()) EXPECT_TRUE(listed(reserved_words(), w)) << w;
}

TEST(keywords, a_reserved_word_is_refused_where_a_name_is_expected) {
  for (const std::string& w : reserved_words()) {
    const auto errors = errors_of("neuron " + w + " { }\n");
    ASSERT_EQ(errors.size(), 1u) << w;
    EXPECT_EQ(errors[0].message, "expected the neuron type's name after 'neuron'") << w;
    EXPECT_EQ(errors[0].hint, "'" + w + "' is a reserved word of the language; choose another name")
        << w;
  }
}

TEST(keywords, a_keyword_that_only_follows_another_may_be_a_name) {
  for (const std::string& w : grammar_keywords()) {
    if (listed(reserved_words(), w)) continue;
    EXPECT_TRUE(errors_of("neuron " + w + " { }\n").empty()) << w;
  }
}

TEST(keywords, a_statement_keyword_starts_a_statement_and_no_other_word_does) {
  const std::string unknown = "expected a statement: ";
  for (const std::string& w : grammar_keywords()) {
    const auto errors = errors_of(w + "\n");
    ASSERT_FALSE(errors.empty()) << w;  // a keyword alone is no statement
    const bool starts = !errors[0].message.starts_with(unknown);
    EXPECT_EQ(starts, listed(statement_keywords(), w)) << w << ": " << errors[0].message;
  }
  // The message for a word that starts none names every statement keyword.
  const auto errors = errors_of("nothing\n");
  ASSERT_EQ(errors.size(), 1u);
  for (const std::string& w : statement_keywords())
    EXPECT_NE(errors[0].message.find(" " + w), std::string::npos) << w;
}

}  // namespace
}  // namespace syn::dsl
