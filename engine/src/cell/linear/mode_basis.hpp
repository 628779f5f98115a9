#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "cell/linear/cell_model.hpp"

namespace syn::detail {

// A cell model's state written in its eigenmodes, when its chained rates are well apart. The
// chain's generator is triangular, so each stage k (u, a receptor's current I, its rise stage
// x) owns one eigenvalue -rate_k and an eigenvector v_k, and a neuron's free evolution is
//   y(t) = y_inf + sum_k a_k e^{-rate_k (t - t_e)} v_k.
// The linear cell stores a_k per neuron relative to an epoch start t_e shared by all neurons of
// the model, so an input at t adds w gamma_k e^{rate_k (t - t_e)} to a_k: the exponentials are
// computed once per instant for all targets, never per synaptic event. An epoch lasts at most
// 30 of the fastest time constants (the factors stay below e^30); a neuron's amplitudes are
// carried into a later epoch by one multiplication each.
//
// The coefficients of v_k and gamma_k grow like 1 / (rate_i - rate_j); a model with two
// chained rates closer than 10 % keeps the propagator form (exact at coinciding rates).
struct mode_basis {
  bool usable = false;
  std::uint32_t dim = 0;
  std::vector<double> rates;  // by stage
  std::vector<double> y_inf;  // the rest state: u_inf, no currents
  double epoch_length = 0.0;  // ms
  // The components of the eigenvectors v_k of the modes after u's: u's (v_0k, by mode; v_u is u
  // alone, so u_weight[0] is unused), and the other non-zero ones but for v_kk = 1, by mode then
  // row (a stage's mode moves that stage and those it feeds, down to u).
  std::vector<double> u_weight;
  struct entry {
    std::uint32_t row;
    std::uint32_t mode;
    double value;
  };
  std::vector<entry> entries;

  // The modes that a unit input into a receptor's first stage (or into u, for jumps) excites.
  struct impulse {
    std::uint32_t count = 0;
    std::array<std::uint32_t, 3> stage{};
    std::array<double, 3> gamma{};
  };
  std::vector<impulse> impulses;  // by synapse slot: 0 = jump into u, j + 1 = receptor slot j

  double epoch_start(std::uint64_t epoch) const {
    return static_cast<double>(epoch) * epoch_length;
  }
  std::uint64_t epoch_of(double t) const { return static_cast<std::uint64_t>(t / epoch_length); }
  // y = y_inf + V (a o f), with f_k = e^{-rate_k (t - t_e)} of the instant; a_0 (u's own mode)
  // apart from the others, as the linear cell stores them.
  void state(double u_amplitude, const double* others, const double* decay, double* y) const;
};

mode_basis make_mode_basis(const cell_model& model);

}  // namespace syn::detail
