#include "semantics/library_loader.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdlib>

#include "syntax/parser.hpp"

namespace syn::dsl {

namespace fs = std::filesystem;

namespace {

// The standard library beside an installed binary (PREFIX/bin/syn, PREFIX/share/syn/stdlib),
// else the source tree's, for a binary run from its build tree.
fs::path find_stdlib() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "syn" / "stdlib";
    if (fs::is_directory(installed, ec)) return installed;
  }
  return SYN_STDLIB_DIR;
}

// How a folder is shown in messages: "." for the current one rather than "".
std::string shown(const fs::path& dir) { return dir.empty() ? "." : dir.string(); }

// What identifies a file: its canonical path, where there is one.
fs::path key_of(const fs::path& file) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(file, ec);
  return ec ? file : canonical;
}

// a.b as a/b.syn; `skip` leading parts left out (std. in the standard library's own folder).
fs::path file_of(const ast::qualified_name& module, std::size_t skip = 0) {
  fs::path relative;
  for (std::size_t i = skip; i < module.parts.size(); ++i) relative /= module.parts[i];
  return relative += ".syn";
}

// Why a file read for an import is no Syn library at all, judged by its first statement: it
// does not parse, or it is one a library cannot hold (as in a file of settings, KEY=VALUE).
// nullopt when it may be one. The reason quotes nothing of the file.
std::optional<std::string> not_a_library(const library& lib, const diagnostics& parsed) {
  const auto at = [&](span where, std::string_view what) {
    const auto p = lib.file->at(where.begin);
    return fmt::format("line {}, column {}: {}", p.line, p.column, what);
  };
  if (lib.statements.empty() && parsed.has_errors())
    return at(parsed.all().front().where, parsed.all().front().message);
  if (!lib.statements.empty() && ast::simulates(lib.statements.front()))
    return at(lib.statements.front().where,
              "its first statement simulates, and a library holds only declarations");
  return std::nullopt;
}

}  // namespace

library_path library_path::from_environment(std::vector<fs::path> include_dirs) {
  library_path p;
  p.include_dirs = std::move(include_dirs);
  if (const char* env = std::getenv("SYN_PATH")) {
    const std::string_view list = env;
    std::size_t start = 0;
    while (start <= list.size()) {
      const std::size_t end = std::min(list.find(':', start), list.size());
      if (end > start) p.env_dirs.emplace_back(list.substr(start, end - start));
      start = end + 1;
    }
  }
  p.stdlib_dir = find_stdlib();
  return p;
}

std::vector<library_loader::candidate> library_loader::candidates(const ast::qualified_name& module,
                                                                  const fs::path& from_dir) const {
  const fs::path relative = file_of(module);
  std::vector<candidate> list;
  list.push_back({from_dir, relative, "the importing file's folder"});
  for (const fs::path& d : path_.include_dirs) list.push_back({d, relative, "-I"});
  for (const fs::path& d : path_.env_dirs) list.push_back({d, relative, "SYN_PATH"});
  // In the standard library's own folder, std.x is x.syn.
  if (module.parts.size() > 1 && module.parts.front() == "std")
    list.push_back({path_.stdlib_dir, file_of(module, 1), "the standard library"});
  return list;
}

std::optional<fs::path> library_loader::find(const ast::qualified_name& module,
                                             const fs::path& from_dir) const {
  std::error_code ec;
  for (const candidate& c : candidates(module, from_dir)) {
    const fs::path file = (c.dir / c.file).lexically_normal();
    // Found even when it is no regular file (a FIFO), so that loading it says so.
    if (fs::exists(file, ec) && !fs::is_directory(file, ec)) return file;
  }
  return std::nullopt;
}

void library_loader::enter(const fs::path& file) {
  loading_.emplace_back(key_of(file), file.string());
}

const library* library_loader::import_module(const ast::qualified_name& module,
                                             const fs::path& from_dir, diagnostics& diags) {
  const std::string name = module.text();
  const std::optional<fs::path> file = find(module, from_dir);
  if (!file) {
    std::vector<std::string> places;
    for (const candidate& c : candidates(module, from_dir))
      places.push_back(fmt::format("{} ({})", shown(c.dir), c.why));
    std::string advice = "to import from another folder, name it with -I DIR or add it to SYN_PATH";
    if (module.parts.size() > 1 && module.parts.front() == "std") {
      std::vector<std::string> std_names;
      std::error_code ec;
      for (const auto& entry : fs::directory_iterator(path_.stdlib_dir, ec))
        if (entry.path().extension() == ".syn")
          std_names.push_back("std." + entry.path().stem().string());
      std::sort(std_names.begin(), std_names.end());
      advice = fmt::format("the standard library holds {}", fmt::join(std_names, ", "));
    }
    diags.error(module.where, fmt::format("cannot find library '{}'", name),
                fmt::format("looked for {} in: {}; {}", file_of(module).generic_string(),
                            fmt::join(places, ", "), advice));
    return nullptr;
  }
  const library* lib = load(*file, name, module.where, diags);
  // The file must be the library it is imported as; from a sibling in its folder, a.b may be
  // imported as b.
  if (lib && lib->header.file && !(lib->name == name || lib->name.ends_with("." + name))) {
    diags.error(module.where,
                fmt::format("{} declares library '{}', not '{}'", file->string(), lib->name, name),
                "import it by the name its `library` line gives, or correct that line");
    return nullptr;
  }
  return lib;
}

