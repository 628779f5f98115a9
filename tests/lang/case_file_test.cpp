// The directive reader: a case whose expectations are misread would pass without testing
// anything, so a directive it cannot read must fail loudly.

#include "case_file.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace syn::test {
namespace {

TEST(case_file, reads_every_directive) {
  const case_file c = parse_case(R"(# A comment, then directives.
# command: check
# args: --seed 7  -I lib
# expect-error: 12:7: unknown unit 'mv'
# expect-hint: did you mean 'mV'?
# expect-warning: 3:1: shunting
# expect-error: cannot read 'x.syn'
run 1 ms
)");
  EXPECT_EQ(c.command, "check");
  EXPECT_EQ(c.args, (std::vector<std::string>{"--seed", "7", "-I", "lib"}));
  ASSERT_EQ(c.diagnostics.size(), 3u);
  EXPECT_EQ(c.diagnostics[0].severity, "error");
  EXPECT_EQ(c.diagnostics[0].line, 12u);
  EXPECT_EQ(c.diagnostics[0].column, 7u);
  EXPECT_EQ(c.diagnostics[0].message, "unknown unit 'mv'");
  EXPECT_EQ(c.diagnostics[0].hint, "did you mean 'mV'?");
  EXPECT_EQ(c.diagnostics[1].severity, "warning");
  EXPECT_FALSE(c.diagnostics[1].hint);
  EXPECT_EQ(c.diagnostics[2].line, 0u);
  EXPECT_EQ(c.diagnostics[2].message, "cannot read 'x.syn'");
  EXPECT_EQ(c.expected_exit(), 1);
}

TEST(case_file, reads_spikes_counts_samples_and_synapses) {
  const case_file c = parse_case(R"(# expect-spike: summed 0 6.2557
# expect-spike-count: * 0
# expect-spike-count: bg 850..1150
# expect-v: p 3 10 -66.5
# expect-synapses: 60
# expect-exit: 3
)");
  ASSERT_EQ(c.spikes.size(), 1u);
  EXPECT_EQ(c.spikes[0].population, "summed");
  EXPECT_DOUBLE_EQ(c.spikes[0].time, 6.2557);
  ASSERT_EQ(c.spike_counts.size(), 2u);
  EXPECT_TRUE(c.spike_counts[0].count.contains(0));
  EXPECT_FALSE(c.spike_counts[1].count.contains(849));
  EXPECT_TRUE(c.spike_counts[1].count.contains(1150));
  ASSERT_EQ(c.samples.size(), 1u);
  EXPECT_EQ(c.samples[0].index, 3u);
  EXPECT_DOUBLE_EQ(c.samples[0].v, -66.5);
  EXPECT_TRUE(c.synapses && c.synapses->contains(60));
  EXPECT_EQ(c.expected_exit(), 3);
}

TEST(case_file, without_expectations_expects_a_clean_exit) {
  EXPECT_EQ(parse_case("# Just a comment: with a colon.\nrun 1 ms\n").expected_exit(), 0);
}

TEST(case_file, refuses_what_it_cannot_read) {
  for (const char* text : {
           "# expect-eror: 1:1: typo in the name\n",
           "# expect-hint: a hint with no diagnostic before it\n",
           "# expect-error: 1:1: x\n# expect-hint: one\n# expect-hint: two\n",
           "# expect-spike: p 0\n",
           "# expect-spike: p zero 1\n",
           "# expect-spike-count: p 9..3\n",
           "# expect-exit: one\n",
           "# command: simulate\n",
           "# command: check\n# expect-spike: p 0 1\n",
       }) {
    EXPECT_THROW(parse_case(text), std::invalid_argument) << text;
  }
}

}  // namespace
}  // namespace syn::test
