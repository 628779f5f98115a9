// The docs' examples run, so that what they show is what `syn` does: every fenced block of
// README.md, examples/README.md and docs/*.md, and every usage example in the doc comments of
// stdlib/*.syn, one test each, named after its file and line. The convention the blocks follow
// is in README.md ("The docs' examples"); a block it does not classify fails.

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "syn_runner.hpp"
#include "syntax/parser.hpp"
#include "syntax/source_file.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

const fs::path source_root = SYN_SOURCE_DIR;

struct block {
  std::string file;  // relative to the source root
  int line = 0;      // of the opening fence (of the paragraph, in a doc comment)
  std::string info;  // the fence's info string
  std::vector<std::string> lines;
};

// How GoogleTest shows a block: where it is, not its bytes.
void PrintTo(const block& b, std::ostream* os) { *os << b.file << ":" << b.line; }

std::string trim(std::string_view s) {
  const std::size_t begin = s.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return std::string(s.substr(begin, s.find_last_not_of(" \t") - begin + 1));
}

std::string trim_end(std::string_view s) {
  return std::string(s.substr(0, s.find_last_not_of(" \t") + 1));
}

// The fenced blocks of a Markdown text; a fence may be indented (in a list), and its contents
// lose that indent.
std::vector<block> markdown_blocks(const std::string& file, const std::string& text) {
  static const std::regex fence(R"(^( *)(```+)(.*)$)");
  std::vector<block> blocks;
  std::optional<block> open;
  std::string closing;
  std::size_t indent = 0;
  int number = 0;
  for (const std::string& line : split_lines(text)) {
    ++number;
    std::smatch m;
    if (!open) {
      if (std::regex_match(line, m, fence)) {
        open = block{file, number, trim(m[3].str()), {}};
        indent = m[1].length();
        closing = m[2].str();
      }
    } else if (trim(line) == closing) {
      blocks.push_back(std::move(*open));
      open.reset();
    } else {
      open->lines.push_back(line.substr(std::min(indent, line.find_first_not_of(' '))));
    }
  }
  if (open) blocks.push_back(block{file, open->line, "unclosed fence", {}});
  return blocks;
}

// The usage examples of a library's doc comments: a paragraph of `##` lines all indented, as
// `syn doc --format md` fences them (doc_page.cpp). Each is a model.
std::vector<block> doc_comment_blocks(const std::string& file, const std::string& text) {
  std::vector<block> blocks;
  std::optional<block> paragraph;
  bool all_indented = true;
  const auto flush = [&] {
    if (paragraph && all_indented) {
      std::size_t indent = std::string::npos;
      for (const std::string& l : paragraph->lines)
        indent = std::min(indent, l.find_first_not_of(' '));
      for (std::string& l : paragraph->lines) l.erase(0, indent);
      blocks.push_back(std::move(*paragraph));
    }
    paragraph.reset();
    all_indented = true;
  };
  int number = 0;
  for (const std::string& line : split_lines(text)) {
    ++number;
    if (!line.starts_with("##") || trim(line.substr(2)).empty()) {
      flush();
      continue;
    }
    const std::string content = line.substr(line.starts_with("## ") ? 3 : 2);
    if (!paragraph) paragraph = block{file, number, "syn", {}};
    paragraph->lines.push_back(content);
    all_indented = all_indented && content.starts_with("  ");
  }
  flush();
  return blocks;
}

std::vector<block> discover_blocks() {
  std::vector<std::string> docs{"README.md", "examples/README.md"};
  std::vector<std::string> found;
  for (const auto& entry : fs::directory_iterator(source_root / "docs"))
    if (entry.path().extension() == ".md")
      found.push_back("docs/" + entry.path().filename().string());
  for (const auto& entry : fs::directory_iterator(source_root / "stdlib"))
    if (entry.path().extension() == ".syn")
      found.push_back("stdlib/" + entry.path().filename().string());
  std::sort(found.begin(), found.end());
  docs.insert(docs.end(), found.begin(), found.end());
  std::vector<block> blocks;
  for (const std::string& doc : docs) {
    const std::string text = read_file(source_root / doc);
    for (block& b :
         doc.ends_with(".md") ? markdown_blocks(doc, text) : doc_comment_blocks(doc, text))
      blocks.push_back(std::move(b));
  }
  return blocks;
}

