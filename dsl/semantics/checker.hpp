#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "diagnostics/diagnostics.hpp"
#include "semantics/language_table.hpp"
#include "semantics/library_loader.hpp"
#include "semantics/model.hpp"
#include "semantics/name_table.hpp"
#include "semantics/param_settings.hpp"
#include "semantics/units.hpp"
#include "semantics/value_checks.hpp"
#include "syntax/ast.hpp"

namespace syn::dsl {

// Checks statements one at a time and adds them to a model: names resolved (with the closest
// known name as a hint), units converted, ranges checked. Errors go to `diags` with the span of
// the offending part; a statement with an error adds nothing to the model. Imports are loaded
// through `loader`; names from libraries are copied into the model when first used.
// The class holds the state (the model, names, imports); its work is spread over one file per
// kind of statement, named beside each group of members below.
class checker {
 public:
  // `imported_at`: the import that loads this file as a library, which then may hold only
  // declarations; its receptors and neuron types are named `library_name.Name` in the model.
  checker(model& m, diagnostics& diags, std::filesystem::path base_dir, library_loader& loader,
          std::optional<span> imported_at = {}, std::string library_name = {})
      : model_(m),
        diags_(diags),
        base_dir_(std::move(base_dir)),
        loader_(loader),
        imported_at_(imported_at),
        library_name_(std::move(library_name)) {}

  void check(const ast::statement& statement);
  // Values from the command line (--set) for the params the model declares: each replaces the
  // declared value of its param, whose unit it must share.
  void set_params(std::vector<param_setting> settings);
  // The params `statements`, still to be checked, declare: a use before its param's declaration
  // then says where the param is declared.
  void expect_params(const std::vector<ast::statement>& statements);
  // An error for each setting that no param took, at its name.
  void report_unused_settings();
  // A receptor or neuron type by any name this file can use (Name, b.Name, a.b.Name); nullopt
  // otherwise. Lookup errors go to the diagnostics, which the caller discards.
  std::optional<declaration> resolve(std::string_view name);
  // The folder that imports and file trains of the statements to come are relative to.
  void set_base_dir(std::filesystem::path dir) { base_dir_ = std::move(dir); }
  // This file's own declarations, by name.
  const name_table& declarations() const { return names_; }
  // Every name this file can use now: its own declarations, names imported unqualified, and
  // alias.Name for each name of each library imported (b.Name and a.b.Name for `import a.b`).
  std::vector<std::string> usable_names() const;

 private:
  using declared = declaration;
  struct module_binding {
    std::string alias;
    const library* lib;  // nullptr when the import failed: its names raise no more errors
    std::string name;
    span where;
    bool implicit = false;  // b of `import a.b`, which another library's b may share
  };
  struct imported_name {
    std::string name;
    const library* lib;  // as above
    span where;
  };

  // check_params.cpp: param declarations, and their names used as values.
  struct param_use {
    span where;
    std::uint32_t param;  // in model_.params
  };
  struct unknown_word {
    span where;
    std::string text;
  };
  void param(const ast::param_stmt& p);
  // `s` with each word that names a param, where a quantity goes, replaced by the param's value
  // (its span that of the word); nullopt when it names none. The words that name no param go
  // to `unknown`.
  std::optional<ast::statement> with_params(const ast::statement& s, std::vector<param_use>& uses,
                                            std::vector<unknown_word>& unknown) const;
  // Hints for the diagnostics from the `first`-th on at a param's use (its value and where it is
  // declared) and at an unknown word (the closest param).
  void explain_params(std::size_t first, const std::vector<param_use>& uses,
                      const std::vector<unknown_word>& unknown);

  // checker.cpp: the library line, which must come first.
  void header(const ast::statement& s, const ast::library_stmt& h);

  // scope.cpp: names, imports and lookup through them.
  void import(const ast::import_stmt& i);
  void from_import(const ast::from_import_stmt& f);
  void bind(const std::string& alias, const library* lib, const std::string& name, span where,
            bool implicit = false);
  std::optional<declared> imported(const library& lib, const std::string& name, declared::kind what,
                                   const char* noun, span where);
  bool declare(const ast::identifier& name, declared::kind what, std::uint32_t index);
  std::optional<declared> lookup(const ast::qualified_name& name, declared::kind what,
                                 const char* noun);
  std::optional<declared> lookup_qualified(const ast::qualified_name& name, declared::kind what,
                                           const char* noun);
  // The name to suggest for `text`, unknown as a `what` in library `in`: the closest it declares.
  // `in` null: unknown in this file, the qualified name it was imported under, else the closest
  // name this file knows.
  std::string closest_known(const std::string& text, declared::kind what, const library* in);
  std::optional<element_range> elements(const ast::selector& s, bool neurons_only);

