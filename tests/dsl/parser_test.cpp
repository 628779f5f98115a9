// The parser on its own: every example survives parse -> print -> parse unchanged, and the
// statements of SPEC §2 come out with the parts and spans they were written with.
#include "syntax/parser.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "syntax/ast_printer.hpp"

namespace syn::dsl {
namespace {

std::vector<ast::statement> parse_ok(const source_file& file) {
  diagnostics diags;
  auto statements = parse(file, diags);
  for (const diagnostic& d : diags.all()) ADD_FAILURE() << render(d, false);
  return statements;
}

TEST(parser, every_example_round_trips_through_the_printer) {
  int examples = 0;
  for (const auto& entry : std::filesystem::directory_iterator(SYN_EXAMPLES_DIR)) {
    if (entry.path().extension() != ".syn") continue;
    ++examples;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const source_file original(entry.path().string(), text.str());
    const std::string printed = print(parse_ok(original));
    const source_file reparsed("printed", printed);
    const auto again = parse_ok(reparsed);
    EXPECT_EQ(print(again), printed) << entry.path();
    EXPECT_EQ(again.size(), parse_ok(original).size()) << entry.path();
  }
  EXPECT_GE(examples, 2);
}

TEST(parser, spec_statements_parse_into_their_parts) {
  const source_file file("spec.syn", R"(seed = 42
## A fast receptor.
receptor AMPA { transmitter = glutamate; ions = [Na+, K+]; reversal = 0 mV; rise = 0.2 ms; decay = 2 ms }
neuron FastLIF : LIF { tau_m = 5 ms }
population exc = 80 x LIF { v0 = uniform(-70 mV, -56 mV) }
train bg = 100 x poisson 8 Hz
train drive = regular 50 Hz from 10 ms to 200 ms
connect bg -> exc[0..3] via AMPA weight 0.5 mV delay uniform(1 ms, 2 ms) at 120 um with probability 0.1
record v of n1, exc[0..3] every 0.1 ms
run 200 ms; run 50 ms
)");
  const auto s = parse_ok(file);
  ASSERT_EQ(s.size(), 10u);
  const auto& receptor = std::get<ast::receptor_decl>(s[1].s);
  EXPECT_EQ(receptor.name.text, "AMPA");
  EXPECT_EQ(receptor.doc, "A fast receptor.");
  ASSERT_EQ(receptor.properties.size(), 5u);
  EXPECT_EQ(std::get<ast::list>(receptor.properties[1].val.v).items.size(), 2u);
  const auto& rise = std::get<ast::quantity>(receptor.properties[3].val.v);
  EXPECT_EQ(rise.number, 0.2);
  EXPECT_EQ(rise.unit, "ms");
  EXPECT_EQ(file.at(rise.unit_span.begin).column, 88u);
  EXPECT_EQ(std::get<ast::neuron_decl>(s[2].s).base->text(), "LIF");
  const auto& exc = std::get<ast::population_decl>(s[3].s);
  EXPECT_EQ(std::get<ast::quantity>(exc.count->v).number, 80);
  EXPECT_EQ(std::get<ast::call>(exc.overrides[0].val.v).function, "uniform");
  EXPECT_EQ(std::get<ast::train_decl>(s[4].s).kind, ast::train_kind::poisson);
  const auto& drive = std::get<ast::train_decl>(s[5].s);
  EXPECT_EQ(std::get<ast::quantity>(drive.stop->v).number, 200);
  const auto& c = std::get<ast::connect_stmt>(s[6].s);
  EXPECT_EQ(*c.post.first, 0u);
  EXPECT_EQ(*c.post.last, 3u);
  EXPECT_EQ(c.rule, ast::rule_kind::probability);
  EXPECT_TRUE(c.distance.has_value());
  const auto& r = std::get<ast::record_stmt>(s[7].s);
  EXPECT_TRUE(r.voltage);
  EXPECT_EQ(r.targets.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ast::run_stmt>(s[9].s));
}

TEST(parser, without_autapses_is_a_clause_in_any_position_and_prints_back) {
  const source_file file("a.syn",
                         "connect p -> p via J without autapses weight 1 mV delay 1 ms\n"
                         "connect p -> p via J weight 1 mV delay 1 ms with probability 0.1 "
                         "without autapses\n");
  const auto s = parse_ok(file);
  ASSERT_EQ(s.size(), 2u);
  const auto& first = std::get<ast::connect_stmt>(s[0].s);
  ASSERT_TRUE(first.without_autapses.has_value());
  EXPECT_EQ(file.at(first.without_autapses->begin).column, 22u);
  const auto& second = std::get<ast::connect_stmt>(s[1].s);
  EXPECT_TRUE(second.without_autapses.has_value());
  EXPECT_EQ(second.rule, ast::rule_kind::probability);  // the number took no unit from 'without'
  EXPECT_EQ(print(s),
            "connect p -> p via J weight 1 mV delay 1 ms without autapses\n"
            "connect p -> p via J weight 1 mV delay 1 ms with probability 0.1 without autapses\n");
  const source_file plain("b.syn", "connect p -> p via J weight 1 mV delay 1 ms\n");
  EXPECT_FALSE(std::get<ast::connect_stmt>(parse_ok(plain).front().s).without_autapses);
}

TEST(parser, a_count_is_any_number_and_prints_back_as_written) {
  const source_file file("c.syn",
                         "population p = 1e6 x LIF\ntrain t = 1.5e0 x poisson 8 Hz\n"
                         "population q = -3 x LIF\n");
  const auto s = parse_ok(file);
  ASSERT_EQ(s.size(), 3u);
  const ast::value& p = *std::get<ast::population_decl>(s[0].s).count;
  EXPECT_EQ(std::get<ast::quantity>(p.v).number, 1e6);
  EXPECT_EQ(file.at(p.where.begin).column, 16u);
  EXPECT_EQ(p.where.end - p.where.begin, 3u);
  EXPECT_EQ(std::get<ast::quantity>(std::get<ast::train_decl>(s[1].s).count->v).number, 1.5);
  EXPECT_EQ(std::get<ast::quantity>(std::get<ast::population_decl>(s[2].s).count->v).number, -3);
  EXPECT_EQ(print(s),
            "population p = 1e6 x LIF\ntrain t = 1.5e0 x poisson 8 Hz\npopulation q = -3 x LIF\n");
}

TEST(parser, a_param_statement_and_a_count_that_names_one_print_back) {
  const source_file file("p.syn", "param w_inh = 3 mV\nparam n =  80\npopulation p = n x LIF\n");
  const auto s = parse_ok(file);
  ASSERT_EQ(s.size(), 3u);
  const auto& w = std::get<ast::param_stmt>(s[0].s);
  EXPECT_EQ(w.name.text, "w_inh");
  EXPECT_EQ(std::get<ast::quantity>(w.val.v).unit, "mV");
  const ast::value& count = *std::get<ast::population_decl>(s[2].s).count;
  EXPECT_EQ(std::get<ast::word>(count.v).text, "n");
  EXPECT_EQ(file.at(count.where.begin).column, 16u);
  EXPECT_EQ(count.where.end - count.where.begin, 1u);
  EXPECT_EQ(print(s), "param w_inh = 3 mV\nparam n = 80\npopulation p = n x LIF\n");
}

TEST(parser, recovers_at_the_next_statement_and_reports_each_error) {
  const source_file file("bad.syn", "seed = 1\nneuron A { tau_m = }\nneurn B { }\nrun 10 ms\n");
  diagnostics diags;
  const auto s = parse(file, diags);
  ASSERT_EQ(diags.all().size(), 2u);
  EXPECT_EQ(render(diags.all()[0], false),
            "bad.syn:2:20: error: expected a value: a number with its unit, a name, a list or a "
            "distribution\n  neuron A { tau_m = }\n                     ^\n");
  EXPECT_EQ(file.at(diags.all()[1].where.begin).line, 3u);
  EXPECT_EQ(diags.all()[1].hint, "did you mean 'neuron'?");
  ASSERT_EQ(s.size(), 2u);
  EXPECT_TRUE(std::holds_alternative<ast::run_stmt>(s[1].s));
}

TEST(parser, a_first_statement_that_fails_is_the_only_error_and_nothing_is_parsed) {
  const source_file file("passwd", "root:x:0:0:root:/root:/bin/bash\nseed = 1\nneurn B { }\n");
  diagnostics diags;
  EXPECT_TRUE(parse(file, diags).empty());
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(file.at(diags.all()[0].where.begin).line, 1u);
}

TEST(parser, nesting_too_deep_keeps_the_statements_before_it) {
  const std::string deep = "a = f(" + std::string(64, '[') + "1" + std::string(64, ']') + ")\n";
  const source_file file("deep.syn", "seed = 1\nrun 1 ms\n" + deep + "run 2 ms\n");
  diagnostics diags;
  const auto s = parse(file, diags);
  ASSERT_EQ(diags.all().size(), 1u);
  EXPECT_EQ(diags.all()[0].message, "lists and calls nest more than 64 deep here");
  const auto at = file.at(diags.all()[0].where.begin);
  EXPECT_EQ(at.line, 3u);
  EXPECT_EQ(at.column, 70u);  // the 65th bracket
  EXPECT_EQ(s.size(), 2u);
  // 64 deep is fine.
  const source_file ok("ok.syn",
                       "a = f(" + std::string(63, '[') + "1" + std::string(63, ']') + ")\n");
  EXPECT_EQ(parse_ok(ok).size(), 1u);
}

}  // namespace
}  // namespace syn::dsl
