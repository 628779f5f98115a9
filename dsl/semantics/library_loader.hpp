#pragma once

// Finds, loads and checks the libraries a model imports (SPEC §3). Each file is read, parsed and
// checked once, however often it is imported; a file that imports itself, directly or not, is
// reported with the whole cycle. The loader owns every library's text, so diagnostics and the
// model's spans into it stay valid while the loader lives.

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "diagnostics/diagnostics.hpp"
#include "semantics/model.hpp"
#include "semantics/name_table.hpp"
#include "syntax/ast.hpp"
#include "syntax/source_file.hpp"

namespace syn::dsl {

struct library {
  std::string name;     // from its `library` line, else as first imported: a.b, or a file's alias
  std::string version;  // from its `library ... version` line; "" without one
  span header;          // that line, when there is one
  std::unique_ptr<source_file> file;
  std::vector<ast::statement> statements;
  model decls;       // its receptors and neuron types
  name_table names;  // its own declarations
  bool ok = false;   // loaded without errors; names from a broken library raise no more errors
};

// Where `import a.b` looks, in order (SPEC §3): the importing file's folder, each -I folder, each
// folder of SYN_PATH, then the standard library for std.* names.
struct library_path {
  std::vector<std::filesystem::path> include_dirs;  // -I
  std::vector<std::filesystem::path> env_dirs;      // SYN_PATH
  std::filesystem::path stdlib_dir;                 // holds std.x as x.syn

  // The folders SYN_PATH names (':'-separated, empty entries skipped) and the standard library
  // installed beside the running binary, or else the one in the source tree it was built from.
  static library_path from_environment(std::vector<std::filesystem::path> include_dirs);
};

class library_loader;

// Checks a library's parsed statements into its `decls` and `names`, its imports and file trains
// relative to `dir`; `imported_at` is the import that loads it as a library, none for a file
// opened as a model. The front end provides it, so that the loader needs no checker.
using library_checker = std::function<void(library& lib, const std::filesystem::path& dir,
                                           std::optional<span> imported_at, library_loader& loader,
                                           diagnostics& diags)>;

class library_loader {
 public:
  library_loader(library_path path, library_checker check)
      : path_(std::move(path)), check_(std::move(check)) {}

  // The model file being checked, which takes part in cycle detection until leave().
  void enter(const std::filesystem::path& file);
  void leave() { loading_.pop_back(); }

  // `import a.b` from a file in `from_dir`; nullptr (with an error at `module.where`) when it
  // cannot be found or read, is no Syn library or is part of a cycle. A library with errors of
  // its own is returned with ok == false, its errors reported where they are.
  const library* import_module(const ast::qualified_name& module,
                               const std::filesystem::path& from_dir, diagnostics& diags);
  // `import "path.syn" as x`, the path relative to `from_dir`.
  const library* import_file(const std::string& path, span where, const std::string& alias,
                             const std::filesystem::path& from_dir, diagnostics& diags);

  // A file read as a model (simulation statements allowed), for `syn doc FILE`.
  const library* open(const std::filesystem::path& file, diagnostics& diags);

  // The first file a.b names on the library path, searched from a file in `from_dir`.
  std::optional<std::filesystem::path> find(const ast::qualified_name& module,
                                            const std::filesystem::path& from_dir) const;

 private:
  // `where`: the import that loads it as a library; none for a file opened as a model.
  // Where a.b is looked for, in order: a folder, the file there, and why it is searched.
  struct candidate {
    std::filesystem::path dir;
    std::filesystem::path file;
    const char* why;
  };
  std::vector<candidate> candidates(const ast::qualified_name& module,
                                    const std::filesystem::path& from_dir) const;
  const library* load(const std::filesystem::path& file, const std::string& name,
                      std::optional<span> where, diagnostics& diags);

  library_path path_;
  library_checker check_;
  std::map<std::filesystem::path, std::unique_ptr<library>> loaded_;    // by canonical path
  std::vector<std::pair<std::filesystem::path, std::string>> loading_;  // canonical, shown
};

// Dotted numbers, compared numerically with missing parts as 0 ("1.10" > "1.9", "1.2" ==
// "1.2.0"); nullopt when `text` is not of that form.
std::optional<std::vector<std::uint64_t>> parse_version(const std::string& text);
bool version_at_least(const std::vector<std::uint64_t>& have,
                      const std::vector<std::uint64_t>& need);

}  // namespace syn::dsl
