// Reversal potentials from ions as a user sees them: `syn check --explain`, `show` in the REPL,
// `syn doc`, and std.ions' ion sets. Expected values are the Nernst and GHK formulas evaluated
// here in long double, with R and F from the SI's defining constants, from the concentrations
// the sources give (not read back from syn).

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "syn_runner.hpp"

namespace syn::test {
namespace {

// RT/F in mV: kT/e, with the 2019 SI's exact k and e.
long double rt_over_f(long double kelvin) {
  return 1e3L * 1.380649e-23L * kelvin / 1.602176634e-19L;
}

std::string mv(long double x) { return fmt::format("{:.1f} mV", static_cast<double>(x)); }

constexpr const char* model = R"(receptor GABA { ions = [Cl-]; decay = 5 ms }
receptor NaK { ions = [Na+, K+]; permeability = [1, 1.1]; decay = 2 ms }
receptor Stated { ions = [Na+, K+]; reversal = 0 mV; decay = 2 ms }
receptor D1 { effect = excitatory; decay = 50 ms }
neuron Cell { rest = -60 mV; threshold = -50 mV; tau_m = 10 ms; TEMPERATURE }
neuron Young : Cell { Cl_in = 25 mM }
population a = 2 x Cell
population b = Young
population c = Cell { Cl_in = 30 mM }
train t = times [1 ms]
connect t -> a via GABA weight 1 mV delay 1 ms
connect t -> a[0] via GABA weight 2 mV delay 1 ms
connect t -> b via GABA weight 1 mV delay 1 ms
connect t -> c via GABA weight 1 mV delay 1 ms
connect t -> a via NaK weight 1 mV delay 1 ms
connect t -> a via Stated weight 1 mV delay 1 ms
connect t -> b via D1 weight 1 mV delay 1 ms
)";

std::string with_temperature(const std::string& t) {
  std::string text = model;
  text.replace(text.find("TEMPERATURE"), 11, "temperature = " + t);
  return text;
}

TEST(check_explain, prints_each_receptors_reversal_on_each_neuron_type_it_reaches_once) {
  const temp_dir dir;
  write_file(dir / "m.syn", with_temperature("37 degC"));
  const syn_result r = run_syn({"check", "m.syn", "--explain"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const long double t = 310.15L, v = rt_over_f(t);
  const std::string expected =
      fmt::format(
          "GABA on Cell: reversal = {} (Nernst, Cl-: Cl_in 8 mM, Cl_out 110 mM, 310.15 K)\n",
          mv(-v * std::log(110.0L / 8))) +
      fmt::format(
          "GABA on Young: reversal = {} (Nernst, Cl-: Cl_in 25 mM, Cl_out 110 mM, "
          "310.15 K)\n",
          mv(-v * std::log(110.0L / 25))) +
      fmt::format(
          "GABA on c (Cell): reversal = {} (Nernst, Cl-: Cl_in 30 mM, Cl_out 110 mM, "
          "310.15 K)\n",
          mv(-v * std::log(110.0L / 30))) +
      fmt::format(
          "NaK on Cell: reversal = {} (Goldman-Hodgkin-Katz, permeabilities Na+ 1, K+ 1.1: "
          "Na_in 15 mM, Na_out 145 mM, K_in 140 mM, K_out 5 mM, 310.15 K)\n",
          mv(v * std::log((145 + 1.1L * 5) / (15 + 1.1L * 140)))) +
      fmt::format(
          "Stated on Cell: reversal = 0 mV (stated; its ions give {}: Goldman-Hodgkin-Katz, "
          "permeabilities Na+ 1, K+ 1: Na_in 15 mM, Na_out 145 mM, K_in 140 mM, K_out "
          "5 mM, 310.15 K)\n",
          mv(v * std::log((145.0L + 5) / (15 + 140)))) +
      "D1 on Young: no reversal (effect = excitatory, stated)\n";
  EXPECT_EQ(r.out, expected);
  EXPECT_EQ(r.err, "syn: m.syn is fine\n");
}

TEST(check_explain, a_temperature_in_degrees_celsius_is_the_same_as_in_kelvin) {
  const temp_dir dir;
  write_file(dir / "c.syn", with_temperature("37 degC"));
  write_file(dir / "k.syn", with_temperature("310.15 K"));
  write_file(dir / "cold.syn", with_temperature("6.3 degC"));
  const syn_result c = run_syn({"check", "c.syn", "--explain"}, dir.path());
  const syn_result k = run_syn({"check", "k.syn", "--explain"}, dir.path());
  const syn_result cold = run_syn({"check", "cold.syn", "--explain"}, dir.path());
  ASSERT_EQ(c.exit_code, 0) << c.err;
  EXPECT_EQ(c.out, k.out);
  EXPECT_NE(cold.out.find(fmt::format("GABA on Cell: reversal = {} (Nernst, Cl-: Cl_in 8 mM, "
                                      "Cl_out 110 mM, 279.45 K)",
                                      mv(-rt_over_f(279.45L) * std::log(110.0L / 8)))),
            std::string::npos)
      << cold.out;
}

TEST(check_explain, is_an_option_of_syn_check_only) {
  const temp_dir dir;
  write_file(dir / "m.syn", with_temperature("37 degC"));
  const syn_result r = run_syn({"run", "m.syn", "--explain"}, dir.path());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(r.err.starts_with("syn: error: --explain is for syn check\n")) << r.err;
}

TEST(show, prints_a_receptors_reversal_on_each_population_it_reaches_and_its_source) {
  const std::string input = with_temperature("37 degC") + "show GABA\nshow b\n";
  const syn_result r = run_syn_with_input(SYN_BINARY, {"repl"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const long double v = rt_over_f(310.15L);
  for (const std::string& row :
       {fmt::format("  reversal on a  {} (Nernst, Cl-: Cl_in 8 mM, Cl_out 110 mM, 310.15 K, on "
                    "Cell)\n",
                    mv(-v * std::log(110.0L / 8))),
        fmt::format("  reversal on b  {} (Nernst, Cl-: Cl_in 25 mM, Cl_out 110 mM, 310.15 K, on "
                    "Young)\n",
                    mv(-v * std::log(110.0L / 25))),
        fmt::format("  reversal of GABA  {} (Nernst, Cl-: Cl_in 25 mM, Cl_out 110 mM, 310.15 K)\n",
                    mv(-v * std::log(110.0L / 25))),
        std::string("  Cl_in             25 mM\n")})
    EXPECT_NE(r.out.find(row), std::string::npos) << row << "in:\n" << r.out;
}

TEST(show, prints_an_ion_sets_ions_and_no_membrane) {
  // std.ions.Mammalian states the defaults (37 degC is 310.15 K); W states a temperature only,
  // and has the others' defaults. Neither has a rest, threshold or tau_m to show.
  const std::string input =
      "import std.ions\nneuron W { temperature = 300 K }\nshow ions.Mammalian\nshow W\n";
  const syn_result r = run_syn_with_input(SYN_BINARY, {"repl"}, input);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("nan"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("  rest "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("  tau_m "), std::string::npos) << r.out;
  const auto row = [](const char* name, const char* value) {
    return fmt::format("  {:<11}  {}\n", name, value);
  };
  const std::size_t w = r.out.find("neuron W");
  ASSERT_NE(w, std::string::npos) << r.out;
  const std::string mammalian = r.out.substr(0, w), own = r.out.substr(w);
  for (const auto& [name, value] :
       {std::pair{"K_in", "140 mM"}, {"K_out", "5 mM"}, {"Na_in", "15 mM"}, {"Na_out", "145 mM"},
        {"Cl_in", "8 mM"}, {"Cl_out", "110 mM"}, {"Ca_in", "0.0001 mM"}, {"Ca_out", "2 mM"}}) {
    EXPECT_NE(mammalian.find(row(name, value)), std::string::npos) << name << " in:\n" << r.out;
    EXPECT_NE(own.find(row(name, value)), std::string::npos) << name << " in:\n" << r.out;
  }
  EXPECT_NE(mammalian.find(row("temperature", "310.15 K")), std::string::npos) << r.out;
  EXPECT_NE(own.find(row("temperature", "300 K")), std::string::npos) << r.out;
}

TEST(doc, gives_a_receptors_reversal_from_its_ions_with_the_default_concentrations) {
  const temp_dir dir;
  write_file(dir / "lib.syn", "receptor K { ions = [K+]; decay = 5 ms }\n");
  const syn_result r = run_syn({"doc", "lib.syn"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // The row: name, value, then the note in parentheses after the values' column.
  const std::string value =
      fmt::format("    reversal  {} ", mv(rt_over_f(310.15L) * std::log(5.0L / 140)));
  const std::size_t row = r.out.find(value);
  ASSERT_NE(row, std::string::npos) << r.out;
  const std::string note =
      "(from its ions on each neuron; with the default concentrations: Nernst, K+: K_in 140 mM, "
      "K_out 5 mM, 310.15 K)\n";
  EXPECT_EQ(r.out.find(note, row), r.out.find('(', row)) << r.out;
}

// std.ions' sets, with the concentrations of their sources: E_K, E_Na and E_Cl by Nernst.
struct ion_set {
  const char* name;
  long double kelvin, k_in, k_out, na_in, na_out, cl_in, cl_out;
};

class std_ions : public ::testing::TestWithParam<ion_set> {};

TEST_P(std_ions, give_the_nernst_potentials_of_their_sources) {
  const ion_set& s = GetParam();
  const temp_dir dir;
  write_file(dir / "m.syn", fmt::format(R"(import std.ions
receptor K {{ ions = [K+]; decay = 5 ms }}
receptor Na {{ ions = [Na+]; decay = 5 ms }}
receptor Cl {{ ions = [Cl-]; decay = 5 ms }}
neuron N : ions.{} {{ rest = -60 mV; threshold = -50 mV; tau_m = 10 ms }}
population n = N
train t = times [1 ms]
connect t -> n via K weight 1 mV delay 1 ms
connect t -> n via Na weight 1 mV delay 1 ms
connect t -> n via Cl weight 1 mV delay 1 ms
)",
                                        s.name));
  const syn_result r = run_syn({"check", "m.syn", "--explain"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const long double v = rt_over_f(s.kelvin);
  for (const std::string& e :
       {fmt::format("K on N: reversal = {}", mv(v * std::log(s.k_out / s.k_in))),
        fmt::format("Na on N: reversal = {}", mv(v * std::log(s.na_out / s.na_in))),
        fmt::format("Cl on N: reversal = {}", mv(-v * std::log(s.cl_out / s.cl_in)))})
    EXPECT_NE(r.out.find(e), std::string::npos) << e << " in:\n" << r.out;
}

// Purves et al. 2018 Table 2.1; Ben-Ari 2002 (Cl- 25 mM inside); Kandel et al. 2013 Table 6-1
// at Hodgkin and Huxley's 6.3 °C.
INSTANTIATE_TEST_SUITE_P(sets, std_ions,
                         ::testing::Values(ion_set{"Mammalian", 310.15L, 140, 5, 15, 145, 8, 110},
                                           ion_set{"Immature", 310.15L, 140, 5, 15, 145, 25, 110},
                                           ion_set{"Squid", 279.45L, 400, 20, 50, 440, 52, 560}),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(std_ions, an_immature_neurons_chloride_lies_above_rest_and_a_mature_ones_below) {
  // Ben-Ari 2002: GABA depolarises immature neurons (rest about -60 mV) and hyperpolarises
  // mature ones.
  EXPECT_GT(-rt_over_f(310.15L) * std::log(110.0L / 25), -60.0L);
  EXPECT_LT(-rt_over_f(310.15L) * std::log(110.0L / 8), -60.0L);
}

}  // namespace
}  // namespace syn::test