// ---- matching shown output ---------------------------------------------------------------------

// How far `actual` is what `expected` shows: line for line, trailing blanks ignored, where an
// expected line `...` stands for any number of lines.
struct match {
  bool whole = false;
  std::size_t expected_matched = 0;  // the longest prefix of `expected` that matches
  std::size_t actual_matched = 0;    // ... the longest prefix of `actual` it matches
};

match match_lines(const std::vector<std::string>& expected,
                  const std::vector<std::string>& actual) {
  // matched[j]: expected[0, i) matches actual[0, j).
  std::vector<bool> matched(actual.size() + 1, false);
  matched[0] = true;
  match m;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    std::vector<bool> next(actual.size() + 1, false);
    const bool any = trim(expected[i]) == "...";
    for (std::size_t j = 0; j <= actual.size(); ++j) {
      if (any)
        next[j] = matched[j] || (j > 0 && next[j - 1]);
      else
        next[j] = j > 0 && matched[j - 1] && trim_end(expected[i]) == trim_end(actual[j - 1]);
    }
    if (std::find(next.begin(), next.end(), true) == next.end()) break;
    matched = std::move(next);
    m.expected_matched = i + 1;
  }
  for (std::size_t j = 0; j <= actual.size(); ++j)
    if (matched[j]) m.actual_matched = j;
  m.whole = m.expected_matched == expected.size() && matched.back();
  return m;
}

bool lines_match(const std::vector<std::string>& expected, const std::vector<std::string>& actual) {
  return match_lines(expected, actual).whole;
}

std::string listing(const std::vector<std::string>& lines) {
  std::string out;
  for (std::size_t i = 0; i < lines.size(); ++i)
    out += fmt::format("  {:>3} | {}\n", i + 1, lines[i]);
  return out.empty() ? "  (nothing)\n" : out;
}

// ---- commands ----------------------------------------------------------------------------------

