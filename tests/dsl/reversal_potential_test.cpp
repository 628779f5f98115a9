// Reversal potentials from ions (semantics/reversal_potential): Nernst and Goldman-Hodgkin-Katz
// against textbook values and against the formulas evaluated here in long double, with the
// physical constants rebuilt from the SI's defining constants.
#include "semantics/reversal_potential.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "front_end/front_end.hpp"

namespace syn::dsl {
namespace {

// RT/F in mV from the 2019 SI's exact k, e and N_A (R = N_A k, F = N_A e): RT/F = kT/e.
long double rt_over_f(long double kelvin) {
  const long double k = 1.380649e-23L, e = 1.602176634e-19L;
  return 1e3L * k * kelvin / e;
}

long double nernst_ld(int z, long double in, long double out, long double kelvin) {
  return rt_over_f(kelvin) / z * std::log(out / in);
}

// The zero of the summed GHK currents, found by bisection in long double on [-300, 301] mV
// (whose midpoints never hit 0 mV, where the formula is 0/0).
long double ghk_root(const std::vector<permeant>& ions, long double kelvin) {
  const auto current = [&](long double v) {
    long double sum = 0;
    for (const permeant& p : ions) {
      const long double zu = p.charge * v / rt_over_f(kelvin);
      sum += p.permeability * p.charge * zu * (p.inside - p.outside * std::exp(-zu)) /
             (1 - std::exp(-zu));
    }
    return sum;
  };
  long double lo = -300, hi = 301;
  for (int i = 0; i < 200; ++i) {
    const long double mid = (lo + hi) / 2;
    (current(mid) < 0 ? lo : hi) = mid;
  }
  return (lo + hi) / 2;
}

constexpr double body = 310.15;  // K, 37 °C
const ion_environment defaults;

TEST(nernst, gives_the_textbook_potentials_of_a_mammalian_neuron_at_37_degrees) {
  const double e_k = nernst(1, defaults.K_in, defaults.K_out, body);
  const double e_na = nernst(1, defaults.Na_in, defaults.Na_out, body);
  const double e_cl = nernst(-1, defaults.Cl_in, defaults.Cl_out, body);
  const double e_ca = nernst(2, defaults.Ca_in, defaults.Ca_out, body);
  EXPECT_NEAR(e_k, -90.0, 2.0);
  EXPECT_NEAR(e_na, 60.0, 2.0);
  EXPECT_NEAR(e_cl, -70.0, 2.0);
  EXPECT_NEAR(e_ca, 130.0, 5.0);
  EXPECT_NEAR(e_k, nernst_ld(1, 140, 5, body), 1e-12);
  EXPECT_NEAR(e_na, nernst_ld(1, 15, 145, body), 1e-12);
  EXPECT_NEAR(e_cl, nernst_ld(-1, 8, 110, body), 1e-12);
  EXPECT_NEAR(e_ca, nernst_ld(2, 0.0001L, 2, body), 1e-12);
}

TEST(nernst, scales_with_the_absolute_temperature) {
  // The squid axon's E_K at 6.3 °C: 400 mM inside, 20 outside.
  EXPECT_NEAR(nernst(1, 400, 20, 279.45), nernst_ld(1, 400, 20, 279.45L), 1e-12);
  EXPECT_NEAR(nernst(1, 400, 20, 279.45), -72.3, 0.5);
}

TEST(ghk, of_na_and_k_with_equal_permeabilities_lies_near_0_mV) {
  const std::vector<permeant> ions{{1, 15, 145, 1}, {1, 140, 5, 1}};
  const double v = ghk(ions, body);
  EXPECT_NEAR(v, 0.0, 2.0);
  EXPECT_NEAR(v, rt_over_f(body) * std::log((145.0L + 5) / (15.0L + 140)), 1e-12);
}

TEST(ghk, weighs_each_ion_by_its_permeability_and_takes_anions_the_other_way) {
  // The resting potential of the squid axon (Hodgkin & Katz 1949): P_K : P_Na : P_Cl = 1 : 0.04
  // : 0.45.
  const std::vector<permeant> ions{{1, 400, 20, 1}, {1, 50, 440, 0.04}, {-1, 52, 560, 0.45}};
  const long double expected = rt_over_f(279.45L) * std::log((20 + 0.04L * 440 + 0.45L * 52) /
                                                             (400 + 0.04L * 50 + 0.45L * 560));
  EXPECT_NEAR(ghk(ions, 279.45), expected, 1e-12);
  EXPECT_NEAR(ghk(ions, 279.45), -60.0, 5.0);  // near the axon's measured rest
}

TEST(ghk, with_calcium_is_the_zero_of_the_summed_currents) {
  const std::vector<std::vector<permeant>> cases{
      {{1, 15, 145, 1}, {1, 140, 5, 1}, {2, 1e-4, 2, 1}},
      {{1, 15, 145, 1}, {1, 140, 5, 1.1}, {2, 1e-4, 2, 10}},  // NMDA's P_Ca/P_Na near 10
      {{2, 1e-4, 2, 1}, {-1, 8, 110, 3}},
      {{1, 140, 5, 1}, {2, 1e-4, 2, 1e-3}},
  };
  for (const auto& ions : cases) {
    const double v = ghk(ions, body);
    EXPECT_NEAR(v, ghk_root(ions, body), 1e-9);
  }
  // Calcium permeability pulls the reversal of a Na+/K+ channel towards E_Ca.
  EXPECT_GT(ghk(cases[1], body),
            ghk(std::vector<permeant>{{1, 15, 145, 1}, {1, 140, 5, 1.1}}, body));
}

TEST(ghk, of_one_ion_is_its_nernst_potential) {
  const std::vector<permeant> calcium{{2, 1e-4, 2, 1}, {1, 140, 5, 0}};
  EXPECT_NEAR(ghk(calcium, body), nernst(2, 1e-4, 2, body), 1e-9);
}

receptor_info receptor_with(std::vector<std::string> ions, std::vector<double> permeability = {}) {
  receptor_info r;
  r.name.assign(1, 'R');  // not = "R": GCC 12 warns of an overlap there (-Wrestrict, a false alarm)
  r.ions = std::move(ions);
  r.permeability = std::move(permeability);
  return r;
}

TEST(reversal_from_ions, is_nernst_for_one_ion_and_ghk_for_several_and_says_which) {
  const auto k = reversal_from_ions(receptor_with({"K+"}), defaults);
  ASSERT_TRUE(k);
  EXPECT_EQ(k->mV, nernst(1, 140, 5, body));
  EXPECT_EQ(k->how, "Nernst, K+: K_in 140 mM, K_out 5 mM, 310.15 K");
  EXPECT_EQ(explained(*k, "Pyramidal"),
            "-89.1 mV (Nernst, K+: K_in 140 mM, K_out 5 mM, 310.15 K, on Pyramidal)");
  const auto nak = reversal_from_ions(receptor_with({"Na+", "K+"}, {1, 1.1}), defaults);
  ASSERT_TRUE(nak);
  EXPECT_NEAR(nak->mV, rt_over_f(body) * std::log((145 + 1.1L * 5) / (15 + 1.1L * 140)), 1e-12);
  EXPECT_EQ(nak->how,
            "Goldman-Hodgkin-Katz, permeabilities Na+ 1, K+ 1.1: Na_in 15 mM, Na_out 145 mM, "
            "K_in 140 mM, K_out 5 mM, 310.15 K");
  EXPECT_FALSE(reversal_from_ions(receptor_with({}), defaults));
}

TEST(reversal_on, prefers_the_stated_reversal) {
  receptor_info r = receptor_with({"Cl-"});
  EXPECT_EQ(reversal_on(r, defaults), nernst(-1, 8, 110, body));
  r.params.reversal = -75.0;
  EXPECT_EQ(reversal_on(r, defaults), -75.0);
}

std::optional<model> checked(std::string_view text) {
  const source_file file("model.syn", std::string(text));
  front_end front(library_path::from_environment({}));
  front.check_file(file, ".");
  for (const diagnostic& d : front.diags.all()) ADD_FAILURE() << render(d, false);
  if (front.diags.has_errors()) return std::nullopt;
  return front.m;
}

TEST(temperature, in_degrees_celsius_is_the_same_as_in_kelvin) {
  const auto m = checked(R"(
neuron C { temperature = 37 degC }
neuron K { temperature = 310.15 K }
)");
  ASSERT_TRUE(m);
  EXPECT_DOUBLE_EQ(m->neuron_types[0].ions.temperature, 310.15);
  EXPECT_DOUBLE_EQ(m->neuron_types[1].ions.temperature, 310.15);
}

}  // namespace
}  // namespace syn::dsl
