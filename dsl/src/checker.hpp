#pragma once

#include <filesystem>

#include "ast.hpp"
#include "diagnostics.hpp"
#include "model.hpp"
#include "units.hpp"

namespace syn::dsl {

// Checks statements one at a time and adds them to a model: names resolved (with the closest
// known name as a hint), units converted, ranges checked. Errors go to `diags` with the span of
// the offending part; a statement with an error adds nothing to the model.
class checker {
 public:
  checker(model& m, diagnostics& diags, std::filesystem::path base_dir)
      : model_(m), diags_(diags), base_dir_(std::move(base_dir)) {}

  void check(const ast::statement& statement);

 private:
  struct declared {
    enum class kind { receptor, neuron, population, train } what;
    std::uint32_t index;
    span where;
  };

  void library(const ast::statement& s);
  void receptor(const ast::receptor_decl& d);
  void neuron(const ast::neuron_decl& d);
  void population(const ast::population_decl& d);
  void train(const ast::train_decl& d);
  void connect(const ast::connect_stmt& c, span where);
  void record(const ast::record_stmt& r);
  void run(const ast::run_stmt& r);
  void assign(const ast::assign_stmt& a);
  bool read_replay(group& g, span where);

  bool declare(const ast::identifier& name, declared::kind what, std::uint32_t index);
  const declared* lookup(const ast::qualified_name& name, declared::kind what, const char* noun);
  std::optional<element_range> elements(const ast::selector& s, bool neurons_only);

  std::optional<double> quantity(const ast::value& v, dimension expected, const char* what);
  std::optional<double> plain_number(const ast::value& v, const char* what);
  std::optional<std::uint64_t> whole_number(const ast::value& v, const char* what,
                                            std::uint64_t least);
  std::optional<distribution> dist(const ast::value& v, dimension expected, const char* what);
  std::optional<distribution> weight(const ast::value& v, weight_unit& unit);
  std::optional<std::string> word(const ast::value& v, const char* what,
                                  const std::vector<std::string>& allowed);
  bool apply_neuron_property(const ast::property& p, neuron_params& params,
                             std::optional<distribution>& v0);
  bool valid_neuron(const neuron_params& params, span where, const std::string& what,
                    const std::vector<ast::property>& properties);

  model& model_;
  diagnostics& diags_;
  std::filesystem::path base_dir_;
  std::vector<std::pair<std::string, declared>> names_;
  span seed_at_;
};

}  // namespace syn::dsl