// A command line without its comment, split into words ('...' and "..." quote; ~/ starting a
// word or a value after '=' is `home`).
std::vector<std::string> words_of(std::string_view line, const fs::path& home) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quote) {
      if (c == quote) {
        quote = 0;
      } else {
        word += c;
      }
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == ' ' || c == '\t') {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else if (c == '#' && !in_word) {
      break;
    } else if ((!in_word || word.ends_with('=')) && line.substr(i).starts_with("~/")) {
      word += home.string();  // the '/' comes next
      in_word = true;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (in_word) words.push_back(std::move(word));
  return words;
}

// Commands shown but not run: scripts/test runs these very tests, git needs the network. What
// they would leave behind (a cloned library) is in the fixtures.
bool shown_only(const std::vector<std::string>& words) {
  return words[0] == "scripts/test" || words[0] == "git";
}

// Variables a block exports, for the rest of the block; the old values come back after it.
class block_environment {
 public:
  block_environment() = default;
  block_environment(const block_environment&) = delete;
  block_environment& operator=(const block_environment&) = delete;
  ~block_environment() {
    for (const auto& [name, old] : saved_) {
      if (old) {
        ::setenv(name.c_str(), old->c_str(), 1);
      } else {
        ::unsetenv(name.c_str());
      }
    }
  }
  void set(const std::string& name, const std::string& value) {
    if (!saved_.contains(name)) {
      const char* old = std::getenv(name.c_str());
      saved_[name] = old ? std::optional<std::string>(old) : std::nullopt;
    }
    ::setenv(name.c_str(), value.c_str(), 1);
  }

 private:
  std::map<std::string, std::optional<std::string>> saved_;
};

// A fresh folder holding the fixtures and a link to examples/, where a block's commands run.
struct workspace {
  temp_dir dir;
  block_environment environment;
  workspace() {
    fs::copy(SYN_DOCS_FIXTURES, dir.path(), fs::copy_options::recursive);
    fs::create_directory_symlink(source_root / "examples", dir / "examples");
  }
};

// The syn words of a command (`syn ...` or `scripts/syn ...`), or nullopt for another program.
std::optional<std::vector<std::string>> syn_arguments(const std::vector<std::string>& words) {
  if (words[0] != "syn" && words[0] != "scripts/syn") return std::nullopt;
  return std::vector<std::string>(words.begin() + 1, words.end());
}

// ---- the kinds of block ------------------------------------------------------------------------

std::string check_model(const block& b) {
  const workspace w;
  std::string text;
  for (const std::string& l : b.lines) text += l + "\n";
  write_file(w.dir / "model.syn", text);
  // With the library folder of docs/libraries.md's "Sharing" on the path, for `import lab.cells`.
  const std::string libraries = (w.dir / "syn-libs").string();
  const syn_result checked = run_syn({"check", "model.syn", "-I", libraries}, w.dir.path());
  if (checked.exit_code != 0 || checked.err.find("warning:") != std::string::npos)
    return fmt::format("`syn check` of the block: exit {}\n{}", checked.exit_code, checked.err);
  static const std::regex run_statement(R"((^|;)\s*run\s)");
  const bool runs = std::any_of(b.lines.begin(), b.lines.end(), [](const std::string& l) {
    return std::regex_search(l, run_statement);
  });
  if (!runs) return {};
  const syn_result ran =
      run_syn({"run", "model.syn", "--out", "out", "-I", libraries}, w.dir.path());
  if (ran.exit_code != 0)
    return fmt::format("`syn run` of the block: exit {}\n{}", ran.exit_code, ran.err);
  return {};
}

// A fragment lacks the declarations around it, so only its syntax is checked.
std::string check_fragment(const block& b) {
  std::string text;
  for (const std::string& l : b.lines) text += l + "\n";
  const dsl::source_file file(b.file, text, b.line + 1);  // positions in the doc
  dsl::diagnostics diags;
  dsl::parse(file, diags);
  std::string out;
  for (const dsl::diagnostic& d : diags.all()) out += dsl::render(d, false);
  return diags.has_errors() ? "the fragment does not parse:\n" + out : std::string();
}

std::string check_commands(const block& b) {
  workspace w;
  std::string failures;
  for (const std::string& line : b.lines) {
    const std::vector<std::string> words = words_of(line, w.dir.path());
    if (words.empty() || shown_only(words)) continue;
    if (words[0] == "export" && words.size() == 2 && words[1].find('=') != std::string::npos) {
      const std::size_t eq = words[1].find('=');
      w.environment.set(words[1].substr(0, eq), words[1].substr(eq + 1));
      continue;
    }
    const auto args = syn_arguments(words);
    if (!args) {
      failures += fmt::format("`{}`: not a command the docs test knows how to run\n",
                              fmt::join(words, " "));
      continue;
    }
    const syn_result r = run_syn_merged(*args, {}, w.dir.path());
    if (r.exit_code != 0)
      failures += fmt::format("`{}`: exit {}\n{}", fmt::join(words, " "), r.exit_code, r.out);
  }
  return failures;
}

// A transcript: `$ COMMAND` lines, each followed by what it prints (standard output and error
// together), or, for `syn repl`, by `syn> INPUT` lines and what each prints.
std::string check_console(const block& b) {
  workspace w;
  struct command {
    std::string line;
    std::vector<std::string> inputs;
    std::vector<std::string> shown;
  };
  std::vector<command> commands;
  for (const std::string& line : b.lines) {
    if (line.starts_with("$ ")) {
      commands.push_back({line.substr(2), {}, {}});
    } else if (commands.empty()) {
      return fmt::format("a transcript starts with a `$ COMMAND` line, not `{}`\n", line);
    } else if (line.starts_with("syn> ") || line.starts_with("...> ") || line == "syn>") {
      commands.back().inputs.push_back(line.substr(std::min<std::size_t>(5, line.size())));
    } else {
      commands.back().shown.push_back(line);
    }
  }
  std::string failures;
  for (const command& c : commands) {
    const std::vector<std::string> words = words_of(c.line, w.dir.path());
    if (words.size() == 2 && words[0] == "cat") {
      // The file a transcript shows is written, for the commands after it.
      std::string text;
      for (const std::string& l : c.shown) text += l + "\n";
      fs::create_directories((w.dir / words[1]).parent_path());
      write_file(w.dir / words[1], text);
      continue;
    }
    const auto args = words.empty() ? std::nullopt : syn_arguments(words);
    if (!args) {
      failures += fmt::format("`$ {}`: not a command the docs test knows how to run\n", c.line);
      continue;
    }
    const bool repl = !args->empty() && (*args)[0] == "repl";
    if (!c.inputs.empty() && !repl)
      failures += fmt::format("`$ {}`: `syn>` inputs follow only `syn repl`\n", c.line);
    std::string input;
    for (const std::string& i : c.inputs) input += i + "\n";
    const syn_result r = run_syn_merged(*args, input, w.dir.path());
    const std::vector<std::string> actual = split_lines(r.out);
    if (const match m = match_lines(c.shown, actual); !m.whole) {
      const auto at = [](const std::vector<std::string>& lines, std::size_t i) {
        return i < lines.size() ? fmt::format("line {}: {}", i + 1, lines[i]) : "the end";
      };
      failures += fmt::format(
          "`$ {}` printed other lines than shown: shown {}\nbut printed {}\nshown:\n{}printed:\n{}",
          c.line, at(c.shown, m.expected_matched), at(actual, m.actual_matched), listing(c.shown),
          listing(actual));
    }
    const bool shows_error = std::any_of(c.shown.begin(), c.shown.end(), [](const std::string& l) {
      return l.find("error: ") != std::string::npos;
    });
    if ((r.exit_code != 0) != shows_error)
      failures += fmt::format("`$ {}`: exit {}, but the transcript shows {}\n", c.line, r.exit_code,
                              shows_error ? "an error" : "no error");
  }
  return failures;
}

// What is wrong with a block, or "" when it passes.
std::string check_block(const block& b) {
  if (b.info == "syn") return check_model(b);
  if (b.info == "syn fragment") return check_fragment(b);
  if (b.info == "console") return check_console(b);
  if (b.info == "sh") return check_commands(b);
  if (b.info == "text") return {};  // a synopsis (of syntax or of the command line), not run
  if (b.info == "python") return {};  // python/tests/test_docs.py runs it, with the module
  return fmt::format(
      "a block with info string '{}', which the docs test does not know: give it one of syn, "
      "syn fragment, console, sh, python or text (tests/lang/README.md)",
      b.info);
}

class docs_block : public ::testing::TestWithParam<block> {};

TEST_P(docs_block, shows_what_syn_does) {
  const block& b = GetParam();
  const std::string failures = check_block(b);
  EXPECT_EQ(failures, "") << b.file << ":" << b.line << " (```" << b.info << "):\n" << failures;
}

INSTANTIATE_TEST_SUITE_P(docs, docs_block, ::testing::ValuesIn(discover_blocks()),
                         [](const auto& p) {
                           return test_name_of(p.param.file) + "_" + std::to_string(p.param.line);
                         });

// ---- the convention itself ---------------------------------------------------------------------

block made_up(std::string info, std::vector<std::string> lines) {
  return block{"made_up.md", 1, std::move(info), std::move(lines)};
}

TEST(docs_convention, blocks_are_read_with_their_info_string_and_line) {
  const std::vector<block> blocks = markdown_blocks(
      "x.md", "text\n```syn\nrun 1 ms\n```\n\n* item\n\n  ```\n  indented\n  ```\n");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].line, 2);
  EXPECT_EQ(blocks[0].info, "syn");
  EXPECT_EQ(blocks[0].lines, std::vector<std::string>{"run 1 ms"});
  EXPECT_EQ(blocks[1].line, 8);
  EXPECT_EQ(blocks[1].info, "");
  EXPECT_EQ(blocks[1].lines, std::vector<std::string>{"indented"});
}

