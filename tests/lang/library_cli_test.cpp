// Libraries from the command line (SPEC §3, §4): where imports are searched (-I, SYN_PATH, the
// standard library from the build tree and from an install prefix), and `syn doc`.

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

namespace fs = std::filesystem;

constexpr const char* cells_library = R"(## Cells for the tests.
library lab.cells version "1.4.0"

## A regular-spiking cell.
## Second line of its doc.
neuron Pyramidal {
  rest = -70 mV
  threshold = -50 mV
  tau_m = 10 ms
  v0 = uniform(-70 mV, -60 mV)
}

## Pyramidal with a faster membrane.
neuron Fast : Pyramidal { tau_m = 5 ms; capacitance = 100 pF }

## A fast glutamatergic receptor.
receptor AMPA { transmitter = glutamate; kind = ionotropic; ions = [Na+, K+]; reversal = 0 mV; rise = 0.2 ms; decay = 2 ms }
)";

constexpr const char* model_using_cells = R"(
import lab.cells >= 1.4
population p = cells.Fast
train t = times [1 ms]
connect t -> p via cells.AMPA weight 30 mV delay 1 ms
record spikes
run 10 ms
)";

// SYN_PATH for the children started while it lives; the previous value comes back after.
class scoped_syn_path {
 public:
  explicit scoped_syn_path(const std::string& value) {
    if (const char* old = std::getenv("SYN_PATH")) old_ = old;
    ::setenv("SYN_PATH", value.c_str(), 1);
  }
  ~scoped_syn_path() {
    if (old_) {
      ::setenv("SYN_PATH", old_->c_str(), 1);
    } else {
      ::unsetenv("SYN_PATH");
    }
  }

 private:
  std::optional<std::string> old_;
};

struct library_folders {
  temp_dir dir;
  fs::path libs = dir / "libs";
  fs::path work = dir / "work";
  library_folders() {
    fs::create_directories(libs / "lab");
    fs::create_directories(work);
    write_file(libs / "lab" / "cells.syn", cells_library);
    write_file(work / "model.syn", model_using_cells);
  }
};

TEST(library_path, a_library_in_an_include_folder_is_found_with_dash_i) {
  const library_folders f;
  const syn_result r = run_syn({"run", "model.syn", "-I", f.libs.string(), "--out", "out"}, f.work);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(f.work / "out" / "spikes.csv").find(",p,0"), std::string::npos);
}

TEST(library_path, a_library_in_a_syn_path_folder_is_found) {
  const library_folders f;
  const scoped_syn_path path(fmt::format("/nonexistent:{}:", f.libs.string()));
  const syn_result r = run_syn({"run", "model.syn", "--out", "out"}, f.work);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(library_path, a_missing_library_lists_every_folder_searched_in_order) {
  const library_folders f;
  const scoped_syn_path path("/first/from/env:/second/from/env");
  const syn_result r = run_syn({"check", "model.syn", "-I", "inc"}, f.work);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("model.syn:2:8: error: cannot find library 'lab.cells'"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("hint: looked for lab/cells.syn in: . (the importing file's folder), inc "
                       "(-I), /first/from/env (SYN_PATH), /second/from/env (SYN_PATH); to "
                       "import from another folder, name it with -I DIR or add it to SYN_PATH\n"),
            std::string::npos)
      << r.err;
}

TEST(library_path, dash_i_comes_before_syn_path) {
  const library_folders f;
  // A second lab.cells, too old for the model, earlier on the path.
  const fs::path early = f.dir / "early";
  fs::create_directories(early / "lab");
  write_file(early / "lab" / "cells.syn", "library lab.cells version \"1.0.0\"\n");
  const scoped_syn_path path(f.libs.string());
  const syn_result r = run_syn({"check", "model.syn", "-I", early.string()}, f.work);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("lab.cells is version 1.0.0, but version 1.4 or later is required"),
            std::string::npos)
      << r.err;
}

