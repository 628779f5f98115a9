#include "tools/reversal_explanation.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <tuple>
#include <vector>

#include "semantics/reversal_potential.hpp"

namespace syn::dsl {

namespace {

const ion_environment& type_ions(const model& m, const std::string& type) {
  for (const neuron_type& t : m.neuron_types)
    if (t.name == type) return t.ions;
  static const ion_environment defaults;
  return defaults;
}

std::string line(const receptor_info& r, const std::string& on, const ion_environment& ions) {
  const auto computed = reversal_from_ions(r, ions);
  if (!r.params.reversal && computed)
    return fmt::format("{} on {}: reversal = {}\n", r.name, on, explained(*computed, ""));
  if (r.params.reversal && computed)
    return fmt::format("{} on {}: reversal = {} mV (stated; its ions give {:.1f} mV: {})\n", r.name,
                       on, *r.params.reversal, computed->mV, computed->how);
  if (r.params.reversal)
    return fmt::format("{} on {}: reversal = {} mV (stated)\n", r.name, on, *r.params.reversal);
  return fmt::format("{} on {}: no reversal (effect = {}, stated)\n", r.name, on,
                     r.params.sign == effect::excitatory ? "excitatory" : "inhibitory");
}

}  // namespace

std::string reversal_explanation(const model& m) {
  std::vector<std::tuple<std::uint32_t, std::string, ion_environment>> seen;
  std::string out;
  for (const connection_info& c : m.connections) {
    const group& g = m.groups[c.post.group];
    const bool own = !(g.ions == type_ions(m, g.type));
    const std::string on = own ? fmt::format("{} ({})", g.name, g.type) : g.type;
    const auto key = std::make_tuple(c.receptor, on, g.ions);
    if (std::find(seen.begin(), seen.end(), key) != seen.end()) continue;
    seen.push_back(key);
    out += line(m.receptors[c.receptor], on, g.ions);
  }
  return out;
}

}  // namespace syn::dsl
