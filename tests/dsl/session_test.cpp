// The REPL's interpreter on its own, without a terminal: what :help says for every statement and
// command, what Tab completes, and what history keeps of an input over several lines. The REPL end
// to end is tests/lang/repl_test.cpp.
#include "tools/repl/session.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "syntax/ast_printer.hpp"
#include "syntax/parser.hpp"
#include "test_files.hpp"
#include "tools/repl/help_table.hpp"

namespace syn::dsl {
namespace {

// A session whose output is kept: say() runs one input and returns what it printed.
class repl_session {
 public:
  repl_session()
      : out_(open_memstream(&out_text_, &out_size_)),
        err_(open_memstream(&err_text_, &err_size_)),
        s_(path(), out_, err_, false) {}
  ~repl_session() {
    std::fclose(out_);
    std::fclose(err_);
    std::free(out_text_);
    std::free(err_text_);
  }
  std::string say(std::string_view input) {
    const std::size_t before = out_size_;
    s_.execute(input);
    std::fflush(out_);
    return std::string(out_text_ + before, out_size_ - before);
  }
  session& get() { return s_; }
  std::string errors() {
    std::fflush(err_);
    return std::string(err_text_, err_size_);
  }

 private:
  static library_path path() { return library_path::from_environment({}); }
  char* out_text_ = nullptr;
  char* err_text_ = nullptr;
  std::size_t out_size_ = 0;
  std::size_t err_size_ = 0;
  std::FILE* out_;
  std::FILE* err_;  // diagnostics
  session s_;
};

// Every statement keyword and every command the REPL accepts has help: a usage line that starts
// with it and an example; a statement's example parses. A new keyword or command fails this
// until the help table has it.
TEST(session_help, every_statement_and_command_has_a_usage_and_an_example) {
  repl_session s;
  std::vector<std::string> topics = statement_keywords();
  topics.emplace_back("seed");
  const std::size_t statements = topics.size();
  for (const std::string& c : command_list()) topics.push_back(c);
  ASSERT_GT(topics.size(), statements + 10);
  for (std::size_t i = 0; i < topics.size(); ++i) {
    const std::string& topic = topics[i];
    const std::string help = s.say(":help " + topic);
    SCOPED_TRACE(topic + ":\n" + help);
    ASSERT_TRUE(help.starts_with("usage: "));
    const std::size_t example_at = help.find("\nexample: ");
    ASSERT_NE(example_at, std::string::npos);
    const std::size_t example_end = help.find('\n', example_at + 1);
    const std::string example = help.substr(example_at + 10, example_end - example_at - 10);
    if (i < statements) {
      EXPECT_TRUE(help.starts_with("usage: " + topic + " ")) << topic;
      EXPECT_TRUE(example.starts_with(topic + " ")) << example;
      const source_file file("<example>", example);
      diagnostics diags;
      EXPECT_EQ(parse(file, diags).size(), 1u);
      EXPECT_FALSE(diags.has_errors()) << example;
    } else {
      // :q is :quit's short form, which its help describes.
      const std::string word = topic == ":q" ? ":quit" : topic;
      EXPECT_TRUE(help.starts_with("usage: " + word)) << topic;
      EXPECT_TRUE(example.starts_with(word)) << example;
    }
  }
}

// :help's statements are the grammar's statement keywords, in its order, then the settings: a
// help entry for a word that starts no statement fails this.
TEST(session_help, the_statements_listed_are_the_grammars_statement_keywords_and_seed) {
  repl_session s;
  const std::string listing = s.say(":help statements");
  std::vector<std::string> first_words;
  for (std::size_t at = listing.find("\n  "); at != std::string::npos;
       at = listing.find("\n  ", at + 1))
    first_words.push_back(listing.substr(at + 3, listing.find(' ', at + 3) - at - 3));
  std::vector<std::string> expected = statement_keywords();
  expected.emplace_back("seed");
  EXPECT_EQ(first_words, expected) << listing;
}

// The session runs a command by the kind its help row names: each row names its own kind, so a
// row copied without changing it fails this instead of running another command.
TEST(session_help, each_command_word_names_its_own_command) {
  // Written out here once, so that rows whose kinds were swapped fail too.
  const std::vector<std::pair<std::string, command_kind>> expected = {
      {"show", command_kind::show},      {"print", command_kind::print},
      {"spikes", command_kind::spikes},  {"plot", command_kind::plot},
      {"time", command_kind::time},      {"step", command_kind::step},
      {"queue", command_kind::queue},    {"reset", command_kind::reset},
      {"clear", command_kind::clear},    {":load", command_kind::load},
      {":reload", command_kind::reload}, {":save", command_kind::save},
      {":help", command_kind::help},     {":quit", command_kind::quit}};
  for (const auto& [word, kind] : expected) EXPECT_EQ(command_named(word), kind) << word;
  EXPECT_EQ(command_help().size(), expected.size());
  std::vector<command_kind> kinds;
  for (const command_entry& c : command_help()) {
    EXPECT_EQ(command_named(c.help.topic), c.kind) << c.help.topic;
    EXPECT_EQ(std::count(kinds.begin(), kinds.end(), c.kind), 0) << c.help.topic;
    kinds.push_back(c.kind);
  }
  EXPECT_EQ(command_named(":q"), command_kind::quit);
  EXPECT_EQ(command_named("run"), std::nullopt);
}

using words = std::vector<std::string>;

TEST(session_completion, completes_keywords_commands_and_declared_names) {
  repl_session s;
  EXPECT_EQ(s.get().completions("popul"), words{"population"});
  EXPECT_EQ(s.get().completions(":lo"), words{":load"});
  s.say("neuron LIF { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }");
  s.say("population cells = 3 x LIF");
  EXPECT_EQ(s.get().completions("LI"), words{"LIF"});
  EXPECT_EQ(s.get().completions("cel"), words{"cells"});
}

// Names from libraries complete by every name they can be used by: alias.Name, b.Name and
// a.b.Name, and a name imported unqualified, before any of them is used.
TEST(session_completion, completes_names_through_imports_and_aliases) {
  repl_session s;
  s.say("import std.receptors as r");
  const words r = s.get().completions("r.");
  EXPECT_NE(std::find(r.begin(), r.end(), "r.AMPA"), r.end());
  EXPECT_NE(std::find(r.begin(), r.end(), "r.GABA_A"), r.end());
  EXPECT_EQ(s.get().completions("r.AMP"), words{"r.AMPA"});
  s.say("import std.neurons");
  EXPECT_EQ(s.get().completions("neurons.Py"),
            (words{"neurons.Pyramidal", "neurons.Pyramidal_L5"}));
  EXPECT_EQ(s.get().completions("std.neurons.Pyramidal_"), words{"std.neurons.Pyramidal_L5"});
  s.say("from std.neurons import Pyramidal");
  EXPECT_EQ(s.get().completions("Pyr"), words{"Pyramidal"});
  // Not through an import that failed, nor a name not imported.
  s.say("import std.nosuch as bad");
  EXPECT_EQ(s.get().completions("bad."), words{});
  EXPECT_EQ(s.get().completions("MS"), words{});
}

// The statements of `text`, printed in canonical form; a parse error fails the test.
std::string canonical(const std::string& text) {
  const source_file file("<input>", text);
  diagnostics diags;
  const std::string printed = print(parse(file, diags));
  for (const diagnostic& d : diags.all()) ADD_FAILURE() << render(d, false);
  return printed;
}

// A block typed over several lines is kept in history as one line, which Up recalls whole (a
// history file that stores an entry's newlines raw would split it) and which says the same.
TEST(session_history, an_input_over_lines_is_one_history_line_that_says_the_same) {
  struct history_case {
    std::string typed, entry;
    bool compare = true;  // both parse: a command does not, nor a call split over lines
  };
  const std::vector<history_case> cases = {
      {"time", "time", false},
      {"run 10 ms  # a comment on one line stays", "run 10 ms  # a comment on one line stays"},
      {"neuron A {  # a cell\n  rest = -70 mV\n  threshold = -50 mV; tau_m = 10 ms\n}",
       "neuron A { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }"},
      {"receptor R {\n  kinetics = jump;\n\n  effect = excitatory }",
       "receptor R { kinetics = jump; effect = excitatory }"},
      {"train t = times [1 ms,\n  2 ms,\n  3 ms]  # a comment",
       "train t = times [1 ms, 2 ms, 3 ms]"},
      {"population p = 2 x A {\n  v0 = uniform(-70 mV,\n -60 mV)\n  tau_m = 5 ms\n}",
       "population p = 2 x A { v0 = uniform(-70 mV, -60 mV); tau_m = 5 ms }", false},
      {"neuron B : A {\n}", "neuron B : A { }"},
      {"import \"a#b.syn\" as lib; neuron C {\n rest = -70 mV }",
       "import \"a#b.syn\" as lib; neuron C { rest = -70 mV }"},
  };
  for (const history_case& c : cases) {
    EXPECT_EQ(session::history_entry(c.typed), c.entry) << c.typed;
    if (c.compare) {
      EXPECT_EQ(canonical(c.entry), canonical(c.typed)) << c.typed;
    }
  }
}

// An input's network statements are built together; when the engine refuses one, the input is
// taken again one statement at a time from after its last run, which ran once and said so once.
// Those before the refused one are taken, those after it are not, and a warning before the run
// is printed once. (The lines of <input> count on from input to input.)
TEST(session_statements, a_refusal_after_a_run_in_one_input_runs_and_reports_it_once) {
  repl_session s;
  s.say(
      "receptor AMPA { reversal = 0 mV; decay = 2 ms }\n"
      "neuron C { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms; capacitance = 250 pF }\n"
      "population p = 2 x C");
  const std::string out = s.say(
      "population q = C\n"
      "train kick = times [1 ms]\n"
      "connect kick -> q via AMPA weight 20 nS delay 1 ms\n"
      "record spikes plot \"raster.svg\"\n"
      "run 5 ms\n"
      "population r = C\n"
      "population big = 40000000 x C\n"
      "population z = C");
  EXPECT_EQ(out.find("t = 5 ms: 1 spike since 0 ms"), 0u) << out;
  EXPECT_EQ(out.find("t = 5 ms:", 1), std::string::npos) << out;
  std::vector<std::string> names;
  for (const group& g : s.get().current_model().groups) names.push_back(g.name);
  EXPECT_EQ(names, (std::vector<std::string>{"p", "q", "kick", "r"}));
  EXPECT_EQ(s.get().now(), 5.0);
  const std::string err = s.errors();
  const auto count = [&](std::string_view what) {
    std::size_t n = 0;
    for (auto at = err.find(what); at != std::string::npos; at = err.find(what, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<input>:7:20: warning: the REPL draws no figure"), 1u) << err;
  EXPECT_EQ(count("<input>:10:12: error: this would create about 40,000,005 neurons"), 1u) << err;
  EXPECT_EQ(count("<input>:"), 2u) << err;
  EXPECT_EQ(s.say("run 1 ms"), "t = 6 ms: 0 spikes since 5 ms\n");
}

// A loaded file whose network the engine refuses has the session rebuilt, from the statements
// before the refused one. The file then leaves the old world's loader, not the new one's, even
// when the new world took the old one's address (which crashed, for some allocation histories).
TEST(session_statements, a_loaded_file_refused_by_the_engine_keeps_what_came_before) {
  test::temp_dir tmp;
  repl_session s;
  s.say(
      "receptor AMPA { reversal = 0 mV; decay = 2 ms }\n"
      "neuron C { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 250 pF }");
  std::vector<std::string> names;
  for (int i = 0; i < 20; ++i) {
    const std::string file = (tmp / fmt::format("refused{}.syn", i)).string();
    test::write_file(file,
                     fmt::format("population p{0} = 50 x C\n"
                                 "connect p{0} -> p{0} via AMPA weight normal(100 uS, 100 uS) "
                                 "delay 1 ms\n",
                                 i));
    EXPECT_EQ(s.say(":load " + file), "");
    names.push_back(fmt::format("p{}", i));
  }
  std::vector<std::string> taken;
  for (const group& g : s.get().current_model().groups) taken.push_back(g.name);
  EXPECT_EQ(taken, names);
  const std::string err = s.errors();
  EXPECT_NE(err.find("refused19.syn:2:1: error: synapse: a conductance of"), std::string::npos)
      << err;
  EXPECT_EQ(s.say("run 1 ms"), "t = 1 ms: 0 spikes since 0 ms\n");
}

// A conductance connected later onto a population of a neuron type leaves the past of another
// population of that type, which only currents reach, as it was: that one keeps a model of its
// own, simulated by closed forms (lowering), where a model shared with the later population would
// have been simulated as a conductance cell from 0 ms and moved its spikes in their last bits.
TEST(session_statements, a_conductance_added_later_leaves_a_current_populations_past_unchanged) {
  const std::string declarations =
      "receptor AMPA { reversal = 0 mV; rise = 0.5 ms; decay = 3 ms }\n"
      "neuron LIF { rest = -70 mV; threshold = -55 mV; tau_m = 10 ms; capacitance = 250 pF }\n"
      "population a = LIF\n"
      "train s = regular 400 Hz from 0 ms to 80 ms\n"
      "connect s -> a via AMPA weight 300 pA delay 1 ms";
  repl_session alone;
  alone.say(declarations);
  alone.say("run 80 ms");
  repl_session grown;
  grown.say(declarations);
  grown.say("run 40 ms");
  grown.say("population b = LIF\nconnect s -> b via AMPA weight 12 nS delay 1 ms\nrun 40 ms");
  const std::string spikes = alone.say("spikes of a");
  EXPECT_NE(spikes.find("68.79995539471922 ms  a[0]"), std::string::npos) << spikes;
  EXPECT_EQ(grown.say("spikes of a"), spikes);
  EXPECT_NE(grown.say("spikes of b"), "no spikes\n");
}

}  // namespace
}  // namespace syn::dsl
