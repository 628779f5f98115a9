// The front end's seams: the incremental form the REPL uses, and the library loader, which
// checks what it imports only through the function it is given.
#include "front_end/front_end.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "syntax/parser.hpp"

namespace syn::dsl {
namespace {

TEST(front_end, a_statement_with_an_error_adds_nothing_and_says_so) {
  front_end front(library_path::from_environment({}));
  const source_file file("<input>",
                         "neuron LIF { rest = -65 mV; threshold = -50 mV; tau_m = 20 ms }\n"
                         "population p = 3 x LIF\n"
                         "population q = 2 x Nope\n");
  const std::vector<ast::statement> statements = parse(file, front.diags);
  ASSERT_EQ(statements.size(), 3u);
  EXPECT_TRUE(front.check_statement(statements[0], "."));
  EXPECT_TRUE(front.check_statement(statements[1], "."));
  EXPECT_FALSE(front.check_statement(statements[2], "."));
  ASSERT_EQ(front.m.groups.size(), 1u);
  EXPECT_EQ(front.m.groups[0].name, "p");
  EXPECT_EQ(front.diags.error_count(), 1u);
}

TEST(front_end, the_loader_checks_a_library_through_the_function_it_is_given) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("syn_front_end_test_" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "lib.syn") << "receptor R { kinetics = jump; effect = excitatory }\n";
  std::vector<std::string> checked;
  library_loader loader(library_path{},
                        [&](library& lib, const std::filesystem::path& from,
                            std::optional<span> imported_at, library_loader&, diagnostics&) {
                          checked.push_back(lib.name);
                          EXPECT_EQ(from, dir);
                          EXPECT_TRUE(imported_at.has_value());
                          EXPECT_EQ(lib.statements.size(), 1u);
                        });
  diagnostics diags;
  const source_file importer("<input>", "import \"lib.syn\" as l");
  const library* lib = loader.import_file("lib.syn", {&importer, 0, 1}, "l", dir, diags);
  ASSERT_NE(lib, nullptr);
  EXPECT_FALSE(diags.has_errors());
  EXPECT_EQ(checked, std::vector<std::string>{"l"});
  // Loaded once, however often it is imported.
  loader.import_file("lib.syn", {&importer, 0, 1}, "l", dir, diags);
  EXPECT_EQ(checked.size(), 1u);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace syn::dsl
