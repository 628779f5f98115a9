// Every invalid description throws model_error naming what is wrong, in user terms, and
// leaves the network as it was. Messages are pinned by their key words only.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <tuple>

#include "test_networks.hpp"

namespace syn::test {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

class network_errors : public ::testing::Test {
 protected:
  network net_;
  const receptor_id exp_ = net_.add_receptor(current_receptor(0, 5));
  const receptor_id jump_ = net_.add_receptor(jump_receptor());
  const node_id neuron_ = add_neuron(net_, lif());
  const node_id source_ = add_source(net_);

  std::string add_model_error(const neuron_params& p) {
    return model_error_of([&] { net_.add_model(p); });
  }
  std::string add_receptor_error(const receptor_params& r) {
    return model_error_of([&] { net_.add_receptor(r); });
  }
  std::string connect_error(const synapse_params& s, node_id post) {
    return model_error_of([&] { net_.connect(source_, post, s); });
  }
  std::string connect_error(const synapse_params& s) { return connect_error(s, neuron_); }
};

// --- Neuron models ---

TEST_F(network_errors, model_missing_rest_threshold_or_tau_m) {
  neuron_params p = lif();
  p.rest = not_set;
  EXPECT_THAT(add_model_error(p), HasSubstr("rest"));
  p = lif();
  p.threshold = not_set;
  EXPECT_THAT(add_model_error(p), HasSubstr("threshold"));
  p = lif();
  p.tau_m = not_set;
  EXPECT_THAT(add_model_error(p), HasSubstr("tau_m"));
}

TEST_F(network_errors, model_reset_not_below_threshold) {
  neuron_params p = lif();
  p.reset = -55.0;  // == threshold
  EXPECT_THAT(add_model_error(p), AllOf(HasSubstr("reset"), HasSubstr("threshold")));
  p.reset = -50.0;
  EXPECT_THAT(add_model_error(p), AllOf(HasSubstr("reset"), HasSubstr("threshold")));
}

TEST_F(network_errors, model_tau_m_not_positive) {
  neuron_params p = lif();
  p.tau_m = 0.0;
  EXPECT_THAT(add_model_error(p), HasSubstr("tau_m"));
  p.tau_m = -10.0;
  EXPECT_THAT(add_model_error(p), HasSubstr("tau_m"));
}

TEST_F(network_errors, model_negative_refractory) {
  neuron_params p = lif();
  p.refractory = -1.0;
  EXPECT_THAT(add_model_error(p), HasSubstr("refractory"));
}

TEST_F(network_errors, model_capacitance_or_length_constant_not_positive) {
  neuron_params p = lif();
  p.capacitance = 0.0;
  EXPECT_THAT(add_model_error(p), HasSubstr("capacitance"));
  p = lif();
  p.length_constant = 0.0;
  EXPECT_THAT(add_model_error(p), HasSubstr("length_constant"));
}

TEST_F(network_errors, model_bias_without_capacitance) {
  neuron_params p = lif();
  p.capacitance.reset();
  p.bias = 100.0;
  EXPECT_THAT(add_model_error(p), AllOf(HasSubstr("bias"), HasSubstr("capacitance")));
}

TEST_F(network_errors, model_nan_values) {
  const auto with = [](auto set) {
    neuron_params p = lif();
    set(p);
    return p;
  };
  EXPECT_THAT(add_model_error(with([](neuron_params& p) { p.reset = nan; })), HasSubstr("reset"));
  EXPECT_THAT(add_model_error(with([](neuron_params& p) { p.refractory = nan; })),
              HasSubstr("refractory"));
  EXPECT_THAT(add_model_error(with([](neuron_params& p) { p.capacitance = nan; })),
              HasSubstr("capacitance"));
  EXPECT_THAT(add_model_error(with([](neuron_params& p) { p.bias = nan; })), HasSubstr("bias"));
  EXPECT_THAT(add_model_error(with([](neuron_params& p) { p.length_constant = nan; })),
              HasSubstr("length_constant"));
  EXPECT_THAT(add_model_error(with([](neuron_params& p) { p.v0 = nan; })), HasSubstr("v0"));
}

// --- Receptors ---

TEST_F(network_errors, receptor_rise_above_decay) {
  EXPECT_THAT(add_receptor_error(current_receptor(6, 5)),
              AllOf(HasSubstr("rise"), HasSubstr("decay")));
}

TEST_F(network_errors, receptor_negative_or_nan_rise) {
  EXPECT_THAT(add_receptor_error(current_receptor(-1, 5)), HasSubstr("rise"));
  EXPECT_THAT(add_receptor_error(current_receptor(nan, 5)), HasSubstr("rise"));
}

TEST_F(network_errors, receptor_decay_missing_or_not_positive) {
  EXPECT_THAT(add_receptor_error(current_receptor(0, not_set)), HasSubstr("decay"));
  EXPECT_THAT(add_receptor_error(current_receptor(0, 0)), HasSubstr("decay"));
  EXPECT_THAT(add_receptor_error(current_receptor(0, -2)), HasSubstr("decay"));
}

TEST_F(network_errors, receptor_magnesium_block_negative_non_finite_or_on_a_jump) {
  receptor_params blocked = current_receptor(2, 50);
  blocked.reversal = 0.0;
  for (const double mg : {-1.0, nan})
    EXPECT_THAT(add_receptor_error([&] {
                  receptor_params r = blocked;
                  r.mg_block = mg;
                  return r;
                }()),
                HasSubstr("mg_block"));
  receptor_params jump = jump_receptor();
  jump.mg_block = 1.0;
  EXPECT_THAT(add_receptor_error(jump),
              HasSubstr("a magnesium block acts on a conductance, which a jump receptor has not"));
}

TEST_F(network_errors, synapse_through_a_magnesium_block_in_mv_or_pa) {
  receptor_params r = current_receptor(2, 50);
  r.reversal = 0.0;
  r.mg_block = 1.0;
  const receptor_id blocked = net_.add_receptor(r);
  for (const weight_unit unit : {weight_unit::mV, weight_unit::pA})
    EXPECT_THAT(connect_error(synapse(blocked, 1.0, unit, 1.0)),
                HasSubstr("a receptor with a magnesium block takes weights in nS"));
}

// A receptor with neither a reversal nor a stated effect has no sign: an error when it is added
// or, at the latest, when a synapse uses it.
TEST_F(network_errors, receptor_sign_from_reversal_without_reversal) {
  for (const receptor_params& r :
       {current_receptor(0, 5, effect::from_reversal), jump_receptor(effect::from_reversal)}) {
    EXPECT_THAT(model_error_of([&] {
                  const receptor_id unsigned_receptor = net_.add_receptor(r);
                  net_.connect(source_, neuron_,
                               synapse(unsigned_receptor, 1.0, weight_unit::mV, 1.0));
                }),
                HasSubstr("reversal"));
  }
}

TEST_F(network_errors, receptor_nan_reversal) {
  receptor_params r = current_receptor(0, 5, effect::from_reversal);
  r.reversal = nan;
  EXPECT_THAT(add_receptor_error(r), HasSubstr("reversal"));
}

// --- Connections ---

TEST_F(network_errors, connect_negative_or_nan_weight) {
  EXPECT_THAT(connect_error(synapse(exp_, -1.0, weight_unit::mV, 1.0)), HasSubstr("weight"));
  EXPECT_THAT(connect_error(synapse(exp_, nan, weight_unit::mV, 1.0)), HasSubstr("weight"));
}

TEST_F(network_errors, connect_delay_not_positive_or_missing) {
  EXPECT_THAT(connect_error(synapse(exp_, 1.0, weight_unit::mV, 0.0)), HasSubstr("delay"));
  EXPECT_THAT(connect_error(synapse(exp_, 1.0, weight_unit::mV, -1.0)), HasSubstr("delay"));
  EXPECT_THAT(connect_error(synapse(exp_, 1.0, weight_unit::mV, not_set)), HasSubstr("delay"));
}

TEST_F(network_errors, connect_negative_or_nan_distance) {
  EXPECT_THAT(connect_error(synapse(exp_, 1.0, weight_unit::mV, 1.0, -10.0)),
              HasSubstr("distance"));
  EXPECT_THAT(connect_error(synapse(exp_, 1.0, weight_unit::mV, 1.0, nan)), HasSubstr("distance"));
}

TEST_F(network_errors, connect_current_weight_to_a_jump_receptor) {
  EXPECT_THAT(connect_error(synapse(jump_, 1.0, weight_unit::pA, 1.0)), HasSubstr("mV"));
  EXPECT_THAT(connect_error(synapse(jump_, 1.0, weight_unit::nS, 1.0)), HasSubstr("mV"));
}

TEST_F(network_errors, connect_current_weight_without_capacitance) {
  neuron_params p = lif();
  p.capacitance.reset();
  const node_id bare = add_neuron(net_, p);
  receptor_params r = current_receptor(0, 5, effect::from_reversal);
  r.reversal = 0.0;
  const receptor_id with_reversal = net_.add_receptor(r);
  EXPECT_THAT(connect_error(synapse(exp_, 1.0, weight_unit::pA, 1.0), bare),
              HasSubstr("capacitance"));
  EXPECT_THAT(connect_error(synapse(with_reversal, 1.0, weight_unit::nS, 1.0), bare),
              HasSubstr("capacitance"));
}

TEST_F(network_errors, connect_ns_weight_without_reversal) {
  EXPECT_THAT(connect_error(synapse(exp_, 1.0, weight_unit::nS, 1.0)), HasSubstr("reversal"));
}

// V is stepped on the membrane's time scale while a conductance is open: a membrane faster than
// 1 us (tau_m itself, or C / g of one conductance) is refused.
TEST_F(network_errors, connect_conductance_onto_a_membrane_faster_than_a_microsecond) {
  receptor_params r = current_receptor(0, 5, effect::from_reversal);
  r.reversal = 0.0;
  const receptor_id ampa = net_.add_receptor(r);
  neuron_params fast = lif();
  fast.tau_m = 5e-4;
  const node_id quick = add_neuron(net_, fast);
  EXPECT_THAT(connect_error(synapse(ampa, 1.0, weight_unit::nS, 1.0), quick),
              HasSubstr("tau_m of at least 0.001 ms"));
  // lif(): 250 pF, so at most 250,000 nS.
  EXPECT_THAT(connect_error(synapse(ampa, 300000.0, weight_unit::nS, 1.0)),
              HasSubstr("shorter than 0.001 ms"));
  EXPECT_NO_THROW(net_.connect(source_, neuron_, synapse(ampa, 250000.0, weight_unit::nS, 1.0)));
}

TEST_F(network_errors, connect_to_a_source) {
  EXPECT_THAT(model_error_of([&] {
                net_.connect(neuron_, source_, synapse(exp_, 1.0, weight_unit::mV, 1.0));
              }),
              HasSubstr("source"));
}

TEST_F(network_errors, unknown_ids_are_named) {
  const synapse_params ok = synapse(exp_, 1.0, weight_unit::mV, 1.0);
  EXPECT_THAT(model_error_of([&] { net_.connect(999, neuron_, ok); }), HasSubstr("999"));
  EXPECT_THAT(model_error_of([&] { net_.connect(source_, 999, ok); }), HasSubstr("999"));
  EXPECT_THAT(connect_error(synapse(77, 1.0, weight_unit::mV, 1.0)),
              AllOf(HasSubstr("receptor"), HasSubstr("77")));
  EXPECT_THAT(model_error_of([&] { net_.add_neurons("p", 42, 1); }),
              AllOf(HasSubstr("model"), HasSubstr("42")));
  EXPECT_THAT(model_error_of([&] { net_.set_v0(999, -60.0); }), HasSubstr("999"));
}

// --- Initial values, sources, recording ---

TEST_F(network_errors, set_v0_nan_or_on_a_source) {
  EXPECT_THAT(model_error_of([&] { net_.set_v0(neuron_, nan); }), HasSubstr("v0"));
  EXPECT_THAT(model_error_of([&] { net_.set_v0(source_, -60.0); }), HasSubstr("source"));
}

TEST_F(network_errors, source_spike_time_negative_or_nan) {
  EXPECT_THAT(model_error_of([&] { net_.add_sources("bad", {{1.0, -2.0}}); }), HasSubstr("-2"));
  EXPECT_THAT(model_error_of([&] { net_.add_sources("bad", {{nan}}); }), HasSubstr("time"));
}

TEST_F(network_errors, generated_trains_with_bad_rules) {
  EXPECT_EQ(model_error_of([&] {
              net_.add_sources("r", 2, regular_train{1.0, 0.0});
            }),
            "train: interval (0 ms) must be positive");
  EXPECT_EQ(model_error_of([&] {
              net_.add_sources("r", 2, regular_train{-1.0, 5.0});
            }),
            "train: start (-1 ms) must be finite and not negative");
  EXPECT_EQ(model_error_of([&] {
              net_.add_sources("r", 2, regular_train{0.0, 5.0, nan});
            }),
            "train: stop is not a number");
  EXPECT_EQ(model_error_of([&] { net_.add_sources("p", 2, poisson_train{-0.5}); }),
            "train: rate (-0.5 kHz) must be finite and not negative");
  EXPECT_EQ(model_error_of([&] {
              net_.add_sources("p", 2, poisson_train{0.01, nan});
            }),
            "train: start (nan ms) must be finite and not negative");
}

TEST_F(network_errors, record_v_interval_not_positive) {
  simulator sim(net_);
  EXPECT_THAT(model_error_of([&] { sim.record_v({neuron_}, 0.0); }), HasSubstr("interval"));
  EXPECT_THAT(model_error_of([&] { sim.record_v({neuron_}, -0.1); }), HasSubstr("interval"));
  EXPECT_THAT(model_error_of([&] { sim.record_v({neuron_}, nan); }), HasSubstr("interval"));
}

TEST_F(network_errors, record_v_interval_too_fine_to_count_from_the_present) {
  // 1 s into the run, samples every 1e-14 ms would number 1e17: past the exact integers of a
  // double, where the sample count would be a guess.
  simulator sim(net_);
  sim.run(1000.0);
  EXPECT_EQ(model_error_of([&] { sim.record_v({neuron_}, 1e-14); }),
            "record: sampling interval (1e-14 ms) is too fine to count samples from the present "
            "(1000 ms)");
  sim.record_v({neuron_}, 1e-9);
}

TEST_F(network_errors, record_v_of_a_source_or_unknown_node) {
  simulator sim(net_);
  EXPECT_THAT(model_error_of([&] { sim.record_v({source_}, 0.1); }), HasSubstr("neuron"));
  EXPECT_THAT(model_error_of([&] { sim.record_v({999}, 0.1); }), HasSubstr("999"));
}

TEST_F(network_errors, failed_calls_leave_the_network_unchanged) {
  const auto before = std::tuple(net_.models().size(), net_.receptors().size(), net_.node_count(),
                                 net_.connections().size(), net_.populations().size());
  neuron_params p = lif();
  p.tau_m = -1;
  model_error_of([&] { net_.add_model(p); });
  model_error_of([&] { net_.add_receptor(current_receptor(6, 5)); });
  model_error_of([&] { net_.add_sources("half", {{1.0}, {nan}}); });
  model_error_of([&] { net_.add_sources("regular", 3, regular_train{0.0, -1.0}); });
  model_error_of([&] { net_.add_sources("poisson", 3, poisson_train{nan}); });
  model_error_of([&] { net_.add_neurons("none", 42, 3); });
  model_error_of([&] { net_.connect(source_, neuron_, synapse(exp_, 1.0, weight_unit::mV, 0.0)); });
  EXPECT_EQ(before, std::tuple(net_.models().size(), net_.receptors().size(), net_.node_count(),
                               net_.connections().size(), net_.populations().size()));
}

}  // namespace
}  // namespace syn::test