TEST(docs_convention, a_doc_comments_indented_paragraph_is_a_model) {
  const std::vector<block> blocks = doc_comment_blocks(
      "lib.syn",
      "## A library.\n##\n##   import lib\n##   population p = lib.X\n##\n## * a\n##   "
      "continued\nlibrary lib\n");
  ASSERT_EQ(blocks.size(), 1u);
  EXPECT_EQ(blocks[0].line, 3);
  EXPECT_EQ(blocks[0].lines, (std::vector<std::string>{"import lib", "population p = lib.X"}));
}

TEST(docs_convention, an_ellipsis_line_stands_for_any_number_of_lines) {
  EXPECT_TRUE(lines_match({"a", "...", "d"}, {"a", "b", "c", "d"}));
  EXPECT_TRUE(lines_match({"a", "  ...", "b"}, {"a", "b"}));
  EXPECT_TRUE(lines_match({"a  "}, {"a"}));
  EXPECT_FALSE(lines_match({"a", "c"}, {"a", "b", "c"}));  // no silent elision
  EXPECT_FALSE(lines_match({"a"}, {"a", "b"}));
  EXPECT_FALSE(lines_match({"...", "x"}, {"a", "b"}));
}

TEST(docs_convention, a_block_of_unknown_kind_fails) {
  EXPECT_NE(check_block(made_up("", {"syn run x.syn"})), "");
  EXPECT_NE(check_block(made_up("rust", {"fn main() {}"})), "");
  EXPECT_EQ(check_block(made_up("python", {"import syn"})), "");  // python/tests/test_docs.py
  EXPECT_EQ(check_block(made_up("text", {"connect PRE -> POST"})), "");
}