TEST(stdlib, the_built_binary_finds_the_standard_library_in_the_source_tree) {
  const temp_dir dir;
  write_file(dir / "model.syn", "import std.receptors\nimport std.neurons >= 1.0\n");
  const syn_result r = run_syn({"check", "model.syn"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const syn_result doc = run_syn({"doc", "std.receptors"}, dir.path());
  EXPECT_NE(doc.out.find(fmt::format("({}/receptors.syn)", SYN_STDLIB)), std::string::npos)
      << doc.out;
}

TEST(stdlib, a_missing_std_library_names_those_there_are) {
  const temp_dir dir;
  write_file(dir / "model.syn", "import std.synapses\n");
  const syn_result r = run_syn({"check", "model.syn"}, dir.path());
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("(the standard library); the standard library holds std.ions, "
                       "std.neurons, std.receptors\n"),
            std::string::npos)
      << r.err;
}

TEST(stdlib, its_folder_given_with_dash_i_is_searched_like_any_other) {
  // The folder holds std.x as x.syn only when searched as the standard library.
  const temp_dir dir;
  write_file(dir / "model.syn", "import receptors\n");
  const syn_result r = run_syn({"check", "model.syn", "-I", SYN_STDLIB}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST(stdlib, an_installed_binary_finds_the_standard_library_under_its_prefix) {
  const temp_dir dir;
  const fs::path prefix = dir / "prefix";
  const std::string install =
      fmt::format("cmake --install '{}' --prefix '{}' > '{}' 2>&1", SYN_BUILD_DIR, prefix.string(),
                  (dir / "install.log").string());
  ASSERT_EQ(std::system(install.c_str()), 0) << read_file(dir / "install.log");
  ASSERT_TRUE(fs::is_regular_file(prefix / "share" / "syn" / "stdlib" / "receptors.syn"));
  write_file(dir / "model.syn", "import std.receptors\nimport std.neurons\n");
  const syn_result r =
      run_syn_binary((prefix / "bin" / "syn").string(), {"check", "model.syn"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // The installed copy, not the source tree's: a doc page names the file it read.
  const syn_result doc =
      run_syn_binary((prefix / "bin" / "syn").string(), {"doc", "std.receptors"}, dir.path());
  EXPECT_EQ(doc.exit_code, 0) << doc.err;
  EXPECT_NE(doc.out.find((prefix / "share" / "syn" / "stdlib").string()), std::string::npos)
      << doc.out;
}

TEST(doc, prints_each_declaration_with_parameters_units_inheritance_and_doc_comment) {
  const library_folders f;
  const syn_result r = run_syn({"doc", "lab.cells", "-I", f.libs.string()}, f.work);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string expected = fmt::format(R"(library lab.cells, version 1.4.0 ({}/lab/cells.syn)
  Cells for the tests.

neuron Pyramidal
  A regular-spiking cell.
  Second line of its doc.

    rest             -70 mV
    threshold        -50 mV
    reset            rest                              (default)
    refractory       0 ms                              (default)
    tau_m            10 ms
    capacitance      none (pA and nS weights need it)  (default)
    bias             0 pA                              (default)
    length_constant  infinite (no attenuation)         (default)
    v0               uniform(-70 mV, -60 mV)

neuron Fast : Pyramidal
  Pyramidal with a faster membrane.

    rest             -70 mV                     (from Pyramidal)
    threshold        -50 mV                     (from Pyramidal)
    reset            rest                       (default)
    refractory       0 ms                       (default)
    tau_m            5 ms
    capacitance      100 pF
    bias             0 pA                       (default)
    length_constant  infinite (no attenuation)  (default)
    v0               uniform(-70 mV, -60 mV)    (from Pyramidal)

receptor AMPA
  A fast glutamatergic receptor.

    transmitter  glutamate
    kind         ionotropic
    ions         [Na+, K+]
    reversal     0 mV
    kinetics     current                      (default)
    rise         0.2 ms
    decay        2 ms
    effect       from the reversal potential  (default)
    latency      0 ms                         (default)
    mg_block     none                         (default)
)",
                                           f.libs.string());
  EXPECT_EQ(r.out, expected);
}

TEST(doc, format_md_writes_a_markdown_page) {
  const library_folders f;
  const syn_result r =
      run_syn({"doc", "lab.cells", "--format", "md", "-I", f.libs.string()}, f.work);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("# lab.cells 1.4.0\n")) << r.out;
  EXPECT_NE(
      r.out.find("## `neuron Fast : Pyramidal`\n\nPyramidal with a faster membrane.\n\n"
                 "| property | value | |\n|---|---|---|\n| rest | -70 mV | from Pyramidal |\n"),
      std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("| rise | 0.2 ms |  |\n"), std::string::npos) << r.out;
}

// A doc comment's paragraph whose every line is indented is a usage example (as at the top of the
// standard library's files): Markdown gets a fenced syn block, where two spaces of indent would
// run it into the prose; a bullet's indented continuation stays prose.
TEST(doc, an_indented_paragraph_of_a_doc_comment_is_a_syn_code_block) {
  const library_folders f;
  write_file(f.libs / "lab" / "usage.syn", R"(## Cells, used as:
##
##   import lab.usage
##   population p = usage.Cell
##
## * a bullet whose second line
##   is indented.
library lab.usage version "1.0.0"

## One cell.
neuron Cell { rest = -70 mV; threshold = -50 mV; tau_m = 10 ms }
)");
  const syn_result md = run_syn({"doc", "lab.usage", "--format", "md", "-I", f.libs.string()});
  ASSERT_EQ(md.exit_code, 0) << md.err;
  EXPECT_NE(md.out.find("\n\nCells, used as:\n\n```syn\nimport lab.usage\n"
                        "population p = usage.Cell\n```\n\n"
                        "* a bullet whose second line\n  is indented.\n\n## `neuron Cell`\n\n"
                        "One cell.\n\n| property"),
            std::string::npos)
      << md.out;
  // The terminal keeps the indent, which reads as code there.
  const syn_result text = run_syn({"doc", "lab.usage", "-I", f.libs.string()});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("\n  Cells, used as:\n\n    import lab.usage\n"
                          "    population p = usage.Cell\n\n  * a bullet whose second line\n"
                          "    is indented.\n"),
            std::string::npos)
      << text.out;
}

TEST(doc, one_declaration_by_its_qualified_name_and_a_file_by_its_path) {
  const library_folders f;
  const syn_result one = run_syn({"doc", "lab.cells.AMPA", "-I", f.libs.string()}, f.work);
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_TRUE(one.out.starts_with("\nreceptor AMPA\n")) << one.out;
  EXPECT_EQ(one.out.find("Pyramidal"), std::string::npos) << one.out;

  const syn_result file = run_syn({"doc", (f.libs / "lab" / "cells.syn").string()}, f.work);
  ASSERT_EQ(file.exit_code, 0) << file.err;
  EXPECT_NE(file.out.find("neuron Fast : Pyramidal"), std::string::npos) << file.out;
}

TEST(doc, a_model_file_is_documented_too) {
  const library_folders f;
  const syn_result r = run_syn({"doc", "model.syn", "-I", f.libs.string()}, f.work);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "model.syn\n\n  (no receptors or neuron types)\n");
}

TEST(doc, unknown_names_and_broken_libraries_are_errors_with_exit_1) {
  const library_folders f;
  const syn_result missing = run_syn({"doc", "lab.nothing", "-I", f.libs.string()}, f.work);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.err.find("<command line>:1:1: error: cannot find library 'lab.nothing'"),
            std::string::npos)
      << missing.err;
  const syn_result no_decl = run_syn({"doc", "lab.cells.Nope", "-I", f.libs.string()}, f.work);
  EXPECT_EQ(no_decl.exit_code, 1);
  EXPECT_NE(no_decl.err.find("syn: error: lab.cells declares no receptor or neuron type 'Nope'"),
            std::string::npos)
      << no_decl.err;
  write_file(f.libs / "lab" / "broken.syn", "neuron X { rest = -70 mv }\n");
  const syn_result broken = run_syn({"doc", "lab.broken", "-I", f.libs.string()}, f.work);
  EXPECT_EQ(broken.exit_code, 1);
  EXPECT_NE(broken.err.find("broken.syn:1:23: error: unknown unit 'mv'"), std::string::npos)
      << broken.err;
  const syn_result usage = run_syn({"doc"}, f.work);
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_TRUE(usage.err.starts_with("syn: error: syn doc needs a library name or a file\n"))
      << usage.err;
  const syn_result bad_format = run_syn({"doc", "lab.cells", "--format", "html"}, f.work);
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_TRUE(bad_format.err.starts_with("syn: error: --format takes text or md\n"))
      << bad_format.err;
}

}  // namespace
}  // namespace syn::test
