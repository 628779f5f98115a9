#include "semantics/reversal_potential.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <variant>
#include <vector>

#include "semantics/ions.hpp"

namespace syn::dsl {

namespace {

// The GHK current of one ion at u = FV/RT, without the factor P F^2 V/RT common to all but the
// permeability: z^2 u (c_in - c_out e^(-zu)) / (1 - e^(-zu)), outward positive. Its limit at
// u = 0 is z (c_in - c_out).
double ghk_current(const permeant& p, double u) {
  const double z = p.charge;
  if (u == 0.0) return p.permeability * z * (p.inside - p.outside);
  return p.permeability * z * z * u * (p.inside - p.outside * std::exp(-z * u)) /
         -std::expm1(-z * u);
}

}  // namespace

double thermal_voltage(double temperature) { return 1e3 * gas_constant * temperature / faraday; }

double nernst(int charge, double inside, double outside, double temperature) {
  return thermal_voltage(temperature) / charge * std::log(outside / inside);
}

double ghk(std::span<const permeant> ions, double temperature) {
  const bool monovalent = std::all_of(ions.begin(), ions.end(),
                                      [](const permeant& p) { return std::abs(p.charge) == 1; });
  if (monovalent) {
    double up = 0.0, down = 0.0;
    for (const permeant& p : ions) {
      up += p.permeability * (p.charge > 0 ? p.outside : p.inside);
      down += p.permeability * (p.charge > 0 ? p.inside : p.outside);
    }
    return thermal_voltage(temperature) * std::log(up / down);
  }
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const permeant& p : ions) {
    if (p.permeability == 0.0) continue;
    const double u = std::log(p.outside / p.inside) / p.charge;
    lo = std::min(lo, u);
    hi = std::max(hi, u);
  }
  const auto current = [&](double u) {
    double sum = 0.0;
    for (const permeant& p : ions) sum += ghk_current(p, u);
    return sum;
  };
  for (int i = 0; i < 2000 && lo < hi; ++i) {
    const double mid = lo + (hi - lo) / 2;
    if (mid == lo || mid == hi) break;
    (current(mid) < 0.0 ? lo : hi) = mid;
  }
  return thermal_voltage(temperature) * (lo + (hi - lo) / 2);
}

std::optional<computed_reversal> reversal_from_ions(const receptor_info& r,
                                                    const ion_environment& e) {
  if (r.ions.empty()) return std::nullopt;
  std::vector<permeant> ions;
  std::string how;
  // Permeabilities are relative: scaled to the largest, [1e308, 1e308] sums to no infinity.
  const double largest = r.permeability.empty()
                             ? 1.0
                             : *std::max_element(r.permeability.begin(), r.permeability.end());
  for (std::size_t i = 0; i < r.ions.size(); ++i) {
    const ion& x = *std::get<const ion*>(read_ion(r.ions[i]));
    const double p = r.permeability.empty() ? 1.0 : r.permeability[i] / largest;
    ions.push_back({x.charge, e.*x.inside, e.*x.outside, p});
    how += fmt::format("{}{} {} mM, {} {} mM", how.empty() ? "" : ", ", x.inside_name, e.*x.inside,
                       x.outside_name, e.*x.outside);
  }
  how += fmt::format(", {} K", e.temperature);
  if (ions.size() == 1)
    return computed_reversal{nernst(ions[0].charge, ions[0].inside, ions[0].outside, e.temperature),
                             fmt::format("Nernst, {}: {}", r.ions[0], how)};
  std::string ratios;
  for (std::size_t i = 0; i < r.ions.size(); ++i)
    ratios += fmt::format("{}{} {}", i ? ", " : "", r.ions[i],
                          r.permeability.empty() ? 1.0 : r.permeability[i]);
  return computed_reversal{ghk(ions, e.temperature),
                           fmt::format("Goldman-Hodgkin-Katz, permeabilities {}: {}", ratios, how)};
}

std::optional<double> reversal_on(const receptor_info& r, const ion_environment& e) {
  if (r.params.reversal) return r.params.reversal;
  if (const auto c = reversal_from_ions(r, e)) return c->mV;
  return std::nullopt;
}

std::string explained(const computed_reversal& c, const std::string& on) {
  return fmt::format("{:.1f} mV ({}{})", c.mV, c.how, on.empty() ? "" : ", on " + on);
}

}  // namespace syn::dsl