const library* library_loader::import_file(const std::string& path, span where,
                                           const std::string& alias, const fs::path& from_dir,
                                           diagnostics& diags) {
  const fs::path file = (from_dir / path).lexically_normal();
  std::error_code ec;
  if (!fs::exists(file, ec)) {
    diags.error(
        where, fmt::format("cannot find library file '{}'", file.string()),
        fmt::format("the path is relative to the importing file's folder ({})", shown(from_dir)));
    return nullptr;
  }
  return load(file, alias, where, diags);
}

const library* library_loader::open(const fs::path& file, diagnostics& diags) {
  return load(file, file.string(), std::nullopt, diags);
}

const library* library_loader::load(const fs::path& file, const std::string& name,
                                    std::optional<span> where, diagnostics& diags) {
  const fs::path key = key_of(file);
  const auto cycle_start = std::find_if(loading_.begin(), loading_.end(),
                                        [&](const auto& entry) { return entry.first == key; });
  if (cycle_start != loading_.end()) {
    std::vector<std::string> chain;
    for (auto it = cycle_start; it != loading_.end(); ++it) chain.push_back(it->second);
    chain.push_back(cycle_start->second);
    diags.error(where.value_or(span{}),
                fmt::format("import cycle: {}", fmt::join(chain, ", which imports ")),
                "a library cannot import, directly or not, the file that imports it");
    return nullptr;
  }
  if (const auto it = loaded_.find(key); it != loaded_.end()) return it->second.get();

  std::string why;
  std::optional<source_file> text = read_source_file(file.string(), why);
  if (!text) {
    if (where)
      diags.error(*where, fmt::format("cannot read library '{}': {}", file.string(), why));
    else
      diags.error({}, fmt::format("cannot read '{}': {}", file.string(), why));
    return nullptr;
  }
  auto lib = std::make_unique<library>();
  lib->file = std::make_unique<source_file>(std::move(*text));
  lib->name = name;
  diagnostics parsed;
  lib->statements = parse(*lib->file, parsed);
  // Nothing of a file that is no library is shown: an import could otherwise print any file it
  // can read.
  if (const std::optional<std::string> refusal =
          where ? not_a_library(*lib, parsed) : std::nullopt) {
    diags.error(
        *where,
        fmt::format("cannot import '{}': it is not a Syn library ({})", file.string(), *refusal),
        "a library is a file of declarations: receptor, neuron, import, from, library");
    return nullptr;
  }
  const std::size_t errors_before = diags.error_count();
  diags.append(parsed);
  if (!lib->statements.empty())
    if (const auto* h = std::get_if<ast::library_stmt>(&lib->statements.front().s)) {
      lib->name = h->name.text();
      lib->version = h->version;
      lib->header = lib->statements.front().where;
    }
  loading_.emplace_back(key, file.string());
  check_(*lib, file.parent_path(), where, *this, diags);
  loading_.pop_back();
  lib->ok = diags.error_count() == errors_before;
  return loaded_.emplace(key, std::move(lib)).first->second.get();
}

std::optional<std::vector<std::uint64_t>> parse_version(const std::string& text) {
  std::vector<std::uint64_t> parts;
  std::size_t i = 0;
  while (true) {
    const std::size_t start = i;
    std::uint64_t n = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
      if (n > (UINT64_MAX - 9) / 10) return std::nullopt;
      n = n * 10 + static_cast<std::uint64_t>(text[i++] - '0');
    }
    if (i == start) return std::nullopt;
    parts.push_back(n);
    if (i == text.size()) return parts;
    if (text[i++] != '.') return std::nullopt;
  }
}

bool version_at_least(const std::vector<std::uint64_t>& have,
                      const std::vector<std::uint64_t>& need) {
  for (std::size_t i = 0; i < std::max(have.size(), need.size()); ++i) {
    const std::uint64_t h = i < have.size() ? have[i] : 0;
    const std::uint64_t n = i < need.size() ? need[i] : 0;
    if (h != n) return h > n;
  }
  return true;
}

}  // namespace syn::dsl