  // check_declarations.cpp
  void neuron(const ast::neuron_decl& d);
  void population(const ast::population_decl& d);
  void train(const ast::train_decl& d);
  bool read_replay(group& g, span where);

  // check_statements.cpp
  void connect(const ast::connect_stmt& c, span where);
  // A reversal computed out of range (or not finite) on `target` is an error (false), checked
  // before anything that compares it, such as a stated effect.
  bool reversal_in_range(const receptor_info& rec, const group& target, span where);
  // A stated reversal more than max_reversal_gap from what its ions give on `target` warns.
  void reversal_matches_ions(const receptor_info& rec, const group& target, span where);
  void record(const ast::record_stmt& r);
  void measure(const ast::measure_stmt& m);
  // A recording's `plot "FILE"`: false (with an error) when the name cannot be a figure's.
  bool figure(const ast::value& file, bool voltage, const std::vector<element_range>& targets);
  void run(const ast::run_stmt& r);
  void assign(const ast::assign_stmt& a);

  // check_properties.cpp: receptors and the properties of neurons.
  void receptor(const ast::receptor_decl& d);
  // A property of the language's table (semantics/language_table): checked, then applied.
  void unknown_property(const ast::property& p, const char* noun,
                        const std::vector<std::string>& names);
  std::optional<property_value> receptor_value(const ast::property& p, const receptor_property& f);
  // Whether each word of `ions = [...]` names an ion Syn knows; an error at each that does not.
  bool known_ions(const ast::property& p);
  bool apply_ion_property(const ast::property& p, const ion_property& f, ion_environment& ions);
  bool apply_neuron_property(const ast::property& p, neuron_params& params,
                             std::optional<distribution>& v0, ion_environment& ions);
  bool valid_neuron(const neuron_params& params, span where, const std::string& what,
                    const std::vector<ast::property>& properties);
  // A property from its name to the end of its value.
  static span span_of(const ast::property& p);

  // check_receptor_physiology.cpp: what a receptor's properties must agree with, alone (false
  // after an error; warnings for a time course its kind cannot have) and on a connection's
  // targets, where its reversal is `reversal_here` (false after an error, at the connect).
  bool receptor_physiology(const receptor_info& r, const std::map<std::string, span>& written);
  bool receptor_on_targets(const receptor_info& r, const group& target, weight_unit unit,
                           std::optional<double> reversal_here, const ast::connect_stmt& c);

  // The value checks (value_checks.hpp), reporting to this checker's diagnostics.
  std::optional<double> quantity(const ast::value& v, dimension expected, const char* what) {
    return check_quantity(v, expected, what, diags_);
  }
  std::optional<double> plain_number(const ast::value& v, const char* what) {
    return check_number(v, what, diags_);
  }
  std::optional<std::uint64_t> whole_number(const ast::value& v, const char* what,
                                            std::uint64_t least) {
    return check_whole_number(v, what, least, diags_);
  }
  std::optional<distribution> dist(const ast::value& v, dimension expected, const char* what) {
    return check_distribution(v, expected, what, diags_);
  }
  std::optional<std::string> word(const ast::value& v, const char* what,
                                  const std::vector<std::string>& allowed) {
    return check_word(v, what, allowed, diags_);
  }

  model& model_;
  diagnostics& diags_;
  std::filesystem::path base_dir_;
  library_loader& loader_;
  std::optional<span> imported_at_;
  std::string library_name_;
  // Each kept in the order of the statements, which messages and hints follow, and found by
  // name through a hash: a file may hold a million declarations.
  name_table names_;
  std::vector<module_binding> modules_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> modules_by_alias_;  // -> modules_
  std::vector<imported_name> from_names_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> from_by_name_;  // -> from_names_
  // Names whose declaration failed only through an earlier error, as a library not found.
  std::unordered_set<std::string> unresolved_;
  // closest_known()'s answers, by kind and name, while no name is added (hints_known_ counts
  // them): a generated file may misspell one name in each of a million statements, and each
  // search goes through every name.
  std::unordered_map<std::string, std::string> hints_;
  std::size_t hints_known_ = 0;
  // (library, kind, index there) -> index in this model, so a name used twice is copied once.
  std::map<std::tuple<const library*, declared::kind, std::uint32_t>, std::uint32_t> copied_;
  std::uint32_t statements_ = 0;
  span seed_at_;
  std::vector<param_setting> settings_;
  std::vector<bool> setting_used_;
  std::unordered_map<std::string, span> later_params_;  // expect_params(): name -> declaration
};

}  // namespace syn::dsl
