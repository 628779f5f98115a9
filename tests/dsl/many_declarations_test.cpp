// Files of 200,000 declarations are checked, imported and documented. A search through every
// name for each declaration or each misspelt name (as the checker, the scope and `syn doc` once
// made) takes one to three minutes at this size, beyond the timeout these tests run under
// (tests/dsl/CMakeLists.txt); linear work takes a second or two. The files are generated here,
// not kept in the tree.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <string>

#include "front_end/front_end.hpp"
#include "syntax/parser.hpp"
#include "test_files.hpp"
#include "tools/doc_page.hpp"

namespace syn::dsl {
namespace {

constexpr int declarations = 200'000;

const char* const neuron_type = "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms }\n";

// A model checked as `syn check` checks it, with libraries searched in `dir`.
void check_model(front_end& front, const std::string& text, const std::filesystem::path& dir) {
  const source_file file((dir / "model.syn").string(), text);
  front.check_file(file, dir);
  for (const diagnostic& d : front.diags.all()) ADD_FAILURE() << render(d, false);
}

// A library of `declarations` neuron types and receptors, alternately, each with a doc comment;
// the neuron types after the first inherit all they need from it.
std::string big_library() {
  std::string text = fmt::format("library big version \"1.0\"\n## neuron 0\n{}", neuron_type);
  for (int i = 1; i < declarations; ++i) {
    if (i % 2)
      text += fmt::format(
          "## receptor {}\nreceptor R{} {{ kinetics = jump; effect = excitatory }}\n", i, i);
    else
      text += fmt::format("## neuron {}\nneuron N{} : LIF {{}}\n", i, i);
  }
  return text;
}

TEST(many_declarations, populations_each_on_its_line_check_and_resolve) {
  const test::temp_dir dir;
  std::string text = neuron_type;
  text += "receptor R { kinetics = jump; effect = excitatory }\n";
  for (int i = 0; i < declarations; ++i) text += fmt::format("population p{} = LIF\n", i);
  text += fmt::format("connect p{} -> p0 via R weight 1 mV delay 1 ms\n", declarations - 1);
  front_end front(library_path{});
  check_model(front, text, dir.path());
  ASSERT_EQ(front.m.groups.size(), std::size_t{declarations});
  ASSERT_EQ(front.m.connections.size(), 1u);
  EXPECT_EQ(front.m.connections[0].pre.group, std::uint32_t{declarations - 1});
}

TEST(many_declarations, statements_on_one_line_share_the_doc_comment_above_it) {
  const test::temp_dir dir;
  std::string text = neuron_type;
  text += "## one line\n";
  for (int i = 0; i < declarations; ++i) text += fmt::format("population p{} = LIF; ", i);
  text += "\npopulation last = LIF\n";
  const source_file file("model.syn", text);
  diagnostics diags;
  const std::vector<ast::statement> statements = parse(file, diags);
  ASSERT_EQ(statements.size(), std::size_t{declarations} + 2);
  EXPECT_EQ(std::get<ast::population_decl>(statements[1].s).doc, "one line");
  EXPECT_EQ(std::get<ast::population_decl>(statements[declarations].s).doc, "one line");
  EXPECT_EQ(std::get<ast::population_decl>(statements.back().s).doc, "");
  front_end front(library_path{});
  check_model(front, text, dir.path());
  EXPECT_EQ(front.m.groups.size(), std::size_t{declarations} + 1);
}

TEST(many_declarations, a_name_misspelt_in_many_statements_is_looked_for_once) {
  // The closest name, for the hint, is searched among 200,000 for each unknown name: once per
  // name and not per statement, or 10,000 statements take minutes.
  const test::temp_dir dir;
  test::write_file(dir / "big.syn", big_library());
  std::string text = "import big as b\n";
  text += neuron_type;
  text += "receptor R { kinetics = jump; effect = excitatory }\npopulation q = LIF\n";
  for (int i = 0; i < declarations; ++i) text += fmt::format("population p{} = LIF\n", i);
  constexpr int misspelt = 10'000;
  for (int i = 0; i < misspelt; ++i)
    text += fmt::format("connect p{} -> qq via R weight 1 mV delay 1 ms\npopulation r{} = b.N3\n",
                        i, i);
  const source_file file((dir.path() / "model.syn").string(), text);
  front_end front(library_path{});
  front.check_file(file, dir.path());
  ASSERT_EQ(front.diags.all().size(), std::size_t{2 * misspelt});
  EXPECT_EQ(front.diags.all()[0].message, "unknown population or train 'qq'");
  EXPECT_EQ(front.diags.all()[0].hint, "did you mean 'q'?");
  EXPECT_EQ(front.diags.all()[1].message, "big declares no neuron type 'N3'");
  EXPECT_EQ(front.diags.all()[1].hint, "did you mean 'N2'?");
  EXPECT_EQ(front.diags.all().back().hint, "did you mean 'N2'?");
}

TEST(many_declarations, a_library_imports_by_module_alias_and_name) {
  const test::temp_dir dir;
  test::write_file(dir / "big.syn", big_library());
  // Half of the neuron types N2, N4, ... imported by name on one line, the others used qualified.
  std::string text = "import big as b\nfrom big import N2";
  for (int i = 6; i < declarations; i += 4) text += fmt::format(", N{}", i);
  text += "\n";
  for (int i = 2; i < declarations; i += 2)
    text += fmt::format("population p{} = {}N{}\n", i, i % 4 ? "" : "b.", i);
  front_end front(library_path{});
  check_model(front, text, dir.path());
  EXPECT_EQ(front.m.groups.size(), std::size_t{declarations / 2 - 1});
  EXPECT_EQ(front.m.neuron_types.size(), std::size_t{declarations / 2 - 1});
}

TEST(many_declarations, a_library_s_doc_page_lists_every_declaration) {
  const test::temp_dir dir;
  test::write_file(dir / "big.syn", big_library());
  front_end front(library_path{});
  const library* lib = front.loader.open(dir / "big.syn", front.diags);
  ASSERT_NE(lib, nullptr);
  EXPECT_FALSE(front.diags.has_errors());
  const std::string page = doc_page(*lib, doc_format::text);
  std::size_t headings = 0;
  for (std::size_t at = page.find("\nneuron "); at != std::string::npos;
       at = page.find("\nneuron ", at + 1))
    ++headings;
  EXPECT_EQ(headings, std::size_t{declarations / 2});
  EXPECT_NE(
      page.find(fmt::format("receptor R{}\n  receptor {}\n", declarations - 1, declarations - 1)),
      std::string::npos);
}

}  // namespace
}  // namespace syn::dsl
