// model_runtime::at_for_receptor, which an input through a synapse with a delay of its own takes
// instead of at_with_gains: the same epoch and the same gains to the bit (spikes must not change),
// at times across many epochs, with the full factors taken in between as a threshold test would,
// and each gain gamma e^{rate (t - t_e)} as libm computes it, to rounding.
#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

#include "cell/linear/model_runtime.hpp"

namespace syn::detail {
namespace {

model_runtime cuba_with_a_rising_receptor() {
  neuron_params lif;
  lif.rest = -49.0;
  lif.threshold = -50.0;
  lif.reset = -60.0;
  lif.refractory = 5.0;
  lif.tau_m = 20.0;
  lif.capacitance = 200.0;
  receptor_params fast, slow, rising;
  fast.decay = 5.0;
  fast.sign = effect::excitatory;
  slow.decay = 10.0;
  slow.sign = effect::inhibitory;
  rising.rise = 1.0;
  rising.decay = 3.0;
  rising.sign = effect::excitatory;
  return model_runtime(make_cell_model(lif, {0, 1, 2}, {fast, slow, rising}));
}

TEST(receptor_gains, one_receptors_gains_are_bit_for_bit_those_of_all_at_once) {
  model_runtime alone = cuba_with_a_rising_receptor();
  model_runtime all = cuba_with_a_rising_receptor();
  ASSERT_TRUE(alone.modes.usable);
  ASSERT_EQ(alone.modes.impulses.size(), 4U);  // jumps, then the three receptors
  const double length = alone.modes.epoch_length;
  ASSERT_GT(length, 0.0);

  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> step(0.0, length / 50.0);
  std::uniform_int_distribution<std::uint32_t> slot_of(1, 3);
  std::bernoulli_distribution settle_first(0.2), same_time(0.1);
  double t = 0.01;
  std::uint64_t epochs_seen = 0;
  for (int i = 0; i < 20000; ++i) {
    if (!same_time(rng)) t += step(rng);
    const std::uint32_t slot = slot_of(rng);
    // A threshold test at t may have taken the full factors before the input comes.
    if (settle_first(rng)) alone.at(t);
    alone.at_for_receptor(t, slot);
    all.at_with_gains(t);
    ASSERT_EQ(alone.epoch, all.epoch) << "at " << t;
    const std::uint64_t epoch = static_cast<std::uint64_t>(t / length);
    ASSERT_EQ(alone.epoch, epoch);
    epochs_seen = epoch;
    const mode_basis::impulse& in = alone.modes.impulses[slot];
    ASSERT_GE(in.count, 2U);  // u's mode and the receptor's own, and its rise's
    for (std::uint32_t k = 0; k < in.count; ++k) {
      ASSERT_EQ(std::bit_cast<std::uint64_t>(alone.gain[slot][k]),
                std::bit_cast<std::uint64_t>(all.gain[slot][k]))
          << "slot " << slot << ", mode " << k << ", at " << t;
      const double since = t - static_cast<double>(epoch) * length;
      const double expected = in.gamma[k] * std::exp(alone.modes.rates[in.stage[k]] * since);
      EXPECT_NEAR(alone.gain[slot][k], expected, 1e-14 * std::abs(expected));
    }
    // Then the full factors, as settling the target takes them, are those of all at once.
    alone.at(t);
    for (std::uint32_t k = 0; k < alone.modes.dim; ++k) {
      ASSERT_EQ(std::bit_cast<std::uint64_t>(alone.grow[k]),
                std::bit_cast<std::uint64_t>(all.grow[k]));
      ASSERT_EQ(std::bit_cast<std::uint64_t>(alone.decay[k]),
                std::bit_cast<std::uint64_t>(all.decay[k]));
    }
  }
  EXPECT_GE(epochs_seen, 100U);  // the times crossed many epochs
}

}  // namespace
}  // namespace syn::detail