TEST(docs_convention, a_model_must_check_and_run) {
  EXPECT_EQ(
      check_block(made_up("syn", {"neuron A { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }",
                                  "population p = A", "run 1 ms"})),
      "");
  EXPECT_NE(check_block(made_up("syn", {"neuron A { tau_m = 5 mv }"})), "");
  // Checks, but the run is refused: 1e12 samples of V.
  EXPECT_NE(check_block(made_up(
                "syn", {"neuron A { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }",
                        "population p = A", "record v of p every 0.000001 ms", "run 1000 s"})),
            "");
}

TEST(docs_convention, a_fragment_must_parse) {
  EXPECT_EQ(
      check_block(made_up("syn fragment", {"connect a -> b via AMPA weight 1 mV delay 1 ms"})), "");
  EXPECT_NE(check_block(made_up("syn fragment", {"conect a -> b via AMPA weight 1 mV delay 1 ms"})),
            "");
}

TEST(docs_convention, a_transcript_must_print_what_it_shows) {
  EXPECT_EQ(check_block(
                made_up("console", {"$ cat m.syn", "neuron A { tau_m = 5 mV }", "$ syn check m.syn",
                                    "m.syn:1:22: error: tau_m must be a time (ms, s, us), "
                                    "but mV is a unit of voltage",
                                    "..."})),
            "");
  const std::string wrong =
      check_block(made_up("console", {"$ syn repl", "syn> time", "t = 1 ms", "syn> time"}));
  EXPECT_NE(wrong.find("shown:\n    1 | t = 1 ms\nprinted:\n    1 | t = 0 ms\n    2 | t = 0 ms\n"),
            std::string::npos)
      << wrong;
  // An error shown must be an error made, and the other way round.
  EXPECT_NE(check_block(made_up("console", {"$ syn repl", "syn> tim", "..."})), "");
  EXPECT_NE(check_block(made_up("console", {"$ ls", "x"})), "");
}

TEST(docs_convention, commands_run_with_the_exported_variables) {
  const char* old = std::getenv("SYN_PATH");
  const std::optional<std::string> before = old ? std::optional<std::string>(old) : std::nullopt;
  EXPECT_EQ(check_block(made_up("sh", {"git clone https://example.org/x.git ~/syn-libs/lab",
                                       "export SYN_PATH=~/syn-libs   # then: import lab.cells",
                                       "syn doc lab.cells"})),
            "");
  const char* now = std::getenv("SYN_PATH");
  EXPECT_EQ(now ? std::optional<std::string>(now) : std::nullopt, before);
  EXPECT_NE(check_block(made_up("sh", {"syn doc lab.cells"})), "");
  EXPECT_NE(check_block(made_up("sh", {"rm -rf /"})), "");
}

}  // namespace
}  // namespace syn::test
